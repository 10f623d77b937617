#pragma once

#include "core/error.h"
#include "core/telem/channel.h"

#include <QStringList>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <vector>

namespace sightline::core::server {

class Database;

/// The embedded cluster's channel records: validation by Synnax's rules, key assignment
/// (`(1 << 20) + n`, so numeric and string key orders agree), and persistence in the
/// database. Thread-safe: the unary API changes it on its own thread while the cluster's
/// thread reads it. Changes are serialized and hold the read lock out only while the maps are
/// updated (never during validation or the database write), so readers never wait long.
class ChannelRegistry
{
public:
    /// The node key of the embedded cluster (Synnax's single-node key).
    static constexpr std::uint16_t NodeKey = 1;

    /// Loads the registry from `database` (creating its table when new). The registry writes
    /// to `database` from whichever thread changes it: give it a connection of its own.
    [[nodiscard]] static Result<std::unique_ptr<ChannelRegistry>> open(Database& database);

    /// Validates and stores new channels, returning them with keys assigned, in request order.
    /// All or nothing: one invalid channel rejects the request with a `sy.validation` error
    /// whose message names it. With `retrieveIfNameExists`, a name that exists returns the
    /// existing channel instead of failing. A channel given with the key of a calculated
    /// channel updates its name and expression (Synnax's upsert); with the key of another
    /// channel, it is refused. An expression must parse and read existing numeric channels
    /// that share one index.
    [[nodiscard]] Result<std::vector<Channel>> create(std::vector<Channel> requested,
        bool retrieveIfNameExists = false);

    /// The channels with these keys, in order; `sy.query.not_found` naming the missing ones.
    [[nodiscard]] Result<std::vector<Channel>> retrieveByKeys(
        std::span<const ChannelKey> keys) const;
    /// The channels with these names, in order; missing names are skipped (Synnax's rule).
    [[nodiscard]] std::vector<Channel> retrieveByNames(const QStringList& names) const;
    /// Channels whose name or alias contains every whitespace-separated term
    /// (case-insensitive), ordered by name.
    [[nodiscard]] std::vector<Channel> search(QStringView term) const;
    /// Every channel, ordered by key.
    [[nodiscard]] std::vector<Channel> all() const;
    [[nodiscard]] std::optional<Channel> find(ChannelKey key) const;

    /// Deletes channels; an index still used by a data channel that is not deleted too is a
    /// `sy.validation` error. Unknown keys are ignored (deleting is idempotent).
    [[nodiscard]] Result<void> remove(std::span<const ChannelKey> keys);
    /// Renames keys[i] to names[i]; names must be valid and unique.
    [[nodiscard]] Result<void> rename(std::span<const ChannelKey> keys, const QStringList& names);
    /// Grows with every change (create, update, rename, delete), so readers can tell when
    /// what they derived from the channels is stale.
    [[nodiscard]] std::uint64_t generation() const { return m_generation.load(); }

private:
    ChannelRegistry(Database& database, std::map<ChannelKey, Channel> channels);
    // The *Locked helpers read the maps: call them with m_maps held (shared or exclusive) or
    // with m_changing held (only a change mutates the maps).
    [[nodiscard]] Result<void> validateNewLocked(const Channel& channel,
        const std::set<QString>& batchNames) const;
    [[nodiscard]] const Channel* findLocked(ChannelKey key) const;
    /// `existing` (a calculated channel) with the name and expression of `requested`.
    [[nodiscard]] Result<Channel> updateCalculatedLocked(const Channel& existing,
        const Channel& requested,
        const std::set<QString>& batchNames) const;
    /// Checks a calculated channel's expression against the channels there are (and those
    /// being created with it).
    [[nodiscard]] Result<void> checkExpressionLocked(const Channel& channel,
        const std::set<QString>& batchNames) const;
    [[nodiscard]] const Channel* findByNameLocked(QStringView name) const;
    /// Writes the records; called with m_changing held but not m_maps.
    [[nodiscard]] Result<void> persist(const std::vector<Channel>& channels);

    Database& m_database;
    /// Serializes create, remove and rename (validation, database write, map update).
    std::mutex m_changing;
    /// Guards the maps and the next key; exclusive only while a change updates them.
    mutable std::shared_mutex m_maps;
    std::map<ChannelKey, Channel> m_channels;
    /// Name → key of every channel, so name checks are O(log n).
    std::map<QString, ChannelKey> m_keysByName;
    std::uint32_t m_nextLocalKey = 1;
    std::atomic<std::uint64_t> m_generation = 0;
};

} // namespace sightline::core::server
