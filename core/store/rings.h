#pragma once

#include "core/telem/data_type.h"
#include "core/telem/series.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sightline::core::store {

/// Sample positions: every sample appended to an index ring gets the next position, so a
/// data channel's value and its timestamp share one number (the live analogue of Synnax's
/// alignment). Positions grow; evicting or backfilling moves the first one. Only going back
/// in time (see IndexRing::append) discards the newest and gives their positions again.
using Position = std::uint64_t;

/// A revision no ring has had yet (see IndexRing::revision).
[[nodiscard]] std::uint64_t nextRingRevision();

/// The timestamps of one index channel in a circular buffer allocated once, shared by every
/// data channel that uses the index. Stamps held always increase. Not thread-safe (GUI thread).
class IndexRing
{
public:
    explicit IndexRing(std::size_t capacity);

    /// What append does with leading stamps that repeat held ones (a resent write).
    enum class Resend {
        Skip, ///< keep what is held
        Replace, ///< treat them as new: the ring goes back in time to them
    };
    /// Where an append landed: the position of its first kept sample, how many leading
    /// samples were skipped (resent) and how many held samples were discarded to go back in
    /// time (then `first` is where the discarded ones began).
    struct Appended
    {
        Position first = 0;
        std::size_t skipped = 0;
        std::size_t kept = 0;
        std::size_t discarded = 0;
    };
    /// Appends the increasing run that `stamps` start with; a caller appends the rest with
    /// further calls (each takes at least one stamp). Stamps after the newest held follow it.
    /// Stamps that repeat held ones at consecutive positions are skipped (Resend::Skip). Any
    /// other stamp not after the newest means time went back (a clock set back, or the data
    /// after a stray future stamp): the held stamps from it on are discarded, a gap is
    /// marked before it, and the run is appended there — so a wrong clock never stops the
    /// ring.
    Appended append(std::span<const std::int64_t> stamps, Resend resend = Resend::Skip);
    /// The leading stamps of `stamps` that repeat held ones at consecutive positions from
    /// `at` (count 0 when the first is not held).
    struct Resent
    {
        Position at = 0;
        std::size_t count = 0;
    };
    [[nodiscard]] Resent resent(std::span<const std::int64_t> stamps) const;
    /// Puts older timestamps in front while there is room; returns how many were taken.
    std::size_t prepend(std::span<const std::int64_t> stamps);
    void markGap() { m_pendingGap = m_size > 0; }
    /// Makes room for `capacity` stamps (never less than now), keeping every position.
    void reserve(std::size_t capacity);

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] std::size_t capacity() const { return m_stamps.size(); }
    [[nodiscard]] Position firstPosition() const { return m_first; }
    [[nodiscard]] Position endPosition() const { return m_first + m_size; }
    [[nodiscard]] std::int64_t stampAt(Position position) const { return m_stamps[slot(position)]; }
    /// The newest stamp held (not when empty).
    [[nodiscard]] std::int64_t newestStamp() const { return stampAt(endPosition() - 1); }
    /// The first position whose stamp is at or after `stamp` (endPosition() when none).
    [[nodiscard]] Position lowerBound(std::int64_t stamp) const;
    /// The same, knowing it is not before `from`: gallops from there (1, 2, 4, … positions)
    /// and searches the last step, so a column edge near the previous one is found in
    /// O(log distance).
    [[nodiscard]] Position lowerBoundFrom(Position from, std::int64_t stamp) const;
    /// The same, with a `guess` of the answer (e.g. from the nominal sample period): a right
    /// guess costs two reads, a near one a few (galloping from it either way).
    [[nodiscard]] Position lowerBoundNear(Position from, Position guess, std::int64_t stamp) const;
    /// The first position after `at` whose stamp is at or after `stamp`, guessed from the
    /// mean sample `period` (ns; 0 for none) and checked: a column edge of a regular stand
    /// costs two reads.
    [[nodiscard]] Position lowerBoundAfter(Position at, std::int64_t stamp, double period) const;
    /// The position holding exactly `stamp`, or endPosition().
    [[nodiscard]] Position find(std::int64_t stamp) const;
    /// True when a gap (e.g. a reconnect) lies between `position - 1` and `position`.
    [[nodiscard]] bool gapBefore(Position position) const;
    /// True when a gap lies anywhere in (from, to].
    [[nodiscard]] bool gapWithin(Position from, Position to) const;
    /// The first position after `from` that follows a gap (endPosition() when none).
    [[nodiscard]] Position nextGap(Position from) const;
    /// Changes whenever held samples change other than by appending or evicting the oldest
    /// (going back in time, putting older ones in front, restarting), and is never the same
    /// for two rings: what was computed from the ring is stale when its revision differs.
    [[nodiscard]] std::uint64_t revision() const { return m_revision; }
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    /// `position`'s place in the buffer. Both terms are below the capacity, so one
    /// conditional subtraction replaces a 64-bit division.
    [[nodiscard]] std::size_t slot(Position position) const
    {
        const std::size_t at = m_headSlotBase + static_cast<std::size_t>(position - m_first);
        return at >= m_stamps.size() ? at - m_stamps.size() : at;
    }
    /// Binary search of [low, high) for the first stamp at or after `stamp` (high if none).
    [[nodiscard]] Position lowerBoundBetween(Position low, Position high, std::int64_t stamp) const;
    /// Handles `stamps` that start at or before the newest: skips a resend, or goes back.
    Appended arriveBehind(std::span<const std::int64_t> stamps, Resend resend);
    /// Discards the stamps from `position` on; returns how many.
    std::size_t discardFrom(Position position);

    std::vector<std::int64_t> m_stamps;
    /// Slot of the first position.
    std::size_t m_headSlotBase = 0;
    Position m_first = 1'000'000'000; // room to prepend without going below zero
    std::size_t m_size = 0;
    /// Positions that follow a gap, oldest first (rare: reconnects).
    std::vector<Position> m_gaps;
    bool m_pendingGap = false;
    std::uint64_t m_revision;
};

/// The values of one data channel in their native type, paired with an IndexRing by
/// position: the value at position p has the index ring's stamp at p. Allocated once.
class ValueRing
{
public:
    ValueRing(DataType type, std::size_t capacity);

    /// Appends `count` samples of `series` starting at sample `from`, at positions `at`…;
    /// a position that does not continue the ring restarts it there.
    void append(Position at, const Series& series, std::size_t from, std::size_t count);
    /// Puts one older value in front (at position firstPosition() − 1) if there is room.
    bool prependOne(const Series& series, std::size_t index);
    /// Forgets values before `position` (their timestamps were evicted).
    void trimBefore(Position position);
    /// Forgets values at and after `position` (their timestamps were discarded).
    void trimFrom(Position position);
    /// Starts an empty ring at `position` (for backfilling a channel with no live data).
    void resetAt(Position position);
    /// Makes room for `capacity` values (never less than now), keeping every position.
    void reserve(std::size_t capacity);

    [[nodiscard]] DataType dataType() const { return m_type; }
    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] std::size_t capacity() const { return m_capacity; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    [[nodiscard]] Position firstPosition() const { return m_first; }
    [[nodiscard]] Position endPosition() const { return m_first + m_size; }
    [[nodiscard]] double valueAt(Position position) const;
    /// True when the ring holds `count` samples of `series` from sample `from` byte for byte
    /// at positions `at`…; positions it does not hold are not compared.
    [[nodiscard]] bool holdsSame(
        Position at, const Series& series, std::size_t from, std::size_t count) const;
    /// The values at positions [from, to) as at most two contiguous typed runs.
    template <typename T>
    void runs(Position from, Position to, std::span<const T>& a, std::span<const T>& b) const
    {
        const std::size_t n = static_cast<std::size_t>(to - from);
        const std::size_t start = slot(from);
        const std::size_t first = std::min(n, m_capacity - start);
        const auto* base = reinterpret_cast<const T*>(m_bytes.data());
        a = { base + start, first };
        b = { base, n - first };
    }
    /// As IndexRing::revision().
    [[nodiscard]] std::uint64_t revision() const { return m_revision; }
    [[nodiscard]] std::size_t memoryBytes() const { return m_bytes.size(); }

private:
    [[nodiscard]] std::size_t slot(Position position) const
    {
        const std::size_t at = m_headSlotBase + static_cast<std::size_t>(position - m_first);
        return at >= m_capacity ? at - m_capacity : at;
    }
    void store(std::size_t slotIndex, const Series& series, std::size_t index);

    DataType m_type;
    std::size_t m_density;
    std::size_t m_capacity;
    std::vector<std::byte> m_bytes;
    std::size_t m_headSlotBase = 0;
    Position m_first = 0;
    std::size_t m_size = 0;
    std::uint64_t m_revision;
};

} // namespace sightline::core::store
