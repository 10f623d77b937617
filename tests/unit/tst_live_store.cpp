#include "core/decimate/m4.h"
#include "core/store/live_store.h"
#include "core/store/rings.h"
#include "core/telem/channel.h"
#include "core/telem/frame.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include "support/vector_source.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::core::decimate::decimateM4;
using sightline::core::decimate::PlotPoints;
using sightline::core::store::IndexRing;
using sightline::core::store::LiveColumns;
using sightline::core::store::LiveStore;
using sightline::core::store::Position;
using sightline::core::store::Sample;
using sightline::core::store::TimeOrderAnomalies;
using sightline::core::store::ValueRing;

namespace {

constexpr ChannelKey IndexKey = 1;
constexpr ChannelKey DataKey = 2;
constexpr ChannelKey SecondKey = 3;
constexpr ChannelKey OtherIndexKey = 9;
constexpr std::uint64_t Domain = std::uint64_t { 3 } << 32;
constexpr std::int64_t NoGapLimit = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t Millisecond = 1'000'000;
/// A realistic epoch (2023-11-14) in ns.
constexpr std::int64_t Epoch = 1'700'000'000'000'000'000;
/// Large enough that only `maxSamples` sizes a store's rings.
constexpr std::size_t LargeBudget = std::size_t { 1 } << 30;
constexpr std::int64_t Second = 1'000 * Millisecond;
constexpr std::int64_t Hour = 3'600 * Second;
/// Periods of about 1 kHz and 1 Hz that put every sample on its own value (valueFor).
constexpr std::int64_t KilohertzPeriod = Millisecond + 1;
constexpr std::int64_t HertzPeriod = Second + 1;
/// 2200-01-01T00:00:00Z in ns: a stray stamp far in the future.
constexpr std::int64_t Year2200 = 7'258'118'400'000'000'000;

// ---- rings -------------------------------------------------------------------------------

std::vector<std::int64_t> toStamps(const QList<qint64>& list)
{
    return { list.begin(), list.end() };
}

/// `count` stamps first, first + step, …
std::vector<std::int64_t> stampRun(std::int64_t first, std::size_t count, std::int64_t step = 1)
{
    std::vector<std::int64_t> stamps(count);
    for (std::size_t i = 0; i < count; ++i)
        stamps[i] = first + static_cast<std::int64_t>(i) * step;
    return stamps;
}

QList<qint64> stampsOf(const IndexRing& ring)
{
    QList<qint64> stamps;
    for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
        stamps.append(ring.stampAt(p));
    return stamps;
}

QList<bool> gapsOf(const IndexRing& ring)
{
    QList<bool> gaps;
    for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
        gaps.append(ring.gapBefore(p));
    return gaps;
}

QList<double> valuesOf(const ValueRing& ring)
{
    QList<double> values;
    for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
        values.append(ring.valueAt(p));
    return values;
}

/// A float64 series 0.5, 1.5, 2.5, … (`count` values).
Series halves(std::size_t count)
{
    std::vector<double> values(count);
    for (std::size_t i = 0; i < count; ++i)
        values[i] = static_cast<double>(i) + 0.5;
    return Series::fromValues<double>(values);
}

/// The value a test stores for position p of a ValueRing.
float valueAtPosition(Position p) { return static_cast<float>(p % 1000) * 0.25f - 3.0f; }

/// Appends the values of positions [from, to) in chunks of `chunk`.
void appendPositions(ValueRing& ring, Position from, Position to, std::size_t chunk)
{
    while (from < to) {
        const auto count = static_cast<std::size_t>(std::min<Position>(chunk, to - from));
        std::vector<float> values(count);
        for (std::size_t i = 0; i < count; ++i)
            values[i] = valueAtPosition(from + i);
        ring.append(from, Series::fromValues<float>(values), 0, count);
        from += count;
    }
}

/// Numbers of type T worth reading back: the extremes, their neighbours, 0, ±1 and more.
template <typename T> std::vector<T> interestingValues()
{
    using Limits = std::numeric_limits<T>;
    std::vector<T> values { Limits::lowest(),
        Limits::max(),
        T(0),
        T(1),
        T(Limits::lowest() + 1),
        T(Limits::max() - 1),
        T(100),
        T(Limits::max() / 3) };
    if constexpr (std::is_signed_v<T>)
        values.push_back(T(-1));
    if constexpr (std::is_floating_point_v<T>) {
        values.push_back(Limits::min());
        values.push_back(Limits::denorm_min());
        values.push_back(Limits::epsilon());
        values.push_back(T(0.1));
        values.push_back(T(-2.5e-7));
        values.push_back(-Limits::infinity());
    }
    return values;
}

/// Reads `interestingValues<T>()` back from a ValueRing of `type` whose storage has wrapped.
template <typename T> void checkValuesReadBack(DataType type)
{
    const std::vector<T> values = interestingValues<T>();
    ValueRing ring(type, values.size());
    QCOMPARE(ring.dataType(), type);
    QCOMPARE(ring.memoryBytes(), values.size() * sizeof(T));
    const Series series = Series::fromValues<T>(values, type);
    ring.append(40, series, 0, 3); // three values that the next append pushes out
    ring.append(43, series, 0, values.size());
    QCOMPARE(ring.firstPosition(), Position(43));
    QCOMPARE(ring.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double expected = static_cast<double>(values[i]);
        QVERIFY2(ring.valueAt(43 + i) == expected,
            qPrintable(u"value %1: %2, expected %3"_s.arg(i)
                           .arg(ring.valueAt(43 + i), 0, 'g', 20)
                           .arg(expected, 0, 'g', 20)));
    }
}

// ---- the store ---------------------------------------------------------------------------

Channel makeChannel(ChannelKey key, DataType type, ChannelKey index)
{
    Channel channel;
    channel.key = key;
    channel.name = u"ch_%1"_s.arg(key);
    channel.dataType = type;
    channel.index = index;
    channel.isIndex = key == index;
    return channel;
}

Series stampSeries(std::span<const std::int64_t> stamps, std::uint64_t alignment)
{
    Series series = Series::fromValues<std::int64_t>(stamps, DataType::Timestamp);
    series.setAlignment(alignment);
    return series;
}

Series stampSeries(std::initializer_list<std::int64_t> stamps, std::uint64_t alignment)
{
    return stampSeries(std::span<const std::int64_t>(stamps.begin(), stamps.size()), alignment);
}

template <typename T> Series typedFrom(std::span<const double> values, DataType type)
{
    std::vector<T> typed(values.size());
    std::transform(values.begin(), values.end(), typed.begin(), [](double v) {
        return static_cast<T>(v);
    });
    return Series::fromValues<T>(typed, type);
}

/// `values` (each representable in `type`) as a series of `type`, with `alignment`.
Series seriesOf(DataType type, std::span<const double> values, std::uint64_t alignment)
{
    Series series;
    switch (type.id()) {
    case DataType::Float64:
        series = typedFrom<double>(values, type);
        break;
    case DataType::Float32:
        series = typedFrom<float>(values, type);
        break;
    case DataType::Int64:
    case DataType::Timestamp:
        series = typedFrom<std::int64_t>(values, type);
        break;
    case DataType::Int32:
        series = typedFrom<std::int32_t>(values, type);
        break;
    case DataType::Int16:
        series = typedFrom<std::int16_t>(values, type);
        break;
    case DataType::Int8:
        series = typedFrom<std::int8_t>(values, type);
        break;
    case DataType::Uint64:
        series = typedFrom<std::uint64_t>(values, type);
        break;
    case DataType::Uint32:
        series = typedFrom<std::uint32_t>(values, type);
        break;
    case DataType::Uint16:
        series = typedFrom<std::uint16_t>(values, type);
        break;
    case DataType::Uint8:
        series = typedFrom<std::uint8_t>(values, type);
        break;
    default:
        qFatal("seriesOf: not a numeric type");
    }
    series.setAlignment(alignment);
    return series;
}

Series doubleSeries(std::initializer_list<double> values, std::uint64_t alignment)
{
    return seriesOf(DataType::Float64,
        std::span<const double>(values.begin(), values.size()),
        alignment);
}

/// A sample's value derived from its stamp, so a value on the wrong stamp is noticed
/// (exact in float64 and int32 for the stamps used with it).
double valueFor(std::int64_t stamp) { return static_cast<double>(stamp % 1'000'000) * 2 - 7; }
/// Another one, for a second channel.
double otherValueFor(std::int64_t stamp) { return static_cast<double>(stamp % 10'000) - 5'000; }

std::vector<double> valuesFor(std::span<const std::int64_t> stamps, double (*of)(std::int64_t))
{
    std::vector<double> values(stamps.size());
    std::transform(stamps.begin(), stamps.end(), values.begin(), of);
    return values;
}

/// `a` followed by `b`.
std::vector<std::int64_t> joined(std::span<const std::int64_t> a, std::span<const std::int64_t> b)
{
    std::vector<std::int64_t> all(a.begin(), a.end());
    all.insert(all.end(), b.begin(), b.end());
    return all;
}

/// The stamps of `stamps` before `stamp`.
std::vector<std::int64_t> stampsBefore(std::span<const std::int64_t> stamps, std::int64_t stamp)
{
    return { stamps.begin(), std::lower_bound(stamps.begin(), stamps.end(), stamp) };
}

/// The channels a store test uses on `IndexKey`.
struct Tracked
{
    ChannelKey key;
    DataType type;
    double (*valueOf)(std::int64_t);
};

/// One frame: the index series of `stamps` and, for each channel, its values of those stamps.
Frame frameOf(std::span<const std::int64_t> stamps,
    std::uint64_t alignment,
    const std::vector<Tracked>& channels)
{
    Frame frame;
    frame.add(IndexKey, stampSeries(stamps, alignment));
    for (const Tracked& channel : channels)
        frame.add(channel.key,
            seriesOf(channel.type, valuesFor(stamps, channel.valueOf), alignment));
    return frame;
}

/// Streams `stamps` into `store` in frames of `chunk`, with alignments continuing from
/// `alignment`; returns the samples stored.
std::size_t stream(LiveStore& store,
    std::span<const std::int64_t> stamps,
    const std::vector<Tracked>& channels,
    std::size_t chunk,
    std::uint64_t alignment = Domain)
{
    std::size_t stored = 0;
    for (std::size_t from = 0; from < stamps.size(); from += chunk) {
        const std::size_t count = std::min(chunk, stamps.size() - from);
        stored += store.ingest(frameOf(stamps.subspan(from, count), alignment + from, channels));
    }
    return stored;
}

/// A store with `IndexKey` and the given data channels on it, rings of `capacity` samples.
LiveStore storeWith(const std::vector<Tracked>& channels, std::size_t capacity = 1000)
{
    LiveStore store(LargeBudget, capacity);
    std::vector<Channel> tracked { makeChannel(IndexKey, DataType::Timestamp, IndexKey) };
    for (const Tracked& channel : channels)
        tracked.push_back(makeChannel(channel.key, channel.type, IndexKey));
    store.track(tracked);
    return store;
}

/// Empty when `got` is the sample (stamp, value), else what differs.
QString mismatch(const std::optional<Sample>& got, std::int64_t stamp, double value)
{
    if (!got)
        return u"no sample, expected (%1, %2)"_s.arg(stamp).arg(value);
    if (got->stamp.nanoseconds() != stamp || got->value != value)
        return u"(%1, %2), expected (%3, %4)"_s.arg(got->stamp.nanoseconds())
            .arg(got->value)
            .arg(stamp)
            .arg(value);
    return {};
}

/// Empty when every stamp of `stamps` reads back from `key` with its own value, also just
/// after it (sample and hold), else the first mismatch.
QString pairingMismatch(const LiveStore& store,
    ChannelKey key,
    std::span<const std::int64_t> stamps,
    double (*of)(std::int64_t))
{
    for (std::size_t i = 0; i < stamps.size(); ++i) {
        const std::int64_t stamp = stamps[i];
        QString wrong = mismatch(store.atOrBefore(key, TimeStamp(stamp)), stamp, of(stamp));
        if (wrong.isEmpty() && (i + 1 == stamps.size() || stamps[i + 1] > stamp + 1))
            wrong = mismatch(store.atOrBefore(key, TimeStamp(stamp + 1)), stamp, of(stamp));
        if (!wrong.isEmpty())
            return u"at %1: %2"_s.arg(stamp).arg(wrong);
    }
    return {};
}

// ---- decimation ----------------------------------------------------------------------------

using sightline::test::VectorSource;

static_assert(sightline::core::decimate::SampleSource<VectorSource>);

using sightline::test::View;

PlotPoints decimateStore(const LiveStore& store, ChannelKey key, const View& view)
{
    PlotPoints out;
    out.keys = { 42.0 }; // stale content the call must clear
    out.values = { 42.0 };
    store.decimate(key, view.start, view.end, view.columns, view.origin, view.gapAfter, out);
    return out;
}

PlotPoints decimateReference(const VectorSource& source, const View& view)
{
    PlotPoints out;
    decimateM4(source, view.start, view.end, view.columns, view.origin, view.gapAfter, out);
    return out;
}

bool samePoint(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

/// Empty when the two outputs are identical (NaN equal to NaN), else the first difference.
QString outputMismatch(const PlotPoints& got, const PlotPoints& expected)
{
    const qsizetype common = std::min(got.keys.size(), expected.keys.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (!samePoint(got.keys[i], expected.keys[i])
            || !samePoint(got.values[i], expected.values[i]))
            return u"point %1 of %2/%3: (%4, %5), expected (%6, %7)"_s.arg(i)
                .arg(got.keys.size())
                .arg(expected.keys.size())
                .arg(got.keys[i], 0, 'g', 17)
                .arg(got.values[i], 0, 'g', 17)
                .arg(expected.keys[i], 0, 'g', 17)
                .arg(expected.values[i], 0, 'g', 17);
    }
    if (got.keys.size() != expected.keys.size() || got.values.size() != got.keys.size())
        return u"%1 points, expected %2"_s.arg(got.keys.size()).arg(expected.keys.size());
    return {};
}

/// Empty when `after` holds the same points as `before` below key `from` (what
/// LiveStore::decimateLive reports as changed), leaving aside points of `before` in front of
/// `after`'s first; else the first point that breaks it.
QString changeMisreported(
    const PlotPoints& before, const PlotPoints& after, std::optional<double> from)
{
    const double limit = from ? *from : std::numeric_limits<double>::infinity();
    if (after.keys.isEmpty())
        return before.keys.isEmpty() || limit == -std::numeric_limits<double>::infinity()
            ? QString()
            : u"all points went, reported from %1"_s.arg(limit);
    PlotPoints kept;
    for (qsizetype i = 0; i < before.keys.size(); ++i)
        if (before.keys[i] >= after.keys.front() && before.keys[i] < limit) {
            kept.keys.append(before.keys[i]);
            kept.values.append(before.values[i]);
        }
    PlotPoints below;
    for (qsizetype i = 0; i < after.keys.size() && after.keys[i] < limit; ++i) {
        below.keys.append(after.keys[i]);
        below.values.append(after.values[i]);
    }
    const QString differs = outputMismatch(below, kept);
    return differs.isEmpty() ? QString() : u"below %1: "_s.arg(limit, 0, 'g', 17) + differs;
}

/// Empty when `out` is what the reference draws of `source` in `view`, else the view and the
/// first difference.
QString viewMismatch(const PlotPoints& out, const VectorSource& source, const View& view)
{
    const QString differs = outputMismatch(out, decimateReference(source, view));
    if (differs.isEmpty())
        return {};
    return u"view [%1, %2) in %3 columns: %4"_s.arg(view.start - Epoch)
        .arg(view.end - Epoch)
        .arg(view.columns)
        .arg(differs);
}

/// The pixel column of `stamp` by exact integer arithmetic: -1 before the view, `columns`
/// after it.
long long exactColumn(std::int64_t stamp, const View& view)
{
    if (stamp < view.start)
        return -1;
    if (stamp >= view.end)
        return view.columns;
    return (stamp - view.start) * view.columns / (view.end - view.start);
}

/// Per column: the first and last sample (as stamps) and the minimum and maximum value
/// among the output points, each point's column found from its sample's stamp.
struct ColumnSummary
{
    std::int64_t first = 0;
    std::int64_t last = 0;
    double min = 0;
    double max = 0;

    friend bool operator==(const ColumnSummary&, const ColumnSummary&) = default;
};

std::map<long long, ColumnSummary> summaryOf(
    const VectorSource& source, const PlotPoints& out, const View& view)
{
    std::map<long long, ColumnSummary> columns;
    for (qsizetype i = 0; i < out.keys.size(); ++i) {
        if (std::isnan(out.values[i]))
            continue;
        // The sample whose key this is (keys are exact functions of the stamps).
        const auto at = std::lower_bound(source.stamps.begin(),
            source.stamps.end(),
            out.keys[i],
            [&](std::int64_t stamp, double key) {
                return static_cast<double>(stamp - view.origin) / 1e9 < key;
            });
        if (at == source.stamps.end())
            return {};
        const std::int64_t stamp = *at;
        const auto [it, fresh] = columns.try_emplace(exactColumn(stamp, view),
            ColumnSummary { stamp, stamp, out.values[i], out.values[i] });
        ColumnSummary& column = it->second;
        column.first = std::min(column.first, stamp);
        column.last = std::max(column.last, stamp);
        column.min = std::min(column.min, out.values[i]);
        column.max = std::max(column.max, out.values[i]);
    }
    return columns;
}

/// The same per-column summary computed from every sample of the source.
std::map<long long, ColumnSummary> truthOf(const VectorSource& source, const View& view)
{
    std::map<long long, ColumnSummary> columns;
    std::size_t first = source.lowerBound(view.start);
    std::size_t last = source.lowerBound(view.end);
    first -= first > 0 ? 1 : 0;
    last += last < source.size() ? 1 : 0;
    for (std::size_t i = first; i < last; ++i) {
        const std::int64_t stamp = source.stamps[i];
        const double value = source.values[i];
        const auto [it, fresh] = columns.try_emplace(exactColumn(stamp, view),
            ColumnSummary { stamp, stamp, value, value });
        ColumnSummary& column = it->second;
        column.last = stamp;
        column.min = std::min(column.min, value);
        column.max = std::max(column.max, value);
    }
    return columns;
}

/// Empty when the summaries agree, else the first column that differs.
QString summaryMismatch(const std::map<long long, ColumnSummary>& got,
    const std::map<long long, ColumnSummary>& expected)
{
    if (got == expected)
        return {};
    for (const auto& [column, summary] : expected) {
        const auto it = got.find(column);
        if (it == got.end())
            return u"column %1 missing"_s.arg(column);
        if (!(it->second == summary))
            return u"column %1: first %2 last %3 min %4 max %5, expected %6 %7 %8 %9"_s.arg(column)
                .arg(it->second.first)
                .arg(it->second.last)
                .arg(it->second.min)
                .arg(it->second.max)
                .arg(summary.first)
                .arg(summary.last)
                .arg(summary.min)
                .arg(summary.max);
    }
    return u"%1 columns, expected %2"_s.arg(got.size()).arg(expected.size());
}

/// A value of `type` at random; `coarse` gives few distinct values (many ties).
double randomValue(QRandomGenerator& random, DataType type, bool coarse)
{
    if (coarse)
        return double(random.bounded(5));
    switch (type.id()) {
    case DataType::Float64:
        return random.generateDouble() * 2 - 1;
    case DataType::Float32:
        return double(float(random.generateDouble() * 2 - 1));
    case DataType::Int16:
        return double(random.bounded(-32768, 32768));
    case DataType::Uint8:
        return double(random.bounded(256));
    case DataType::Int64:
        return double(random.bounded(-1'000'000, 1'000'000)) * 1'000'000'007.0;
    default:
        return double(random.bounded(100));
    }
}

/// Random samples as a stand streams them, in frames: `samples` holds them all (with the
/// gaps marked before some frames), `frames` each frame's sample count.
struct RandomStream
{
    VectorSource samples;
    std::vector<std::size_t> frames;
};

/// `nonFinite` (float types): some values NaN (alone and in runs) or infinite.
RandomStream randomStream(QRandomGenerator& random, DataType type, bool nonFinite)
{
    const bool few = random.bounded(3) == 0;
    const auto count = std::size_t(few ? random.bounded(1, 40) : random.bounded(1, 5000));
    const bool bursty = random.bounded(2) == 0;
    const bool coarse = random.bounded(3) == 0;
    const bool gaps = random.bounded(2) == 0;
    RandomStream stream;
    VectorSource& all = stream.samples;
    all.gaps.assign(count, 0);
    std::int64_t stamp = Epoch + random.bounded(-100'000, 100'000);
    for (std::size_t i = 0; i < count; ++i) {
        stamp += bursty && random.bounded(50) == 0 ? random.bounded(1, 200'000)
                                                   : random.bounded(1, 2000);
        all.stamps.push_back(stamp);
        double value = randomValue(random, type, coarse);
        if (nonFinite) {
            const int roll = random.bounded(40);
            const bool inNanRun = i > 0 && std::isnan(all.values.back()) && roll < 30;
            if (roll == 0 || inNanRun)
                value = std::numeric_limits<double>::quiet_NaN();
            else if (roll == 1)
                value = std::numeric_limits<double>::infinity();
            else if (roll == 2)
                value = -std::numeric_limits<double>::infinity();
        }
        all.values.push_back(value);
    }
    for (std::size_t from = 0; from < count;) {
        const std::size_t n = std::min(count - from, std::size_t(random.bounded(1, 400)));
        if (gaps && from > 0 && random.bounded(4) == 0)
            all.gaps[from] = 1;
        stream.frames.push_back(n);
        from += n;
    }
    return stream;
}

/// Streams the frame of `stream` that starts at sample `from` (`count` samples) into
/// `store`, marking a gap before it first when the stream has one there.
void ingestFrame(LiveStore& store,
    const RandomStream& stream,
    DataType type,
    std::size_t from,
    std::size_t count)
{
    const VectorSource& all = stream.samples;
    if (all.gaps[from] != 0)
        store.markGapEverywhere();
    Frame frame;
    frame.add(IndexKey, stampSeries(std::span(all.stamps).subspan(from, count), Domain + from));
    frame.add(DataKey, seriesOf(type, std::span(all.values).subspan(from, count), Domain + from));
    store.ingest(frame);
}

/// The first `count` samples of `all`.
VectorSource firstSamples(const VectorSource& all, std::size_t count)
{
    VectorSource first;
    const auto end = std::ptrdiff_t(std::min(count, all.size()));
    first.stamps.assign(all.stamps.begin(), all.stamps.begin() + end);
    first.values.assign(all.values.begin(), all.values.begin() + end);
    first.gaps.assign(all.gaps.begin(), all.gaps.begin() + end);
    return first;
}

/// The last `held` samples of `all`.
VectorSource lastSamples(const VectorSource& all, std::size_t held)
{
    held = std::min(held, all.size());
    const auto from = std::ptrdiff_t(all.size() - held);
    VectorSource last;
    last.stamps.assign(all.stamps.begin() + from, all.stamps.end());
    last.values.assign(all.values.begin() + from, all.values.end());
    last.gaps.assign(all.gaps.begin() + from, all.gaps.end());
    return last;
}

/// Random samples streamed into a store whose rings hold `capacity` (fewer than the samples
/// when `wrap`), some frames after a marked gap; `reference` holds the samples (and gaps) the
/// store should hold.
struct StoreCase
{
    LiveStore store;
    VectorSource reference;
};

/// A store's ring capacity for `count` samples: fewer when `wrap`.
std::size_t randomCapacity(QRandomGenerator& random, std::size_t count, bool wrap)
{
    return wrap ? std::max<std::size_t>(1, count * 2 / 3 + random.bounded(3))
                : count + std::size_t(random.bounded(100));
}

/// `nonFinite` (float types): some values NaN (alone and in runs) or infinite.
StoreCase randomStoreCase(
    QRandomGenerator& random, DataType type, bool wrap, bool nonFinite = false)
{
    const RandomStream stream = randomStream(random, type, nonFinite);
    const std::size_t count = stream.samples.size();
    const std::size_t capacity = randomCapacity(random, count, wrap);
    StoreCase result { storeWith({ { DataKey, type, valueFor } }, capacity), {} };
    std::size_t from = 0;
    for (const std::size_t n : stream.frames) {
        ingestFrame(result.store, stream, type, from, n);
        from += n;
    }
    result.reference = lastSamples(stream.samples, capacity);
    return result;
}

/// A random view over `source`; `aligned` makes pixel edges exact (width a multiple of the
/// columns) or never on an integer stamp (width coprime with them), as in tst_decimate, so
/// that no rounding at column edges can matter.
View randomView(QRandomGenerator& random, const VectorSource& source, bool aligned)
{
    const int count = int(source.size());
    const bool few = count < 40;
    View view;
    view.columns = few ? random.bounded(1, 2000) : random.bounded(1, 400);
    view.origin = source.stamps[std::size_t(random.bounded(count))];
    view.start = source.stamps[std::size_t(random.bounded(count))] - random.bounded(3);
    view.end = random.bounded(2) == 0 ? source.stamps[std::size_t(random.bounded(count))]
                                      : view.start + random.bounded(1, 10'000'000);
    if (view.end <= view.start)
        view.end = view.start + source.stamps.back() - source.stamps.front() + 1;
    if (aligned) {
        const auto sharedFactor = [&] { return std::gcd(view.end - view.start, view.columns); };
        while (sharedFactor() != 1 && sharedFactor() != view.columns)
            ++view.end;
    }
    return view;
}

qsizetype breaksIn(const PlotPoints& out)
{
    return std::ranges::count_if(out.values, [](double v) { return std::isnan(v); });
}

} // namespace

class TestLiveStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- IndexRing -----------------------------------------------------------------------
    /// Galloping from a position and from a guess find what the binary search finds, in a
    /// wrapped ring with irregular stamps, for any start, guess and stamp.
    // ---- holding the window ----------------------------------------------------------------
    void ringsGrowToHoldTheWantedSpanKeepingEverySample()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float32, valueFor } };
        LiveStore store = storeWith(channels, 100); // sized for 0.1 s at 1 kHz
        store.setWantedSpan(TimeSpan::seconds(10));
        const std::vector<std::int64_t> stamps = stampRun(Epoch, 10'000, Millisecond);
        stream(store, stamps, channels, 250);
        QCOMPARE(store.sampleCount(DataKey), std::size_t(10'000)); // nothing let go
        QCOMPARE(mismatch(store.oldest(DataKey), stamps.front(), valueFor(stamps.front())),
            QString());
        QCOMPARE(mismatch(store.latest(DataKey), stamps.back(), valueFor(stamps.back())),
            QString());
        // Every sample where it was: the view equals the reference over all of them.
        VectorSource reference { stamps, valuesFor(stamps, valueFor), {} };
        reference.gaps.assign(stamps.size(), 0);
        const View view { Epoch, stamps.back() + 1, 333, Epoch };
        QCOMPARE(
            outputMismatch(decimateStore(store, DataKey, view), decimateReference(reference, view)),
            QString());
        QVERIFY(!store.windowShortfall(DataKey, TimeSpan::seconds(10)));
    }

    void backfilledHistoryGrowsTheRingsToo()
    {
        // A plot opened on a fast channel: its window comes from history, older than what
        // streams live, and all of it is kept.
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 100);
        store.setWantedSpan(TimeSpan::seconds(10));
        const std::vector<std::int64_t> live = stampRun(Epoch + 5 * Second, 50, Millisecond);
        stream(store, live, channels, 50);
        const std::vector<std::int64_t> history = stampRun(Epoch, 5000, Millisecond);
        const std::vector<double> values = valuesFor(history, valueFor);
        QCOMPARE(store.backfill(DataKey,
                     stampSeries(history, Domain),
                     seriesOf(DataType::Float64, values, Domain)),
            std::size_t(5000));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(5050));
        QCOMPARE(mismatch(store.oldest(DataKey), history.front(), valueFor(history.front())),
            QString());
    }

    void aWindowTheBudgetCannotHoldIsReportedNotHidden()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float32, valueFor } };
        // 24 KB: about 2,000 samples of an index and one float32 channel (in a share of two).
        LiveStore store(48 * 1024, 100);
        store.track({ makeChannel(IndexKey, DataType::Timestamp, IndexKey),
            makeChannel(DataKey, DataType::Float32, IndexKey) });
        store.setWantedSpan(TimeSpan::seconds(10));
        stream(store, stampRun(Epoch, 10'000, Millisecond), channels, 250);
        const std::size_t held = store.sampleCount(DataKey);
        QVERIFY2(held > 100 && held < 10'000, qPrintable(QString::number(held)));
        const auto shortfall = store.windowShortfall(DataKey, TimeSpan::seconds(10));
        QVERIFY(shortfall);
        QCOMPARE(shortfall->nanoseconds(), std::int64_t(held - 1) * Millisecond);
        QVERIFY(!store.windowShortfall(DataKey, TimeSpan(shortfall->nanoseconds())));
        QVERIFY(store.memoryBytes() <= 48 * 1024);
    }

    void withoutAWantedSpanRingsKeepTheirSizeAndSaySo()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 100);
        stream(store, stampRun(Epoch, 1000, Millisecond), channels, 100);
        QCOMPARE(store.sampleCount(DataKey), std::size_t(100));
        QVERIFY(store.windowShortfall(DataKey, TimeSpan::seconds(1)));
        QVERIFY(!store.windowShortfall(DataKey, TimeSpan(99 * Millisecond)));
    }

    void searchesFromAPositionOrAGuessEqualTheBinarySearch()
    {
        QRandomGenerator random(7);
        for (int trial = 0; trial < 200; ++trial) {
            IndexRing ring(std::size_t(random.bounded(1, 300)));
            std::vector<std::int64_t> stamps;
            std::int64_t t = random.bounded(1000);
            const int count = random.bounded(1, 600); // often more than it holds: wrapped
            for (int i = 0; i < count; ++i) {
                t += random.bounded(2) ? 10 : random.bounded(1, 100);
                stamps.push_back(t);
            }
            ring.append(stamps);
            const Position first = ring.firstPosition();
            const Position end = ring.endPosition();
            for (int probe = 0; probe < 50; ++probe) {
                const std::int64_t stamp = random.bounded(int(t + 200)) - 100;
                const Position expected = ring.lowerBound(stamp);
                const Position from
                    = first + Position(random.bounded(int(end - first) + 1)); // may be end
                const Position guess = first + Position(random.bounded(int(end - first) + 20));
                if (from <= expected) {
                    QCOMPARE(ring.lowerBoundFrom(from, stamp), expected);
                    QCOMPARE(ring.lowerBoundNear(from, guess, stamp), expected);
                }
            }
        }
    }

    void indexAppend_data()
    {
        QTest::addColumn<QList<qint64>>("held");
        QTest::addColumn<QList<qint64>>("input");
        QTest::addColumn<int>("skipped");
        QTest::addColumn<int>("kept");
        QTest::addColumn<int>("discarded");
        QTest::addColumn<QList<qint64>>("after");
        using L = QList<qint64>;
        QTest::newRow("into empty") << L {} << L { 1, 2, 3 } << 0 << 3 << 0 << L { 1, 2, 3 };
        QTest::newRow("negative stamps")
            << L {} << L { -9, -1, 0 } << 0 << 3 << 0 << L { -9, -1, 0 };
        QTest::newRow("after the newest")
            << L { 1, 2 } << L { 3, 4 } << 0 << 2 << 0 << L { 1, 2, 3, 4 };
        QTest::newRow("leading repeat skipped")
            << L { 1, 2 } << L { 2, 3 } << 1 << 1 << 0 << L { 1, 2, 3 };
        QTest::newRow("all resent") << L { 5, 6 } << L { 5, 6 } << 2 << 0 << 0 << L { 5, 6 };
        QTest::newRow("resent from inside")
            << L { 1, 2, 3, 4 } << L { 2, 3 } << 2 << 0 << 0 << L { 1, 2, 3, 4 };
        QTest::newRow("resent, then after the newest")
            << L { 1, 2, 3 } << L { 2, 3, 4 } << 2 << 1 << 0 << L { 1, 2, 3, 4 };
        QTest::newRow("one resent, then after the newest")
            << L { 1, 2, 3 } << L { 2, 5 } << 1 << 1 << 0 << L { 1, 2, 3, 5 };
        // The rest is not after the newest either: the next call sees to it.
        QTest::newRow("resent, then behind again")
            << L { 1, 2, 3 } << L { 2, 3, 1 } << 2 << 0 << 0 << L { 1, 2, 3 };
        QTest::newRow("stops at a repeat") << L {} << L { 1, 2, 2, 3 } << 0 << 2 << 0 << L { 1, 2 };
        QTest::newRow("stops at an older stamp")
            << L { 1 } << L { 3, 4, 2, 5 } << 0 << 2 << 0 << L { 1, 3, 4 };
        QTest::newRow("empty input") << L { 1 } << L {} << 0 << 0 << 0 << L { 1 };
        // Time going back: what is held from the first stamp on makes way.
        QTest::newRow("a stray future stamp is discarded")
            << L { 1, 2, 1000 } << L { 3, 4 } << 0 << 2 << 1 << L { 1, 2, 3, 4 };
        QTest::newRow("back into the middle")
            << L { 1, 3, 5, 7 } << L { 4, 6 } << 0 << 2 << 2 << L { 1, 3, 4, 6 };
        QTest::newRow("back before everything")
            << L { 10, 11 } << L { 1, 2 } << 0 << 2 << 2 << L { 1, 2 };
        QTest::newRow("back, then past the newest")
            << L { 5, 6 } << L { 1, 2, 6, 7, 8 } << 0 << 5 << 2 << L { 1, 2, 6, 7, 8 };
        QTest::newRow("back, onto a held stamp")
            << L { 5, 6 } << L { 1, 6 } << 0 << 2 << 2 << L { 1, 6 };
        QTest::newRow("back, then stops")
            << L { 5 } << L { 4, 6, 7, 7, 8 } << 0 << 3 << 1 << L { 4, 6, 7 };
        QTest::newRow("back between two")
            << L { 10, 20, 30 } << L { 25 } << 0 << 1 << 1 << L { 10, 20, 25 };
    }
    void indexAppend()
    {
        QFETCH(QList<qint64>, held);
        QFETCH(QList<qint64>, input);
        QFETCH(int, skipped);
        QFETCH(int, kept);
        QFETCH(int, discarded);
        QFETCH(QList<qint64>, after);
        IndexRing ring(16);
        ring.append(toStamps(held));
        const Position first = ring.firstPosition();
        const Position end = ring.endPosition();
        const std::vector<std::int64_t> stamps = toStamps(input);
        const IndexRing::Appended at = ring.append(stamps);
        QCOMPARE(at.first, end - Position(discarded)); // the discarded positions are given again
        QCOMPARE(at.skipped, std::size_t(skipped));
        QCOMPARE(at.kept, std::size_t(kept));
        QCOMPARE(at.discarded, std::size_t(discarded));
        QCOMPARE(stampsOf(ring), after);
        QCOMPARE(ring.firstPosition(), first);
        QCOMPARE(ring.endPosition(), end - Position(discarded) + Position(kept));
        for (int k = 0; k < kept; ++k)
            QCOMPARE(ring.stampAt(at.first + Position(k)), stamps[std::size_t(skipped + k)]);
    }

    void indexResent_data()
    {
        QTest::addColumn<QList<qint64>>("input");
        QTest::addColumn<int>("at"); // index into the held stamps 1, 2, 3, 5
        QTest::addColumn<int>("count");
        using L = QList<qint64>;
        QTest::newRow("all of them") << L { 1, 2, 3, 5 } << 0 << 4;
        QTest::newRow("up to the newest, then more") << L { 2, 3, 5, 6 } << 1 << 3;
        QTest::newRow("one, then a stamp not held") << L { 2, 4 } << 1 << 1;
        QTest::newRow("the newest") << L { 5 } << 3 << 1;
        QTest::newRow("not held") << L { 4, 5 } << 0 << 0;
        QTest::newRow("after the newest") << L { 6, 7 } << 0 << 0;
        QTest::newRow("empty") << L {} << 0 << 0;
    }
    void indexResent()
    {
        QFETCH(QList<qint64>, input);
        QFETCH(int, at);
        QFETCH(int, count);
        IndexRing held(4); // wrapped: -1 and 0 were evicted
        held.append(std::vector<std::int64_t> { -1, 0, 1, 2, 3, 5 });
        const IndexRing::Resent resent = held.resent(toStamps(input));
        QCOMPARE(resent.count, std::size_t(count));
        if (count > 0)
            QCOMPARE(resent.at, held.firstPosition() + Position(at));
        QCOMPARE(IndexRing(4).resent(toStamps(input)).count, std::size_t(0)); // empty ring
    }

    void indexReplacesResentStampsWhenAsked()
    {
        IndexRing ring(16);
        ring.append(std::vector<std::int64_t> { 1, 2, 3 });
        const IndexRing::Appended at
            = ring.append(std::vector<std::int64_t> { 2, 3, 4 }, IndexRing::Resend::Replace);
        QCOMPARE(at.skipped, std::size_t(0));
        QCOMPARE(at.discarded, std::size_t(2));
        QCOMPARE(at.kept, std::size_t(3));
        QCOMPARE(at.first, ring.firstPosition() + 1);
        QCOMPARE(stampsOf(ring), (QList<qint64> { 1, 2, 3, 4 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, true, false, false }));
        // In time order it changes nothing.
        QCOMPARE(ring.append(std::vector<std::int64_t> { 5 }, IndexRing::Resend::Replace).first,
            at.first + 3);
        QCOMPARE(gapsOf(ring), (QList<bool> { false, true, false, false, false }));
    }

    void indexGoingBackMarksAGap()
    {
        IndexRing ring(16);
        ring.append(std::vector<std::int64_t> { 1, 2, 1000 });
        ring.append(std::vector<std::int64_t> { 3, 4 });
        QCOMPARE(stampsOf(ring), (QList<qint64> { 1, 2, 3, 4 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, true, false }));
        // Gaps among the discarded stamps go with them.
        ring.markGap();
        ring.append(std::vector<std::int64_t> { 10, 11 });
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, true, false, true, false }));
        ring.append(std::vector<std::int64_t> { 5 });
        QCOMPARE(stampsOf(ring), (QList<qint64> { 1, 2, 3, 4, 5 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, true, false, true }));
        QCOMPARE(ring.nextGap(ring.find(4)), ring.find(5));
        // Back before everything: nothing is left to break from.
        ring.append(std::vector<std::int64_t> { -7, -6 });
        QCOMPARE(stampsOf(ring), (QList<qint64> { -7, -6 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false }));
        QVERIFY(!ring.gapWithin(0, ring.endPosition() + 100));
    }

    void indexGoesBackInAFullRing()
    {
        IndexRing ring(4);
        ring.append(stampRun(1, 10)); // 7, 8, 9, 10, wrapped
        ring.append(std::vector<std::int64_t> { 1000 });
        const Position end = ring.endPosition();
        const IndexRing::Appended at = ring.append(std::vector<std::int64_t> { 11, 12, 13 });
        QCOMPARE(at.discarded, std::size_t(1));
        QCOMPARE(at.kept, std::size_t(3));
        QCOMPARE(at.first, end - 1);
        QCOMPARE(stampsOf(ring), (QList<qint64> { 10, 11, 12, 13 }));
        for (Position k = 0; k < 3; ++k)
            QCOMPARE(ring.stampAt(at.first + k), std::int64_t(11 + k));
        QCOMPARE(ring.capacity(), std::size_t(4));
        QCOMPARE(ring.lowerBound(12), at.first + 1);
    }

    void indexEvictsTheOldest_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("total");
        QTest::newRow("cap 7, chunks of 3") << 7 << 3 << 100;
        QTest::newRow("cap 8, chunks of 8") << 8 << 8 << 64;
        QTest::newRow("chunks larger than cap") << 5 << 12 << 61;
        QTest::newRow("cap 1") << 1 << 1 << 10;
        QTest::newRow("cap 1, chunks of 4") << 1 << 4 << 17;
        QTest::newRow("cap 1000, chunks of 37") << 1000 << 37 << 10000;
    }
    void indexEvictsTheOldest()
    {
        QFETCH(int, capacity);
        QFETCH(int, chunk);
        QFETCH(int, total);
        IndexRing ring { std::size_t(capacity) };
        QCOMPARE(ring.capacity(), std::size_t(capacity));
        const Position start = ring.firstPosition();
        const std::int64_t firstStamp = 1000;
        for (int done = 0; done < total; done += chunk) {
            const int count = std::min(chunk, total - done);
            const IndexRing::Appended at
                = ring.append(stampRun(firstStamp + done, std::size_t(count)));
            QCOMPARE(at.kept, std::size_t(count));
            QCOMPARE(at.skipped, std::size_t(0));
            // Positions never repeat: this append's samples follow the previous ones.
            QCOMPARE(at.first, start + Position(done));
            const int held = std::min(done + count, capacity);
            QCOMPARE(ring.size(), std::size_t(held));
            QCOMPARE(ring.endPosition(), start + Position(done + count));
            QCOMPARE(ring.firstPosition(), start + Position(done + count - held));
            QCOMPARE(ring.capacity(), std::size_t(capacity));
            for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
                QCOMPARE(ring.stampAt(p), firstStamp + std::int64_t(p - start));
        }
    }

    void indexPrepend_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<QList<qint64>>("appended");
        QTest::addColumn<QList<qint64>>("prepended");
        QTest::addColumn<int>("taken");
        QTest::addColumn<QList<qint64>>("held");
        using L = QList<qint64>;
        QTest::newRow("into empty") << 5 << L {} << L { 1, 2, 3 } << 3 << L { 1, 2, 3 };
        QTest::newRow("into empty, too many")
            << 3 << L {} << L { 1, 2, 3, 4, 5 } << 3 << L { 3, 4, 5 };
        QTest::newRow("older, with room")
            << 6 << L { 10, 11 } << L { 4, 5, 6 } << 3 << L { 4, 5, 6, 10, 11 };
        QTest::newRow("only while there is room")
            << 5 << L { 10, 11, 12 } << L { 1, 2, 3, 4, 5, 6, 7, 8, 9 } << 2
            << L { 8, 9, 10, 11, 12 };
        QTest::newRow("full") << 3 << L { 10, 11, 12 } << L { 1, 2 } << 0 << L { 10, 11, 12 };
        QTest::newRow("only older")
            << 8 << L { 10, 11, 12 } << L { 5, 10, 11, 15 } << 1 << L { 5, 10, 11, 12 };
        QTest::newRow("none older") << 8 << L { 10, 11 } << L { 10, 12 } << 0 << L { 10, 11 };
        QTest::newRow("after a wrap")
            << 4 << L { 1, 2, 3, 4, 5, 6 } << L { 1, 2, 3 } << 0 << L { 3, 4, 5, 6 };
    }
    void indexPrepend()
    {
        QFETCH(int, capacity);
        QFETCH(QList<qint64>, appended);
        QFETCH(QList<qint64>, prepended);
        QFETCH(int, taken);
        QFETCH(QList<qint64>, held);
        IndexRing ring { std::size_t(capacity) };
        ring.append(toStamps(appended));
        const Position first = ring.firstPosition();
        const Position end = ring.endPosition();
        QCOMPARE(ring.prepend(toStamps(prepended)), std::size_t(taken));
        QCOMPARE(stampsOf(ring), held);
        QCOMPARE(ring.firstPosition(), first - Position(taken));
        QCOMPARE(ring.endPosition(), end); // held stamps keep their positions
        QVERIFY(!gapsOf(ring).contains(true));
        // Appending continues after the newest.
        const IndexRing::Appended at = ring.append(std::vector<std::int64_t> { 100 });
        QCOMPARE(at.first, end);
        QCOMPARE(ring.stampAt(ring.endPosition() - 1), std::int64_t(100));
    }

    void indexLowerBoundAndFind_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("appended");
        QTest::addColumn<int>("prepended");
        QTest::newRow("not full") << 13 << 9 << 0;
        QTest::newRow("many wraps") << 13 << 100 << 0;
        QTest::newRow("prepended across slot 0") << 13 << 6 << 5;
        QTest::newRow("one sample") << 4 << 1 << 0;
        QTest::newRow("empty") << 4 << 0 << 0;
    }
    void indexLowerBoundAndFind()
    {
        QFETCH(int, capacity);
        QFETCH(int, appended);
        QFETCH(int, prepended);
        IndexRing ring { std::size_t(capacity) };
        ring.append(stampRun(1000, std::size_t(appended), 3));
        ring.prepend(stampRun(1000 - 3 * prepended, std::size_t(prepended), 3));
        const QList<qint64> stamps = stampsOf(ring);
        QCOMPARE(stamps.size(), qsizetype(std::min(capacity, appended + prepended)));
        const qint64 low = stamps.isEmpty() ? 0 : stamps.first();
        const qint64 high = stamps.isEmpty() ? 0 : stamps.last();
        for (qint64 stamp = low - 4; stamp <= high + 4; ++stamp) {
            const auto at = std::lower_bound(stamps.begin(), stamps.end(), stamp);
            const Position expected = ring.firstPosition() + Position(at - stamps.begin());
            QCOMPARE(ring.lowerBound(stamp), expected);
            const bool held = at != stamps.end() && *at == stamp;
            QCOMPARE(ring.find(stamp), held ? expected : ring.endPosition());
        }
    }

    void indexGapMarksTheNextAppendedPosition()
    {
        IndexRing ring(16);
        ring.markGap(); // nothing held: nothing to break from
        ring.append(std::vector<std::int64_t> { 1, 2 });
        ring.markGap();
        QCOMPARE(ring.append(std::vector<std::int64_t> { 2 }).kept, std::size_t(0));
        ring.append(std::vector<std::int64_t> { 3, 4 });
        ring.markGap();
        ring.markGap();
        ring.append(std::vector<std::int64_t> { 5 });
        ring.append(std::vector<std::int64_t> { 6 });
        QCOMPARE(stampsOf(ring), (QList<qint64> { 1, 2, 3, 4, 5, 6 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, true, false, true, false }));
        const auto at = [&](std::int64_t stamp) { return ring.find(stamp); };
        QVERIFY(!ring.gapWithin(at(1), at(2)));
        QVERIFY(ring.gapWithin(at(2), at(3)));
        QVERIFY(!ring.gapWithin(at(3), at(3)));
        QVERIFY(!ring.gapWithin(at(3), at(4)));
        QVERIFY(ring.gapWithin(at(3), at(5)));
        QVERIFY(ring.gapWithin(at(1), at(6)));
        QVERIFY(!ring.gapWithin(at(5), at(6)));
        QVERIFY(!ring.gapWithin(at(6), ring.endPosition() + 100));
        QCOMPARE(ring.nextGap(ring.firstPosition() - 5), at(3));
        QCOMPARE(ring.nextGap(at(1)), at(3));
        QCOMPARE(ring.nextGap(at(3)), at(5));
        QCOMPARE(ring.nextGap(at(4)), at(5));
        QCOMPARE(ring.nextGap(at(5)), ring.endPosition());
    }

    void indexGapsGoWithTheirSamples()
    {
        IndexRing ring(4);
        ring.append(std::vector<std::int64_t> { 1, 2, 3 });
        ring.markGap();
        ring.append(std::vector<std::int64_t> { 4, 5 });
        QCOMPARE(stampsOf(ring), (QList<qint64> { 2, 3, 4, 5 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, true, false }));
        ring.append(std::vector<std::int64_t> { 6, 7, 8 }); // 4 and its gap are evicted
        QCOMPARE(stampsOf(ring), (QList<qint64> { 5, 6, 7, 8 }));
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, false, false }));
        QVERIFY(!ring.gapWithin(0, ring.endPosition() + 100));
        // A gap marked after many evictions still lands on the next position.
        ring.append(stampRun(9, 50));
        ring.markGap();
        ring.append(std::vector<std::int64_t> { 100, 101 });
        QCOMPARE(gapsOf(ring), (QList<bool> { false, false, true, false }));
    }

    void indexMemoryIsAllocatedOnce()
    {
        IndexRing ring(100);
        const std::size_t bytes = ring.memoryBytes();
        QCOMPARE(bytes, std::size_t(100 * 8));
        for (int round = 0; round < 30; ++round)
            ring.append(stampRun(round * 1000, 77));
        QCOMPARE(ring.memoryBytes(), bytes);
        IndexRing tiny(0);
        QCOMPARE(tiny.capacity(), std::size_t(1));
        tiny.append(std::vector<std::int64_t> { 1, 2, 3 });
        QCOMPARE(stampsOf(tiny), (QList<qint64> { 3 }));
    }

    // ---- ValueRing -----------------------------------------------------------------------

    void valueAppendContinuesOrRestarts()
    {
        ValueRing ring(DataType::Float64, 8);
        QVERIFY(ring.empty());
        const Series series = halves(10);
        ring.append(100, series, 2, 3);
        QCOMPARE(ring.firstPosition(), Position(100));
        QCOMPARE(ring.endPosition(), Position(103));
        QCOMPARE(valuesOf(ring), (QList<double> { 2.5, 3.5, 4.5 }));
        ring.append(103, series, 7, 2); // continues
        QCOMPARE(ring.firstPosition(), Position(100));
        QCOMPARE(valuesOf(ring), (QList<double> { 2.5, 3.5, 4.5, 7.5, 8.5 }));
        ring.append(110, series, 0, 2); // a hole: starts over
        QCOMPARE(ring.firstPosition(), Position(110));
        QCOMPARE(valuesOf(ring), (QList<double> { 0.5, 1.5 }));
        ring.append(90, series, 4, 1); // behind: starts over too
        QCOMPARE(ring.firstPosition(), Position(90));
        QCOMPARE(valuesOf(ring), (QList<double> { 4.5 }));
        // Another type is not taken.
        ring.append(91, Series::fromValues<float>({ 1.0f }), 0, 1);
        QCOMPARE(valuesOf(ring), (QList<double> { 4.5 }));
    }

    void valueEvictsTheOldest_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("total");
        QTest::newRow("cap 4, one chunk of 10") << 4 << 10 << 10;
        QTest::newRow("cap 7, chunks of 3") << 7 << 3 << 100;
        QTest::newRow("cap 1, chunks of 4") << 1 << 4 << 17;
        QTest::newRow("cap 1000, chunks of 37") << 1000 << 37 << 10000;
    }
    void valueEvictsTheOldest()
    {
        QFETCH(int, capacity);
        QFETCH(int, chunk);
        QFETCH(int, total);
        ValueRing ring(DataType::Float32, std::size_t(capacity));
        const Position start = 5000;
        appendPositions(ring, start, start + Position(total), std::size_t(chunk));
        const int held = std::min(capacity, total);
        QCOMPARE(ring.size(), std::size_t(held));
        QCOMPARE(ring.endPosition(), start + Position(total));
        QCOMPARE(ring.firstPosition(), start + Position(total - held));
        QCOMPARE(ring.memoryBytes(), std::size_t(capacity) * 4);
        for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
            QCOMPARE(ring.valueAt(p), double(valueAtPosition(p)));
    }

    void valueTrimBefore_data()
    {
        QTest::addColumn<qint64>("position");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<int>("size");
        // The ring holds positions 10..15 in slots that have wrapped.
        QTest::newRow("before the first") << qint64(5) << qint64(10) << 6;
        QTest::newRow("at the first") << qint64(10) << qint64(10) << 6;
        QTest::newRow("inside") << qint64(12) << qint64(12) << 4;
        QTest::newRow("at the last") << qint64(15) << qint64(15) << 1;
        QTest::newRow("at the end") << qint64(16) << qint64(16) << 0;
        QTest::newRow("after the end") << qint64(30) << qint64(30) << 0;
    }
    void valueTrimBefore()
    {
        QFETCH(qint64, position);
        QFETCH(qint64, first);
        QFETCH(int, size);
        ValueRing ring(DataType::Float32, 8);
        appendPositions(ring, 5, 16, 4); // 5..15, the first 3 evicted
        ring.trimBefore(10);
        QCOMPARE(ring.firstPosition(), Position(10));
        ring.trimBefore(Position(position));
        QCOMPARE(ring.firstPosition(), Position(first));
        QCOMPARE(ring.size(), std::size_t(size));
        QCOMPARE(ring.empty(), size == 0);
        for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
            QCOMPARE(ring.valueAt(p), double(valueAtPosition(p)));
        // Appending at the end continues; the ring still holds its capacity.
        appendPositions(ring, ring.endPosition(), ring.endPosition() + 20, 3);
        QCOMPARE(ring.size(), std::size_t(8));
        for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
            QCOMPARE(ring.valueAt(p), double(valueAtPosition(p)));
    }

    void valueTrimFrom_data()
    {
        QTest::addColumn<qint64>("position");
        QTest::addColumn<int>("size");
        // The ring holds positions 10..15 in slots that have wrapped.
        QTest::newRow("after the end") << qint64(30) << 6;
        QTest::newRow("at the end") << qint64(16) << 6;
        QTest::newRow("at the last") << qint64(15) << 5;
        QTest::newRow("inside") << qint64(12) << 2;
        QTest::newRow("at the first") << qint64(10) << 0;
        QTest::newRow("before the first") << qint64(5) << 0;
    }
    void valueTrimFrom()
    {
        QFETCH(qint64, position);
        QFETCH(int, size);
        ValueRing ring(DataType::Float32, 8);
        appendPositions(ring, 5, 16, 4); // 5..15, the first 3 evicted
        ring.trimBefore(10);
        ring.trimFrom(Position(position));
        QCOMPARE(ring.size(), std::size_t(size));
        QCOMPARE(ring.empty(), size == 0);
        if (size > 0)
            QCOMPARE(ring.firstPosition(), Position(10));
        for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
            QCOMPARE(ring.valueAt(p), double(valueAtPosition(p)));
        // Appending where it now ends continues (the discarded positions are given again).
        const Position end = ring.endPosition();
        appendPositions(ring, end, end + 20, 3);
        QCOMPARE(ring.size(), std::size_t(8));
        QCOMPARE(ring.endPosition(), end + 20);
        for (Position p = ring.firstPosition(); p < ring.endPosition(); ++p)
            QCOMPARE(ring.valueAt(p), double(valueAtPosition(p)));
    }

    void valueHoldsSame()
    {
        ValueRing ring(DataType::Float32, 8);
        appendPositions(ring, 5, 16, 4); // holds 8..15, wrapped
        std::vector<float> values;
        for (Position p = 4; p < 20; ++p)
            values.push_back(valueAtPosition(p));
        const Series series = Series::fromValues<float>(values); // sample i is position 4 + i
        QVERIFY(ring.holdsSame(10, series, 6, 4));
        QVERIFY(ring.holdsSame(8, series, 4, 8)); // all of it, across the wrap
        QVERIFY(ring.holdsSame(4, series, 0, 6)); // 4..7 are not held
        QVERIFY(ring.holdsSame(14, series, 10, 6)); // nor 16..19
        QVERIFY(ring.holdsSame(12, series, 0, 0));
        QVERIFY(!ring.holdsSame(11, series, 6, 4)); // one position off
        values[13 - 4] += 1.0f;
        const Series changed = Series::fromValues<float>(values);
        QVERIFY(!ring.holdsSame(8, changed, 4, 8));
        QVERIFY(ring.holdsSame(8, changed, 4, 5)); // 8..12 only
        QVERIFY(ring.holdsSame(8, Series::fromValues<double>({ 1.0 }), 0, 1)); // another type
    }

    void valuePrependOne()
    {
        ValueRing ring(DataType::Int32, 4);
        ring.append(50, Series::fromValues<std::int32_t>({ 1, 2 }), 0, 2);
        const Series older = Series::fromValues<std::int32_t>({ 7, 8, 9 });
        QVERIFY(ring.prependOne(older, 2));
        QCOMPARE(ring.firstPosition(), Position(49));
        QVERIFY(!ring.prependOne(Series::fromValues<float>({ 1.0f }), 0)); // another type
        QVERIFY(ring.prependOne(older, 1));
        QVERIFY(!ring.prependOne(older, 0)); // full
        QCOMPARE(ring.firstPosition(), Position(48));
        QCOMPARE(valuesOf(ring), (QList<double> { 8, 9, 1, 2 }));
        // Across the wrap: the ring evicts 48 and 49, then takes them back in front.
        ring.append(52, Series::fromValues<std::int32_t>({ 3, 4 }), 0, 2);
        QCOMPARE(valuesOf(ring), (QList<double> { 1, 2, 3, 4 }));
        ring.trimBefore(52);
        QVERIFY(ring.prependOne(older, 0));
        QCOMPARE(ring.firstPosition(), Position(51));
        QCOMPARE(valuesOf(ring), (QList<double> { 7, 3, 4 }));
        // An empty ring started somewhere takes values in front of that position.
        ValueRing fresh(DataType::Int32, 2);
        fresh.resetAt(500);
        QVERIFY(fresh.prependOne(older, 1));
        QCOMPARE(fresh.firstPosition(), Position(499));
        QCOMPARE(valuesOf(fresh), (QList<double> { 8 }));
    }

    void valueAtEveryNumericType_data()
    {
        QTest::addColumn<int>("typeId");
        for (const DataType::Id id : { DataType::Float64,
                 DataType::Float32,
                 DataType::Int64,
                 DataType::Int32,
                 DataType::Int16,
                 DataType::Int8,
                 DataType::Uint64,
                 DataType::Uint32,
                 DataType::Uint16,
                 DataType::Uint8,
                 DataType::Timestamp })
            QTest::newRow(qPrintable(DataType(id).name())) << int(id);
    }
    void valueAtEveryNumericType()
    {
        QFETCH(int, typeId);
        const DataType type(static_cast<DataType::Id>(typeId));
        switch (type.id()) {
        case DataType::Float64:
            return checkValuesReadBack<double>(type);
        case DataType::Float32:
            return checkValuesReadBack<float>(type);
        case DataType::Int64:
        case DataType::Timestamp:
            return checkValuesReadBack<std::int64_t>(type);
        case DataType::Int32:
            return checkValuesReadBack<std::int32_t>(type);
        case DataType::Int16:
            return checkValuesReadBack<std::int16_t>(type);
        case DataType::Int8:
            return checkValuesReadBack<std::int8_t>(type);
        case DataType::Uint64:
            return checkValuesReadBack<std::uint64_t>(type);
        case DataType::Uint32:
            return checkValuesReadBack<std::uint32_t>(type);
        case DataType::Uint16:
            return checkValuesReadBack<std::uint16_t>(type);
        case DataType::Uint8:
            return checkValuesReadBack<std::uint8_t>(type);
        default:
            QFAIL("not a numeric type");
        }
    }

    void runsSplitAtTheWrap_data()
    {
        QTest::addColumn<int>("total"); // positions 0..total-1 appended to a ring of 10
        QTest::addColumn<int>("from"); // relative to the first held position
        QTest::addColumn<int>("to");
        QTest::addColumn<int>("firstRun"); // size of the run before the wrap
        QTest::newRow("not full") << 6 << 0 << 6 << 6;
        QTest::newRow("full, not wrapped") << 10 << 0 << 10 << 10;
        QTest::newRow("wrapped, whole ring") << 14 << 0 << 10 << 6;
        QTest::newRow("wrapped, before the wrap") << 14 << 0 << 5 << 5;
        QTest::newRow("wrapped, ends at the wrap") << 14 << 2 << 6 << 4;
        QTest::newRow("wrapped, starts at the wrap") << 14 << 6 << 9 << 3;
        QTest::newRow("wrapped, across") << 14 << 3 << 8 << 3;
        QTest::newRow("wrapped, one") << 14 << 5 << 6 << 1;
        QTest::newRow("wrapped, none") << 14 << 4 << 4 << 0;
        QTest::newRow("many wraps") << 97 << 0 << 10 << 3;
        QTest::newRow("many wraps, last two") << 97 << 8 << 10 << 2;
    }
    void runsSplitAtTheWrap()
    {
        QFETCH(int, total);
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(int, firstRun);
        ValueRing ring(DataType::Float32, 10);
        appendPositions(ring, 0, Position(total), 3);
        const Position first = ring.firstPosition();
        std::span<const float> a;
        std::span<const float> b;
        ring.runs<float>(first + Position(from), first + Position(to), a, b);
        QCOMPARE(a.size(), std::size_t(firstRun));
        QCOMPARE(a.size() + b.size(), std::size_t(to - from));
        if (!b.empty()) // the second run is the start of the storage, right after the first
            QVERIFY(b.data() + ring.capacity() == a.data() + a.size());
        std::vector<float> joined(a.begin(), a.end());
        joined.insert(joined.end(), b.begin(), b.end());
        for (int i = 0; i < to - from; ++i)
            QCOMPARE(joined[std::size_t(i)], valueAtPosition(first + Position(from + i)));
    }

    // ---- LiveStore: channels -------------------------------------------------------------

    void trackKeepsNumericDataChannelsOnly_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<bool>("isIndex");
        QTest::addColumn<bool>("isVirtual");
        QTest::addColumn<quint32>("index");
        QTest::addColumn<bool>("kept");
        const quint32 own = 7;
        QTest::newRow("float64 data")
            << int(DataType::Float64) << false << false << IndexKey << true;
        QTest::newRow("float32 data")
            << int(DataType::Float32) << false << false << IndexKey << true;
        QTest::newRow("int16 data") << int(DataType::Int16) << false << false << IndexKey << true;
        QTest::newRow("uint8 data") << int(DataType::Uint8) << false << false << IndexKey << true;
        QTest::newRow("uint64 data") << int(DataType::Uint64) << false << false << IndexKey << true;
        QTest::newRow("index") << int(DataType::Timestamp) << true << false << own << false;
        QTest::newRow("virtual") << int(DataType::Float64) << false << true << quint32(0) << false;
        QTest::newRow("virtual with an index")
            << int(DataType::Float64) << false << true << IndexKey << false;
        QTest::newRow("string") << int(DataType::String) << false << false << IndexKey << false;
        QTest::newRow("json") << int(DataType::Json) << false << false << IndexKey << false;
        QTest::newRow("bytes") << int(DataType::Bytes) << false << false << IndexKey << false;
        QTest::newRow("uuid") << int(DataType::Uuid) << false << false << IndexKey << false;
        QTest::newRow("no index") << int(DataType::Float64) << false << false << quint32(0)
                                  << false;
    }
    void trackKeepsNumericDataChannelsOnly()
    {
        QFETCH(int, typeId);
        QFETCH(bool, isIndex);
        QFETCH(bool, isVirtual);
        QFETCH(quint32, index);
        QFETCH(bool, kept);
        Channel channel = makeChannel(7, DataType(static_cast<DataType::Id>(typeId)), index);
        channel.isIndex = isIndex;
        channel.isVirtual = isVirtual;
        LiveStore store(LargeBudget, 100);
        store.track({ makeChannel(IndexKey, DataType::Timestamp, IndexKey), channel });
        QCOMPARE(store.holds(7), kept);
        QVERIFY(store.channel(7) != nullptr);
        QVERIFY(*store.channel(7) == channel);
        QVERIFY(!store.holds(IndexKey)); // an index channel has no values of its own
        QCOMPARE(store.memoryBytes() > 0, kept);
        QCOMPARE(store.sampleCount(7), std::size_t(0));
        QVERIFY(!store.oldest(7));
        QVERIFY(!store.latest(7));
        QVERIFY(!store.atOrBefore(7, TimeStamp(1)));
        PlotPoints out;
        store.decimate(7, 0, 1000, 10, 0, NoGapLimit, out);
        QVERIFY(out.keys.isEmpty());
    }

    void ingestJoinsByAlignment_data()
    {
        QTest::addColumn<bool>("indexFirst");
        QTest::addColumn<bool>("secondAlignment");
        QTest::newRow("first index series") << true << false;
        QTest::newRow("second index series") << true << true;
        QTest::newRow("data before index, first") << false << false;
        QTest::newRow("data before index, second") << false << true;
    }
    void ingestJoinsByAlignment()
    {
        QFETCH(bool, indexFirst);
        QFETCH(bool, secondAlignment);
        LiveStore store = storeWith({ { DataKey, DataType::Float64, valueFor } });
        // Two index series of the same length: only the alignment tells them apart.
        const Series data = doubleSeries({ 1.5, 2.5, 3.5 }, secondAlignment ? Domain | 3 : Domain);
        Frame frame;
        if (!indexFirst)
            frame.add(DataKey, data);
        frame.add(IndexKey, stampSeries({ 100, 200, 300 }, Domain | 0));
        frame.add(IndexKey, stampSeries({ 1000, 2000, 3000 }, Domain | 3));
        if (indexFirst)
            frame.add(DataKey, data);
        QCOMPARE(store.ingest(frame), std::size_t(3));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(3));
        QCOMPARE(store.totalSamples(), std::size_t(3));
        const std::vector<std::int64_t> stamps = secondAlignment
            ? std::vector<std::int64_t> { 1000, 2000, 3000 }
            : std::vector<std::int64_t> { 100, 200, 300 };
        QCOMPARE(mismatch(store.oldest(DataKey), stamps[0], 1.5), QString());
        QCOMPARE(mismatch(store.latest(DataKey), stamps[2], 3.5), QString());
        QCOMPARE(mismatch(store.atOrBefore(DataKey, TimeStamp(stamps[1])), stamps[1], 2.5),
            QString());
    }

    void ingestPairsEachDataSeriesWithItsOwnIndex()
    {
        LiveStore store = storeWith({ { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Float64, valueFor } });
        Frame frame;
        frame.add(IndexKey, stampSeries({ 10, 20 }, Domain | 0));
        frame.add(IndexKey, stampSeries({ 30, 40 }, Domain | 2));
        frame.add(DataKey, doubleSeries({ 1.0, 2.0 }, Domain | 0));
        frame.add(DataKey, doubleSeries({ 3.0, 4.0 }, Domain | 2));
        frame.add(SecondKey, doubleSeries({ 33.0, 44.0 }, Domain | 2));
        QCOMPARE(store.ingest(frame), std::size_t(6));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(4));
        for (const auto& [stamp, value] : std::vector<std::pair<std::int64_t, double>> { { 10, 1 },
                 { 20, 2 },
                 { 30, 3 },
                 { 40, 4 } })
            QCOMPARE(mismatch(store.atOrBefore(DataKey, TimeStamp(stamp)), stamp, value),
                QString());
        QCOMPARE(store.sampleCount(SecondKey), std::size_t(2));
        QCOMPARE(mismatch(store.oldest(SecondKey), 30, 33.0), QString());
        QVERIFY(!store.atOrBefore(SecondKey, TimeStamp(29)));
        QCOMPARE(store.newestStamp(), std::int64_t(40));
    }

    void ingestSkipsDataWithoutItsIndex_data()
    {
        QTest::addColumn<bool>("withIndex");
        QTest::addColumn<int>("indexLength");
        QTest::addColumn<quint32>("indexKey");
        QTest::addColumn<quint64>("indexAlignment");
        QTest::newRow("index absent") << false << 0 << IndexKey << quint64(Domain);
        QTest::newRow("index of another length") << true << 2 << IndexKey << quint64(Domain);
        QTest::newRow("index of another alignment") << true << 3 << IndexKey << quint64(Domain | 7);
        QTest::newRow("another channel's index") << true << 3 << OtherIndexKey << quint64(Domain);
    }
    void ingestSkipsDataWithoutItsIndex()
    {
        QFETCH(bool, withIndex);
        QFETCH(int, indexLength);
        QFETCH(quint32, indexKey);
        QFETCH(quint64, indexAlignment);
        LiveStore store = storeWith({ { DataKey, DataType::Float64, valueFor } });
        Frame frame;
        if (withIndex)
            frame.add(indexKey,
                stampSeries(stampRun(10, std::size_t(indexLength)), indexAlignment));
        frame.add(DataKey, doubleSeries({ 1.0, 2.0, 3.0 }, Domain));
        frame.add(55, doubleSeries({ 1.0, 2.0, 3.0 }, Domain)); // not tracked
        QCOMPARE(store.ingest(frame), std::size_t(0));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(0));
        QVERIFY(!store.oldest(DataKey));
        QCOMPARE(store.totalSamples(), std::size_t(0));
    }

    void channelsShareOneIndexRing_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<int>("valueBytes");
        QTest::newRow("float32") << int(DataType::Float32) << 4;
        QTest::newRow("float64") << int(DataType::Float64) << 8;
        QTest::newRow("int16") << int(DataType::Int16) << 2;
        QTest::newRow("uint8") << int(DataType::Uint8) << 1;
        QTest::newRow("int64") << int(DataType::Int64) << 8;
    }
    void channelsShareOneIndexRing()
    {
        QFETCH(int, typeId);
        QFETCH(int, valueBytes);
        const std::size_t capacity = 1000;
        LiveStore store = storeWith({ { DataKey, DataType::Float32, valueFor } }, capacity);
        const std::size_t one = store.memoryBytes();
        QCOMPARE(one, capacity * (8 + 4)); // one timestamp ring and one float32 ring
        const DataType type(static_cast<DataType::Id>(typeId));
        store.track({ makeChannel(SecondKey, type, IndexKey) });
        QCOMPARE(store.memoryBytes(), one + capacity * std::size_t(valueBytes));
        store.track({ makeChannel(SecondKey, type, IndexKey) }); // again: no change
        QCOMPARE(store.memoryBytes(), one + capacity * std::size_t(valueBytes));
        // Both fill to the same capacity from one index series per frame.
        const std::vector<std::int64_t> stamps = stampRun(1000, 3 * capacity, 10);
        stream(store,
            stamps,
            { { DataKey, DataType::Float32, valueFor }, { SecondKey, type, otherValueFor } },
            333);
        QCOMPARE(store.sampleCount(DataKey), capacity);
        QCOMPARE(store.sampleCount(SecondKey), capacity);
        QCOMPARE(store.memoryBytes(), one + capacity * std::size_t(valueBytes));
    }

    void memoryPerFloat32Sample_data()
    {
        QTest::addColumn<qulonglong>("budget");
        QTest::addColumn<qulonglong>("maxSamples");
        QTest::newRow("1 MiB budget") << qulonglong(1u << 20) << qulonglong(2u << 20);
        QTest::newRow("8 MiB budget") << qulonglong(8u << 20) << qulonglong(2u << 20);
        QTest::newRow("default budget, 4096 samples") << qulonglong(512u << 20) << qulonglong(4096);
    }
    void memoryPerFloat32Sample()
    {
        QFETCH(qulonglong, budget);
        QFETCH(qulonglong, maxSamples);
        // 16 float32 channels on one index channel: the product target is ≤ 5 bytes per
        // buffered sample (4 for the value, a sixteenth of the 8-byte timestamp).
        LiveStore store(budget, maxSamples);
        std::vector<Channel> channels { makeChannel(IndexKey, DataType::Timestamp, IndexKey) };
        std::vector<Tracked> tracked;
        for (ChannelKey key = 100; key < 116; ++key) {
            channels.push_back(makeChannel(key, DataType::Float32, IndexKey));
            tracked.push_back({ key, DataType::Float32, valueFor });
        }
        store.track(channels);
        QVERIFY(store.memoryBytes() <= budget);
        const std::vector<std::int64_t> stamps = stampRun(1, 100'000);
        stream(store, stamps, tracked, 4096);
        const std::size_t capacity = store.sampleCount(100);
        QVERIFY(capacity > 1000);
        QVERIFY(capacity <= maxSamples);
        QCOMPARE(store.totalSamples(), 16 * capacity);
        const double bytesPerSample
            = static_cast<double>(store.memoryBytes()) / static_cast<double>(16 * capacity);
        QVERIFY2(bytesPerSample <= 5.0, qPrintable(u"%1 bytes per sample"_s.arg(bytesPerSample)));
        QVERIFY(store.memoryBytes() <= budget);
    }

    void evictionKeepsEveryValueOnItsStamp_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("total");
        QTest::newRow("cap 100, chunks of 37") << 100 << 37 << 1000;
        QTest::newRow("cap 64, chunks of 64") << 64 << 64 << 640;
        QTest::newRow("chunks larger than cap") << 10 << 25 << 101;
        QTest::newRow("cap 1") << 1 << 3 << 10;
        QTest::newRow("one sample per frame") << 50 << 1 << 333;
        QTest::newRow("not full") << 500 << 70 << 300;
    }
    void evictionKeepsEveryValueOnItsStamp()
    {
        QFETCH(int, capacity);
        QFETCH(int, chunk);
        QFETCH(int, total);
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Int32, otherValueFor } };
        LiveStore store = storeWith(channels, std::size_t(capacity));
        const std::vector<std::int64_t> stamps = stampRun(Epoch, std::size_t(total), 10);
        QCOMPARE(stream(store, stamps, channels, std::size_t(chunk)), 2 * stamps.size());
        const auto held = std::size_t(std::min(capacity, total));
        const std::span<const std::int64_t> kept(stamps.end() - std::ptrdiff_t(held), stamps.end());
        for (const Tracked& channel : channels) {
            QCOMPARE(store.sampleCount(channel.key), held);
            QCOMPARE(
                mismatch(store.oldest(channel.key), kept.front(), channel.valueOf(kept.front())),
                QString());
            QCOMPARE(mismatch(store.latest(channel.key), kept.back(), channel.valueOf(kept.back())),
                QString());
            QCOMPARE(pairingMismatch(store, channel.key, kept, channel.valueOf), QString());
            QVERIFY(!store.atOrBefore(channel.key, TimeStamp(kept.front() - 1)));
        }
        QCOMPARE(store.totalSamples(), 2 * held);
        QCOMPARE(store.newestStamp(), stamps.back());
    }

    void aChannelMissingFromFramesKeepsItsPairs()
    {
        const std::vector<Tracked> both { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Int16, otherValueFor } };
        const std::vector<Tracked> firstOnly { both[0] };
        LiveStore store = storeWith(both, 10);
        stream(store, stampRun(100, 4, 10), both, 4);
        stream(store, stampRun(140, 3, 10), firstOnly, 3, Domain + 4);
        stream(store, stampRun(170, 2, 10), both, 2, Domain + 7);
        // The second channel has no values at 140..160: none is shown on those stamps.
        QCOMPARE(pairingMismatch(store, SecondKey, stampRun(170, 2, 10), otherValueFor), QString());
        for (const std::int64_t stamp : stampRun(140, 3, 10)) {
            const auto got = store.atOrBefore(SecondKey, TimeStamp(stamp));
            QVERIFY(!got || got->stamp.nanoseconds() < 140);
        }
        QCOMPARE(pairingMismatch(store, DataKey, stampRun(100, 9, 10), valueFor), QString());
        // When it stops, its values go with their timestamps.
        stream(store, stampRun(190, 30, 10), firstOnly, 7, Domain + 9);
        QCOMPARE(store.sampleCount(DataKey), std::size_t(10));
        QCOMPARE(store.sampleCount(SecondKey), std::size_t(0));
        QVERIFY(!store.oldest(SecondKey));
        QVERIFY(!store.latest(SecondKey));
        QVERIFY(!store.atOrBefore(SecondKey, TimeStamp(10'000)));
        QVERIFY(decimateStore(store, SecondKey, { 0, 10'000, 10 }).keys.isEmpty());
    }

    void atOrBeforeHoldsTheEarlierSample_data()
    {
        QTest::addColumn<qint64>("at");
        QTest::addColumn<qint64>("stamp"); // -1: none
        QTest::newRow("before the first") << qint64(99) << qint64(-1);
        QTest::newRow("long before") << qint64(-5'000) << qint64(-1);
        QTest::newRow("at the first") << qint64(100) << qint64(100);
        QTest::newRow("between") << qint64(150) << qint64(100);
        QTest::newRow("just before a sample") << qint64(299) << qint64(200);
        QTest::newRow("at a sample") << qint64(300) << qint64(300);
        QTest::newRow("at the last") << qint64(400) << qint64(400);
        QTest::newRow("after the last") << qint64(1'000'000) << qint64(400);
    }
    void atOrBeforeHoldsTheEarlierSample()
    {
        QFETCH(qint64, at);
        QFETCH(qint64, stamp);
        const std::vector<Tracked> channels { { DataKey, DataType::Int16, otherValueFor } };
        LiveStore store = storeWith(channels);
        stream(store, std::vector<std::int64_t> { 100, 200, 300, 400 }, channels, 4);
        const auto got = store.atOrBefore(DataKey, TimeStamp(at));
        if (stamp < 0)
            QVERIFY(!got);
        else
            QCOMPARE(mismatch(got, stamp, otherValueFor(stamp)), QString());
    }

    void atOrBeforeIgnoresStampsOfOtherChannels()
    {
        // The index holds 10..40 (DataKey's); SecondKey only has values from 30 on.
        LiveStore store = storeWith({ { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Float64, valueFor } });
        stream(store,
            std::vector<std::int64_t> { 10, 20 },
            { { DataKey, DataType::Float64, valueFor } },
            2);
        stream(store,
            std::vector<std::int64_t> { 30, 40 },
            { { DataKey, DataType::Float64, valueFor },
                { SecondKey, DataType::Float64, otherValueFor } },
            2,
            Domain + 2);
        QVERIFY(!store.atOrBefore(SecondKey, TimeStamp(25)));
        QCOMPARE(mismatch(store.oldest(SecondKey), 30, otherValueFor(30)), QString());
        QCOMPARE(mismatch(store.atOrBefore(SecondKey, TimeStamp(35)), 30, otherValueFor(30)),
            QString());
        QCOMPARE(mismatch(store.atOrBefore(DataKey, TimeStamp(25)), 20, valueFor(20)), QString());
    }

    void nominalPeriod_data()
    {
        QTest::addColumn<QList<qint64>>("stamps");
        QTest::addColumn<qint64>("period"); // -1: "none" (very large)
        using L = QList<qint64>;
        L regular;
        for (int i = 0; i < 40; ++i)
            regular.append(qint64(i) * Millisecond);
        L slowThenFast; // 10 ms apart, then the newest 20 at 1 ms
        for (int i = 0; i < 30; ++i)
            slowThenFast.append(qint64(i) * 10 * Millisecond);
        for (int i = 1; i <= 20; ++i)
            slowThenFast.append(slowThenFast.last() + Millisecond);
        QTest::newRow("regular 1 ms") << regular << qint64(Millisecond);
        QTest::newRow("the newest samples count") << slowThenFast << qint64(Millisecond);
        QTest::newRow("three samples") << L { 0, 300, 600 } << qint64(300);
        QTest::newRow("two samples") << L { 0, 300 } << qint64(-1);
        QTest::newRow("none") << L {} << qint64(-1);
    }
    void nominalPeriod()
    {
        QFETCH(QList<qint64>, stamps);
        QFETCH(qint64, period);
        const std::vector<Tracked> channels { { DataKey, DataType::Float32, valueFor } };
        LiveStore store = storeWith(channels);
        stream(store, toStamps(stamps), channels, 7);
        if (period < 0)
            QVERIFY(store.nominalPeriod(DataKey) >= std::numeric_limits<std::int64_t>::max() / 16);
        else
            QCOMPARE(store.nominalPeriod(DataKey), std::int64_t(period));
    }

    void forgetRemovesTheChannelAndTheLastIndexRing()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Float32, otherValueFor } };
        LiveStore store = storeWith(channels, 100);
        store.track({ makeChannel(OtherIndexKey, DataType::Timestamp, OtherIndexKey),
            makeChannel(20, DataType::Int16, OtherIndexKey) });
        stream(store, stampRun(1, 50), channels, 20);
        const std::size_t other = store.memoryBytes() - 100 * (8 + 8 + 4);
        QVERIFY(other > 0);
        store.forget(DataKey);
        QVERIFY(!store.holds(DataKey));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(0));
        QVERIFY(!store.latest(DataKey));
        QCOMPARE(store.memoryBytes(), other + 100 * (8 + 4));
        // The index ring stays for SecondKey, with its samples.
        QCOMPARE(store.sampleCount(SecondKey), std::size_t(50));
        QCOMPARE(store.ingest(frameOf(stampRun(51, 2), Domain + 50, channels)), std::size_t(2));
        QCOMPARE(store.sampleCount(SecondKey), std::size_t(52));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(0));
        store.forget(SecondKey); // the last on its index: the timestamps go too
        QCOMPARE(store.memoryBytes(), other);
        QCOMPARE(store.totalSamples(), std::size_t(0));
        QCOMPARE(store.newestStamp(), std::int64_t(0));
        store.forget(20);
        QCOMPARE(store.memoryBytes(), std::size_t(0));
        store.forget(12345); // unknown: nothing happens
        // Tracking again starts afresh.
        store.track({ makeChannel(DataKey, DataType::Float64, IndexKey) });
        QVERIFY(store.holds(DataKey));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(0));
    }

    // ---- LiveStore: backfill -------------------------------------------------------------

    void backfillPutsHistoryInFront_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<qint64>("historyFirst");
        QTest::addColumn<qint64>("historyLast");
        QTest::addColumn<int>("taken");
        QTest::addColumn<qint64>("oldest");
        // Live samples at 1000, 1010, … 1090; history every 10 ns.
        QTest::newRow("just before the live samples")
            << 1000 << qint64(500) << qint64(990) << 50 << qint64(500);
        QTest::newRow("overlapping the live samples")
            << 1000 << qint64(500) << qint64(1050) << 50 << qint64(500);
        QTest::newRow("up to the newest")
            << 1000 << qint64(500) << qint64(1090) << 50 << qint64(500);
        QTest::newRow("nothing older") << 1000 << qint64(1000) << qint64(1090) << 0 << qint64(1000);
        QTest::newRow("only room for some")
            << 30 << qint64(500) << qint64(990) << 20 << qint64(800);
        QTest::newRow("full") << 10 << qint64(500) << qint64(990) << 0 << qint64(1000);
    }
    void backfillPutsHistoryInFront()
    {
        QFETCH(int, capacity);
        QFETCH(qint64, historyFirst);
        QFETCH(qint64, historyLast);
        QFETCH(int, taken);
        QFETCH(qint64, oldest);
        const std::vector<Tracked> channels { { DataKey, DataType::Float32, valueFor } };
        LiveStore store = storeWith(channels, std::size_t(capacity));
        const std::vector<std::int64_t> live = stampRun(1000, 10, 10);
        stream(store, live, channels, 4);
        const std::vector<std::int64_t> history
            = stampRun(historyFirst, std::size_t((historyLast - historyFirst) / 10 + 1), 10);
        const Series values = seriesOf(DataType::Float32, valuesFor(history, valueFor), 0);
        QCOMPARE(store.backfill(DataKey, stampSeries(history, 0), values), std::size_t(taken));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(10 + taken));
        QCOMPARE(mismatch(store.oldest(DataKey), oldest, valueFor(oldest)), QString());
        QCOMPARE(mismatch(store.latest(DataKey), 1090, valueFor(1090)), QString());
        const std::vector<std::int64_t> held = stampRun(oldest, std::size_t(10 + taken), 10);
        QCOMPARE(pairingMismatch(store, DataKey, held, valueFor), QString());
        QVERIFY(!store.atOrBefore(DataKey, TimeStamp(oldest - 1)));
        // Live samples keep coming after the history.
        stream(store, stampRun(1100, 5, 10), channels, 5, Domain + 10);
        const std::size_t after = std::min(std::size_t(15 + taken), std::size_t(capacity));
        QCOMPARE(store.sampleCount(DataKey), after);
        QCOMPARE(mismatch(store.latest(DataKey), 1140, valueFor(1140)), QString());
        const std::vector<std::int64_t> kept = stampRun(1150 - 10 * std::int64_t(after), after, 10);
        QCOMPARE(pairingMismatch(store, DataKey, kept, valueFor), QString());
    }

    void backfillOfASecondChannelReusesTheTimestamps()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Int16, otherValueFor } };
        LiveStore store = storeWith(channels, 1000);
        stream(store, stampRun(1000, 10, 10), channels, 3);
        const std::vector<std::int64_t> history = stampRun(500, 60, 10); // 500..1090
        QCOMPARE(store.backfill(DataKey,
                     stampSeries(history, 0),
                     seriesOf(DataType::Float64, valuesFor(history, valueFor), 0)),
            std::size_t(50));
        const std::size_t bytes = store.memoryBytes();
        QCOMPARE(store.backfill(SecondKey,
                     stampSeries(history, 0),
                     seriesOf(DataType::Int16, valuesFor(history, otherValueFor), 0)),
            std::size_t(50));
        QCOMPARE(store.memoryBytes(), bytes);
        for (const Tracked& channel : channels) {
            QCOMPARE(store.sampleCount(channel.key), std::size_t(60));
            QCOMPARE(pairingMismatch(store, channel.key, history, channel.valueOf), QString());
        }
        // Older history for the second channel only: the index grows in front, the first
        // channel keeps what it had.
        const std::vector<std::int64_t> older = stampRun(300, 30, 10); // 300..590
        QCOMPARE(store.backfill(SecondKey,
                     stampSeries(older, 0),
                     seriesOf(DataType::Int16, valuesFor(older, otherValueFor), 0)),
            std::size_t(20));
        QCOMPARE(mismatch(store.oldest(SecondKey), 300, otherValueFor(300)), QString());
        QCOMPARE(pairingMismatch(store, SecondKey, stampRun(300, 80, 10), otherValueFor),
            QString());
        QCOMPARE(mismatch(store.oldest(DataKey), 500, valueFor(500)), QString());
        QVERIFY(!store.atOrBefore(DataKey, TimeStamp(490)));
    }

    void backfillStopsAtAStampTheIndexLacks()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Float64, otherValueFor } };
        LiveStore store = storeWith(channels, 1000);
        stream(store, stampRun(1000, 10, 10), channels, 10);
        const std::vector<std::int64_t> history = stampRun(500, 50, 10); // 500..990
        QCOMPARE(store.backfill(DataKey,
                     stampSeries(history, 0),
                     seriesOf(DataType::Float64, valuesFor(history, valueFor), 0)),
            std::size_t(50));
        // The second channel's history lacks 700: what is older cannot be paired.
        std::vector<std::int64_t> holed = history;
        std::erase(holed, 700);
        QCOMPARE(store.backfill(SecondKey,
                     stampSeries(holed, 0),
                     seriesOf(DataType::Float64, valuesFor(holed, otherValueFor), 0)),
            std::size_t(29));
        QCOMPARE(mismatch(store.oldest(SecondKey), 710, otherValueFor(710)), QString());
        QCOMPARE(pairingMismatch(store, SecondKey, stampRun(710, 39, 10), otherValueFor),
            QString());
    }

    void backfillOfAChannelWithoutLiveData_data()
    {
        QTest::addColumn<bool>("indexHasLiveData");
        QTest::newRow("index streaming for another channel") << true;
        QTest::newRow("nothing streamed yet") << false;
    }
    void backfillOfAChannelWithoutLiveData()
    {
        QFETCH(bool, indexHasLiveData);
        const std::vector<Tracked> first { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(first, 1000);
        if (indexHasLiveData)
            stream(store, stampRun(1000, 10, 10), first, 5);
        // Added later, before any live sample of its own.
        store.track({ makeChannel(SecondKey, DataType::Float32, IndexKey) });
        QVERIFY(store.holds(SecondKey));
        QCOMPARE(store.sampleCount(SecondKey), std::size_t(0));
        const std::int64_t newest = indexHasLiveData ? 1090 : 990;
        const std::vector<std::int64_t> history
            = stampRun(500, std::size_t((newest - 500) / 10 + 1), 10);
        QCOMPARE(store.backfill(SecondKey,
                     stampSeries(history, 0),
                     seriesOf(DataType::Float32, valuesFor(history, otherValueFor), 0)),
            history.size());
        QCOMPARE(store.sampleCount(SecondKey), history.size());
        QCOMPARE(mismatch(store.oldest(SecondKey), 500, otherValueFor(500)), QString());
        QCOMPARE(mismatch(store.latest(SecondKey), newest, otherValueFor(newest)), QString());
        QCOMPARE(pairingMismatch(store, SecondKey, history, otherValueFor), QString());
        if (indexHasLiveData) // the first channel is not extended
            QCOMPARE(mismatch(store.oldest(DataKey), 1000, valueFor(1000)), QString());
        // Live samples of both continue after the history.
        const std::vector<Tracked> both { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Float32, otherValueFor } };
        stream(store, stampRun(newest + 10, 5, 10), both, 5, Domain + 100);
        QCOMPARE(store.sampleCount(SecondKey), history.size() + 5);
        QCOMPARE(mismatch(store.oldest(SecondKey), 500, otherValueFor(500)), QString());
        QCOMPARE(
            pairingMismatch(store, SecondKey, stampRun(500, history.size() + 5, 10), otherValueFor),
            QString());
    }

    void backfillRefusesWhatDoesNotFit()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 100);
        stream(store, stampRun(1000, 10, 10), channels, 10);
        const std::vector<std::int64_t> history = stampRun(500, 10, 10);
        const Series values = seriesOf(DataType::Float64, valuesFor(history, valueFor), 0);
        // Lengths differ, an unknown channel, an index channel.
        QCOMPARE(store.backfill(DataKey, stampSeries(stampRun(500, 9, 10), 0), values),
            std::size_t(0));
        QCOMPARE(store.backfill(77, stampSeries(history, 0), values), std::size_t(0));
        QCOMPARE(store.backfill(IndexKey, stampSeries(history, 0), values), std::size_t(0));
        QCOMPARE(store.sampleCount(DataKey), std::size_t(10));
    }

    // ---- LiveStore: samples out of time order --------------------------------------------

    void aFutureStampDoesNotStallTheLiveView_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::addColumn<bool>("inside"); // the future stamp inside a frame of normal ones
        QTest::newRow("alone, then one frame of 1000") << 1000 << false;
        QTest::newRow("alone, then frames of 10") << 10 << false;
        QTest::newRow("alone, then frames of 1") << 1 << false;
        QTest::newRow("inside a frame") << 64 << true;
        QTest::newRow("first of a frame") << 100 << true;
    }
    void aFutureStampDoesNotStallTheLiveView()
    {
        QFETCH(int, chunk);
        QFETCH(bool, inside);
        // Issue 18: one sample dated 2200 from another client froze the live view.
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 5000);
        const std::vector<std::int64_t> before = stampRun(Epoch, 500, KilohertzPeriod);
        const std::vector<std::int64_t> after
            = stampRun(Epoch + 500 * KilohertzPeriod, 1000, KilohertzPeriod);
        std::size_t stored = 0; // after the future stamp: what the live rate counts
        if (inside) {
            const std::vector<std::int64_t> future { Year2200 };
            stored
                = stream(store, joined(joined(before, future), after), channels, std::size_t(chunk))
                - 501;
        } else {
            stream(store, before, channels, 100);
            store.ingest(frameOf(std::vector<std::int64_t> { Year2200 }, Domain + 1000, channels));
            stored = stream(store, after, channels, std::size_t(chunk), Domain + 2000);
        }
        QCOMPARE(stored, after.size());
        QCOMPARE(store.sampleCount(DataKey), before.size() + after.size());
        QCOMPARE(pairingMismatch(store, DataKey, before, valueFor), QString());
        QCOMPARE(pairingMismatch(store, DataKey, after, valueFor), QString());
        QCOMPARE(mismatch(store.latest(DataKey), after.back(), valueFor(after.back())), QString());
        QCOMPARE(store.newestStamp(), after.back());
        // The stray sample is gone: nothing is held after the newest normal one.
        QCOMPARE(mismatch(store.atOrBefore(DataKey, TimeStamp(Year2200)),
                     after.back(),
                     valueFor(after.back())),
            QString());
        const PlotPoints out
            = decimateStore(store, DataKey, { after.front(), after.back() + 1, 100, Epoch });
        QVERIFY(!out.keys.isEmpty());
        QCOMPARE(out.keys.last(), double(after.back() - Epoch) / 1e9);
        QCOMPARE(out.values.last(), valueFor(after.back()));
    }

    void aClockJumpBackKeepsShowingWhatArrives_data()
    {
        QTest::addColumn<qint64>("period");
        QTest::addColumn<int>("held"); // samples before the jump
        QTest::addColumn<qint64>("back"); // how far the clock jumps back
        QTest::addColumn<int>("chunk");
        QTest::addColumn<bool>("inside"); // the jump inside a frame
        QTest::addColumn<bool>("newValues"); // values after the jump differ from the held ones
        const qint64 kHz = KilohertzPeriod;
        const qint64 hz = HertzPeriod;
        QTest::newRow("1 kHz, back 1 h, frames of 100")
            << kHz << 3000 << qint64(Hour) << 100 << false << true;
        QTest::newRow("1 kHz, back 1 h, frames of 1")
            << kHz << 3000 << qint64(Hour) << 1 << false << true;
        QTest::newRow("1 kHz, back 1 h inside a frame")
            << kHz << 3000 << qint64(Hour) << 64 << true << false;
        QTest::newRow("1 kHz, back 10.5 ms")
            << kHz << 3000 << qint64(10'500'000) << 100 << false << true;
        // A clock set back 3600 periods repeats stamps the ring holds, with new values.
        QTest::newRow("1 Hz, back 1 h onto held stamps")
            << hz << 7200 << 3600 * hz << 10 << false << true;
        QTest::newRow("1 Hz, back 1 h onto held stamps, one frame")
            << hz << 7200 << 3600 * hz << 1000 << false << true;
    }
    void aClockJumpBackKeepsShowingWhatArrives()
    {
        QFETCH(qint64, period);
        QFETCH(int, held);
        QFETCH(qint64, back);
        QFETCH(int, chunk);
        QFETCH(bool, inside);
        QFETCH(bool, newValues);
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        const std::vector<Tracked> jumped { { DataKey, DataType::Float64, otherValueFor } };
        const auto afterValue = newValues ? otherValueFor : valueFor;
        LiveStore store = storeWith(channels, 10'000);
        const std::vector<std::int64_t> before = stampRun(Epoch, std::size_t(held), period);
        const std::vector<std::int64_t> after
            = stampRun(before.back() + period - back, 1000, period);
        std::size_t stored = 0; // after the jump: what the live rate counts
        if (inside) {
            stored = stream(store, joined(before, after), channels, std::size_t(chunk))
                - before.size();
        } else {
            stream(store, before, channels, 100);
            stored = stream(store,
                after,
                newValues ? jumped : channels,
                std::size_t(chunk),
                Domain + 100'000);
        }
        QCOMPARE(stored, after.size());
        // What arrived is shown; of what was held, what lies before it stays.
        const std::vector<std::int64_t> kept = stampsBefore(before, after.front());
        QCOMPARE(store.sampleCount(DataKey), kept.size() + after.size());
        QCOMPARE(pairingMismatch(store, DataKey, after, afterValue), QString());
        QCOMPARE(pairingMismatch(store, DataKey, kept, valueFor), QString());
        QCOMPARE(mismatch(store.latest(DataKey), after.back(), afterValue(after.back())),
            QString());
        QCOMPARE(store.newestStamp(), after.back());
        // No line is drawn across the jump.
        if (!kept.empty()) {
            const View view { kept.back(), after.front() + 1, 10, Epoch };
            const PlotPoints out = decimateStore(store, DataKey, view);
            QCOMPARE(breaksIn(out), qsizetype(1));
        }
        // And the live view keeps going from there.
        const std::vector<std::int64_t> later = stampRun(after.back() + period, 50, period);
        QCOMPARE(stream(store, later, newValues ? jumped : channels, 7, Domain + 200'000),
            later.size());
        QCOMPARE(pairingMismatch(store, DataKey, later, afterValue), QString());
    }

    void aTimeResetKeepsEveryChannelOnItsStamps_data()
    {
        QTest::addColumn<bool>("secondAtTheFutureStamp");
        QTest::newRow("both channels at the future stamp") << true;
        QTest::newRow("only the first at the future stamp") << false;
    }
    void aTimeResetKeepsEveryChannelOnItsStamps()
    {
        QFETCH(bool, secondAtTheFutureStamp);
        const std::vector<Tracked> both { { DataKey, DataType::Float64, valueFor },
            { SecondKey, DataType::Int32, otherValueFor } };
        const std::vector<Tracked> firstOnly { both[0] };
        LiveStore store = storeWith(both, 100);
        const std::vector<std::int64_t> before = stampRun(Epoch, 10, KilohertzPeriod);
        stream(store, before, both, 10);
        store.ingest(frameOf(std::vector<std::int64_t> { Year2200 },
            Domain + 10,
            secondAtTheFutureStamp ? both : firstOnly));
        // The first channel alone goes on: the second's value at the stray stamp must not
        // end up on a new stamp.
        const std::vector<std::int64_t> after
            = stampRun(Epoch + 10 * KilohertzPeriod, 2, KilohertzPeriod);
        QCOMPARE(stream(store, after, secondAtTheFutureStamp ? firstOnly : both, 2, Domain + 20),
            secondAtTheFutureStamp ? after.size() : 2 * after.size());
        QCOMPARE(pairingMismatch(store, DataKey, joined(before, after), valueFor), QString());
        if (secondAtTheFutureStamp) {
            QCOMPARE(store.sampleCount(SecondKey), before.size());
            QCOMPARE(mismatch(store.atOrBefore(SecondKey, TimeStamp(after.back())),
                         before.back(),
                         otherValueFor(before.back())),
                QString());
        } else {
            QCOMPARE(store.sampleCount(SecondKey), before.size() + after.size());
            QCOMPARE(pairingMismatch(store, SecondKey, joined(before, after), otherValueFor),
                QString());
        }
    }

    void aResentFrameChangesNothing_data()
    {
        QTest::addColumn<int>("from"); // the resent stamps: [from, from + count) of 0..99
        QTest::addColumn<int>("count");
        QTest::newRow("the newest frame again") << 90 << 10;
        QTest::newRow("older frames again") << 20 << 30;
        QTest::newRow("everything again") << 0 << 100;
        QTest::newRow("overlapping the newest") << 95 << 10;
    }
    void aResentFrameChangesNothing()
    {
        QFETCH(int, from);
        QFETCH(int, count);
        // After an outage the live frames held back overlap what history filled in.
        const std::vector<Tracked> channels { { DataKey, DataType::Float32, valueFor },
            { SecondKey, DataType::Int16, otherValueFor } };
        LiveStore store = storeWith(channels, 1000);
        const std::vector<std::int64_t> stamps = stampRun(Epoch, 100, KilohertzPeriod);
        stream(store, stamps, channels, 10);
        const std::vector<std::int64_t> again
            = stampRun(Epoch + from * KilohertzPeriod, std::size_t(count), KilohertzPeriod);
        const std::size_t fresh = std::size_t(std::max(0, from + count - 100));
        QCOMPARE(stream(store, again, channels, std::size_t(count), Domain + std::uint64_t(from)),
            2 * fresh);
        const std::vector<std::int64_t> all = stampRun(Epoch, 100 + fresh, KilohertzPeriod);
        for (const Tracked& channel : channels) {
            QCOMPARE(store.sampleCount(channel.key), all.size());
            QCOMPARE(pairingMismatch(store, channel.key, all, channel.valueOf), QString());
            QCOMPARE(breaksIn(decimateStore(store, channel.key, { Epoch, all.back() + 1, 50 })),
                qsizetype(0));
        }
        QVERIFY(!store.anomalies().any());
    }

    void anomaliesCountEachTimeReset()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        const std::vector<Tracked> jumped { { DataKey, DataType::Float64, otherValueFor } };
        LiveStore store = storeWith(channels, 10'000);
        QVERIFY(!store.anomalies().any());
        const std::vector<std::int64_t> first = stampRun(Epoch, 100, KilohertzPeriod);
        stream(store, first, channels, 10);
        stream(store, stampRun(first[50], 10, KilohertzPeriod), channels, 10, Domain + 50);
        QVERIFY(!store.anomalies().any()); // in order, and resent: nothing out of order
        // A stray future stamp is in order when it comes; the samples after it are not.
        store.ingest(frameOf(std::vector<std::int64_t> { Year2200 }, Domain + 1000, channels));
        QVERIFY(!store.anomalies().any());
        const std::vector<std::int64_t> second = stampRun(first.back() + 1, 1000, KilohertzPeriod);
        stream(store, second, channels, 10, Domain + 2000);
        TimeOrderAnomalies anomalies = store.anomalies();
        QCOMPARE(anomalies.timeResets, std::uint64_t(1));
        QCOMPARE(anomalies.discardedSamples, std::uint64_t(1));
        QCOMPARE(anomalies.lastResetFrom.nanoseconds(), Year2200);
        QCOMPARE(anomalies.lastResetTo.nanoseconds(), second.front());
        QVERIFY(anomalies.any());
        // The clock goes back an hour: everything held is newer than what comes.
        const std::size_t held = store.sampleCount(DataKey);
        const std::vector<std::int64_t> third
            = stampRun(second.back() - Hour, 100, KilohertzPeriod);
        stream(store, third, channels, 10, Domain + 4000);
        anomalies = store.anomalies();
        QCOMPARE(anomalies.timeResets, std::uint64_t(2));
        QCOMPARE(anomalies.discardedSamples, std::uint64_t(1 + held));
        QCOMPARE(anomalies.lastResetFrom.nanoseconds(), second.back());
        QCOMPARE(anomalies.lastResetTo.nanoseconds(), third.front());
        // Stamps held again with other values are no resend: the 50 newest make way.
        stream(store, stampRun(third[50], 60, KilohertzPeriod), jumped, 20, Domain + 5000);
        anomalies = store.anomalies();
        QCOMPARE(anomalies.timeResets, std::uint64_t(3));
        QCOMPARE(anomalies.discardedSamples, std::uint64_t(1 + held + 50));
        QCOMPARE(anomalies.lastResetTo.nanoseconds(), third[50]);
        QCOMPARE(store.sampleCount(DataKey), std::size_t(110));
        // Forgetting the channel keeps the count.
        store.forget(DataKey);
        QCOMPARE(store.anomalies().timeResets, std::uint64_t(3));
    }

    void outOfOrderStreamsKeepEveryValueOnItsStamp_data()
    {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed = 1; seed <= 24; ++seed)
            QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
    }
    void outOfOrderStreamsKeepEveryValueOnItsStamp()
    {
        // Frames in order, resent, sent again with other values, after a clock set back or
        // with a stray future stamp: whatever a ring holds is the value last sent for its
        // stamp, and the newest stamp of each frame is shown.
        QFETCH(quint32, seed);
        QRandomGenerator random(seed);
        const auto capacity = std::size_t(random.bounded(5, 300));
        LiveStore store(LargeBudget, capacity);
        store.track({ makeChannel(IndexKey, DataType::Timestamp, IndexKey),
            makeChannel(DataKey, DataType::Float64, IndexKey),
            makeChannel(SecondKey, DataType::Int32, IndexKey) });
        std::map<ChannelKey, std::map<std::int64_t, double>> sent;
        std::vector<std::vector<std::int64_t>> frames;
        std::int64_t clock = Epoch;
        for (int step = 0; step < 400; ++step) {
            std::vector<std::int64_t> stamps;
            const int action = random.bounded(100);
            if (action < 12 && !frames.empty()) { // resent (values may differ)
                stamps = frames[frames.size() - 1
                    - std::size_t(random.bounded(std::min<int>(5, int(frames.size()))))];
            } else if (action < 17) { // a stray future stamp
                stamps = { clock + Hour * random.bounded(1, 1000) };
            } else {
                if (action < 27)
                    clock -= random.bounded(1, 50'000); // the clock goes back
                const int count = random.bounded(1, 20);
                for (int i = 0; i < count; ++i)
                    stamps.push_back(clock += random.bounded(1, 1000));
                if (action < 32 && count > 2) // not increasing inside the frame
                    std::swap(stamps[1], stamps[2]);
            }
            frames.push_back(stamps);
            const bool sameValues = random.bounded(2) == 0;
            Frame frame;
            const auto alignment = Domain + std::uint64_t(step) * 100;
            frame.add(IndexKey, stampSeries(stamps, alignment));
            for (const ChannelKey key : { DataKey, SecondKey }) {
                if (key == SecondKey && random.bounded(10) < 3)
                    continue;
                std::vector<double> values;
                for (const std::int64_t stamp : stamps) {
                    const auto held = sent[key].find(stamp);
                    values.push_back(sameValues && held != sent[key].end()
                            ? held->second
                            : double(random.bounded(-1000, 1000)));
                }
                for (std::size_t i = 0; i < stamps.size(); ++i)
                    sent[key][stamps[i]] = values[i];
                frame.add(key,
                    seriesOf(key == DataKey ? DataType::Float64 : DataType::Int32,
                        values,
                        alignment));
            }
            store.ingest(frame);
            const auto newest = store.atOrBefore(DataKey, TimeStamp(stamps.back()));
            QVERIFY(newest);
            QCOMPARE(newest->stamp.nanoseconds(), stamps.back());
            for (const ChannelKey key : { DataKey, SecondKey }) {
                const std::map<std::int64_t, double>& values = sent[key];
                const auto check = [&](std::int64_t stamp) {
                    const auto got = store.atOrBefore(key, TimeStamp(stamp));
                    if (!got)
                        return;
                    QVERIFY(got->stamp.nanoseconds() <= stamp);
                    const auto value = values.find(got->stamp.nanoseconds());
                    QVERIFY(value != values.end());
                    QCOMPARE(got->value, value->second);
                };
                for (const std::int64_t stamp : stamps)
                    check(stamp);
                if (step % 20 == 0)
                    for (const auto& [stamp, value] : values)
                        check(stamp);
            }
            if (QTest::currentTestFailed())
                return;
            QVERIFY(store.sampleCount(DataKey) <= capacity);
        }
        QVERIFY(store.anomalies().any());
    }

    // ---- LiveStore: decimation -----------------------------------------------------------

    void markedGapBreaksTheLine_data()
    {
        QTest::addColumn<int>("columns");
        // Samples every 1 ms over [0, 20 ms); the gap lies between 9 ms and 10 ms.
        QTest::newRow("1 column (gap inside it)") << 1;
        QTest::newRow("3 columns (gap inside one)") << 3;
        QTest::newRow("4 columns (gap on an edge)") << 4;
        QTest::newRow("100 columns") << 100;
        QTest::newRow("1000 columns") << 1000;
    }
    void markedGapBreaksTheLine()
    {
        QFETCH(int, columns);
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 100);
        stream(store, stampRun(0, 10, Millisecond), channels, 10);
        store.markGapEverywhere();
        stream(store, stampRun(10 * Millisecond, 10, Millisecond), channels, 10, Domain + 100);
        const View view { 0, 20 * Millisecond, columns };
        const PlotPoints out = decimateStore(store, DataKey, view);
        QCOMPARE(breaksIn(out), qsizetype(1));
        const auto at = std::ranges::find_if(out.values, [](double v) { return std::isnan(v); })
            - out.values.begin();
        QVERIFY(at > 0 && at + 1 < out.values.size());
        QCOMPARE(out.keys[at - 1], 0.009);
        QCOMPARE(out.keys[at + 1], 0.010);
        QVERIFY(out.keys[at] > 0.009 && out.keys[at] < 0.010);
        // Exactly what the reference draws.
        VectorSource reference { stampRun(0, 20, Millisecond), {}, std::vector<std::uint8_t>(20) };
        reference.values = valuesFor(reference.stamps, valueFor);
        reference.gaps[10] = 1;
        QCOMPARE(outputMismatch(out, decimateReference(reference, view)), QString());
    }

    void longGapBreaksTheLine_data()
    {
        QTest::addColumn<int>("columns");
        QTest::addColumn<qint64>("gapAfter");
        QTest::addColumn<bool>("breaks");
        // Samples every 1 ms at 0..9 ms and 20..29 ms: an 11 ms gap.
        QTest::newRow("gap inside a column") << 1 << qint64(5 * Millisecond) << true;
        QTest::newRow("gap between columns") << 3 << qint64(5 * Millisecond) << true;
        QTest::newRow("many columns") << 1000 << qint64(5 * Millisecond) << true;
        QTest::newRow("gap equal to gapAfter") << 3 << qint64(11 * Millisecond) << false;
        QTest::newRow("gap shorter than gapAfter") << 3 << qint64(20 * Millisecond) << false;
    }
    void longGapBreaksTheLine()
    {
        QFETCH(int, columns);
        QFETCH(qint64, gapAfter);
        QFETCH(bool, breaks);
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 100);
        VectorSource reference;
        reference.stamps = stampRun(0, 10, Millisecond);
        const std::vector<std::int64_t> late = stampRun(20 * Millisecond, 10, Millisecond);
        reference.stamps.insert(reference.stamps.end(), late.begin(), late.end());
        reference.values = valuesFor(reference.stamps, valueFor);
        stream(store, reference.stamps, channels, 7);
        const View view { 0, 30 * Millisecond, columns, 0, gapAfter };
        const PlotPoints out = decimateStore(store, DataKey, view);
        QEXPECT_FAIL("gap inside a column",
            "LiveStore::decimate looks for time gaps only between pixel columns",
            Abort);
        QCOMPARE(breaksIn(out), qsizetype(breaks ? 1 : 0));
        QCOMPARE(outputMismatch(out, decimateReference(reference, view)), QString());
    }

    void decimateMatchesTheReference_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<bool>("wrap");
        QTest::addColumn<quint32>("seed");
        for (const DataType::Id id : { DataType::Float64,
                 DataType::Float32,
                 DataType::Int16,
                 DataType::Uint8,
                 DataType::Int64 })
            for (const bool wrap : { false, true })
                for (quint32 seed = 1; seed <= 12; ++seed)
                    QTest::newRow(qPrintable(u"%1%2, seed %3"_s.arg(DataType(id).name(),
                        wrap ? u", wrapped"_s : QString(),
                        QString::number(seed))))
                        << int(id) << wrap << seed;
    }
    void decimateMatchesTheReference()
    {
        QFETCH(int, typeId);
        QFETCH(bool, wrap);
        QFETCH(quint32, seed);
        const DataType type(static_cast<DataType::Id>(typeId));
        QRandomGenerator random(seed * 7919 + quint32(typeId) * 31 + (wrap ? 1 : 0));
        const auto [store, reference] = randomStoreCase(random, type, wrap);
        QCOMPARE(store.sampleCount(DataKey), reference.size());
        for (int round = 0; round < 20; ++round) {
            // Rounding cannot matter: the output is exactly the reference's.
            const View aligned = randomView(random, reference, true);
            const PlotPoints out = decimateStore(store, DataKey, aligned);
            const QString differs = viewMismatch(out, reference, aligned);
            QVERIFY2(differs.isEmpty(), qPrintable(differs));
            QCOMPARE(
                summaryMismatch(summaryOf(reference, out, aligned), truthOf(reference, aligned)),
                QString());
        }
    }

    void decimateMatchesTheReferenceWithNaNsAndInfinities_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<bool>("wrap");
        QTest::addColumn<quint32>("seed");
        for (const DataType::Id id : { DataType::Float64, DataType::Float32 })
            for (const bool wrap : { false, true })
                for (quint32 seed = 1; seed <= 16; ++seed)
                    QTest::newRow(qPrintable(u"%1%2, seed %3"_s.arg(DataType(id).name(),
                        wrap ? u", wrapped"_s : QString(),
                        QString::number(seed))))
                        << int(id) << wrap << seed;
    }
    void decimateMatchesTheReferenceWithNaNsAndInfinities()
    {
        QFETCH(int, typeId);
        QFETCH(bool, wrap);
        QFETCH(quint32, seed);
        const DataType type(static_cast<DataType::Id>(typeId));
        QRandomGenerator random(seed * 6151 + quint32(typeId) * 13 + (wrap ? 1 : 0));
        const auto [store, reference] = randomStoreCase(random, type, wrap, true);
        QVERIFY(std::ranges::any_of(reference.values, [](double v) { return std::isnan(v); })
            || reference.size() < 40);
        for (int round = 0; round < 20; ++round) {
            const View aligned = randomView(random, reference, true);
            const PlotPoints out = decimateStore(store, DataKey, aligned);
            const QString differs = viewMismatch(out, reference, aligned);
            QVERIFY2(differs.isEmpty(), qPrintable(differs));
        }
    }

    // ---- incremental live decimation ------------------------------------------------------
    /// A live plot's view, frame after frame as samples stream in: the kept columns give
    /// exactly the reference's points over what the store holds, while following (the view
    /// ends on the grid just after the newest sample), zoomed to other widths, or panned back,
    /// with rings wrapping, gaps marked, and NaN and infinite values.
    void liveColumnsEqualTheReferenceAsSamplesArrive_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<bool>("wrap");
        QTest::addColumn<bool>("nonFinite");
        QTest::addColumn<quint32>("seed");
        for (const DataType::Id id : { DataType::Float64, DataType::Float32, DataType::Int16 })
            for (const bool wrap : { false, true })
                for (const bool nonFinite : { false, true })
                    for (quint32 seed = 1; seed <= 6; ++seed)
                        if (!nonFinite || id != DataType::Int16)
                            QTest::newRow(qPrintable(u"%1%2%3, seed %4"_s.arg(DataType(id).name(),
                                wrap ? u", wrapped"_s : QString(),
                                nonFinite ? u", NaN"_s : QString(),
                                QString::number(seed))))
                                << int(id) << wrap << nonFinite << seed;
    }
    void liveColumnsEqualTheReferenceAsSamplesArrive()
    {
        QFETCH(int, typeId);
        QFETCH(bool, wrap);
        QFETCH(bool, nonFinite);
        QFETCH(quint32, seed);
        const DataType type(static_cast<DataType::Id>(typeId));
        QRandomGenerator random(seed * 2029 + quint32(typeId) * 7 + (wrap ? 1 : 0));
        const RandomStream stream = randomStream(random, type, nonFinite);
        const std::size_t capacity = randomCapacity(random, stream.samples.size(), wrap);
        LiveStore store = storeWith({ { DataKey, type, valueFor } }, capacity);
        LiveColumns columns;
        PlotPoints live;
        int columnCount = random.bounded(1, 400);
        std::int64_t width = random.bounded(1, 20'000);
        std::int64_t panned = 0; // columns the view lies behind the newest
        std::size_t from = 0;
        for (const std::size_t n : stream.frames) {
            ingestFrame(store, stream, type, from, n);
            from += n;
            if (random.bounded(8) == 0) { // zoom
                columnCount = random.bounded(1, 400);
                width = random.bounded(1, 20'000);
            }
            if (random.bounded(8) == 0)
                panned = random.bounded(3) == 0 ? random.bounded(columnCount + 1) : 0;
            const std::int64_t newest = stream.samples.stamps[from - 1];
            View view;
            view.end = (newest / width + 1 - panned) * width;
            view.start = view.end - width * columnCount;
            view.columns = columnCount;
            view.origin = Epoch;
            const PlotPoints before = live;
            std::optional<double> changedFrom;
            const bool changed = store.decimateLive(DataKey,
                view.start,
                view.end,
                view.columns,
                view.origin,
                view.gapAfter,
                columns,
                live,
                &changedFrom);
            const VectorSource held = lastSamples(firstSamples(stream.samples, from), capacity);
            const QString differs = viewMismatch(live, held, view);
            QVERIFY2(differs.isEmpty(), qPrintable(u"after %1 samples: "_s.arg(from) + differs));
            if (!changed)
                QCOMPARE(outputMismatch(live, before), QString());
            else
                QCOMPARE(changeMisreported(before, live, changedFrom), QString());
        }
    }

    /// Following a regular stand, a frame computes the columns that received samples (and
    /// the one the view moved onto), not the window: here at most 3 of 1,920.
    void liveColumnsComputeOnlyWhatArrived()
    {
        constexpr int ColumnCount = 1920;
        constexpr std::int64_t Period = Millisecond; // 1 kHz, a 30 s window
        const std::int64_t width = LiveColumns::widthFor(30 * Second, ColumnCount);
        LiveStore store = storeWith({ { DataKey, DataType::Float32, valueFor } }, 40'000);
        LiveColumns columns;
        PlotPoints out;
        const std::vector<std::int64_t> stamps = stampRun(Epoch, 40'000, Period);
        std::size_t worst = 0;
        std::size_t frames = 0;
        for (std::size_t from = 0; from < stamps.size(); from += 16) {
            store.ingest(frameOf(std::span(stamps).subspan(from, 16),
                Domain + from,
                { { DataKey, DataType::Float32, valueFor } }));
            const std::int64_t end = (stamps[from + 15] / width + 1) * width;
            store.decimateLive(DataKey,
                end - width * ColumnCount,
                end,
                ColumnCount,
                Epoch,
                NoGapLimit,
                columns,
                out);
            if (from >= 32 * 16) { // after the first frames, which compute the empty window
                worst = std::max(worst, columns.lastComputed());
                ++frames;
            }
        }
        QVERIFY(frames > 2000);
        QVERIFY2(worst <= 3, qPrintable(u"%1 columns in one frame"_s.arg(worst)));
        // The ring wrapped (40 s streamed into 40,000 samples at 1 kHz … and evicted some):
        // still the reference's points.
        const std::int64_t end = (stamps.back() / width + 1) * width;
        const View view { end - width * ColumnCount, end, ColumnCount, Epoch, NoGapLimit };
        QCOMPARE(outputMismatch(out, decimateStore(store, DataKey, view)), QString());
    }

    /// When held samples change other than by arriving (time goes back, history is put in
    /// front, samples are evicted), the kept columns follow: the same points as decimate().
    void liveColumnsFollowChangesToHeldSamples()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 3000);
        LiveColumns columns;
        PlotPoints out;
        constexpr int ColumnCount = 100;
        constexpr std::int64_t Width = 20 * Millisecond;
        const auto check = [&](const char* step) {
            const std::int64_t end = (store.newestStamp() / Width + 1) * Width;
            const View view { end - Width * ColumnCount, end, ColumnCount, Epoch, 5 * Millisecond };
            store.decimateLive(DataKey,
                view.start,
                view.end,
                view.columns,
                view.origin,
                view.gapAfter,
                columns,
                out);
            const QString differs = outputMismatch(out, decimateStore(store, DataKey, view));
            QVERIFY2(differs.isEmpty(), qPrintable(QString::fromUtf8(step) + u": "_s + differs));
        };
        const std::vector<std::int64_t> first = stampRun(Epoch + Second, 1000, Millisecond);
        stream(store, first, channels, 50);
        check("streamed");
        // The clock goes back half a second: what was held from there on is replaced.
        const std::vector<std::int64_t> back
            = stampRun(first.back() - 500 * Millisecond + 3, 200, Millisecond);
        stream(store, back, channels, 50, Domain + 5000);
        QCOMPARE(store.anomalies().timeResets, 1u);
        check("back in time");
        // History before it, then a gap and more live samples.
        const std::vector<std::int64_t> history = stampRun(Epoch, 900, Millisecond);
        QVERIFY(store.backfill(DataKey,
                    stampSeries(history, 0),
                    seriesOf(DataType::Float64, valuesFor(history, valueFor), 0))
            > 0);
        check("backfilled");
        store.markGapEverywhere();
        stream(store,
            stampRun(back.back() + 40 * Millisecond, 3000, Millisecond),
            channels,
            64,
            Domain + 9000);
        check("gap, then enough to evict the oldest");
    }

    void decimateKeepsEveryColumnsExtremes_data() { decimateMatchesTheReference_data(); }
    void decimateKeepsEveryColumnsExtremes()
    {
        QFETCH(int, typeId);
        QFETCH(bool, wrap);
        QFETCH(quint32, seed);
        const DataType type(static_cast<DataType::Id>(typeId));
        QRandomGenerator random(seed * 104729 + quint32(typeId) * 17 + (wrap ? 1 : 0));
        const auto [store, reference] = randomStoreCase(random, type, wrap);
        for (int round = 0; round < 20; ++round) {
            // Any view: per pixel column, the same first, last, minimum and maximum.
            const View view = randomView(random, reference, false);
            const PlotPoints out = decimateStore(store, DataKey, view);
            const PlotPoints expected = decimateReference(reference, view);
            QVERIFY2(summaryMismatch(summaryOf(reference, out, view),
                         summaryOf(reference, expected, view))
                         .isEmpty(),
                qPrintable(u"view [%1, %2) in %3 columns: %4"_s.arg(view.start - Epoch)
                               .arg(view.end - Epoch)
                               .arg(view.columns)
                               .arg(summaryMismatch(summaryOf(reference, out, view),
                                   summaryOf(reference, expected, view)))));
        }
    }

    void decimateKeepsASpike_data()
    {
        QTest::addColumn<int>("spikeAt");
        QTest::addColumn<double>("spike");
        QTest::addColumn<int>("capacity");
        QTest::newRow("high, mid-column") << 123'457 << 1000.0 << (1 << 20);
        QTest::newRow("low, mid-column") << 654'321 << -1000.0 << (1 << 20);
        QTest::newRow("high, first of its column") << 500'000 << 1000.0 << (1 << 20);
        QTest::newRow("low, last sample") << 999'999 << -1000.0 << (1 << 20);
        QTest::newRow("wrapped, low, mid-column") << 654'321 << -1000.0 << 700'000;
        QTest::newRow("wrapped, high, last sample") << 999'999 << 1000.0 << 700'000;
    }
    void decimateKeepsASpike()
    {
        QFETCH(int, spikeAt);
        QFETCH(double, spike);
        QFETCH(int, capacity);
        // 1,000,000 float32 samples 1 µs apart, noise in [-1, 1], one spike.
        const std::size_t count = 1'000'000;
        QRandomGenerator random(11);
        VectorSource all;
        all.stamps = stampRun(Epoch, count, 1000);
        all.values.resize(count);
        for (double& value : all.values)
            value = double(float(random.generateDouble() * 2 - 1));
        all.values[std::size_t(spikeAt)] = spike;
        LiveStore store(LargeBudget, std::size_t(capacity));
        store.track({ makeChannel(IndexKey, DataType::Timestamp, IndexKey),
            makeChannel(DataKey, DataType::Float32, IndexKey) });
        for (std::size_t from = 0; from < count; from += 10'000) {
            Frame frame;
            frame.add(IndexKey,
                stampSeries(std::span(all.stamps).subspan(from, 10'000), Domain + from));
            frame.add(DataKey,
                seriesOf(DataType::Float32,
                    std::span(all.values).subspan(from, 10'000),
                    Domain + from));
            store.ingest(frame);
        }
        const std::size_t held = std::min(count, std::size_t(capacity));
        QCOMPARE(store.sampleCount(DataKey), held);
        VectorSource reference;
        reference.stamps.assign(all.stamps.end() - std::ptrdiff_t(held), all.stamps.end());
        reference.values.assign(all.values.end() - std::ptrdiff_t(held), all.values.end());
        // One column per 1000 samples.
        const View view { reference.stamps.front(),
            Epoch + 1'000'000'000,
            int(held / 1000),
            Epoch };
        const PlotPoints out = decimateStore(store, DataKey, view);
        QVERIFY(out.keys.size() <= 4 * view.columns + 2);
        QCOMPARE(std::ranges::count(out.values, spike), qsizetype(1));
        const qsizetype at = std::ranges::find(out.values, spike) - out.values.begin();
        QCOMPARE(out.keys[at], static_cast<double>(all.stamps[std::size_t(spikeAt)] - Epoch) / 1e9);
        QVERIFY(std::ranges::all_of(out.values,
            [&](double v) { return v == spike || std::abs(v) <= 1.0; }));
        QCOMPARE(summaryMismatch(summaryOf(reference, out, view), truthOf(reference, view)),
            QString());
        QCOMPARE(outputMismatch(out, decimateReference(reference, view)), QString());
    }

    void decimateOfNothing()
    {
        const std::vector<Tracked> channels { { DataKey, DataType::Float64, valueFor } };
        LiveStore store = storeWith(channels, 100);
        QVERIFY(decimateStore(store, DataKey, { 0, 1000, 10 }).keys.isEmpty());
        stream(store, stampRun(0, 10, 100), channels, 10);
        QVERIFY(decimateStore(store, DataKey, { 500, 500, 10 }).keys.isEmpty());
        QVERIFY(decimateStore(store, DataKey, { 800, 200, 10 }).keys.isEmpty());
        QVERIFY(decimateStore(store, DataKey, { 0, 1000, 0 }).keys.isEmpty());
        QVERIFY(decimateStore(store, 77, { 0, 1000, 10 }).keys.isEmpty());
        const PlotPoints all = decimateStore(store, DataKey, { 0, 1000, 1000 });
        QCOMPARE(all.keys.size(), qsizetype(10));
        QCOMPARE(all.values.size(), qsizetype(10));
    }
};

QTEST_APPLESS_MAIN(TestLiveStore)
#include "tst_live_store.moc"
