#pragma once

#include "core/telem/time.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sightline::core::store {

/// The min/max envelope of a channel over a time range in equal buckets: a true envelope of
/// every sample added, however many (the timeline's overview). Buckets nothing was added to
/// have min > max. NaN values are skipped.
class Overview
{
public:
    Overview() = default;
    Overview(TimeRange range, int buckets);

    /// Folds samples in: stamps ascending, paired with values; those outside the range are
    /// skipped.
    void add(std::span<const std::int64_t> stamps, std::span<const double> values);
    /// Folds another envelope over the same range and buckets in.
    void merge(const Overview& other);
    /// This envelope on the buckets of a wider `range` (as many of them): each bucket is
    /// folded into every new bucket it overlaps, so the result is still an envelope.
    [[nodiscard]] Overview rebucketed(TimeRange range) const;

    [[nodiscard]] TimeRange range() const { return m_range; }
    [[nodiscard]] int buckets() const { return static_cast<int>(m_min.size()); }
    [[nodiscard]] bool isEmpty(int bucket) const
    {
        return m_min[std::size_t(bucket)] > m_max[std::size_t(bucket)];
    }
    [[nodiscard]] double min(int bucket) const { return m_min[std::size_t(bucket)]; }
    [[nodiscard]] double max(int bucket) const { return m_max[std::size_t(bucket)]; }
    /// Where bucket `bucket` starts.
    [[nodiscard]] TimeStamp startOf(int bucket) const;
    /// The bucket holding `stamp` (which must lie in the range).
    [[nodiscard]] int bucketOf(std::int64_t stamp) const;

private:
    TimeRange m_range;
    std::vector<double> m_min;
    std::vector<double> m_max;
};

} // namespace sightline::core::store
