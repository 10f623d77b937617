#pragma once

// The smallest SampleSource for decimate::decimateM4 (the reference M4): parallel vectors,
// searched with std::lower_bound. Tests build one from the same samples as the code under test.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace sightline::test {

struct VectorSource
{
    std::vector<std::int64_t> stamps;
    std::vector<double> values;
    /// Empty, or one flag per sample: a gap was marked just before it.
    std::vector<std::uint8_t> gaps;

    [[nodiscard]] std::size_t size() const { return stamps.size(); }
    [[nodiscard]] std::int64_t stampAt(std::size_t i) const { return stamps[i]; }
    [[nodiscard]] double valueAt(std::size_t i) const { return values[i]; }
    [[nodiscard]] bool gapBefore(std::size_t i) const { return !gaps.empty() && gaps[i] != 0; }
    [[nodiscard]] std::size_t lowerBound(std::int64_t stamp) const
    {
        return std::size_t(std::lower_bound(stamps.begin(), stamps.end(), stamp) - stamps.begin());
    }

    void add(std::int64_t stamp, double value)
    {
        stamps.push_back(stamp);
        values.push_back(value);
    }
};

/// What a plot asks M4 for: [start, end) over `columns` pixels, keys in s from `origin`, lines
/// broken where samples are more than `gapAfter` ns apart.
struct View
{
    std::int64_t start = 0;
    std::int64_t end = 0;
    int columns = 0;
    std::int64_t origin = 0;
    std::int64_t gapAfter = std::numeric_limits<std::int64_t>::max();
};

} // namespace sightline::test
