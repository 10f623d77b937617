#include "core/server/channel_registry.h"
#include "core/server/framer/frame_iterator.h"
#include "core/server/framer/framer.h"
#include "core/server/storage/database.h"
#include "core/server/storage/sample_store.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

namespace {

template <typename T> QString why(const Result<T>& result)
{
    return result ? QString() : result.error().toString();
}

constexpr TimeSpan Auto = FrameIterator::AutoSpan;

TimeStamp seconds(double s) { return TimeStamp(std::llround(s * 1e9)); }
TimeSpan span(double s) { return TimeSpan(std::llround(s * 1e9)); }

/// `count` timestamps (seconds, whole milliseconds) from `first`, `step` apart.
std::vector<double> stamps(double first, int count, double step = 1)
{
    std::vector<double> out;
    for (int i = 0; i < count; ++i)
        out.push_back(std::round((first + i * step) * 1e3) / 1e3);
    return out;
}

QList<double> asList(const std::vector<double>& values)
{
    return QList<double>(values.begin(), values.end());
}

QList<double> timesTen(const std::vector<double>& values)
{
    QList<double> out;
    for (const double v : values)
        out.append(v * 10);
    return out;
}

/// Every sample the step returned for `key`, as doubles (timestamps in seconds, rounded to
/// the millisecond so they compare exactly).
QList<double> valuesOf(const IteratorStep& step, ChannelKey key)
{
    QList<double> out;
    for (const Frame& frame : step.frames)
        for (const Series* series : frame.seriesOf(key))
            for (std::size_t i = 0; i < series->size(); ++i)
                out.append(series->dataType() == DataType::Timestamp
                        ? std::round(series->valueAsDouble(i) / 1e6) / 1e3
                        : series->valueAsDouble(i));
    return out;
}

/// One index channel and the float64 channel it indexes.
struct Group
{
    ChannelKey index = 0;
    ChannelKey data = 0;
};

} // namespace

class TestFrameIterator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ChannelRegistry> m_registry;
    std::unique_ptr<SampleStore> m_store;
    std::unique_ptr<Framer> m_framer;

    Group makeGroup(const QString& name)
    {
        Channel index;
        index.name = name + u"_time"_s;
        index.dataType = DataType::Timestamp;
        index.isIndex = true;
        Group group;
        group.index = m_registry->create({ index })->at(0).key;
        Channel data;
        data.name = name;
        data.dataType = DataType::Float64;
        data.index = group.index;
        group.data = m_registry->create({ data })->at(0).key;
        return group;
    }

    /// Writes each batch of timestamps (seconds) to the group with one writer, one write (so
    /// one stored chunk) per batch; data samples are 10 × their timestamps.
    void write(const Group& group, const std::vector<std::vector<double>>& batches)
    {
        WriterConfig config;
        config.keys = { group.index, group.data };
        auto writer = FrameWriter::open(*m_framer, config);
        QVERIFY2(writer.has_value(), qPrintable(why(writer)));
        for (const std::vector<double>& batch : batches) {
            std::vector<TimeStamp> times;
            std::vector<double> values;
            for (const double s : batch) {
                times.push_back(seconds(s));
                values.push_back(s * 10);
            }
            Frame frame;
            frame.add(group.index, Series::fromTimeStamps(times));
            frame.add(group.data, Series::fromValues<double>(std::span<const double>(values)));
            const auto written = (*writer)->write(frame);
            QVERIFY2(written.has_value(), qPrintable(why(written)));
        }
        QVERIFY((*writer)->commit().has_value());
    }

    std::unique_ptr<FrameIterator> iterate(std::vector<ChannelKey> keys,
        TimeRange bounds = TimeRange::max(),
        std::int64_t chunkSize = 100'000,
        std::int64_t downsampleFactor = 1)
    {
        auto iterator = FrameIterator::open(*m_framer,
            { std::move(keys), bounds, chunkSize, downsampleFactor });
        if (!iterator)
            qFatal("cannot open iterator: %s", qPrintable(iterator.error().toString()));
        return std::move(*iterator);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        for (const QString& suffix : { u""_s, u"-wal"_s, u"-shm"_s })
            QFile::remove(m_dir.filePath(u"cluster.db"_s + suffix));
        m_db = std::move(*Database::open(m_dir.filePath(u"cluster.db"_s)));
        m_registry = std::move(*ChannelRegistry::open(*m_db));
        m_store = std::move(*SampleStore::open(*m_db));
        m_framer = std::make_unique<Framer>(*m_registry, *m_store);
    }

    void cleanup()
    {
        m_framer.reset();
        m_store.reset();
        m_registry.reset();
        m_db.reset();
    }

    void openValidatesItsConfiguration()
    {
        const Group group = makeGroup(u"a"_s);
        const auto errorOf = [this](IteratorConfig config) {
            const auto opened = FrameIterator::open(*m_framer, std::move(config));
            return opened ? u"opened"_s : opened.error().type;
        };
        QCOMPARE(errorOf({ { group.index, 5678 } }), errors::NotFound);
        QCOMPARE(errorOf({ { group.index }, { seconds(2), seconds(1) } }), errors::Validation);
        QCOMPARE(errorOf({ { group.index }, TimeRange::max(), 0 }), errors::Validation);
        QCOMPARE(errorOf({ { group.index }, TimeRange::max(), 1 }), u"opened"_s);
    }

    void happyPathStepsOneSecond29Times()
    {
        // iterator.spec "happy path": 3 writes of 10 samples at 1..30 s, bounds [1 s, 30 s).
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10), stamps(11, 10), stamps(21, 10) });
        const auto it = iterate({ group.index, group.data }, { seconds(1), seconds(30) });
        QCOMPARE(*it->seekFirst(), true);
        for (int i = 1; i <= 29; ++i) {
            const auto step = it->next(span(1));
            QVERIFY(step.has_value());
            QVERIFY2(step->ok, qPrintable(u"next %1 returned false"_s.arg(i)));
            QCOMPARE(step->frames.size(), std::size_t(2));
            QCOMPARE(valuesOf(*step, group.index), QList<double> { double(i) });
            QCOMPARE(valuesOf(*step, group.data), QList<double> { i * 10.0 });
        }
        const auto last = it->next(span(1));
        QCOMPARE(last->ok, false);
        QVERIFY(last->frames.empty());
    }

    void chunkSizeStepsByThatManySamples()
    {
        // iterator.spec "chunk size": 10 samples, chunkSize 4: 4, 4, 2, then false.
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const auto it = iterate({ group.index, group.data }, TimeRange::max(), 4);
        QCOMPARE(*it->seekFirst(), true);
        const std::vector<std::vector<double>> expected { stamps(1, 4),
            stamps(5, 4),
            stamps(9, 2) };
        for (const std::vector<double>& chunk : expected) {
            const auto step = it->next(Auto);
            QCOMPARE(step->ok, true);
            QCOMPARE(valuesOf(*step, group.index), asList(chunk));
            QCOMPARE(valuesOf(*step, group.data), timesTen(chunk));
        }
        QCOMPARE(it->next(Auto)->ok, false);
    }

    void downsampleKeepsEveryNthSample_data()
    {
        QTest::addColumn<int>("factor");
        QTest::addColumn<int>("count");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("factor 2 over 8") << 2 << 8 << QList<double> { 1, 3, 5, 7 };
        QTest::newRow("factor 3 over 9") << 3 << 9 << QList<double> { 1, 4, 7 };
        QTest::newRow("factor 1 over 4") << 1 << 4 << QList<double> { 1, 2, 3, 4 };
    }
    void downsampleKeepsEveryNthSample()
    {
        QFETCH(int, factor);
        QFETCH(int, count);
        QFETCH(QList<double>, expected);
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, count) });
        const auto it = iterate({ group.index, group.data }, TimeRange::max(), 100'000, factor);
        QCOMPARE(*it->seekFirst(), true);
        const auto step = it->next(Auto);
        QCOMPARE(step->ok, true);
        QCOMPARE(valuesOf(*step, group.index), expected);
        QList<double> data;
        for (const double s : expected)
            data.append(s * 10);
        QCOMPARE(valuesOf(*step, group.data), data);
        QCOMPARE(it->next(Auto)->ok, false);
    }

    void unpositionedIteratorIsInvalidAndCannotStepForward()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const auto it = iterate({ group.index, group.data }, { seconds(1), seconds(30) });
        QCOMPARE(it->valid(), false);
        const auto step = it->next(span(1));
        QCOMPARE(step->ok, false);
        QVERIFY(step->frames.empty());
        QCOMPARE(it->next(Auto)->ok, false);
        QCOMPARE(it->valid(), false);
    }

    void validIsFalseAfterAnySeekAndTrueAfterData_data()
    {
        QTest::addColumn<QString>("seek");
        QTest::addColumn<bool>("forward"); // the step that follows the seek
        QTest::newRow("seekFirst") << u"first"_s << true;
        QTest::newRow("seekLast") << u"last"_s << false;
        QTest::newRow("seekLE") << u"le"_s << true;
        QTest::newRow("seekGE") << u"ge"_s << false;
    }
    void validIsFalseAfterAnySeekAndTrueAfterData()
    {
        QFETCH(QString, seek);
        QFETCH(bool, forward);
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 5), stamps(11, 5) });
        const auto it = iterate({ group.index, group.data });
        QVERIFY(*it->seekFirst());
        QVERIFY(it->next(span(2))->ok);
        QCOMPARE(it->valid(), true);
        Result<bool> sought = false;
        if (seek == u"first")
            sought = it->seekFirst();
        else if (seek == u"last")
            sought = it->seekLast();
        else if (seek == u"le")
            sought = it->seekLE(seconds(3));
        else
            sought = it->seekGE(seconds(3));
        QCOMPARE(*sought, true);
        QCOMPARE(it->valid(), false);
        const auto step = forward ? it->next(span(1)) : it->prev(span(1));
        QCOMPARE(step->ok, true);
        QCOMPARE(it->valid(), true);
        // A step that finds nothing (here: into the gap 5..11 s) leaves it invalid.
        QVERIFY(*it->seekGE(seconds(6)) == true);
        QVERIFY(it->prev(span(1))->ok == false);
        QCOMPARE(it->valid(), false);
    }

    void exhaustedIteratorRevalidatesAfterASeek()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const auto it = iterate({ group.index, group.data }, { seconds(1), seconds(20) });
        QVERIFY(*it->seekFirst());
        QCOMPARE(valuesOf(*it->next(Auto), group.index).size(), 10);
        QCOMPARE(it->next(Auto)->ok, false);
        QCOMPARE(it->next(span(1))->ok, false);
        QCOMPARE(it->valid(), false);
        QCOMPARE(*it->seekFirst(), true);
        const auto again = it->next(Auto);
        QCOMPARE(again->ok, true);
        QCOMPARE(valuesOf(*again, group.index), asList(stamps(1, 10)));
        QCOMPARE(it->valid(), true);
        QCOMPARE(it->next(span(1))->ok, false);
        QCOMPARE(*it->seekLE(seconds(5)), true);
        QCOMPARE(valuesOf(*it->next(span(1)), group.data), QList<double> { 50 });
    }

    void seeksLandOnTheNeighbouringRegion_data()
    {
        QTest::addColumn<bool>("ge");
        QTest::addColumn<double>("stamp");
        QTest::addColumn<bool>("found");
        // After seekGE: next(1 s); after seekLE: prev(1 s). -1: nothing to step to.
        QTest::addColumn<double>("sample");
        // Regions: 1..5 s and 11..15 s.
        QTest::newRow("GE in the gap") << true << 8.0 << true << 11.0;
        QTest::newRow("LE in the gap") << false << 8.0 << true << 5.0;
        QTest::newRow("GE inside a region") << true << 3.0 << true << 3.0;
        QTest::newRow("LE inside a region") << false << 3.5 << true << 3.0;
        QTest::newRow("GE exactly on a sample") << true << 11.0 << true << 11.0;
        QTest::newRow("GE just past a region") << true << 5.000000001 << true << 11.0;
        QTest::newRow("GE before everything") << true << 0.0 << true << 1.0;
        QTest::newRow("LE past everything") << false << 100.0 << true << 15.0;
        QTest::newRow("GE past everything") << true << 15.000000001 << false << -1.0;
        QTest::newRow("LE before everything") << false << 0.5 << false << -1.0;
    }
    void seeksLandOnTheNeighbouringRegion()
    {
        QFETCH(bool, ge);
        QFETCH(double, stamp);
        QFETCH(bool, found);
        QFETCH(double, sample);
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 5) });
        write(group, { stamps(11, 5) });
        const auto it = iterate({ group.index, group.data });
        const auto sought = ge ? it->seekGE(seconds(stamp)) : it->seekLE(seconds(stamp));
        QVERIFY(sought.has_value());
        QCOMPARE(*sought, found);
        QCOMPARE(it->valid(), false);
        if (!found)
            return;
        const auto step = ge ? it->next(span(1)) : it->prev(span(1));
        QCOMPARE(step->ok, true);
        QCOMPARE(valuesOf(*step, group.index), QList<double> { sample });
        QCOMPARE(valuesOf(*step, group.data), QList<double> { sample * 10 });
    }

    void seekLEExactlyOnASampleStartsTheViewThere()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const auto it = iterate({ group.index, group.data });
        QCOMPARE(*it->seekLE(seconds(5)), true);
        QCOMPARE(valuesOf(*it->next(span(1)), group.index), QList<double> { 5 });
        QCOMPARE(*it->seekLE(seconds(5)), true);
        QCOMPARE(valuesOf(*it->prev(span(1)), group.index), QList<double> { 4 });
    }

    void prevMirrorsNext()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const auto it = iterate({ group.index, group.data });
        // [4 s, 6 s): the sample at the view start is in, the one at its end is not.
        QVERIFY(*it->seekGE(seconds(4)));
        QCOMPARE(valuesOf(*it->next(span(2)), group.index), (QList<double> { 4, 5 }));
        QVERIFY(*it->seekLE(seconds(6)));
        QCOMPARE(valuesOf(*it->prev(span(2)), group.index), (QList<double> { 4, 5 }));
        QCOMPARE(valuesOf(*it->prev(span(2)), group.data), (QList<double> { 20, 30 }));
        QCOMPARE(valuesOf(*it->prev(span(2)), group.index), (QList<double> { 1 }));
        QCOMPARE(it->prev(span(2))->ok, false); // the view starts at the bounds' start
        QCOMPARE(it->valid(), false);
    }

    void prevStopsAtTheBoundsStart()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const auto it = iterate({ group.index, group.data }, { seconds(2), seconds(9) });
        QCOMPARE(*it->seekLast(), true);
        QCOMPARE(valuesOf(*it->prev(span(1)), group.index), QList<double> { 8 });
        QCOMPARE(valuesOf(*it->prev(Auto), group.index), (QList<double> { 2, 3, 4, 5, 6, 7 }));
        QCOMPARE(it->prev(Auto)->ok, false);
    }

    void readLatestReturnsTheLastSamples_data()
    {
        QTest::addColumn<int>("latest");
        QTest::addColumn<QList<int>>("writes"); // samples per write, 1 s apart from 1 s
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("last 3 of 10") << 3 << QList<int> { 10 } << QList<double> { 8, 9, 10 };
        QTest::newRow("across chunks")
            << 7 << QList<int> { 5, 5 } << QList<double> { 4, 5, 6, 7, 8, 9, 10 };
        QTest::newRow("more than stored")
            << 20 << QList<int> { 4, 3, 3 } << QList<double> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        QTest::newRow("no data") << 3 << QList<int> {} << QList<double> {};
    }
    void readLatestReturnsTheLastSamples()
    {
        QFETCH(int, latest);
        QFETCH(QList<int>, writes);
        QFETCH(QList<double>, expected);
        const Group group = makeGroup(u"a"_s);
        std::vector<std::vector<double>> batches;
        double next = 1;
        for (const int count : writes) {
            batches.push_back(stamps(next, count));
            next += count;
        }
        if (!batches.empty())
            write(group, batches);
        // client.readLatest: bounds MAX, chunk size n, seekLast + prev(AUTO).
        const auto it = iterate({ group.index, group.data }, TimeRange::max(), latest);
        QCOMPARE(*it->seekLast(), !expected.isEmpty());
        const auto step = it->prev(Auto);
        QCOMPARE(step->ok, !expected.isEmpty());
        QCOMPARE(valuesOf(*step, group.index), expected);
        QList<double> data;
        for (const double s : expected)
            data.append(s * 10);
        QCOMPARE(valuesOf(*step, group.data), data);
    }

    void seriesTimeRangeIsRegionIntersectView_data()
    {
        QTest::addColumn<double>("boundsEnd"); // bounds [0, end); -1: TimeRange::max()
        QTest::addColumn<int>("chunkSize");
        QTest::addColumn<bool>("forward");
        QTest::addColumn<double>("stepSeconds"); // -1: AUTO
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        // One region: samples 1..10 s, i.e. [1 s, 10 s + 1 ns). Forward steps follow
        // seekFirst, backward ones seekLast.
        constexpr qint64 S = 1'000'000'000;
        QTest::newRow("next 1 s") << -1.0 << 100 << true << 1.0 << 1 * S << 2 * S;
        QTest::newRow("next 2.5 s") << -1.0 << 100 << true << 2.5 << 1 * S << 3 * S + S / 2;
        QTest::newRow("next past the region") << -1.0 << 100 << true << 20.0 << 1 * S << 10 * S + 1;
        QTest::newRow("next auto, chunk 4") << -1.0 << 4 << true << -1.0 << 1 * S << 4 * S + 1;
        QTest::newRow("bounds cut the region")
            << 5.5 << 100 << true << 10.0 << 1 * S << 5 * S + S / 2;
        QTest::newRow("prev 2 s") << -1.0 << 100 << false << 2.0 << 8 * S + 1 << 10 * S + 1;
        QTest::newRow("prev auto, chunk 3") << -1.0 << 3 << false << -1.0 << 8 * S << 10 * S + 1;
    }
    void seriesTimeRangeIsRegionIntersectView()
    {
        QFETCH(double, boundsEnd);
        QFETCH(int, chunkSize);
        QFETCH(bool, forward);
        QFETCH(double, stepSeconds);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 10) });
        const TimeRange bounds
            = boundsEnd < 0 ? TimeRange::max() : TimeRange { TimeStamp(0), seconds(boundsEnd) };
        const auto it = iterate({ group.index, group.data }, bounds, chunkSize);
        QVERIFY(*(forward ? it->seekFirst() : it->seekLast()));
        const TimeSpan by = stepSeconds < 0 ? Auto : span(stepSeconds);
        const auto step = forward ? it->next(by) : it->prev(by);
        QVERIFY(step->ok);
        QCOMPARE(step->frames.size(), std::size_t(2));
        const TimeRange expected { TimeStamp(start), TimeStamp(end) };
        for (const Frame& frame : step->frames)
            for (const Series& series : frame.series())
                QCOMPARE(series.timeRange(), expected);
    }

    void virtualChannelYieldsNothing()
    {
        Channel live;
        live.name = u"live"_s;
        live.dataType = DataType::Float64;
        live.isVirtual = true;
        const ChannelKey liveKey = m_registry->create({ live })->at(0).key;
        WriterConfig config;
        config.keys = { liveKey };
        auto writer = FrameWriter::open(*m_framer, config);
        Frame frame;
        frame.add(liveKey, Series::fromValues<double>({ 1, 2, 3 }));
        QVERIFY((*writer)->write(frame));
        const Group group = makeGroup(u"a"_s);
        write(group, { stamps(1, 3) });

        const auto alone = iterate({ liveKey });
        QCOMPARE(*alone->seekFirst(), false);
        QCOMPARE(alone->next(Auto)->ok, false);
        QCOMPARE(*alone->seekLast(), false);
        QCOMPARE(alone->prev(Auto)->ok, false);
        QCOMPARE(alone->valid(), false);

        const auto mixed = iterate({ liveKey, group.index, group.data });
        QCOMPARE(*mixed->seekFirst(), true);
        const auto step = mixed->next(Auto);
        QCOMPARE(step->ok, true);
        QCOMPARE(step->frames.size(), std::size_t(2));
        for (const Frame& f : step->frames)
            QVERIFY(!f.contains(liveKey));
    }

    void indexGroupsKeepTheirOwnViews()
    {
        // Group A at 1 Hz from 1 s, group B at 2 Hz from 2 s.
        const Group a = makeGroup(u"a"_s);
        const Group b = makeGroup(u"b"_s);
        write(a, { stamps(1, 10) });
        write(b, { stamps(2, 20, 0.5) });
        const auto it = iterate({ a.index, a.data, b.index, b.data }, TimeRange::max(), 4);
        QVERIFY(*it->seekFirst());
        auto step = it->next(span(1));
        QCOMPARE(valuesOf(*step, a.index), (QList<double> { 1 }));
        QCOMPARE(valuesOf(*step, b.index), (QList<double> { 2, 2.5 }));
        QCOMPARE(valuesOf(*step, b.data), (QList<double> { 20, 25 }));
        step = it->next(span(1));
        QCOMPARE(valuesOf(*step, a.data), (QList<double> { 20 }));
        QCOMPARE(valuesOf(*step, b.index), (QList<double> { 3, 3.5 }));

        QVERIFY(*it->seekFirst());
        step = it->next(Auto);
        QCOMPARE(valuesOf(*step, a.index), (QList<double> { 1, 2, 3, 4 }));
        QCOMPARE(valuesOf(*step, b.index), (QList<double> { 2, 2.5, 3, 3.5 }));
        step = it->next(Auto);
        QCOMPARE(valuesOf(*step, a.index), (QList<double> { 5, 6, 7, 8 }));
        QCOMPARE(valuesOf(*step, b.index), (QList<double> { 4, 4.5, 5, 5.5 }));
        QCOMPARE(valuesOf(*step, b.data), (QList<double> { 40, 45, 50, 55 }));
    }

    void aSeekMovesChannelsThatHaveNoDataThere_data()
    {
        QTest::addColumn<bool>("ge");
        QTest::newRow("seekGE past the short channel's data") << true;
        QTest::newRow("seekLE before the short channel's data") << false;
    }
    void aSeekMovesChannelsThatHaveNoDataThere()
    {
        // A holds 1..30 s. B holds 1..10 s (for seekGE) or 21..30 s (for seekLE), so the
        // seek finds a region for A only; B must still not step from where it was before.
        QFETCH(bool, ge);
        const Group a = makeGroup(u"a"_s);
        const Group b = makeGroup(u"b"_s);
        write(a, { stamps(1, 30) });
        write(b, { ge ? stamps(1, 10) : stamps(21, 10) });
        const auto it = iterate({ a.index, a.data, b.index, b.data });
        QVERIFY(*(ge ? it->seekFirst() : it->seekLast()));
        QCOMPARE(*(ge ? it->seekGE(seconds(20)) : it->seekLE(seconds(10))), true);
        const auto step = ge ? it->next(Auto) : it->prev(Auto);
        QCOMPARE(step->ok, true);
        QCOMPARE(valuesOf(*step, a.index), asList(ge ? stamps(20, 11) : stamps(1, 9)));
        QCOMPARE(valuesOf(*step, b.index), QList<double> {});
        QCOMPARE(valuesOf(*step, b.data), QList<double> {});
        // Stepping the other way from the seek point reaches B's samples.
        QVERIFY(ge ? *it->seekGE(seconds(20)) : *it->seekLE(seconds(10)));
        const auto back = ge ? it->prev(Auto) : it->next(Auto);
        QCOMPARE(valuesOf(*back, b.index), asList(ge ? stamps(1, 10) : stamps(21, 10)));
    }

    void manyChunksReadBackCompleteAndInOrder_data()
    {
        QTest::addColumn<int>("chunkSize");
        QTest::newRow("one step") << 100'000;
        QTest::newRow("chunk size 7") << 7;
        QTest::newRow("chunk size 1") << 1;
    }
    void manyChunksReadBackCompleteAndInOrder()
    {
        QFETCH(int, chunkSize);
        const Group group = makeGroup(u"a"_s);
        std::vector<std::vector<double>> batches;
        for (int i = 0; i < 50; ++i)
            batches.push_back(stamps(1 + i * 0.3, 3, 0.1));
        write(group, batches);
        std::vector<double> all;
        for (const auto& batch : batches)
            all.insert(all.end(), batch.begin(), batch.end());
        const int expectedSteps = (150 + chunkSize - 1) / chunkSize;

        // client.read: seekFirst, then next(AUTO) until false.
        const auto it = iterate({ group.index, group.data }, TimeRange::max(), chunkSize);
        QVERIFY(*it->seekFirst());
        QList<double> index;
        QList<double> data;
        int steps = 0;
        while (true) {
            const auto step = it->next(Auto);
            QVERIFY(step.has_value());
            if (!step->ok)
                break;
            ++steps;
            index += valuesOf(*step, group.index);
            data += valuesOf(*step, group.data);
        }
        QCOMPARE(steps, expectedSteps);
        QCOMPARE(index, asList(all));
        QCOMPARE(data, timesTen(all));

        // Backwards from the end gives the same samples.
        QVERIFY(*it->seekLast());
        QList<double> backwards;
        steps = 0;
        while (true) {
            const auto step = it->prev(Auto);
            if (!step->ok)
                break;
            ++steps;
            backwards = valuesOf(*step, group.index) + backwards;
        }
        QCOMPARE(steps, expectedSteps);
        QCOMPARE(backwards, asList(all));
    }

    /// The series of `key` in a read, ordered as a Synnax client orders them: by alignment.
    static std::vector<const Series*> byAlignment(const IteratorStep& step, ChannelKey key)
    {
        std::vector<const Series*> out;
        for (const Frame& frame : step.frames)
            for (const Series* series : frame.seriesOf(key))
                out.push_back(series);
        std::stable_sort(out.begin(), out.end(), [](const Series* a, const Series* b) {
            return a->alignment() < b->alignment();
        });
        return out;
    }

    /// Checks that a read ordered by alignment is in time order, its alignments never
    /// overlap, and data series carry their index series' alignments.
    void checkAlignedInTimeOrder(
        const IteratorStep& step, const Group& group, const QList<double>& expected)
    {
        QList<double> stampsByAlignment;
        std::uint64_t nextFree = 0;
        const auto index = byAlignment(step, group.index);
        for (const Series* series : index) {
            QVERIFY2(series->alignment() >= nextFree,
                qPrintable(u"alignment %1 overlaps the series before (next free %2)"_s
                               .arg(series->alignment())
                               .arg(nextFree)));
            nextFree = series->alignment() + series->size();
            for (std::size_t i = 0; i < series->size(); ++i)
                stampsByAlignment.append(std::round(series->valueAsDouble(i) / 1e6) / 1e3);
        }
        QCOMPARE(stampsByAlignment, expected);
        const auto data = byAlignment(step, group.data);
        QCOMPARE(data.size(), index.size());
        for (std::size_t i = 0; i < data.size(); ++i)
            QCOMPARE(data[i]->alignment(), index[i]->alignment());
    }

    void regionsWrittenOutOfOrderReadInTimeOrder()
    {
        const Group group = makeGroup(u"a"_s);
        // Three writers: [1, 2], then [1000], then [5, 6] into the gap between them.
        write(group, { { 1, 2 } });
        write(group, { { 1000 } });
        write(group, { { 5, 6 } });
        write(group, { { 3 } });
        const QList<double> expected { 1, 2, 3, 5, 6, 1000 };
        const auto it = iterate({ group.index, group.data });
        QVERIFY(*it->seekFirst());
        const auto step = it->next(Auto);
        QVERIFY(step.has_value() && step->ok);
        checkAlignedInTimeOrder(*step, group, expected);
        // A span read and a read after a seek agree with the first read.
        QVERIFY(*it->seekGE(seconds(2)));
        const auto spanned = it->next(span(10));
        QVERIFY(spanned.has_value() && spanned->ok);
        checkAlignedInTimeOrder(*spanned, group, { 2, 3, 5, 6 });
        for (const Series* series : byAlignment(*spanned, group.index))
            for (const Series* whole : byAlignment(*step, group.index))
                if (whole->timeRange().contains(series->timeRange().start))
                    QVERIFY(series->alignment() >= whole->alignment()
                        && series->alignment() < whole->alignment() + whole->size());
    }

    void oneWriterAcrossAnotherWritersRegionStartsANewDomain()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { { 10 } });
        // One writer writes before and after the other's region, in one session.
        write(group, { { 1, 2 }, { 20, 21 } });
        const auto it = iterate({ group.index, group.data });
        QVERIFY(*it->seekFirst());
        const auto step = it->next(Auto);
        QVERIFY(step.has_value() && step->ok);
        checkAlignedInTimeOrder(*step, group, { 1, 2, 10, 20, 21 });
    }

    void alignmentsStoredInWriteOrderAreRenumberedOnOpen()
    {
        const Group group = makeGroup(u"a"_s);
        write(group, { { 1, 2 } });
        write(group, { { 1000 } });
        write(group, { { 5, 6 } });
        // What an older cluster stored: alignments counted in write order, schema version 0.
        QVERIFY(m_db->exec("UPDATE chunks SET alignment = CASE start / 1000000000 "
                           "WHEN 1 THEN 0 WHEN 1000 THEN 2 ELSE 3 END + offset; "
                           "PRAGMA user_version = 0")
                    .has_value());
        QVERIFY(*m_store->needsAlignmentRenumbering());
        QVERIFY(m_framer->upgradeAlignments().has_value());
        QVERIFY(!*m_store->needsAlignmentRenumbering());
        const auto it = iterate({ group.index, group.data });
        QVERIFY(*it->seekFirst());
        const auto step = it->next(Auto);
        QVERIFY(step.has_value() && step->ok);
        checkAlignedInTimeOrder(*step, group, { 1, 2, 5, 6, 1000 });
    }
};

QTEST_GUILESS_MAIN(TestFrameIterator)
#include "tst_frame_iterator.moc"
