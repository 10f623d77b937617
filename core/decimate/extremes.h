#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>

namespace sightline::core::decimate {

/// Where a run of samples has its smallest and largest value, first occurrence, NaNs skipped:
/// the samples reference M4 (decimateM4) picks. A run of NaNs only has both at its last
/// sample (`found` false then).
struct Extremes
{
    std::size_t low = 0;
    std::size_t high = 0;
    bool found = false;
};

/// The vectorised passes over float and double runs: one pass for the bounds and (for long
/// runs) the block each first occurs in, then a search from there.
enum class Kernel {
    Sse2, ///< any x86-64
    Avx2, ///< where the CPU has it
};
/// The kernel extremesOf uses: the fastest this CPU runs.
[[nodiscard]] Kernel fastestKernel();

/// Vectorised with the fastest kernel; the other types take the generic pass below.
[[nodiscard]] Extremes extremesOf(std::span<const float> values);
[[nodiscard]] Extremes extremesOf(std::span<const double> values);
/// With a given kernel, for tests and benchmarks (Avx2 only where fastestKernel() is Avx2).
[[nodiscard]] Extremes extremesOf(std::span<const float> values, Kernel kernel);
[[nodiscard]] Extremes extremesOf(std::span<const double> values, Kernel kernel);

/// The generic pass: what the vectorised ones must equal, and what integer runs use.
template <typename T> [[nodiscard]] Extremes extremesScalar(std::span<const T> values)
{
    Extremes e;
    if (values.empty())
        return e;
    const auto isNan = [](T v) {
        if constexpr (std::is_floating_point_v<T>)
            return std::isnan(v);
        else
            return (void)v, false;
    };
    for (std::size_t i = 0; i < values.size(); ++i) {
        const T v = values[i];
        if (isNan(v))
            continue;
        if (!e.found) {
            e = { i, i, true };
            continue;
        }
        if (v < values[e.low])
            e.low = i;
        if (v > values[e.high])
            e.high = i;
    }
    if (!e.found)
        e.low = e.high = values.size() - 1;
    return e;
}

template <typename T> [[nodiscard]] Extremes extremesOf(std::span<const T> values)
{
    return extremesScalar(values);
}

/// The extremes of `a` followed by `b`, from those of each (`inB`: positions from b's start).
template <typename T>
[[nodiscard]] Extremes joined(
    std::span<const T> a, const Extremes& inA, std::span<const T> b, const Extremes& inB)
{
    const Extremes shifted { inB.low + a.size(), inB.high + a.size(), inB.found };
    if (b.empty())
        return inA;
    if (a.empty() || !inA.found)
        return shifted; // all NaN before: b decides (and, all NaN too, its last)
    if (!inB.found)
        return inA;
    Extremes e = inA;
    if (b[inB.low] < a[inA.low])
        e.low = shifted.low;
    if (b[inB.high] > a[inA.high])
        e.high = shifted.high;
    return e;
}

/// The extremes of `a` followed by `b` (a ring's two runs), positions counted from a's start.
template <typename T> [[nodiscard]] Extremes extremesOf(std::span<const T> a, std::span<const T> b)
{
    if (b.empty())
        return extremesOf(a);
    if (a.empty())
        return extremesOf(b);
    return joined(a, extremesOf(a), b, extremesOf(b));
}

} // namespace sightline::core::decimate
