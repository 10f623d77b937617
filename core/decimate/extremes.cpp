#include "core/decimate/extremes.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <immintrin.h>
#include <limits>
#include <type_traits>

// Two kernels: SSE2 (any x86-64), written with GCC's generic vectors, and AVX2, written with
// intrinsics in a region compiled for AVX2. extremesOf picks one once, by asking the CPU
// (no ifunc: under ThreadSanitizer a resolver would run before the sanitizer is up).
namespace sightline::core::decimate {

namespace {

    /// Vectors of 32 bytes: GCC emits one AVX2 instruction per operation for the avx2 clone
    /// and two SSE2 ones for the default clone (`a < b ? a : b` is one vminps/minps, which
    /// returns its second operand when either is NaN: accumulators never become NaN).
    template <typename T> struct Lanes
    {
        static constexpr std::size_t Width = 32 / sizeof(T);
        /// Vectors a block holds, reduced in two independent chains.
        static constexpr std::size_t PerBlock = 16;
        static constexpr std::size_t Block = Width * PerBlock;
        typedef T Values __attribute__((vector_size(32)));
        typedef std::int64_t Words __attribute__((vector_size(32)));
        /// A comparison's result: all ones where it holds; also where each lane's extreme
        /// was last lowered (raised): the start of that block.
        using Position = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
        typedef Position Mask __attribute__((vector_size(32)));
    };
    // No helper takes or returns a vector: that would change the ABI between the clones.

    /// Where each extreme first occurs, found in one pass. Per lane it keeps the smallest
    /// and largest value and the start of the block where that lane last improved on it
    /// (strictly, so NaNs never count and equal values keep the earlier block). The first
    /// sample equal to the overall extreme lies in the earliest such block of the lanes
    /// holding it: a lane that saw it earlier would have improved there. Only that block
    /// (and, for runs of equal values, what follows) is searched again. Blocks are whole
    /// blocks from the start, then one block of the remaining vectors (the very last one
    /// overlapping what was read: a repeat never improves a lane's earliest block).
    enum class Keep { Lower, Higher };

    /// Every lane of `v` becomes the lowest (highest) of all its lanes, in log2(width) steps:
    /// each lane takes the better of itself and the lane `step` away. `Index`: integer lanes
    /// as wide as v's. (Clang, which builds the fuzzers, has no __builtin_shuffle.)
    template <Keep keep, typename Index, typename Vector>
    [[gnu::always_inline]] inline void acrossLanes(Vector& v)
    {
        constexpr std::size_t Width = sizeof(Vector) / sizeof(v[0]);
        for (std::size_t step = Width / 2; step > 0; step /= 2) {
            Vector other;
#if defined(__clang__)
            for (std::size_t k = 0; k < Width; ++k)
                other[k] = v[k ^ step];
#else
            Index partner;
            for (std::size_t k = 0; k < Width; ++k)
                partner[k] = static_cast<std::remove_cvref_t<decltype(partner[0])>>(k ^ step);
            other = __builtin_shuffle(v, partner);
#endif
            if constexpr (keep == Keep::Lower)
                v = other < v ? other : v;
            else
                v = other > v ? other : v;
        }
    }

    template <typename T> struct Bounds
    {
        T low;
        T high;
        std::size_t lowFrom; ///< the first sample equal to `low` is here or after
        std::size_t highFrom;
    };

    template <typename T>
    [[gnu::always_inline]] inline Bounds<T> bounds(const T* values, std::size_t count)
    {
        using L = Lanes<T>;
        using V = typename L::Values;
        using M = typename L::Mask;
        using P = typename L::Position;
        constexpr T Inf = std::numeric_limits<T>::infinity();
        V inf;
        V negInf;
        for (std::size_t k = 0; k < L::Width; ++k) {
            inf[k] = Inf;
            negInf[k] = -Inf;
        }
        V low = inf;
        V high = negInf;
        M lowFrom {};
        M highFrom {};
        // Folds one block's bounds into the lanes' extremes.
        const auto fold = [&](const V& blockLow, const V& blockHigh, std::size_t start) {
            M at;
            for (std::size_t k = 0; k < L::Width; ++k)
                at[k] = P(start);
            const M lower = blockLow < low;
            const M higher = blockHigh > high;
            low = blockLow < low ? blockLow : low;
            high = blockHigh > high ? blockHigh : high;
            lowFrom = (lower & at) | (~lower & lowFrom);
            highFrom = (higher & at) | (~higher & highFrom);
        };
        std::size_t i = 0;
        for (; i + L::Block <= count; i += L::Block) {
            V low0 = inf;
            V low1 = inf;
            V high0 = negInf;
            V high1 = negInf;
#pragma GCC unroll 8
            for (std::size_t j = 0; j < L::PerBlock; j += 2) {
                V a;
                V b;
                std::memcpy(&a, values + i + j * L::Width, sizeof(a));
                std::memcpy(&b, values + i + (j + 1) * L::Width, sizeof(b));
                low0 = a < low0 ? a : low0;
                high0 = a > high0 ? a : high0;
                low1 = b < low1 ? b : low1;
                high1 = b > high1 ? b : high1;
            }
            const V blockLow = low1 < low0 ? low1 : low0;
            const V blockHigh = high1 > high0 ? high1 : high0;
            fold(blockLow, blockHigh, i);
        }
        if (i < count) {
            const std::size_t start = i;
            V rest = inf;
            V restHigh = negInf;
            while (i < count) {
                i = std::min(i, count - L::Width);
                V v;
                std::memcpy(&v, values + i, sizeof(v));
                rest = v < rest ? v : rest;
                restHigh = v > restHigh ? v : restHigh;
                i += L::Width;
            }
            fold(rest, restHigh, start);
        }
        V lowAll = low;
        V highAll = high;
        acrossLanes<Keep::Lower, M>(lowAll);
        acrossLanes<Keep::Higher, M>(highAll);
        // The earliest block start of the lanes holding each extreme.
        M none;
        for (std::size_t k = 0; k < L::Width; ++k)
            none[k] = std::numeric_limits<P>::max();
        const M holdsLow = low == lowAll;
        const M holdsHigh = high == highAll;
        M lowStart = (holdsLow & lowFrom) | (~holdsLow & none);
        M highStart = (holdsHigh & highFrom) | (~holdsHigh & none);
        acrossLanes<Keep::Lower, M>(lowStart);
        acrossLanes<Keep::Lower, M>(highStart);
        return { lowAll[0], highAll[0], std::size_t(lowStart[0]), std::size_t(highStart[0]) };
    }

    /// The first position holding `target` from `from` on, or `count`: vectors compared at
    /// once, the lane read from the comparison; the last samples one by one.
    template <typename T>
    [[gnu::always_inline]] inline std::size_t firstEqual(
        const T* values, std::size_t from, std::size_t count, T target)
    {
        using L = Lanes<T>;
        typename L::Values wanted;
        for (std::size_t k = 0; k < L::Width; ++k)
            wanted[k] = target;
        for (; from + L::Width <= count; from += L::Width) {
            typename L::Values v;
            std::memcpy(&v, values + from, sizeof(v));
            const auto hit = reinterpret_cast<typename L::Words>(v == wanted);
            if ((hit[0] | hit[1] | hit[2] | hit[3]) == 0)
                continue;
            // The first lane that holds it: the first word with a hit, then which of the
            // word's lanes (two floats a word, one double).
            std::size_t word = 0;
            while (hit[word] == 0)
                ++word;
            const std::size_t perWord = L::Width / 4;
            const bool upper = perWord == 2 && (std::uint64_t(hit[word]) & 0xffffffffU) == 0;
            return from + word * perWord + (upper ? 1 : 0);
        }
        for (std::size_t i = from; i < count; ++i)
            if (values[i] == target)
                return i;
        return count;
    }

    /// The same picks as the generic pass: its strict comparisons keep the first sample
    /// equal to the extreme, and a run with no number (NaNs only) has both at its end.
    template <typename T> [[gnu::always_inline]] inline Extremes scan(std::span<const T> values)
    {
        const std::size_t count = values.size();
        if (count < Lanes<T>::Width)
            return extremesScalar(values);
        const Bounds<T> b = bounds(values.data(), count);
        const std::size_t low = firstEqual(values.data(), b.lowFrom, count, b.low);
        if (low == count)
            return { count - 1, count - 1, false };
        return { low, firstEqual(values.data(), b.highFrom, count, b.high), true };
    }

} // namespace

// The AVX2 kernel. Every function in this region is compiled for AVX2 and only called once
// the CPU said it has it.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif

namespace avx2 {
    namespace {

        /// Lanes of floats, with block starts in 32-bit lanes beside them.
        struct Floats
        {
            using T = float;
            using V = __m256;
            using P = __m256i;
            static constexpr std::size_t Width = 8;
            static V load(const T* p) { return _mm256_loadu_ps(p); }
            static V splat(T x) { return _mm256_set1_ps(x); }
            /// The lower (higher) of each lane; `acc` where `v` is NaN, so that an accumulator
            /// started at ±infinity never becomes NaN.
            static V lower(V v, V acc) { return _mm256_min_ps(v, acc); }
            static V higher(V v, V acc) { return _mm256_max_ps(v, acc); }
            static V less(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
            static V equal(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
            static unsigned bits(V mask) { return unsigned(_mm256_movemask_ps(mask)); }
            static P splatPosition(std::size_t at) { return _mm256_set1_epi32(int(at)); }
            static P choose(P old, P at, V mask)
            {
                return _mm256_castps_si256(
                    _mm256_blendv_ps(_mm256_castsi256_ps(old), _mm256_castsi256_ps(at), mask));
            }
            /// Every lane becomes the lowest (highest) of all lanes.
            static V lowestAll(V v)
            {
                v = _mm256_min_ps(v, _mm256_permute2f128_ps(v, v, 1));
                v = _mm256_min_ps(v, _mm256_permute_ps(v, 0b01001110));
                return _mm256_min_ps(v, _mm256_permute_ps(v, 0b10110001));
            }
            static V highestAll(V v)
            {
                v = _mm256_max_ps(v, _mm256_permute2f128_ps(v, v, 1));
                v = _mm256_max_ps(v, _mm256_permute_ps(v, 0b01001110));
                return _mm256_max_ps(v, _mm256_permute_ps(v, 0b10110001));
            }
            static T first(V v) { return _mm256_cvtss_f32(v); }
            static void store(std::int32_t* out, P p)
            {
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), p);
            }
            using Position = std::int32_t;
        };

        /// Lanes of doubles, with block starts in 64-bit lanes beside them.
        struct Doubles
        {
            using T = double;
            using V = __m256d;
            using P = __m256i;
            static constexpr std::size_t Width = 4;
            static V load(const T* p) { return _mm256_loadu_pd(p); }
            static V splat(T x) { return _mm256_set1_pd(x); }
            static V lower(V v, V acc) { return _mm256_min_pd(v, acc); }
            static V higher(V v, V acc) { return _mm256_max_pd(v, acc); }
            static V less(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
            static V equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
            static unsigned bits(V mask) { return unsigned(_mm256_movemask_pd(mask)); }
            static P splatPosition(std::size_t at) { return _mm256_set1_epi64x(std::int64_t(at)); }
            static P choose(P old, P at, V mask)
            {
                return _mm256_castpd_si256(
                    _mm256_blendv_pd(_mm256_castsi256_pd(old), _mm256_castsi256_pd(at), mask));
            }
            static V lowestAll(V v)
            {
                v = _mm256_min_pd(v, _mm256_permute2f128_pd(v, v, 1));
                return _mm256_min_pd(v, _mm256_permute_pd(v, 0b0101));
            }
            static V highestAll(V v)
            {
                v = _mm256_max_pd(v, _mm256_permute2f128_pd(v, v, 1));
                return _mm256_max_pd(v, _mm256_permute_pd(v, 0b0101));
            }
            static T first(V v) { return _mm256_cvtsd_f64(v); }
            static void store(std::int64_t* out, P p)
            {
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), p);
            }
            using Position = std::int64_t;
        };

        /// The first position from `from` holding `target` (every lane), or `count`.
        template <typename L>
        std::size_t firstEqual(
            const typename L::T* values, std::size_t from, std::size_t count, typename L::V target)
        {
            for (; from + L::Width <= count; from += L::Width)
                if (const unsigned hit = L::bits(L::equal(L::load(values + from), target)))
                    return from + std::size_t(__builtin_ctz(hit));
            const typename L::T wanted = L::first(target);
            for (; from < count; ++from)
                if (values[from] == wanted)
                    return from;
            return count;
        }

        /// Vectors a block holds: a long run keeps, per lane, the start of the block where the
        /// lane last improved on its extreme (as the SSE2 kernel), so the search after the pass
        /// starts there. A short run is searched from its start (it is in the L1 cache).
        constexpr std::size_t PerBlock = 16;
        constexpr std::size_t Chains = 4;

        template <typename L> Extremes scan(const typename L::T* values, std::size_t count)
        {
            using T = typename L::T;
            using V = typename L::V;
            constexpr std::size_t W = L::Width;
            constexpr std::size_t Block = W * PerBlock;
            const V inf = L::splat(std::numeric_limits<T>::infinity());
            const V negInf = L::splat(-std::numeric_limits<T>::infinity());
            V low = inf;
            V high = negInf;
            std::size_t lowFrom = 0;
            std::size_t highFrom = 0;
            std::size_t i = 0;
            if (count >= 2 * Block) {
                auto lowAt = L::splatPosition(0);
                auto highAt = L::splatPosition(0);
                for (; i + Block <= count; i += Block) {
                    // Four independent chains each way: the comparisons' latency, not one chain of
                    // them, sets the pace.
                    V lows[Chains];
                    V highs[Chains];
                    for (std::size_t c = 0; c < Chains; ++c) {
                        lows[c] = inf;
                        highs[c] = negInf;
                    }
                    for (std::size_t j = 0; j < Block; j += Chains * W) {
                        for (std::size_t c = 0; c < Chains; ++c) {
                            const V v = L::load(values + i + j + c * W);
                            lows[c] = L::lower(v, lows[c]);
                            highs[c] = L::higher(v, highs[c]);
                        }
                    }
                    const V blockLow
                        = L::lower(L::lower(lows[0], lows[1]), L::lower(lows[2], lows[3]));
                    const V blockHigh
                        = L::higher(L::higher(highs[0], highs[1]), L::higher(highs[2], highs[3]));
                    const auto at = L::splatPosition(i);
                    lowAt = L::choose(lowAt, at, L::less(blockLow, low));
                    highAt = L::choose(highAt, at, L::less(high, blockHigh));
                    low = L::lower(blockLow, low);
                    high = L::higher(blockHigh, high);
                }
                // The rest: vectors, the last one ending at the run's end (a repeat of samples
                // already seen never improves a lane, so never moves its block start).
                V restLow = inf;
                V restHigh = negInf;
                for (std::size_t j = i; j < count; j += W) {
                    const V v = L::load(values + std::min(j, count - W));
                    restLow = L::lower(v, restLow);
                    restHigh = L::higher(v, restHigh);
                }
                const auto at = L::splatPosition(i);
                lowAt = L::choose(lowAt, at, L::less(restLow, low));
                highAt = L::choose(highAt, at, L::less(high, restHigh));
                low = L::lower(restLow, low);
                high = L::higher(restHigh, high);
                // The earliest block start of the lanes that hold each extreme.
                typename L::Position lowStarts[W];
                typename L::Position highStarts[W];
                L::store(lowStarts, lowAt);
                L::store(highStarts, highAt);
                const unsigned holdsLow = L::bits(L::equal(low, L::lowestAll(low)));
                const unsigned holdsHigh = L::bits(L::equal(high, L::highestAll(high)));
                lowFrom = highFrom = count;
                for (std::size_t k = 0; k < W; ++k) {
                    if (holdsLow & (1U << k))
                        lowFrom = std::min(lowFrom, std::size_t(lowStarts[k]));
                    if (holdsHigh & (1U << k))
                        highFrom = std::min(highFrom, std::size_t(highStarts[k]));
                }
            } else {
                for (; i + W <= count; i += W) {
                    const V v = L::load(values + i);
                    low = L::lower(v, low);
                    high = L::higher(v, high);
                }
                if (i < count) {
                    const V v = L::load(values + count - W);
                    low = L::lower(v, low);
                    high = L::higher(v, high);
                }
            }
            const std::size_t lowAt = firstEqual<L>(values, lowFrom, count, L::lowestAll(low));
            if (lowAt == count) // no number: NaNs only
                return { count - 1, count - 1, false };
            return { lowAt, firstEqual<L>(values, highFrom, count, L::highestAll(high)), true };
        }

    } // namespace

    Extremes floats(const float* values, std::size_t count) { return scan<Floats>(values, count); }

    Extremes doubles(const double* values, std::size_t count)
    {
        return scan<Doubles>(values, count);
    }

} // namespace avx2

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

namespace {

    /// Positions are held in lanes as wide as the values: float runs longer than this are
    /// scanned in pieces and joined.
    constexpr std::size_t LongestScan = std::size_t(1) << 30;

    template <typename T> Extremes scanWith(std::span<const T> values, Kernel kernel)
    {
        if (values.size() > LongestScan) {
            const auto a = values.first(LongestScan);
            const auto b = values.subspan(LongestScan);
            return joined(a, scanWith(a, kernel), b, scanWith(b, kernel));
        }
        constexpr std::size_t Widest = 32 / sizeof(T);
        if (values.size() < Widest)
            return extremesScalar(values);
        if (kernel == Kernel::Avx2) {
            if constexpr (std::is_same_v<T, float>)
                return avx2::floats(values.data(), values.size());
            else
                return avx2::doubles(values.data(), values.size());
        }
        return scan(values);
    }

    Kernel cpuKernel()
    {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") ? Kernel::Avx2 : Kernel::Sse2;
    }

    const Kernel Fastest = cpuKernel();

} // namespace

Kernel fastestKernel() { return Fastest; }

Extremes extremesOf(std::span<const float> values) { return scanWith(values, Fastest); }

Extremes extremesOf(std::span<const double> values) { return scanWith(values, Fastest); }

Extremes extremesOf(std::span<const float> values, Kernel kernel)
{
    return scanWith(values, kernel == Kernel::Avx2 ? Fastest : Kernel::Sse2);
}

Extremes extremesOf(std::span<const double> values, Kernel kernel)
{
    return scanWith(values, kernel == Kernel::Avx2 ? Fastest : Kernel::Sse2);
}

} // namespace sightline::core::decimate
