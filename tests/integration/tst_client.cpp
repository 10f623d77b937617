// The client library against the embedded cluster on loopback (its own thread, port 0):
// every statement of the streaming and reading seeds as a named test, the worked examples
// of protocol §6, reconnection, re-login and credential errors. What a real cluster never
// sends (bytes that do not decode, protocol violations, refusals mid-stream) comes from a
// scripted stand-in cluster.

#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/streamer.h"
#include "core/client/writer.h"
#include "core/codec/envelope.h"
#include "core/codec/error_codec.h"
#include "core/codec/frame_codec.h"
#include "core/codec/framer_message.h"
#include "core/codec/telem_json.h"
#include "core/server/embedded_cluster.h"
#include "core/socket_options.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <atomic>

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

/// What one stream connection to a ScriptedCluster does.
struct StreamScript
{
    /// Sent instead of the `open` envelope; nothing else happens on this connection.
    std::optional<QByteArray> insteadOfOpen;
    /// Refuses the stream at open with a close envelope carrying this error.
    std::optional<Error> refuse;
    /// Sent in order after the acknowledgement.
    std::vector<QByteArray> messages;
    /// Then a close envelope with this error, or (`drop`) a close without one (code 1001).
    std::optional<Error> closeWith;
    bool drop = false;
    /// From this connection on, logins fail with `sy.auth.invalid-credentials`.
    bool refuseLogins = false;
};

/// A stand-in cluster whose streams follow scripts. Answers `auth/login` and
/// `channel/retrieve` (one virtual float64 channel, channel()); the n-th `frame/stream`
/// connection plays the n-th script (the last one repeats). Lives on the thread creating it;
/// port() and connections() may be read from any thread.
class ScriptedCluster : public QAbstractHttpServer
{
public:
    explicit ScriptedCluster(std::vector<StreamScript> scripts)
        : m_scripts(std::move(scripts))
    {
        m_port = listen(QHostAddress::LocalHost, 0);
        connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
            while (hasPendingWebSocketConnections())
                if (auto socket = nextPendingWebSocketConnection())
                    play(std::move(socket));
        });
    }

    static Channel channel()
    {
        Channel channel;
        channel.key = (1u << 20) + 1;
        channel.name = u"value"_s;
        channel.leaseholder = 1;
        channel.dataType = DataType::Float64;
        channel.isVirtual = true;
        return channel;
    }
    quint16 port() const { return m_port; }
    int connections() const { return m_connections; }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override
    {
        if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
            return true; // handed to newWebSocketConnection (Qt 6.4)
        QHttpServerResponder responder = makeResponder(request, socket);
        const QString path = request.url().path();
        using Status = QHttpServerResponder::StatusCode;
        if (path == u"/api/v1/auth/login"_s && m_refuseLogins)
            responder.write(QJsonDocument(codec::encodeErrorPayload(
                                Error { errors::InvalidCredentials, u"wrong password"_s })),
                Status::BadRequest);
        else if (path == u"/api/v1/auth/login"_s)
            responder.write(QJsonDocument(QJsonObject { { u"token"_s, u"scripted"_s } }));
        else if (path == u"/api/v1/channel/retrieve"_s)
            responder.write(QJsonDocument(QJsonObject {
                { u"channels"_s, codec::toJson(std::vector<Channel> { channel() }) } }));
        else
            responder.write(Status::NotFound);
        return true;
    }
    void missingHandler(const QHttpServerRequest&, QTcpSocket*) override { }

private:
    static QByteArray framed(const codec::Envelope& envelope)
    {
        return codec::encodeJsonFramerMessage(envelope);
    }

    void play(std::unique_ptr<QWebSocket> owned)
    {
        const StreamScript script
            = m_scripts[std::min<std::size_t>(m_connections, m_scripts.size() - 1)];
        ++m_connections;
        m_refuseLogins = m_refuseLogins || script.refuseLogins;
        QWebSocket* socket = owned.get();
        m_sockets.push_back(std::move(owned));
        if (script.insteadOfOpen) {
            socket->sendBinaryMessage(*script.insteadOfOpen);
        } else if (script.refuse) {
            socket->sendBinaryMessage(framed(codec::Envelope::close(script.refuse)));
            socket->close();
        } else {
            socket->sendBinaryMessage(framed(codec::Envelope::open()));
            connect(socket,
                &QWebSocket::binaryMessageReceived,
                this,
                [this, socket, script](const QByteArray& m) { onRequest(*socket, script, m); });
        }
    }

    /// The first request is acknowledged and the script played; a close is answered with EOF.
    void onRequest(QWebSocket& socket, const StreamScript& script, const QByteArray& message)
    {
        if (message.contains(R"("type":"close")")) {
            socket.sendBinaryMessage(framed(codec::Envelope::close()));
            socket.close();
            return;
        }
        if (socket.property("acknowledged").toBool())
            return; // a later request updates the channels: no reply (protocol §5)
        socket.setProperty("acknowledged", true);
        const QJsonObject empty { { u"keys"_s, QJsonValue::Null },
            { u"series"_s, QJsonValue::Null } };
        socket.sendBinaryMessage(
            framed(codec::Envelope::data(QJsonObject { { u"frame"_s, empty } })));
        for (const QByteArray& scripted : script.messages)
            socket.sendBinaryMessage(scripted);
        if (script.closeWith) {
            socket.sendBinaryMessage(framed(codec::Envelope::close(script.closeWith)));
            socket.close();
        } else if (script.drop) {
            socket.close(QWebSocketProtocol::CloseCodeGoingAway);
        }
    }

    std::vector<StreamScript> m_scripts;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
    std::atomic<quint16> m_port = 0;
    std::atomic<int> m_connections = 0;
    bool m_refuseLogins = false;
};

/// Owns a `T` made, used and destroyed on its own thread, so a test thread blocked in
/// Streamer::open (which waits for the streamer's worker) does not stall it.
template <typename T> class OnOwnThread
{
public:
    template <typename... Args> explicit OnOwnThread(Args... args)
    {
        m_thread.setObjectName(u"scripted-cluster"_s);
        m_context.moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            &m_context,
            [&] { m_object = std::make_unique<T>(args...); },
            Qt::BlockingQueuedConnection);
    }
    ~OnOwnThread()
    {
        QMetaObject::invokeMethod(
            &m_context,
            [this] { m_object.reset(); },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    T* operator->() const { return m_object.get(); }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<T> m_object;
};

/// Stream messages for the scripted cluster's channel, as bytes on the wire.
namespace wire {

    QByteArray encoded(const std::vector<codec::KeyType>& keySet, int updates, const Frame& frame)
    {
        codec::FrameCodec codec;
        for (int i = 0; i < updates; ++i)
            codec.update(keySet);
        return codec.encode(frame, { .withPrefix = true }).value();
    }

    Frame valuesFrame(ChannelKey key, const std::vector<double>& values)
    {
        Frame frame;
        frame.add(key, Series::fromValues<double>(values));
        return frame;
    }

    /// A frame as the streamer expects it (sequence number 1, its one channel).
    QByteArray valid(const std::vector<double>& values)
    {
        const Channel channel = ScriptedCluster::channel();
        return encoded({ { channel.key, channel.dataType } }, 1, valuesFrame(channel.key, values));
    }

    QByteArray unknownSequenceNumber()
    {
        const Channel channel = ScriptedCluster::channel();
        return encoded({ { channel.key, channel.dataType } }, 2, valuesFrame(channel.key, { 9 }));
    }

    QByteArray unknownKey()
    {
        const ChannelKey key = ScriptedCluster::channel().key;
        return encoded({ { key, DataType::Float64 }, { key + 1, DataType::Float64 } },
            1,
            valuesFrame(key + 1, { 9 }));
    }

    QByteArray randomFrameBytes()
    {
        QRandomGenerator random(18);
        QByteArray bytes(1, char(0xFF));
        for (int i = 0; i < 40; ++i)
            bytes.append(char(random.bounded(256)));
        return bytes;
    }

    QByteArray notAnEnvelope() { return QByteArray("\x01\x02 neither JSON nor a frame"); }

    QByteArray badJson() { return QByteArray(1, char(0xFE)) + R"({"type":"data","payload":)"; }

    QByteArray dataBeforeOpen()
    {
        return codec::encodeJsonFramerMessage(codec::Envelope::data(QJsonObject {}));
    }

} // namespace wire

std::shared_ptr<Connection> connectionTo(quint16 port)
{
    ConnectionConfig config;
    config.port = port;
    return std::make_shared<Connection>(config);
}

/// A cluster of its own, to stop and start again on the same port and data, with one index
/// channel `t` to stream.
struct RestartableCluster
{
    QTemporaryDir dir;
    EmbeddedCluster cluster;
    ClusterConfig config;
    std::shared_ptr<Connection> connection;
    ChannelKey index = 0;

    /// Starts it the first time and creates the channel; false on any failure.
    bool open()
    {
        config.dataDir = dir.path();
        config.simulator.reset();
        if (!cluster.start(config))
            return false;
        config.port = cluster.port();
        connection = connectionTo(cluster.port());
        Channel channel;
        channel.name = u"t"_s;
        channel.dataType = DataType::Timestamp;
        channel.isIndex = true;
        auto created = connection->createChannels({ channel });
        if (!created)
            return false;
        index = (*created)[0].key;
        return true;
    }
    bool restart()
    {
        auto started = cluster.start(config);
        if (!started) // say why: a port taken meanwhile by another process, a locked directory …
            qWarning("restart failed: %s", qPrintable(started.error().toString()));
        return bool(started);
    }

    /// Stops the cluster until `streamer` is reconnecting, keeps it down `outageMs` more and
    /// starts it again. Returns how long after that the streamer was connected again (ms), or
    /// -1 (with a warning saying which step failed).
    qint64 bounce(const Streamer& streamer, int outageMs)
    {
        const auto stateIs = [&](StreamerState state) {
            return [&streamer, state] { return streamer.state() == state; };
        };
        cluster.stop();
        if (!QTest::qWaitFor(stateIs(StreamerState::Reconnecting), 3000))
            return qWarning("the streamer did not notice the outage"), -1;
        QTest::qWait(outageMs);
        if (!restart())
            return qWarning("the cluster did not start again"), -1;
        QElapsedTimer sinceRestart;
        sinceRestart.start();
        if (!QTest::qWaitFor(stateIs(StreamerState::Connected), 15000))
            return qWarning("the streamer did not connect again within 15 s"), -1;
        return sinceRestart.elapsed();
    }
};

/// Reads until a frame holds `value` on `key`; false on an error or after 5 s.
bool readUntil(Streamer& streamer, ChannelKey key, double value)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 5000) {
        auto frame = streamer.read(TimeSpan::milliseconds(100));
        if (!frame) {
            qWarning("read failed: %s", qPrintable(frame.error().toString()));
            return false;
        }
        if (*frame && doublesOf(**frame, key) == std::vector<double> { value })
            return true;
    }
    return false;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<StreamScript>)

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
        // The signal comes from the streamer's thread: counted here through a queued call
        // (a QSignalSpy would be appended to from that thread while this one reads it).
        int available = 0;
        connect(
            streamer->get(),
            &Streamer::framesAvailable,
            this,
            [&] { ++available; },
            Qt::QueuedConnection);
        QVERIFY(writeSeconds(a, { { 1 } }));
        QTRY_VERIFY_WITH_TIMEOUT(available > 0, 5000);
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
        RestartableCluster restartable;
        QVERIFY(restartable.open());
        auto streamer
            = Streamer::open(restartable.connection, { .channels = { restartable.index } });
        QVERIFY(streamer);
        std::vector<StreamerState> seen;
        QObject::connect(
            streamer->get(),
            &Streamer::stateChanged,
            streamer->get(),
            [&](StreamerState state, const QString&) { seen.push_back(state); },
            Qt::DirectConnection);

        const qint64 resumedMs = restartable.bounce(**streamer, 0);
        QVERIFY2(resumedMs >= 0 && resumedMs < 2000, qPrintable(QString::number(resumedMs)));

        auto writer = Writer::open(*restartable.connection,
            { .start = seconds(1), .channels = { restartable.index } });
        QVERIFY(writer);
        Frame frame;
        frame.add(restartable.index, Series::fromTimeStamps(std::vector<TimeStamp> { seconds(1) }));
        QVERIFY((*writer)->write(frame));
        QVERIFY((*writer)->close());
        auto received = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(received && *received);
        QVERIFY(std::find(seen.begin(), seen.end(), StreamerState::Reconnecting) != seen.end());
        (*streamer)->close();
    }

    void streamerResumesWithinASecondOfTheClusterReturning()
    {
        RestartableCluster restartable;
        QVERIFY(restartable.open());
        auto streamer
            = Streamer::open(restartable.connection, { .channels = { restartable.index } });
        QVERIFY(streamer);

        // An outage longer than a few reconnect attempts: a doubling backoff from 1 s retries
        // at about 1, 3 and 7 s, and would resume only 2–4 s after the cluster returned.
        const qint64 resumedMs = restartable.bounce(**streamer, 3800);
        QVERIFY2(resumedMs >= 0 && resumedMs < 1000,
            qPrintable(u"resumed %1 ms after the restart"_s.arg(resumedMs)));
    }

    /// Restarts in quick succession, each stream open too briefly to count as stable and each
    /// outage shorter than the re-open pause: the streamer probes before pausing, so it sees
    /// the cluster gone and resumes as soon as it returns (the pause, doubling with every
    /// restart, once outlasted the outages and reached 15 s).
    void streamerResumesPromptlyAfterShortOutagesInARow()
    {
        RestartableCluster restartable;
        QVERIFY(restartable.open());
        ReconnectPolicy policy;
        policy.reopenBase = TimeSpan::seconds(3);
        policy.stableAfter = TimeSpan::seconds(60);
        auto streamer = Streamer::open(restartable.connection,
            { .channels = { restartable.index }, .reconnect = policy });
        QVERIFY(streamer);
        for (int restart = 0; restart < 3; ++restart) {
            const qint64 resumedMs = restartable.bounce(**streamer, 300);
            QVERIFY2(resumedMs >= 0 && resumedMs < 1500,
                qPrintable(
                    u"restart %1: resumed %2 ms after the cluster returned"_s.arg(restart).arg(
                        resumedMs)));
        }
        (*streamer)->close();
    }

    void streamerSkipsWhatDoesNotDecodeAndCountsIt()
    {
        StreamScript script;
        script.messages = { wire::unknownSequenceNumber(),
            wire::unknownKey(),
            wire::randomFrameBytes(),
            wire::notAnEnvelope(),
            wire::badJson(),
            wire::valid({ 1.5, 2.5 }) };
        OnOwnThread<ScriptedCluster> cluster(std::vector<StreamScript> { script });
        const ChannelKey key = ScriptedCluster::channel().key;
        auto streamer = Streamer::open(connectionTo(cluster->port()), { .channels = { key } });
        QVERIFY2(streamer, qPrintable(streamer ? QString() : streamer.error().toString()));

        auto frame = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY2(frame, qPrintable(frame ? QString() : frame.error().toString()));
        QVERIFY(*frame);
        QCOMPARE(doublesOf(**frame, key), (std::vector<double> { 1.5, 2.5 }));
        const SkippedFrames skipped = (*streamer)->skippedFrames();
        QCOMPARE(skipped.count, std::uint64_t(5));
        QCOMPARE(skipped.lastReason.type, errors::Decode); // the bad JSON came last
        QCOMPARE((*streamer)->state(), StreamerState::Connected);
        QCOMPARE(cluster->connections(), 1); // skipped, not reconnected
    }

    void streamerReconnectsAfterAProtocolError_data()
    {
        QTest::addColumn<std::vector<StreamScript>>("scripts");
        QTest::addColumn<int>("connections");
        QTest::addColumn<int>("skipped");
        StreamScript dropped;
        dropped.messages = { wire::valid({ 1 }) };
        dropped.drop = true;
        StreamScript openedWithData;
        openedWithData.insteadOfOpen = wire::dataBeforeOpen();
        StreamScript healthy;
        healthy.messages = { wire::valid({ 2 }) };
        QTest::newRow("data before open on re-opening")
            << std::vector<StreamScript> { dropped, openedWithData, healthy } << 3 << 0;
        StreamScript garbage;
        garbage.messages.assign(StreamerConfig {}.maxUndecodableInARow, wire::randomFrameBytes());
        QTest::newRow("a run of undecodable frames") << std::vector<StreamScript> { garbage,
            healthy } << 2 << int(StreamerConfig {}.maxUndecodableInARow);
    }

    void streamerReconnectsAfterAProtocolError()
    {
        QFETCH(std::vector<StreamScript>, scripts);
        QFETCH(int, connections);
        QFETCH(int, skipped);
        OnOwnThread<ScriptedCluster> cluster(scripts);
        const ChannelKey key = ScriptedCluster::channel().key;
        std::vector<StreamerState> seen; // outlives the streamer, which reports Closed last
        auto streamer = Streamer::open(connectionTo(cluster->port()), { .channels = { key } });
        QVERIFY2(streamer, qPrintable(streamer ? QString() : streamer.error().toString()));
        QObject::connect(
            streamer->get(),
            &Streamer::stateChanged,
            streamer->get(),
            [&](StreamerState state, const QString&) { seen.push_back(state); },
            Qt::DirectConnection);

        QVERIFY2(readUntil(**streamer, key, 2), "no frame from the re-opened stream");
        QCOMPARE(cluster->connections(), connections);
        QCOMPARE((*streamer)->skippedFrames().count, std::uint64_t(skipped));
        QCOMPARE((*streamer)->state(), StreamerState::Connected);
        QVERIFY(std::find(seen.begin(), seen.end(), StreamerState::Failed) == seen.end());
    }

    void streamerStopsOnlyForAuthOrNotFound_data()
    {
        QTest::addColumn<std::vector<StreamScript>>("scripts");
        QTest::addColumn<QString>("error");
        StreamScript deleted;
        deleted.messages = { wire::randomFrameBytes(), wire::valid({ 1 }) };
        deleted.closeWith = Error { errors::NotFound, u"channel value was deleted"_s };
        QTest::newRow("channel deleted mid-stream")
            << std::vector<StreamScript> { deleted } << errors::NotFound;
        StreamScript dropped;
        dropped.messages = { wire::randomFrameBytes(), wire::valid({ 1 }) };
        dropped.drop = true;
        StreamScript refused;
        refused.refuse = Error { errors::InvalidToken, u"token signed by another key"_s };
        refused.refuseLogins = true;
        QTest::newRow("credentials refused on re-opening")
            << std::vector<StreamScript> { dropped, refused } << errors::InvalidCredentials;
    }

    void streamerStopsOnlyForAuthOrNotFound()
    {
        QFETCH(std::vector<StreamScript>, scripts);
        QFETCH(QString, error);
        OnOwnThread<ScriptedCluster> cluster(scripts);
        const ChannelKey key = ScriptedCluster::channel().key;
        auto streamer = Streamer::open(connectionTo(cluster->port()), { .channels = { key } });
        QVERIFY2(streamer, qPrintable(streamer ? QString() : streamer.error().toString()));
        QVERIFY(readUntil(**streamer, key, 1));

        auto ended = (*streamer)->read(TimeSpan::seconds(5));
        QVERIFY(!ended);
        QCOMPARE(ended.error().type, error);
        QCOMPARE((*streamer)->state(), StreamerState::Failed);
        QCOMPARE((*streamer)->skippedFrames().count, std::uint64_t(1));
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
