#include "ui/plot/time_ticker.h"

#include "core/telem/time.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sightline::ui {

namespace {

    using core::TimeSpan;
    using core::TimeStamp;

    constexpr std::int64_t NsPerSecond = TimeSpan::seconds(1).nanoseconds();
    constexpr std::int64_t NsPerMinute = TimeSpan::minutes(1).nanoseconds();
    constexpr std::int64_t NsPerHour = TimeSpan::hours(1).nanoseconds();
    constexpr std::int64_t NsPerDay = 24 * NsPerHour;
    constexpr std::int64_t NsPerWeek = 7 * NsPerDay;
    constexpr std::int64_t MaxNs = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t MinNs = std::numeric_limits<std::int64_t>::min();

    /// Decimal steps (1/2/5 × 10^k of `unit`) split into 5, 4 and 5; 0 if `value` is not one.
    int decimalDivisions(std::int64_t value)
    {
        while (value >= 10 && value % 10 == 0)
            value /= 10;
        return value == 1 || value == 5 ? 5 : value == 2 ? 4 : 0;
    }

    /// How many intervals sub ticks split a step into (0 or 1: no sub ticks).
    int subTickDivisions(std::int64_t stepNs)
    {
        struct Split
        {
            std::int64_t stepNs;
            int divisions;
        };
        static constexpr Split Clock[] = {
            { 15 * NsPerSecond, 3 },
            { 30 * NsPerSecond, 3 },
            { NsPerMinute, 4 },
            { 2 * NsPerMinute, 4 },
            { 5 * NsPerMinute, 5 },
            { 10 * NsPerMinute, 5 },
            { 15 * NsPerMinute, 3 },
            { 30 * NsPerMinute, 3 },
            { NsPerHour, 4 },
            { 2 * NsPerHour, 4 },
            { 3 * NsPerHour, 3 },
            { 6 * NsPerHour, 6 },
            { 12 * NsPerHour, 4 },
            { NsPerDay, 4 },
            { 2 * NsPerDay, 2 },
            { NsPerWeek, 7 },
        };
        for (const Split& split : Clock) {
            if (split.stepNs == stepNs)
                return split.divisions;
        }
        if (stepNs > 0 && stepNs <= 10 * NsPerSecond)
            return decimalDivisions(stepNs);
        if (stepNs > NsPerWeek && stepNs % NsPerWeek == 0)
            return decimalDivisions(stepNs / NsPerWeek);
        return 0;
    }

} // namespace

TimeTicker::TimeTicker(core::TimeAxis axis, QTimeZone zone)
    : m_axis(axis)
    , m_zone(std::move(zone))
{
    setTickCount(6);
}

QString TimeTicker::label(double key, int fractionDigits) const
{
    const std::int64_t ns = m_axis.timeOf(key).nanoseconds();
    ClockTicks format;
    format.fractionDigits = std::clamp(fractionDigits, 0, 9);
    format.stepNs = 1;
    for (int i = format.fractionDigits; i < 9; ++i)
        format.stepNs *= 10;
    return clockLabel(ns, format, m_zone);
}

QVector<double> TimeTicker::createTickVector(double, const QCPRange& range)
{
    m_last = {};
    m_keys.clear();
    if (!std::isfinite(range.lower) || !std::isfinite(range.upper))
        return m_keys;
    // The range's ends round inwards.
    const std::int64_t startNs
        = m_axis.timeOf(range.lower, core::TimeAxis::Rounding::Up).nanoseconds();
    const std::int64_t endNs
        = m_axis.timeOf(range.upper, core::TimeAxis::Rounding::Down).nanoseconds();
    m_last = clockTicks(startNs, endNs, tickCount() + 2, m_zone);
    m_keys.reserve(static_cast<qsizetype>(m_last.ticksNs.size()));
    for (const std::int64_t ns : m_last.ticksNs)
        m_keys.push_back(keyOf(ns));
    return m_keys;
}

QVector<double> TimeTicker::createSubTickVector(int, const QVector<double>&)
{
    QVector<double> subTicks;
    const std::vector<std::int64_t>& ticks = m_last.ticksNs;
    const std::int64_t step = m_last.stepNs;
    const int divisions = subTickDivisions(step);
    if (ticks.empty() || divisions < 2)
        return subTicks;
    const auto addBetween = [&](std::int64_t from, std::int64_t to) {
        const std::int64_t interval = to - from;
        const double toKey = keyOf(to);
        double previous = keyOf(from);
        for (int i = 1; i < divisions; ++i) {
            const double key
                = keyOf(from + interval / divisions * i + interval % divisions * i / divisions);
            // Far from the origin keys get coarse: drop sub ticks they cannot tell apart.
            if (key > previous && key < toKey)
                subTicks.push_back(key);
            previous = std::max(previous, key);
        }
    };
    // One step beyond each end as well; QCPAxisTicker::generate trims to the range.
    if (ticks.front() >= MinNs + step)
        addBetween(ticks.front() - step, ticks.front());
    for (std::size_t i = 1; i < ticks.size(); ++i)
        addBetween(ticks[i - 1], ticks[i]);
    if (ticks.back() <= MaxNs - step)
        addBetween(ticks.back(), ticks.back() + step);
    return subTicks;
}

QString TimeTicker::getTickLabel(double tick, const QLocale&, QChar, int)
{
    if (m_keys.isEmpty())
        return label(tick, m_last.fractionDigits);
    // The nearest remembered tick, so the label comes from its exact nanoseconds.
    auto index = std::lower_bound(m_keys.cbegin(), m_keys.cend(), tick) - m_keys.cbegin();
    if (index == m_keys.size() || (index > 0 && tick - m_keys[index - 1] < m_keys[index] - tick))
        --index;
    return clockLabel(m_last.ticksNs[static_cast<std::size_t>(index)], m_last, m_zone);
}

} // namespace sightline::ui
