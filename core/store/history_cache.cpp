#include "core/store/history_cache.h"

#include "core/store/sample_pyramid.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>

namespace sightline::core::store {

namespace detail {

    /// Neighbours this small together are always joined, whatever their sizes.
    constexpr std::size_t SmallJoinSamples = 4096;
    /// A smaller left neighbour is joined by copying the larger one only within this ratio.
    constexpr std::size_t JoinRatio = 4;
    /// A join copies at most this many samples and rebuilds their pyramid (5–10 ms): it
    /// runs on the GUI thread as a read's chunk comes in, which must never stall a frame.
    /// Chunks appended one after another (a forward read) still grow one segment up to the
    /// most a segment holds; a backward read leaves segments of up to about twice this.
    constexpr std::size_t MaxJoinCopySamples = std::size_t(1) << 18;
    constexpr double Infinity = std::numeric_limits<double>::infinity();
    constexpr std::size_t NoIndex = Extremes::NoIndex;

    /// A covered time range [start, end) and every sample in it.
    struct Segment
    {
        std::int64_t start = 0;
        std::int64_t end = 0;
        SamplePyramid samples;
        std::uint64_t lastUsed = 0;
    };

    /// A sample of a channel: segment and index; {segments, 0} past the last.
    struct Position
    {
        std::size_t segment = 0;
        std::size_t index = 0;
    };

    /// Whether `left` and `right` (adjacent, contiguous) may become one segment: the result is
    /// not too large, the copy it costs is amortised (appending the smaller to the larger, or
    /// sizes within JoinRatio) and bounded (MaxJoinCopySamples).
    bool mayJoin(const Segment& left, const Segment& right, std::size_t maxSamples)
    {
        const std::size_t l = left.samples.size();
        const std::size_t r = right.samples.size();
        if (left.end != right.start || l + r > maxSamples)
            return false;
        if (l == 0 || r == 0 || l + r <= SmallJoinSamples)
            return true;
        if (r <= l) // right is appended: only it is copied
            return r <= MaxJoinCopySamples;
        return l * JoinRatio >= r && l + r <= MaxJoinCopySamples; // both are copied
    }

    /// Joins `right` onto `left` (see mayJoin).
    void join(Segment& left, Segment&& right, std::size_t maxSamples)
    {
        if (left.samples.empty())
            left.samples = std::move(right.samples);
        else if (right.samples.size() <= left.samples.size())
            left.samples.append(right.samples, maxSamples);
        else
            left.samples = SamplePyramid::join(left.samples, right.samples);
        left.end = right.end;
        left.lastUsed = std::max(left.lastUsed, right.lastUsed);
    }

    /// The first segment whose covered range ends after `t`.
    template <typename Segments> auto firstEndingAfter(Segments& segments, std::int64_t t)
    {
        return std::ranges::partition_point(segments, [t](const Segment& s) { return s.end <= t; });
    }

    /// The first sample at or after `t`.
    Position lowerBound(const std::vector<Segment>& segments, std::int64_t t)
    {
        auto s = std::size_t(firstEndingAfter(segments, t) - segments.begin());
        for (; s < segments.size(); ++s) {
            const std::size_t i = segments[s].samples.lowerBound(t);
            if (i < segments[s].samples.size())
                return { s, i };
        }
        return { segments.size(), 0 };
    }

    /// The sample before `p`, or `p` when there is none.
    Position previous(const std::vector<Segment>& segments, Position p)
    {
        if (p.index > 0)
            return { p.segment, p.index - 1 };
        for (std::size_t s = p.segment; s-- > 0;) {
            if (!segments[s].samples.empty())
                return { s, segments[s].samples.size() - 1 };
        }
        return p;
    }

    /// What a view asks for (see HistoryCache::view).
    struct ViewSpec
    {
        std::int64_t start = 0;
        std::int64_t end = 0;
        int columns = 0;
        std::int64_t origin = 0;
        std::int64_t gapAfter = 0;
    };

    /// A sample picked for output: `order` sorts picks in time order (piece, then index)
    /// without reading stamps, which are read for all picks at the end of a view, together.
    struct Point
    {
        std::uint64_t order = 0;
        PickedSample sample;
        double value = 0;
    };

    CachedSample sampleAt(const SamplePyramid& samples, std::size_t i)
    {
        return { TimeStamp(samples.stampAt(i)), samples.valueAt(i) };
    }

    /// The first index in [lo, hi) whose stamp satisfies `beyond` (false then true), or hi;
    /// gallops out from `guess`, then searches the bracket.
    template <typename Pred>
    std::size_t firstBeyond(const SamplePyramid& samples,
        std::size_t lo,
        std::size_t hi,
        std::size_t guess,
        Pred beyond)
    {
        if (lo >= hi)
            return hi;
        guess = std::clamp(guess, lo, hi - 1);
        std::size_t step = 1;
        if (beyond(samples.stampAt(guess))) {
            hi = guess;
            for (; hi - lo > step && beyond(samples.stampAt(hi - step)); step *= 2)
                hi -= step;
            if (hi - lo > step)
                lo = hi - step + 1;
        } else {
            lo = guess + 1;
            for (; hi - lo > step && !beyond(samples.stampAt(lo + step - 1)); step *= 2)
                lo += step;
            if (hi - lo > step)
                hi = lo + step - 1;
        }
        while (lo < hi) { // the bracket: beyond holds at hi, not before lo
            const std::size_t middle = lo + (hi - lo) / 2;
            if (beyond(samples.stampAt(middle)))
                hi = middle;
            else
                lo = middle + 1;
        }
        return lo;
    }

    /// M4 (as decimate::decimateM4) over pieces of segments given in time order, each run's
    /// extremes taken from the pyramid instead of a scan.
    class M4Builder
    {
    public:
        /// `picked`: scratch space for where the points come from (kept between views).
        M4Builder(
            const ViewSpec& spec, decimate::PlotPoints& out, std::vector<PickedSample>& picked)
            : m_spec(spec)
            , m_perColumn(static_cast<double>(spec.end - spec.start) / spec.columns)
            , m_out(out)
            , m_picked(picked)
        {
            m_picked.clear();
        }

        /// Samples [a, b) of `samples`; `uncoveredBefore`: time between them and the previous
        /// piece is not covered.
        void addPiece(
            const SamplePyramid& samples, std::size_t a, std::size_t b, bool uncoveredBefore)
        {
            if (a >= b)
                return;
            if (m_havePrevious)
                join(samples.stampAt(a), uncoveredBefore);
            m_samples = &samples;
            ++m_piece;
            const double step = b - a > 1
                ? static_cast<double>(samples.stampAt(b - 1) - samples.stampAt(a))
                    / static_cast<double>(b - 1 - a)
                : 1.0;
            prefetchColumnEdges(samples, a, b, step);
            for (std::size_t p = a; p < b;) {
                if (!m_open)
                    open(samples, p);
                const std::size_t q = columnEnd(samples, p, b, step);
                if (q - p >= SamplePyramid::BlockSamples) // where the next column will end
                    samples.prefetch(std::min(q + (q - p), b - 1));
                const std::size_t g = samples.firstStepOver(p + 1, q, m_spec.gapAfter);
                extend(samples, p, g);
                if (g < b) {
                    close();
                    const std::int64_t before = samples.stampAt(g - 1);
                    const std::int64_t after = samples.stampAt(g);
                    if (after - before > m_spec.gapAfter)
                        breakLine(before, after);
                }
                p = g;
            }
            m_havePrevious = true;
            m_previousStamp = samples.stampAt(b - 1);
        }

        /// Closes the last run and writes the keys of all points.
        void finish()
        {
            close();
            for (const int pass : { 0, 1 })
                for (const PickedSample& p : m_picked)
                    if (p.samples != nullptr)
                        p.samples->prefetchStamp(p.index, pass);
            double* keys = m_out.keys.data();
            for (std::size_t k = 0; k < m_picked.size(); ++k) {
                if (const PickedSample& p = m_picked[k]; p.samples != nullptr)
                    keys[k]
                        = static_cast<double>(p.samples->stampAt(p.index) - m_spec.origin) / 1e9;
            }
        }

    private:
        [[nodiscard]] long long columnOf(std::int64_t t) const
        {
            if (t >= m_spec.end)
                return m_spec.columns;
            // std::floor as decimateM4 has it, without the library call
            const double x = static_cast<double>(t - m_spec.start) / m_perColumn;
            const auto column = static_cast<long long>(x);
            return x < static_cast<double>(column) ? column - 1 : column;
        }

        /// Wide columns: each column's edge costs a few cache misses (its stamps, values and
        /// pyramid nodes), one after another. Asked for up front at where the mean step puts
        /// every edge of samples [a, b), they overlap instead (two passes: a stamp's address
        /// needs its block's entry).
        void prefetchColumnEdges(
            const SamplePyramid& samples, std::size_t a, std::size_t b, double step) const
        {
            const double first = static_cast<double>(samples.stampAt(a));
            const double perColumn = m_perColumn / step; // samples
            if (perColumn < 4.0 * SamplePyramid::BlockSamples)
                return; // narrow columns: the samples are read in order anyway
            const long long from = std::max(0LL, columnOf(samples.stampAt(a)));
            const long long to
                = std::min<long long>(m_spec.columns, columnOf(samples.stampAt(b - 1)) + 1);
            const auto edgeIndex = [&](long long column) {
                const double edge = static_cast<double>(m_spec.start)
                    + static_cast<double>(column + 1) * m_perColumn;
                const double ahead = std::clamp((edge - first) / step, 0.0, double(b - 1 - a));
                return a + static_cast<std::size_t>(ahead);
            };
            for (const int pass : { 0, 1 })
                for (long long column = from; column < to; ++column)
                    samples.prefetchEdge(edgeIndex(column), pass);
        }

        /// Continues or ends the open run at the first sample of a new piece.
        void join(std::int64_t first, bool uncoveredBefore)
        {
            const bool gap = uncoveredBefore || first - m_previousStamp > m_spec.gapAfter;
            if (gap || columnOf(first) != m_column)
                close();
            if (gap)
                breakLine(m_previousStamp, first);
        }

        /// The first index in (p, b) of a later column than the run's, or b.
        [[nodiscard]] std::size_t columnEnd(
            const SamplePyramid& samples, std::size_t p, std::size_t b, double step) const
        {
            if (m_column >= m_spec.columns)
                return b;
            const double edge = static_cast<double>(m_spec.start)
                + static_cast<double>(m_column + 1) * m_perColumn;
            double ahead = std::ceil((edge - static_cast<double>(samples.stampAt(p))) / step);
            ahead = std::clamp(std::isnan(ahead) ? 0.0 : ahead, 1.0, static_cast<double>(b - p));
            return firstBeyond(samples,
                p + 1,
                b,
                p + static_cast<std::size_t>(ahead),
                [this](std::int64_t t) { return columnOf(t) > m_column; });
        }

        void open(const SamplePyramid& samples, std::size_t p)
        {
            m_open = true;
            m_column = columnOf(samples.stampAt(p));
            m_begin = m_last = pointAt(p, samples.valueAt(p));
            m_haveExtremes = false;
        }

        void extend(const SamplePyramid& samples, std::size_t p, std::size_t q)
        {
            const Extremes e = samples.extremes(p, q);
            if (e.minIndex != NoIndex) {
                if (!m_haveExtremes || e.min < m_min) {
                    m_min = e.min;
                    m_low = pointAt(e.minIndex, e.min);
                }
                if (!m_haveExtremes || e.max > m_max) {
                    m_max = e.max;
                    m_high = pointAt(e.maxIndex, e.max);
                }
                m_haveExtremes = true;
            }
            m_last = pointAt(q - 1, samples.valueAt(q - 1));
        }

        void close()
        {
            if (!m_open)
                return;
            m_open = false;
            if (!m_haveExtremes)
                m_low = m_high = m_last; // all NaN: decimateM4 ends on the last
            std::array<Point, 4> picks { m_begin, m_low, m_high, m_last };
            std::ranges::sort(picks, {}, &Point::order);
            for (std::size_t k = 0; k < picks.size(); ++k) {
                if (k > 0 && picks[k].order == picks[k - 1].order)
                    continue;
                m_out.keys.append(0); // written by finish()
                m_out.values.append(picks[k].value);
                m_picked.push_back(picks[k].sample);
            }
        }

        void breakLine(std::int64_t before, std::int64_t after)
        {
            const std::int64_t middle = before + (after - before) / 2; // as decimateM4
            m_out.keys.append(static_cast<double>(middle - m_spec.origin) / 1e9);
            m_out.values.append(std::numeric_limits<double>::quiet_NaN());
            m_picked.push_back({});
        }

        [[nodiscard]] Point pointAt(std::size_t i, double value) const
        {
            return { (m_piece << 32) | i, { m_samples, i }, value };
        }

        ViewSpec m_spec;
        double m_perColumn;
        decimate::PlotPoints& m_out;
        std::vector<PickedSample>& m_picked; ///< per output point
        const SamplePyramid* m_samples = nullptr; ///< of the current piece
        std::uint64_t m_piece = 0;
        bool m_open = false;
        long long m_column = 0;
        Point m_begin;
        Point m_last;
        Point m_low;
        Point m_high;
        bool m_haveExtremes = false;
        double m_min = 0;
        double m_max = 0;
        bool m_havePrevious = false;
        std::int64_t m_previousStamp = 0;
    };

    bool isValidInput(
        TimeRange covered, std::span<const std::int64_t> stamps, std::span<const double> values)
    {
        if (stamps.size() != values.size() || !covered.isValid())
            return false;
        if (stamps.empty())
            return true;
        if (stamps.front() < covered.start.nanoseconds()
            || stamps.back() >= covered.end.nanoseconds())
            return false;
        return std::ranges::adjacent_find(stamps, std::greater_equal {}) == stamps.end();
    }

    /// Whether the samples of `samples` lie inside `covered` (a valid range).
    bool liesWithin(const SamplePyramid& samples, TimeRange covered)
    {
        return covered.isValid()
            && (samples.empty()
                || (samples.stampAt(0) >= covered.start.nanoseconds()
                    && samples.stampAt(samples.size() - 1) < covered.end.nanoseconds()));
    }

    std::size_t lowerIndex(std::span<const std::int64_t> stamps, TimeStamp t)
    {
        return std::size_t(std::ranges::lower_bound(stamps, t.nanoseconds()) - stamps.begin());
    }

    /// Bytes of a channel's entry beside its segments' samples: map node and segment list.
    std::size_t channelBytes(const std::vector<Segment>& segments)
    {
        constexpr std::size_t MapNodeBytes = 64;
        return MapNodeBytes + capacityBytes(segments);
    }

} // namespace detail

using detail::Segment;

HistoryCache::HistoryCache(std::size_t budgetBytes, std::size_t maxSegmentSamples)
    : m_budgetBytes(budgetBytes)
    , m_maxSegmentSamples(std::clamp<std::size_t>(maxSegmentSamples, 1, MaxSegmentSamples))
{
}

HistoryCache::~HistoryCache() = default;
HistoryCache::HistoryCache(HistoryCache&&) noexcept = default;
HistoryCache& HistoryCache::operator=(HistoryCache&&) noexcept = default;

PreparedSamples HistoryCache::prepare(
    TimeRange covered, std::span<const std::int64_t> stamps, std::span<const double> values)
{
    if (!detail::isValidInput(covered, stamps, values) || stamps.size() > MaxSegmentSamples)
        return {};
    return std::make_shared<detail::SamplePyramid>(detail::SamplePyramid::build(stamps, values));
}

bool HistoryCache::insert(ChannelKey key,
    TimeRange covered,
    std::span<const std::int64_t> stamps,
    std::span<const double> values,
    PreparedSamples prepared)
{
    // A pyramid from prepare() holds samples already checked to be in order: only that they
    // are these and lie inside `covered` is left to check (the full check reads them all).
    const bool preparedFits = prepared && prepared->size() == stamps.size()
        && values.size() == stamps.size() && detail::liesWithin(*prepared, covered);
    if (!preparedFits && !detail::isValidInput(covered, stamps, values))
        return false;
    const std::vector<TimeRange> gaps = missing(key, covered);
    if (gaps.empty())
        return true;
    Segments& segments = m_channels[key];
    ++m_clock;
    const bool allMissing = gaps.size() == 1 && gaps.front() == covered;
    if (preparedFits && allMissing && stamps.size() <= m_maxSegmentSamples) {
        // Built on the reader's thread: taken, not copied (a second insert of the same
        // pyramid finds it empty and builds its own).
        Segment segment;
        segment.start = covered.start.nanoseconds();
        segment.end = covered.end.nanoseconds();
        segment.samples = std::exchange(*prepared, detail::SamplePyramid {});
        segment.lastUsed = m_clock;
        m_segmentBytes += segment.samples.bytes();
        const auto at = std::ranges::partition_point(segments,
            [&](const Segment& s) { return s.start < segment.start; });
        segments.insert(at, std::move(segment));
        mergeNeighbours(segments);
        evictOverBudget();
        return true;
    }
    if (preparedFits && !detail::isValidInput(covered, stamps, values))
        return false; // the samples themselves are stored below
    for (const TimeRange& gap : gaps) {
        const std::size_t from = detail::lowerIndex(stamps, gap.start);
        const std::size_t to = detail::lowerIndex(stamps, gap.end);
        addSamples(segments, gap, stamps.subspan(from, to - from), values.subspan(from, to - from));
    }
    mergeNeighbours(segments);
    evictOverBudget();
    return true;
}

void HistoryCache::addSamples(Segments& segments,
    TimeRange gap,
    std::span<const std::int64_t> stamps,
    std::span<const double> values)
{
    const std::size_t pieces
        = std::max<std::size_t>(1, (stamps.size() + m_maxSegmentSamples - 1) / m_maxSegmentSamples);
    const std::size_t perPiece = (stamps.size() + pieces - 1) / pieces;
    for (std::size_t k = 0; k < pieces; ++k) {
        const std::size_t from = std::min(k * perPiece, stamps.size());
        const std::size_t to = std::min(from + perPiece, stamps.size());
        Segment segment;
        segment.start = k == 0 ? gap.start.nanoseconds() : stamps[from];
        segment.end = k + 1 == pieces ? gap.end.nanoseconds() : stamps[to];
        segment.samples = detail::SamplePyramid::build(stamps.subspan(from, to - from),
            values.subspan(from, to - from));
        segment.lastUsed = m_clock;
        m_segmentBytes += segment.samples.bytes();
        const auto at = std::ranges::partition_point(segments,
            [&](const Segment& s) { return s.start < segment.start; });
        segments.insert(at, std::move(segment));
    }
}

void HistoryCache::mergeNeighbours(Segments& segments)
{
    for (std::size_t i = 0; i + 1 < segments.size();) {
        Segment& left = segments[i];
        Segment& right = segments[i + 1];
        if (!detail::mayJoin(left, right, m_maxSegmentSamples)) {
            if (left.end == right.start) { // closed on the right: no more appends
                m_segmentBytes -= left.samples.bytes();
                left.samples.shrinkToFit();
                m_segmentBytes += left.samples.bytes();
            }
            ++i;
            continue;
        }
        m_segmentBytes -= left.samples.bytes() + right.samples.bytes();
        detail::join(left, std::move(right), m_maxSegmentSamples);
        m_segmentBytes += left.samples.bytes();
        segments.erase(segments.begin() + std::ptrdiff_t(i) + 1);
        if (i > 0)
            --i; // the joined segment may now join its left neighbour
    }
}

void HistoryCache::evictOverBudget()
{
    while (memoryBytes() > m_budgetBytes) {
        Segments* oldestIn = nullptr;
        std::size_t oldestAt = 0;
        for (auto& [key, segments] : m_channels) {
            for (std::size_t i = 0; i < segments.size(); ++i) {
                if (oldestIn == nullptr || segments[i].lastUsed < (*oldestIn)[oldestAt].lastUsed) {
                    oldestIn = &segments;
                    oldestAt = i;
                }
            }
        }
        if (oldestIn == nullptr)
            break;
        m_segmentBytes -= (*oldestIn)[oldestAt].samples.bytes();
        oldestIn->erase(oldestIn->begin() + std::ptrdiff_t(oldestAt));
        if (oldestIn->capacity() > 2 * oldestIn->size() + 8)
            oldestIn->shrink_to_fit();
    }
    std::erase_if(m_channels, [](const auto& entry) { return entry.second.empty(); });
}

const HistoryCache::Segments* HistoryCache::segmentsOf(ChannelKey key) const
{
    const auto found = m_channels.find(key);
    return found == m_channels.end() ? nullptr : &found->second;
}

std::vector<TimeRange> HistoryCache::missing(ChannelKey key, TimeRange range) const
{
    std::vector<TimeRange> gaps;
    if (range.isEmpty())
        return gaps;
    std::int64_t cursor = range.start.nanoseconds();
    const std::int64_t end = range.end.nanoseconds();
    if (const Segments* segments = segmentsOf(key)) {
        for (auto s = detail::firstEndingAfter(*segments, cursor);
             s != segments->end() && s->start < end;
             ++s) {
            if (s->start > cursor)
                gaps.push_back({ TimeStamp(cursor), TimeStamp(s->start) });
            cursor = std::max(cursor, s->end);
        }
    }
    if (cursor < end)
        gaps.push_back({ TimeStamp(cursor), TimeStamp(end) });
    return gaps;
}

void HistoryCache::copySamples(ChannelKey key,
    TimeRange range,
    std::vector<std::int64_t>& stamps,
    std::vector<double>& values) const
{
    const Segments* segments = segmentsOf(key);
    if (segments == nullptr || range.isEmpty())
        return;
    const std::int64_t start = range.start.nanoseconds();
    const std::int64_t end = range.end.nanoseconds();
    for (auto s = detail::firstEndingAfter(*segments, start);
         s != segments->end() && s->start < end;
         ++s) {
        const std::size_t last = s->samples.lowerBound(end);
        for (std::size_t i = s->samples.lowerBound(start); i < last; ++i) {
            stamps.push_back(s->samples.stampAt(i));
            values.push_back(s->samples.valueAt(i));
        }
    }
}

std::vector<TimeRange> HistoryCache::covered(ChannelKey key) const
{
    std::vector<TimeRange> ranges;
    if (const Segments* segments = segmentsOf(key)) {
        for (const Segment& s : *segments) {
            if (!ranges.empty() && ranges.back().end.nanoseconds() == s.start)
                ranges.back().end = TimeStamp(s.end);
            else
                ranges.push_back({ TimeStamp(s.start), TimeStamp(s.end) });
        }
    }
    return ranges;
}

std::optional<TimeRange> HistoryCache::extent(ChannelKey key) const
{
    const Segments* segments = segmentsOf(key);
    if (segments == nullptr || segments->empty())
        return std::nullopt;
    return TimeRange { TimeStamp(segments->front().start), TimeStamp(segments->back().end) };
}

void HistoryCache::view(ChannelKey key,
    std::int64_t start,
    std::int64_t end,
    int columns,
    std::int64_t origin,
    std::int64_t gapAfter,
    decimate::PlotPoints& out)
{
    out.clear();
    const auto found = m_channels.find(key);
    if (found == m_channels.end() || end <= start || columns <= 0)
        return;
    Segments& segments = found->second;
    const std::uint64_t now = ++m_clock;
    const detail::Position first = detail::previous(segments, detail::lowerBound(segments, start));
    detail::Position last = detail::lowerBound(segments, end);
    if (last.segment < segments.size())
        ++last.index; // the sample just after the view
    detail::M4Builder builder({ start, end, columns, origin, gapAfter }, out, m_picked);
    bool uncovered = false;
    for (std::size_t s = first.segment; s < segments.size() && s <= last.segment; ++s) {
        const Segment& segment = segments[s];
        uncovered = uncovered || (s > first.segment && segments[s - 1].end != segment.start);
        const std::size_t a = s == first.segment ? first.index : 0;
        const std::size_t b = s == last.segment ? last.index : segment.samples.size();
        if (a < b) {
            builder.addPiece(segment.samples, a, b, uncovered);
            uncovered = false;
        }
    }
    builder.finish();
    for (auto s = detail::firstEndingAfter(segments, start); s != segments.end() && s->start < end;
         ++s)
        s->lastUsed = now;
}

std::optional<HistoryCache::Stats> HistoryCache::stats(ChannelKey key, TimeRange range) const
{
    const Segments* segments = segmentsOf(key);
    if (segments == nullptr || range.isEmpty())
        return std::nullopt;
    Stats stats;
    double low = detail::Infinity;
    double high = -detail::Infinity;
    double sum = 0;
    for (auto s = detail::firstEndingAfter(*segments, range.start.nanoseconds());
         s != segments->end() && s->start < range.end.nanoseconds();
         ++s) {
        const detail::SamplePyramid& samples = s->samples;
        const bool inside = s->start >= range.start.nanoseconds()
            && s->end <= range.end.nanoseconds(); // no search needed
        const std::size_t a = inside ? 0 : samples.lowerBound(range.start.nanoseconds());
        const std::size_t b = inside ? samples.size() : samples.lowerBound(range.end.nanoseconds());
        if (a >= b)
            continue;
        const detail::Extremes e = samples.extremesWithSum(a, b);
        if (stats.count == 0)
            stats.first = detail::sampleAt(samples, a);
        stats.last = detail::sampleAt(samples, b - 1);
        stats.count += b - a;
        sum += e.sum;
        low = std::min(low, e.min);
        high = std::max(high, e.max);
    }
    if (stats.count == 0)
        return std::nullopt;
    const bool allNaN = low > high;
    stats.min = allNaN ? std::numeric_limits<double>::quiet_NaN() : low;
    stats.max = allNaN ? std::numeric_limits<double>::quiet_NaN() : high;
    stats.mean = sum / static_cast<double>(stats.count);
    return stats;
}

std::optional<CachedSample> HistoryCache::atOrBefore(ChannelKey key, TimeStamp at) const
{
    const Segments* segments = segmentsOf(key);
    if (segments == nullptr)
        return std::nullopt;
    const std::int64_t t = at.nanoseconds();
    auto s = std::ranges::partition_point(*segments,
        [t](const Segment& segment) { return segment.start <= t; });
    if (s == segments->begin() || t >= std::prev(s)->end)
        return std::nullopt; // not covered
    for (--s;; --s) {
        const std::size_t after = s->samples.upperBound(t);
        if (after > 0)
            return detail::sampleAt(s->samples, after - 1);
        if (s == segments->begin() || std::prev(s)->end != s->start)
            return std::nullopt;
    }
}

std::size_t HistoryCache::memoryBytes() const
{
    std::size_t bytes = sizeof(*this) + m_segmentBytes;
    for (const auto& [key, segments] : m_channels)
        bytes += detail::channelBytes(segments);
    return bytes;
}

void HistoryCache::setBudgetBytes(std::size_t budgetBytes)
{
    m_budgetBytes = budgetBytes;
    evictOverBudget();
}

std::size_t HistoryCache::sampleCount(ChannelKey key) const
{
    std::size_t count = 0;
    if (const Segments* segments = segmentsOf(key)) {
        for (const Segment& s : *segments)
            count += s.samples.size();
    }
    return count;
}

std::optional<std::int64_t> HistoryCache::typicalStep(ChannelKey key) const
{
    const Segments* segments = segmentsOf(key);
    if (segments == nullptr)
        return std::nullopt;
    const Segment* largest = nullptr;
    for (const Segment& s : *segments)
        if (largest == nullptr || s.samples.size() > largest->samples.size())
            largest = &s;
    if (largest == nullptr || largest->samples.size() < 2)
        return std::nullopt;
    const std::size_t n = largest->samples.size();
    return (largest->samples.stampAt(n - 1) - largest->samples.stampAt(0))
        / static_cast<std::int64_t>(n - 1);
}

std::size_t HistoryCache::segmentCount(ChannelKey key) const
{
    const Segments* segments = segmentsOf(key);
    return segments == nullptr ? 0 : segments->size();
}

void HistoryCache::forget(ChannelKey key)
{
    const auto found = m_channels.find(key);
    if (found == m_channels.end())
        return;
    for (const Segment& s : found->second)
        m_segmentBytes -= s.samples.bytes();
    m_channels.erase(found);
}

void HistoryCache::clear()
{
    m_channels.clear();
    m_segmentBytes = 0;
}

} // namespace sightline::core::store
