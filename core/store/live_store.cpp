#include "core/store/live_store.h"

#include "core/decimate/extremes.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sightline::core::store {

namespace {

    /// Groups are sized as if at least this many share the budget.
    constexpr std::size_t MinimumGroupShare = 2;
    /// Bytes a group is budgeted per sample: its timestamp plus eight float64 channels.
    constexpr std::size_t BudgetBytesPerSample = sizeof(std::int64_t) + 8 * sizeof(double);

    /// Points written straight into a PlotPoints' arrays (sized ahead, trimmed at the end):
    /// a point costs two stores, not two appends.
    class PointWriter
    {
    public:
        explicit PointWriter(decimate::PlotPoints& out, qsizetype expected)
            : m_out(out)
        {
            grow(expected);
        }
        ~PointWriter()
        {
            m_out.keys.resize(m_count);
            m_out.values.resize(m_count);
        }
        PointWriter(const PointWriter&) = delete;
        PointWriter& operator=(const PointWriter&) = delete;

        /// Room for `more` points.
        void reserve(qsizetype more)
        {
            if (m_count + more > m_out.keys.size())
                grow(2 * (m_count + more));
        }
        void add(double key, double value)
        {
            m_keys[m_count] = key;
            m_values[m_count] = value;
            ++m_count;
        }

    private:
        void grow(qsizetype size)
        {
            m_out.keys.resize(size);
            m_out.values.resize(size);
            m_keys = m_out.keys.data();
            m_values = m_out.values.data();
        }

        decimate::PlotPoints& m_out;
        double* m_keys = nullptr;
        double* m_values = nullptr;
        qsizetype m_count = 0;
    };

    /// ⌈x⌉ and ⌊x⌋ for 0 ≤ x < 2^63, without a call into libm (no SSE4.1 in the baseline).
    [[nodiscard]] std::int64_t ceilOf(double x)
    {
        const auto whole = static_cast<std::int64_t>(x);
        return static_cast<double>(whole) < x ? whole + 1 : whole;
    }

    /// M4 over native values: per pixel column, the first, minimum, maximum and last sample,
    /// the same points as the reference decimateM4. Column edges are guessed from the mean
    /// sample period and checked with two reads (galloping from the previous edge when the
    /// guess is off), and each column's values are scanned once, vectorised, as at most two
    /// contiguous typed runs.
    template <typename T>
    void decimateTyped(const IndexRing& index,
        const ValueRing& ring,
        std::int64_t start,
        std::int64_t end,
        int columns,
        std::int64_t origin,
        std::int64_t gapAfter,
        decimate::PlotPoints& out)
    {
        const Position lo = std::max(ring.firstPosition(), index.firstPosition());
        const Position hi = std::min(ring.endPosition(), index.endPosition());
        if (lo >= hi)
            return;
        Position first = std::clamp(index.lowerBound(start), lo, hi);
        Position last = std::clamp(index.lowerBoundFrom(first, end), lo, hi);
        if (first > lo)
            --first; // the sample just before the view
        if (last < hi)
            ++last; // the sample just after it
        const double perColumn = static_cast<double>(end - start) / columns;
        // Column `column`'s exclusive end, for a stamp from `start` on.
        const auto columnEnd = [&](std::int64_t column) -> std::int64_t {
            if (column + 1 >= columns)
                return column >= columns ? std::numeric_limits<std::int64_t>::max() : end;
            // columns·perColumn can round past `end`, taking in the sample after: hence the
            // last column's own case above.
            return start + ceilOf(static_cast<double>(column + 1) * perColumn);
        };
        const auto columnOf = [&](std::int64_t t) -> std::int64_t {
            if (t < start)
                return -1;
            if (t >= end)
                return columns;
            return static_cast<std::int64_t>(static_cast<double>(t - start) / perColumn);
        };
        const double period = last - first > 1
            ? static_cast<double>(index.stampAt(last - 1) - index.stampAt(first))
                / static_cast<double>(last - 1 - first)
            : 0.0;
        const double perNanosecond = period > 0 ? 1.0 / period : 0.0; // samples
        // The first position after `p` (stamp `t`) at or after `edge`, up to `last`: a right
        // guess from the period costs two reads.
        const auto edgeAfter = [&](Position p, std::int64_t t, std::int64_t edge) {
            if (period > 0 && edge != std::numeric_limits<std::int64_t>::max()) {
                const Position guess = p
                    + std::max<Position>(1,
                        ceilOf(std::min(static_cast<double>(edge - t) * perNanosecond, 4e18)));
                if (guess >= last) {
                    if (index.stampAt(last - 1) < edge)
                        return last;
                } else if (index.stampAt(guess - 1) < edge && index.stampAt(guess) >= edge) {
                    return guess;
                }
            }
            return std::min(last, index.lowerBoundAfter(p, edge, period));
        };
        PointWriter points(out, 4 * qsizetype(columns) + 8);
        const auto emit = [&](Position p, T value) {
            points.add(static_cast<double>(index.stampAt(p) - origin) / 1e9,
                static_cast<double>(value));
        };
        bool any = false;
        std::int64_t previousStamp = 0; // of the last sample of the previous run
        Position nextGap = index.nextGap(first);
        Position p = first;
        while (p < last) {
            const bool markedGap = p == nextGap; // a gap lies between p − 1 and p
            if (nextGap <= p)
                nextGap = index.nextGap(p);
            const std::int64_t t = index.stampAt(p);
            Position q = std::max(edgeAfter(p, t, columnEnd(columnOf(t))), p + 1);
            q = std::min(q, nextGap); // a marked gap inside the column ends the run
            points.reserve(5);
            if (any && (t - previousStamp > gapAfter || markedGap)) {
                points.add(static_cast<double>(previousStamp + (t - previousStamp) / 2 - origin)
                        / 1e9,
                    std::numeric_limits<double>::quiet_NaN());
            }
            std::span<const T> a;
            std::span<const T> b;
            ring.runs<T>(p, q, a, b);
            const auto valueAt = [&](std::size_t offset) {
                return offset < a.size() ? a[offset] : b[offset - a.size()];
            };
            const decimate::Extremes extremes = decimate::extremesOf(a, b);
            // The run's first sample, its extremes in time order, its last: each once.
            const std::array<std::size_t, 4> picks { 0,
                std::min(extremes.low, extremes.high),
                std::max(extremes.low, extremes.high),
                q - 1 - p };
            for (std::size_t i = 0; i < picks.size(); ++i)
                if (i == 0 || picks[i] != picks[i - 1])
                    emit(p + Position(picks[i]), valueAt(picks[i]));
            any = true;
            previousStamp = index.stampAt(q - 1);
            p = q;
        }
    }

} // namespace

struct LiveStore::Group
{
    explicit Group(std::size_t capacity)
        : index(capacity)
    {
    }
    /// Adds one index series of `frame` and the data series paired with it; returns the
    /// data samples stored.
    std::size_t ingest(const Frame& frame, const Series& stamps, TimeOrderAnomalies& anomalies);

    IndexRing index;
    std::map<ChannelKey, std::unique_ptr<ValueRing>> values;

private:
    /// Calls `f(ring, data)` for each data series of `frame` joined with `stamps` (same
    /// length and alignment, as Synnax pairs them) whose channel has a ring here.
    template <typename F> void forEachPaired(const Frame& frame, const Series& stamps, F&& f)
    {
        for (std::size_t i = 0; i < frame.size(); ++i) {
            const auto ring = values.find(frame.keyAt(i));
            if (ring == values.end())
                continue;
            const Series& data = frame.seriesAt(i);
            if (data.size() == stamps.size() && data.alignment() == stamps.alignment())
                f(*ring->second, data);
        }
    }
    /// Resent stamps with other values are no resend (a clock set back onto held stamps).
    IndexRing::Resend resendOf(const Frame& frame, const Series& stamps, std::size_t from);
};

std::size_t LiveStore::Group::ingest(
    const Frame& frame, const Series& stamps, TimeOrderAnomalies& anomalies)
{
    const auto all = stamps.values<std::int64_t>();
    std::size_t stored = 0;
    std::size_t from = 0;
    do { // once for samples in time order; each pass takes at least one sample
        const std::int64_t newest = index.size() > 0 ? index.newestStamp() : 0;
        const IndexRing::Appended at
            = index.append(all.subspan(from), resendOf(frame, stamps, from));
        if (at.discarded > 0) { // back in time: every ring lets go of the discarded positions
            for (auto& [key, ring] : values)
                ring->trimFrom(at.first);
            ++anomalies.timeResets;
            anomalies.discardedSamples += at.discarded;
            anomalies.lastResetFrom = TimeStamp(newest);
            anomalies.lastResetTo = TimeStamp(all[from + at.skipped]);
        }
        forEachPaired(frame, stamps, [&](ValueRing& ring, const Series& data) {
            ring.append(at.first, data, from + at.skipped, at.kept);
            stored += at.kept;
        });
        from += at.skipped + at.kept;
    } while (from < all.size());
    for (auto& [key, ring] : values)
        ring->trimBefore(index.firstPosition());
    return stored;
}

IndexRing::Resend LiveStore::Group::resendOf(
    const Frame& frame, const Series& stamps, std::size_t from)
{
    const IndexRing::Resent resent = index.resent(stamps.values<std::int64_t>().subspan(from));
    bool same = true;
    if (resent.count > 0)
        forEachPaired(frame, stamps, [&](const ValueRing& ring, const Series& data) {
            same = same && ring.holdsSame(resent.at, data, from, resent.count);
        });
    return same ? IndexRing::Resend::Skip : IndexRing::Resend::Replace;
}

LiveStore::LiveStore(std::size_t budgetBytes, std::size_t maxSamples)
    : m_budgetBytes(budgetBytes)
    , m_maxSamples(maxSamples)
{
}

LiveStore::~LiveStore() = default;
LiveStore::LiveStore(LiveStore&&) noexcept = default;
LiveStore& LiveStore::operator=(LiveStore&&) noexcept = default;

void LiveStore::track(const std::vector<Channel>& channels)
{
    for (const Channel& channel : channels)
        m_channels[channel.key] = channel;
    for (const Channel& channel : channels) {
        if (channel.isIndex || channel.isVirtual || !channel.dataType.isNumeric()
            || channel.dataType.isVariable() || channel.index == 0)
            continue;
        auto group = m_groups.find(channel.index);
        if (group == m_groups.end()) {
            const std::size_t share = std::max(MinimumGroupShare, m_groups.size() + 1);
            const std::size_t capacity
                = std::min(m_maxSamples, m_budgetBytes / share / BudgetBytesPerSample);
            group = m_groups.emplace(channel.index, std::make_unique<Group>(capacity)).first;
        }
        if (!group->second->values.contains(channel.key))
            group->second->values.emplace(channel.key,
                std::make_unique<ValueRing>(channel.dataType, group->second->index.capacity()));
    }
}

void LiveStore::forget(ChannelKey key)
{
    const auto channel = m_channels.find(key);
    if (channel == m_channels.end())
        return;
    const auto group = m_groups.find(channel->second.index);
    if (group == m_groups.end())
        return;
    group->second->values.erase(key);
    if (group->second->values.empty())
        m_groups.erase(group);
}

std::size_t LiveStore::ingest(const Frame& frame)
{
    std::size_t stored = 0;
    for (auto& [indexKey, group] : m_groups)
        for (const Series* stamps : frame.seriesOf(indexKey)) {
            if (group->index.size() + stamps->size() > group->index.capacity())
                growToWantedSpan(*group, stamps->values<std::int64_t>());
            stored += group->ingest(frame, *stamps, m_anomalies);
        }
    return stored;
}

void LiveStore::growToWantedSpan(Group& group, std::span<const std::int64_t> arriving) const
{
    const IndexRing& index = group.index;
    if (m_wantedSpan.nanoseconds() <= 0 || arriving.empty())
        return;
    // The rate over what is held and what arrives (live after it, or history before it), if
    // all of it were kept.
    const bool held = index.size() > 0;
    const std::int64_t oldest = std::min(arriving.front(),
        held ? index.stampAt(index.firstPosition()) : arriving.front());
    const std::int64_t newest
        = std::max(arriving.back(), held ? index.newestStamp() : arriving.back());
    const std::size_t count = index.size() + arriving.size();
    const std::int64_t span = newest - oldest;
    if (count < 2 || span <= 0 || span >= m_wantedSpan.nanoseconds())
        return;
    // Enough for the wanted span at that rate, with a tenth to spare.
    const double perNs = static_cast<double>(count - 1) / static_cast<double>(span);
    const double wanted = perNs * static_cast<double>(m_wantedSpan.nanoseconds()) * 1.1;
    std::size_t bytesPerSample = sizeof(std::int64_t);
    for (const auto& [key, ring] : group.values)
        bytesPerSample += std::max(1, ring->dataType().density());
    const std::size_t share = std::max(MinimumGroupShare, m_groups.size());
    const std::size_t affordable = m_budgetBytes / share / bytesPerSample;
    const std::size_t capacity = std::min(affordable, static_cast<std::size_t>(wanted));
    if (capacity <= index.capacity())
        return;
    group.index.reserve(capacity);
    for (auto& [key, ring] : group.values)
        ring->reserve(capacity);
}

std::optional<TimeSpan> LiveStore::windowShortfall(ChannelKey key, TimeSpan window) const
{
    const Group* group = groupOf(key);
    if (group == nullptr || group->index.size() < 2
        || group->index.size() < group->index.capacity())
        return std::nullopt;
    const TimeSpan held(
        group->index.newestStamp() - group->index.stampAt(group->index.firstPosition()));
    if (held >= window)
        return std::nullopt;
    return held;
}

void LiveStore::markGapEverywhere()
{
    for (auto& [key, group] : m_groups)
        group->index.markGap();
}

std::size_t LiveStore::backfill(ChannelKey key, const Series& stamps, const Series& values)
{
    const auto channel = m_channels.find(key);
    if (channel == m_channels.end() || stamps.size() != values.size())
        return 0;
    const auto group = m_groups.find(channel->second.index);
    if (group == m_groups.end())
        return 0;
    IndexRing& index = group->second->index;
    const auto ringIt = group->second->values.find(key);
    if (ringIt == group->second->values.end())
        return 0;
    const auto t = stamps.values<std::int64_t>();
    if (index.size() + t.size() > index.capacity())
        growToWantedSpan(*group->second, t);
    ValueRing& ring = *ringIt->second;
    index.prepend(t); // timestamps older than any held (others' backfill may have added some)
    if (ring.empty()) {
        // No live values yet: start just after the newest backfilled timestamp.
        const Position after = t.empty() ? index.endPosition() : index.find(t.back());
        if (after == index.endPosition())
            return 0;
        ring.resetAt(after + 1);
    }
    std::size_t taken = 0;
    for (std::size_t n = t.size(); n-- > 0;) {
        if (ring.firstPosition() <= index.firstPosition())
            break;
        const Position wanted = ring.firstPosition() - 1;
        if (index.stampAt(wanted) != t[n])
            continue; // not the timestamp just before what the ring holds
        if (!ring.prependOne(values, n))
            break;
        ++taken;
    }
    return taken;
}

const LiveStore::Group* LiveStore::groupOf(ChannelKey key) const
{
    const auto channel = m_channels.find(key);
    if (channel == m_channels.end())
        return nullptr;
    const auto group = m_groups.find(channel->second.index);
    return group == m_groups.end() ? nullptr : group->second.get();
}

const ValueRing* LiveStore::ringOf(ChannelKey key) const
{
    const Group* group = groupOf(key);
    if (group == nullptr)
        return nullptr;
    const auto ring = group->values.find(key);
    return ring == group->values.end() ? nullptr : ring->second.get();
}

bool LiveStore::holds(ChannelKey key) const { return ringOf(key) != nullptr; }

std::size_t LiveStore::sampleCount(ChannelKey key) const
{
    const ValueRing* ring = ringOf(key);
    return ring == nullptr ? 0 : ring->size();
}

std::optional<Sample> LiveStore::oldest(ChannelKey key) const
{
    const ValueRing* ring = ringOf(key);
    if (ring == nullptr || ring->empty())
        return std::nullopt;
    const Position p = ring->firstPosition();
    return Sample { TimeStamp(groupOf(key)->index.stampAt(p)), ring->valueAt(p) };
}

std::optional<Sample> LiveStore::latest(ChannelKey key) const
{
    const ValueRing* ring = ringOf(key);
    if (ring == nullptr || ring->empty())
        return std::nullopt;
    const Position p = ring->endPosition() - 1;
    return Sample { TimeStamp(groupOf(key)->index.stampAt(p)), ring->valueAt(p) };
}

std::optional<Sample> LiveStore::atOrBefore(ChannelKey key, TimeStamp at) const
{
    const ValueRing* ring = ringOf(key);
    if (ring == nullptr || ring->empty())
        return std::nullopt;
    const IndexRing& index = groupOf(key)->index;
    Position p = index.lowerBound(at.nanoseconds() + 1); // first after `at`
    if (p <= ring->firstPosition())
        return std::nullopt;
    p = std::min(p, ring->endPosition()) - 1;
    return Sample { TimeStamp(index.stampAt(p)), ring->valueAt(p) };
}

std::int64_t LiveStore::nominalPeriod(ChannelKey key) const
{
    const ValueRing* ring = ringOf(key);
    if (ring == nullptr || ring->size() < 3)
        return std::numeric_limits<std::int64_t>::max() / 8;
    const IndexRing& index = groupOf(key)->index;
    const Position last = ring->endPosition() - 1;
    const Position span = std::min<Position>(ring->size() - 1, 16);
    return std::max<std::int64_t>(1,
        (index.stampAt(last) - index.stampAt(last - span)) / std::int64_t(span));
}

void LiveStore::decimate(ChannelKey key,
    std::int64_t start,
    std::int64_t end,
    int columns,
    std::int64_t origin,
    std::int64_t gapAfter,
    decimate::PlotPoints& out) const
{
    out.clear();
    const ValueRing* ring = ringOf(key);
    if (ring == nullptr || ring->empty() || end <= start || columns <= 0)
        return;
    const IndexRing& index = groupOf(key)->index;
    visitNumeric(ring->dataType(), [&]<typename T>(T) {
        decimateTyped<T>(index, *ring, start, end, columns, origin, gapAfter, out);
    });
}

bool LiveStore::decimateLive(ChannelKey key,
    std::int64_t start,
    std::int64_t end,
    int columnCount,
    std::int64_t origin,
    std::int64_t gapAfter,
    LiveColumns& columns,
    decimate::PlotPoints& out,
    std::optional<double>* changedFrom) const
{
    const ValueRing* ring = ringOf(key);
    if (ring == nullptr || end <= start || columnCount <= 0) {
        columns.clear();
        const bool changed = !out.keys.isEmpty();
        out.clear();
        if (changedFrom != nullptr)
            *changedFrom = changed ? std::optional<double>(-std::numeric_limits<double>::infinity())
                                   : std::nullopt;
        return changed;
    }
    const IndexRing& index = groupOf(key)->index;
    if (!columns.update(index, *ring, start, end, columnCount, gapAfter)
        && columns.emittedOrigin() == origin)
        return false;
    const std::optional<double> from = columns.writePoints(index, *ring, origin, out);
    if (changedFrom != nullptr)
        *changedFrom = from;
    return true;
}

const Channel* LiveStore::channel(ChannelKey key) const
{
    const auto found = m_channels.find(key);
    return found == m_channels.end() ? nullptr : &found->second;
}

std::size_t LiveStore::memoryBytes() const
{
    std::size_t total = 0;
    for (const auto& [key, group] : m_groups) {
        total += group->index.memoryBytes();
        for (const auto& [channel, ring] : group->values)
            total += ring->memoryBytes();
    }
    return total;
}

std::size_t LiveStore::totalSamples() const
{
    std::size_t total = 0;
    for (const auto& [key, group] : m_groups)
        for (const auto& [channel, ring] : group->values)
            total += ring->size();
    return total;
}

std::int64_t LiveStore::newestStamp() const
{
    std::int64_t newest = 0;
    for (const auto& [key, group] : m_groups)
        if (group->index.size() > 0)
            newest = std::max(newest, group->index.newestStamp());
    return newest;
}

} // namespace sightline::core::store
