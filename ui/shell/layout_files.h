#pragma once

#include "core/error.h"

#include <QMap>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class QMenu;

namespace sightline::ui {

class MainWindow;
struct LayoutFile;

/// File › Open layout…, Save layout as… and Recent layouts for a main window: layouts as
/// files (`LayoutFile`) a user keeps, shares and opens on another machine. Opening one whose
/// channels this cluster lacks asks what to plot instead of each (RebindDialog) and never
/// drops one silently: those left out are named in the status bar. GUI thread only.
class LayoutFiles : public QObject
{
    Q_OBJECT

public:
    /// Missing channel names → the channels chosen for them (absent: left out); nullopt when
    /// the user cancelled opening the layout.
    using Rebinder = std::function<std::optional<QMap<QString, QString>>(const QStringList&)>;
    static constexpr int MaxRecent = 8;

    LayoutFiles(MainWindow& window, QObject* parent = nullptr);

    /// Adds the actions and the recent-layouts submenu to `file`.
    void addActions(QMenu& file);
    /// Opens the layout in `path`, rebinding missing channels; an error for what cannot be
    /// read (said in the status bar by the menu actions).
    core::Result<void> open(const QString& path);
    /// Shows `layout` (from a file or a workspace named `origin`), rebinding missing channels;
    /// `sightline.cancelled` when the user cancelled.
    core::Result<void> show(LayoutFile layout, const QString& origin);
    core::Result<void> save(const QString& path);
    /// How missing channels are rebound (default: the RebindDialog). Tests choose here.
    void setRebinder(Rebinder rebinder) { m_rebinder = std::move(rebinder); }
    /// Most recent first (settings `layouts/recent`).
    [[nodiscard]] QStringList recent() const;

private:
    void chooseAndOpen();
    /// Opens `path`, saying in the status bar why when it cannot (not when cancelled).
    void openAndReport(const QString& path);
    void chooseAndSave();
    void remember(const QString& path);
    void updateRecentMenu();

    MainWindow& m_window;
    Rebinder m_rebinder;
    QMenu* m_recentMenu = nullptr;
};

} // namespace sightline::ui
