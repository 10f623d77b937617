#pragma once

#include "core/client/range_client.h"

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>
#include <QTimeZone>

#include <optional>
#include <vector>

namespace sightline::ui {

/// A cluster's ranges as a tree: child ranges under their parent, newest first at every
/// level; columns name (with the range's colour), start, duration and labels. setRanges()
/// takes the whole list each time (as RangeFollower reads it) and changes only what changed:
/// rows in place when the tree keeps its shape, a reset when ranges come, go or move.
/// GUI thread only.
class RangeListModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { Name = 0, Start, Duration, Labels, ColumnCount };
    /// The range's key (QString), for any column.
    static constexpr int KeyRole = Qt::UserRole + 1;
    /// The keys of the range's labels (QStringList).
    static constexpr int LabelKeysRole = Qt::UserRole + 2;
    /// What a text filter searches: the name and the label names (QString).
    static constexpr int SearchTextRole = Qt::UserRole + 3;

    explicit RangeListModel(QObject* parent = nullptr);

    void setRanges(std::vector<core::client::LabelledRange> ranges);
    /// The range being recorded now (a run marked live): its duration reads "recording…".
    void setOpenRange(std::optional<QUuid> key);
    /// Times show in this zone (the app's); local time by default.
    void setTimeZone(const QTimeZone& zone);

    [[nodiscard]] const core::client::LabelledRange* rangeAt(const QModelIndex& index) const;
    [[nodiscard]] QModelIndex indexOf(const QUuid& key, int column = Name) const;
    [[nodiscard]] std::size_t size() const { return m_nodes.size(); }
    /// Every range, newest first (a parent before its children).
    [[nodiscard]] std::vector<core::client::LabelledRange> ranges() const;

    [[nodiscard]] QModelIndex index(
        int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(
        int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node
    {
        core::client::LabelledRange entry;
        int parent = -1; ///< node index; -1 at the top
        std::vector<int> children; ///< node indexes, newest first
    };
    /// The tree for `ranges`: nodes, and the top-level node indexes.
    static std::pair<std::vector<Node>, std::vector<int>> build(
        std::vector<core::client::LabelledRange> ranges);
    [[nodiscard]] const std::vector<int>& siblingsOf(int parent) const;
    [[nodiscard]] int rowOf(int node) const;

    std::vector<Node> m_nodes;
    std::vector<int> m_top;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    std::optional<QUuid> m_open;
};

/// Filters a RangeListModel by text (every word in the name or a label name,
/// case-insensitive) and by label; a child that matches keeps its parents shown.
class RangeFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit RangeFilterModel(QObject* parent = nullptr);
    void setFilterText(const QString& text);
    /// Only ranges with this label; nullopt shows every range.
    void setLabel(std::optional<QUuid> label);

protected:
    [[nodiscard]] bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QStringList m_words;
    std::optional<QString> m_label;
};

} // namespace sightline::ui
