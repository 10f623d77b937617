#include "core/decimate/m4.h"
#include "core/store/history_cache.h"
#include "core/store/sample_columns.h"
#include "core/store/sample_pyramid.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "support/vector_source.h"

using namespace Qt::StringLiterals;
using sightline::core::TimeRange;
using sightline::core::TimeStamp;
using sightline::core::decimate::decimateM4;
using sightline::core::decimate::PlotPoints;
using sightline::core::store::CachedSample;
using sightline::core::store::HistoryCache;
using sightline::core::store::PreparedSamples;

namespace {

constexpr sightline::core::ChannelKey Key = 7;
constexpr std::int64_t NoGapLimit = std::numeric_limits<std::int64_t>::max();
/// A realistic epoch (2023-11-14) in ns.
constexpr std::int64_t Epoch = 1'700'000'000'000'000'000;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

TimeRange range(std::int64_t start, std::int64_t end)
{
    return { TimeStamp(start), TimeStamp(end) };
}

/// Samples in time order, with an optional flag per sample: uncovered time lies before it.
using Samples = sightline::test::VectorSource;

/// Samples [from, to) of `all` as spans.
std::span<const std::int64_t> stampSpan(const Samples& all, std::size_t from, std::size_t to)
{
    return std::span(all.stamps).subspan(from, to - from);
}
std::span<const double> valueSpan(const Samples& all, std::size_t from, std::size_t to)
{
    return std::span(all.values).subspan(from, to - from);
}
static_assert(sightline::core::decimate::SampleSource<Samples>);

/// Random samples. Steps: jittery, jittery with bursts, regular with rare bursts (so the cache
/// stores stamp blocks every way it can), or sparse (blocks spanning over 2^32 ns). Values:
/// noise as double, noise as float, or coarse (many ties); some NaNs and infinities if
/// `special`.
Samples randomSamples(QRandomGenerator& random, std::size_t count, bool special)
{
    Samples samples;
    const int steps = random.bounded(4);
    const int kind = random.bounded(3);
    std::int64_t stamp = Epoch + random.bounded(0, 1'000'000);
    for (std::size_t i = 0; i < count; ++i) {
        const bool burst = steps != 0 && random.bounded(steps == 2 ? 1000 : 100) == 0;
        if (burst)
            stamp += random.bounded(1, 500'000);
        else if (steps == 2)
            stamp += 1000;
        else if (steps == 3)
            stamp += random.bounded(1, 200'000'000);
        else
            stamp += random.bounded(900, 1100);
        const double noise = random.generateDouble() * 2 - 1;
        double value = kind == 0 ? noise
            : kind == 1          ? double(float(noise))
                                 : double(random.bounded(5));
        if (special && random.bounded(50) == 0)
            value = NaN;
        if (special && random.bounded(500) == 0)
            value = random.bounded(2) == 0 ? std::numeric_limits<double>::infinity()
                                           : -std::numeric_limits<double>::infinity();
        samples.add(stamp, value);
    }
    return samples;
}

/// Cuts [start, end) into `pieces` contiguous ranges at random instants.
std::vector<TimeRange> randomCuts(
    QRandomGenerator& random, std::int64_t start, std::int64_t end, int pieces)
{
    std::vector<std::int64_t> cuts { start, end };
    for (int k = 1; k < pieces; ++k)
        cuts.push_back(start + std::int64_t(random.generateDouble() * double(end - start)));
    std::ranges::sort(cuts);
    std::vector<TimeRange> ranges;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        if (cuts[k] < cuts[k + 1])
            ranges.push_back(range(cuts[k], cuts[k + 1]));
    }
    return ranges;
}

/// Inserts the samples of `all` inside `covered` (one insert per range); every other range
/// with its pyramid prepared first (as the history reader does on its thread), so every test
/// over inserted samples covers both ways in.
void insertRanges(HistoryCache& cache, const Samples& all, const std::vector<TimeRange>& covered)
{
    bool prepare = false;
    for (const TimeRange& r : covered) {
        const std::size_t from = all.lowerBound(r.start.nanoseconds());
        const std::size_t to = all.lowerBound(r.end.nanoseconds());
        const auto stamps = stampSpan(all, from, to);
        const auto values = valueSpan(all, from, to);
        prepare = !prepare;
        QVERIFY(cache.insert(Key,
            r,
            stamps,
            values,
            prepare ? HistoryCache::prepare(r, stamps, values) : nullptr));
    }
}

/// The samples of `all` inside the (sorted, disjoint) `covered` ranges, flagged where
/// uncovered time lies before a sample: what the cache should hold, as a reference source.
Samples coveredSamples(const Samples& all, std::vector<TimeRange> covered)
{
    std::ranges::sort(covered, {}, [](const TimeRange& r) { return r.start; });
    Samples kept;
    bool uncovered = false; // since the last sample kept
    for (std::size_t k = 0; k < covered.size(); ++k) {
        uncovered = uncovered || (k > 0 && covered[k - 1].end != covered[k].start);
        const std::size_t from = all.lowerBound(covered[k].start.nanoseconds());
        const std::size_t to = all.lowerBound(covered[k].end.nanoseconds());
        for (std::size_t i = from; i < to; ++i) {
            kept.gaps.push_back(uncovered && kept.size() > 0 ? 1 : 0);
            kept.add(all.stamps[i], all.values[i]);
            uncovered = false;
        }
    }
    return kept;
}

/// Exact equality of two views, NaN equal to NaN; names the first difference.
void compareViews(const PlotPoints& got, const PlotPoints& expected)
{
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    for (qsizetype i = 0; i < std::min(got.keys.size(), expected.keys.size()); ++i) {
        if (!same(got.keys[i], expected.keys[i]) || !same(got.values[i], expected.values[i])) {
            QFAIL(qPrintable(u"point %1: got (%2, %3), expected (%4, %5)"_s.arg(i)
                                 .arg(got.keys[i], 0, 'g', 17)
                                 .arg(got.values[i])
                                 .arg(expected.keys[i], 0, 'g', 17)
                                 .arg(expected.values[i])));
        }
    }
    QCOMPARE(got.keys.size(), expected.keys.size());
    QCOMPARE(got.values.size(), got.keys.size());
}

using sightline::test::View;

View randomView(QRandomGenerator& random, const Samples& all)
{
    const std::int64_t first = all.stamps.front();
    const std::int64_t span = all.stamps.back() - first + 1;
    View view;
    const double width = std::pow(10.0, random.generateDouble() * 4 - 3.5); // of the span
    view.start = first + std::int64_t((random.generateDouble() * 1.2 - 0.1) * double(span));
    view.end = view.start + std::max<std::int64_t>(1, std::int64_t(width * double(span)));
    if (random.bounded(4) == 0) // on a sample
        view.start = all.stamps[std::size_t(random.bounded(int(all.size())))];
    view.columns = random.bounded(3) == 0 ? random.bounded(1, 40) : random.bounded(100, 2000);
    view.origin = first + random.bounded(-1'000'000, 1'000'000);
    view.gapAfter = random.bounded(3) == 0 ? random.bounded(1000, 400'000) : NoGapLimit;
    return view;
}

void checkView(HistoryCache& cache, const Samples& reference, const View& view)
{
    PlotPoints got;
    got.keys = { 42.0 }; // stale content the call must clear
    got.values = { 42.0 };
    cache.view(Key, view.start, view.end, view.columns, view.origin, view.gapAfter, got);
    PlotPoints expected;
    decimateM4(reference, view.start, view.end, view.columns, view.origin, view.gapAfter, expected);
    compareViews(got, expected);
}

/// Brute-force statistics of the samples of `all` in [start, end).
std::optional<HistoryCache::Stats> bruteStats(const Samples& all, TimeRange r)
{
    HistoryCache::Stats stats;
    double sum = 0;
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    const std::size_t end = all.lowerBound(r.end.nanoseconds());
    for (std::size_t i = all.lowerBound(r.start.nanoseconds()); i < end; ++i) {
        const CachedSample sample { TimeStamp(all.stamps[i]), all.values[i] };
        if (stats.count++ == 0)
            stats.first = sample;
        stats.last = sample;
        sum += sample.value;
        if (!std::isnan(sample.value)) {
            low = std::min(low, sample.value);
            high = std::max(high, sample.value);
        }
    }
    if (stats.count == 0)
        return std::nullopt;
    stats.min = low > high ? NaN : low;
    stats.max = low > high ? NaN : high;
    stats.mean = sum / double(stats.count);
    return stats;
}

} // namespace

class TestHistoryCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void insertAndMissing_data();
    void insertAndMissing();
    void existingSamplesWin();
    void preparedSamplesAreTakenOnlyWhenAllIsMissing();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void randomInsertsKeepEverySampleOnce_data();
    void randomInsertsKeepEverySampleOnce();
    void viewMatchesReference_data();
    void viewMatchesReference();
    void viewAcrossFullSegments();
    void spikeSurvives_data();
    void spikeSurvives();
    void uncoveredTimeBreaksTheLine();
    void viewOfNothing();
    void statsMatchBruteForce_data();
    void statsMatchBruteForce();
    void atOrBefore();
    void evictsLeastRecentlyUsed();
    void staysWithinBudget();
    void memoryPerSample_data();
    void memoryPerSample();
    void forgetAndClear();
    void stampColumnHoldsWhatWasAppended_data();
    void stampColumnHoldsWhatWasAppended();
    void valueColumnWidensOnlyWhenItMust();
    void growableArrayKeepsValuesAcrossMovesOfItsPages();
};

void TestHistoryCache::insertAndMissing_data()
{
    QTest::addColumn<QList<TimeRange>>("inserts");
    QTest::addColumn<TimeRange>("query");
    QTest::addColumn<QList<TimeRange>>("missing");
    QTest::addColumn<QList<TimeRange>>("covered");

    QTest::newRow("empty") << QList<TimeRange> {} << range(0, 100) << QList { range(0, 100) }
                           << QList<TimeRange> {};
    QTest::newRow("inside") << QList { range(10, 20) } << range(12, 18) << QList<TimeRange> {}
                            << QList { range(10, 20) };
    QTest::newRow("around one") << QList { range(10, 20) } << range(0, 30)
                                << QList { range(0, 10), range(20, 30) } << QList { range(10, 20) };
    QTest::newRow("two apart") << QList { range(10, 20), range(30, 40) } << range(0, 50)
                               << QList { range(0, 10), range(20, 30), range(40, 50) }
                               << QList { range(10, 20), range(30, 40) };
    QTest::newRow("adjacent join")
        << QList { range(20, 30), range(10, 20) } << range(0, 50)
        << QList { range(0, 10), range(30, 50) } << QList { range(10, 30) };
    QTest::newRow("overlap right")
        << QList { range(10, 30), range(20, 40) } << range(0, 50)
        << QList { range(0, 10), range(40, 50) } << QList { range(10, 40) };
    QTest::newRow("overlap left") << QList { range(20, 40), range(10, 30) } << range(0, 50)
                                  << QList { range(0, 10), range(40, 50) }
                                  << QList { range(10, 40) };
    QTest::newRow("bridge") << QList { range(10, 20), range(30, 40), range(15, 35) } << range(0, 50)
                            << QList { range(0, 10), range(40, 50) } << QList { range(10, 40) };
    QTest::newRow("superset") << QList { range(10, 20), range(30, 40), range(0, 50) }
                              << range(0, 60) << QList { range(50, 60) } << QList { range(0, 50) };
    QTest::newRow("query in gap") << QList { range(10, 20), range(30, 40) } << range(22, 28)
                                  << QList { range(22, 28) }
                                  << QList { range(10, 20), range(30, 40) };
    QTest::newRow("empty query") << QList { range(10, 20) } << range(5, 5) << QList<TimeRange> {}
                                 << QList { range(10, 20) };
}

void TestHistoryCache::insertAndMissing()
{
    QFETCH(QList<TimeRange>, inserts);
    QFETCH(TimeRange, query);
    QFETCH(QList<TimeRange>, missing);
    QFETCH(QList<TimeRange>, covered);
    HistoryCache cache;
    for (const TimeRange& r : inserts) {
        // one sample per ns, value = stamp
        std::vector<std::int64_t> stamps;
        std::vector<double> values;
        for (std::int64_t t = r.start.nanoseconds(); t < r.end.nanoseconds(); ++t) {
            stamps.push_back(t);
            values.push_back(double(t));
        }
        QVERIFY(cache.insert(Key, r, stamps, values));
    }
    const std::vector<TimeRange> gaps = cache.missing(Key, query);
    QCOMPARE(QList<TimeRange>(gaps.begin(), gaps.end()), missing);
    const std::vector<TimeRange> held = cache.covered(Key);
    QCOMPARE(QList<TimeRange>(held.begin(), held.end()), covered);
    std::size_t expectedCount = 0;
    for (const TimeRange& r : covered)
        expectedCount += std::size_t(r.end.nanoseconds() - r.start.nanoseconds());
    QCOMPARE(cache.sampleCount(Key), expectedCount);
    if (!covered.isEmpty()) {
        QCOMPARE(*cache.extent(Key),
            range(covered.front().start.nanoseconds(), covered.back().end.nanoseconds()));
    } else {
        QVERIFY(!cache.extent(Key));
    }
    QCOMPARE(cache.missing(Key + 1, query).size(), query.isEmpty() ? 0U : 1U);
}

void TestHistoryCache::existingSamplesWin()
{
    HistoryCache cache;
    const std::vector<std::int64_t> first { 10, 15, 20, 25 };
    const std::vector<std::int64_t> second { 18, 20, 22, 30, 35 };
    QVERIFY(cache.insert(Key, range(10, 26), first, std::vector<double>(4, 1.0)));
    QVERIFY(cache.insert(Key, range(18, 40), second, std::vector<double>(5, 2.0)));
    QCOMPARE(cache.sampleCount(Key), std::size_t(6)); // 10 15 20 25 | 30 35
    QCOMPARE(cache.atOrBefore(Key, TimeStamp(20))->value, 1.0);
    QCOMPARE(cache.atOrBefore(Key, TimeStamp(29))->stamp, TimeStamp(25));
    QCOMPARE(cache.atOrBefore(Key, TimeStamp(30))->value, 2.0);
    const auto stats = cache.stats(Key, range(0, 100));
    QVERIFY(stats);
    QCOMPARE(stats->count, std::size_t(6));
    QCOMPARE(stats->first, (CachedSample { TimeStamp(10), 1.0 }));
    QCOMPARE(stats->last, (CachedSample { TimeStamp(35), 2.0 }));
    // Re-inserting what is held changes nothing.
    QVERIFY(cache.insert(Key, range(10, 26), first, std::vector<double>(4, 9.0)));
    QCOMPARE(cache.sampleCount(Key), std::size_t(6));
    QCOMPARE(cache.atOrBefore(Key, TimeStamp(10))->value, 1.0);
}

void TestHistoryCache::preparedSamplesAreTakenOnlyWhenAllIsMissing()
{
    HistoryCache cache;
    const std::vector<std::int64_t> first { 10, 15, 20, 25 };
    const std::vector<std::int64_t> second { 18, 20, 22, 30, 35 };
    const std::vector<double> ones(4, 1.0);
    const std::vector<double> twos(5, 2.0);
    QVERIFY(cache.insert(Key,
        range(10, 26),
        first,
        ones,
        HistoryCache::prepare(range(10, 26), first, ones)));
    // Overlapping what is held: the held samples win, as without a pyramid prepared.
    QVERIFY(cache.insert(Key,
        range(18, 40),
        second,
        twos,
        HistoryCache::prepare(range(18, 40), second, twos)));
    QCOMPARE(cache.sampleCount(Key), std::size_t(6)); // 10 15 20 25 | 30 35
    QCOMPARE(cache.atOrBefore(Key, TimeStamp(20))->value, 1.0);
    QCOMPARE(cache.atOrBefore(Key, TimeStamp(30))->value, 2.0);
    const auto stats = cache.stats(Key, range(0, 100));
    QVERIFY(stats);
    QCOMPARE(stats->count, std::size_t(6));
    QCOMPARE(stats->mean, (4 * 1.0 + 2 * 2.0) / 6);
    // Bad input is refused either way, and prepares nothing.
    const std::vector<std::int64_t> unsorted { 50, 45 };
    const std::vector<double> two(2, 3.0);
    QVERIFY(!HistoryCache::prepare(range(40, 60), unsorted, two));
    QVERIFY(!cache.insert(Key, range(40, 60), unsorted, two, nullptr));
    QCOMPARE(cache.sampleCount(Key), std::size_t(6));
    // A pyramid is moved in, not copied: the same one given to a second cache finds it
    // empty, and that cache builds its own from the samples.
    const std::vector<std::int64_t> later { 60, 70 };
    const PreparedSamples prepared = HistoryCache::prepare(range(60, 80), later, two);
    QVERIFY(cache.insert(Key, range(60, 80), later, two, prepared));
    QVERIFY(prepared->empty());
    HistoryCache other;
    QVERIFY(other.insert(Key, range(60, 80), later, two, prepared));
    QCOMPARE(other.sampleCount(Key), std::size_t(2));
    QCOMPARE(other.atOrBefore(Key, TimeStamp(75))->value, 3.0);
    // A pyramid whose samples lie outside the range inserted is refused.
    const std::vector<std::int64_t> outside { 90, 95 };
    QVERIFY(!other.insert(Key,
        range(80, 92),
        outside,
        two,
        HistoryCache::prepare(range(85, 100), outside, two)));
    QCOMPARE(other.sampleCount(Key), std::size_t(2));
}

void TestHistoryCache::rejectsBadInput_data()
{
    QTest::addColumn<TimeRange>("covered");
    QTest::addColumn<QList<qint64>>("stamps");
    QTest::addColumn<int>("values");

    QTest::newRow("unsorted") << range(0, 100) << QList<qint64> { 1, 5, 3 } << 3;
    QTest::newRow("repeated") << range(0, 100) << QList<qint64> { 1, 5, 5 } << 3;
    QTest::newRow("before covered") << range(10, 100) << QList<qint64> { 5, 20 } << 2;
    QTest::newRow("at covered end") << range(0, 100) << QList<qint64> { 5, 100 } << 2;
    QTest::newRow("fewer values") << range(0, 100) << QList<qint64> { 1, 2, 3 } << 2;
    QTest::newRow("reversed range") << range(100, 0) << QList<qint64> {} << 0;
    QTest::newRow("samples in empty range") << range(5, 5) << QList<qint64> { 5 } << 1;
}

void TestHistoryCache::rejectsBadInput()
{
    QFETCH(TimeRange, covered);
    QFETCH(QList<qint64>, stamps);
    QFETCH(int, values);
    HistoryCache cache;
    const std::vector<std::int64_t> s(stamps.begin(), stamps.end());
    QVERIFY(!cache.insert(Key, covered, s, std::vector<double>(std::size_t(values), 1.0)));
    QCOMPARE(cache.sampleCount(Key), std::size_t(0));
    QVERIFY(!cache.extent(Key));
}

void TestHistoryCache::randomInsertsKeepEverySampleOnce_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 30; ++seed)
        QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
}

void TestHistoryCache::randomInsertsKeepEverySampleOnce()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    const Samples all = randomSamples(random, std::size_t(random.bounded(1, 20'000)), false);
    const std::int64_t start = all.stamps.front() - 10;
    const std::int64_t end = all.stamps.back() + 10;
    HistoryCache cache;
    std::vector<TimeRange> inserted;
    for (int k = 0; k < 12; ++k) {
        // overlapping random ranges, each with its own value tag (the first insert must win)
        std::int64_t a = start + std::int64_t(random.generateDouble() * double(end - start));
        std::int64_t b = start + std::int64_t(random.generateDouble() * double(end - start));
        if (a > b)
            std::swap(a, b);
        const std::size_t from = all.lowerBound(a);
        const std::size_t to = all.lowerBound(b);
        std::vector<double> tagged(to - from, double(k));
        QVERIFY(cache.insert(Key, range(a, b), stampSpan(all, from, to), tagged));
        inserted.push_back(range(a, b));
    }
    // Expected: each stamp covered by some insert, tagged with the first insert covering it.
    std::size_t expectedCount = 0;
    for (const std::int64_t t : all.stamps) {
        const auto firstCover = std::ranges::find_if(inserted,
            [t](const TimeRange& r) { return r.contains(TimeStamp(t)); });
        const auto held = cache.atOrBefore(Key, TimeStamp(t));
        if (firstCover == inserted.end()) {
            QVERIFY(!held || held->stamp < TimeStamp(t));
            continue;
        }
        ++expectedCount;
        QVERIFY(held);
        QCOMPARE(held->stamp, TimeStamp(t));
        QCOMPARE(held->value, double(firstCover - inserted.begin()));
    }
    QCOMPARE(cache.sampleCount(Key), expectedCount);
    // Covered is exactly the union of the inserted ranges.
    for (int probe = 0; probe < 2000; ++probe) {
        const std::int64_t t = start + std::int64_t(random.generateDouble() * double(end - start));
        const bool expected = std::ranges::any_of(inserted,
            [t](const TimeRange& r) { return r.contains(TimeStamp(t)); });
        QCOMPARE(cache.missing(Key, range(t, t + 1)).empty(), expected);
    }
}

void TestHistoryCache::viewMatchesReference_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 60; ++seed)
        QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
}

void TestHistoryCache::viewMatchesReference()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    const std::size_t count = random.bounded(4) == 0 ? std::size_t(random.bounded(1, 300))
                                                     : std::size_t(random.bounded(1, 200'000));
    const Samples all = randomSamples(random, count, random.bounded(3) == 0);
    // Cover everything in random pieces inserted in random order, or leave some out.
    std::vector<TimeRange> pieces = randomCuts(random,
        all.stamps.front() - random.bounded(0, 5000),
        all.stamps.back() + 1 + random.bounded(0, 5000),
        random.bounded(1, 40));
    const bool holes = random.bounded(3) == 0;
    if (holes) {
        std::erase_if(pieces, [&](const TimeRange&) { return random.bounded(4) == 0; });
    }
    std::vector<TimeRange> order = pieces;
    std::ranges::shuffle(order, random);
    HistoryCache cache;
    insertRanges(cache, all, order);
    const Samples reference = coveredSamples(all, pieces);
    QCOMPARE(cache.sampleCount(Key), reference.size());
    if (reference.size() == 0)
        return;
    for (int k = 0; k < 25; ++k) {
        const View view = randomView(random, all);
        checkView(cache, reference, view);
        if (QTest::currentTestFailed()) {
            qWarning("view %d: [%lld, %lld) %d columns, gapAfter %lld, %zu segments",
                k,
                (long long)view.start,
                (long long)view.end,
                view.columns,
                (long long)view.gapAfter,
                cache.segmentCount(Key));
            return;
        }
    }
    // The whole extent and a single column.
    const std::int64_t first = all.stamps.front();
    const std::int64_t last = all.stamps.back();
    checkView(cache, reference, { first, last + 1, 1920, first, NoGapLimit });
    checkView(cache, reference, { first, last + 1, 1, first, NoGapLimit });
}

void TestHistoryCache::viewAcrossFullSegments()
{
    // 2.5 segments' worth of samples in one insert: split into segments of at most the
    // maximum (small here), so columns and runs span segment edges.
    QRandomGenerator random(99);
    Samples all;
    constexpr std::size_t SegmentSamples = 1'000'000;
    const std::size_t count = SegmentSamples * 5 / 2;
    all.stamps.resize(count);
    all.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        all.stamps[i] = Epoch + std::int64_t(i) * 1000 + random.bounded(0, 500);
        all.values[i] = double(random.bounded(1000));
    }
    HistoryCache cache(HistoryCache::DefaultBudgetBytes, SegmentSamples);
    QVERIFY(cache.insert(Key,
        range(Epoch, all.stamps.back() + 1),
        stampSpan(all, 0, count),
        valueSpan(all, 0, count)));
    QCOMPARE(cache.segmentCount(Key), std::size_t(3));
    QCOMPARE(cache.covered(Key).size(), std::size_t(1));
    for (int k = 0; k < 20; ++k)
        checkView(cache, all, randomView(random, all));
    checkView(cache, all, { Epoch, all.stamps.back() + 1, 1920, Epoch, NoGapLimit });
    checkView(cache, all, { Epoch, all.stamps.back() + 1, 7, Epoch, 1400 });
}

void TestHistoryCache::spikeSurvives_data()
{
    QTest::addColumn<int>("spikeAt");
    QTest::addColumn<double>("spike");
    QTest::newRow("high, mid-column") << 123'457 << 1000.0;
    QTest::newRow("low, mid-column") << 654'321 << -1000.0;
    QTest::newRow("high, first of its column") << 500'000 << 1000.0;
    QTest::newRow("low, last sample") << 999'999 << -1000.0;
}

void TestHistoryCache::spikeSurvives()
{
    QFETCH(int, spikeAt);
    QFETCH(double, spike);
    // 1,000,000 samples 1 µs apart, noise in [-1, 1], inserted in 100 reads of 10,000.
    QRandomGenerator random(11);
    Samples all;
    for (std::size_t i = 0; i < 1'000'000; ++i)
        all.add(Epoch + std::int64_t(i) * 1000, random.generateDouble() * 2 - 1);
    all.values[std::size_t(spikeAt)] = spike;
    HistoryCache cache;
    for (std::size_t from = 0; from < all.size(); from += 10'000) {
        const std::size_t to = from + 10'000;
        const std::int64_t end = to < all.size() ? all.stamps[to] : all.stamps.back() + 1;
        QVERIFY(cache.insert(Key,
            range(all.stamps[from], end),
            stampSpan(all, from, to),
            valueSpan(all, from, to)));
    }
    QCOMPARE(cache.sampleCount(Key), all.size());
    for (const int columns : { 1000, 1920, 1 }) {
        PlotPoints out;
        cache.view(Key, Epoch, Epoch + 1'000'000'000, columns, Epoch, NoGapLimit, out);
        QVERIFY(out.keys.size() <= 4 * columns + 2);
        const auto at = std::ranges::find(out.values, spike);
        QVERIFY(at != out.values.end());
        QCOMPARE(out.keys[at - out.values.begin()], double(spikeAt) * 1e-6);
        QCOMPARE(std::ranges::count(out.values, spike), 1);
        checkView(cache, all, { Epoch, Epoch + 1'000'000'000, columns, Epoch, NoGapLimit });
    }
}

void TestHistoryCache::uncoveredTimeBreaksTheLine()
{
    // Samples every 10 ns in [0, 100) and [200, 300); [100, 200) never read.
    HistoryCache cache;
    Samples all;
    for (std::int64_t t = 0; t < 300; t += 10)
        all.add(t, double(t));
    const auto insert = [&](std::int64_t a, std::int64_t b) {
        const std::size_t from = all.lowerBound(a);
        const std::size_t to = all.lowerBound(b);
        return cache.insert(Key, range(a, b), stampSpan(all, from, to), valueSpan(all, from, to));
    };
    QVERIFY(insert(0, 100));
    QVERIFY(insert(200, 300));
    PlotPoints out;
    cache.view(Key, 0, 300, 300, 0, NoGapLimit, out);
    QCOMPARE(std::ranges::count_if(out.values, [](double v) { return std::isnan(v); }), 1);
    const auto breakAt = std::ranges::find_if(out.values, [](double v) { return std::isnan(v); });
    QCOMPARE(out.keys[breakAt - out.values.begin()], 145e-9); // between 90 and 200
    QCOMPARE(out.values[breakAt - out.values.begin() - 1], 90.0);
    QCOMPARE(out.values[breakAt - out.values.begin() + 1], 200.0);
    // Once read, the line is whole.
    QVERIFY(insert(100, 200));
    QCOMPARE(cache.segmentCount(Key), std::size_t(1));
    cache.view(Key, 0, 300, 300, 0, NoGapLimit, out);
    QCOMPARE(std::ranges::count_if(out.values, [](double v) { return std::isnan(v); }), 0);
    QCOMPARE(out.keys.size(), qsizetype(30));
    // A covered stretch without samples is no gap: only gapAfter breaks it.
    HistoryCache sparse;
    QVERIFY(
        sparse.insert(Key, range(0, 100), std::vector<std::int64_t> { 5 }, std::vector { 1.0 }));
    QVERIFY(sparse.insert(Key, range(100, 200), {}, {}));
    QVERIFY(sparse.insert(Key,
        range(200, 300),
        std::vector<std::int64_t> { 250 },
        std::vector { 2.0 }));
    sparse.view(Key, 0, 300, 10, 0, NoGapLimit, out);
    QCOMPARE(out.values, (QList { 1.0, 2.0 }));
    sparse.view(Key, 0, 300, 10, 0, 100, out);
    QCOMPARE(out.values.size(), qsizetype(3));
    QVERIFY(std::isnan(out.values[1]));
}

void TestHistoryCache::viewOfNothing()
{
    HistoryCache cache;
    PlotPoints out;
    out.keys = { 1.0 };
    out.values = { 1.0 };
    cache.view(Key, 0, 100, 10, 0, NoGapLimit, out);
    QVERIFY(out.keys.isEmpty() && out.values.isEmpty());
    QVERIFY(
        cache.insert(Key, range(0, 100), std::vector<std::int64_t> { 50 }, std::vector { 3.0 }));
    cache.view(Key, 100, 50, 10, 0, NoGapLimit, out); // reversed
    QVERIFY(out.keys.isEmpty());
    cache.view(Key, 0, 100, 0, 0, NoGapLimit, out); // no columns
    QVERIFY(out.keys.isEmpty());
    cache.view(Key, 200, 300, 10, 0, NoGapLimit, out); // only the sample before
    QCOMPARE(out.values, QList { 3.0 });
}

void TestHistoryCache::statsMatchBruteForce_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 30; ++seed)
        QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
}

void TestHistoryCache::statsMatchBruteForce()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    Samples all = randomSamples(random, std::size_t(random.bounded(1, 300'000)), false);
    const bool withNaN = seed % 5 == 0;
    if (withNaN) {
        for (double& v : all.values)
            v = random.bounded(20) == 0 ? NaN : v;
    }
    std::vector<TimeRange> pieces
        = randomCuts(random, all.stamps.front(), all.stamps.back() + 1, random.bounded(1, 30));
    std::erase_if(pieces, [&](const TimeRange&) { return random.bounded(5) == 0; });
    HistoryCache cache;
    insertRanges(cache, all, pieces);
    const Samples held = coveredSamples(all, pieces);
    const std::int64_t first = all.stamps.front();
    const double span = double(all.stamps.back() - first);
    for (int k = 0; k < 200; ++k) {
        std::int64_t a = first + std::int64_t((random.generateDouble() * 1.2 - 0.1) * span);
        std::int64_t b = first + std::int64_t((random.generateDouble() * 1.2 - 0.1) * span);
        if (a > b)
            std::swap(a, b);
        const auto got = cache.stats(Key, range(a, b));
        const auto expected = bruteStats(held, range(a, b));
        QCOMPARE(got.has_value(), expected.has_value());
        if (!got)
            continue;
        QCOMPARE(got->count, expected->count);
        const auto same = [](CachedSample x, CachedSample y) {
            return x.stamp == y.stamp
                && (x.value == y.value || (std::isnan(x.value) && std::isnan(y.value)));
        };
        QVERIFY(same(got->first, expected->first));
        QVERIFY(same(got->last, expected->last));
        QCOMPARE(std::isnan(got->mean), std::isnan(expected->mean));
        if (!withNaN) {
            QCOMPARE(got->min, expected->min);
            QCOMPARE(got->max, expected->max);
            QVERIFY(std::abs(got->mean - expected->mean) <= 1e-12 * double(got->count));
        }
    }
}

void TestHistoryCache::atOrBefore()
{
    HistoryCache cache;
    QVERIFY(!cache.atOrBefore(Key, TimeStamp(5)));
    // [0, 100): 10, 20; [100, 200): 150; [300, 400): 310
    QVERIFY(cache.insert(Key,
        range(0, 100),
        std::vector<std::int64_t> { 10, 20 },
        std::vector { 1.0, 2.0 }));
    QVERIFY(
        cache.insert(Key, range(100, 200), std::vector<std::int64_t> { 150 }, std::vector { 3.0 }));
    QVERIFY(
        cache.insert(Key, range(300, 400), std::vector<std::int64_t> { 310 }, std::vector { 4.0 }));
    QCOMPARE(cache.segmentCount(Key), std::size_t(2));
    QVERIFY(!cache.atOrBefore(Key, TimeStamp(5))); // covered, but nothing before it
    QCOMPARE(*cache.atOrBefore(Key, TimeStamp(10)), (CachedSample { TimeStamp(10), 1.0 }));
    QCOMPARE(*cache.atOrBefore(Key, TimeStamp(19)), (CachedSample { TimeStamp(10), 1.0 }));
    QCOMPARE(*cache.atOrBefore(Key, TimeStamp(149)), (CachedSample { TimeStamp(20), 2.0 }));
    QCOMPARE(*cache.atOrBefore(Key, TimeStamp(199)), (CachedSample { TimeStamp(150), 3.0 }));
    QVERIFY(!cache.atOrBefore(Key, TimeStamp(250))); // not covered
    QVERIFY(!cache.atOrBefore(Key, TimeStamp(305))); // uncovered time before it
    QCOMPARE(*cache.atOrBefore(Key, TimeStamp(399)), (CachedSample { TimeStamp(310), 4.0 }));
    QVERIFY(!cache.atOrBefore(Key, TimeStamp(400)));
    QVERIFY(!cache.atOrBefore(Key + 1, TimeStamp(20)));
}

void TestHistoryCache::evictsLeastRecentlyUsed()
{
    // Four separate reads of 100 k samples; the budget holds three.
    constexpr std::int64_t Second = 1'000'000'000;
    constexpr std::size_t Count = 100'000;
    const auto read = [&](HistoryCache& cache, int k) {
        std::vector<std::int64_t> stamps(Count);
        std::vector<double> values(Count);
        for (std::size_t i = 0; i < Count; ++i) {
            stamps[i] = k * 10 * Second + std::int64_t(i) * 10'000;
            values[i] = double(i % 17);
        }
        return cache.insert(Key, range(k * 10 * Second, k * 10 * Second + Second), stamps, values);
    };
    HistoryCache probe;
    QVERIFY(read(probe, 0));
    const std::size_t perRead = probe.memoryBytes();
    HistoryCache cache(perRead * 3 + perRead / 2);
    QVERIFY(read(cache, 0));
    QVERIFY(read(cache, 1));
    QVERIFY(read(cache, 2));
    PlotPoints out;
    cache.view(Key, 0, Second, 100, 0, NoGapLimit, out); // read 0 is now the most recent
    QVERIFY(read(cache, 3));
    QVERIFY(cache.memoryBytes() <= cache.budgetBytes());
    QCOMPARE(cache.segmentCount(Key), std::size_t(3));
    QVERIFY(cache.missing(Key, range(0, Second)).empty());
    QCOMPARE(cache.missing(Key, range(10 * Second, 11 * Second)),
        std::vector { range(10 * Second, 11 * Second) });
    QVERIFY(cache.missing(Key, range(20 * Second, 21 * Second)).empty());
    QVERIFY(cache.missing(Key, range(30 * Second, 31 * Second)).empty());
    // Reading it back evicts the next least recently used: read 2.
    QVERIFY(read(cache, 1));
    QVERIFY(!cache.missing(Key, range(20 * Second, 21 * Second)).empty());
    QVERIFY(cache.missing(Key, range(0, Second)).empty());
    // A smaller budget evicts at once.
    cache.setBudgetBytes(perRead + perRead / 2);
    QCOMPARE(cache.segmentCount(Key), std::size_t(1));
    QVERIFY(cache.missing(Key, range(10 * Second, 11 * Second)).empty());
}

void TestHistoryCache::staysWithinBudget()
{
    // Many channels read in chunks: memory never exceeds the budget after an insert.
    constexpr std::size_t Budget = 8u << 20;
    HistoryCache cache(Budget);
    QRandomGenerator random(5);
    for (int k = 0; k < 200; ++k) {
        const auto key = sightline::core::ChannelKey(random.bounded(1, 6));
        const std::int64_t start = std::int64_t(random.bounded(0, 1000)) * 1'000'000;
        const std::size_t count = std::size_t(random.bounded(1, 50'000));
        std::vector<std::int64_t> stamps(count);
        for (std::size_t i = 0; i < count; ++i)
            stamps[i] = start + std::int64_t(i) * 10;
        QVERIFY(cache.insert(key,
            range(start, start + std::int64_t(count) * 10),
            stamps,
            std::vector<double>(count, 1.0)));
        QVERIFY(cache.memoryBytes() <= Budget);
    }
    QVERIFY(cache.memoryBytes() > Budget / 2);
}

void TestHistoryCache::memoryPerSample_data()
{
    // Stamps: regular, jittery (under 2^32 ns per 64 samples) or sparse (over); values that
    // are all floats or not. The least is what the samples need (values 4 or 8 B, stamps 0, 4
    // or 8 B); the most adds 0.38 B of stamp blocks, 0.47 B of pyramid and some slack, with a
    // quarter more for the growth room of appended reads.
    QTest::addColumn<int>("stamps");
    QTest::addColumn<bool>("floats");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<double>("minBytesPerSample");
    QTest::addColumn<double>("maxBytesPerSample");
    QTest::newRow("regular float32, one read") << 0 << true << 0 << 4.0 << 5.0;
    QTest::newRow("regular float32, reads of 10 k") << 0 << true << 10'000 << 4.0 << 5.0 * 1.25;
    QTest::newRow("jittery float32") << 1 << true << 0 << 8.0 << 9.0;
    QTest::newRow("regular float64") << 0 << false << 0 << 8.0 << 9.0;
    QTest::newRow("sparse float64, one read") << 2 << false << 0 << 16.0 << 17.0;
    QTest::newRow("sparse float64, reads of 10 k") << 2 << false << 10'000 << 16.0 << 17.0 * 1.25;
}

void TestHistoryCache::memoryPerSample()
{
    QFETCH(int, stamps);
    QFETCH(bool, floats);
    QFETCH(int, chunk);
    QFETCH(double, minBytesPerSample);
    QFETCH(double, maxBytesPerSample);
    constexpr std::size_t Count = 3'000'000;
    const std::int64_t period = stamps == 2 ? 100'000'000 : 1000;
    std::vector<std::int64_t> stampsOf(Count);
    std::vector<double> values(Count);
    QRandomGenerator random(5);
    for (std::size_t i = 0; i < Count; ++i) {
        stampsOf[i] = std::int64_t(i) * period + (stamps == 0 ? 0 : random.bounded(0, 100));
        values[i] = floats ? double(float(std::sin(double(i)))) : std::sin(double(i));
    }
    HistoryCache cache;
    const std::size_t step = chunk == 0 ? Count : std::size_t(chunk);
    for (std::size_t from = 0; from < Count; from += step) {
        const std::size_t to = std::min(from + step, Count);
        QVERIFY(cache.insert(Key,
            range(std::int64_t(from) * period, std::int64_t(to) * period),
            std::span(stampsOf).subspan(from, to - from),
            std::span(values).subspan(from, to - from)));
    }
    QCOMPARE(cache.sampleCount(Key), Count);
    const double perSample = double(cache.memoryBytes()) / double(Count);
    qInfo("%.3f bytes per sample in %zu segments", perSample, cache.segmentCount(Key));
    QVERIFY2(perSample >= minBytesPerSample, qPrintable(QString::number(perSample)));
    QVERIFY2(perSample <= maxBytesPerSample, qPrintable(QString::number(perSample)));
}

void TestHistoryCache::forgetAndClear()
{
    HistoryCache cache;
    const std::size_t empty = cache.memoryBytes();
    QVERIFY(cache.insert(Key,
        range(0, 100),
        std::vector<std::int64_t> { 1, 2 },
        std::vector { 1.0, 2.0 }));
    QVERIFY(
        cache.insert(Key + 1, range(0, 100), std::vector<std::int64_t> { 3 }, std::vector { 3.0 }));
    QVERIFY(cache.memoryBytes() > empty);
    cache.forget(Key);
    QCOMPARE(cache.sampleCount(Key), std::size_t(0));
    QCOMPARE(cache.missing(Key, range(0, 100)).size(), std::size_t(1));
    QCOMPARE(cache.sampleCount(Key + 1), std::size_t(1));
    cache.clear();
    QCOMPARE(cache.sampleCount(Key + 1), std::size_t(0));
    QCOMPARE(cache.memoryBytes(), empty);
}

void TestHistoryCache::stampColumnHoldsWhatWasAppended_data()
{
    QTest::addColumn<int>("seed");
    for (int seed = 1; seed <= 20; ++seed)
        QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
}

void TestHistoryCache::stampColumnHoldsWhatWasAppended()
{
    // Stamps mixing every block kind, appended in random pieces (most ending mid-block) as
    // spans or as other columns; every stamp and every bound must come back exactly.
    using sightline::core::store::detail::StampColumn;
    QFETCH(int, seed);
    QRandomGenerator random { quint32(seed) };
    std::vector<std::int64_t> all;
    std::int64_t stamp = Epoch;
    for (int run = 0; run < 40; ++run) {
        const int kind = random.bounded(3);
        const int length = random.bounded(1, 300);
        for (int i = 0; i < length; ++i) {
            stamp += kind == 0 ? 1000
                : kind == 1    ? random.bounded(1, 2000)
                               : random.bounded(1, 300'000'000);
            all.push_back(stamp);
        }
    }
    StampColumn column;
    for (std::size_t from = 0; from < all.size();) {
        const std::size_t to = std::min(all.size(), from + std::size_t(random.bounded(1, 500)));
        const std::span piece = std::span(all).subspan(from, to - from);
        if (random.bounded(2) == 0) {
            column.append(piece, all.size(), random.bounded(2) == 0);
        } else {
            StampColumn other;
            other.append(piece, piece.size(), true);
            column.append(other, all.size(), false);
        }
        from = to;
    }
    QCOMPARE(column.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        QCOMPARE(column.at(i), all[i]);
    for (int probe = 0; probe < 2000; ++probe) {
        const std::int64_t t = probe % 3 == 0
            ? all[std::size_t(random.bounded(int(all.size())))]
            : all.front() - 10 + std::int64_t(random.generateDouble() * double(stamp - Epoch + 20));
        QCOMPARE(column.lowerBound(t), std::size_t(std::ranges::lower_bound(all, t) - all.begin()));
        QCOMPARE(column.upperBound(t), std::size_t(std::ranges::upper_bound(all, t) - all.begin()));
    }
    QVERIFY(column.bytes() < all.size() * sizeof(std::int64_t) * 2);
}

void TestHistoryCache::valueColumnWidensOnlyWhenItMust()
{
    using sightline::core::store::detail::ValueColumn;
    const double inf = std::numeric_limits<double>::infinity();
    ValueColumn column;
    column.append(std::vector { 1.5, -2.0, inf, -inf, 16777216.0 }, 100, false);
    QVERIFY(column.isNarrow());
    column.append(std::vector { NaN, double(3.1f) }, 100, false);
    QVERIFY(column.isNarrow());
    QVERIFY(std::isnan(column.at(5)));
    ValueColumn wide;
    wide.append(std::vector { 0.1 }, 1, true); // not a float
    QVERIFY(!wide.isNarrow());
    column.append(wide, 100, false);
    QVERIFY(!column.isNarrow());
    column.append(std::vector { 1e300 }, 100, false); // beyond float's range
    const std::vector expected { 1.5, -2.0, inf, -inf, 16777216.0, NaN, double(3.1f), 0.1, 1e300 };
    QCOMPARE(column.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (std::isnan(expected[i]))
            QVERIFY(std::isnan(column.at(i)));
        else
            QCOMPARE(column.at(i), expected[i]);
    }
    ValueColumn big;
    big.append(std::vector { 16777217.0 }, 1, true); // an integer float cannot hold
    QVERIFY(!big.isNarrow());
    QCOMPARE(big.at(0), 16777217.0);
}

QTEST_GUILESS_MAIN(TestHistoryCache)
void TestHistoryCache::growableArrayKeepsValuesAcrossMovesOfItsPages()
{
    // Grown a little at a time from the heap into a mapping of its own (and far beyond, so
    // its pages move), shrunk back below a mapping, copied and moved: every value stays.
    using sightline::core::store::detail::GrowableArray;
    using sightline::core::store::detail::GrowableStorage;
    constexpr std::size_t Count = 3 * GrowableStorage::MappedBytes / sizeof(std::int64_t);
    GrowableArray<std::int64_t> array;
    const auto holdsIota = [](const GrowableArray<std::int64_t>& a, std::size_t count) {
        if (a.size() != count)
            return false;
        for (std::size_t i = 0; i < count; ++i) {
            if (a[i] != std::int64_t(i) * 7)
                return false;
        }
        return true;
    };
    for (std::size_t i = 0; i < Count; ++i) {
        if (i % 10000 == 0)
            array.reserve(i + i / 4 + 64); // as the columns grow: a quarter at a time
        array.push_back(std::int64_t(i) * 7);
    }
    QVERIFY(holdsIota(array, Count));
    QVERIFY(array.capacity() * sizeof(std::int64_t) >= GrowableStorage::MappedBytes);
    array.resize(Count + 5); // new values are zero
    QCOMPARE(array.back(), std::int64_t(0));
    array.resize(Count);
    GrowableArray<std::int64_t> copy = array;
    QVERIFY(holdsIota(copy, Count));
    QCOMPARE(copy.capacity(), Count); // copies are sized exactly
    array.resize(1000);
    array.shrink_to_fit(); // back onto the heap
    QVERIFY(holdsIota(array, 1000));
    QCOMPARE(array.capacity(), std::size_t(1000));
    GrowableArray<std::int64_t> moved = std::move(copy);
    QVERIFY(holdsIota(moved, Count));
    QVERIFY(copy.empty());
    copy = moved;
    moved = {};
    QVERIFY(moved.empty());
    QCOMPARE(moved.capacity(), std::size_t(0));
    QVERIFY(holdsIota(copy, Count));
    GrowableArray<double> widened;
    widened.assign(array.begin(), array.end());
    QCOMPARE(widened.size(), std::size_t(1000));
    QCOMPARE(widened[999], 999.0 * 7);
}

#include "tst_history_cache.moc"
