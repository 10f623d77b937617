#include "core/store/rings.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>

namespace sightline::core::store {

std::uint64_t nextRingRevision()
{
    static std::atomic<std::uint64_t> last { 0 };
    return ++last;
}

// ---- IndexRing ---------------------------------------------------------------------------

IndexRing::IndexRing(std::size_t capacity)
    : m_stamps(std::max<std::size_t>(capacity, 1))
    , m_revision(nextRingRevision())
{
}

IndexRing::Appended IndexRing::append(std::span<const std::int64_t> stamps, Resend resend)
{
    Appended result;
    if (m_size > 0 && !stamps.empty() && stamps.front() <= newestStamp()) {
        result = arriveBehind(stamps, resend);
        if (result.skipped > 0 && result.skipped < stamps.size()
            && stamps[result.skipped] <= newestStamp()) {
            result.first = endPosition();
            return result; // behind again after the resent ones: the next call sees to it
        }
    }
    const std::size_t capacity = m_stamps.size();
    for (std::size_t i = result.skipped; i < stamps.size(); ++i) {
        if (i > result.skipped && stamps[i] <= stamps[i - 1])
            break; // not increasing: the next call sees to the rest
        if (m_size == capacity) { // evict the oldest
            if (++m_headSlotBase == capacity)
                m_headSlotBase = 0;
            ++m_first;
            --m_size;
            if (!m_gaps.empty() && m_gaps.front() < m_first)
                m_gaps.erase(m_gaps.begin());
        }
        const Position position = endPosition();
        m_stamps[slot(position)] = stamps[i];
        ++m_size;
        if (m_pendingGap) {
            m_gaps.push_back(position);
            m_pendingGap = false;
        }
        ++result.kept;
    }
    // A full ring moved its first position; positions of this append are still contiguous.
    result.first = endPosition() - result.kept;
    return result;
}

IndexRing::Appended IndexRing::arriveBehind(std::span<const std::int64_t> stamps, Resend resend)
{
    Appended result;
    if (resend == Resend::Skip)
        result.skipped = resent(stamps).count;
    if (result.skipped == 0) // time went back: what is held from the first stamp on goes
        result.discarded = discardFrom(lowerBound(stamps.front()));
    return result;
}

std::size_t IndexRing::discardFrom(Position position)
{
    const auto discarded = static_cast<std::size_t>(endPosition() - position);
    m_size -= discarded;
    m_gaps.erase(std::lower_bound(m_gaps.begin(), m_gaps.end(), position), m_gaps.end());
    m_pendingGap = m_size > 0; // no line across the jump
    if (discarded > 0)
        m_revision = nextRingRevision();
    return discarded;
}

IndexRing::Resent IndexRing::resent(std::span<const std::int64_t> stamps) const
{
    if (m_size == 0 || stamps.empty() || stamps.front() > newestStamp())
        return {};
    const Position at = find(stamps.front());
    std::size_t count = 0;
    while (
        count < stamps.size() && at + count < endPosition() && stamps[count] == stampAt(at + count))
        ++count;
    return { at, count };
}

std::size_t IndexRing::prepend(std::span<const std::int64_t> stamps)
{
    const std::size_t capacity = m_stamps.size();
    std::size_t taken = 0;
    for (std::size_t n = stamps.size(); n-- > 0 && m_size < capacity;) {
        if (m_size > 0 && stamps[n] >= stampAt(m_first))
            continue;
        m_headSlotBase = (m_headSlotBase + capacity - 1) % capacity;
        --m_first;
        ++m_size;
        m_stamps[slot(m_first)] = stamps[n];
        ++taken;
    }
    if (taken > 0)
        m_revision = nextRingRevision();
    return taken;
}

Position IndexRing::lowerBound(std::int64_t stamp) const
{
    return lowerBoundBetween(m_first, endPosition(), stamp);
}

Position IndexRing::lowerBoundBetween(Position low, Position high, std::int64_t stamp) const
{
    while (low < high) {
        const Position mid = low + (high - low) / 2;
        if (stampAt(mid) < stamp)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

Position IndexRing::lowerBoundFrom(Position from, std::int64_t stamp) const
{
    const Position end = endPosition();
    if (from >= end || stampAt(from) >= stamp)
        return std::min(from, end);
    // stampAt(low) < stamp throughout; high is past the answer.
    Position low = from;
    Position step = 1;
    Position high = from + step;
    while (high < end && stampAt(high) < stamp) {
        low = high;
        step *= 2;
        high = low + step;
    }
    return lowerBoundBetween(low + 1, std::min(high, end), stamp);
}

Position IndexRing::lowerBoundNear(Position from, Position guess, std::int64_t stamp) const
{
    const Position end = endPosition();
    guess = std::clamp(guess, from, end);
    if (guess < end && stampAt(guess) < stamp)
        return lowerBoundFrom(guess, stamp); // after the guess
    // The answer is at or before the guess: gallop down until a stamp is before `stamp`.
    Position high = guess;
    Position low = from;
    for (Position step = 1; high - from > step; step *= 2) {
        const Position probe = high - step;
        if (stampAt(probe) < stamp) {
            low = probe + 1;
            break;
        }
        high = probe;
    }
    return lowerBoundBetween(low, high, stamp);
}

Position IndexRing::lowerBoundAfter(Position at, std::int64_t stamp, double period) const
{
    const Position from = at + 1;
    if (period <= 0 || stamp == std::numeric_limits<std::int64_t>::max())
        return lowerBoundFrom(from, stamp);
    const double ahead = std::ceil(static_cast<double>(stamp - stampAt(at)) / period);
    return lowerBoundNear(from, at + static_cast<Position>(std::clamp(ahead, 1.0, 4e18)), stamp);
}

Position IndexRing::find(std::int64_t stamp) const
{
    const Position at = lowerBound(stamp);
    return at < endPosition() && stampAt(at) == stamp ? at : endPosition();
}

bool IndexRing::gapBefore(Position position) const
{
    return std::binary_search(m_gaps.begin(), m_gaps.end(), position);
}

bool IndexRing::gapWithin(Position from, Position to) const
{
    const auto it = std::upper_bound(m_gaps.begin(), m_gaps.end(), from);
    return it != m_gaps.end() && *it <= to;
}

Position IndexRing::nextGap(Position from) const
{
    const auto it = std::upper_bound(m_gaps.begin(), m_gaps.end(), from);
    return it == m_gaps.end() ? endPosition() : *it;
}

void IndexRing::reserve(std::size_t capacity)
{
    if (capacity <= m_stamps.size())
        return;
    std::vector<std::int64_t> grown(capacity);
    for (std::size_t i = 0; i < m_size; ++i)
        grown[i] = stampAt(m_first + i);
    m_stamps = std::move(grown);
    m_headSlotBase = 0;
}

std::size_t IndexRing::memoryBytes() const
{
    return m_stamps.size() * sizeof(std::int64_t) + m_gaps.capacity() * sizeof(Position);
}

// ---- ValueRing ---------------------------------------------------------------------------

ValueRing::ValueRing(DataType type, std::size_t capacity)
    : m_type(type)
    , m_density(static_cast<std::size_t>(std::max(1, type.density())))
    , m_capacity(std::max<std::size_t>(capacity, 1))
    , m_bytes(m_capacity * m_density)
    , m_revision(nextRingRevision())
{
}

void ValueRing::store(std::size_t slotIndex, const Series& series, std::size_t index)
{
    std::memcpy(m_bytes.data() + slotIndex * m_density,
        series.bytes().data() + index * m_density,
        m_density);
}

void ValueRing::append(Position at, const Series& series, std::size_t from, std::size_t count)
{
    if (series.dataType() != m_type)
        return;
    if (m_size > 0 && at != endPosition())
        resetAt(at); // not a continuation: start over here
    if (m_size == 0)
        m_first = at;
    for (std::size_t i = 0; i < count; ++i) {
        if (m_size == m_capacity) {
            if (++m_headSlotBase == m_capacity)
                m_headSlotBase = 0;
            ++m_first;
            --m_size;
        }
        store(slot(endPosition()), series, from + i);
        ++m_size;
    }
}

bool ValueRing::prependOne(const Series& series, std::size_t index)
{
    if (m_size == m_capacity || series.dataType() != m_type)
        return false;
    m_headSlotBase = (m_headSlotBase + m_capacity - 1) % m_capacity;
    --m_first;
    ++m_size;
    store(slot(m_first), series, index);
    m_revision = nextRingRevision();
    return true;
}

void ValueRing::trimBefore(Position position)
{
    if (position <= m_first)
        return;
    const std::size_t drop
        = static_cast<std::size_t>(std::min<Position>(position - m_first, m_size));
    m_headSlotBase = (m_headSlotBase + drop) % m_capacity;
    m_first += drop;
    m_size -= drop;
    if (m_size == 0)
        m_first = position;
}

void ValueRing::trimFrom(Position position)
{
    if (position >= endPosition())
        return;
    m_size = position > m_first ? static_cast<std::size_t>(position - m_first) : 0;
    m_revision = nextRingRevision();
}

void ValueRing::resetAt(Position position)
{
    m_first = position;
    m_size = 0;
    m_headSlotBase = 0;
    m_revision = nextRingRevision();
}

void ValueRing::reserve(std::size_t capacity)
{
    if (capacity <= m_capacity)
        return;
    std::vector<std::byte> grown(capacity * m_density);
    for (std::size_t i = 0; i < m_size; ++i)
        std::memcpy(grown.data() + i * m_density,
            m_bytes.data() + slot(m_first + i) * m_density,
            m_density);
    m_bytes = std::move(grown);
    m_capacity = capacity;
    m_headSlotBase = 0;
}

double ValueRing::valueAt(Position position) const
{
    const std::byte* p = m_bytes.data() + slot(position) * m_density;
    double value = std::numeric_limits<double>::quiet_NaN();
    visitNumeric(m_type, [&]<typename T>(T) {
        T sample;
        std::memcpy(&sample, p, sizeof(T));
        value = static_cast<double>(sample);
    });
    return value;
}

bool ValueRing::holdsSame(
    Position at, const Series& series, std::size_t from, std::size_t count) const
{
    if (series.dataType() != m_type)
        return true; // never appended, so nothing to differ from
    const Position low = std::max(at, m_first);
    const Position high = std::min<Position>(at + count, endPosition());
    for (Position p = low; p < high; ++p) {
        const std::byte* held = m_bytes.data() + slot(p) * m_density;
        const std::byte* given
            = series.bytes().data() + (from + static_cast<std::size_t>(p - at)) * m_density;
        if (std::memcmp(held, given, m_density) != 0)
            return false;
    }
    return true;
}

} // namespace sightline::core::store
