#include "core/decimate/m4.h"

#include <bit>

namespace sightline::core::decimate {

namespace {

    bool samePoint(double aKey, double aValue, double bKey, double bValue)
    {
        return std::bit_cast<std::uint64_t>(aKey) == std::bit_cast<std::uint64_t>(bKey)
            && std::bit_cast<std::uint64_t>(aValue) == std::bit_cast<std::uint64_t>(bValue);
    }

} // namespace

std::optional<double> firstDifference(const PlotPoints& before, const PlotPoints& after)
{
    constexpr double Everything = -std::numeric_limits<double>::infinity();
    if (after.keys.isEmpty())
        return before.keys.isEmpty() ? std::nullopt : std::optional<double>(Everything);
    const auto at = std::lower_bound(before.keys.begin(), before.keys.end(), after.keys.front());
    if (at == before.keys.end() || *at != after.keys.front())
        return Everything;
    const qsizetype offset = at - before.keys.begin();
    const qsizetype common = std::min(before.keys.size() - offset, after.keys.size());
    for (qsizetype i = 0; i < common; ++i)
        if (!samePoint(before.keys[offset + i],
                before.values[offset + i],
                after.keys[i],
                after.values[i]))
            return std::min(before.keys[offset + i], after.keys[i]); // one may be gone
    if (after.keys.size() > common)
        return after.keys[common];
    if (before.keys.size() - offset > common)
        return before.keys[offset + common];
    return std::nullopt;
}

std::optional<std::pair<double, double>> valueBounds(const PlotPoints& points)
{
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (const double value : points.values) { // comparisons with NaN are false: skipped
        low = value < low ? value : low;
        high = value > high ? value : high;
    }
    if (low > high)
        return std::nullopt;
    return std::pair { low, high };
}

} // namespace sightline::core::decimate
