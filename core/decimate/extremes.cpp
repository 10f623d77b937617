#include "core/decimate/extremes.h"

#include <algorithm>
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

    /// Vectors of 32 bytes: GCC emits one AVX2 instruction per operation for the avx2 clone
    /// and two SSE2 ones for the default clone (`a < b ? a : b` is one vminps/minps).
    template <typename T> struct Lanes
    {
        static constexpr std::size_t Width = 32 / sizeof(T);
        /// Vectors a block holds: independent accumulators, so the min/max chains overlap.
        static constexpr std::size_t PerBlock = 4;
        static constexpr std::size_t Block = Width * PerBlock;
        typedef T Values __attribute__((vector_size(32)));
        typedef std::int64_t Words __attribute__((vector_size(32)));
    };
    // No helper takes or returns a vector: that would change the ABI between the clones.

    /// The smallest and largest non-NaN value (strict comparisons skip NaNs); +inf and -inf
    /// when there is none. Four vectors a step, each with its own accumulators; the last
    /// vectors one at a time, the very last one overlapping what was read (harmless for a
    /// minimum), so only runs shorter than a vector are read sample by sample.
    template <typename T>
    [[gnu::always_inline]] inline std::pair<T, T> bounds(const T* values, std::size_t count)
    {
        using L = Lanes<T>;
        constexpr T Inf = std::numeric_limits<T>::infinity();
        T lo = Inf;
        T hi = -Inf;
        if (count < L::Width) {
            for (std::size_t i = 0; i < count; ++i) {
                lo = values[i] < lo ? values[i] : lo;
                hi = values[i] > hi ? values[i] : hi;
            }
            return { lo, hi };
        }
        typename L::Values low[L::PerBlock];
        typename L::Values high[L::PerBlock];
        for (std::size_t j = 0; j < L::PerBlock; ++j) {
            for (std::size_t k = 0; k < L::Width; ++k) {
                low[j][k] = Inf;
                high[j][k] = -Inf;
            }
        }
        std::size_t i = 0;
        for (; i + L::Block <= count; i += L::Block) {
#pragma GCC unroll 4 // keeps the accumulators in registers
            for (std::size_t j = 0; j < L::PerBlock; ++j) {
                typename L::Values v;
                std::memcpy(&v, values + i + j * L::Width, sizeof(v));
                low[j] = v < low[j] ? v : low[j];
                high[j] = v > high[j] ? v : high[j];
            }
        }
        // Into the first accumulators only: indexing them at run time would keep all of
        // them in memory instead of registers.
        while (i < count) {
            i = std::min(i, count - L::Width);
            typename L::Values v;
            std::memcpy(&v, values + i, sizeof(v));
            low[0] = v < low[0] ? v : low[0];
            high[0] = v > high[0] ? v : high[0];
            i += L::Width;
        }
#pragma GCC unroll 4
        for (std::size_t j = 1; j < L::PerBlock; ++j) {
            low[0] = low[j] < low[0] ? low[j] : low[0];
            high[0] = high[j] > high[0] ? high[j] : high[0];
        }
        for (std::size_t k = 0; k < L::Width; ++k) {
            lo = low[0][k] < lo ? low[0][k] : lo;
            hi = high[0][k] > hi ? high[0][k] : hi;
        }
        return { lo, hi };
    }

    /// The first position holding `target`, or `count`: whole blocks compared at once, then
    /// the vectors of the block that has it, then the samples of the vector that has it.
    template <typename T>
    [[gnu::always_inline]] inline std::size_t firstEqual(
        const T* values, std::size_t count, T target)
    {
        using L = Lanes<T>;
        typename L::Values wanted;
        for (std::size_t k = 0; k < L::Width; ++k)
            wanted[k] = target;
        std::size_t from = 0;
        for (; from + L::Block <= count; from += L::Block) {
            typename L::Words hit {};
#pragma GCC unroll 4
            for (std::size_t j = 0; j < L::PerBlock; ++j) {
                typename L::Values v;
                std::memcpy(&v, values + from + j * L::Width, sizeof(v));
                hit |= reinterpret_cast<typename L::Words>(v == wanted);
            }
            if ((hit[0] | hit[1] | hit[2] | hit[3]) != 0)
                break;
        }
        for (; from + L::Width <= count; from += L::Width) {
            typename L::Values v;
            std::memcpy(&v, values + from, sizeof(v));
            const auto hit = reinterpret_cast<typename L::Words>(v == wanted);
            if ((hit[0] | hit[1] | hit[2] | hit[3]) != 0)
                break;
        }
        for (std::size_t i = from; i < count; ++i)
            if (values[i] == target)
                return i;
        return count;
    }

    /// Two passes: the bounds, then where each first occurs (the column is in the L1 cache
    /// by then). The same picks as the generic pass: its strict comparisons keep the first
    /// sample equal to the extreme, and a run with no number (NaNs only) has both at its end.
    template <typename T> [[gnu::always_inline]] inline Extremes scan(std::span<const T> values)
    {
        if (values.empty())
            return {};
        const auto [lo, hi] = bounds(values.data(), values.size());
        const std::size_t low = firstEqual(values.data(), values.size(), lo);
        if (low == values.size())
            return { values.size() - 1, values.size() - 1, false };
        return { low, firstEqual(values.data(), values.size(), hi), true };
    }

} // namespace

SIGHTLINE_CPU_CLONES Extremes extremesOf(std::span<const float> values) { return scan(values); }

SIGHTLINE_CPU_CLONES Extremes extremesOf(std::span<const double> values) { return scan(values); }

} // namespace sightline::core::decimate
