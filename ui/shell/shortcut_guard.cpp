#include "ui/shell/shortcut_guard.h"

#include <QEvent>
#include <QKeyEvent>
#include <QLineEdit>

namespace sightline::ui {

ShortcutGuard::ShortcutGuard(QObject* parent)
    : QObject(parent)
{
}

bool ShortcutGuard::editIgnores(const QLineEdit& edit, const QKeyEvent& key)
{
    const Qt::KeyboardModifiers mods = key.modifiers() & ~Qt::KeypadModifier;
    if (mods != Qt::NoModifier && mods != Qt::ControlModifier)
        return false; // Shift selects, Alt and Meta belong to the desktop
    const bool atStart = edit.cursorPosition() == 0 && !edit.hasSelectedText();
    const bool atEnd = edit.cursorPosition() == edit.text().size() && !edit.hasSelectedText();
    switch (key.key()) {
    case Qt::Key_End:
    case Qt::Key_Right:
        return atEnd;
    case Qt::Key_Home:
    case Qt::Key_Left:
        return atStart;
    case Qt::Key_Backspace:
        return edit.text().isEmpty();
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
        return true;
    default:
        return false;
    }
}

bool ShortcutGuard::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride)
        if (auto* edit = qobject_cast<QLineEdit*>(watched))
            if (editIgnores(*edit, *static_cast<QKeyEvent*>(event))) {
                // Not overridden: the shortcut map tries the key, and with no shortcut for
                // it the box still gets the key press as usual.
                event->ignore();
                return true;
            }
    return QObject::eventFilter(watched, event);
}

} // namespace sightline::ui
