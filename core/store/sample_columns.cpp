#include "core/store/sample_columns.h"

#include <cfloat>
#include <cmath>
#include <limits>

namespace sightline::core::store::detail {

namespace {

    std::size_t ceilDiv(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

    bool isExactFloat(double v)
    {
        return !std::isfinite(v) || (std::abs(v) <= FLT_MAX && double(float(v)) == v);
    }

} // namespace

// StampColumn --------------------------------------------------------------------------------

void StampColumn::append(std::span<const std::int64_t> stamps, std::size_t limit, bool exact)
{
    if (stamps.empty())
        return;
    BlockFiller filler(*this, stamps.size(), limit);
    filler.add(stamps);
    filler.finish();
    if (exact)
        shrinkToFit();
}

void StampColumn::append(const StampColumn& other, std::size_t limit, bool exact)
{
    if (m_size % BlockSamples != 0) { // blocks would not line up: encode again
        BlockFiller filler(*this, other.size(), limit);
        std::int64_t stamps[BlockSamples];
        for (std::size_t block = 0; block < other.m_blocks.size(); ++block)
            filler.add(std::span(stamps, other.decodeBlock(block, stamps)));
        filler.finish();
        if (exact)
            shrinkToFit();
        return;
    }
    const auto narrowBase = static_cast<std::uint32_t>(m_narrow.size());
    const auto wideBase = static_cast<std::uint32_t>(m_wide.size());
    reserveFor(m_blocks,
        m_blocks.size() + other.m_blocks.size(),
        ceilDiv(limit, BlockSamples),
        exact);
    for (Block block : other.m_blocks) {
        block.at += block.kind == Kind::Narrow ? narrowBase
            : block.kind == Kind::Wide         ? wideBase
                                               : 0;
        m_blocks.push_back(block);
    }
    growTo(m_narrow, m_narrow.size() + other.m_narrow.size(), limit, exact);
    std::ranges::copy(other.m_narrow, m_narrow.end() - std::ptrdiff_t(other.m_narrow.size()));
    growTo(m_wide, m_wide.size() + other.m_wide.size(), limit, exact);
    std::ranges::copy(other.m_wide, m_wide.end() - std::ptrdiff_t(other.m_wide.size()));
    m_size += other.m_size;
}

StampColumn::BlockFiller::BlockFiller(StampColumn& column, std::size_t adding, std::size_t limit)
    : m_column(column)
    , m_limit(limit)
{
    const std::size_t reopened = column.reopenLastBlock(m_pending);
    m_count = reopened;
    reserveFor(column.m_blocks,
        column.m_blocks.size() + ceilDiv(reopened + adding, BlockSamples),
        ceilDiv(limit, BlockSamples),
        false);
}

void StampColumn::BlockFiller::add(std::span<const std::int64_t> stamps)
{
    while (!stamps.empty()) {
        if (m_count == 0 && stamps.size() >= BlockSamples) { // whole blocks: straight in
            m_column.encodeBlock(stamps.first(BlockSamples), m_limit);
            stamps = stamps.subspan(BlockSamples);
            continue;
        }
        const std::size_t taken = std::min(BlockSamples - m_count, stamps.size());
        std::copy_n(stamps.begin(), taken, m_pending + m_count);
        m_count += taken;
        stamps = stamps.subspan(taken);
        if (m_count == BlockSamples) {
            m_column.encodeBlock(std::span(m_pending, m_count), m_limit);
            m_count = 0;
        }
    }
}

void StampColumn::BlockFiller::finish()
{
    if (m_count > 0)
        m_column.encodeBlock(std::span(m_pending, m_count), m_limit);
    m_count = 0;
}

void StampColumn::shrinkToFit()
{
    m_blocks.shrink_to_fit();
    m_narrow.shrink_to_fit();
    m_wide.shrink_to_fit();
}

std::size_t StampColumn::reopenLastBlock(std::int64_t* out)
{
    if (m_size % BlockSamples == 0)
        return 0;
    const std::size_t count = decodeBlock(m_blocks.size() - 1, out);
    const Block& last = m_blocks.back();
    if (last.kind == Kind::Narrow)
        m_narrow.resize(last.at);
    else if (last.kind == Kind::Wide)
        m_wide.resize(last.at);
    m_blocks.pop_back();
    m_size -= count;
    return count;
}

void StampColumn::encodeBlock(std::span<const std::int64_t> stamps, std::size_t limit)
{
    Block block;
    block.first = stamps.front();
    block.step = stamps.size() > 1 ? stamps[1] - stamps[0] : 0;
    bool regular = true;
    for (std::size_t k = 2; k < stamps.size() && regular; ++k)
        regular = stamps[k] - stamps[k - 1] == block.step;
    const auto span = static_cast<std::uint64_t>(stamps.back() - stamps.front());
    if (regular) {
        block.kind = Kind::Regular;
    } else if (span <= std::numeric_limits<std::uint32_t>::max()) {
        block.kind = Kind::Narrow;
        block.at = static_cast<std::uint32_t>(m_narrow.size());
        growTo(m_narrow, m_narrow.size() + stamps.size(), limit, false);
        for (std::size_t k = 0; k < stamps.size(); ++k)
            m_narrow[block.at + k] = static_cast<std::uint32_t>(stamps[k] - block.first);
    } else {
        block.kind = Kind::Wide;
        block.at = static_cast<std::uint32_t>(m_wide.size());
        growTo(m_wide, m_wide.size() + stamps.size(), limit, false);
        std::ranges::copy(stamps, m_wide.begin() + block.at);
    }
    m_blocks.push_back(block);
    m_size += stamps.size();
}

std::size_t StampColumn::decodeBlock(std::size_t block, std::int64_t* out) const
{
    const Block& b = m_blocks[block];
    const std::size_t count = std::min(BlockSamples, m_size - block * BlockSamples);
    switch (b.kind) {
    case Kind::Regular:
        for (std::size_t k = 0; k < count; ++k)
            out[k] = b.first + static_cast<std::int64_t>(k) * b.step;
        break;
    case Kind::Narrow:
        for (std::size_t k = 0; k < count; ++k)
            out[k] = b.first + static_cast<std::int64_t>(m_narrow[b.at + k]);
        break;
    case Kind::Wide:
        std::copy_n(m_wide.begin() + b.at, count, out);
        break;
    }
    return count;
}

std::int64_t StampColumn::longestStepIn(std::size_t block) const
{
    const Block& b = m_blocks[block];
    const std::size_t count = std::min(BlockSamples, m_size - block * BlockSamples);
    std::int64_t longest = 0;
    switch (b.kind) {
    case Kind::Regular:
        return count > 1 ? b.step : 0;
    case Kind::Narrow:
        for (std::size_t k = 1; k < count; ++k)
            longest = std::max<std::int64_t>(longest, m_narrow[b.at + k] - m_narrow[b.at + k - 1]);
        break;
    case Kind::Wide:
        for (std::size_t k = 1; k < count; ++k)
            longest = std::max(longest, m_wide[b.at + k] - m_wide[b.at + k - 1]);
        break;
    }
    return longest;
}

template <typename Beyond> std::size_t StampColumn::partition(Beyond beyond) const
{
    const auto after
        = std::ranges::partition_point(m_blocks, [&](const Block& b) { return !beyond(b.first); });
    if (after == m_blocks.begin())
        return 0;
    const auto block = std::size_t(after - m_blocks.begin()) - 1;
    std::int64_t stamps[BlockSamples];
    const std::size_t count = decodeBlock(block, stamps);
    const std::size_t k = std::size_t(
        std::partition_point(stamps, stamps + count, [&](std::int64_t t) { return !beyond(t); })
        - stamps);
    return block * BlockSamples + k;
}

std::size_t StampColumn::lowerBound(std::int64_t stamp) const
{
    return partition([stamp](std::int64_t t) { return t >= stamp; });
}

std::size_t StampColumn::upperBound(std::int64_t stamp) const
{
    return partition([stamp](std::int64_t t) { return t > stamp; });
}

const void* StampColumn::addressOf(std::size_t i) const
{
    const Block& block = m_blocks[i / BlockSamples];
    switch (block.kind) {
    case Kind::Regular:
        break;
    case Kind::Narrow:
        return m_narrow.data() + block.at + i % BlockSamples;
    case Kind::Wide:
        return m_wide.data() + block.at + i % BlockSamples;
    }
    return &block;
}

std::size_t StampColumn::bytes() const
{
    return capacityBytes(m_blocks) + capacityBytes(m_narrow) + capacityBytes(m_wide);
}

// ValueColumn --------------------------------------------------------------------------------

void ValueColumn::append(std::span<const double> values, std::size_t limit, bool exact)
{
    if (m_narrow && !std::ranges::all_of(values, isExactFloat))
        widen();
    if (m_narrow) {
        const std::size_t old = m_floats.size();
        growTo(m_floats, old + values.size(), limit, exact);
        std::ranges::transform(values, m_floats.begin() + std::ptrdiff_t(old), [](double v) {
            return static_cast<float>(v);
        });
    } else {
        const std::size_t old = m_doubles.size();
        growTo(m_doubles, old + values.size(), limit, exact);
        std::ranges::copy(values, m_doubles.begin() + std::ptrdiff_t(old));
    }
}

void ValueColumn::append(const ValueColumn& other, std::size_t limit, bool exact)
{
    if (!other.m_narrow) {
        append(other.m_doubles, limit, exact);
        return;
    }
    if (m_narrow) {
        const std::size_t old = m_floats.size();
        growTo(m_floats, old + other.m_floats.size(), limit, exact);
        std::ranges::copy(other.m_floats, m_floats.begin() + std::ptrdiff_t(old));
        return;
    }
    const std::size_t old = m_doubles.size();
    growTo(m_doubles, old + other.m_floats.size(), limit, exact);
    std::ranges::copy(other.m_floats, m_doubles.begin() + std::ptrdiff_t(old));
}

void ValueColumn::shrinkToFit()
{
    m_floats.shrink_to_fit();
    m_doubles.shrink_to_fit();
}

void ValueColumn::widen()
{
    m_doubles.assign(m_floats.begin(), m_floats.end());
    m_floats = {};
    m_narrow = false;
}

std::size_t ValueColumn::bytes() const
{
    return capacityBytes(m_floats) + capacityBytes(m_doubles);
}

} // namespace sightline::core::store::detail
