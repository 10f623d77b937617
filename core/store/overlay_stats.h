#pragma once

#include "core/store/run_overlay.h"

#include <cstddef>
#include <optional>

namespace sightline::core::store {

/// A trace's value at `second` as a plot's readout shows it: the last sample at or before it
/// (sample and hold); nullopt before the first sample or past the trace's last one by more
/// than a step.
[[nodiscard]] std::optional<double> valueAt(const OverlayTrace& trace, double second);

/// What a trace does between two cursors of the overlay (seconds from time zero).
struct CursorStats
{
    std::optional<double> atA;
    std::optional<double> atB;
    /// Over the samples in [min(a, b), max(a, b)]; count 0 when there are none.
    double min = 0;
    double max = 0;
    double mean = 0;
    std::size_t count = 0;
};

[[nodiscard]] CursorStats cursorStats(const OverlayTrace& trace, double a, double b);

} // namespace sightline::core::store
