// The client library against the embedded cluster on loopback (its own thread, port 0):
// every statement of the streaming and reading seeds as a named test, the worked examples
// of protocol §6, reconnection, re-login and credential errors.

#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/streamer.h"
#include "core/client/writer.h"
#include "core/server/embedded_cluster.h"
#include "core/socket_options.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::client;
using sightline::core::server::ClusterConfig;
using sightline::core::server::EmbeddedCluster;

namespace {

TimeStamp seconds(double s) { return TimeStamp(static_cast<std::int64_t>(s * 1e9)); }

std::vector<double> doublesOf(const Frame& frame, ChannelKey key)
{
    auto joined = frame.concatenated(key);
    if (!joined || joined->empty())
        return {};
    const auto values = joined->values<double>();
    return { values.begin(), values.end() };
}

std::vector<std::int64_t> stampsOf(const Frame& frame, ChannelKey key)
{
    auto joined = frame.concatenated(key);
    if (!joined || joined->empty())
        return {};
    const auto values = joined->values<std::int64_t>();
    return { values.begin(), values.end() };
}

/// An index channel with one float64 data channel.
struct Pair
{
    Channel index;
    Channel data;
};

} // namespace

class TestClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    EmbeddedCluster m_cluster;
    std::shared_ptr<Connection> m_connection;
    int m_names = 0;

    ConnectionConfig config() const
    {
        ConnectionConfig c;
        c.port = m_cluster.port();
        return c;
    }

    Pair createPair()
    {
        const QString suffix = QString::number(++m_names);
        Channel index;
        index.name = u"time_"_s + suffix;
        index.dataType = DataType::Timestamp;
        index.isIndex = true;
        auto indexes = m_connection->createChannels({ index });
        if (!indexes)
            return {};
        Channel data;
        data.name = u"value_"_s + suffix;
        data.dataType = DataType::Float64;
        data.index = (*indexes)[0].key;
        auto datas = m_connection->createChannels({ data });
        if (!datas)
            return {};
        return { (*indexes)[0], (*datas)[0] };
    }

    Frame frameOf(const Pair& pair, const std::vector<double>& at)
    {
        std::vector<TimeStamp> stamps;
        for (const double s : at)
            stamps.push_back(seconds(s));
        Frame frame;
        frame.add(pair.index.key, Series::fromTimeStamps(stamps));
        frame.add(pair.data.key, Series::fromValues<double>(at));
        return frame;
    }

    /// Writes samples valued as their timestamps in seconds, committed.
    bool writeSeconds(const Pair& pair, const std::vector<std::vector<double>>& batches)
    {
        auto writer = Writer::open(*m_connection,
            { .start = seconds(batches.front().front()),
                .channels = { pair.index.key, pair.data.key } });
        if (!writer)
            return false;
        for (const auto& batch : batches)
            if (!(*writer)->write(frameOf(pair, batch)))
                return false;
        return (*writer)->commit() && (*writer)->close();
    }

    static std::vector<double> range(double first, double last)
    {
        std::vector<double> values;
        for (double v = first; v <= last; v += 1)
            values.push_back(v);
        return values;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ClusterConfig cluster;
        cluster.dataDir = m_dir.path();
        cluster.simulator.reset();
        auto started = m_cluster.start(cluster);
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
        m_connection = std::make_shared<Connection>(config());
    }

    // ---- Connection ------------------------------------------------------------------

    void connectivityCheckReportsClusterAndSkew()
    {
        auto info = m_connection->checkConnectivity();
        QVERIFY2(info, qPrintable(info ? QString() : info.error().toString()));
        QVERIFY(!QUuid::fromString(info->clusterKey).isNull());
        QVERIFY(info->nodeVersion.startsWith(u"0.56"_s));
        QVERIFY(std::abs(info->clockSkew.nanoseconds()) < TimeSpan::seconds(1).nanoseconds());
    }

    void wrongPasswordGivesClearError()
    {
        ConnectionConfig wrong = config();
        wrong.password = u"not-seldon"_s;
        Connection connection(wrong);
        auto channels = connection.searchChannels(QString());
        QVERIFY(!channels);
        QVERIFY2(channels.error().matches(errors::InvalidCredentials),
            qPrintable(channels.error().toString()));
    }

    void nothingListeningGivesUnreachable()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        ConnectionConfig nowhere = config();
        nowhere.port = probe.serverPort();
        probe.close();
        Connection connection(nowhere);
        auto login = connection.login();
        QVERIFY(!login);
        QCOMPARE(login.error().type, errors::Unreachable);
    }

    void streamSocketsSendWithoutNagleDelay()
    {
        // Large iterator answers stalled 40 ms on the peer's delayed ACK while Nagle's
        // algorithm held their last segment.
        QWebSocket socket;
        int lowDelay = -1;
        connect(&socket, &QWebSocket::connected, this, [&] {
            if (!sightline::core::sendWithoutDelay(socket))
                lowDelay = 0;
            else if (auto* tcp = socket.findChild<QAbstractSocket*>())
                lowDelay = tcp->socketOption(QAbstractSocket::LowDelayOption).toInt();
        });
        socket.open(QUrl(u"ws://127.0.0.1:%1/api/v1/frame/iterate"_s.arg(m_cluster.port())));
        QTRY_VERIFY_WITH_TIMEOUT(lowDelay != -1, 5000);
        QCOMPARE(lowDelay, 1);
    }

    void expiredTokenIsRenewedTransparently()
    {
        QTemporaryDir dir;
        EmbeddedCluster shortLived;
        ClusterConfig cluster;
        cluster.dataDir = dir.path();
        cluster.simulator.reset();
        cluster.tokenLifetime = TimeSpan::milliseconds(300);
        QVERIFY(shortLived.start(cluster));
        ConnectionConfig c;
        c.port = shortLived.port();
        Connection connection(c);
        QVERIFY(connection.login());
        auto first = connection.token();
        QVERIFY(first);
        QTest::qWait(500);
        auto channels = connection.searchChannels(QString());
        QVERIFY2(channels, qPrintable(channels ? QString() : channels.error().toString()));
        auto second = connection.token();
        QVERIFY(second && *second != *first);
    }

    void resolveByNameUsesTheCacheAndNamesMissingChannels()
    {
        const Pair pair = createPair();
        auto byName
            = m_connection->resolve(std::vector<ChannelRef> { pair.data.name, pair.index.key });
        QVERIFY(byName);
        QCOMPARE((*byName)[0].key, pair.data.key);
        QCOMPARE((*byName)[1].name, pair.index.name);
        auto missing = m_connection->resolve(std::vector<ChannelRef> { u"no_such_channel"_s });
        QVERIFY(!missing);
        QCOMPARE(missing.error().type, errors::NotFound);
        QVERIFY(missing.error().message.contains(u"no_such_channel"_s));
    }

    // ---- Streamer --------------------------------------------------------------------

    void streamerWithMissingChannelFailsBeforeOpening()
    {
        auto streamer = Streamer::open(m_connection, { .channels = { ChannelKey(5678) } });
        QVERIFY(!streamer);
        QCOMPARE(streamer.error().type, errors::NotFound);
    }

    void streamerFrameHoldsOnlyTheChannelsThatChanged()
    {
        const Pair a = createPair();
        const Pair b = createPair();
        auto streamer = Streamer::open(m_connection,
            { .channels = { a.index.key, a.data.key, b.index.key, b.data.key } });
        QVERIFY2(streamer, qPrintable(streamer ? QString() : streamer.error().toString()));
        QVERIFY(writeSeconds(a, { { 1, 2, 3 } }));
        auto frame = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(frame && *frame);
        QCOMPARE(doublesOf(**frame, a.data.key), (std::vector<double> { 1, 2, 3 }));
        QVERIFY(!(*frame)->contains(b.data.key));
        QVERIFY(!(*frame)->contains(b.index.key));
        // Series of varying lengths: a later write of 5 samples arrives as 5.
        QVERIFY(writeSeconds(a, { { 4, 5, 6, 7, 8 } }));
        frame = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(frame && *frame);
        QCOMPARE(doublesOf(**frame, a.data.key).size(), std::size_t(5));
    }

    void readWithTimeoutReturnsNothingWhenNothingIsWritten()
    {
        const Pair a = createPair();
        auto streamer = Streamer::open(m_connection, { .channels = { a.data.key } });
        QVERIFY(streamer);
        auto frame = (*streamer)->read(TimeSpan::milliseconds(100));
        QVERIFY(frame);
        QVERIFY(!*frame);
    }

    void afterSetChannelsOnlyTheNewSetArrives()
    {
        const Pair a = createPair();
        const Pair b = createPair();
        auto streamer = Streamer::open(m_connection, { .channels = { a.index.key, a.data.key } });
        QVERIFY(streamer);
        QVERIFY((*streamer)->setChannels({ b.index.key, b.data.key }));
        QTest::qWait(100); // the update is one request; let it reach the cluster
        QVERIFY(writeSeconds(a, { { 1, 2 } }));
        QVERIFY(writeSeconds(b, { { 10, 11 } }));
        auto frame = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(frame && *frame);
        QVERIFY(!(*frame)->contains(a.data.key));
        QCOMPARE(doublesOf(**frame, b.data.key), (std::vector<double> { 10, 11 }));
        QVERIFY(!(*streamer)->setChannels({ ChannelKey(999999) }));
        QCOMPARE((*streamer)->channels().size(), std::size_t(2));
    }

    void framesAvailableSignalsQtCode()
    {
        const Pair a = createPair();
        auto streamer = Streamer::open(m_connection, { .channels = { a.data.key, a.index.key } });
        QVERIFY(streamer);
        QSignalSpy available(streamer->get(), &Streamer::framesAvailable);
        QVERIFY(writeSeconds(a, { { 1 } }));
        // writeSeconds runs the event loop, so the signal may already have come.
        QVERIFY(!available.isEmpty() || available.wait(5000));
        QCOMPARE((*streamer)->takeAll().size(), std::size_t(1));
    }

    void downsampleFactorKeepsEveryNthSample()
    {
        const Pair a = createPair();
        auto streamer
            = Streamer::open(m_connection, { .channels = { a.data.key }, .downsampleFactor = 2 });
        QVERIFY(streamer);
        QVERIFY(writeSeconds(a, { range(1, 10) }));
        auto frame = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(frame && *frame);
        QCOMPARE(doublesOf(**frame, a.data.key), (std::vector<double> { 1, 3, 5, 7, 9 }));
    }

    void closeStopsTheThreadAndIsSafeTwice()
    {
        const Pair a = createPair();
        auto streamer = Streamer::open(m_connection, { .channels = { a.data.key } });
        QVERIFY(streamer);
        QSignalSpy states(streamer->get(), &Streamer::stateChanged);
        (*streamer)->close();
        (*streamer)->close();
        QCOMPARE((*streamer)->state(), StreamerState::Closed);
        auto read = (*streamer)->read(TimeSpan::milliseconds(10));
        QVERIFY(!read);
        QCOMPARE(read.error().type, errors::Eof);
        // The cluster saw the stream end.
        int open = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            (m_cluster.run([&](auto& c) { open = c.openStreams(); }), open == 0),
            3000);
    }

    void streamerReconnectsWithItsChannelsAfterARestart()
    {
        QTemporaryDir dir;
        EmbeddedCluster restartable;
        ClusterConfig cluster;
        cluster.dataDir = dir.path();
        cluster.simulator.reset();
        QVERIFY(restartable.start(cluster));
        cluster.port = restartable.port();
        ConnectionConfig c;
        c.port = restartable.port();
        auto connection = std::make_shared<Connection>(c);
        Channel index;
        index.name = u"t"_s;
        index.dataType = DataType::Timestamp;
        index.isIndex = true;
        auto indexes = connection->createChannels({ index });
        QVERIFY(indexes);
        auto streamer = Streamer::open(connection, { .channels = { (*indexes)[0].key } });
        QVERIFY(streamer);
        std::vector<StreamerState> seen;
        QObject::connect(
            streamer->get(),
            &Streamer::stateChanged,
            streamer->get(),
            [&](StreamerState state, const QString&) { seen.push_back(state); },
            Qt::DirectConnection);

        restartable.stop();
        QTRY_COMPARE_WITH_TIMEOUT((*streamer)->state(), StreamerState::Reconnecting, 3000);
        QVERIFY(restartable.start(cluster));
        QElapsedTimer sinceRestart;
        sinceRestart.start();
        QTRY_COMPARE_WITH_TIMEOUT((*streamer)->state(), StreamerState::Connected, 3000);
        QVERIFY2(sinceRestart.elapsed() < 2000,
            qPrintable(QString::number(sinceRestart.elapsed())));

        auto writer
            = Writer::open(*connection, { .start = seconds(1), .channels = { (*indexes)[0].key } });
        QVERIFY(writer);
        Frame frame;
        frame.add((*indexes)[0].key, Series::fromTimeStamps(std::vector<TimeStamp> { seconds(1) }));
        QVERIFY((*writer)->write(frame));
        QVERIFY((*writer)->close());
        auto received = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(received && *received);
        QVERIFY(std::find(seen.begin(), seen.end(), StreamerState::Reconnecting) != seen.end());
        (*streamer)->close();
    }

    // ---- Iterator --------------------------------------------------------------------

    void unpositionedIteratorIsInvalidAndNextReturnsFalse()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 10) }));
        auto iterator = Iterator::open(*m_connection, { .channels = { pair.data.key } });
        QVERIFY(iterator);
        QCOMPARE((*iterator)->valid(), Result<bool>(false));
        QCOMPARE((*iterator)->value().size(), std::size_t(0));
        QCOMPARE((*iterator)->next(), Result<bool>(false));
    }

    void nextBySecondIsTrue29TimesOverThirtySamples()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 10), range(11, 20), range(21, 30) }));
        auto iterator = Iterator::open(*m_connection,
            { .bounds = { seconds(1), seconds(30) },
                .channels = { pair.index.key, pair.data.key } });
        QVERIFY(iterator);
        QCOMPARE((*iterator)->seekFirst(), Result<bool>(true));
        QCOMPARE((*iterator)->valid(), Result<bool>(false)); // a seek leaves no value
        int steps = 0;
        while (true) {
            auto more = (*iterator)->next(TimeSpan::seconds(1));
            QVERIFY(more);
            if (!*more)
                break;
            ++steps;
            QCOMPARE(doublesOf((*iterator)->value(), pair.data.key).size(), std::size_t(1));
            QCOMPARE(stampsOf((*iterator)->value(), pair.index.key).size(), std::size_t(1));
        }
        QCOMPARE(steps, 29);
    }

    void nextByChunkSizeGivesFourFourTwoThenFalse()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 10) }));
        auto iterator
            = Iterator::open(*m_connection, { .channels = { pair.index.key }, .chunkSize = 4 });
        QVERIFY(iterator);
        QCOMPARE((*iterator)->seekFirst(), Result<bool>(true));
        std::vector<std::vector<std::int64_t>> chunks;
        while ((*iterator)->next().value_or(false))
            chunks.push_back(stampsOf((*iterator)->value(), pair.index.key));
        QCOMPARE(chunks.size(), std::size_t(3));
        QCOMPARE(chunks[0],
            (std::vector<std::int64_t> { 1'000'000'000,
                2'000'000'000,
                3'000'000'000,
                4'000'000'000 }));
        QCOMPARE(chunks[1].front(), std::int64_t(5'000'000'000));
        QCOMPARE(chunks[2], (std::vector<std::int64_t> { 9'000'000'000, 10'000'000'000 }));
    }

    void nextAtTheEndIsFalseAndASeekRevalidates()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 5) }));
        auto iterator = Iterator::open(*m_connection, { .channels = { pair.data.key } });
        QVERIFY(iterator);
        QVERIFY((*iterator)->seekFirst().value_or(false));
        QVERIFY((*iterator)->next(TimeSpan::seconds(10)).value_or(false));
        QCOMPARE((*iterator)->valid(), Result<bool>(true));
        QCOMPARE((*iterator)->next(TimeSpan::seconds(10)), Result<bool>(false));
        QCOMPARE((*iterator)->valid(), Result<bool>(false));
        QCOMPARE((*iterator)->seekFirst(), Result<bool>(true));
        QVERIFY((*iterator)->next(TimeSpan::seconds(2)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 1, 2 }));
    }

    void seekIntoAGapLandsOnTheNeighbouringRegion()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 3) }));
        QVERIFY(writeSeconds(pair, { range(20, 22) }));
        auto iterator = Iterator::open(*m_connection, { .channels = { pair.data.key } });
        QVERIFY(iterator);
        // GE into the gap: the next region starts at 20 s.
        QCOMPARE((*iterator)->seekGE(seconds(10)), Result<bool>(true));
        QVERIFY((*iterator)->next(TimeSpan::seconds(1)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 20 }));
        // LE into the gap: the previous region ends just after 3 s.
        QCOMPARE((*iterator)->seekLE(seconds(10)), Result<bool>(true));
        QVERIFY((*iterator)->prev(TimeSpan::seconds(1)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 3 }));
    }

    void seekLTIsStrictlyBefore()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 5) }));
        auto iterator = Iterator::open(*m_connection, { .channels = { pair.data.key } });
        QVERIFY(iterator);
        // seekLT(3 s) is seekLE(3 s − 1 ns): the view sits just before the 3 s sample, so
        // one nanosecond forward holds nothing, while after seekLE(3 s) it holds 3.
        QCOMPARE((*iterator)->seekLT(seconds(3)), Result<bool>(true));
        QCOMPARE((*iterator)->next(TimeSpan(1)), Result<bool>(false));
        QCOMPARE((*iterator)->seekLT(seconds(3)), Result<bool>(true));
        QVERIFY((*iterator)->prev(TimeSpan::seconds(1)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 2 }));
        QCOMPARE((*iterator)->seekLE(seconds(3)), Result<bool>(true));
        QVERIFY((*iterator)->next(TimeSpan(1)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 3 }));
    }

    void spansAreStartInclusiveEndExclusiveBothWays()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 6) }));
        auto iterator = Iterator::open(*m_connection, { .channels = { pair.data.key } });
        QVERIFY(iterator);
        QVERIFY((*iterator)->seekGE(seconds(2)).value_or(false));
        QVERIFY((*iterator)->next(TimeSpan::seconds(2)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 2, 3 }));
        QVERIFY((*iterator)->seekLE(seconds(5)).value_or(false));
        QVERIFY((*iterator)->prev(TimeSpan::seconds(2)).value_or(false));
        QCOMPARE(doublesOf((*iterator)->value(), pair.data.key), (std::vector<double> { 3, 4 }));
    }

    void readAndReadLatestConvenience()
    {
        const Pair pair = createPair();
        QVERIFY(writeSeconds(pair, { range(1, 10) }));
        auto all = read(*m_connection, { seconds(2), seconds(5) }, { pair.data.key });
        QVERIFY(all);
        QCOMPARE(doublesOf(*all, pair.data.key), (std::vector<double> { 2, 3, 4 }));
        auto latest = readLatest(*m_connection, { pair.data.name }, 3);
        QVERIFY(latest);
        QCOMPARE(doublesOf(*latest, pair.data.key), (std::vector<double> { 8, 9, 10 }));
        auto more = readLatest(*m_connection, { pair.data.key }, 100);
        QVERIFY(more);
        QCOMPARE(doublesOf(*more, pair.data.key).size(), std::size_t(10));
        const Pair empty = createPair();
        auto none = readLatest(*m_connection, { empty.data.key }, 3);
        QVERIFY(none);
        QVERIFY(doublesOf(*none, empty.data.key).empty());
    }

    // ---- Writer ----------------------------------------------------------------------

    void commitReturnsTheEndOfTheWrittenRegion()
    {
        const Pair pair = createPair();
        auto writer = Writer::open(*m_connection,
            { .start = seconds(1),
                .channels = { pair.index.key, pair.data.key },
                .enableAutoCommit = false });
        QVERIFY(writer);
        QVERIFY((*writer)->write(frameOf(pair, { 1, 2, 3 })));
        auto end = (*writer)->commit();
        QVERIFY(end);
        QCOMPARE(*end, seconds(3) + TimeSpan(1));
        QVERIFY((*writer)->close());
    }

    void rejectedWriteSurfacesAsValidationError()
    {
        const Pair pair = createPair();
        auto writer = Writer::open(*m_connection,
            { .start = seconds(1), .channels = { pair.index.key, pair.data.key } });
        QVERIFY(writer);
        Frame bad = frameOf(pair, { 3, 2, 1 }); // out of order
        QVERIFY((*writer)->write(bad));
        auto commit = (*writer)->commit();
        QVERIFY(!commit);
        QCOMPARE(commit.error().type, errors::Validation);
        auto closed = (*writer)->close();
        QVERIFY(!closed);
        QCOMPARE(closed.error().type, errors::Validation);
    }

    void secondWriterWithErrOnUnauthorizedIsRefused()
    {
        const Pair pair = createPair();
        auto first = Writer::open(*m_connection,
            { .start = seconds(1), .channels = { pair.index.key, pair.data.key } });
        QVERIFY(first);
        auto second = Writer::open(*m_connection,
            { .start = seconds(1),
                .channels = { pair.index.key, pair.data.key },
                .errOnUnauthorized = true });
        QVERIFY(!second);
        QCOMPARE(second.error().type, errors::Unauthorized);
    }
};

QTEST_GUILESS_MAIN(TestClient)
#include "tst_client.moc"
