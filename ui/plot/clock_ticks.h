#pragma once

#include <QString>
#include <QTimeZone>

#include <cstdint>
#include <vector>

namespace sightline::ui {

/// Round clock-time ticks over a window: the step, the fraction digits its labels need, and the
/// exact tick instants (ns since the Unix epoch, strictly ascending).
struct ClockTicks
{
    std::int64_t stepNs = 0;
    int fractionDigits = 0;
    std::vector<std::int64_t> ticksNs;
};

/// The instants in [startNs, endNs] whose wall-clock time in `zone` is a multiple of the smallest
/// round step (1/2/5 × 10^k ns up to 500 ms; 1, 2, 5, 10, 15, 30 s and min; 1, 2, 3, 6, 12 h; 1, 2
/// days; 1/2/5 × 10^k weeks) that gives at most `maxTicks` ticks (clamped to 2…10000). Empty if
/// startNs > endNs. Pure; safe from any thread.
[[nodiscard]] ClockTicks clockTicks(
    std::int64_t startNs, std::int64_t endNs, int maxTicks, const QTimeZone& zone);

/// The label of instant `ns` in `zone` for ticks at `ticks.stepNs`: "yyyy-MM-dd" for steps of a
/// day or more, "HH:mm" from a minute, else "HH:mm:ss" plus `ticks.fractionDigits` digits.
[[nodiscard]] QString clockLabel(std::int64_t ns, const ClockTicks& ticks, const QTimeZone& zone);

} // namespace sightline::ui
