#pragma once

#include "core/decimate/m4.h"
#include "core/store/ring_deque.h"
#include "core/store/rings.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace sightline::core::store {

/// The M4 decimation of one live channel, kept from frame to frame so that a frame costs
/// the columns shown plus the samples that arrived, not the samples in the window.
///
/// Columns lie on a grid fixed in time: column k holds the stamps in [k·width, (k+1)·width).
/// A view whose start is a multiple of the width and whose span is `columns` widths (what a
/// following live plot shows, see LivePlot) gets exactly the points of the reference
/// decimate::decimateM4; other views get the grid's columns, up to one column off the
/// pixels. A column is computed once all its samples are in (a later stamp is held) and then
/// only again when its samples change: when the rings' revision changes (going back in time,
/// backfill) everything is computed afresh, and a column whose oldest samples were evicted
/// is computed again. Lines break at marked gaps and where neighbouring samples of two runs
/// are more than `gapAfter` apart, as LiveStore::decimate does.
class LiveColumns
{
public:
    /// Brings the columns over [start, end) up to date with the rings (`values` paired with
    /// `index` by position); returns true when the points differ from the previous call's.
    bool update(const IndexRing& index,
        const ValueRing& values,
        std::int64_t start,
        std::int64_t end,
        int columns,
        std::int64_t gapAfter);
    /// Writes the points of the last update: keys in seconds from `origin`. When `out` holds
    /// what the previous call wrote into it, only what changed is written again: the points
    /// of columns the view left are dropped and those from the first changed column on are
    /// rewritten (a following frame costs the columns that received samples). Returns the
    /// smallest key from which `out` holds other points than before (a point changed, came
    /// or went; -infinity when all were written afresh), or nullopt when only points in
    /// front of the view's first column went (the view moved on).
    std::optional<double> writePoints(const IndexRing& index,
        const ValueRing& values,
        std::int64_t origin,
        decimate::PlotPoints& out);
    /// The origin of the last writePoints (none after clear()).
    [[nodiscard]] std::optional<std::int64_t> emittedOrigin() const { return m_emittedOrigin; }
    /// Forgets every column (the next update computes them all).
    void clear();

    /// Columns computed by the last update (a frame's cost), for tests and benchmarks.
    [[nodiscard]] std::size_t lastComputed() const { return m_lastComputed; }

    /// The grid width a view of `span` over `columns` pixels uses (at least 1 ns).
    [[nodiscard]] static std::int64_t widthFor(std::int64_t span, int columns);

private:
    /// One unbroken run of samples in a column: its first, lowest, highest and last sample
    /// (the extremes' first positions, NaNs skipped, as the reference), in time order and
    /// each once, with their stamps and values, so that drawing reads no ring.
    struct Run
    {
        std::array<Position, 4> at {};
        std::array<std::int64_t, 4> stamps {};
        std::array<double, 4> values {};
        std::uint8_t count = 0;

        [[nodiscard]] Position first() const { return at[0]; }
        [[nodiscard]] Position last() const { return at[count - 1]; }
        /// The same samples (the rings' revision tells whether their values changed).
        friend bool operator==(const Run& a, const Run& b)
        {
            return a.count == b.count && a.at == b.at;
        }
    };
    /// One column: the positions [begin, end) of its samples and their runs (a marked gap
    /// splits a column into runs: the rare further runs live in `moreRuns`).
    struct Column
    {
        Position begin = 0;
        Position end = 0;
        /// Where the column's points (a line break before them included) begin in the output
        /// last written, plus m_pointShift.
        qsizetype pointsBegin = 0;
        Run run {};
        std::vector<Run> moreRuns;
        bool known = false; ///< computed since the last change
        bool closed = false; ///< a later stamp is held: no sample can join it

        [[nodiscard]] bool sameSamples(const Column& other) const
        {
            return begin == other.begin && end == other.end && run == other.run
                && moreRuns == other.moreRuns;
        }
    };
    /// Where the stamps of the view lie and how far apart they are on average.
    struct Span
    {
        Position lo = 0;
        Position hi = 0;
        double period = 0;
    };

    template <typename T>
    void compute(Column& column,
        std::int64_t k,
        const IndexRing& index,
        const ValueRing& values,
        const Span& span,
        std::optional<Position> from) const;
    /// The run of the samples at `first` + `picks` (offsets into `a` followed by `b`).
    template <typename T>
    [[nodiscard]] static Run runOf(const IndexRing& index,
        std::span<const T> a,
        std::span<const T> b,
        Position first,
        std::array<std::size_t, 4> picks);
    /// Forgets the columns and the samples around them (not the grid).
    void dropColumns();
    /// Whether `out` holds the points last written into it and the columns still hold
    /// their places in it, so that writePoints() can patch it.
    [[nodiscard]] bool canPatch(const decimate::PlotPoints& out, std::int64_t origin) const;
    /// Writes the points of the columns from `first` on, then the sample after them, at the
    /// end of `out` (which holds those before).
    void appendFrom(std::size_t first,
        const IndexRing& index,
        const ValueRing& values,
        std::int64_t origin,
        decimate::PlotPoints& out);
    /// Makes the columns [first, last), keeping those already computed that are still valid.
    void reshape(std::int64_t first, std::int64_t last, Position lo);

    std::int64_t m_width = 0;
    std::int64_t m_gapAfter = 0;
    std::uint64_t m_indexRevision = 0;
    std::uint64_t m_valueRevision = 0;
    /// The sample just before the first column and just after the last, if any.
    std::optional<Position> m_before;
    std::optional<Position> m_after;
    std::int64_t m_firstColumn = 0;
    RingDeque<Column> m_columns;
    /// The leading columns that are computed and closed: an update starts after them.
    std::size_t m_settled = 0;
    std::size_t m_lastComputed = 0;
    std::optional<std::int64_t> m_emittedOrigin;

    // What the last writePoints() wrote, for patching it at the next.
    /// The first column (grid number) whose points may differ from those written.
    std::int64_t m_changedColumn = std::numeric_limits<std::int64_t>::max();
    const decimate::PlotPoints* m_writtenTo = nullptr; ///< none: write afresh
    qsizetype m_writtenSize = 0;
    std::int64_t m_writtenFirstColumn = 0;
    std::int64_t m_writtenEndColumn = 0;
    /// Output index + m_pointShift = stored pointsBegin (dropping points in front shifts it).
    qsizetype m_pointShift = 0;
    qsizetype m_columnsEnd = 0; ///< where the points after the columns begin (+ shift)
};

} // namespace sightline::core::store
