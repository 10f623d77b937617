#pragma once

#include "core/telem/time.h"

#include <cstdint>

namespace sightline::core {

/// How a time axis maps instants to what is drawn: to keys, the doubles a plot draws (seconds
/// from an origin instant, so that near the view a double still tells nanoseconds apart,
/// which seconds since 1970 cannot), and, across a given width, to pixels. Live plots, history
/// plots, their tickers and the history timeline all map time through it.
class TimeAxis
{
public:
    /// How an instant between two whole nanoseconds is taken.
    enum class Rounding {
        Down,
        Nearest,
        Up,
    };

    constexpr TimeAxis() = default;
    /// Keys measured from `origin` (no pixels).
    constexpr explicit TimeAxis(TimeStamp origin)
        : m_origin(origin)
    {
    }
    /// Keys from `shown.start`, and `shown` laid across `width` pixels from 0 (left) on.
    TimeAxis(TimeRange shown, double width);

    /// The instant key 0 stands for.
    [[nodiscard]] constexpr TimeStamp origin() const { return m_origin; }
    /// The instants laid across the pixels, and over how many (0: none).
    [[nodiscard]] constexpr TimeRange shown() const { return m_shown; }
    [[nodiscard]] constexpr double width() const { return m_width; }

    /// Seconds from the origin (exact as a double allows at any distance: no overflow).
    [[nodiscard]] double keyOf(TimeStamp t) const;
    /// The instant `key` stands for, at a whole nanosecond rounded as asked, saturated at the
    /// int64 limits (NaN gives the origin).
    [[nodiscard]] TimeStamp timeOf(double key, Rounding rounding = Rounding::Nearest) const;

    /// The pixel (from the left, fractional) where `t` lies; 0 when nothing is shown.
    [[nodiscard]] double pixelOf(TimeStamp t) const;
    /// The instant at pixel `x` (nearest nanosecond); the origin when nothing is shown.
    [[nodiscard]] TimeStamp timeAtPixel(double x) const;

    friend constexpr bool operator==(const TimeAxis&, const TimeAxis&) = default;

private:
    TimeStamp m_origin;
    TimeRange m_shown;
    double m_width = 0;
};

} // namespace sightline::core
