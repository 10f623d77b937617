#pragma once

#include "core/telem/time.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sightline::core::store {

/// The recent samples of one channel: a circular buffer of (timestamp, value) pairs with a
/// capacity fixed when it is made (allocated once). New samples go on the back and push the
/// oldest out; backfilled history goes on the front while there is room. Timestamps must be
/// increasing; a sample not after the newest is ignored (a rewrite of the same data).
/// Not thread-safe: owned by the GUI thread.
class LiveBuffer
{
public:
    explicit LiveBuffer(std::size_t capacity);

    /// Appends samples newer than everything held; returns how many were taken.
    std::size_t append(std::span<const std::int64_t> stamps, std::span<const double> values);
    /// Prepends samples older than everything held, while there is room; returns how many.
    std::size_t prepend(std::span<const std::int64_t> stamps, std::span<const double> values);
    /// Notes a break in the data (e.g. a reconnect): no line is drawn across it.
    void markGap();

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] std::size_t capacity() const { return m_stamps.size(); }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    /// Sample i, 0 the oldest.
    [[nodiscard]] std::int64_t stampAt(std::size_t i) const { return m_stamps[slot(i)]; }
    [[nodiscard]] double valueAt(std::size_t i) const { return m_values[slot(i)]; }
    /// True when a gap was marked just before sample i.
    [[nodiscard]] bool gapBefore(std::size_t i) const { return m_gaps[slot(i)] != 0; }
    /// Index of the first sample at or after `stamp` (size() when none).
    [[nodiscard]] std::size_t lowerBound(std::int64_t stamp) const;
    /// Bytes held by the buffer's storage.
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    [[nodiscard]] std::size_t slot(std::size_t i) const
    {
        const std::size_t at = m_head + i;
        return at >= m_stamps.size() ? at - m_stamps.size() : at;
    }

    std::vector<std::int64_t> m_stamps;
    std::vector<double> m_values;
    std::vector<std::uint8_t> m_gaps;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
    bool m_pendingGap = false;
};

} // namespace sightline::core::store
