#include "ui/channels/channel_picker.h"

#include "ui/models/channel_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

namespace sightline::ui {

ChannelPicker::ChannelPicker(ChannelModel& model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new ChannelFilterModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_count(new QLabel(this))
{
    m_proxy->setSourceModel(&m_model);
    m_proxy->sort(ChannelModel::Name);
    m_filter->setPlaceholderText(tr("Filter channels (e.g. \"pt fuel\")"));
    m_filter->setClearButtonEnabled(true);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ChannelModel::Name, Qt::AscendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(ChannelModel::Name, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(ChannelModel::Type, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(ChannelModel::Kind, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(ChannelModel::Rate, QHeaderView::ResizeToContents);
    setMinimumWidth(320);
    m_count->setObjectName(QStringLiteral("channelCount"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_count);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &ChannelFilterModel::setFilterText);
    connect(m_filter, &QLineEdit::textChanged, this, &ChannelPicker::updateCount);
    connect(&m_model, &QAbstractItemModel::modelReset, this, &ChannelPicker::updateCount);
    updateCount();
}

void ChannelPicker::updateCount()
{
    m_count->setText(tr("%1 of %2 channels").arg(m_proxy->rowCount()).arg(m_model.rowCount()));
}

} // namespace sightline::ui
