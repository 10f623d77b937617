#include "ui/models/channel_model.h"

#include <QMimeData>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    QString kindOf(const core::Channel& channel)
    {
        if (channel.isIndex)
            return ChannelModel::tr("index");
        if (channel.isVirtual)
            return ChannelModel::tr("virtual");
        return ChannelModel::tr("data");
    }

} // namespace

ChannelModel::ChannelModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ChannelModel::setChannels(std::vector<core::Channel> channels)
{
    beginResetModel();
    std::erase_if(channels, [](const core::Channel& channel) { return channel.internal; });
    m_channels = std::move(channels);
    endResetModel();
}

const core::Channel* ChannelModel::findByName(const QString& name) const
{
    const auto found = std::find_if(m_channels.begin(),
        m_channels.end(),
        [&](const core::Channel& c) { return c.name == name; });
    return found == m_channels.end() ? nullptr : &*found;
}

const core::Channel* ChannelModel::find(core::ChannelKey key) const
{
    const auto found = std::find_if(m_channels.begin(),
        m_channels.end(),
        [key](const core::Channel& c) { return c.key == key; });
    return found == m_channels.end() ? nullptr : &*found;
}

void ChannelModel::setChecked(const std::set<core::ChannelKey>& keys)
{
    if (keys == m_checked)
        return;
    m_checked = keys;
    if (!m_channels.empty())
        Q_EMIT dataChanged(index(0, Name), index(rowCount() - 1, Name), { Qt::CheckStateRole });
}

int ChannelModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_channels.size());
}

int ChannelModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::Channel& channel = m_channels[static_cast<std::size_t>(index.row())];
    if (role == KeyRole)
        return QVariant::fromValue(static_cast<quint32>(channel.key));
    if (role == Qt::CheckStateRole && index.column() == Name)
        return m_checked.contains(channel.key) ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole)
        return tr("%1 (key %2)").arg(channel.name).arg(channel.key);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return channel.name;
    case Type:
        return channel.dataType.name();
    case Kind:
        return kindOf(channel);
    case Rate: {
        const auto rate = m_rates.find(channel.key);
        if (rate == m_rates.end())
            return QString();
        return rate->second >= 1 ? tr("%1 Hz").arg(rate->second, 0, 'f', rate->second < 10 ? 1 : 0)
                                 : tr("%1 s").arg(1 / rate->second, 0, 'f', 1);
    }
    default:
        return {};
    }
}

void ChannelModel::setRate(core::ChannelKey key, double hertz)
{
    const bool known = hertz > 0 && std::isfinite(hertz);
    const auto existing = m_rates.find(key);
    if (known && existing != m_rates.end() && std::abs(existing->second - hertz) < 1e-3 * hertz)
        return;
    if (known)
        m_rates[key] = hertz;
    else if (existing != m_rates.end())
        m_rates.erase(existing);
    else
        return;
    for (std::size_t row = 0; row < m_channels.size(); ++row)
        if (m_channels[row].key == key)
            Q_EMIT dataChanged(index(static_cast<int>(row), Rate),
                index(static_cast<int>(row), Rate),
                { Qt::DisplayRole });
}

QVariant ChannelModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Channel");
    case Type:
        return tr("Type");
    case Kind:
        return tr("Kind");
    case Rate:
        return tr("Rate");
    default:
        return {};
    }
}

Qt::ItemFlags ChannelModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    const core::Channel& channel = m_channels[static_cast<std::size_t>(index.row())];
    const bool plottable = !channel.isIndex && !channel.isVirtual && channel.dataType.isNumeric();
    if (index.column() == Name && plottable)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

bool ChannelModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != Name
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const core::ChannelKey key = m_channels[static_cast<std::size_t>(index.row())].key;
    const bool checked = value.value<Qt::CheckState>() == Qt::Checked;
    if (checked == m_checked.contains(key))
        return true;
    if (checked)
        m_checked.insert(key);
    else
        m_checked.erase(key);
    Q_EMIT dataChanged(index, index, { Qt::CheckStateRole });
    Q_EMIT checkToggled(key, checked);
    return true;
}

QStringList ChannelModel::mimeTypes() const { return { QString::fromLatin1(MimeType) }; }

QMimeData* ChannelModel::mimeData(const QModelIndexList& indexes) const
{
    QStringList keys;
    for (const QModelIndex& index : indexes) {
        const QString key = QString::number(m_channels[static_cast<std::size_t>(index.row())].key);
        if (!keys.contains(key))
            keys << key;
    }
    auto* mime = new QMimeData();
    mime->setData(QString::fromLatin1(MimeType), keys.join(u' ').toLatin1());
    return mime;
}

std::vector<core::ChannelKey> ChannelModel::keysFromMime(const QMimeData* mime)
{
    std::vector<core::ChannelKey> keys;
    if (mime == nullptr || !mime->hasFormat(QString::fromLatin1(MimeType)))
        return keys;
    for (const QByteArray& part : mime->data(QString::fromLatin1(MimeType)).split(' ')) {
        bool ok = false;
        const uint key = part.toUInt(&ok);
        if (ok)
            keys.push_back(key);
    }
    return keys;
}

ChannelFilterModel::ChannelFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ChannelFilterModel::setFilterText(const QString& text)
{
    const QStringList tokens = text.split(u' ', Qt::SkipEmptyParts);
    if (tokens == m_tokens)
        return;
    m_tokens = tokens;
    invalidateFilter();
}

bool ChannelFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* source = sourceModel();
    const QString name
        = source->index(sourceRow, ChannelModel::Name, sourceParent).data().toString();
    const QString type
        = source->index(sourceRow, ChannelModel::Type, sourceParent).data().toString();
    return std::all_of(m_tokens.begin(), m_tokens.end(), [&](const QString& token) {
        return name.contains(token, Qt::CaseInsensitive)
            || type.contains(token, Qt::CaseInsensitive);
    });
}

} // namespace sightline::ui
