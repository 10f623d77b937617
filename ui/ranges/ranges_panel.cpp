#include "ui/ranges/ranges_panel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

RangesPanel::RangesPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new RangeListModel(this))
    , m_filter(new RangeFilterModel(this))
{
    m_filter->setSourceModel(m_model);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter by name or label"));
    m_filterEdit->setClearButtonEnabled(true);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setFilterText(text);
        m_view->expandAll();
    });
    m_labelFilter = new QComboBox(this);
    m_labelFilter->addItem(tr("All labels"));
    connect(m_labelFilter, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant key = m_labelFilter->itemData(index);
        m_filter->setLabel(key.isValid() ? std::optional<QUuid>(key.toUuid()) : std::nullopt);
        m_view->expandAll();
    });
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_filterEdit, 1);
    filters->addWidget(m_labelFilter);

    m_view = new QTreeView(this);
    m_view->setModel(m_filter);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // The name keeps a useful width in a narrow dock (the view scrolls sideways instead).
    m_view->header()->setSectionResizeMode(RangeListModel::Name, QHeaderView::Interactive);
    m_view->header()->resizeSection(RangeListModel::Name, 160);
    m_view->header()->setSectionResizeMode(RangeListModel::Start, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(RangeListModel::Duration, QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(true);
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
        if (const auto* range = m_model->rangeAt(m_filter->mapToSource(index)))
            Q_EMIT openRequested(*range);
    });
    connect(m_view->selectionModel(),
        &QItemSelectionModel::selectionChanged,
        this,
        &RangesPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->expandAll();
        updateButtons();
    });

    // Compact buttons: the dock shares its width with the channel picker.
    const auto button = [this](const QString& text) {
        auto* made = new QToolButton(this);
        made->setText(text);
        made->setToolButtonStyle(Qt::ToolButtonTextOnly);
        return made;
    };
    m_open = button(tr("Open"));
    m_open->setToolTip(tr("Show the range in the history pane (Enter)"));
    auto* create = button(tr("New…"));
    create->setToolTip(tr("A range over the history window or the A–B selection"));
    m_edit = button(tr("Edit…"));
    m_delete = button(tr("Delete"));
    m_compare = button(tr("Compare"));
    m_export = button(tr("CSV…"));
    m_export->setToolTip(tr("Export the plotted channels over the range as CSV"));
    m_compare->setToolTip(tr("Overlay the selected ranges on a time axis from each one's start"));
    connect(m_open, &QToolButton::clicked, this, [this] {
        if (const auto* range = selected())
            Q_EMIT openRequested(*range);
    });
    connect(create, &QToolButton::clicked, this, &RangesPanel::createRequested);
    connect(m_edit, &QToolButton::clicked, this, [this] {
        if (const auto* range = selected())
            Q_EMIT editRequested(*range);
    });
    connect(m_delete, &QToolButton::clicked, this, [this] {
        if (const auto* range = selected())
            Q_EMIT deleteRequested(*range);
    });
    connect(m_compare, &QToolButton::clicked, this, [this] {
        if (const auto ranges = selectedRanges(); ranges.size() >= 2)
            Q_EMIT compareRequested(ranges);
    });
    connect(m_export, &QToolButton::clicked, this, [this] {
        if (const auto* range = selected())
            Q_EMIT exportRequested(*range);
    });
    // Two rows of three: the dock shares its width with the channel picker, and a wider
    // dock would take it from the plots.
    auto* buttons = new QGridLayout;
    QToolButton* const all[] = { m_open, create, m_edit, m_delete, m_compare, m_export };
    for (int i = 0; i < int(std::size(all)); ++i)
        buttons->addWidget(all[i], i / 3, i % 3);
    buttons->setColumnStretch(3, 1);
    m_status = new QLabel(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    updateButtons();
}

void RangesPanel::setRanges(const std::vector<core::client::LabelledRange>& ranges,
    const std::vector<core::Label>& labels)
{
    const auto* before = selected();
    const std::optional<QUuid> keep = before ? std::optional(before->range.key) : std::nullopt;
    m_model->setRanges(ranges);
    if (labels != m_labels) {
        m_labels = labels;
        const QVariant chosen = m_labelFilter->currentData();
        const QSignalBlocker quiet(m_labelFilter);
        m_labelFilter->clear();
        m_labelFilter->addItem(tr("All labels"));
        for (const core::Label& label : m_labels)
            m_labelFilter->addItem(label.name, label.key);
        const int again = chosen.isValid() ? m_labelFilter->findData(chosen) : 0;
        m_labelFilter->setCurrentIndex(std::max(again, 0));
        if (again < 0)
            m_filter->setLabel(std::nullopt); // its label was deleted
    }
    if (keep && !selected())
        select(*keep);
}

void RangesPanel::setOpenRun(std::optional<QUuid> key) { m_model->setOpenRange(key); }

void RangesPanel::setStatus(const QString& text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? u"color: #d32f2f"_s : QString());
}

const core::client::LabelledRange* RangesPanel::selected() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid() || !m_view->selectionModel()->isSelected(current))
        return nullptr;
    return m_model->rangeAt(m_filter->mapToSource(current));
}

std::vector<core::client::LabelledRange> RangesPanel::selectedRanges() const
{
    std::vector<core::client::LabelledRange> out;
    for (const QModelIndex& row : m_view->selectionModel()->selectedRows())
        if (const auto* range = m_model->rangeAt(m_filter->mapToSource(row)))
            out.push_back(*range);
    return out;
}

void RangesPanel::select(const QUuid& key)
{
    const QModelIndex index = m_filter->mapFromSource(m_model->indexOf(key));
    if (!index.isValid())
        return;
    m_view->selectionModel()->setCurrentIndex(index,
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

std::optional<core::client::LabelledRange> RangesPanel::neighbour(const QUuid& key,
    int direction) const
{
    std::vector<core::client::LabelledRange> all = m_model->ranges();
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.range.timeRange.start < b.range.timeRange.start;
    });
    const auto at = std::find_if(all.begin(), all.end(), [&](const auto& entry) {
        return entry.range.key == key;
    });
    if (at == all.end())
        return std::nullopt;
    const auto next = at - all.begin() + direction;
    if (next < 0 || next >= std::ssize(all))
        return std::nullopt;
    return all[std::size_t(next)];
}

void RangesPanel::keyPressEvent(QKeyEvent* event)
{
    const auto* range = selected();
    if (range && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)) {
        Q_EMIT openRequested(*range);
        return;
    }
    if (range && event->key() == Qt::Key_Delete) {
        Q_EMIT deleteRequested(*range);
        return;
    }
    QWidget::keyPressEvent(event);
}

void RangesPanel::updateButtons()
{
    const bool one = selected() != nullptr;
    m_open->setEnabled(one);
    m_edit->setEnabled(one);
    m_delete->setEnabled(one);
    m_export->setEnabled(one);
    m_compare->setEnabled(selectedRanges().size() >= 2);
}

} // namespace sightline::ui
