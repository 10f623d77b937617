#pragma once

#include "core/store/sample_columns.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace sightline::core::store::detail {

/// The first minimum and maximum (skipping NaN) of a range of samples, and its sum if asked.
/// `minIndex` and `maxIndex` are NoIndex when every value is NaN (or the range is empty).
struct Extremes
{
    static constexpr std::size_t NoIndex = std::numeric_limits<std::size_t>::max();

    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    std::size_t minIndex = NoIndex;
    std::size_t maxIndex = NoIndex;
    double sum = 0;
};

/// The samples of one history cache segment (stamps strictly increasing) with a pyramid over
/// them: level 0 summarises blocks of BlockSamples samples, each level above Fanout nodes of
/// the one below, up to a level of at most Fanout nodes. Each node keeps its min and max with
/// where they first occur, the largest stamp step in it, and (above level 0) its sum. So the
/// extremes of any range cost O(BlockSamples + levels × Fanout), never a scan. At most 2^32
/// samples. Memory per sample: stamps 0.4–8.4 B (StampColumn), values 4 or 8 B
/// (ValueColumn), pyramid about 0.47 B; a regular float32 channel costs about 4.9 B.
class SamplePyramid
{
public:
    static constexpr std::size_t BlockSamples = 64;
    static constexpr std::size_t Fanout = 16;

    /// Copies the samples, sized exactly.
    static SamplePyramid build(std::span<const std::int64_t> stamps,
        std::span<const double> values);
    /// `left` then `right` (all later), sized exactly.
    static SamplePyramid join(const SamplePyramid& left, const SamplePyramid& right);
    /// Appends `right` (all later), updating only the pyramid's tail; capacity grows by a
    /// quarter at a time up to `growthLimit` samples, so appends cost amortised O(1).
    void append(const SamplePyramid& right, std::size_t growthLimit);
    /// Drops the spare capacity appends left.
    void shrinkToFit();

    [[nodiscard]] std::size_t size() const { return m_stamps.size(); }
    [[nodiscard]] bool empty() const { return m_stamps.size() == 0; }
    [[nodiscard]] std::int64_t stampAt(std::size_t i) const { return m_stamps.at(i); }
    [[nodiscard]] double valueAt(std::size_t i) const { return m_values.at(i); }
    /// Index of the first sample at or after `stamp` (size() when none).
    [[nodiscard]] std::size_t lowerBound(std::int64_t stamp) const;
    /// Index of the first sample after `stamp` (size() when none).
    [[nodiscard]] std::size_t upperBound(std::int64_t stamp) const;
    /// Asks the CPU to fetch what a range query ending or starting near sample `i` reads.
    void prefetch(std::size_t i) const;
    /// Asks the CPU to fetch what finding an edge at sample `i` and the extremes up to it read:
    /// `pass` 0 the stamp's block entry, the values around `i` and the level-0 and level-1
    /// nodes over it (no load needed to know where); 1 the stamp itself.
    void prefetchEdge(std::size_t i, int pass) const;
    /// Asks the CPU to fetch where stamp `i` is held: `pass` 0 its block's entry, 1 the stamp
    /// itself (which needs the entry). Many stamps read far apart go faster in two passes of
    /// prefetches first: their cache misses overlap.
    void prefetchStamp(std::size_t i, int pass) const
    {
        __builtin_prefetch(pass == 0 ? m_stamps.blockAddressOf(i) : m_stamps.addressOf(i));
    }
    /// Bytes held (capacities).
    [[nodiscard]] std::size_t bytes() const;

    /// The first min and max of samples [a, b), without the sum.
    [[nodiscard]] Extremes extremes(std::size_t a, std::size_t b) const;
    /// The first min and max of samples [a, b) and their sum (NaN if any value is NaN).
    [[nodiscard]] Extremes extremesWithSum(std::size_t a, std::size_t b) const;
    /// The first j in [a, b) whose stamp is more than `limit` after sample j - 1's, or b.
    [[nodiscard]] std::size_t firstStepOver(std::size_t a, std::size_t b, std::int64_t limit) const;

private:
    struct Node
    {
        double min; ///< +inf when every value is NaN
        double max; ///< -inf when every value is NaN
        std::uint32_t minIndex; ///< sample index of the first min
        std::uint32_t maxIndex;
    };
    struct Level
    {
        GrowableArray<Node> nodes;
        GrowableArray<double> sum; ///< empty at level 0 (summed from the samples when asked)
        GrowableArray<float> step; ///< the longest stamp step into or inside a node, rounded up

        void resize(std::size_t count, std::size_t limit, bool exact, bool withSum);
        [[nodiscard]] std::size_t bytes() const;
    };

    void rebuildFrom(std::size_t first, bool exact, std::size_t growthLimit);
    /// Fills level-0 node `node`; returns the longest stamp step into or inside it.
    std::int64_t fillBlock(std::size_t node);
    void fillNode(std::size_t level, std::size_t node);
    [[nodiscard]] double sumOf(std::size_t a, std::size_t b) const;

    template <bool WithSum> [[nodiscard]] Extremes collect(std::size_t a, std::size_t b) const;
    [[nodiscard]] Extremes collectBetweenBlocks(
        std::size_t first, std::size_t last, std::size_t a, std::size_t b) const;
    template <bool WithSum>
    void foldBlock(std::size_t block, std::size_t a, std::size_t b, Extremes& e) const;
    /// Folds a later part (a Node, or the Extremes of later samples) into `e`: strictly lower
    /// or higher only, so ties keep the earlier sample.
    template <typename Part> static void fold(const Part& part, Extremes& e)
    {
        const bool lower = part.min < e.min; // without branches: which part wins is random
        const bool higher = part.max > e.max;
        e.min = lower ? part.min : e.min;
        e.minIndex = lower ? part.minIndex : e.minIndex;
        e.max = higher ? part.max : e.max;
        e.maxIndex = higher ? part.maxIndex : e.maxIndex;
    }
    template <bool WithSum> void scanSamples(std::size_t a, std::size_t b, Extremes& e) const;
    template <typename Value>
    static void scanSamplesWide(const Value* values, std::size_t a, std::size_t b, Extremes& e);
    template <bool WithSum>
    void scanNodes(std::size_t level, std::size_t x, std::size_t y, Extremes& e) const;
    template <bool WithSum>
    void collectNodes(std::size_t level, std::size_t x, std::size_t y, Extremes& e) const;

    [[nodiscard]] std::size_t scanSteps(std::size_t a, std::size_t b, std::int64_t limit) const;
    [[nodiscard]] std::size_t searchNodes(
        std::size_t level, std::size_t x, std::size_t y, std::int64_t limit) const;
    [[nodiscard]] std::size_t searchNode(
        std::size_t level, std::size_t node, std::int64_t limit) const;

    StampColumn m_stamps;
    ValueColumn m_values;
    std::vector<Level> m_levels;
    std::int64_t m_maxStep = 0; ///< the longest step between neighbouring samples
    double m_sum = 0; ///< of all values
};

} // namespace sightline::core::store::detail
