#include "core/decimate/extremes.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

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

    /// Positions are held in lanes as wide as the values: float runs longer than this are
    /// scanned in pieces and joined.
    constexpr std::size_t LongestScan = std::size_t(1) << 30;

    template <typename T> Extremes scanInPieces(std::span<const T> values)
    {
        const auto a = values.first(LongestScan);
        const auto b = values.subspan(LongestScan);
        return joined(a, extremesOf(a), b, extremesOf(b));
    }

} // namespace

SIGHTLINE_CPU_CLONES Extremes extremesOf(std::span<const float> values)
{
    return values.size() <= LongestScan ? scan(values) : scanInPieces(values);
}

SIGHTLINE_CPU_CLONES Extremes extremesOf(std::span<const double> values)
{
    return values.size() <= LongestScan ? scan(values) : scanInPieces(values);
}

} // namespace sightline::core::decimate
