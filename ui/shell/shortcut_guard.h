#pragma once

#include <QObject>

class QKeyEvent;
class QLineEdit;

namespace sightline::ui {

/// Lets the app's keyboard shortcuts work while a text box has focus, without stealing
/// typing: a navigation key the focused line edit would do nothing with (End with the cursor
/// already at the end, Left at the start, Backspace in an empty box, Page Up/Down) goes to
/// the shortcut instead of being swallowed by the box. Printable keys always stay with the
/// box. Installed on the application; GUI thread only.
class ShortcutGuard : public QObject
{
    Q_OBJECT

public:
    explicit ShortcutGuard(QObject* parent = nullptr);

    /// Whether `edit` would leave `key` unused (so a shortcut may have it).
    [[nodiscard]] static bool editIgnores(const QLineEdit& edit, const QKeyEvent& key);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace sightline::ui
