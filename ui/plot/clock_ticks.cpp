#include "ui/plot/clock_ticks.h"

#include "core/telem/time.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    using core::TimeSpan;

    constexpr std::int64_t NsPerMs = TimeSpan::milliseconds(1).nanoseconds();
    constexpr std::int64_t NsPerSecond = TimeSpan::seconds(1).nanoseconds();
    constexpr std::int64_t NsPerMinute = TimeSpan::minutes(1).nanoseconds();
    constexpr std::int64_t NsPerHour = TimeSpan::hours(1).nanoseconds();
    constexpr std::int64_t NsPerDay = 24 * NsPerHour;
    constexpr std::int64_t NsPerWeek = 7 * NsPerDay;
    constexpr int MaxTickLimit = 10'000;

    /// A stretch of the window [firstNs, lastNs] over which the zone's UTC offset is constant.
    struct Segment
    {
        std::int64_t firstNs;
        std::int64_t lastNs;
        std::int64_t offsetNs;
    };

    std::int64_t floorDiv(std::int64_t a, std::int64_t b) // b > 0
    {
        const std::int64_t q = a / b;
        return a % b < 0 ? q - 1 : q;
    }

    std::int64_t floorMod(std::int64_t a, std::int64_t b) // b > 0
    {
        const std::int64_t r = a % b;
        return r < 0 ? r + b : r;
    }

    /// The phase of local time (ns + offsetNs) within stepNs, without forming the overflowing sum.
    std::int64_t localPhase(std::int64_t ns, std::int64_t offsetNs, std::int64_t stepNs)
    {
        const std::int64_t a = floorMod(ns, stepNs);
        const std::int64_t b = floorMod(offsetNs, stepNs);
        return a >= stepNs - b ? a - (stepNs - b) : a + b;
    }

    std::vector<std::int64_t> makeSteps()
    {
        std::vector<std::int64_t> steps;
        for (std::int64_t decade = 1; decade < NsPerSecond; decade *= 10) {
            for (const std::int64_t m : { 1, 2, 5 })
                steps.push_back(m * decade);
        }
        for (const std::int64_t n : { 1, 2, 5, 10, 15, 30 })
            steps.push_back(n * NsPerSecond);
        for (const std::int64_t n : { 1, 2, 5, 10, 15, 30 })
            steps.push_back(n * NsPerMinute);
        for (const std::int64_t n : { 1, 2, 3, 6, 12 })
            steps.push_back(n * NsPerHour);
        steps.push_back(NsPerDay);
        steps.push_back(2 * NsPerDay);
        constexpr std::int64_t MaxWeeks = std::numeric_limits<std::int64_t>::max() / NsPerWeek;
        for (std::int64_t decade = 1; decade <= MaxWeeks; decade *= 10) {
            for (const std::int64_t m : { 1, 2, 5 }) {
                if (decade <= MaxWeeks / m)
                    steps.push_back(m * decade * NsPerWeek);
            }
            if (decade > MaxWeeks / 10)
                break;
        }
        return steps;
    }

    const std::vector<std::int64_t>& allowedSteps()
    {
        static const std::vector<std::int64_t> steps = makeSteps();
        return steps;
    }

    QDateTime utcAt(std::int64_t ns)
    {
        return QDateTime::fromMSecsSinceEpoch(floorDiv(ns, NsPerMs), QTimeZone::utc());
    }

    /// Splits [startNs, endNs] where the zone's offset changes.
    std::vector<Segment> segmentsOf(std::int64_t startNs, std::int64_t endNs, const QTimeZone& zone)
    {
        const std::int64_t offsetNs
            = std::int64_t { zone.offsetFromUtc(utcAt(startNs)) } * NsPerSecond;
        std::vector<Segment> segments { { startNs, endNs, offsetNs } };
        if (!zone.hasTransitions())
            return segments;
        const std::int64_t firstMs = floorDiv(startNs, NsPerMs);
        const std::int64_t lastMs = floorDiv(endNs, NsPerMs);
        for (const auto& transition : zone.transitions(utcAt(startNs), utcAt(endNs))) {
            const std::int64_t ms = transition.atUtc.toMSecsSinceEpoch();
            const std::int64_t newOffsetNs
                = std::int64_t { transition.offsetFromUtc } * NsPerSecond;
            Segment& last = segments.back();
            // ms in (firstMs, lastMs] keeps ms * 1e6 in (startNs, endNs], so it cannot overflow.
            if (ms <= firstMs || ms > lastMs || ms * NsPerMs <= last.firstNs
                || newOffsetNs == last.offsetNs)
                continue;
            last.lastNs = ms * NsPerMs - 1;
            segments.push_back({ ms * NsPerMs, endNs, newOffsetNs });
        }
        return segments;
    }

    /// Appends the instants of `segment` on the step; false (and stops) if `out` would pass `cap`.
    bool appendTicks(const Segment& segment,
        std::int64_t stepNs,
        std::size_t cap,
        std::vector<std::int64_t>& out)
    {
        const std::int64_t phase = localPhase(segment.firstNs, segment.offsetNs, stepNs);
        const auto delta = static_cast<std::uint64_t>(phase == 0 ? 0 : stepNs - phase);
        const auto span = static_cast<std::uint64_t>(segment.lastNs)
            - static_cast<std::uint64_t>(segment.firstNs);
        if (delta > span)
            return true;
        const std::uint64_t more = (span - delta) / static_cast<std::uint64_t>(stepNs);
        if (out.size() >= cap || more >= cap - out.size())
            return false;
        std::int64_t tick = segment.firstNs + static_cast<std::int64_t>(delta);
        out.push_back(tick);
        for (std::uint64_t i = 0; i < more; ++i) {
            tick += stepNs;
            out.push_back(tick);
        }
        return true;
    }

    /// For day steps: whether a forward jump into `after` skipped a local tick time (e.g. a DST
    /// change at midnight), so the first instant of `after` should stand in for it.
    bool skippedTick(const Segment& before, const Segment& after, std::int64_t stepNs)
    {
        if (stepNs < NsPerDay || after.offsetNs <= before.offsetNs)
            return false;
        const std::int64_t phase = localPhase(after.firstNs, after.offsetNs, stepNs);
        return phase != 0 && phase <= after.offsetNs - before.offsetNs;
    }

    /// All ticks at `stepNs` into `out`; false if there are more than `cap`.
    bool collectTicks(const std::vector<Segment>& segments,
        std::int64_t stepNs,
        std::size_t cap,
        std::vector<std::int64_t>& out)
    {
        out.clear();
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (i > 0 && skippedTick(segments[i - 1], segments[i], stepNs)) {
                if (out.size() >= cap)
                    return false;
                out.push_back(segments[i].firstNs);
            }
            if (!appendTicks(segments[i], stepNs, cap, out))
                return false;
        }
        return true;
    }

    int fractionDigitsFor(std::int64_t stepNs)
    {
        if (stepNs <= 0 || stepNs >= NsPerSecond)
            return 0;
        int digits = 9;
        for (std::int64_t s = stepNs; s % 10 == 0; s /= 10)
            --digits;
        return digits;
    }

} // namespace

ClockTicks clockTicks(std::int64_t startNs, std::int64_t endNs, int maxTicks, const QTimeZone& zone)
{
    ClockTicks result;
    if (startNs > endNs)
        return result;
    const auto cap = static_cast<std::size_t>(std::clamp(maxTicks, 2, MaxTickLimit));
    const std::vector<Segment> segments = segmentsOf(startNs, endNs, zone);
    const std::vector<std::int64_t>& steps = allowedSteps();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        // Only a window of centuries with a tiny cap can outgrow the largest step: take it anyway.
        const bool largest = i + 1 == steps.size();
        result.stepNs = steps[i];
        if (collectTicks(segments,
                steps[i],
                largest ? std::numeric_limits<std::size_t>::max() : cap,
                result.ticksNs))
            break;
    }
    result.fractionDigits = fractionDigitsFor(result.stepNs);
    return result;
}

QString clockLabel(std::int64_t ns, const ClockTicks& ticks, const QTimeZone& zone)
{
    const QDateTime time = QDateTime::fromSecsSinceEpoch(floorDiv(ns, NsPerSecond), zone);
    if (ticks.stepNs >= NsPerDay)
        return time.toString(u"yyyy-MM-dd"_s);
    if (ticks.stepNs >= NsPerMinute)
        return time.toString(u"HH:mm"_s);
    QString text = time.toString(u"HH:mm:ss"_s);
    const int digits = std::clamp(ticks.fractionDigits, 0, 9);
    if (digits > 0) {
        std::int64_t fraction = floorMod(ns, NsPerSecond);
        for (int i = digits; i < 9; ++i)
            fraction /= 10;
        text += u'.' + u"%1"_s.arg(fraction, digits, 10, QChar(u'0'));
    }
    return text;
}

} // namespace sightline::ui
