#pragma once

#include "core/error.h"
#include "core/telem/time.h"
#include "ui/plot/plot_layout.h"

#include <QColor>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sightline::ui {

/// A layout saved to a file (`*.sightline.json`, docs/LAYOUT_FILES.md): the live plots (their
/// channels by name, Y axes, limit lines, windows, rows), the channels' colours, the theme and
/// the history pane (shown or not, its window). Channels are named, never keyed, so a layout
/// opens on another machine and another cluster; names missing there are rebound or reported.
struct LayoutFile
{
    static constexpr int Version = 1;
    /// The file name suffix the dialogs offer.
    static inline const QString Suffix = QStringLiteral(".sightline.json");

    std::vector<PlotLayout> plots;
    QMap<QString, QColor> colors; ///< channel name → colour
    QString theme; ///< "system", "light" or "dark"; empty: leave as it is
    bool historyShown = false;
    std::optional<core::TimeRange> historyWindow;

    /// Every channel name the layout uses (plots and colours), each once, in order.
    [[nodiscard]] QStringList channelNames() const;
    /// Uses `to` wherever the layout names `from` (a channel rebound on opening).
    void rename(const QString& from, const QString& to);
    /// Leaves channel `name` out of every plot (the user chose not to rebind it).
    void leaveOut(const QString& name);

    [[nodiscard]] QJsonObject toJson() const;
    /// Reads a layout; a clear error for what is not one, a newer version, or malformed parts.
    [[nodiscard]] static core::Result<LayoutFile> fromJson(const QByteArray& json);
    [[nodiscard]] static core::Result<LayoutFile> read(const QString& path);
    /// Writes atomically (a failed write leaves an existing file as it was).
    [[nodiscard]] core::Result<void> write(const QString& path) const;

    friend bool operator==(const LayoutFile&, const LayoutFile&) = default;
};

} // namespace sightline::ui
