#include "ui/shell/rebind_dialog.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

RebindDialog::RebindDialog(
    const QStringList& missing, const std::vector<core::Channel>& channels, QWidget* parent)
    : QDialog(parent)
    , m_missing(missing)
{
    setWindowTitle(tr("Channels missing on this cluster"));
    for (const core::Channel& channel : channels)
        if (!channel.isIndex && !channel.internal)
            m_channels << channel.name;
    m_channels.sort(Qt::CaseInsensitive);
    auto* form = new QFormLayout();
    for (const QString& name : m_missing) {
        auto* choice = new QComboBox(this);
        choice->setObjectName(u"rebind:"_s + name);
        choice->setEditable(true); // typing filters the list: a search box
        choice->setInsertPolicy(QComboBox::NoInsert);
        choice->addItem(tr("— leave out —"), QString());
        for (const QString& channel : m_channels)
            choice->addItem(channel, channel);
        choice->completer()->setFilterMode(Qt::MatchContains);
        choice->completer()->setCompletionMode(QCompleter::PopupCompletion);
        choice->lineEdit()->setPlaceholderText(tr("Search channels"));
        const auto same = std::find_if(m_channels.begin(), m_channels.end(), [&](const QString& c) {
            return c.compare(name, Qt::CaseInsensitive) == 0;
        });
        choice->setCurrentIndex(same == m_channels.end() ? 0 : choice->findData(*same));
        form->addRow(name, choice);
        m_choices.push_back(choice);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Open the layout"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The layout plots channels this cluster does not have. Choose a "
                                "channel to plot instead of each, or leave it out."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QMap<QString, QString> RebindDialog::choices() const
{
    QMap<QString, QString> chosen;
    for (std::size_t i = 0; i < m_choices.size(); ++i) {
        // What is typed counts when it names a channel (the list may not be opened at all).
        const QString typed = m_choices[i]->currentText();
        const QString channel
            = m_channels.contains(typed) ? typed : m_choices[i]->currentData().toString();
        if (!channel.isEmpty())
            chosen.insert(m_missing[static_cast<qsizetype>(i)], channel);
    }
    return chosen;
}

bool RebindDialog::choose(const QString& missing, const QString& channel)
{
    const qsizetype at = m_missing.indexOf(missing);
    if (at < 0 || (!channel.isEmpty() && !m_channels.contains(channel)))
        return false;
    QComboBox* choice = m_choices[static_cast<std::size_t>(at)];
    choice->setCurrentIndex(choice->findData(channel));
    return true;
}

} // namespace sightline::ui
