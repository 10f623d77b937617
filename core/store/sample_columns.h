#pragma once

#include "core/store/growable_array.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sightline::core::store::detail {

/// Makes room in `v` for `size` elements; unless `exact`, capacity grows by a quarter at a
/// time (up to `limit`), so repeated appends cost amortised O(1) without doubling the memory.
template <typename Array> void reserveFor(Array& v, std::size_t size, std::size_t limit, bool exact)
{
    if (size > v.capacity()) {
        const std::size_t grown = v.capacity() + v.capacity() / 4 + 64;
        v.reserve(exact ? size : std::max(size, std::min(limit, grown)));
    }
}

/// Bytes `v` holds (its capacity, not its size): std::vector or GrowableArray.
template <typename Array> std::size_t capacityBytes(const Array& v)
{
    return v.capacity() * sizeof(typename Array::value_type);
}

/// reserveFor, then resizes `v` to `size`.
template <typename Array> void growTo(Array& v, std::size_t size, std::size_t limit, bool exact)
{
    reserveFor(v, size, limit, exact);
    v.resize(size);
}

/// Strictly increasing timestamps in blocks of BlockSamples, each stored as compactly as it
/// allows: equal steps (a regular sample rate) as the first stamp and the step, no bytes per
/// sample; other blocks spanning under 2^32 ns as 32-bit offsets from their first stamp; the
/// rest whole. So a regular channel costs 0.4 B per stamp, a jittery one 4.4 B, never more
/// than 8.4 B.
class StampColumn
{
public:
    static constexpr std::size_t BlockSamples = 64;

    /// Appends `stamps` (all after the last held). `limit` bounds capacity growth (samples).
    void append(std::span<const std::int64_t> stamps, std::size_t limit, bool exact);
    /// Appends all of `other` (all after the last held).
    void append(const StampColumn& other, std::size_t limit, bool exact);
    void shrinkToFit();

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] std::int64_t at(std::size_t i) const
    {
        const Block& block = m_blocks[i / BlockSamples];
        const std::size_t k = i % BlockSamples;
        switch (block.kind) {
        case Kind::Regular:
            return block.first + static_cast<std::int64_t>(k) * block.step;
        case Kind::Narrow:
            return block.first + static_cast<std::int64_t>(m_narrow[block.at + k]);
        case Kind::Wide:
            break;
        }
        return m_wide[block.at + k];
    }
    /// The longest step between neighbouring stamps inside block `block` (0 for one stamp).
    [[nodiscard]] std::int64_t longestStepIn(std::size_t block) const;
    /// Writes the stamps of block `block` to `out` (room for BlockSamples); returns how many.
    std::size_t decodeBlock(std::size_t block, std::int64_t* out) const;
    /// Index of the first stamp at or after `stamp` (size() when none).
    [[nodiscard]] std::size_t lowerBound(std::int64_t stamp) const;
    /// Index of the first stamp after `stamp` (size() when none).
    [[nodiscard]] std::size_t upperBound(std::int64_t stamp) const;
    /// Where stamp `i` is held (to prefetch); reads the entry of its block.
    [[nodiscard]] const void* addressOf(std::size_t i) const;
    /// Where the entry of stamp `i`'s block is held (to prefetch before addressOf).
    [[nodiscard]] const void* blockAddressOf(std::size_t i) const
    {
        return m_blocks.data() + i / BlockSamples;
    }
    /// Bytes held (capacities).
    [[nodiscard]] std::size_t bytes() const;

private:
    enum class Kind : std::uint8_t { Regular, Narrow, Wide };
    struct Block
    {
        std::int64_t first = 0;
        std::int64_t step = 0; ///< Regular only
        std::uint32_t at = 0; ///< Narrow and Wide: where the block's samples start
        Kind kind = Kind::Regular;
    };

    /// Encodes stamps added in pieces of any size into whole blocks, the column's partial
    /// last block first (reopened: its stamps are encoded again with what follows).
    class BlockFiller
    {
    public:
        /// Reopens `column`'s partial last block and makes room for `adding` more stamps.
        BlockFiller(StampColumn& column, std::size_t adding, std::size_t limit);
        void add(std::span<const std::int64_t> stamps);
        /// Encodes what is left as the (partial) last block.
        void finish();

    private:
        StampColumn& m_column;
        std::size_t m_limit;
        std::int64_t m_pending[BlockSamples];
        std::size_t m_count = 0;
    };

    /// Removes a partial last block, writing its stamps to `out` (room for BlockSamples);
    /// returns how many (0 when the last block is whole).
    std::size_t reopenLastBlock(std::int64_t* out);
    /// Encodes one block (at most BlockSamples stamps), growing storage by a quarter at a time.
    void encodeBlock(std::span<const std::int64_t> stamps, std::size_t limit);
    /// Index of the first stamp `beyond` holds for (false then true over the stamps).
    template <typename Beyond> [[nodiscard]] std::size_t partition(Beyond beyond) const;

    GrowableArray<Block> m_blocks;
    GrowableArray<std::uint32_t> m_narrow;
    GrowableArray<std::int64_t> m_wide;
    std::size_t m_size = 0;
};

/// Sample values as float while every one is exactly a float (float32 channels, integers
/// below 2^24, ±inf, NaN), as double once one is not: 4 B per sample for most telemetry.
class ValueColumn
{
public:
    void append(std::span<const double> values, std::size_t limit, bool exact);
    void append(const ValueColumn& other, std::size_t limit, bool exact);
    void shrinkToFit();

    [[nodiscard]] std::size_t size() const { return m_narrow ? m_floats.size() : m_doubles.size(); }
    [[nodiscard]] double at(std::size_t i) const { return m_narrow ? m_floats[i] : m_doubles[i]; }
    /// Calls `f` with a pointer to the values, `const float*` or `const double*`.
    template <typename F> decltype(auto) visit(F&& f) const
    {
        return m_narrow ? f(m_floats.data()) : f(m_doubles.data());
    }
    [[nodiscard]] bool isNarrow() const { return m_narrow; }
    [[nodiscard]] std::size_t bytes() const;

private:
    void widen();

    bool m_narrow = true;
    GrowableArray<float> m_floats;
    GrowableArray<double> m_doubles;
};

} // namespace sightline::core::store::detail
