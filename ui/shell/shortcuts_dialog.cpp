#include "ui/shell/shortcuts_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

ShortcutsDialog::ShortcutsDialog(const QList<QPair<QString, QString>>& shortcuts, QWidget* parent)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Keyboard shortcuts"));
    const QList<QPair<QString, QString>> mouse {
        { tr("Zoom time (live plot)"), tr("Wheel") },
        { tr("Zoom the Y axes"), tr("Ctrl+Wheel") },
        { tr("Pan time"), tr("Drag") },
        { tr("Box zoom"), tr("Shift+Drag") },
        { tr("Move a limit line"), tr("Drag the line") },
        { tr("Hide or show a trace"), tr("Click its legend entry") },
        { tr("History cursor A / B"), tr("Click / Shift+Click") },
    };
    m_table->setObjectName(u"shortcutTable"_s);
    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({ tr("Action"), tr("Keys") });
    m_table->setRowCount(static_cast<int>(shortcuts.size() + mouse.size()));
    int row = 0;
    for (const auto& list : { shortcuts, mouse })
        for (const auto& [action, keys] : list) {
            m_table->setItem(row, 0, new QTableWidgetItem(action));
            m_table->setItem(row, 1, new QTableWidgetItem(keys));
            ++row;
        }
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(460, 520);
}

} // namespace sightline::ui
