#pragma once

#include <QString>
#include <QStringView>

#include <compare>
#include <cstdint>
#include <optional>

class QDateTime;
class QTimeZone;

namespace sightline::core {

/// A signed duration in integer nanoseconds. Arithmetic saturates at the int64 limits.
class TimeSpan
{
public:
    constexpr TimeSpan() = default;
    constexpr explicit TimeSpan(std::int64_t nanoseconds)
        : m_ns(nanoseconds)
    {
    }

    static constexpr TimeSpan nanoseconds(std::int64_t n) { return TimeSpan { n }; }
    static constexpr TimeSpan microseconds(std::int64_t n) { return TimeSpan { n * 1'000 }; }
    static constexpr TimeSpan milliseconds(std::int64_t n) { return TimeSpan { n * 1'000'000 }; }
    static constexpr TimeSpan seconds(std::int64_t n) { return TimeSpan { n * 1'000'000'000 }; }
    static constexpr TimeSpan minutes(std::int64_t n) { return seconds(n * 60); }
    static constexpr TimeSpan hours(std::int64_t n) { return minutes(n * 60); }
    /// Rounds to the nearest nanosecond; saturates outside the int64 range.
    static TimeSpan fromSeconds(double seconds);

    [[nodiscard]] constexpr std::int64_t nanoseconds() const { return m_ns; }
    [[nodiscard]] constexpr double toSeconds() const { return static_cast<double>(m_ns) / 1e9; }
    [[nodiscard]] constexpr bool isZero() const { return m_ns == 0; }
    [[nodiscard]] constexpr TimeSpan abs() const { return TimeSpan { m_ns < 0 ? -m_ns : m_ns }; }

    /// Human form with the largest fitting units: "2h 5m 3s", "1.5 s", "250 ms", "12 µs", "7 ns".
    [[nodiscard]] QString toHumanString() const;

    friend TimeSpan operator+(TimeSpan a, TimeSpan b);
    friend TimeSpan operator-(TimeSpan a, TimeSpan b);
    friend TimeSpan operator*(TimeSpan a, std::int64_t factor);
    friend constexpr TimeSpan operator-(TimeSpan a) { return TimeSpan { -a.m_ns }; }
    friend constexpr auto operator<=>(TimeSpan, TimeSpan) = default;

    static const TimeSpan Zero;
    static const TimeSpan Max;
    /// Synnax's AUTO_SPAN (-1): "use the iterator's chunk size".
    static const TimeSpan Auto;

private:
    std::int64_t m_ns = 0;
};

inline constexpr TimeSpan TimeSpan::Zero { 0 };
inline constexpr TimeSpan TimeSpan::Max { INT64_MAX };
inline constexpr TimeSpan TimeSpan::Auto { -1 };

/// A point in time: integer nanoseconds since the Unix epoch, UTC.
class TimeStamp
{
public:
    constexpr TimeStamp() = default;
    constexpr explicit TimeStamp(std::int64_t nanosecondsSinceEpoch)
        : m_ns(nanosecondsSinceEpoch)
    {
    }

    static TimeStamp now();
    /// Millisecond precision, as QDateTime has; an invalid QDateTime gives nullopt.
    static std::optional<TimeStamp> fromDateTime(const QDateTime& dateTime);
    /// Parses RFC 3339 / ISO 8601 with up to 9 fractional digits and `Z` or `±hh:mm`,
    /// e.g. `2026-11-23T13:58:54.123456789Z`. Returns nullopt on anything else.
    static std::optional<TimeStamp> fromIsoString(QStringView text);

    [[nodiscard]] constexpr std::int64_t nanoseconds() const { return m_ns; }
    /// Truncated to milliseconds (QDateTime's precision), in UTC.
    [[nodiscard]] QDateTime toDateTime() const;
    /// `YYYY-MM-DDTHH:MM:SS.fffffffffZ`, exact to the nanosecond (fraction trimmed of zeros).
    [[nodiscard]] QString toIsoString() const;
    /// The same with all nine fraction digits, so every stamp has the same width (a column
    /// of a CSV file lines up and sorts as text).
    [[nodiscard]] QString toFixedIsoString() const;
    /// `YYYY-MM-DD HH:MM:SS.fff` in the given zone with `fractionDigits` (0–9) digits,
    /// followed by the zone's abbreviation.
    [[nodiscard]] QString toHumanString(const QTimeZone& zone, int fractionDigits = 3) const;

    friend TimeStamp operator+(TimeStamp t, TimeSpan s);
    friend TimeStamp operator-(TimeStamp t, TimeSpan s);
    friend TimeSpan operator-(TimeStamp a, TimeStamp b);
    friend constexpr auto operator<=>(TimeStamp, TimeStamp) = default;

    static const TimeStamp Min;
    static const TimeStamp Max;

private:
    std::int64_t m_ns = 0;
};

inline constexpr TimeStamp TimeStamp::Min { 0 };
inline constexpr TimeStamp TimeStamp::Max { INT64_MAX };

/// A half-open interval of time [start, end): start inclusive, end exclusive.
struct TimeRange
{
    TimeStamp start;
    TimeStamp end;

    /// Everything Synnax can store: [0, 2^63 - 1).
    static constexpr TimeRange max() { return { TimeStamp::Min, TimeStamp::Max }; }

    [[nodiscard]] constexpr bool isValid() const { return start <= end; }
    [[nodiscard]] constexpr bool isEmpty() const { return start >= end; }
    [[nodiscard]] constexpr bool isZero() const
    {
        return start.nanoseconds() == 0 && end.nanoseconds() == 0;
    }
    [[nodiscard]] TimeSpan span() const { return end - start; }
    /// `2026-12-07 11:12:02.448 → 11:12:09.758 UTC (7.31 s)` in `zone`: the end's date only
    /// when it is another day, as many fraction digits as the span needs (none from a
    /// minute up, milliseconds from a second, microseconds from a millisecond, else all).
    [[nodiscard]] QString toHumanString(const QTimeZone& zone) const;
    /// True when start <= t < end.
    [[nodiscard]] constexpr bool contains(TimeStamp t) const { return start <= t && t < end; }
    /// True when `other` lies entirely inside this range (an empty range at `end` does not).
    [[nodiscard]] constexpr bool contains(const TimeRange& other) const
    {
        return start <= other.start && other.end <= end && other.isValid();
    }
    /// True when the two ranges share at least one instant.
    [[nodiscard]] constexpr bool overlaps(const TimeRange& other) const
    {
        return start < other.end && other.start < end && !isEmpty() && !other.isEmpty();
    }
    /// The shared part, or nullopt when they do not overlap.
    [[nodiscard]] std::optional<TimeRange> intersection(const TimeRange& other) const;
    /// This range clamped to lie within `bound` (empty at the nearest edge when disjoint).
    [[nodiscard]] TimeRange boundBy(const TimeRange& bound) const;
    /// The range with start and end swapped when reversed.
    [[nodiscard]] constexpr TimeRange normalized() const
    {
        return start <= end ? *this : TimeRange { end, start };
    }
    [[nodiscard]] QString toString() const;

    friend constexpr bool operator==(const TimeRange&, const TimeRange&) = default;
};

/// A sample rate in hertz.
class Rate
{
public:
    constexpr Rate() = default;
    constexpr explicit Rate(double hertz)
        : m_hz(hertz)
    {
    }
    [[nodiscard]] constexpr double hertz() const { return m_hz; }
    [[nodiscard]] constexpr bool isValid() const { return m_hz > 0; }
    /// The time between two samples; zero for an invalid rate.
    [[nodiscard]] TimeSpan period() const;
    /// How many samples fit in `span` at this rate (rounded down).
    [[nodiscard]] std::int64_t sampleCount(TimeSpan span) const;
    /// How long `count` samples take at this rate.
    [[nodiscard]] TimeSpan spanOf(std::int64_t count) const;

    friend constexpr auto operator<=>(Rate, Rate) = default;

private:
    double m_hz = 0;
};

} // namespace sightline::core
