#pragma once

#include <QList>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

namespace sightline::core::decimate {

/// Points ready for a plot: keys in seconds from an origin, values; a NaN value breaks the
/// line (QCustomPlot draws no segment across it).
struct PlotPoints
{
    QList<double> keys;
    QList<double> values;

    void clear()
    {
        keys.clear();
        values.clear();
    }
};

/// The lowest and highest value of `points`, NaNs skipped (nullopt when there is none).
[[nodiscard]] std::optional<std::pair<double, double>> valueBounds(const PlotPoints& points);

/// What M4 needs of a sample source: size(), stampAt(i) (int64 ns, increasing), valueAt(i),
/// gapBefore(i), lowerBound(stamp).
template <typename Source>
concept SampleSource = requires(const Source& s, std::size_t i, std::int64_t t)
{
    {
        s.size()
        } -> std::convertible_to<std::size_t>;
    {
        s.stampAt(i)
        } -> std::convertible_to<std::int64_t>;
    {
        s.valueAt(i)
        } -> std::convertible_to<double>;
    {
        s.gapBefore(i)
        } -> std::convertible_to<bool>;
    {
        s.lowerBound(t)
        } -> std::convertible_to<std::size_t>;
};

/// M4 decimation (Jugel et al.): for each of `columns` pixel columns over [start, end), the
/// first, minimum, maximum and last sample, in time order. Drawn as a line, the result is
/// pixel-identical to drawing every sample, and no spike is lost, at ≤ 4 points per column.
/// One sample on each side of the range is kept so lines reach the edges. Where samples are
/// further apart than `gapAfter` ns, or a gap was marked, a NaN breaks the line.
template <SampleSource Source>
void decimateM4(const Source& source,
    std::int64_t start,
    std::int64_t end,
    int columns,
    std::int64_t origin,
    std::int64_t gapAfter,
    PlotPoints& out)
{
    out.clear();
    const std::size_t count = source.size();
    if (count == 0 || end <= start || columns <= 0)
        return;
    std::size_t first = source.lowerBound(start);
    std::size_t last = source.lowerBound(end); // exclusive
    if (first > 0)
        --first; // the sample just before the view
    if (last < count)
        ++last; // the sample just after it
    const double perColumn = static_cast<double>(end - start) / columns;
    const auto columnOf = [&](std::int64_t t) {
        if (t >= end) // the sample after the view; rounding could put it in the last column
            return static_cast<long long>(columns);
        return static_cast<long long>(std::floor(static_cast<double>(t - start) / perColumn));
    };
    const auto output = [&](std::size_t i) {
        out.keys.append(static_cast<double>(source.stampAt(i) - origin) / 1e9);
        out.values.append(source.valueAt(i));
    };
    const auto breakLine = [&](std::size_t i) {
        const std::int64_t before = source.stampAt(i - 1);
        const std::int64_t after = source.stampAt(i);
        out.keys.append(static_cast<double>(before + (after - before) / 2 - origin) / 1e9);
        out.values.append(std::numeric_limits<double>::quiet_NaN());
    };

    std::size_t i = first;
    while (i < last) {
        const long long column = columnOf(source.stampAt(i));
        const std::size_t begin = i;
        std::size_t low = i;
        std::size_t high = i;
        std::size_t j = i + 1;
        for (; j < last && columnOf(source.stampAt(j)) == column; ++j) {
            if (source.gapBefore(j) || source.stampAt(j) - source.stampAt(j - 1) > gapAfter)
                break; // a gap inside the column: close this run here
            const double v = source.valueAt(j);
            if (v < source.valueAt(low) || std::isnan(source.valueAt(low)))
                low = j;
            if (v > source.valueAt(high) || std::isnan(source.valueAt(high)))
                high = j;
        }
        std::array<std::size_t, 4> picks { begin, low, high, j - 1 };
        std::sort(picks.begin(), picks.end());
        std::size_t previous = std::numeric_limits<std::size_t>::max();
        for (const std::size_t pick : picks) {
            if (pick != previous)
                output(pick);
            previous = pick;
        }
        i = j;
        if (i < last
            && (source.gapBefore(i) || source.stampAt(i) - source.stampAt(i - 1) > gapAfter))
            breakLine(i);
    }
}

} // namespace sightline::core::decimate
