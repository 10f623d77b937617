#include "ui/ranges/range_list_model.h"

#include <QColor>
#include <QDateTime>

#include <algorithm>
#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    bool newerFirst(const core::client::LabelledRange& a, const core::client::LabelledRange& b)
    {
        if (a.range.timeRange.start != b.range.timeRange.start)
            return a.range.timeRange.start > b.range.timeRange.start;
        if (a.range.name != b.range.name)
            return a.range.name < b.range.name;
        return a.range.key < b.range.key;
    }

    QString labelNames(const std::vector<core::Label>& labels)
    {
        QStringList names;
        for (const core::Label& label : labels)
            names.append(label.name);
        return names.join(u", "_s);
    }

} // namespace

RangeListModel::RangeListModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

std::pair<std::vector<RangeListModel::Node>, std::vector<int>> RangeListModel::build(
    std::vector<core::client::LabelledRange> ranges)
{
    std::sort(ranges.begin(), ranges.end(), newerFirst);
    std::vector<Node> nodes;
    std::map<QUuid, int> byKey;
    for (auto& entry : ranges) {
        byKey.emplace(entry.range.key, int(nodes.size()));
        nodes.push_back(Node { std::move(entry), -1, {} });
    }
    std::vector<int> top;
    for (int i = 0; i < int(nodes.size()); ++i) {
        const auto& parentKey = nodes[std::size_t(i)].entry.range.parent;
        const auto parent = parentKey ? byKey.find(*parentKey) : byKey.end();
        // A parent that is not listed, or a loop of parents (a broken cluster), puts the range
        // at the top rather than nowhere.
        bool loops = false;
        if (parent != byKey.end()) {
            std::set<int> seen { i };
            for (int at = parent->second; at >= 0 && !loops;) {
                loops = !seen.insert(at).second;
                const auto& up = nodes[std::size_t(at)].entry.range.parent;
                const auto next = up ? byKey.find(*up) : byKey.end();
                at = next == byKey.end() ? -1 : next->second;
            }
        }
        if (parent == byKey.end() || loops) {
            top.push_back(i);
            continue;
        }
        nodes[std::size_t(i)].parent = parent->second;
        nodes[std::size_t(parent->second)].children.push_back(i);
    }
    return { std::move(nodes), std::move(top) };
}

void RangeListModel::setRanges(std::vector<core::client::LabelledRange> ranges)
{
    auto [nodes, top] = build(std::move(ranges));
    const bool sameShape = nodes.size() == m_nodes.size() && top == m_top
        && std::equal(nodes.begin(),
            nodes.end(),
            m_nodes.begin(),
            [](const Node& a, const Node& b) {
                return a.entry.range.key == b.entry.range.key && a.parent == b.parent
                    && a.children == b.children;
            });
    if (!sameShape) {
        beginResetModel();
        m_nodes = std::move(nodes);
        m_top = std::move(top);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].entry == m_nodes[i].entry)
            continue;
        m_nodes[i].entry = std::move(nodes[i].entry);
        const int row = rowOf(int(i));
        const QModelIndex parent = m_nodes[i].parent < 0
            ? QModelIndex()
            : createIndex(rowOf(m_nodes[i].parent), 0, quintptr(m_nodes[i].parent));
        Q_EMIT dataChanged(index(row, 0, parent), index(row, ColumnCount - 1, parent));
    }
}

void RangeListModel::setOpenRange(std::optional<QUuid> key)
{
    if (key == m_open)
        return;
    const std::optional<QUuid> before = std::exchange(m_open, key);
    for (const auto& changed : { before, key })
        if (changed)
            if (const QModelIndex index = indexOf(*changed, Duration); index.isValid())
                Q_EMIT dataChanged(index, index);
}

void RangeListModel::setTimeZone(const QTimeZone& zone)
{
    m_zone = zone;
    if (!m_nodes.empty())
        Q_EMIT dataChanged(index(0, Start), index(rowCount() - 1, Start));
}

const core::client::LabelledRange* RangeListModel::rangeAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return &m_nodes[std::size_t(index.internalId())].entry;
}

QModelIndex RangeListModel::indexOf(const QUuid& key, int column) const
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].entry.range.key == key)
            return createIndex(rowOf(int(i)), column, quintptr(i));
    return {};
}

std::vector<core::client::LabelledRange> RangeListModel::ranges() const
{
    std::vector<core::client::LabelledRange> out;
    std::vector<int> pending(m_top.rbegin(), m_top.rend());
    while (!pending.empty()) {
        const int at = pending.back();
        pending.pop_back();
        out.push_back(m_nodes[std::size_t(at)].entry);
        const auto& children = m_nodes[std::size_t(at)].children;
        pending.insert(pending.end(), children.rbegin(), children.rend());
    }
    return out;
}

const std::vector<int>& RangeListModel::siblingsOf(int parent) const
{
    return parent < 0 ? m_top : m_nodes[std::size_t(parent)].children;
}

int RangeListModel::rowOf(int node) const
{
    const auto& siblings = siblingsOf(m_nodes[std::size_t(node)].parent);
    return int(std::find(siblings.begin(), siblings.end(), node) - siblings.begin());
}

QModelIndex RangeListModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (parent.isValid() && parent.column() != 0)
        return {};
    const auto& siblings = siblingsOf(parent.isValid() ? int(parent.internalId()) : -1);
    if (row >= int(siblings.size()))
        return {};
    return createIndex(row, column, quintptr(siblings[std::size_t(row)]));
}

QModelIndex RangeListModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const int parent = m_nodes[std::size_t(child.internalId())].parent;
    return parent < 0 ? QModelIndex() : createIndex(rowOf(parent), 0, quintptr(parent));
}

int RangeListModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(siblingsOf(parent.isValid() ? int(parent.internalId()) : -1).size());
}

int RangeListModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant RangeListModel::data(const QModelIndex& index, int role) const
{
    const core::client::LabelledRange* entry = rangeAt(index);
    if (entry == nullptr)
        return {};
    const core::Range& range = entry->range;
    switch (role) {
    case KeyRole:
        return keyText(range.key);
    case LabelKeysRole: {
        QStringList keys;
        for (const core::Label& label : entry->labels)
            keys.append(keyText(label.key));
        return keys;
    }
    case SearchTextRole:
        return range.name + u' ' + labelNames(entry->labels);
    case Qt::DecorationRole:
        if (index.column() == Name && range.color && range.color->a > 0)
            return QColor(range.color->r, range.color->g, range.color->b);
        return {};
    case Qt::ToolTipRole:
        return u"%1\n%2 → %3"_s.arg(range.name,
            range.timeRange.start.toHumanString(m_zone),
            range.timeRange.end.toHumanString(m_zone));
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return range.name;
        case Start: // the zone and the fraction of a second are in the tooltip
            return range.timeRange.start.toDateTime().toTimeZone(m_zone).toString(
                u"yyyy-MM-dd HH:mm:ss"_s);
        case Duration:
            if (m_open == range.key)
                return tr("recording…");
            return (range.timeRange.end - range.timeRange.start).toHumanString();
        case Labels:
            return labelNames(entry->labels);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant RangeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Start:
        return tr("Start");
    case Duration:
        return tr("Duration");
    case Labels:
        return tr("Labels");
    default:
        return {};
    }
}

RangeFilterModel::RangeFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void RangeFilterModel::setFilterText(const QString& text)
{
    m_words = text.split(u' ', Qt::SkipEmptyParts);
    invalidateFilter();
}

void RangeFilterModel::setLabel(std::optional<QUuid> label)
{
    m_label = label ? std::optional<QString>(keyText(*label)) : std::nullopt;
    invalidateFilter();
}

bool RangeFilterModel::filterAcceptsRow(int row, const QModelIndex& parent) const
{
    const QModelIndex index = sourceModel()->index(row, 0, parent);
    const QString text = index.data(RangeListModel::SearchTextRole).toString();
    const bool wordsMatch = std::all_of(m_words.begin(), m_words.end(), [&](const QString& word) {
        return text.contains(word, Qt::CaseInsensitive);
    });
    return wordsMatch
        && (!m_label
            || index.data(RangeListModel::LabelKeysRole).toStringList().contains(*m_label));
}

} // namespace sightline::ui
