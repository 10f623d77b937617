#include "core/telem/time_axis.h"

#include <cmath>
#include <limits>

namespace sightline::core {

namespace {

    constexpr std::int64_t NsPerSecond = 1'000'000'000;
    constexpr double TwoPow63 = 9223372036854775808.0;

    /// Nanoseconds as a whole number of them, rounded as asked and saturated (NaN gives 0).
    std::int64_t wholeNanoseconds(double scaled, TimeAxis::Rounding rounding)
    {
        const double ns = rounding == TimeAxis::Rounding::Down ? std::floor(scaled)
            : rounding == TimeAxis::Rounding::Up               ? std::ceil(scaled)
                                                               : std::round(scaled);
        if (std::isnan(ns))
            return 0;
        if (ns >= TwoPow63)
            return std::numeric_limits<std::int64_t>::max();
        if (ns < -TwoPow63)
            return std::numeric_limits<std::int64_t>::min();
        return static_cast<std::int64_t>(ns);
    }

} // namespace

TimeAxis::TimeAxis(TimeRange shown, double width)
    : m_origin(shown.start)
    , m_shown(shown)
    , m_width(width)
{
}

double TimeAxis::keyOf(TimeStamp t) const
{
    const std::int64_t ns = t.nanoseconds();
    const std::int64_t origin = m_origin.nanoseconds();
    // As the decimation writes keys (so a key computed here equals a drawn point's) ...
    std::int64_t difference = 0;
    if (!__builtin_sub_overflow(ns, origin, &difference))
        return static_cast<double>(difference) / 1e9;
    // ... or, where the difference overflows, whole seconds and the rest apart.
    const std::int64_t seconds = ns / NsPerSecond - origin / NsPerSecond;
    const std::int64_t rest = ns % NsPerSecond - origin % NsPerSecond;
    return static_cast<double>(seconds) + static_cast<double>(rest) / 1e9;
}

TimeStamp TimeAxis::timeOf(double key, Rounding rounding) const
{
    return m_origin + TimeSpan(wholeNanoseconds(key * 1e9, rounding));
}

double TimeAxis::pixelOf(TimeStamp t) const
{
    const std::int64_t span = m_shown.span().nanoseconds();
    if (span <= 0 || m_width <= 0)
        return 0;
    return static_cast<double>((t - m_shown.start).nanoseconds()) / static_cast<double>(span)
        * m_width;
}

TimeStamp TimeAxis::timeAtPixel(double x) const
{
    if (m_width <= 0)
        return m_origin;
    const double span = static_cast<double>(m_shown.span().nanoseconds());
    return m_shown.start + TimeSpan(wholeNanoseconds(x / m_width * span, Rounding::Nearest));
}

} // namespace sightline::core
