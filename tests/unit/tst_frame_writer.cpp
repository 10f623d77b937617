#include "core/server/channel_registry.h"
#include "core/server/framer/framer.h"
#include "core/server/simulator.h"
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

TimeStamp seconds(double s) { return TimeStamp(std::llround(s * 1e9)); }

Series stampSeries(const std::vector<double>& stamps)
{
    std::vector<TimeStamp> values;
    for (const double s : stamps)
        values.push_back(seconds(s));
    return Series::fromTimeStamps(values);
}

/// Samples that name their timestamps: 10 × the timestamp in seconds.
Series valueSeries(const std::vector<double>& stamps)
{
    std::vector<double> values;
    for (const double s : stamps)
        values.push_back(s * 10);
    return Series::fromValues<double>(std::span<const double>(values));
}

/// A streamer's view of the relay: records every delivered frame.
class Recorder : public RelaySubscriber
{
public:
    void deliver(const Frame& frame) override { frames.push_back(frame); }
    /// Every value delivered for `key`, as doubles (timestamps in seconds).
    QList<double> values(ChannelKey key) const
    {
        QList<double> out;
        for (const Frame& frame : frames)
            for (const Series* series : frame.seriesOf(key))
                for (std::size_t i = 0; i < series->size(); ++i)
                    out.append(series->dataType() == DataType::Timestamp
                            ? series->valueAsDouble(i) / 1e9
                            : series->valueAsDouble(i));
        return out;
    }

    std::vector<Frame> frames;
};

} // namespace

class TestFrameWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ChannelRegistry> m_registry;
    std::unique_ptr<SampleStore> m_store;
    std::unique_ptr<Framer> m_framer;
    Recorder m_recorder;
    ChannelKey m_time = 0;
    ChannelKey m_value = 0;
    ChannelKey m_otherTime = 0;
    ChannelKey m_live = 0;

    Channel channel(const QString& name, DataType type, ChannelKey index, bool isVirtual = false)
    {
        Channel c;
        c.name = name;
        c.dataType = type;
        c.isIndex = type == DataType::Timestamp;
        c.index = index;
        c.isVirtual = isVirtual;
        return c;
    }

    ChannelKey create(const Channel& c)
    {
        const auto created = m_registry->create({ c });
        if (!created)
            qFatal("cannot create channel: %s", qPrintable(created.error().toString()));
        return created->at(0).key;
    }

    /// A config for a writer of the time/value pair.
    WriterConfig pairConfig(double start = 0) const
    {
        WriterConfig config;
        config.start = seconds(start);
        config.keys = { m_time, m_value };
        return config;
    }

    Frame pairFrame(const std::vector<double>& stamps) const
    {
        Frame frame;
        frame.add(m_time, stampSeries(stamps));
        frame.add(m_value, valueSeries(stamps));
        return frame;
    }

    std::unique_ptr<FrameWriter> open(WriterConfig config)
    {
        auto writer = FrameWriter::open(*m_framer, std::move(config));
        if (!writer)
            qWarning() << "open failed:" << writer.error().toString();
        return writer ? std::move(*writer) : nullptr;
    }

    /// The stored samples of `key` read chunk by chunk, as doubles (timestamps in seconds).
    QList<double> stored(ChannelKey key)
    {
        QList<double> out;
        TimeStamp from = TimeStamp::Min;
        while (true) {
            auto chunk = m_store->chunkFrom(key, from);
            if (!chunk || !*chunk)
                return out;
            from = (*chunk)->range.end;
            const Series& series = (*chunk)->series;
            for (std::size_t i = 0; i < series.size(); ++i)
                out.append(series.dataType() == DataType::Timestamp ? series.valueAsDouble(i) / 1e9
                                                                    : series.valueAsDouble(i));
        }
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
        m_time = create(channel(u"time"_s, DataType::Timestamp, 0));
        m_value = create(channel(u"value"_s, DataType::Float64, m_time));
        m_otherTime = create(channel(u"other_time"_s, DataType::Timestamp, 0));
        m_live = create(channel(u"live"_s, DataType::Float64, 0, true));
        m_recorder.frames.clear();
        m_recorder.setKeys({ m_time, m_value, m_otherTime, m_live });
        m_recorder.setExcludedGroups({});
        m_framer->relay().subscribe(&m_recorder);
    }

    void cleanup()
    {
        m_framer.reset();
        m_store.reset();
        m_registry.reset();
        m_db.reset();
    }

    void openValidatesItsConfiguration_data()
    {
        QTest::addColumn<QString>("expectedType");
        QTest::newRow("unknown channel") << errors::NotFound;
        QTest::newRow("no channels") << errors::Validation;
        QTest::newRow("authorities do not match keys") << errors::Validation;
    }
    void openValidatesItsConfiguration()
    {
        QFETCH(QString, expectedType);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        WriterConfig config = pairConfig();
        if (tag == u"unknown channel")
            config.keys.push_back(5678);
        else if (tag == u"no channels")
            config.keys.clear();
        else
            config.authorities = { 1, 2, 3 };
        const auto writer = FrameWriter::open(*m_framer, config);
        QVERIFY(!writer.has_value());
        QCOMPARE(writer.error().type, expectedType);
    }

    void invalidWritesAreValidationErrors_data()
    {
        QTest::addColumn<QString>("problem"); // a word the message must hold
        QTest::newRow("data length differs from its index") << u"samples but its index"_s;
        QTest::newRow("timestamps repeat within a series") << u"strictly increasing"_s;
        QTest::newRow("timestamps decrease within a series") << u"strictly increasing"_s;
        QTest::newRow("timestamps not increasing across writes") << u"strictly increasing"_s;
        QTest::newRow("commit ending before writer start")
            << u"strictly greater than the starting"_s;
        QTest::newRow("overlap with stored data") << u"overlap"_s;
        QTest::newRow("wrong data type") << u"float32"_s;
        QTest::newRow("channel not in writer") << u"not one of the writer's channels"_s;
        // Written alone, a data channel takes its stored index's stamps: here there are none.
        QTest::newRow("data channel without its index") << u"write the index first"_s;
    }
    void invalidWritesAreValidationErrors()
    {
        QFETCH(QString, problem);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        QList<double> storedBefore;
        if (tag == u"overlap with stored data") {
            // A first writer stores 1..5 s and closes; a second one writes into that region.
            const auto first = open(pairConfig(1));
            QVERIFY(first);
            QVERIFY(first->write(pairFrame({ 1, 2, 3, 4, 5 })));
            storedBefore = { 1, 2, 3, 4, 5 };
        }
        WriterConfig config = pairConfig(tag == u"commit ending before writer start" ? 5 : 0);
        const auto writer = open(config);
        QVERIFY(writer);
        Frame frame;
        if (tag == u"data length differs from its index") {
            frame.add(m_time, stampSeries({ 1, 2, 3 }));
            frame.add(m_value, valueSeries({ 1, 2 }));
        } else if (tag == u"timestamps repeat within a series") {
            frame = pairFrame({ 1, 2, 2 });
        } else if (tag == u"timestamps decrease within a series") {
            frame = pairFrame({ 1, 3, 2 });
        } else if (tag == u"timestamps not increasing across writes") {
            QVERIFY(writer->write(pairFrame({ 1, 2, 3 })));
            storedBefore = { 1, 2, 3 };
            frame = pairFrame({ 3, 4 });
        } else if (tag == u"commit ending before writer start") {
            frame = pairFrame({ 2, 3, 4 });
        } else if (tag == u"overlap with stored data") {
            frame = pairFrame({ 0.5, 4.5, 6 });
        } else if (tag == u"wrong data type") {
            frame.add(m_time, stampSeries({ 1, 2 }));
            frame.add(m_value, Series::fromValues<float>({ 1.0F, 2.0F }));
        } else if (tag == u"channel not in writer") {
            frame = pairFrame({ 1, 2 });
            frame.add(m_otherTime, stampSeries({ 1, 2 }));
        } else if (tag == u"data channel without its index") {
            frame.add(m_value, valueSeries({ 1, 2 }));
        }
        const auto written = writer->write(frame);
        QVERIFY(!written.has_value());
        QCOMPARE(written.error().type, errors::Validation);
        QVERIFY2(written.error().message.contains(problem), qPrintable(written.error().message));
        // Nothing of the rejected frame is stored or relayed.
        QCOMPARE(stored(m_time), storedBefore);
        QCOMPARE(m_recorder.values(m_time), storedBefore);
    }

    void indexStampsBeforeTheWritersStartAreAccepted()
    {
        const auto writer = open(pairConfig(5));
        QVERIFY(writer);
        QVERIFY2(writer->write(pairFrame({ 4, 5, 6 })), "refused stamps before the start");
        QCOMPARE(stored(m_time), (QList<double> { 4, 5, 6 }));
        QCOMPARE(stored(m_value), (QList<double> { 40, 50, 60 }));
    }

    void aDataChannelWrittenAloneTakesItsStoredIndexStamps()
    {
        WriterConfig indexOnly;
        indexOnly.keys = { m_time };
        {
            const auto writer = open(indexOnly);
            QVERIFY(writer);
            Frame first;
            first.add(m_time, stampSeries({ 1, 2 }));
            QVERIFY(writer->write(first));
        }
        { // a second index chunk, so the data spans two
            const auto writer = open(indexOnly);
            QVERIFY(writer);
            Frame second;
            second.add(m_time, stampSeries({ 3 }));
            QVERIFY(writer->write(second));
        }
        WriterConfig dataOnly;
        dataOnly.start = seconds(1);
        dataOnly.keys = { m_value };
        auto writer = open(dataOnly);
        QVERIFY(writer);
        Frame values;
        values.add(m_value, valueSeries({ 1, 2 }));
        QVERIFY2(writer->write(values), "a data channel alone over its stored index");
        Frame more;
        more.add(m_value, valueSeries({ 3 }));
        QVERIFY(writer->write(more));
        QCOMPARE(stored(m_value), (QList<double> { 10, 20, 30 }));
        // Each sample keeps its own timestamp: read back paired with the index.
        auto chunk = m_store->chunkFrom(m_value, seconds(3));
        QVERIFY(chunk && *chunk);
        const auto stamps = m_store->timestampsOf(**chunk, m_time);
        QVERIFY2(stamps, qPrintable(why(stamps)));
        QCOMPARE(stamps->valueAsDouble(0), double(seconds(3).nanoseconds()));
        QCOMPARE(writer->commit().value(), seconds(3) + TimeSpan(1));
        // Beyond the stored index there is nowhere to put a sample.
        Frame beyond;
        beyond.add(m_value, valueSeries({ 4 }));
        const auto refused = writer->write(beyond);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(u"write the index first"),
            qPrintable(refused.error().message));
        // A second writer over the same stamps overlaps what is stored.
        writer.reset(); // (else it holds the channel and the other's writes are dropped)
        const auto again = open(dataOnly);
        QVERIFY(again);
        const auto overlap = again->write(values);
        QVERIFY(!overlap);
        QVERIFY(overlap.error().message.contains(u"overlap"));
        QCOMPARE(stored(m_value), (QList<double> { 10, 20, 30 }));
    }

    void autoIndexStampsDataWrittenWithoutItsIndex()
    {
        WriterConfig config;
        config.start = seconds(100);
        config.keys = { m_value }; // the index joins the writer
        config.autoIndex = true;
        const auto writer = open(config);
        QVERIFY(writer);
        // User stamps are kept as given; data written alone gets stamps from now on.
        Frame given;
        given.add(m_time, stampSeries({ 100, 101 }));
        given.add(m_value, valueSeries({ 100, 101 }));
        QVERIFY2(writer->write(given), "the index joined the writer");
        const TimeStamp before = TimeStamp::now();
        Frame alone;
        alone.add(m_value, valueSeries({ 1, 2, 3 }));
        QVERIFY(writer->write(alone));
        Frame again;
        again.add(m_value, valueSeries({ 4 }));
        QVERIFY(writer->write(again));
        const QList<double> stamps = stored(m_time);
        QCOMPARE(stamps.size(), 6);
        QCOMPARE(stamps.mid(0, 2), (QList<double> { 100, 101 }));
        auto generated = m_store->chunkFrom(m_time, before);
        QVERIFY(generated && *generated);
        const auto ns = (*generated)->series.values<std::int64_t>();
        QCOMPARE(ns.size(), std::size_t(3));
        QVERIFY(ns[0] >= before.nanoseconds());
        QCOMPARE(ns[1], ns[0] + 1);
        QCOMPARE(ns[2], ns[0] + 2);
        QCOMPARE(stored(m_value), (QList<double> { 1000, 1010, 10, 20, 30, 40 }));
        auto next = m_store->chunkFrom(m_time, TimeStamp(ns[2] + 1)); // strictly after
        QVERIFY(next && *next);
        QCOMPARE((*next)->series.size(), std::size_t(1));
        QVERIFY((*next)->series.values<std::int64_t>()[0] > ns[2]);
    }

    void calculatedChannelsStreamAsTheirInputsAreWritten()
    {
        const ChannelKey second = create(channel(u"second"_s, DataType::Float64, m_time));
        Channel calculated = channel(u"calculated"_s, DataType::Float64, 0, true);
        calculated.expression = u"return (value * 2) + -second / 2"_s;
        const ChannelKey result = create(calculated);
        m_recorder.setKeys({ result });
        {
            WriterConfig config;
            config.keys = { m_time, m_value, second };
            const auto writer = open(config);
            QVERIFY(writer);
            Frame frame = pairFrame({ 1, 2 }); // value: 10, 20
            frame.add(second, valueSeries({ 4, 8 })); // second: 40, 80
            QVERIFY(writer->write(frame));
        }
        QCOMPARE(m_recorder.values(result), (QList<double> { 0, 0 })); // 20 - 20, 40 - 40
        QCOMPARE(m_recorder.frames.back().seriesAt(0).timeRange().start, seconds(1));
        QVERIFY(stored(result).isEmpty()); // streamed, never stored

        // Inputs written apart still meet on their shared index: value with the stamps, then
        // second alone on those stamps.
        m_recorder.frames.clear();
        {
            const auto writer = open(pairConfig(3));
            QVERIFY(writer);
            QVERIFY(writer->write(pairFrame({ 3, 4 }))); // value: 30, 40
        }
        QVERIFY(m_recorder.frames.empty()); // waiting for second
        WriterConfig alone;
        alone.start = seconds(3);
        alone.keys = { second };
        const auto writer = open(alone);
        QVERIFY(writer);
        Frame rest;
        rest.add(second, valueSeries({ 2, 2 })); // second: 20, 20
        QVERIFY(writer->write(rest));
        QCOMPARE(m_recorder.values(result), (QList<double> { 50, 70 }));
    }

    void deletesRespectWritersAndDependentData()
    {
        {
            const auto writer = open(pairConfig(0));
            QVERIFY(writer);
            QVERIFY(writer->write(pairFrame({ 1, 2, 3, 4 })));
        }
        const std::vector<ChannelKey> index { m_time };
        const std::vector<ChannelKey> both { m_time, m_value };
        // An index alone, while its data channel has samples there: refused, nothing goes.
        const auto dependent = m_framer->deleteRange(index, { seconds(2), seconds(3) });
        QVERIFY(!dependent);
        QCOMPARE(dependent.error().type, errors::Validation);
        QVERIFY2(dependent.error().message.contains(u"depending on it"),
            qPrintable(dependent.error().message));
        QCOMPARE(stored(m_time), (QList<double> { 1, 2, 3, 4 }));
        // An open writer controls its channels from its start on.
        auto holder = open(pairConfig(10));
        QVERIFY(holder);
        const auto controlled = m_framer->deleteRange(both, { seconds(3), seconds(11) });
        QVERIFY(!controlled);
        QCOMPARE(controlled.error().type, errors::Unauthorized);
        QCOMPARE(stored(m_value), (QList<double> { 10, 20, 30, 40 }));
        // Before its start, and the index with its data: deleted.
        QVERIFY(m_framer->deleteRange(both, { seconds(2), seconds(3) }));
        QCOMPARE(stored(m_time), (QList<double> { 1, 3, 4 }));
        QCOMPARE(stored(m_value), (QList<double> { 10, 30, 40 }));
        holder.reset();
        QVERIFY(m_framer->deleteRange(both, { seconds(3), seconds(11) }));
        QCOMPARE(stored(m_time), (QList<double> { 1 }));
    }

    void openFailsWhenItsStartIsInsideStoredData_data()
    {
        QTest::addColumn<double>("start");
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("opens");
        // Stored: 1..5 s, i.e. [1 s, 5 s + 1 ns).
        QTest::newRow("before the data") << 0.0 << int(WriterMode::PersistStream) << true;
        QTest::newRow("at the first sample") << 1.0 << int(WriterMode::PersistStream) << false;
        QTest::newRow("inside") << 3.5 << int(WriterMode::Persist) << false;
        QTest::newRow("at the last sample") << 5.0 << int(WriterMode::PersistStream) << false;
        QTest::newRow("1 ns past the end") << 5.000000001 << int(WriterMode::PersistStream) << true;
        QTest::newRow("inside, stream only") << 3.5 << int(WriterMode::Stream) << true;
    }
    void openFailsWhenItsStartIsInsideStoredData()
    {
        QFETCH(double, start);
        QFETCH(int, mode);
        QFETCH(bool, opens);
        {
            const auto first = open(pairConfig(1));
            QVERIFY(first->write(pairFrame({ 1, 2, 3, 4, 5 })));
        }
        WriterConfig config = pairConfig(start);
        config.mode = WriterMode(mode);
        const auto writer = FrameWriter::open(*m_framer, config);
        QCOMPARE(writer.has_value(), opens);
        if (!opens)
            QCOMPARE(writer.error().type, errors::Validation);
    }

    void modesDecideStoringAndRelaying_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("stores");
        QTest::addColumn<bool>("relays");
        QTest::newRow("persist + stream") << int(WriterMode::PersistStream) << true << true;
        QTest::newRow("persist") << int(WriterMode::Persist) << true << false;
        QTest::newRow("stream") << int(WriterMode::Stream) << false << true;
    }
    void modesDecideStoringAndRelaying()
    {
        QFETCH(int, mode);
        QFETCH(bool, stores);
        QFETCH(bool, relays);
        WriterConfig config = pairConfig(1);
        config.mode = WriterMode(mode);
        const auto writer = open(config);
        QVERIFY(writer);
        QVERIFY(writer->write(pairFrame({ 1, 2, 3 })));
        QVERIFY(writer->write(pairFrame({ 4, 5 })));
        QCOMPARE(*writer->commit(), seconds(5) + TimeSpan(1));
        const QList<double> stamps { 1, 2, 3, 4, 5 };
        const QList<double> values { 10, 20, 30, 40, 50 };
        QCOMPARE(stored(m_time), stores ? stamps : QList<double> {});
        QCOMPARE(stored(m_value), stores ? values : QList<double> {});
        QCOMPARE(m_recorder.values(m_time), relays ? stamps : QList<double> {});
        QCOMPARE(m_recorder.values(m_value), relays ? values : QList<double> {});
        if (!relays)
            return;
        // One frame per write; both channels carry the index's alignment and the time range
        // the writer gave (here none, so the written region).
        QCOMPARE(m_recorder.frames.size(), std::size_t(2));
        const Frame& second = m_recorder.frames[1];
        for (const Series* series : { second.seriesOf(m_time)[0], second.seriesOf(m_value)[0] }) {
            QCOMPARE(series->alignment(), std::uint64_t(3));
            QCOMPARE(series->timeRange(), (TimeRange { seconds(4), seconds(5) + TimeSpan(1) }));
        }
    }

    void relayKeepsTheWritersTimeRange()
    {
        const auto writer = open(pairConfig(1));
        Frame frame = pairFrame({ 1, 2, 3 });
        Series stamps = stampSeries({ 1, 2, 3 });
        stamps.setTimeRange({ seconds(1), seconds(6) });
        Frame withRange;
        withRange.add(m_time, stamps);
        withRange.add(m_value, frame.seriesAt(1));
        QVERIFY(writer->write(withRange));
        QCOMPARE(m_recorder.frames.size(), std::size_t(1));
        QCOMPARE(m_recorder.frames[0].seriesOf(m_time)[0]->timeRange(),
            (TimeRange { seconds(1), seconds(6) }));
        // Storage keeps the region the samples cover.
        const auto chunk = m_store->chunkFrom(m_time, TimeStamp::Min);
        QCOMPARE((*chunk)->range, (TimeRange { seconds(1), seconds(3) + TimeSpan(1) }));
    }

    void withoutAutoCommitNothingIsReadableUntilCommit()
    {
        WriterConfig config = pairConfig(1);
        config.enableAutoCommit = false;
        const auto writer = open(config);
        QVERIFY(writer->write(pairFrame({ 1, 2, 3 })));
        QVERIFY(writer->write(pairFrame({ 4, 5 })));
        QVERIFY(stored(m_time).isEmpty());
        QVERIFY(stored(m_value).isEmpty());
        const auto end = writer->commit();
        QVERIFY2(end.has_value(), qPrintable(why(end)));
        QCOMPARE(*end, seconds(5) + TimeSpan(1));
        QCOMPARE(stored(m_time), (QList<double> { 1, 2, 3, 4, 5 }));
        QCOMPARE(stored(m_value), (QList<double> { 10, 20, 30, 40, 50 }));
        QVERIFY(writer->write(pairFrame({ 7.5 })));
        QCOMPARE(stored(m_time).size(), 5);
        QCOMPARE(*writer->commit(), seconds(7.5) + TimeSpan(1));
        QCOMPARE(stored(m_time).size(), 6);
        // A commit with nothing new changes nothing and still answers the end.
        QCOMPARE(*writer->commit(), seconds(7.5) + TimeSpan(1));
        QCOMPARE(stored(m_time).size(), 6);
    }

    void commitOfAnEmptyWriterReturnsItsStart()
    {
        const auto writer = open(pairConfig(42));
        QCOMPARE(*writer->commit(), seconds(42));
    }

    void closingWithoutCommitDropsTheSamples()
    {
        WriterConfig config = pairConfig(1);
        config.enableAutoCommit = false;
        {
            const auto writer = open(config);
            QVERIFY(writer->write(pairFrame({ 1, 2, 3 })));
        }
        QVERIFY(stored(m_time).isEmpty());
        QVERIFY(stored(m_value).isEmpty());
        // Nothing of it lingers: the same timestamps can be written again.
        const auto again = open(pairConfig(1));
        QVERIFY(again->write(pairFrame({ 1, 2, 3 })));
        QCOMPARE(stored(m_time), (QList<double> { 1, 2, 3 }));
    }

    void higherAuthorityWinsAndLowerIsDroppedSilently_data()
    {
        QTest::addColumn<bool>("lowerOpensFirst");
        QTest::newRow("lower opens first") << true;
        QTest::newRow("higher opens first") << false;
    }
    void higherAuthorityWinsAndLowerIsDroppedSilently()
    {
        QFETCH(bool, lowerOpensFirst);
        WriterConfig low = pairConfig();
        low.authorities = { 100 };
        low.subject.name = u"low"_s;
        WriterConfig high = pairConfig();
        high.authorities = { 200 };
        high.subject.name = u"high"_s;
        std::unique_ptr<FrameWriter> lower = lowerOpensFirst ? open(low) : nullptr;
        auto higher = open(high);
        if (!lower)
            lower = open(low);
        QVERIFY(lower && higher);
        QVERIFY(!lower->authorized());
        QVERIFY(higher->authorized());
        QVERIFY(lower->write(pairFrame({ 1, 2, 3 })));
        QVERIFY(higher->write(pairFrame({ 4, 5, 6 })));
        QVERIFY(lower->write(pairFrame({ 7, 8 })));
        QCOMPARE(stored(m_time), (QList<double> { 4, 5, 6 }));
        QCOMPARE(stored(m_value), (QList<double> { 40, 50, 60 }));
        QCOMPARE(m_recorder.values(m_time), (QList<double> { 4, 5, 6 }));
        QCOMPARE(*lower->commit(), seconds(0));
        // Closing the holder hands control to the one left.
        higher.reset();
        QVERIFY(lower->authorized());
        QVERIFY(lower->write(pairFrame({ 9 })));
        QCOMPARE(stored(m_time), (QList<double> { 4, 5, 6, 9 }));
    }

    void errOnUnauthorizedFailsOpenAgainstEqualOrHigherAuthority_data()
    {
        QTest::addColumn<int>("holder");
        QTest::addColumn<int>("opener");
        QTest::addColumn<bool>("opens");
        QTest::newRow("lower") << 200 << 100 << false;
        QTest::newRow("equal") << 200 << 200 << false;
        QTest::newRow("equal absolute") << 255 << 255 << false;
        QTest::newRow("higher") << 200 << 201 << true;
    }
    void errOnUnauthorizedFailsOpenAgainstEqualOrHigherAuthority()
    {
        QFETCH(int, holder);
        QFETCH(int, opener);
        QFETCH(bool, opens);
        WriterConfig first = pairConfig();
        first.authorities = { Authority(holder) };
        first.subject.name = u"first"_s;
        const auto held = open(first);
        WriterConfig second = pairConfig();
        second.authorities = { Authority(opener) };
        second.errOnUnauthorized = true;
        const auto writer = FrameWriter::open(*m_framer, second);
        QCOMPARE(writer.has_value(), opens);
        if (!opens) {
            QCOMPARE(writer.error().type, errors::Unauthorized);
            QVERIFY2(writer.error().message.contains(u"first"_s),
                qPrintable(writer.error().message));
            // The failed open left no claim behind.
            QVERIFY(held->authorized());
        } else {
            QVERIFY(!held->authorized());
        }
    }

    void errOnUnauthorizedWriteFailsAfterLosingControl()
    {
        WriterConfig strict = pairConfig();
        strict.authorities = { 100 };
        strict.errOnUnauthorized = true;
        const auto writer = open(strict);
        QVERIFY(writer->write(pairFrame({ 1 })));
        WriterConfig stronger = pairConfig();
        stronger.authorities = { 200 };
        const auto other = open(stronger);
        const auto written = writer->write(pairFrame({ 2 }));
        QVERIFY(!written.has_value());
        QCOMPARE(written.error().type, errors::Unauthorized);
        QCOMPARE(stored(m_time), (QList<double> { 1 }));
    }

    void setAuthorityHandsControlOver_data()
    {
        QTest::addColumn<bool>("holderLowers");
        QTest::addColumn<bool>("byKey");
        QTest::newRow("holder lowers itself, all channels") << true << false;
        QTest::newRow("holder lowers itself, by key") << true << true;
        QTest::newRow("other raises itself, all channels") << false << false;
        QTest::newRow("other raises itself, by key") << false << true;
    }
    void setAuthorityHandsControlOver()
    {
        QFETCH(bool, holderLowers);
        QFETCH(bool, byKey);
        WriterConfig a = pairConfig();
        a.authorities = { 200 };
        WriterConfig b = pairConfig();
        b.authorities = { 100 };
        const auto holder = open(a);
        const auto other = open(b);
        QVERIFY(holder->write(pairFrame({ 1 })));
        QVERIFY(other->write(pairFrame({ 2 })));
        QCOMPARE(stored(m_time), (QList<double> { 1 }));

        FrameWriter& changing = holderLowers ? *holder : *other;
        const Authority authority = holderLowers ? 50 : 250;
        const std::vector<ChannelKey> keys
            = byKey ? std::vector<ChannelKey> { m_time, m_value } : std::vector<ChannelKey> {};
        const std::vector<Authority> authorities { authority };
        QVERIFY(changing.setAuthority(keys, authorities));
        QVERIFY(!holder->authorized());
        QVERIFY(other->authorized());
        QVERIFY(holder->write(pairFrame({ 3 })));
        QVERIFY(other->write(pairFrame({ 4 })));
        QCOMPARE(stored(m_time), (QList<double> { 1, 4 }));
        QCOMPARE(stored(m_value), (QList<double> { 10, 40 }));
    }

    void setAuthorityRejectsForeignChannels()
    {
        const auto writer = open(pairConfig());
        const std::vector<ChannelKey> keys { m_otherTime };
        const std::vector<Authority> authorities { 10 };
        const auto set = writer->setAuthority(keys, authorities);
        QVERIFY(!set.has_value());
        QCOMPARE(set.error().type, errors::Validation);
    }

    void perChannelAuthoritiesFollowTheirKeys()
    {
        // Keys out of order with one authority each: the value channel gets 10, time 200.
        WriterConfig config = pairConfig();
        config.keys = { m_value, m_time };
        config.authorities = { 10, 200 };
        const auto writer = open(config);
        QVERIFY(writer);
        WriterConfig onValue;
        onValue.keys = { m_value };
        onValue.authorities = { 100 };
        onValue.errOnUnauthorized = true;
        WriterConfig onTime = onValue;
        onTime.keys = { m_time };
        const auto valueWriter = FrameWriter::open(*m_framer, onValue);
        QVERIFY2(valueWriter.has_value(), qPrintable(why(valueWriter)));
        const auto timeWriter = FrameWriter::open(*m_framer, onTime);
        QVERIFY(!timeWriter.has_value());
        QCOMPARE(timeWriter.error().type, errors::Unauthorized);
    }

    void excludedGroupsAreNotDelivered_data()
    {
        QTest::addColumn<QList<int>>("excluded");
        QTest::addColumn<int>("group");
        QTest::addColumn<bool>("delivered");
        QTest::newRow("excluding 42, writer in 42") << QList<int> { 42 } << 42 << false;
        QTest::newRow("excluding 42, writer in 0") << QList<int> { 42 } << 0 << true;
        QTest::newRow("excluding 99, writer in 42") << QList<int> { 99 } << 42 << true;
        QTest::newRow("excluding 0, writer in 0") << QList<int> { 0 } << 0 << true;
        QTest::newRow("excluding 7 and 42, writer in 42") << QList<int> { 7, 42 } << 42 << false;
    }
    void excludedGroupsAreNotDelivered()
    {
        QFETCH(QList<int>, excluded);
        QFETCH(int, group);
        QFETCH(bool, delivered);
        Recorder streamer;
        streamer.setKeys({ m_live, m_value });
        std::set<std::uint32_t> groups;
        for (const int g : excluded)
            groups.insert(std::uint32_t(g));
        streamer.setExcludedGroups(groups);
        m_framer->relay().subscribe(&streamer);

        WriterConfig config;
        config.keys = { m_live };
        config.subject.group = std::uint32_t(group);
        const auto writer = open(config);
        Frame frame;
        frame.add(m_live, Series::fromValues<double>({ 1, 2, 3 }));
        QVERIFY(writer->write(frame));
        m_framer->relay().unsubscribe(&streamer);
        const QList<double> expected = delivered ? QList<double> { 1, 2, 3 } : QList<double> {};
        QCOMPARE(streamer.values(m_live), expected);
        // A subscriber excluding nothing always gets it.
        QCOMPARE(m_recorder.values(m_live), (QList<double> { 1, 2, 3 }));
    }

    void relayDeliversOnlyTheSubscribedChannels()
    {
        Recorder streamer;
        streamer.setKeys({ m_value });
        m_framer->relay().subscribe(&streamer);
        const auto writer = open(pairConfig());
        QVERIFY(writer->write(pairFrame({ 1, 2 })));
        m_framer->relay().unsubscribe(&streamer);
        QVERIFY(writer->write(pairFrame({ 3 })));
        QCOMPARE(streamer.frames.size(), std::size_t(1));
        QCOMPARE(streamer.frames[0].keys(), std::vector<ChannelKey> { m_value });
        QCOMPARE(streamer.values(m_value), (QList<double> { 10, 20 }));
    }

    void virtualChannelsAreRelayedWithIncreasingAlignmentsAndNeverStored()
    {
        WriterConfig config;
        config.keys = { m_live };
        auto writer = open(config);
        const auto writeLive = [&](std::initializer_list<double> values) {
            Frame frame;
            frame.add(m_live, Series::fromValues<double>(values));
            return writer->write(frame);
        };
        QVERIFY(writeLive({ 1, 2, 3 }));
        QVERIFY(writeLive({ 4, 5 }));
        writer.reset();
        writer = open(config); // the count continues across writers
        QVERIFY(writeLive({ 6 }));
        QCOMPARE(m_recorder.frames.size(), std::size_t(3));
        const std::vector<std::uint64_t> alignments { 0, 3, 5 };
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(m_recorder.frames[i].seriesAt(0).alignment(), alignments[i]);
        QCOMPARE(m_recorder.values(m_live), (QList<double> { 1, 2, 3, 4, 5, 6 }));
        QVERIFY(stored(m_live).isEmpty());
        const auto anything = m_store->chunkFrom(m_live, TimeStamp::Min);
        QVERIFY(anything.has_value() && !anything->has_value());
    }

    void simulatorRetentionDeletesOnlyTheStandsOldSamples()
    {
        const TimeStamp now = TimeStamp::now();
        const TimeSpan day = TimeSpan::hours(24);
        SimulatorConfig config;
        config.retention = day * 7;
        std::vector<Channel> stand;
        {
            auto simulator = Simulator::create(*m_framer, config);
            QVERIFY2(simulator, qPrintable(why(simulator)));
            stand = (*simulator)->channels();
        }
        // Eight, five days and one second ago: on the stand's channels, and on a user's.
        const auto writeAt = [&](const std::vector<ChannelKey>& keys, TimeStamp at) {
            std::vector<ChannelKey> sorted = keys;
            WriterConfig writerConfig;
            writerConfig.start = at;
            writerConfig.keys = sorted;
            auto writer = open(writerConfig);
            QVERIFY(writer);
            Frame frame;
            for (const ChannelKey key : keys) {
                const auto c = m_registry->find(key);
                if (c->isIndex)
                    frame.add(key, Series::fromTimeStamps(std::vector<TimeStamp> { at }));
                else if (c->dataType == DataType::Uint8)
                    frame.add(key, Series::fromValues<std::uint8_t>({ 1 }));
                else
                    frame.add(key, Series::fromValues<double>({ 1.0 }));
            }
            const auto written = writer->write(frame);
            QVERIFY2(written, qPrintable(why(written)));
        };
        std::map<ChannelKey, std::vector<ChannelKey>> groups;
        for (const Channel& c : stand)
            groups[c.isIndex ? c.key : c.index].push_back(c.key);
        for (const TimeSpan age : { day * 8, day * 5, TimeSpan::seconds(1) }) {
            for (auto& [index, members] : groups) {
                std::vector<ChannelKey> keys = members;
                if (std::find(keys.begin(), keys.end(), index) == keys.end())
                    keys.push_back(index);
                writeAt(keys, now - age);
            }
            writeAt({ m_time, m_value }, now - age);
        }
        auto simulator = Simulator::create(*m_framer, config);
        QVERIFY(simulator);
        const auto removed = (*simulator)->enforceRetention(now);
        QVERIFY2(removed, qPrintable(why(removed)));
        QCOMPARE(*removed, std::int64_t(stand.size()));
        const double eightDays = (now - day * 8).nanoseconds() / 1e9;
        for (const Channel& c : stand) {
            const QList<double> kept = stored(c.key);
            QCOMPARE(kept.size(), 2);
            if (c.isIndex)
                QVERIFY(kept.front() > eightDays + 1);
        }
        // The user's channel keeps everything, however old.
        QCOMPARE(stored(m_time).size(), 3);
        QCOMPARE(stored(m_value).size(), 3);
        // Nothing more to do a second time.
        QCOMPARE(*(*simulator)->enforceRetention(now), std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestFrameWriter)
#include "tst_frame_writer.moc"
