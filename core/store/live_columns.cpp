#include "core/store/live_columns.h"

#include "core/decimate/extremes.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace sightline::core::store {

namespace {

    std::int64_t floorDiv(std::int64_t a, std::int64_t b)
    {
        const std::int64_t q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    std::int64_t ceilDiv(std::int64_t a, std::int64_t b) { return -floorDiv(-a, b); }

} // namespace

template <typename T>
LiveColumns::Run LiveColumns::runOf(const IndexRing& index,
    std::span<const T> a,
    std::span<const T> b,
    Position first,
    std::array<std::size_t, 4> picks)
{
    std::sort(picks.begin(), picks.end());
    Run run;
    for (std::size_t i = 0; i < picks.size(); ++i) {
        const std::size_t offset = picks[i];
        if (i > 0 && offset == picks[i - 1])
            continue;
        const Position p = first + offset;
        run.at[run.count] = p;
        run.stamps[run.count] = index.stampAt(p);
        run.values[run.count]
            = static_cast<double>(offset < a.size() ? a[offset] : b[offset - a.size()]);
        ++run.count;
    }
    return run;
}

std::int64_t LiveColumns::widthFor(std::int64_t span, int columns)
{
    if (columns <= 0)
        return std::max<std::int64_t>(1, span);
    return std::max<std::int64_t>(1, (span + columns / 2) / columns);
}

void LiveColumns::clear()
{
    dropColumns();
    m_width = 0;
    m_emittedOrigin.reset();
}

void LiveColumns::dropColumns()
{
    m_writtenTo = nullptr;
    m_columns.clear();
    m_settled = 0;
    m_before.reset();
    m_after.reset();
}

void LiveColumns::reshape(std::int64_t first, std::int64_t last, Position lo)
{
    const std::int64_t held = static_cast<std::int64_t>(m_columns.size());
    if (m_columns.empty() || last <= m_firstColumn || first >= m_firstColumn + held) {
        m_columns.assign(static_cast<std::size_t>(last - first));
        m_firstColumn = first;
        m_settled = 0;
        m_writtenTo = nullptr;
        return;
    }
    while (m_firstColumn < first) {
        m_columns.popFront();
        ++m_firstColumn;
        m_settled -= m_settled > 0 ? 1 : 0;
    }
    while (m_firstColumn > first) {
        m_columns.pushFront();
        --m_firstColumn;
        m_settled = 0;
    }
    m_columns.resize(static_cast<std::size_t>(last - first));
    m_settled = std::min(m_settled, m_columns.size());
    // Columns whose oldest samples were evicted are computed again.
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        Column& column = m_columns[i];
        if (column.begin >= lo && column.known)
            break;
        column.known = false;
        m_settled = 0;
    }
}

template <typename T>
void LiveColumns::compute(Column& column,
    std::int64_t k,
    const IndexRing& index,
    const ValueRing& values,
    const Span& span,
    std::optional<Position> from) const
{
    const std::int64_t left = k * m_width;
    const std::int64_t right = left + m_width;
    Position begin = from ? *from : std::clamp(index.lowerBound(left), span.lo, span.hi);
    Position end = begin;
    if (begin < span.hi && index.stampAt(begin) < right)
        end = std::min(index.lowerBoundAfter(begin, right, span.period), span.hi);
    column.begin = begin;
    column.end = end;
    column.closed = end < span.hi;
    column.known = true;
    column.moreRuns.clear();
    bool firstRun = true;
    for (Position r = begin; r < end;) {
        const Position s = std::min(end, index.nextGap(r));
        std::span<const T> a;
        std::span<const T> b;
        values.runs<T>(r, s, a, b);
        const decimate::Extremes extremes = decimate::extremesOf(a, b);
        const Run run = runOf(index, a, b, r, { 0, extremes.low, extremes.high, s - 1 - r });
        if (firstRun)
            column.run = run;
        else
            column.moreRuns.push_back(run);
        firstRun = false;
        r = s;
    }
}

bool LiveColumns::update(const IndexRing& index,
    const ValueRing& values,
    std::int64_t start,
    std::int64_t end,
    int columns,
    std::int64_t gapAfter)
{
    m_lastComputed = 0;
    const std::int64_t width = widthFor(end - start, columns);
    if (width != m_width || gapAfter != m_gapAfter || index.revision() != m_indexRevision
        || values.revision() != m_valueRevision) {
        clear();
        m_width = width;
        m_gapAfter = gapAfter;
        m_indexRevision = index.revision();
        m_valueRevision = values.revision();
    }
    Span span;
    span.lo = std::max(values.firstPosition(), index.firstPosition());
    span.hi = std::min(values.endPosition(), index.endPosition());
    if (span.lo >= span.hi || end <= start) {
        const bool changed = !m_columns.empty() || m_before || m_after;
        dropColumns();
        return changed;
    }
    if (span.hi - span.lo > 1)
        span.period = static_cast<double>(index.stampAt(span.hi - 1) - index.stampAt(span.lo))
            / static_cast<double>(span.hi - 1 - span.lo);
    const std::int64_t first = floorDiv(start, width);
    const std::int64_t last = std::max(first + 1, ceilDiv(end, width));
    bool changed
        = first != m_firstColumn || static_cast<std::int64_t>(m_columns.size()) != last - first;
    reshape(first, last, span.lo);

    // Only the columns after the settled ones (computed, and no sample can join them) are
    // looked at: usually the one or two at the live end.
    std::optional<Position> previousEnd;
    if (m_settled > 0)
        previousEnd = m_columns[m_settled - 1].end;
    for (std::size_t i = m_settled; i < m_columns.size(); ++i) {
        Column& column = m_columns[i];
        if (!column.known || !column.closed) {
            const Column before = column;
            const std::int64_t k = m_firstColumn + static_cast<std::int64_t>(i);
            visitNumeric(values.dataType(),
                [&]<typename T>(T) { compute<T>(column, k, index, values, span, previousEnd); });
            if (!before.known || !column.sameSamples(before)) {
                changed = true;
                m_changedColumn = std::min(m_changedColumn, k);
            }
            ++m_lastComputed;
        }
        previousEnd = column.end;
    }
    while (
        m_settled < m_columns.size() && m_columns[m_settled].known && m_columns[m_settled].closed)
        ++m_settled;
    const Position begin = m_columns.front().begin;
    const std::optional<Position> sampleBefore
        = begin > span.lo ? std::optional<Position>(begin - 1) : std::nullopt;
    const Position after = m_columns.back().end;
    const std::optional<Position> sampleAfter
        = after < span.hi ? std::optional<Position>(after) : std::nullopt;
    changed = changed || sampleBefore != m_before || sampleAfter != m_after;
    m_before = sampleBefore;
    m_after = sampleAfter;
    return changed;
}

bool LiveColumns::canPatch(const decimate::PlotPoints& out, std::int64_t origin) const
{
    const auto endColumn = m_firstColumn + static_cast<std::int64_t>(m_columns.size());
    return m_writtenTo == &out && out.keys.size() == m_writtenSize
        && out.values.size() == m_writtenSize && m_emittedOrigin == origin && !m_columns.empty()
        && m_firstColumn >= m_writtenFirstColumn && m_firstColumn < m_writtenEndColumn
        && endColumn >= m_writtenEndColumn;
}

std::optional<double> LiveColumns::writePoints(
    const IndexRing& index, const ValueRing& values, std::int64_t origin, decimate::PlotPoints& out)
{
    const bool patch = canPatch(out, origin);
    const std::int64_t changedColumn
        = std::exchange(m_changedColumn, std::numeric_limits<std::int64_t>::max());
    m_emittedOrigin = origin;
    const auto writeAfresh = [&] {
        out.clear();
        m_pointShift = 0;
        appendFrom(0, index, values, origin, out);
        return std::optional<double>(-std::numeric_limits<double>::infinity());
    };
    if (!patch)
        return writeAfresh();
    // The points in front of the first column: the sample before it and the columns the view
    // left. They go, and the sample before comes back (it was the last of them).
    const qsizetype front = m_columns[0].pointsBegin - m_pointShift;
    if (!m_before && front > 0)
        return writeAfresh(); // the samples in front went: the line into the view changed
    const std::int64_t written = m_writtenEndColumn - m_firstColumn; // columns with places
    const std::size_t first = static_cast<std::size_t>(
        std::clamp<std::int64_t>(changedColumn - m_firstColumn, 0, written));
    if (first == 0)
        return writeAfresh();
    const qsizetype cut
        = (static_cast<std::int64_t>(first) < written ? m_columns[first].pointsBegin : m_columnsEnd)
        - m_pointShift;
    const std::optional<double> goneFrom
        = cut < out.keys.size() ? std::optional<double>(out.keys[cut]) : std::nullopt;
    out.keys.resize(cut);
    out.values.resize(cut);
    out.keys.remove(0, front); // at the front: no copy, the lists start further on
    out.values.remove(0, front);
    qsizetype kept = cut - front;
    if (m_before) {
        out.keys.prepend(static_cast<double>(index.stampAt(*m_before) - origin) / 1e9);
        out.values.prepend(values.valueAt(*m_before));
        ++kept;
    }
    m_pointShift += front - (m_before ? 1 : 0);
    appendFrom(first, index, values, origin, out);
    const std::optional<double> cameFrom
        = kept < out.keys.size() ? std::optional<double>(out.keys[kept]) : std::nullopt;
    if (goneFrom && cameFrom)
        return std::min(*goneFrom, *cameFrom);
    return goneFrom ? goneFrom : cameFrom;
}

void LiveColumns::appendFrom(std::size_t first,
    const IndexRing& index,
    const ValueRing& values,
    std::int64_t origin,
    decimate::PlotPoints& out)
{
    // Written through pointers into lists sized ahead (appending cost most of the time).
    qsizetype count = out.keys.size();
    double* keys = nullptr;
    double* vals = nullptr;
    const auto room = [&](qsizetype size) {
        out.keys.resize(size);
        out.values.resize(size);
        keys = out.keys.data();
        vals = out.values.data();
    };
    room(count + 4 * static_cast<qsizetype>(m_columns.size() - first) + 8);
    const auto put = [&](std::int64_t stamp, double value) {
        if (count == out.keys.size())
            room(2 * count);
        keys[count] = static_cast<double>(stamp - origin) / 1e9;
        vals[count] = value;
        ++count;
    };
    // The last point written: its position and stamp. Columns are contiguous, so the last
    // point in front of a column is the sample just before its first.
    std::optional<Position> previous;
    std::int64_t previousStamp = 0;
    if (count > 0) {
        previous = (first < m_columns.size() ? m_columns[first].begin : m_columns.back().end) - 1;
        previousStamp = index.stampAt(*previous);
    }
    const auto point = [&](Position p, std::int64_t stamp, double value) {
        put(stamp, value);
        previous = p;
        previousStamp = stamp;
    };
    const auto breakBefore = [&](Position p, std::int64_t stamp) {
        if (previous && (stamp - previousStamp > m_gapAfter || index.gapWithin(*previous, p)))
            put(previousStamp + (stamp - previousStamp) / 2,
                std::numeric_limits<double>::quiet_NaN());
    };
    const auto runPoints = [&](const Run& run) {
        breakBefore(run.first(), run.stamps[0]);
        for (std::size_t i = 0; i < run.count; ++i)
            point(run.at[i], run.stamps[i], run.values[i]);
    };
    if (first == 0 && m_before)
        point(*m_before, index.stampAt(*m_before), values.valueAt(*m_before));
    for (std::size_t i = first; i < m_columns.size(); ++i) {
        Column& column = m_columns[i];
        column.pointsBegin = count + m_pointShift;
        if (column.begin == column.end)
            continue;
        runPoints(column.run);
        for (const Run& run : column.moreRuns)
            runPoints(run);
    }
    m_columnsEnd = count + m_pointShift;
    if (m_after) {
        breakBefore(*m_after, index.stampAt(*m_after));
        point(*m_after, index.stampAt(*m_after), values.valueAt(*m_after));
    }
    out.keys.resize(count);
    out.values.resize(count);
    m_writtenTo = &out;
    m_writtenSize = count;
    m_writtenFirstColumn = m_firstColumn;
    m_writtenEndColumn = m_firstColumn + static_cast<std::int64_t>(m_columns.size());
}

} // namespace sightline::core::store
