#include "core/store/overview.h"

#include <algorithm>
#include <limits>

namespace sightline::core::store {

namespace {
    __extension__ using Wide = __int128; ///< bucket arithmetic without overflow
} // namespace

Overview::Overview(TimeRange range, int buckets)
    : m_range(range)
    , m_min(std::size_t(std::max(buckets, 1)), std::numeric_limits<double>::infinity())
    , m_max(std::size_t(std::max(buckets, 1)), -std::numeric_limits<double>::infinity())
{
}

int Overview::bucketOf(std::int64_t stamp) const
{
    const auto span = static_cast<Wide>(std::max<std::int64_t>(1, m_range.span().nanoseconds()));
    const auto offset = static_cast<Wide>(stamp - m_range.start.nanoseconds());
    const auto bucket = static_cast<std::int64_t>(offset * static_cast<Wide>(m_min.size()) / span);
    return static_cast<int>(std::clamp<std::int64_t>(bucket, 0, std::int64_t(m_min.size()) - 1));
}

TimeStamp Overview::startOf(int bucket) const
{
    // The first stamp bucketOf puts in `bucket`: ceil(span × bucket / buckets) from the start.
    const auto span = static_cast<Wide>(m_range.span().nanoseconds());
    const auto count = static_cast<Wide>(m_min.size());
    return m_range.start + TimeSpan(static_cast<std::int64_t>((span * bucket + count - 1) / count));
}

void Overview::add(std::span<const std::int64_t> stamps, std::span<const double> values)
{
    const std::size_t count = std::min(stamps.size(), values.size());
    const std::int64_t start = m_range.start.nanoseconds();
    const std::int64_t end = m_range.end.nanoseconds();
    std::size_t i = 0;
    while (i < count) {
        if (stamps[i] < start || stamps[i] >= end) {
            ++i;
            continue;
        }
        // A run of samples in one bucket: stamps ascend, so it ends at the bucket's end.
        const int bucket = bucketOf(stamps[i]);
        const std::int64_t bucketEnd
            = bucket + 1 < buckets() ? startOf(bucket + 1).nanoseconds() : end;
        double low = m_min[std::size_t(bucket)];
        double high = m_max[std::size_t(bucket)];
        for (; i < count && stamps[i] < bucketEnd; ++i) { // stamps[i] >= start: they ascend
            const double v = values[i];
            low = v < low ? v : low; // NaN compares false: skipped
            high = v > high ? v : high;
        }
        m_min[std::size_t(bucket)] = low;
        m_max[std::size_t(bucket)] = high;
    }
}

Overview Overview::rebucketed(TimeRange range) const
{
    Overview wider(range, buckets());
    for (int b = 0; b < buckets(); ++b) {
        if (isEmpty(b))
            continue;
        const std::int64_t first = startOf(b).nanoseconds();
        const std::int64_t last
            = (b + 1 < buckets() ? startOf(b + 1) : m_range.end).nanoseconds() - 1;
        if (last < range.start.nanoseconds() || first >= range.end.nanoseconds())
            continue;
        const int from = wider.bucketOf(std::max(first, range.start.nanoseconds()));
        const int to = wider.bucketOf(std::min(last, range.end.nanoseconds() - 1));
        for (int w = from; w <= to; ++w) {
            wider.m_min[std::size_t(w)]
                = std::min(wider.m_min[std::size_t(w)], m_min[std::size_t(b)]);
            wider.m_max[std::size_t(w)]
                = std::max(wider.m_max[std::size_t(w)], m_max[std::size_t(b)]);
        }
    }
    return wider;
}

void Overview::merge(const Overview& other)
{
    if (other.m_range != m_range || other.m_min.size() != m_min.size())
        return;
    for (std::size_t b = 0; b < m_min.size(); ++b) {
        m_min[b] = std::min(m_min[b], other.m_min[b]);
        m_max[b] = std::max(m_max[b], other.m_max[b]);
    }
}

} // namespace sightline::core::store
