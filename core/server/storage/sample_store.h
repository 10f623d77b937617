#pragma once

#include "core/error.h"
#include "core/server/storage/database.h"
#include "core/telem/frame.h"
#include "core/telem/series.h"
#include "core/telem/time.h"

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace sightline::core::server {

/// One stored run of a channel's samples. An index chunk holds timestamps; a data chunk holds
/// the samples paired with samples [offset, offset + count) of the index chunk that starts at
/// `indexStart`. `range` is `[first timestamp, last timestamp + 1 ns)`.
struct StoredChunk
{
    ChannelKey channel = 0;
    TimeRange range;
    TimeStamp indexStart;
    std::uint64_t offset = 0;
    /// The samples, with `range` and the alignment of their first sample set.
    Series series;
};

/// A chunk's place without its samples (for seeks and overlap checks).
struct ChunkSpan
{
    TimeRange range;
    std::uint64_t count = 0;
    std::uint64_t alignment = 0;
};

/// Alignments as Synnax forms them: `(domain << 32) | sample`, a domain being one run of an
/// index written by one writer. Domains are numbered in time order, so alignments grow with
/// time whatever order regions were written in.
namespace alignment {
    constexpr int DomainShift = 32;
    constexpr std::uint64_t SamplesPerDomain = std::uint64_t(1) << DomainShift;
    [[nodiscard]] constexpr std::uint64_t domainOf(std::uint64_t alignment)
    {
        return alignment >> DomainShift;
    }
    [[nodiscard]] constexpr std::uint64_t sampleOf(std::uint64_t alignment)
    {
        return alignment & (SamplesPerDomain - 1);
    }
    [[nodiscard]] constexpr std::uint64_t make(std::uint64_t domain, std::uint64_t sample = 0)
    {
        return (domain << DomainShift) | sample;
    }
} // namespace alignment

/// Durable sample storage: per-channel chunks in SQLite, indexed by (channel, start), with
/// min/max of numeric samples for overviews. Chunks of one channel never overlap; every query
/// here is one index probe (O(log n)). Not thread-safe: owned by the cluster's thread.
class SampleStore
{
public:
    [[nodiscard]] static Result<std::unique_ptr<SampleStore>> open(Database& database);
    /// A store over a read-only connection to a database `open` already set up: reads only.
    [[nodiscard]] static Result<std::unique_ptr<SampleStore>> openReader(Database& database);

    /// Stores chunks in one transaction: all of them, or none when anything fails.
    [[nodiscard]] Result<void> insert(const std::vector<StoredChunk>& chunks);

    /// The first chunk of `channel` ending after `from` (the one holding `from`, or the next).
    [[nodiscard]] Result<std::optional<StoredChunk>> chunkFrom(ChannelKey channel, TimeStamp from);
    /// The last chunk of `channel` starting before `before`.
    [[nodiscard]] Result<std::optional<StoredChunk>> chunkBefore(ChannelKey channel,
        TimeStamp before);
    /// As chunkFrom/chunkBefore, without reading samples (an index probe only).
    [[nodiscard]] Result<std::optional<ChunkSpan>> spanFrom(ChannelKey channel, TimeStamp from);
    [[nodiscard]] Result<std::optional<ChunkSpan>> spanBefore(ChannelKey channel, TimeStamp before);
    /// True when a chunk of `channel` overlaps `range`.
    [[nodiscard]] Result<bool> overlaps(ChannelKey channel, TimeRange range);

    /// The timestamps paired with a data chunk (the slice of its index chunk), or the chunk's
    /// own samples when it is an index chunk (`indexKey == chunk.channel`).
    [[nodiscard]] Result<Series> timestampsOf(const StoredChunk& chunk, ChannelKey indexKey);

    /// Moves the chunks of `channels` starting at or after `from` `domains` domains later,
    /// making room for a domain written before them.
    [[nodiscard]] Result<void> shiftDomains(
        std::span<const ChannelKey> channels, TimeStamp from, std::uint64_t domains);
    /// True when the stored alignments predate time-ordered domains (schema version 0).
    [[nodiscard]] Result<bool> needsAlignmentRenumbering();
    /// Renumbers the alignments of index `indexKey` and its `dependents` in time order (one
    /// domain for everything stored before domains existed).
    [[nodiscard]] Result<void> renumberAlignments(ChannelKey indexKey,
        std::span<const ChannelKey> dependents);
    [[nodiscard]] Result<void> markAlignmentsCurrent();

    /// Removes the samples of `channel` with timestamps in `range`, splitting chunks that
    /// straddle its edges, in one transaction. `indexKey` names the channel's index (itself
    /// for an index); removing from an index removes the same range from its `dependents`
    /// (the data channels indexed by it) so every stored sample keeps its timestamp.
    [[nodiscard]] Result<void> removeRange(ChannelKey channel,
        ChannelKey indexKey,
        TimeRange range,
        std::span<const ChannelKey> dependents = {});
    /// Removes at most `limit` whole chunks of `channel` that end at or before `before`
    /// (retention: a chunk straddling `before` is kept whole); returns how many went.
    [[nodiscard]] Result<std::int64_t> removeChunksBefore(
        ChannelKey channel, TimeStamp before, std::int64_t limit);
    /// Removes every chunk of `channel`.
    [[nodiscard]] Result<void> removeChannel(ChannelKey channel);

private:
    explicit SampleStore(Database& database);
    [[nodiscard]] Result<void> prepareStatements();
    [[nodiscard]] Result<std::optional<StoredChunk>> readChunk(Statement& query);
    [[nodiscard]] Result<std::optional<ChunkSpan>> readSpan(Statement& query);
    [[nodiscard]] Result<void> insertOne(const StoredChunk& chunk);

    /// What removing a range from one channel does: chunks to delete, pieces to keep, and
    /// (for an index) where the samples after a cut move to.
    struct Removal
    {
        struct Move
        {
            TimeStamp from;
            TimeStamp to;
            std::uint64_t shift = 0;
        };
        std::vector<StoredChunk> touched;
        std::vector<StoredChunk> kept;
        std::vector<Move> moves;
    };
    [[nodiscard]] Result<Removal> planRemoval(
        ChannelKey channel, ChannelKey indexKey, TimeRange range);

    Database& m_database;
    std::optional<Statement> m_insert;
    std::optional<Statement> m_atOrBefore;
    std::optional<Statement> m_after;
    std::optional<Statement> m_before;
    std::optional<Statement> m_exact;
    std::optional<Statement> m_remove;
    std::optional<Statement> m_spanAtOrBefore;
    std::optional<Statement> m_spanAfter;
    std::optional<Statement> m_spanBefore;
};

} // namespace sightline::core::server
