#include "core/store/sample_pyramid.h"

#include "core/decimate/extremes.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace sightline::core::store::detail {

namespace {

    constexpr double Infinity = std::numeric_limits<double>::infinity();
    constexpr float TwoTo63 = 0x1p63F;
    constexpr std::size_t NoIndex = Extremes::NoIndex;

    std::size_t ceilDiv(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

    /// `step` as a float no smaller than it (a conservative bound).
    float stepBound(std::int64_t step)
    {
        auto bound = static_cast<float>(step);
        if (bound < TwoTo63 && static_cast<std::int64_t>(bound) < step)
            bound = std::nextafter(bound, std::numeric_limits<float>::infinity());
        return bound;
    }

    /// Whether a node whose steps are bounded by `bound` may hold one longer than `limit`.
    bool mayStepOver(float bound, std::int64_t limit)
    {
        return bound >= TwoTo63 || static_cast<std::int64_t>(bound) > limit;
    }

} // namespace

void SamplePyramid::Level::resize(std::size_t count, std::size_t limit, bool exact, bool withSum)
{
    growTo(nodes, count, limit, exact);
    growTo(step, count, limit, exact);
    if (withSum)
        growTo(sum, count, limit, exact);
}

std::size_t SamplePyramid::Level::bytes() const
{
    return capacityBytes(nodes) + capacityBytes(sum) + capacityBytes(step);
}

SamplePyramid SamplePyramid::build(std::span<const std::int64_t> stamps,
    std::span<const double> values)
{
    SamplePyramid p;
    p.m_stamps.append(stamps, stamps.size(), true);
    p.m_values.append(values, values.size(), true);
    p.rebuildFrom(0, true, p.size());
    return p;
}

SamplePyramid SamplePyramid::join(const SamplePyramid& left, const SamplePyramid& right)
{
    SamplePyramid p;
    const std::size_t size = left.size() + right.size();
    p.m_stamps = left.m_stamps;
    p.m_stamps.append(right.m_stamps, size, true);
    p.m_values = left.m_values;
    p.m_values.append(right.m_values, size, true);
    p.rebuildFrom(0, true, p.size());
    return p;
}

void SamplePyramid::append(const SamplePyramid& right, std::size_t growthLimit)
{
    const std::size_t old = size();
    m_stamps.append(right.m_stamps, growthLimit, false);
    m_values.append(right.m_values, growthLimit, false);
    rebuildFrom(old, false, growthLimit);
}

void SamplePyramid::shrinkToFit()
{
    m_stamps.shrinkToFit();
    m_values.shrinkToFit();
    for (Level& level : m_levels) {
        level.nodes.shrink_to_fit();
        level.sum.shrink_to_fit();
        level.step.shrink_to_fit();
    }
    m_levels.shrink_to_fit();
}

std::size_t SamplePyramid::lowerBound(std::int64_t stamp) const
{
    return m_stamps.lowerBound(stamp);
}

std::size_t SamplePyramid::upperBound(std::int64_t stamp) const
{
    return m_stamps.upperBound(stamp);
}

std::size_t SamplePyramid::bytes() const
{
    std::size_t bytes = m_stamps.bytes() + m_values.bytes() + capacityBytes(m_levels);
    for (const Level& level : m_levels)
        bytes += level.bytes();
    return bytes;
}

void SamplePyramid::prefetch(std::size_t i) const
{
    constexpr std::size_t Line = 64;
    const auto fetch = [](const void* from, std::size_t bytes) {
        for (std::size_t offset = 0; offset < bytes; offset += Line)
            __builtin_prefetch(static_cast<const char*>(from) + offset);
    };
    fetch(m_stamps.addressOf(i), sizeof(std::int64_t));
    const std::size_t block = i / BlockSamples;
    const std::size_t count = std::min((block + 1) * BlockSamples, size()) - block * BlockSamples;
    m_values.visit(
        [&](const auto* values) { fetch(values + block * BlockSamples, count * sizeof(*values)); });
    std::size_t node = block;
    for (std::size_t level = 0; level < m_levels.size() && level < 2; ++level) {
        const std::size_t group = node / Fanout * Fanout;
        const std::size_t end = std::min(group + Fanout, m_levels[level].nodes.size());
        fetch(m_levels[level].nodes.data() + group, (end - group) * sizeof(Node));
        node /= Fanout;
    }
}

void SamplePyramid::prefetchEdge(std::size_t i, int pass) const
{
    if (pass != 0) {
        __builtin_prefetch(m_stamps.addressOf(i));
        return;
    }
    __builtin_prefetch(m_stamps.blockAddressOf(i));
    m_values.visit([&](const auto* values) { __builtin_prefetch(values + i); });
    std::size_t node = i / BlockSamples;
    for (std::size_t level = 0; level < m_levels.size() && level < 2; ++level, node /= Fanout)
        __builtin_prefetch(m_levels[level].nodes.data() + node);
}

// Building -----------------------------------------------------------------------------------

/// Recomputes the pyramid over samples from `first` on (what lies before is unchanged).
void SamplePyramid::rebuildFrom(std::size_t first, bool exact, std::size_t growthLimit)
{
    const std::size_t n = size();
    if (first == 0) {
        m_maxStep = 0;
        m_sum = 0;
    }
    m_sum += sumOf(first, n);
    if (n == 0) {
        m_levels.clear();
        return;
    }
    std::size_t count = ceilDiv(n, BlockSamples);
    std::size_t from = first / BlockSamples;
    std::size_t limit = ceilDiv(growthLimit, BlockSamples);
    for (std::size_t level = 0;; ++level) {
        if (level == m_levels.size()) {
            m_levels.emplace_back();
            from = 0;
        }
        m_levels[level].resize(count, limit, exact, level > 0);
        for (std::size_t node = from; node < count; ++node) {
            if (level == 0)
                m_maxStep = std::max(m_maxStep, fillBlock(node));
            else
                fillNode(level, node);
        }
        if (count <= Fanout) {
            m_levels.resize(level + 1);
            return;
        }
        count = ceilDiv(count, Fanout);
        from /= Fanout;
        limit = ceilDiv(limit, Fanout);
    }
}

std::int64_t SamplePyramid::fillBlock(std::size_t node)
{
    const std::size_t begin = node * BlockSamples;
    const std::size_t end = std::min(begin + BlockSamples, size());
    Node summary { Infinity, -Infinity, std::uint32_t(begin), std::uint32_t(begin) };
    m_values.visit([&](const auto* values) {
        const decimate::Extremes e = decimate::extremesOf(std::span(values + begin, end - begin));
        if (e.found) {
            summary = { values[begin + e.low],
                values[begin + e.high],
                std::uint32_t(begin + e.low),
                std::uint32_t(begin + e.high) };
        }
    });
    const std::int64_t into = begin > 0 ? m_stamps.at(begin) - m_stamps.at(begin - 1) : 0;
    const std::int64_t step = std::max(into, m_stamps.longestStepIn(node));
    m_levels[0].nodes[node] = summary;
    m_levels[0].step[node] = stepBound(step);
    return step;
}

void SamplePyramid::fillNode(std::size_t level, std::size_t node)
{
    const Level& below = m_levels[level - 1];
    const std::size_t begin = node * Fanout;
    const std::size_t end = std::min(begin + Fanout, below.nodes.size());
    Node summary { Infinity, -Infinity, 0, 0 };
    float step = 0;
    double sum = 0;
    for (std::size_t c = begin; c < end; ++c) {
        const Node& child = below.nodes[c];
        if (child.min < summary.min) {
            summary.min = child.min;
            summary.minIndex = child.minIndex;
        }
        if (child.max > summary.max) {
            summary.max = child.max;
            summary.maxIndex = child.maxIndex;
        }
        step = std::max(step, below.step[c]);
        if (level > 1)
            sum += below.sum[c];
    }
    if (level == 1)
        sum = sumOf(begin * BlockSamples, std::min(end * BlockSamples, size()));
    Level& here = m_levels[level];
    here.nodes[node] = summary;
    here.step[node] = step;
    here.sum[node] = sum;
}

/// In eight interleaved partial sums (so the adds overlap), added up at the end: the order
/// differs from a running sum only by rounding.
double SamplePyramid::sumOf(std::size_t a, std::size_t b) const
{
    return m_values.visit([a, b](const auto* values) {
        constexpr std::size_t Lanes = 8;
        std::array<double, Lanes> lanes {};
        std::size_t j = a;
        for (; j + Lanes <= b; j += Lanes)
            for (std::size_t lane = 0; lane < Lanes; ++lane)
                lanes[lane] += values[j + lane];
        double sum = 0;
        for (const double lane : lanes)
            sum += lane;
        for (; j < b; ++j)
            sum += values[j];
        return sum;
    });
}

// Extremes -----------------------------------------------------------------------------------

Extremes SamplePyramid::extremes(std::size_t a, std::size_t b) const
{
    return collect<false>(a, b);
}

Extremes SamplePyramid::extremesWithSum(std::size_t a, std::size_t b) const
{
    return collect<true>(a, b);
}

template <bool WithSum> Extremes SamplePyramid::collect(std::size_t a, std::size_t b) const
{
    Extremes e;
    if (a >= b)
        return e;
    if (WithSum && a == 0 && b == size()) { // all of it: the top level and the total
        scanNodes<false>(m_levels.size() - 1, 0, m_levels.back().nodes.size(), e);
        e.sum = m_sum;
    } else if (m_levels.empty()) {
        scanSamples<WithSum>(a, b, e);
    } else {
        const std::size_t first = a / BlockSamples; // the blocks holding a and b - 1
        const std::size_t last = (b - 1) / BlockSamples;
        if (first == last) {
            foldBlock<WithSum>(first, a, b, e);
        } else if (!WithSum && first + 1 < last) {
            e = collectBetweenBlocks(first, last, a, b);
        } else {
            foldBlock<WithSum>(first, a, (first + 1) * BlockSamples, e);
            if (first + 1 < last)
                collectNodes<WithSum>(0, first + 1, last, e);
            foldBlock<WithSum>(last, last * BlockSamples, b, e);
        }
    }
    // No min below +inf: every value but NaN is +inf, so the first max is the first min
    // (and the other way round).
    if (e.minIndex == NoIndex)
        e.minIndex = e.maxIndex;
    else if (e.maxIndex == NoIndex)
        e.maxIndex = e.minIndex;
    return e;
}

/// Samples [a, b) reaching from inside block `first` to inside block `last` over whole
/// blocks between them. The whole blocks first: a partial block at either end is read only
/// when its node says it could hold an extreme that beats theirs (ties go to the earlier
/// sample), so a wide run mostly reads no sample at all.
Extremes SamplePyramid::collectBetweenBlocks(
    std::size_t first, std::size_t last, std::size_t a, std::size_t b) const
{
    Extremes middle;
    collectNodes<false>(0, first + 1, last, middle);
    Extremes e;
    const Node& left = m_levels[0].nodes[first];
    if (left.min > middle.min && left.max < middle.max) {
        e = middle; // the earlier part holds nothing as low or as high
    } else {
        foldBlock<false>(first, a, (first + 1) * BlockSamples, e);
        fold(middle, e);
    }
    const Node& right = m_levels[0].nodes[last];
    if (right.min < e.min || right.max > e.max)
        foldBlock<false>(last, last * BlockSamples, b, e);
    return e;
}

template <bool WithSum>
void SamplePyramid::scanSamples(std::size_t a, std::size_t b, Extremes& e) const
{
    m_values.visit([&](const auto* values) {
        if constexpr (!WithSum) {
            if (b >= a + 8) {
                scanSamplesWide(values, a, b, e);
                return;
            }
        }
        for (std::size_t j = a; j < b; ++j) {
            const double v = values[j];
            if (v < e.min) {
                e.min = v;
                e.minIndex = j;
            }
            if (v > e.max) {
                e.max = v;
                e.maxIndex = j;
            }
            if constexpr (WithSum)
                e.sum += v;
        }
    });
}

/// scanSamples without the sum, as min and max first (in independent lanes, which skip NaN
/// as the scalar comparisons do), then a search for where each first occurs.
template <typename Value>
void SamplePyramid::scanSamplesWide(const Value* values, std::size_t a, std::size_t b, Extremes& e)
{
    std::array<Value, 4> low;
    std::array<Value, 4> high;
    low.fill(std::numeric_limits<Value>::infinity());
    high.fill(-std::numeric_limits<Value>::infinity());
    std::size_t j = a;
    for (; j + 4 <= b; j += 4) {
        for (std::size_t lane = 0; lane < 4; ++lane) {
            const Value v = values[j + lane];
            low[lane] = v < low[lane] ? v : low[lane];
            high[lane] = v > high[lane] ? v : high[lane];
        }
    }
    for (; j < b; ++j) {
        low[0] = values[j] < low[0] ? values[j] : low[0];
        high[0] = values[j] > high[0] ? values[j] : high[0];
    }
    const Value min = std::min({ low[0], low[1], low[2], low[3] });
    const Value max = std::max({ high[0], high[1], high[2], high[3] });
    if (min < e.min) {
        std::size_t at = a;
        while (!(values[at] == min))
            ++at;
        e.min = values[at];
        e.minIndex = at;
    }
    if (max > e.max) {
        std::size_t at = a;
        while (!(values[at] == max))
            ++at;
        e.max = values[at];
        e.maxIndex = at;
    }
}

/// Samples [a, b) of block `block`: its node stands for them when its first min and max lie
/// inside (they are then theirs too); otherwise they are scanned.
template <bool WithSum>
void SamplePyramid::foldBlock(std::size_t block, std::size_t a, std::size_t b, Extremes& e) const
{
    const Node& node = m_levels[0].nodes[block];
    const bool inside
        = node.minIndex >= a && node.minIndex < b && node.maxIndex >= a && node.maxIndex < b;
    if (WithSum || !inside)
        scanSamples<WithSum>(a, b, e);
    else
        fold(node, e);
}

template <bool WithSum>
void SamplePyramid::scanNodes(std::size_t level, std::size_t x, std::size_t y, Extremes& e) const
{
    const Node* nodes = m_levels[level].nodes.data();
    for (std::size_t c = x; c < y; ++c)
        fold(nodes[c], e);
    if constexpr (WithSum) {
        if (level == 0) {
            e.sum += sumOf(x * BlockSamples, std::min(y * BlockSamples, size()));
        } else {
            for (std::size_t c = x; c < y; ++c)
                e.sum += m_levels[level].sum[c];
        }
    }
}

/// Folds nodes [x, y) of `level` into `e` in time order, using the levels above for whole
/// groups, so that ties keep the first.
template <bool WithSum>
void SamplePyramid::collectNodes(std::size_t level, std::size_t x, std::size_t y, Extremes& e) const
{
    if (level + 1 >= m_levels.size() || y < x + 2 * Fanout) {
        scanNodes<WithSum>(level, x, y, e);
        return;
    }
    const std::size_t groupX = ceilDiv(x, Fanout);
    const std::size_t groupY = y / Fanout;
    scanNodes<WithSum>(level, x, groupX * Fanout, e);
    collectNodes<WithSum>(level + 1, groupX, groupY, e);
    scanNodes<WithSum>(level, groupY * Fanout, y, e);
}

// Steps --------------------------------------------------------------------------------------

std::size_t SamplePyramid::firstStepOver(std::size_t a, std::size_t b, std::int64_t limit) const
{
    a = std::max<std::size_t>(a, 1);
    if (a >= b || m_maxStep <= limit)
        return b;
    if (m_levels.empty() || b < a + 2 * BlockSamples)
        return scanSteps(a, b, limit);
    const std::size_t blockA = ceilDiv(a, BlockSamples);
    const std::size_t blockB = b / BlockSamples;
    if (const std::size_t j = scanSteps(a, blockA * BlockSamples, limit); j < blockA * BlockSamples)
        return j;
    if (const std::size_t j = searchNodes(0, blockA, blockB, limit); j != NoIndex)
        return j;
    return scanSteps(blockB * BlockSamples, b, limit);
}

std::size_t SamplePyramid::scanSteps(std::size_t a, std::size_t b, std::int64_t limit) const
{
    for (std::size_t j = a; j < b; ++j) {
        if (m_stamps.at(j) - m_stamps.at(j - 1) > limit)
            return j;
    }
    return b;
}

/// The first long step under nodes [x, y) of `level`, in time order; NoIndex when none.
std::size_t SamplePyramid::searchNodes(
    std::size_t level, std::size_t x, std::size_t y, std::int64_t limit) const
{
    const auto scan = [&](std::size_t from, std::size_t to) {
        for (std::size_t c = from; c < to; ++c) {
            if (const std::size_t j = searchNode(level, c, limit); j != NoIndex)
                return j;
        }
        return NoIndex;
    };
    if (level + 1 >= m_levels.size() || y < x + 2 * Fanout)
        return scan(x, y);
    const std::size_t groupX = ceilDiv(x, Fanout);
    const std::size_t groupY = y / Fanout;
    if (const std::size_t j = scan(x, groupX * Fanout); j != NoIndex)
        return j;
    if (const std::size_t j = searchNodes(level + 1, groupX, groupY, limit); j != NoIndex)
        return j;
    return scan(groupY * Fanout, y);
}

/// The first long step under one node; NoIndex when none (bounds are rounded up, so a node
/// that may hold one can hold none).
std::size_t SamplePyramid::searchNode(std::size_t level, std::size_t node, std::int64_t limit) const
{
    if (!mayStepOver(m_levels[level].step[node], limit))
        return NoIndex;
    if (level == 0) {
        const std::size_t begin = std::max<std::size_t>(node * BlockSamples, 1);
        const std::size_t end = std::min(node * BlockSamples + BlockSamples, size());
        const std::size_t j = scanSteps(begin, end, limit);
        return j < end ? j : NoIndex;
    }
    const std::size_t end = std::min(node * Fanout + Fanout, m_levels[level - 1].nodes.size());
    for (std::size_t c = node * Fanout; c < end; ++c) {
        if (const std::size_t j = searchNode(level - 1, c, limit); j != NoIndex)
            return j;
    }
    return NoIndex;
}

} // namespace sightline::core::store::detail
