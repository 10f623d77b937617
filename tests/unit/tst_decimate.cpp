#include "core/decimate/extremes.h"
#include "core/decimate/m4.h"
#include "core/store/live_buffer.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <span>
#include <vector>

#include "support/vector_source.h"

using namespace Qt::StringLiterals;
using sightline::core::decimate::decimateM4;
using sightline::core::decimate::PlotPoints;
using sightline::core::decimate::SampleSource;
using sightline::core::store::LiveBuffer;

namespace {

using sightline::test::VectorSource;

/// Lacks gapBefore(), so it is not a SampleSource.
struct SourceWithoutGaps
{
    [[nodiscard]] std::size_t size() const { return 0; }
    [[nodiscard]] std::int64_t stampAt(std::size_t) const { return 0; }
    [[nodiscard]] double valueAt(std::size_t) const { return 0; }
    [[nodiscard]] std::size_t lowerBound(std::int64_t) const { return 0; }
};

static_assert(SampleSource<VectorSource>);
static_assert(SampleSource<LiveBuffer>);
static_assert(!SampleSource<SourceWithoutGaps>);

constexpr std::int64_t NoGapLimit = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t Millisecond = 1'000'000;
/// A realistic epoch (2023-11-14) in ns.
constexpr std::int64_t Epoch = 1'700'000'000'000'000'000;

using sightline::test::View;

/// Which SampleSource decimateM4 reads the samples from.
enum class Via { Vector, Buffer };

/// The samples of `source` in a LiveBuffer whose ring has wrapped (sample 0 not in slot 0).
LiveBuffer wrappedBufferOf(const VectorSource& source)
{
    LiveBuffer buffer(std::max<std::size_t>(source.size(), 1));
    if (source.size() == 0)
        return buffer;
    const std::size_t filler = source.size() / 3 + 1;
    std::vector<std::int64_t> older(filler);
    for (std::size_t k = 0; k < filler; ++k)
        older[k] = source.stamps[0] - static_cast<std::int64_t>(filler - k);
    buffer.append(older, std::vector<double>(filler, -7.0));
    const std::span<const std::int64_t> stamps(source.stamps);
    const std::span<const double> values(source.values);
    std::size_t from = 0;
    while (from < source.size()) {
        std::size_t to = from + 1;
        while (to < source.size() && !source.gapBefore(to))
            ++to;
        if (source.gapBefore(from))
            buffer.markGap();
        buffer.append(stamps.subspan(from, to - from), values.subspan(from, to - from));
        from = to;
    }
    return buffer;
}

PlotPoints decimate(const VectorSource& source, const View& view, Via via)
{
    PlotPoints out;
    out.keys = { 42.0 }; // stale content the call must clear
    out.values = { 42.0 };
    if (via == Via::Buffer) {
        const LiveBuffer buffer = wrappedBufferOf(source);
        decimateM4(buffer, view.start, view.end, view.columns, view.origin, view.gapAfter, out);
    } else {
        decimateM4(source, view.start, view.end, view.columns, view.origin, view.gapAfter, out);
    }
    return out;
}

double keyOf(std::int64_t stamp, std::int64_t origin)
{
    return static_cast<double>(stamp - origin) / 1e9;
}

/// A row named for its source, its first column `via`.
QTestData& addRow(const QString& name, Via via)
{
    return QTest::newRow(qPrintable(name + (via == Via::Vector ? u" / vector"_s : u" / buffer"_s)))
        << int(via);
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

constexpr std::ptrdiff_t LineBreak = -1;
constexpr std::ptrdiff_t NoSample = -2;

/// For each output point, the index of the sample it is (same key and value), LineBreak for a
/// NaN, NoSample when no sample matches.
std::vector<std::ptrdiff_t> samplesOf(
    const VectorSource& source, const PlotPoints& out, std::int64_t origin)
{
    std::vector<double> keys(source.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        keys[i] = keyOf(source.stamps[i], origin);
    std::vector<std::ptrdiff_t> found;
    for (qsizetype p = 0; p < out.keys.size(); ++p) {
        if (std::isnan(out.values[p])) {
            found.push_back(LineBreak);
            continue;
        }
        const auto at = std::lower_bound(keys.begin(), keys.end(), out.keys[p]);
        const auto index = at - keys.begin();
        const bool same = at != keys.end() && *at == out.keys[p]
            && source.values[std::size_t(index)] == out.values[p];
        found.push_back(same ? index : NoSample);
    }
    return found;
}

/// The first, last, minimum and maximum of the samples of one column.
struct ColumnTruth
{
    std::size_t first = 0;
    std::size_t last = 0;
    double min = 0;
    double max = 0;
};

std::map<long long, ColumnTruth> columnTruths(const VectorSource& source, const View& view)
{
    std::map<long long, ColumnTruth> truths;
    for (std::size_t i = source.lowerBound(view.start); i < source.lowerBound(view.end); ++i) {
        const auto [at, fresh] = truths.try_emplace(exactColumn(source.stamps[i], view));
        ColumnTruth& truth = at->second;
        if (fresh)
            truth = { i, i, source.values[i], source.values[i] };
        truth.last = i;
        truth.min = std::min(truth.min, source.values[i]);
        truth.max = std::max(truth.max, source.values[i]);
    }
    return truths;
}

/// Checks `out` against a brute-force reference, for samples without gaps: every point is a
/// sample unchanged, in time order; outside the view exactly the sample before and the one
/// after; in each column at most 4 samples, among them its first, last, min and max.
void checkM4(const VectorSource& source, const View& view, const PlotPoints& out)
{
    QCOMPARE(out.keys.size(), out.values.size());
    QVERIFY(out.keys.size() <= 4 * view.columns + 2);
    const std::vector<std::ptrdiff_t> picks = samplesOf(source, out, view.origin);
    QVERIFY2(std::ranges::find(picks, NoSample) == picks.end(), "a point that is no sample");
    QVERIFY2(std::ranges::find(picks, LineBreak) == picks.end(), "a line break without a gap");
    QVERIFY2(std::ranges::adjacent_find(picks, std::greater_equal {}) == picks.end(),
        "keys not increasing");

    const std::size_t first = source.lowerBound(view.start);
    const std::size_t last = source.lowerBound(view.end);
    std::vector<std::ptrdiff_t> outside;
    std::map<long long, std::vector<std::size_t>> picked;
    for (const std::ptrdiff_t pick : picks) {
        const auto index = std::size_t(pick);
        if (index < first || index >= last)
            outside.push_back(pick);
        else
            picked[exactColumn(source.stamps[index], view)].push_back(index);
    }
    std::vector<std::ptrdiff_t> edges;
    if (first > 0)
        edges.push_back(std::ptrdiff_t(first - 1));
    if (last < source.size())
        edges.push_back(std::ptrdiff_t(last));
    QCOMPARE(outside, edges);

    const auto truths = columnTruths(source, view);
    QCOMPARE(picked.size(), truths.size());
    for (const auto& [column, truth] : truths) {
        const std::vector<std::size_t>& got = picked[column];
        const auto hasValue = [&](double value) {
            return std::ranges::any_of(got,
                [&](std::size_t i) { return source.values[i] == value; });
        };
        const auto where = [&](const char* what) {
            return QByteArray("column " + QByteArray::number(column) + what);
        };
        QVERIFY2(got.size() <= 4, where(" has more than 4 points").constData());
        QVERIFY2(std::ranges::find(got, truth.first) != got.end(),
            where(" lost its first").constData());
        QVERIFY2(std::ranges::find(got, truth.last) != got.end(),
            where(" lost its last").constData());
        QVERIFY2(hasValue(truth.min), where(" lost its minimum").constData());
        QVERIFY2(hasValue(truth.max), where(" lost its maximum").constData());
    }
}

/// Samples at 0, step, 2·step, … with values sin(i).
VectorSource regular(std::size_t count, std::int64_t step, std::int64_t first = 0)
{
    VectorSource source;
    for (std::size_t i = 0; i < count; ++i)
        source.add(first + static_cast<std::int64_t>(i) * step, std::sin(double(i)));
    return source;
}

/// Random stamps and values; about half the views end exactly on a sample.
std::pair<VectorSource, View> randomCase(quint32 seed)
{
    QRandomGenerator random(seed);
    VectorSource source;
    const auto count = std::size_t(random.bounded(1, 5000));
    const bool bursty = random.bounded(2) == 0;
    const bool coarseValues = random.bounded(3) == 0; // many equal values
    std::int64_t stamp = random.bounded(-100'000, 100'000);
    for (std::size_t i = 0; i < count; ++i) {
        stamp += bursty && random.bounded(50) == 0 ? random.bounded(1, 200'000)
                                                   : random.bounded(1, 2000);
        const double value
            = coarseValues ? double(random.bounded(5)) : random.generateDouble() * 2 - 1;
        source.add(stamp, value);
    }
    View view;
    view.columns = random.bounded(1, 400);
    view.origin = source.stamps[std::size_t(random.bounded(int(count)))];
    view.start = source.stamps[std::size_t(random.bounded(int(count)))] - random.bounded(3);
    view.end = random.bounded(2) == 0 ? source.stamps[std::size_t(random.bounded(int(count)))]
                                      : view.start + random.bounded(1, 10'000'000);
    if (view.end <= view.start)
        view.end = view.start + source.stamps.back() - source.stamps.front() + 1;
    // Pixel edges exact (width an integer) or never on an integer stamp (coprime), so the
    // reference's integer columns agree with any correctly rounded mapping.
    const auto sharedFactor = [&] { return std::gcd(view.end - view.start, view.columns); };
    while (sharedFactor() != 1 && sharedFactor() != view.columns)
        ++view.end;
    return { source, view };
}

/// Output points with a NaN value.
qsizetype breaksIn(const PlotPoints& out)
{
    return std::ranges::count_if(out.values, [](double v) { return std::isnan(v); });
}

} // namespace

class TestDecimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesBruteForce_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<quint32>("seed");
        for (quint32 seed = 1; seed <= 60; ++seed) {
            for (const Via via : { Via::Vector, Via::Buffer })
                addRow(u"seed %1"_s.arg(seed), via) << seed;
        }
    }
    void matchesBruteForce()
    {
        QFETCH(int, via);
        QFETCH(quint32, seed);
        const auto [source, view] = randomCase(seed);
        checkM4(source, view, decimate(source, view, Via(via)));
    }

    void atMostFourPointsPerColumn_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<int>("columns");
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"1 column"_s, via) << 1;
            addRow(u"10 columns"_s, via) << 10;
            addRow(u"333 columns"_s, via) << 333;
        }
    }
    void atMostFourPointsPerColumn()
    {
        QFETCH(int, via);
        QFETCH(int, columns);
        QRandomGenerator random(7);
        VectorSource source;
        for (std::int64_t t = 0; t < 100'000; t += 7)
            source.add(t, random.generateDouble());
        const View view { 3'000, 90'000, columns };
        const PlotPoints out = decimate(source, view, Via(via));
        QVERIFY(out.keys.size() <= 4 * columns + 2);
        QVERIFY(out.keys.size() >= 2 * columns + 2);
        checkM4(source, view, out);
    }

    void spikeSurvives_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<int>("spikeAt");
        QTest::addColumn<double>("spike");
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"high, mid-column"_s, via) << 123'457 << 1000.0;
            addRow(u"low, mid-column"_s, via) << 654'321 << -1000.0;
            addRow(u"high, first of its column"_s, via) << 500'000 << 1000.0;
            addRow(u"low, last sample"_s, via) << 999'999 << -1000.0;
        }
    }
    void spikeSurvives()
    {
        QFETCH(int, via);
        QFETCH(int, spikeAt);
        QFETCH(double, spike);
        // 1,000,000 samples 1 µs apart, noise in [-1, 1]; 1000 columns of 1000 samples.
        QRandomGenerator random(11);
        VectorSource source;
        source.stamps.resize(1'000'000);
        source.values.resize(source.stamps.size());
        for (std::size_t i = 0; i < source.size(); ++i) {
            source.stamps[i] = Epoch + static_cast<std::int64_t>(i) * 1000;
            source.values[i] = random.generateDouble() * 2 - 1;
        }
        source.values[std::size_t(spikeAt)] = spike;
        const View view { Epoch, Epoch + 1'000'000'000, 1000, Epoch };
        const PlotPoints out = decimate(source, view, Via(via));

        const long long spikeColumn = exactColumn(source.stamps[std::size_t(spikeAt)], view);
        std::map<long long, std::pair<double, double>> minMax; // per column, from the output
        for (const std::ptrdiff_t pick : samplesOf(source, out, view.origin)) {
            QVERIFY(pick >= 0);
            const double value = source.values[std::size_t(pick)];
            const auto [at, fresh]
                = minMax.try_emplace(exactColumn(source.stamps[std::size_t(pick)], view),
                    value,
                    value);
            at->second = { std::min(at->second.first, value), std::max(at->second.second, value) };
        }
        QCOMPARE(qsizetype(minMax.size()), qsizetype(1000));
        for (const auto& [column, range] : minMax) {
            const double extreme = spike > 0 ? range.second : range.first;
            if (column == spikeColumn)
                QCOMPARE(extreme, spike);
            else
                QVERIFY2(std::abs(extreme) <= 1.0, qPrintable(u"column %1"_s.arg(column)));
        }
        checkM4(source, view, out);
    }

    void edgesAndColumnEnds_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<int>("columns");
        QTest::addColumn<int>("before"); // index of the sample before the view, -1 for none
        QTest::addColumn<int>("after"); // index of the sample after it, -1 for none
        // Samples every 1000 ns from 0 to 2,000,000.
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"between samples"_s, via) << qint64(10'500) << qint64(50'500) << 8 << 10 << 51;
            addRow(u"on samples"_s, via) << qint64(10'000) << qint64(50'000) << 8 << 9 << 50;
            addRow(u"view starts before the data"_s, via)
                << qint64(-5'000) << qint64(20'500) << 5 << -1 << 21;
            addRow(u"view ends after the data"_s, via)
                << qint64(1'980'500) << qint64(3'000'000) << 5 << 1980 << -1;
            addRow(u"data inside the view"_s, via)
                << qint64(-1) << qint64(2'000'001) << 50 << -1 << -1;
            addRow(u"end on a sample, width not whole"_s, via)
                << qint64(0) << qint64(1'000'000) << 7 << -1 << 1000;
            addRow(u"end on a sample, 3 columns"_s, via)
                << qint64(1'000) << qint64(1'000'000) << 3 << 0 << 1000;
            addRow(u"view between two samples"_s, via)
                << qint64(10'100) << qint64(10'900) << 4 << 10 << 11;
        }
    }
    void edgesAndColumnEnds()
    {
        QFETCH(int, via);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(int, columns);
        QFETCH(int, before);
        QFETCH(int, after);
        const VectorSource source = regular(2001, 1000);
        const View view { start, end, columns };
        const PlotPoints out = decimate(source, view, Via(via));
        QVERIFY(!out.keys.isEmpty());
        if (before >= 0)
            QCOMPARE(out.keys.first(), keyOf(source.stamps[std::size_t(before)], 0));
        else
            QCOMPARE(out.keys.first(), keyOf(source.stamps[source.lowerBound(start)], 0));
        if (after >= 0)
            QCOMPARE(out.keys.last(), keyOf(source.stamps[std::size_t(after)], 0));
        else
            QCOMPARE(out.keys.last(), keyOf(source.stamps.back(), 0));
        checkM4(source, view, out);
    }

    void longGapBreaksTheLineOnce_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<int>("columns");
        QTest::addColumn<qint64>("gapAfter");
        QTest::addColumn<bool>("breaks");
        // Runs at 0..9 ms and 20..29 ms: an 11 ms gap.
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"gap inside a column"_s, via) << 1 << qint64(5 * Millisecond) << true;
            addRow(u"gap between columns"_s, via) << 3 << qint64(5 * Millisecond) << true;
            addRow(u"many columns"_s, via) << 1000 << qint64(5 * Millisecond) << true;
            addRow(u"gap equal to gapAfter"_s, via) << 3 << qint64(11 * Millisecond) << false;
            addRow(u"gap shorter than gapAfter"_s, via) << 3 << qint64(20 * Millisecond) << false;
        }
    }
    void longGapBreaksTheLineOnce()
    {
        QFETCH(int, via);
        QFETCH(int, columns);
        QFETCH(qint64, gapAfter);
        QFETCH(bool, breaks);
        VectorSource source;
        for (std::int64_t ms :
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29 })
            source.add(ms * Millisecond, std::cos(double(ms)));
        const View view { 0, 30 * Millisecond, columns, 0, gapAfter };
        const PlotPoints out = decimate(source, view, Via(via));
        QCOMPARE(breaksIn(out), qsizetype(breaks ? 1 : 0));
        if (breaks)
            checkBreakBetween(source, out, 9 * Millisecond, 20 * Millisecond);
    }

    void markedGapBreaksTheLine_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<int>("columns");
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"1 column"_s, via) << 1;
            addRow(u"4 columns"_s, via) << 4;
            addRow(u"100 columns"_s, via) << 100;
        }
    }
    void markedGapBreaksTheLine()
    {
        QFETCH(int, via);
        QFETCH(int, columns);
        VectorSource source = regular(20, Millisecond);
        source.gaps.assign(source.size(), 0);
        source.gaps[10] = 1;
        const View view { 0, 20 * Millisecond, columns };
        const PlotPoints out = decimate(source, view, Via(via));
        QCOMPARE(breaksIn(out), qsizetype(1));
        checkBreakBetween(source, out, 9 * Millisecond, 10 * Millisecond);
    }

    void everySampleWhenColumnsOutnumberSamples_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<int>("columns");
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"as many columns as samples"_s, via) << 50;
            addRow(u"one more column"_s, via) << 51;
            addRow(u"twice as many"_s, via) << 100;
            addRow(u"many more"_s, via) << 5000;
        }
    }
    void everySampleWhenColumnsOutnumberSamples()
    {
        QFETCH(int, via);
        QFETCH(int, columns);
        // Samples every 100 ns; the view holds samples 21..70, with 20 and 71 as its edges.
        const VectorSource source = regular(100, 100);
        const View view { 2'050, 7'050, columns, 1'000 };
        const PlotPoints out = decimate(source, view, Via(via));
        QList<double> keys;
        QList<double> values;
        for (std::size_t i = 20; i <= 71; ++i) {
            keys.append(keyOf(source.stamps[i], view.origin));
            values.append(source.values[i]);
        }
        QVERIFY(out.keys == keys);
        QVERIFY(out.values == values);
    }

    void keysAreSecondsFromTheOrigin_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("origin");
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"epoch stamps, origin 0"_s, via) << qint64(Epoch) << qint64(0);
            addRow(u"origin at the first sample"_s, via) << qint64(Epoch) << qint64(Epoch);
            addRow(u"origin mid-way"_s, via) << qint64(Epoch) << qint64(Epoch + 12'345'678);
            addRow(u"origin after the data"_s, via) << qint64(-5'000) << qint64(3'000'000'000);
            addRow(u"odd nanoseconds"_s, via) << qint64(123'456'789) << qint64(1);
        }
    }
    void keysAreSecondsFromTheOrigin()
    {
        QFETCH(int, via);
        QFETCH(qint64, first);
        QFETCH(qint64, origin);
        const VectorSource source = regular(40, 777'777, first);
        const View view { first, first + 40 * 777'777, 100, origin };
        const PlotPoints out = decimate(source, view, Via(via));
        QCOMPARE(out.keys.size(), qsizetype(40));
        for (std::size_t i = 0; i < source.size(); ++i) {
            const double expected = static_cast<double>(source.stamps[i] - origin) / 1e9;
            QVERIFY2(out.keys[qsizetype(i)] == expected, qPrintable(u"sample %1"_s.arg(i)));
            QVERIFY(out.values[qsizetype(i)] == source.values[i]);
        }
    }

    void nothingForAnEmptyRequest_data()
    {
        QTest::addColumn<int>("via");
        QTest::addColumn<int>("samples");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<int>("columns");
        for (const Via via : { Via::Vector, Via::Buffer }) {
            addRow(u"empty source"_s, via) << 0 << qint64(0) << qint64(1000) << 10;
            addRow(u"end equals start"_s, via) << 10 << qint64(500) << qint64(500) << 10;
            addRow(u"end before start"_s, via) << 10 << qint64(800) << qint64(200) << 10;
            addRow(u"no columns"_s, via) << 10 << qint64(0) << qint64(1000) << 0;
            addRow(u"negative columns"_s, via) << 10 << qint64(0) << qint64(1000) << -3;
        }
    }
    void nothingForAnEmptyRequest()
    {
        QFETCH(int, via);
        QFETCH(int, samples);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(int, columns);
        const VectorSource source = regular(std::size_t(samples), 100);
        const PlotPoints out = decimate(source, View { start, end, columns }, Via(via));
        QVERIFY(out.keys.isEmpty());
        QVERIFY(out.values.isEmpty());
    }

    /// Each vectorised kernel's extremes equal the generic pass for every length (the tail, the
    /// lanes and the blocks, whose starts locate the extremes), with NaN runs, infinities, signed
    /// zeros and many equal values, and split in two at any point.
    void vectorisedExtremesEqualTheGenericPass()
    {
        using sightline::core::decimate::extremesOf;
        using sightline::core::decimate::extremesScalar;
        using sightline::core::decimate::Kernel;
        // Both kernels where the CPU has AVX2 (the SSE2 one only otherwise).
        std::vector<Kernel> kernels { Kernel::Sse2 };
        if (sightline::core::decimate::fastestKernel() == Kernel::Avx2)
            kernels.push_back(Kernel::Avx2);
        QRandomGenerator random(42);
        const auto check = [&]<typename T>(T) {
            std::vector<int> lengths(301);
            std::iota(lengths.begin(), lengths.end(), 0);
            lengths.insert(lengths.end(), { 511, 512, 513, 1042, 4099 }); // several blocks
            for (const int length : lengths) {
                for (int trial = 0; trial < 20; ++trial) {
                    std::vector<T> values(static_cast<std::size_t>(length));
                    const int style = random.bounded(5);
                    for (T& v : values) {
                        const int roll = random.bounded(20);
                        v = style == 0   ? T(random.bounded(3))
                            : style == 4 ? (random.bounded(2) ? T(0) : -T(0))
                                         : T(random.generateDouble());
                        if (style >= 2 && roll < (style == 3 ? 15 : 2))
                            v = std::numeric_limits<T>::quiet_NaN();
                        else if (roll == 19)
                            v = std::numeric_limits<T>::infinity() * (random.bounded(2) ? 1 : -1);
                    }
                    const std::span<const T> all(values);
                    const auto reference = extremesScalar(all);
                    for (const Kernel kernel : kernels) {
                        const auto fast = extremesOf(all, kernel);
                        if (length > 0) {
                            QCOMPARE(fast.low, reference.low);
                            QCOMPARE(fast.high, reference.high);
                            QCOMPARE(fast.found, reference.found);
                        }
                    }
                    const auto cut = static_cast<std::size_t>(random.bounded(length + 1));
                    const auto joined = extremesOf(all.first(cut), all.subspan(cut));
                    if (length > 0) {
                        QCOMPARE(joined.low, reference.low);
                        QCOMPARE(joined.high, reference.high);
                    }
                }
            }
        };
        check(0.0f);
        check(0.0);
        // The reference M4 on a run of NaNs only picks its last sample.
        const std::vector<float> nans(9, std::numeric_limits<float>::quiet_NaN());
        const auto allNan = extremesOf(std::span<const float>(nans));
        QCOMPARE(allNan.low, std::size_t(8));
        QCOMPARE(allNan.high, std::size_t(8));
        QVERIFY(!allNan.found);
    }

    void valueBoundsSkipNaN()
    {
        using sightline::core::decimate::valueBounds;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QCOMPARE(valueBounds(PlotPoints { { 1, 2, 3, 4 }, { 5, nan, -7, 8 } }),
            (std::optional<std::pair<double, double>>({ -7, 8 })));
        QCOMPARE(valueBounds(PlotPoints { { 1, 2 }, { nan, 3 } }),
            (std::optional<std::pair<double, double>>({ 3, 3 })));
        QVERIFY(!valueBounds(PlotPoints { { 1, 2 }, { nan, nan } }));
        QVERIFY(!valueBounds(PlotPoints {}));
    }

private:
    /// Checks `out` has one NaN, with every sample up to `before` ahead of it and every sample
    /// from `after` behind it, and a key between theirs.
    static void checkBreakBetween(
        const VectorSource& source, const PlotPoints& out, std::int64_t before, std::int64_t after)
    {
        const std::vector<std::ptrdiff_t> picks = samplesOf(source, out, 0);
        const auto at = std::ranges::find(picks, LineBreak);
        QVERIFY(at != picks.end());
        QVERIFY(at != picks.begin() && at + 1 != picks.end());
        QVERIFY(std::ranges::find(picks, NoSample) == picks.end());
        QVERIFY(std::all_of(picks.begin(), at, [&](std::ptrdiff_t i) {
            return source.stamps[std::size_t(i)] <= before;
        }));
        QVERIFY(std::all_of(at + 1, picks.end(), [&](std::ptrdiff_t i) {
            return source.stamps[std::size_t(i)] >= after;
        }));
        QCOMPARE(source.stamps[std::size_t(*(at - 1))], before);
        QCOMPARE(source.stamps[std::size_t(*(at + 1))], after);
        const double key = out.keys[at - picks.begin()];
        QVERIFY(key > keyOf(before, 0));
        QVERIFY(key < keyOf(after, 0));
    }
};

QTEST_APPLESS_MAIN(TestDecimate)
#include "tst_decimate.moc"
