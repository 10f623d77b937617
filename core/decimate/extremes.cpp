#include "core/decimate/extremes.h"

#include <cstdint>
#include <cstring>
#include <limits>

// AVX2 where the CPU has it, else SSE2, picked once at load by an ifunc resolver. Under
// ThreadSanitizer the resolver would run before the sanitizer's runtime is up (and crash),
// so that build has the SSE2 code only.
#if defined(__SANITIZE_THREAD__)
#define SIGHTLINE_CPU_CLONES
#else
#define SIGHTLINE_CPU_CLONES __attribute__((target_clones("avx2", "default")))
#endif

namespace sightline::core::decimate {

namespace {

    /// Lanes of 32 bytes: GCC emits one AVX2 instruction per operation for the avx2 clone
    /// and two SSE2 ones for the default clone.
    template <typename T, typename Index> struct Lanes
    {
        static constexpr int Width = 32 / sizeof(T);
        typedef T Values __attribute__((vector_size(32)));
        typedef Index Indices __attribute__((vector_size(32)));
    };

    /// Per lane the first smallest and largest value (strict comparisons skip NaNs and keep
    /// the first occurrence), then across lanes the smallest index among equal extremes, then
    /// the tail. Runs longer than the index type can count are done in parts.
    template <typename T, typename Index>
    [[gnu::always_inline]] inline Extremes scan(const T* values, std::size_t count)
    {
        using L = Lanes<T, Index>;
        constexpr int W = L::Width;
        constexpr T Inf = std::numeric_limits<T>::infinity();
        typename L::Values low, high;
        typename L::Indices lowAt, highAt, at;
        for (int k = 0; k < W; ++k) {
            low[k] = Inf;
            high[k] = -Inf;
            lowAt[k] = -1;
            highAt[k] = -1;
            at[k] = Index(k);
        }
        const std::size_t vectorEnd = count - count % W;
        for (std::size_t i = 0; i < vectorEnd; i += W) {
            typename L::Values v;
            std::memcpy(&v, values + i, sizeof(v));
            const typename L::Indices less = v < low;
            const typename L::Indices more = v > high;
            low = less ? v : low;
            lowAt = less ? at : lowAt;
            high = more ? v : high;
            highAt = more ? at : highAt;
            at += Index(W);
        }
        // Across lanes: the smallest index among equal extremes (the first occurrence).
        Index bestLow = -1;
        Index bestHigh = -1;
        for (int k = 0; k < W; ++k) {
            if (lowAt[k] >= 0
                && (bestLow < 0 || low[k] < values[bestLow]
                    || (low[k] == values[bestLow] && lowAt[k] < bestLow)))
                bestLow = lowAt[k];
            if (highAt[k] >= 0
                && (bestHigh < 0 || high[k] > values[bestHigh]
                    || (high[k] == values[bestHigh] && highAt[k] < bestHigh)))
                bestHigh = highAt[k];
        }
        for (std::size_t i = vectorEnd; i < count; ++i) {
            const T v = values[i];
            if (v < (bestLow < 0 ? Inf : values[bestLow]))
                bestLow = Index(i);
            if (v > (bestHigh < 0 ? -Inf : values[bestHigh]))
                bestHigh = Index(i);
        }
        if (bestLow < 0 || bestHigh < 0) // only NaNs and infinities: rare, done generically
            return extremesScalar(std::span<const T>(values, count));
        return { std::size_t(bestLow), std::size_t(bestHigh), true };
    }

    template <typename T, typename Index>
    [[gnu::always_inline]] inline Extremes scanInParts(std::span<const T> values)
    {
        constexpr std::size_t Part = std::size_t(1) << 30;
        if (values.empty())
            return {};
        if (values.size() <= Part)
            return scan<T, Index>(values.data(), values.size());
        Extremes e = scan<T, Index>(values.data(), Part);
        for (std::size_t from = Part; from < values.size(); from += Part) {
            const auto part = values.subspan(from, std::min(Part, values.size() - from));
            e = joined(values.first(from), e, part, scan<T, Index>(part.data(), part.size()));
        }
        return e;
    }

} // namespace

SIGHTLINE_CPU_CLONES Extremes extremesOf(std::span<const float> values)
{
    return scanInParts<float, std::int32_t>(values);
}

SIGHTLINE_CPU_CLONES Extremes extremesOf(std::span<const double> values)
{
    return scanInParts<double, std::int64_t>(values);
}

} // namespace sightline::core::decimate
