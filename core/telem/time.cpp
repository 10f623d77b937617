#include "core/telem/time.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace sightline::core {

namespace {

    constexpr std::int64_t NsPerSecond = 1'000'000'000;
    constexpr std::int64_t NsPerMs = 1'000'000;

    std::int64_t saturatingAdd(std::int64_t a, std::int64_t b)
    {
        std::int64_t out = 0;
        if (__builtin_add_overflow(a, b, &out))
            return b > 0 ? std::numeric_limits<std::int64_t>::max()
                         : std::numeric_limits<std::int64_t>::min();
        return out;
    }

    std::int64_t saturatingSub(std::int64_t a, std::int64_t b)
    {
        std::int64_t out = 0;
        if (__builtin_sub_overflow(a, b, &out))
            return b < 0 ? std::numeric_limits<std::int64_t>::max()
                         : std::numeric_limits<std::int64_t>::min();
        return out;
    }

    std::int64_t saturatingMul(std::int64_t a, std::int64_t b)
    {
        std::int64_t out = 0;
        if (__builtin_mul_overflow(a, b, &out))
            return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min()
                                      : std::numeric_limits<std::int64_t>::max();
        return out;
    }

    /// Floor division and non-negative remainder, so pre-1970 times split correctly.
    std::pair<std::int64_t, std::int64_t> floorDivMod(std::int64_t value, std::int64_t divisor)
    {
        std::int64_t quotient = value / divisor;
        std::int64_t remainder = value % divisor;
        if (remainder < 0) {
            --quotient;
            remainder += divisor;
        }
        return { quotient, remainder };
    }

    QString formatFraction(std::int64_t nanosOfSecond, int digits)
    {
        if (digits <= 0)
            return {};
        QString fraction = u"%1"_s.arg(qlonglong(nanosOfSecond), 9, 10, QChar(u'0'));
        return u"."_s + fraction.left(std::min(digits, 9));
    }

    QString trimmedNumber(double value)
    {
        QString text = QString::number(value, 'f', value < 10 ? 2 : (value < 100 ? 1 : 0));
        if (text.contains(u'.')) {
            while (text.endsWith(u'0'))
                text.chop(1);
            if (text.endsWith(u'.'))
                text.chop(1);
        }
        return text;
    }

} // namespace

TimeSpan TimeSpan::fromSeconds(double seconds)
{
    const double ns = std::round(seconds * 1e9);
    if (std::isnan(ns))
        return TimeSpan {};
    if (ns >= 9.2233720368547758e18)
        return Max;
    if (ns <= -9.2233720368547758e18)
        return TimeSpan { std::numeric_limits<std::int64_t>::min() };
    return TimeSpan { static_cast<std::int64_t>(ns) };
}

QString TimeSpan::toHumanString() const
{
    if (m_ns < 0)
        return u"-"_s + TimeSpan { saturatingSub(0, m_ns) }.toHumanString();
    const std::int64_t ns = m_ns;
    if (ns < 1'000)
        return u"%1 ns"_s.arg(ns);
    if (ns < NsPerMs)
        return trimmedNumber(double(ns) / 1e3) + u" µs"_s;
    if (ns < NsPerSecond)
        return trimmedNumber(double(ns) / 1e6) + u" ms"_s;
    if (ns < 60 * NsPerSecond)
        return trimmedNumber(double(ns) / 1e9) + u" s"_s;
    const std::int64_t totalSeconds = ns / NsPerSecond;
    const std::int64_t days = totalSeconds / 86'400;
    const std::int64_t hours = (totalSeconds / 3'600) % 24;
    const std::int64_t minutes = (totalSeconds / 60) % 60;
    const std::int64_t seconds = totalSeconds % 60;
    QStringList parts;
    if (days > 0)
        parts << u"%1d"_s.arg(days);
    if (hours > 0)
        parts << u"%1h"_s.arg(hours);
    if (minutes > 0)
        parts << u"%1m"_s.arg(minutes);
    if (seconds > 0)
        parts << u"%1s"_s.arg(seconds);
    return parts.join(u' ');
}

TimeSpan operator+(TimeSpan a, TimeSpan b) { return TimeSpan { saturatingAdd(a.m_ns, b.m_ns) }; }
TimeSpan operator-(TimeSpan a, TimeSpan b) { return TimeSpan { saturatingSub(a.m_ns, b.m_ns) }; }
TimeSpan operator*(TimeSpan a, std::int64_t factor)
{
    return TimeSpan { saturatingMul(a.m_ns, factor) };
}

TimeStamp TimeStamp::now()
{
    // QDateTime only has milliseconds; the system clock gives nanoseconds.
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    return TimeStamp { std::chrono::duration_cast<std::chrono::nanoseconds>(since).count() };
}

std::optional<TimeStamp> TimeStamp::fromDateTime(const QDateTime& dateTime)
{
    if (!dateTime.isValid())
        return std::nullopt;
    return TimeStamp { saturatingMul(dateTime.toMSecsSinceEpoch(), NsPerMs) };
}

std::optional<TimeStamp> TimeStamp::fromIsoString(QStringView text)
{
    static const QRegularExpression pattern(
        uR"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$)"_s);
    const auto match = pattern.match(text.toString());
    if (!match.hasMatch())
        return std::nullopt;
    const QDate date(match.capturedView(1).toInt(),
        match.capturedView(2).toInt(),
        match.capturedView(3).toInt());
    const QTime time(match.capturedView(4).toInt(),
        match.capturedView(5).toInt(),
        match.capturedView(6).toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    int offsetSeconds = 0;
    const QStringView zone = match.capturedView(8);
    if (zone != u"Z") {
        const QString digits = zone.mid(1).toString().remove(u':');
        offsetSeconds = (digits.left(2).toInt() * 3600 + digits.mid(2).toInt() * 60)
            * (zone.front() == u'-' ? -1 : 1);
    }
    const QDateTime utc(date, time, Qt::UTC);
    const std::int64_t seconds = utc.toSecsSinceEpoch() - offsetSeconds;
    std::int64_t fractionNs = 0;
    if (match.hasCaptured(7)) {
        const QString fraction = match.captured(7).leftJustified(9, u'0');
        fractionNs = fraction.toLongLong();
    }
    return TimeStamp { saturatingAdd(saturatingMul(seconds, NsPerSecond), fractionNs) };
}

QDateTime TimeStamp::toDateTime() const
{
    return QDateTime::fromMSecsSinceEpoch(floorDivMod(m_ns, NsPerMs).first, Qt::UTC);
}

QString TimeStamp::toIsoString() const
{
    const auto [seconds, nanos] = floorDivMod(m_ns, NsPerSecond);
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    QString out = utc.toString(u"yyyy-MM-ddTHH:mm:ss"_s);
    if (nanos != 0) {
        QString fraction = formatFraction(nanos, 9);
        while (fraction.endsWith(u'0'))
            fraction.chop(1);
        out += fraction;
    }
    return out + u'Z';
}

QString TimeStamp::toFixedIsoString() const
{
    const auto [seconds, nanos] = floorDivMod(m_ns, NsPerSecond);
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    return utc.toString(u"yyyy-MM-ddTHH:mm:ss"_s) + formatFraction(nanos, 9) + u'Z';
}

QString TimeStamp::toHumanString(const QTimeZone& zone, int fractionDigits) const
{
    const auto [seconds, nanos] = floorDivMod(m_ns, NsPerSecond);
    const QDateTime local = QDateTime::fromSecsSinceEpoch(seconds, zone);
    return local.toString(u"yyyy-MM-dd HH:mm:ss"_s) + formatFraction(nanos, fractionDigits) + u' '
        + zone.abbreviation(local);
}

QString TimeRange::toHumanString(const QTimeZone& zone) const
{
    const std::int64_t ns = span().nanoseconds();
    const int digits = ns >= 60 * NsPerSecond ? 0 : ns >= NsPerSecond ? 3 : ns >= 1'000'000 ? 6 : 9;
    const auto [startSeconds, startNanos] = floorDivMod(start.nanoseconds(), NsPerSecond);
    const auto [endSeconds, endNanos] = floorDivMod(end.nanoseconds(), NsPerSecond);
    const QDateTime from = QDateTime::fromSecsSinceEpoch(startSeconds, zone);
    const QDateTime to = QDateTime::fromSecsSinceEpoch(endSeconds, zone);
    const QString endFormat = from.date() == to.date() ? u"HH:mm:ss"_s : u"yyyy-MM-dd HH:mm:ss"_s;
    return u"%1%2 → %3%4 %5 (%6)"_s.arg(from.toString(u"yyyy-MM-dd HH:mm:ss"_s),
        formatFraction(startNanos, digits),
        to.toString(endFormat),
        formatFraction(endNanos, digits),
        zone.abbreviation(to),
        span().toHumanString());
}

TimeStamp operator+(TimeStamp t, TimeSpan s)
{
    return TimeStamp { saturatingAdd(t.m_ns, s.nanoseconds()) };
}
TimeStamp operator-(TimeStamp t, TimeSpan s)
{
    return TimeStamp { saturatingSub(t.m_ns, s.nanoseconds()) };
}
TimeSpan operator-(TimeStamp a, TimeStamp b) { return TimeSpan { saturatingSub(a.m_ns, b.m_ns) }; }

std::optional<TimeRange> TimeRange::intersection(const TimeRange& other) const
{
    if (!overlaps(other))
        return std::nullopt;
    return TimeRange { std::max(start, other.start), std::min(end, other.end) };
}

TimeRange TimeRange::boundBy(const TimeRange& bound) const
{
    const TimeStamp clampedStart = std::clamp(start, bound.start, std::max(bound.start, bound.end));
    const TimeStamp clampedEnd = std::clamp(end, bound.start, std::max(bound.start, bound.end));
    return TimeRange { clampedStart, std::max(clampedStart, clampedEnd) };
}

QString TimeRange::toString() const
{
    return u"["_s + start.toIsoString() + u", "_s + end.toIsoString() + u")"_s;
}

TimeSpan Rate::period() const
{
    if (!isValid())
        return TimeSpan {};
    return TimeSpan::fromSeconds(1.0 / m_hz);
}

std::int64_t Rate::sampleCount(TimeSpan span) const
{
    if (!isValid())
        return 0;
    return static_cast<std::int64_t>(std::floor(span.toSeconds() * m_hz + 1e-9));
}

TimeSpan Rate::spanOf(std::int64_t count) const
{
    if (!isValid())
        return TimeSpan {};
    return TimeSpan::fromSeconds(double(count) / m_hz);
}

} // namespace sightline::core
