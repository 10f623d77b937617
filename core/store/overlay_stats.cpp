#include "core/store/overlay_stats.h"

#include <algorithm>
#include <limits>

namespace sightline::core::store {

std::optional<double> valueAt(const OverlayTrace& trace, double second)
{
    const auto& seconds = trace.seconds;
    if (seconds.empty() || second < seconds.front())
        return std::nullopt;
    const auto after = std::upper_bound(seconds.begin(), seconds.end(), second);
    const auto at = std::size_t(after - seconds.begin()) - 1;
    if (after == seconds.end() && seconds.size() >= 2) {
        const double step = seconds[at] - seconds[at - 1];
        if (second - seconds[at] > step)
            return std::nullopt; // past the end of the run
    }
    return trace.values[at];
}

CursorStats cursorStats(const OverlayTrace& trace, double a, double b)
{
    CursorStats stats;
    stats.atA = valueAt(trace, a);
    stats.atB = valueAt(trace, b);
    const double from = std::min(a, b);
    const double to = std::max(a, b);
    const auto first = std::lower_bound(trace.seconds.begin(), trace.seconds.end(), from);
    const auto last = std::upper_bound(first, trace.seconds.end(), to);
    double sum = 0;
    stats.min = std::numeric_limits<double>::infinity();
    stats.max = -std::numeric_limits<double>::infinity();
    for (auto it = first; it != last; ++it) {
        const double value = trace.values[std::size_t(it - trace.seconds.begin())];
        stats.min = std::min(stats.min, value);
        stats.max = std::max(stats.max, value);
        sum += value;
        ++stats.count;
    }
    if (stats.count == 0) {
        stats.min = stats.max = 0;
        return stats;
    }
    stats.mean = sum / double(stats.count);
    return stats;
}

} // namespace sightline::core::store
