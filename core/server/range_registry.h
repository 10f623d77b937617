#pragma once

#include "core/error.h"
#include "core/telem/frame.h"
#include "core/telem/range.h"

#include <QStringList>
#include <QUuid>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace sightline::core::server {

class Database;

/// The embedded cluster's ranges and their key-value metadata, as Synnax keeps them (see
/// docs/SYNNAX_RANGES.md): creating is an upsert by key, deleting takes the range's child
/// ranges with it, and both persist in the cluster's database. Thread-safe (one lock).
class RangeRegistry
{
public:
    /// Loads the ranges from `database` (creating the tables when new); the registry writes
    /// to `database` from whichever thread changes it: give it a connection of its own.
    [[nodiscard]] static Result<std::unique_ptr<RangeRegistry>> open(Database& database);

    /// Stores `ranges` (a missing key gets a new one; an existing key is overwritten) as
    /// children of `parent` when given, and returns them with their keys, in order. All or
    /// nothing: an empty name, a zero start or end, a start after the end or an unknown parent
    /// rejects the request.
    [[nodiscard]] Result<std::vector<Range>> create(std::vector<Range> ranges,
        std::optional<QUuid> parent = std::nullopt);
    /// The ranges matching `query` and `accept` (when given), ordered by key; limit and
    /// offset count those. `hasLabels` is for `accept` to check (the label store knows
    /// labels). Asked only by keys, a missing key is `sy.query.not_found`.
    [[nodiscard]] Result<std::vector<Range>> retrieve(const RangeQuery& query,
        const std::function<bool(const Range&)>& accept = {}) const;
    [[nodiscard]] std::optional<Range> find(const QUuid& key) const;
    /// `sy.query.not_found` for an unknown key, `sy.validation` for an empty name.
    [[nodiscard]] Result<void> rename(const QUuid& key, const QString& name);
    /// Places `child` under `parent` (nullopt: at the top); `sy.query.not_found` for an
    /// unknown range, `sy.validation` when `parent` is `child` or one of its descendants.
    [[nodiscard]] Result<void> setParent(const QUuid& child, std::optional<QUuid> parent);
    /// The keys of the ranges whose parent is `key`, ordered by key.
    [[nodiscard]] std::vector<QUuid> childrenOf(const QUuid& key) const;
    /// Deletes the ranges and, recursively, their child ranges; returns the keys deleted.
    /// Unknown keys are ignored.
    [[nodiscard]] Result<std::vector<QUuid>> remove(std::span<const QUuid> keys);

    /// The pairs of `range` with these keys, in order (`sy.query.not_found` naming a missing
    /// one); with no keys, every pair of the range, ordered by key.
    [[nodiscard]] Result<std::vector<RangePair>> pairs(const QUuid& range,
        const QStringList& keys) const;
    /// Sets pairs of `range` (an existing key takes the new value).
    [[nodiscard]] Result<void> setPairs(const QUuid& range, const std::vector<RangePair>& pairs);
    /// Deletes pairs of `range`; unknown keys are ignored.
    [[nodiscard]] Result<void> removePairs(const QUuid& range, const QStringList& keys);

    /// Gives channels another name within `range` (channel key → alias).
    [[nodiscard]] Result<void> setAliases(const QUuid& range,
        const std::map<ChannelKey, QString>& aliases);
    /// The aliases of `range`, with those of its ancestors it does not override.
    [[nodiscard]] std::map<ChannelKey, QString> aliases(const QUuid& range) const;
    /// The channels `names` stand for in `range` (or its ancestors); unknown ones are left out.
    /// A name that is a valid regular expression matches the first alias (by channel key) it
    /// finds anywhere in it, as Synnax resolves; others must equal an alias.
    [[nodiscard]] std::map<QString, ChannelKey> resolve(const QUuid& range,
        const QStringList& names) const;
    /// Deletes the aliases of these channels in `range`; unknown ones are ignored.
    [[nodiscard]] Result<void> removeAliases(const QUuid& range,
        std::span<const ChannelKey> channels);

private:
    using PairKey = std::pair<QUuid, QString>;
    using AliasKey = std::pair<QUuid, ChannelKey>;

    RangeRegistry(Database& database,
        std::map<QUuid, Range> ranges,
        std::map<PairKey, QString> pairs,
        std::map<AliasKey, QString> aliases);
    /// `range` and its ancestors, nearest first (called with m_lock held).
    [[nodiscard]] std::vector<QUuid> lineageLocked(const QUuid& range) const;
    /// Writes `range`'s record (called with m_lock held).
    [[nodiscard]] Result<void> storeLocked(const Range& range);
    /// Keys of `key`'s child ranges and theirs, depth first (called with m_lock held).
    void collectChildrenLocked(const QUuid& key, std::vector<QUuid>& into) const;

    Database& m_database;
    mutable std::mutex m_lock;
    std::map<QUuid, Range> m_ranges;
    std::map<PairKey, QString> m_pairs;
    std::map<AliasKey, QString> m_aliases;
};

} // namespace sightline::core::server
