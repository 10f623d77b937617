#include "ui/ranges/range_dialog.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    constexpr int LabelKeyRole = Qt::UserRole + 1;

    QDateTimeEdit* timeEdit(core::TimeStamp at, const QTimeZone& zone, QWidget* parent)
    {
        // Qt 6.4's editor has no zone of its own: it edits the time as shown in `zone`.
        auto* edit = new QDateTimeEdit(at.toDateTime().toTimeZone(zone), parent);
        edit->setDisplayFormat(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
        return edit;
    }

    /// The edit's time, keeping the nanoseconds below the milliseconds the editor shows
    /// when the user left it alone.
    core::TimeStamp timeOf(const QDateTimeEdit* edit, core::TimeStamp initial)
    {
        const qint64 ms = edit->dateTime().toMSecsSinceEpoch();
        if (ms == initial.toDateTime().toMSecsSinceEpoch())
            return initial;
        return core::TimeStamp(ms * 1'000'000);
    }

} // namespace

RangeDialog::RangeDialog(const RangeEdit& initial,
    const std::vector<core::Label>& labels,
    const QTimeZone& zone,
    const std::vector<core::Range>& ranges,
    QWidget* parent)
    : QDialog(parent)
    , m_initial(initial)
    , m_zone(zone)
    , m_color(initial.color)
{
    setWindowTitle(initial.key.isNull() ? tr("New range") : tr("Edit range"));
    auto* form = new QFormLayout;
    m_name = new QLineEdit(initial.name, this);
    m_name->setPlaceholderText(tr("e.g. Hotfire 12"));
    form->addRow(tr("&Name"), m_name);
    m_colorButton = new QPushButton(this);
    connect(m_colorButton, &QPushButton::clicked, this, &RangeDialog::chooseColor);
    form->addRow(tr("&Colour"), m_colorButton);
    showColor();
    m_start = timeEdit(initial.timeRange.start, zone, this);
    m_end = timeEdit(initial.timeRange.end, zone, this);
    form->addRow(tr("&Start"), m_start);
    form->addRow(tr("&End"), m_end);
    m_partOf = new QComboBox(this);
    m_partOf->addItem(tr("(none: a range of its own)"));
    for (const core::Range& range : ranges)
        if (range.key != initial.key)
            m_partOf->addItem(u"%1  (%2)"_s.arg(range.name,
                                  range.timeRange.start.toDateTime().toTimeZone(zone).toString(
                                      u"yyyy-MM-dd HH:mm"_s)),
                range.key);
    if (initial.parent)
        m_partOf->setCurrentIndex(std::max(0, m_partOf->findData(*initial.parent)));
    form->addRow(tr("&Part of"), m_partOf);

    m_labels = new QListWidget(this);
    for (const core::Label& label : labels) {
        auto* item = new QListWidgetItem(label.name, m_labels);
        item->setData(LabelKeyRole, label.key);
        item->setData(Qt::DecorationRole, QColor(label.color.r, label.color.g, label.color.b));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const bool has = std::find(initial.labels.begin(), initial.labels.end(), label.key)
            != initial.labels.end();
        item->setCheckState(has ? Qt::Checked : Qt::Unchecked);
    }
    m_labels->setMaximumHeight(110);
    form->addRow(tr("&Labels"), m_labels);
    m_newLabels = new QLineEdit(this);
    m_newLabels->setPlaceholderText(tr("new labels, separated by commas"));
    form->addRow(QString(), m_newLabels);

    m_pairs = new QTableWidget(0, 2, this);
    m_pairs->setHorizontalHeaderLabels({ tr("Key"), tr("Value") });
    m_pairs->horizontalHeader()->setStretchLastSection(true);
    m_pairs->verticalHeader()->hide();
    for (const core::RangePair& pair : initial.pairs) {
        const int row = m_pairs->rowCount();
        m_pairs->insertRow(row);
        m_pairs->setItem(row, 0, new QTableWidgetItem(pair.key));
        m_pairs->setItem(row, 1, new QTableWidgetItem(pair.value));
    }
    auto* addPair = new QPushButton(tr("Add"), this);
    auto* removePair = new QPushButton(tr("Remove"), this);
    connect(addPair, &QPushButton::clicked, this, [this] {
        const int row = m_pairs->rowCount();
        m_pairs->insertRow(row);
        m_pairs->setItem(row, 0, new QTableWidgetItem);
        m_pairs->setItem(row, 1, new QTableWidgetItem);
        m_pairs->editItem(m_pairs->item(row, 0));
    });
    connect(removePair, &QPushButton::clicked, this, [this] {
        if (m_pairs->currentRow() >= 0)
            m_pairs->removeRow(m_pairs->currentRow());
    });
    auto* pairButtons = new QHBoxLayout;
    pairButtons->addWidget(addPair);
    pairButtons->addWidget(removePair);
    pairButtons->addStretch();
    auto* metadata = new QVBoxLayout;
    metadata->addWidget(m_pairs);
    metadata->addLayout(pairButtons);
    form->addRow(tr("&Metadata"), metadata);

    m_problem = new QLabel(this);
    m_problem->setStyleSheet(u"color: #d32f2f"_s);
    m_problem->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &RangeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RangeDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
}

RangeEdit RangeDialog::edit() const
{
    RangeEdit out = m_initial;
    out.name = m_name->text().trimmed();
    out.color = m_color;
    const QVariant partOf = m_partOf->currentData();
    out.parent = partOf.isValid() ? std::optional<QUuid>(partOf.toUuid()) : std::nullopt;
    out.timeRange = core::TimeRange { timeOf(m_start, m_initial.timeRange.start),
        timeOf(m_end, m_initial.timeRange.end) };
    out.labels.clear();
    for (int row = 0; row < m_labels->count(); ++row)
        if (m_labels->item(row)->checkState() == Qt::Checked)
            out.labels.push_back(m_labels->item(row)->data(LabelKeyRole).toUuid());
    out.newLabels.clear();
    for (const QString& name : m_newLabels->text().split(u',', Qt::SkipEmptyParts))
        if (!name.trimmed().isEmpty())
            out.newLabels.append(name.trimmed());
    out.pairs.clear();
    for (int row = 0; row < m_pairs->rowCount(); ++row) {
        const QString key
            = m_pairs->item(row, 0) ? m_pairs->item(row, 0)->text().trimmed() : QString();
        const QString value = m_pairs->item(row, 1) ? m_pairs->item(row, 1)->text() : QString();
        if (!key.isEmpty())
            out.pairs.push_back(core::RangePair { key, value });
    }
    return out;
}

void RangeDialog::accept()
{
    const RangeEdit result = edit();
    QString problem;
    if (result.name.isEmpty())
        problem = tr("Give the range a name.");
    else if (result.timeRange.end < result.timeRange.start)
        problem = tr("The range ends before it starts.");
    else
        for (std::size_t i = 0; i < result.pairs.size() && problem.isEmpty(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (result.pairs[i].key == result.pairs[j].key)
                    problem = tr("The metadata key '%1' is there twice.").arg(result.pairs[i].key);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (problem.isEmpty())
        QDialog::accept();
}

void RangeDialog::chooseColor()
{
    const core::Color now = m_color.value_or(core::Color { 255, 152, 0, 1 });
    const QColor chosen
        = QColorDialog::getColor(QColor(now.r, now.g, now.b), this, tr("Range colour"));
    if (!chosen.isValid())
        return;
    m_color = core::Color { chosen.red(), chosen.green(), chosen.blue(), 1 };
    showColor();
}

void RangeDialog::showColor()
{
    if (!m_color || m_color->a <= 0) {
        m_colorButton->setText(tr("None"));
        m_colorButton->setStyleSheet({});
        return;
    }
    const QColor color(m_color->r, m_color->g, m_color->b);
    m_colorButton->setText(color.name());
    m_colorButton->setStyleSheet(u"background: %1; color: %2"_s.arg(color.name(),
        color.lightness() > 140 ? u"black"_s : u"white"_s));
}

} // namespace sightline::ui
