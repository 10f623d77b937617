#include "core/decimate/m4.h"

namespace sightline::core::decimate {

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
