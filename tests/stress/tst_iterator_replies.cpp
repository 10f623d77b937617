// The cluster's iterator under the reads that broke it, through the real client and the
// binary frame codec on loopback: regions written out of time order, and replies far larger
// than the socket's send backlog (200 channels × a 100k chunk, one span over 10 M samples).
#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/writer.h"
#include "core/server/embedded_cluster.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::client;
using sightline::core::server::ClusterConfig;
using sightline::core::server::EmbeddedCluster;

namespace {

template <typename T> QString why(const Result<T>& result)
{
    return result ? QString() : result.error().toString();
}

/// Every sample of `key` in `frame`, in the order a Synnax client keeps series: by
/// alignment.
template <typename T> std::vector<T> byAlignment(const Frame& frame, ChannelKey key)
{
    std::vector<const Series*> series = frame.seriesOf(key);
    std::stable_sort(series.begin(), series.end(), [](const Series* a, const Series* b) {
        return a->alignment() < b->alignment();
    });
    std::vector<T> out;
    for (const Series* s : series) {
        const auto values = s->values<T>();
        out.insert(out.end(), values.begin(), values.end());
    }
    return out;
}

} // namespace

class TestIteratorReplies : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    EmbeddedCluster m_cluster;
    std::unique_ptr<Connection> m_connection;
    int m_names = 0;

    /// An index and `count` float64 channels indexed by it; the index first.
    std::vector<Channel> createGroup(int count)
    {
        const QString suffix = QString::number(++m_names);
        Channel index;
        index.name = u"time_"_s + suffix;
        index.dataType = DataType::Timestamp;
        index.isIndex = true;
        auto indexes = m_connection->createChannels({ index });
        if (!indexes)
            qFatal("cannot create an index: %s", qPrintable(indexes.error().toString()));
        std::vector<Channel> wanted;
        for (int i = 0; i < count; ++i) {
            Channel data;
            data.name = u"value_%1_%2"_s.arg(suffix).arg(i);
            data.dataType = DataType::Float64;
            data.index = (*indexes)[0].key;
            wanted.push_back(data);
        }
        auto datas = m_connection->createChannels(wanted);
        if (!datas)
            qFatal("cannot create channels: %s", qPrintable(datas.error().toString()));
        std::vector<Channel> group { (*indexes)[0] };
        group.insert(group.end(), datas->begin(), datas->end());
        return group;
    }

    static std::vector<ChannelRef> refsOf(const std::vector<Channel>& group)
    {
        std::vector<ChannelRef> refs;
        for (const Channel& channel : group)
            refs.push_back(channel.key);
        return refs;
    }

    /// Writes `samples` stamps from `first` (1 µs apart) in writes of `perWrite`; data
    /// channel i holds i + the sample's number.
    void writeGroup(const std::vector<Channel>& group,
        std::int64_t first,
        std::size_t samples,
        std::size_t perWrite)
    {
        auto writer
            = Writer::open(*m_connection, { .start = TimeStamp(first), .channels = refsOf(group) });
        QVERIFY2(writer, qPrintable(why(writer)));
        for (std::size_t from = 0; from < samples; from += perWrite) {
            const std::size_t n = std::min(perWrite, samples - from);
            std::vector<TimeStamp> stamps(n);
            std::vector<double> values(n);
            for (std::size_t i = 0; i < n; ++i)
                stamps[i] = TimeStamp(first + static_cast<std::int64_t>(from + i) * 1000);
            Frame frame;
            frame.add(group[0].key, Series::fromTimeStamps(stamps));
            for (std::size_t c = 1; c < group.size(); ++c) {
                for (std::size_t i = 0; i < n; ++i)
                    values[i] = double(c) + double(from + i);
                frame.add(group[c].key, Series::fromValues<double>(values));
            }
            const auto written = (*writer)->write(frame);
            QVERIFY2(written, qPrintable(why(written)));
        }
        const auto committed = (*writer)->commit();
        QVERIFY2(committed, qPrintable(why(committed)));
        QVERIFY((*writer)->close());
    }

    void writeStamps(const Channel& index, const std::vector<std::int64_t>& at)
    {
        std::vector<TimeStamp> stamps;
        for (const std::int64_t ns : at)
            stamps.emplace_back(ns);
        auto writer
            = Writer::open(*m_connection, { .start = stamps.front(), .channels = { index.key } });
        QVERIFY2(writer, qPrintable(why(writer)));
        Frame frame;
        frame.add(index.key, Series::fromTimeStamps(stamps));
        QVERIFY((*writer)->write(frame));
        QVERIFY((*writer)->commit());
        QVERIFY((*writer)->close());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ClusterConfig cluster;
        cluster.dataDir = m_dir.path();
        cluster.simulator.reset();
        auto started = m_cluster.start(cluster);
        QVERIFY2(started, qPrintable(why(started)));
        ConnectionConfig config;
        config.port = m_cluster.port();
        m_connection = std::make_unique<Connection>(config);
    }

    void regionsWrittenIntoAGapReadBackInTimeOrder()
    {
        const std::vector<Channel> group = createGroup(0);
        writeStamps(group[0], { 1000, 2000 });
        writeStamps(group[0], { 1'000'000 });
        writeStamps(group[0], { 5000, 6000 });
        const std::vector<std::int64_t> expected { 1000, 2000, 5000, 6000, 1'000'000 };
        auto all = read(*m_connection, TimeRange::max(), { group[0].key });
        QVERIFY2(all, qPrintable(why(all)));
        QCOMPARE(byAlignment<std::int64_t>(*all, group[0].key), expected);
        // Seeks and spans in the middle keep the order too.
        auto iterator = Iterator::open(*m_connection, { .channels = { group[0].key } });
        QVERIFY2(iterator, qPrintable(why(iterator)));
        QVERIFY(*(*iterator)->seekGE(TimeStamp(1500)));
        QVERIFY(*(*iterator)->next(TimeSpan(10'000)));
        QCOMPARE(byAlignment<std::int64_t>((*iterator)->value(), group[0].key),
            (std::vector<std::int64_t> { 2000, 5000, 6000 }));
        QVERIFY((*iterator)->close());
    }

    void aChunkOf200ChannelsArrivesWhole()
    {
        constexpr int Channels = 200;
        constexpr std::size_t Samples = 100'000;
        const std::vector<Channel> group = createGroup(Channels);
        writeGroup(group, 1'000'000'000, Samples, 10'000);
        QElapsedTimer timer;
        timer.start();
        auto iterator = Iterator::open(*m_connection, { .channels = refsOf(group) });
        QVERIFY2(iterator, qPrintable(why(iterator)));
        QVERIFY(*(*iterator)->seekFirst());
        const auto stepped = (*iterator)->next(); // one chunk: 100k samples of 201 channels
        QVERIFY2(stepped && *stepped, qPrintable(why(stepped)));
        const Frame& frame = (*iterator)->value();
        for (std::size_t c = 1; c < group.size(); ++c) {
            const auto values = byAlignment<double>(frame, group[c].key);
            QCOMPARE(values.size(), Samples);
            QCOMPARE(values.front(), double(c));
            QCOMPARE(values.back(), double(c) + double(Samples - 1));
        }
        QCOMPARE(byAlignment<std::int64_t>(frame, group[0].key).size(), Samples);
        qInfo("201 × 100k samples (%.0f MiB) read in %lld ms",
            double(Channels + 1) * Samples * 8 / (1 << 20),
            timer.elapsed());
        // The stream is still usable after the large reply.
        QVERIFY(!*(*iterator)->next());
        QVERIFY((*iterator)->close());
    }

    void oneSpanOverTenMillionSamplesArrivesWhole()
    {
        constexpr std::size_t Samples = 10'000'000;
        const std::vector<Channel> group = createGroup(1);
        writeGroup(group, 2'000'000'000'000, Samples, 500'000);
        auto iterator = Iterator::open(*m_connection, { .channels = refsOf(group) });
        QVERIFY2(iterator, qPrintable(why(iterator)));
        QVERIFY(*(*iterator)->seekFirst());
        const auto stepped = (*iterator)->next(TimeSpan::seconds(3600));
        QVERIFY2(stepped && *stepped, qPrintable(why(stepped)));
        const auto values = byAlignment<double>((*iterator)->value(), group[1].key);
        QCOMPARE(values.size(), Samples);
        std::vector<double> expected(Samples);
        std::iota(expected.begin(), expected.end(), 1.0);
        QVERIFY(values == expected);
        QVERIFY((*iterator)->close());
    }
};

QTEST_GUILESS_MAIN(TestIteratorReplies)
#include "tst_iterator_replies.moc"
