#include "core/store/live_buffer.h"

#include <algorithm>

namespace sightline::core::store {

LiveBuffer::LiveBuffer(std::size_t capacity)
    : m_stamps(std::max<std::size_t>(capacity, 1))
    , m_values(m_stamps.size())
    , m_gaps(m_stamps.size())
{
}

std::size_t LiveBuffer::append(std::span<const std::int64_t> stamps, std::span<const double> values)
{
    const std::size_t count = std::min(stamps.size(), values.size());
    std::size_t taken = 0;
    const std::size_t cap = m_stamps.size();
    for (std::size_t i = 0; i < count; ++i) {
        if (m_size > 0 && stamps[i] <= stampAt(m_size - 1))
            continue;
        std::size_t at;
        if (m_size < cap) {
            at = slot(m_size);
            ++m_size;
        } else {
            at = m_head; // overwrite the oldest
            m_head = m_head + 1 == cap ? 0 : m_head + 1;
        }
        m_stamps[at] = stamps[i];
        m_values[at] = values[i];
        m_gaps[at] = m_pendingGap ? 1 : 0;
        m_pendingGap = false;
        ++taken;
    }
    return taken;
}

std::size_t LiveBuffer::prepend(std::span<const std::int64_t> stamps,
    std::span<const double> values)
{
    const std::size_t count = std::min(stamps.size(), values.size());
    const std::size_t cap = m_stamps.size();
    std::size_t taken = 0;
    // Newest first, so each one lands just before the current oldest.
    for (std::size_t n = count; n-- > 0 && m_size < cap;) {
        if (m_size > 0 && stamps[n] >= stampAt(0))
            continue;
        m_head = m_head == 0 ? cap - 1 : m_head - 1;
        m_stamps[m_head] = stamps[n];
        m_values[m_head] = values[n];
        m_gaps[m_head] = 0;
        ++m_size;
        ++taken;
    }
    return taken;
}

void LiveBuffer::markGap() { m_pendingGap = m_size > 0; }

std::size_t LiveBuffer::lowerBound(std::int64_t stamp) const
{
    std::size_t low = 0;
    std::size_t high = m_size;
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (stampAt(mid) < stamp)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

std::size_t LiveBuffer::memoryBytes() const
{
    return m_stamps.size() * (sizeof(std::int64_t) + sizeof(double) + sizeof(std::uint8_t));
}

} // namespace sightline::core::store
