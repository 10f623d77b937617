#include "core/server/storage/database.h"
#include "core/server/storage/sample_store.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

namespace {

/// The error of a failed result, for QVERIFY2 messages (which are built even on success).
template <typename T> QString why(const Result<T>& result)
{
    return result ? QString() : result.error().toString();
}

constexpr ChannelKey IndexKey = 1048577;
constexpr ChannelKey DataKey = 1048578;
constexpr ChannelKey OtherKey = 1048579;
constexpr qint64 Second = 1'000'000'000;

TimeStamp seconds(double s) { return TimeStamp(std::llround(s * 1e9)); }

/// An index chunk holding `stamps` (seconds), as the writer stores one.
StoredChunk indexChunk(ChannelKey key, const std::vector<double>& stamps, std::uint64_t alignment)
{
    std::vector<TimeStamp> values;
    for (const double s : stamps)
        values.push_back(seconds(s));
    StoredChunk chunk;
    chunk.channel = key;
    chunk.range = { values.front(), values.back() + TimeSpan(1) };
    chunk.indexStart = chunk.range.start;
    chunk.series = Series::fromTimeStamps(values);
    chunk.series.setTimeRange(chunk.range);
    chunk.series.setAlignment(alignment);
    return chunk;
}

/// A data chunk whose samples are ten times their timestamps in seconds (so every sample
/// names the timestamp it must pair with), paired with `index` from `offset`.
StoredChunk dataChunk(
    ChannelKey key, const StoredChunk& index, std::size_t offset, std::size_t count)
{
    const auto stamps = index.series.values<std::int64_t>();
    std::vector<double> values;
    for (std::size_t i = offset; i < offset + count; ++i)
        values.push_back(double(stamps[i]) / 1e8);
    StoredChunk chunk;
    chunk.channel = key;
    chunk.range = { TimeStamp(stamps[offset]), TimeStamp(stamps[offset + count - 1] + 1) };
    chunk.indexStart = index.indexStart;
    chunk.offset = offset;
    chunk.series = Series::fromValues<double>(std::span<const double>(values));
    chunk.series.setTimeRange(chunk.range);
    chunk.series.setAlignment(index.series.alignment() + offset);
    return chunk;
}

std::vector<double> range(double first, double last, double step = 1)
{
    std::vector<double> out;
    for (double s = first; s <= last + 1e-9; s += step)
        out.push_back(s);
    return out;
}

} // namespace

class TestSampleStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SampleStore> m_store;

    void reopen()
    {
        m_store.reset();
        m_db.reset();
        auto db = Database::open(m_dir.filePath(u"samples.db"_s));
        QVERIFY2(db.has_value(), qPrintable(why(db)));
        m_db = std::move(*db);
        auto store = SampleStore::open(*m_db);
        QVERIFY2(store.has_value(), qPrintable(why(store)));
        m_store = std::move(*store);
    }

    void insert(std::vector<StoredChunk> chunks)
    {
        const auto inserted = m_store->insert(chunks);
        QVERIFY2(inserted.has_value(), qPrintable(why(inserted)));
    }

    /// Every chunk of `channel`, in time order.
    std::vector<StoredChunk> chunksOf(ChannelKey channel)
    {
        std::vector<StoredChunk> out;
        TimeStamp from = TimeStamp::Min;
        while (true) {
            auto chunk = m_store->chunkFrom(channel, from);
            if (!chunk || !*chunk)
                break;
            from = (*chunk)->range.end;
            out.push_back(std::move(**chunk));
        }
        return out;
    }

    /// Reads every data sample through timestampsOf and checks that it pairs with the
    /// timestamp it was written with; returns the timestamps (ns) of the data samples.
    QList<qint64> pairedDataStamps()
    {
        QList<qint64> stamps;
        for (const StoredChunk& chunk : chunksOf(DataKey)) {
            const auto index = m_store->timestampsOf(chunk, IndexKey);
            if (!index) {
                qWarning() << index.error().toString();
                return { -1 };
            }
            const auto times = index->values<std::int64_t>();
            const auto values = chunk.series.values<double>();
            if (times.size() != values.size())
                return { -2 };
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (std::llround(values[i] * 1e8) != times[i]) {
                    qWarning() << "sample" << values[i] << "pairs with" << times[i];
                    return { -3 };
                }
                stamps.append(times[i]);
            }
            if (chunk.range != TimeRange { TimeStamp(times.front()), TimeStamp(times.back() + 1) })
                return { -4 };
        }
        return stamps;
    }

    QList<qint64> indexStamps()
    {
        QList<qint64> stamps;
        for (const StoredChunk& chunk : chunksOf(IndexKey))
            for (const std::int64_t t : chunk.series.values<std::int64_t>())
                stamps.append(t);
        return stamps;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store.reset();
        m_db.reset();
        for (const QString& suffix : { u""_s, u"-wal"_s, u"-shm"_s })
            QFile::remove(m_dir.filePath(u"samples.db"_s + suffix));
        reopen();
    }

    void cleanup()
    {
        m_store.reset();
        m_db.reset();
    }

    void insertedChunkReadsBackExactly_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("float64") << int(DataType::Float64);
        QTest::newRow("int8") << int(DataType::Int8);
        QTest::newRow("uint64") << int(DataType::Uint64);
        QTest::newRow("string") << int(DataType::String);
        QTest::newRow("json") << int(DataType::Json);
    }
    void insertedChunkReadsBackExactly()
    {
        QFETCH(int, type);
        const StoredChunk index = indexChunk(IndexKey, { 1, 2, 3.5 }, 41);
        StoredChunk data = index;
        data.channel = DataKey;
        data.offset = 0;
        switch (DataType::Id(type)) {
        case DataType::Float64:
            data.series = Series::fromValues<double>({ -1.5, 0.0, 1e300 });
            break;
        case DataType::Int8:
            data.series = Series::fromValues<std::int8_t>({ -128, 0, 127 });
            break;
        case DataType::Uint64:
            data.series = Series::fromValues<std::uint64_t>({ 0, 1, ~std::uint64_t(0) });
            break;
        case DataType::String:
            data.series = Series::fromStrings({ u"a"_s, u""_s, u"line\nbreak ü"_s });
            break;
        default:
            data.series
                = Series::fromStrings({ u"{}"_s, u"[1]"_s, u"{\"a\":2}"_s }, DataType::Json);
            break;
        }
        data.series.setTimeRange(index.range);
        data.series.setAlignment(41);
        insert({ index, data });

        const auto back = m_store->chunkFrom(DataKey, seconds(2));
        QVERIFY(back.has_value() && back->has_value());
        const StoredChunk& read = **back;
        QCOMPARE(read.channel, DataKey);
        QCOMPARE(read.range, (TimeRange { seconds(1), seconds(3.5) + TimeSpan(1) }));
        QCOMPARE(read.indexStart, seconds(1));
        QCOMPARE(read.offset, std::uint64_t(0));
        QCOMPARE(read.series.dataType(), DataType(DataType::Id(type)));
        QCOMPARE(read.series.size(), std::size_t(3));
        QCOMPARE(read.series.alignment(), std::uint64_t(41));
        QCOMPARE(read.series.timeRange(), read.range);
        QVERIFY(std::ranges::equal(read.series.bytes(), data.series.bytes()));
        if (DataType(DataType::Id(type)).isVariable())
            QCOMPARE(read.series.stringAt(2), data.series.stringAt(2));

        const auto stamps = m_store->chunkFrom(IndexKey, seconds(0));
        QVERIFY(stamps.has_value() && stamps->has_value());
        QCOMPARE((*stamps)->series, index.series);
    }

    void chunkFromAndBefore_data()
    {
        QTest::addColumn<bool>("forward");
        QTest::addColumn<qint64>("stamp");
        QTest::addColumn<qint64>("expectedStart"); // -1: no chunk
        // Chunks [1 s, 5 s + 1 ns) and [10 s, 12 s + 1 ns).
        QTest::newRow("from: before everything") << true << qint64(0) << 1 * Second;
        QTest::newRow("from: first start") << true << 1 * Second << 1 * Second;
        QTest::newRow("from: inside first") << true << 3 * Second << 1 * Second;
        QTest::newRow("from: first's last sample") << true << 5 * Second << 1 * Second;
        QTest::newRow("from: first's end (exclusive)") << true << 5 * Second + 1 << 10 * Second;
        QTest::newRow("from: in the gap") << true << 7 * Second << 10 * Second;
        QTest::newRow("from: inside second") << true << 11 * Second << 10 * Second;
        QTest::newRow("from: last sample") << true << 12 * Second << 10 * Second;
        QTest::newRow("from: at the end") << true << 12 * Second + 1 << qint64(-1);
        QTest::newRow("from: after the end") << true << 100 * Second << qint64(-1);
        QTest::newRow("before: first start") << false << 1 * Second << qint64(-1);
        QTest::newRow("before: just after first start") << false << 1 * Second + 1 << 1 * Second;
        QTest::newRow("before: in the gap") << false << 7 * Second << 1 * Second;
        QTest::newRow("before: second start") << false << 10 * Second << 1 * Second;
        QTest::newRow("before: inside second") << false << 11 * Second << 10 * Second;
        QTest::newRow("before: after the end") << false << 100 * Second << 10 * Second;
    }
    void chunkFromAndBefore()
    {
        QFETCH(bool, forward);
        QFETCH(qint64, stamp);
        QFETCH(qint64, expectedStart);
        const StoredChunk first = indexChunk(IndexKey, range(1, 5), 0);
        const StoredChunk second = indexChunk(IndexKey, range(10, 12), 5);
        insert({ first, second, indexChunk(OtherKey, range(6, 8), 0) });

        const TimeStamp at(stamp);
        const auto chunk
            = forward ? m_store->chunkFrom(IndexKey, at) : m_store->chunkBefore(IndexKey, at);
        const auto span
            = forward ? m_store->spanFrom(IndexKey, at) : m_store->spanBefore(IndexKey, at);
        QVERIFY(chunk.has_value() && span.has_value());
        QCOMPARE(chunk->has_value(), expectedStart >= 0);
        QCOMPARE(span->has_value(), expectedStart >= 0);
        if (expectedStart < 0)
            return;
        const StoredChunk& expected
            = expectedStart == first.range.start.nanoseconds() ? first : second;
        QCOMPARE((*chunk)->range, expected.range);
        QCOMPARE((*chunk)->series, expected.series);
        QCOMPARE((*span)->range, expected.range);
        QCOMPARE((*span)->count, expected.series.size());
    }

    void overlapsIsStartInclusiveEndExclusive_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<bool>("overlaps");
        // One chunk of samples at 10, 11 and 12 s: [10 s, 12 s + 1 ns).
        QTest::newRow("ends exactly at its start") << 9 * Second << 10 * Second << false;
        QTest::newRow("ends 1 ns past its start") << 9 * Second << 10 * Second + 1 << true;
        QTest::newRow("starts at its last sample") << 12 * Second << 13 * Second << true;
        QTest::newRow("starts exactly at its end") << 12 * Second + 1 << 13 * Second << false;
        QTest::newRow("one instant inside") << 11 * Second << 11 * Second + 1 << true;
        QTest::newRow("covers it") << qint64(0) << 100 * Second << true;
        QTest::newRow("long before") << qint64(0) << 5 * Second << false;
        QTest::newRow("long after") << 20 * Second << 30 * Second << false;
        QTest::newRow("empty range at its start") << 10 * Second << 10 * Second << false;
    }
    void overlapsIsStartInclusiveEndExclusive()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(bool, overlaps);
        insert({ indexChunk(IndexKey, { 10, 11, 12 }, 0) });
        const TimeRange probe { TimeStamp(start), TimeStamp(end) };
        const auto result = m_store->overlaps(IndexKey, probe);
        QVERIFY(result.has_value());
        QCOMPARE(*result, overlaps);
        // Another channel's chunks never count.
        QCOMPARE(*m_store->overlaps(OtherKey, probe), false);
    }

    void timestampsOfPairsDataWithItsIndexSlice_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("count");
        QTest::newRow("whole chunk") << 0 << 10;
        QTest::newRow("middle") << 3 << 4;
        QTest::newRow("tail") << 8 << 2;
        QTest::newRow("single sample") << 5 << 1;
    }
    void timestampsOfPairsDataWithItsIndexSlice()
    {
        QFETCH(int, offset);
        QFETCH(int, count);
        const StoredChunk index = indexChunk(IndexKey, range(1, 10), 0);
        insert({ index, dataChunk(DataKey, index, std::size_t(offset), std::size_t(count)) });
        const auto chunk = m_store->chunkFrom(DataKey, TimeStamp::Min);
        QVERIFY(chunk.has_value() && chunk->has_value());
        const auto stamps = m_store->timestampsOf(**chunk, IndexKey);
        QVERIFY2(stamps.has_value(), qPrintable(why(stamps)));
        QCOMPARE(stamps->dataType(), DataType(DataType::Timestamp));
        QCOMPARE(stamps->size(), std::size_t(count));
        for (int i = 0; i < count; ++i)
            QCOMPARE(stamps->values<std::int64_t>()[std::size_t(i)], (offset + 1 + i) * Second);
        // An index chunk's timestamps are its own samples.
        const auto own = m_store->timestampsOf(index, IndexKey);
        QCOMPARE(own->values<std::int64_t>().size(), std::size_t(10));
    }

    void timestampsOfFailsWhenTheIndexIsMissing()
    {
        const StoredChunk index = indexChunk(IndexKey, range(1, 10), 0);
        StoredChunk tooLong = dataChunk(DataKey, index, 8, 2);
        tooLong.offset = 9; // would read past the index chunk's end
        StoredChunk orphan = dataChunk(DataKey, index, 0, 3);
        orphan.indexStart = seconds(50); // no index chunk starts there
        for (const StoredChunk& chunk : { tooLong, orphan }) {
            insert({ index });
            const auto stamps = m_store->timestampsOf(chunk, IndexKey);
            QVERIFY(!stamps.has_value());
            QCOMPARE(stamps.error().type, errors::Storage);
            QVERIFY(m_store->removeChannel(IndexKey).has_value());
        }
    }

    void removeRangeKeepsEveryDataSampleOnItsTimestamp_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<bool>("twoWrites"); // samples 5..9 s and 10..14 s in separate chunks
        QTest::addColumn<QList<qint64>>("remaining"); // seconds
        // Samples at 5..14 s.
        QTest::newRow("deleter.spec: [5 s, 7 s)")
            << 5 * Second << 7 * Second << false << QList<qint64> { 7, 8, 9, 10, 11, 12, 13, 14 };
        QTest::newRow("middle of one chunk")
            << 7 * Second << 9 * Second << false << QList<qint64> { 5, 6, 9, 10, 11, 12, 13, 14 };
        QTest::newRow("one sample") << 9 * Second << 9 * Second + 1 << false
                                    << QList<qint64> { 5, 6, 7, 8, 10, 11, 12, 13, 14 };
        QTest::newRow("tail") << 12 * Second << 20 * Second << false
                              << QList<qint64> { 5, 6, 7, 8, 9, 10, 11 };
        QTest::newRow("no sample inside") << 7 * Second + 500 << 7 * Second + 600 << false
                                          << QList<qint64> { 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
        QTest::newRow("end is exclusive") << 4 * Second << 5 * Second << false
                                          << QList<qint64> { 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
        QTest::newRow("everything") << qint64(0) << 100 * Second << false << QList<qint64> {};
        QTest::newRow("across two chunks")
            << 8 * Second << 11 * Second << true << QList<qint64> { 5, 6, 7, 11, 12, 13, 14 };
        QTest::newRow("second chunk's head")
            << 10 * Second << 12 * Second << true << QList<qint64> { 5, 6, 7, 8, 9, 12, 13, 14 };
        QTest::newRow("whole first chunk")
            << 5 * Second << 10 * Second << true << QList<qint64> { 10, 11, 12, 13, 14 };
    }
    void removeRangeKeepsEveryDataSampleOnItsTimestamp()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(bool, twoWrites);
        QFETCH(QList<qint64>, remaining);
        if (twoWrites) {
            const StoredChunk first = indexChunk(IndexKey, range(5, 9), 0);
            const StoredChunk second = indexChunk(IndexKey, range(10, 14), 5);
            insert({ first,
                dataChunk(DataKey, first, 0, 5),
                second,
                dataChunk(DataKey, second, 0, 5) });
        } else {
            const StoredChunk index = indexChunk(IndexKey, range(5, 14), 0);
            insert({ index, dataChunk(DataKey, index, 0, 10) });
        }
        const std::vector<ChannelKey> dependents { DataKey };
        const auto removed = m_store->removeRange(IndexKey,
            IndexKey,
            { TimeStamp(start), TimeStamp(end) },
            dependents);
        QVERIFY2(removed.has_value(), qPrintable(why(removed)));

        QList<qint64> expected;
        for (const qint64 s : remaining)
            expected.append(s * Second);
        QCOMPARE(indexStamps(), expected);
        QCOMPARE(pairedDataStamps(), expected);
        // Alignments stay those of the samples (each kept sample keeps its place).
        for (const StoredChunk& chunk : chunksOf(IndexKey))
            QCOMPARE(chunk.series.alignment(),
                std::uint64_t(chunk.range.start.nanoseconds() / Second - 5));
    }

    void removingTwiceKeepsPairs()
    {
        const StoredChunk index = indexChunk(IndexKey, range(5, 14), 0);
        insert({ index, dataChunk(DataKey, index, 0, 10) });
        const std::vector<ChannelKey> dependents { DataKey };
        QVERIFY(m_store->removeRange(IndexKey, IndexKey, { seconds(7), seconds(8) }, dependents));
        QVERIFY(m_store->removeRange(IndexKey, IndexKey, { seconds(11), seconds(13) }, dependents));
        const QList<qint64> expected { 5 * Second,
            6 * Second,
            8 * Second,
            9 * Second,
            10 * Second,
            13 * Second,
            14 * Second };
        QCOMPARE(indexStamps(), expected);
        QCOMPARE(pairedDataStamps(), expected);
    }

    void dataChunkAfterACutFollowsItsIndex()
    {
        // A data chunk that pairs only with the tail of its index chunk is not touched by
        // the range, yet must move to the index piece that now holds its timestamps.
        const StoredChunk index = indexChunk(IndexKey, range(5, 14), 0);
        insert({ index, dataChunk(DataKey, index, 6, 4) });
        const std::vector<ChannelKey> dependents { DataKey };
        QVERIFY(m_store->removeRange(IndexKey, IndexKey, { seconds(7), seconds(9) }, dependents));
        QCOMPARE(pairedDataStamps(),
            (QList<qint64> { 11 * Second, 12 * Second, 13 * Second, 14 * Second }));
    }

    void removeRangeFromADataChannelLeavesItsIndex()
    {
        const StoredChunk index = indexChunk(IndexKey, range(5, 14), 0);
        insert({ index, dataChunk(DataKey, index, 0, 10) });
        QVERIFY(m_store->removeRange(DataKey, IndexKey, { seconds(6), seconds(12) }));
        QCOMPARE(indexStamps().size(), 10);
        QCOMPARE(pairedDataStamps(),
            (QList<qint64> { 5 * Second, 12 * Second, 13 * Second, 14 * Second }));
    }

    void shiftDomainsMovesOnlyLaterChunksOfTheGivenChannels()
    {
        const StoredChunk early = indexChunk(IndexKey, range(1, 10), 0);
        const StoredChunk late = indexChunk(IndexKey, range(20, 29), 10);
        insert({ early,
            dataChunk(DataKey, early, 0, 10),
            late,
            dataChunk(DataKey, late, 0, 10),
            indexChunk(OtherKey, range(20, 29), 0) });
        const std::vector<ChannelKey> moved { IndexKey, DataKey };
        QVERIFY(m_store->shiftDomains(moved, seconds(15), 2));
        const auto alignmentAt = [this](ChannelKey key, int second) {
            return (*m_store->chunkFrom(key, seconds(second)))->series.alignment();
        };
        QCOMPARE(alignmentAt(IndexKey, 1), std::uint64_t(0));
        QCOMPARE(alignmentAt(DataKey, 1), std::uint64_t(0));
        QCOMPARE(alignmentAt(IndexKey, 20), alignment::make(2) + 10);
        QCOMPARE(alignmentAt(DataKey, 20), alignment::make(2) + 10);
        QCOMPARE(alignmentAt(OtherKey, 20), std::uint64_t(0));
        // The spans report the alignment too (the writer numbers new domains from it).
        QCOMPARE((*m_store->spanBefore(IndexKey, seconds(30)))->alignment, alignment::make(2) + 10);
    }

    void removeChunksBeforeKeepsChunksStraddlingTheCut()
    {
        const StoredChunk first = indexChunk(IndexKey, range(1, 10), 0);
        const StoredChunk second = indexChunk(IndexKey, range(11, 20), 10);
        insert({ first, second, indexChunk(OtherKey, range(1, 10), 0) });
        QCOMPARE(*m_store->removeChunksBefore(IndexKey, seconds(15), 100), std::int64_t(1));
        QCOMPARE(indexStamps().size(), 10);
        QCOMPARE(indexStamps().front(), 11 * Second);
        // The batch limit holds, and other channels are untouched.
        QCOMPARE(*m_store->removeChunksBefore(IndexKey, seconds(100), 0), std::int64_t(0));
        QVERIFY(*m_store->chunkFrom(OtherKey, seconds(1)));
    }

    void removeChannelRemovesOnlyThatChannel()
    {
        const StoredChunk index = indexChunk(IndexKey, range(1, 10), 0);
        insert(
            { index, dataChunk(DataKey, index, 0, 10), indexChunk(IndexKey, range(20, 21), 10) });
        QVERIFY(m_store->removeChannel(IndexKey).has_value());
        QVERIFY(chunksOf(IndexKey).empty());
        QCOMPARE(chunksOf(DataKey).size(), std::size_t(1));
    }

    void failedInsertLeavesNothingStored()
    {
        const StoredChunk kept = indexChunk(OtherKey, range(1, 3), 0);
        insert({ kept });
        const StoredChunk index = indexChunk(IndexKey, range(1, 5), 0);
        StoredChunk duplicate = indexChunk(IndexKey, range(1, 2), 5); // same (channel, start)
        const auto failed = m_store->insert({ index,
            dataChunk(DataKey, index, 0, 5),
            indexChunk(OtherKey, range(10, 11), 3),
            duplicate });
        QVERIFY(!failed.has_value());
        QCOMPARE(failed.error().type, errors::Storage);
        QVERIFY(chunksOf(IndexKey).empty());
        QVERIFY(chunksOf(DataKey).empty());
        QCOMPARE(chunksOf(OtherKey).size(), std::size_t(1));
        // The store is still usable afterwards.
        insert({ index });
        QCOMPARE(chunksOf(IndexKey).size(), std::size_t(1));
        reopen();
        QCOMPARE(chunksOf(IndexKey).size(), std::size_t(1));
        QCOMPARE(chunksOf(OtherKey).size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestSampleStore)
#include "tst_sample_store.moc"
