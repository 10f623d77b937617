#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

class QTableWidget;

namespace sightline::ui {

/// Help › Keyboard shortcuts: every shortcut of the window's actions (generated from them, so
/// it stays true) and the mouse gestures of the plots. GUI thread only.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    ShortcutsDialog(const QList<QPair<QString, QString>>& shortcuts, QWidget* parent = nullptr);

    [[nodiscard]] QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table = nullptr;
};

} // namespace sightline::ui
