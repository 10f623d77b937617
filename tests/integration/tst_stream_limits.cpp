// What a stream may hold of the cluster, with real streams on loopback: frames a client sends
// unmasked close it (1002), a client that goes silent is closed, a stream ends when its token
// expires, and stalled subscribers are capped together so a healthy one keeps streaming.

#include "core/codec/envelope.h"
#include "core/server/cluster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "support/cluster_test_client.h"
#include "support/raw_websocket.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;
using sightline::test::RawWebSocket;
using sightline::test::StreamClient;
using sightline::test::UnaryCaller;
using sightline::test::waitUntil;

namespace {

QByteArray streamRequest(ChannelKey key)
{
    const QJsonObject request { { u"type"_s, u"data"_s },
        { u"payload"_s, QJsonObject { { u"keys"_s, QJsonArray { qint64(key) } } } } };
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

QJsonObject writerOpen(ChannelKey key)
{
    return QJsonObject { { u"command"_s, 0 },
        { u"config"_s,
            QJsonObject { { u"start"_s, u"0"_s },
                { u"keys"_s, QJsonArray { qint64(key) } },
                { u"authorities"_s, QJsonArray { 255 } },
                { u"mode"_s, 3 } } } }; // streamed only
}

constexpr qint64 MiB = 1024 * 1024;

} // namespace

class TestStreamLimits : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Cluster> m_cluster;
    std::unique_ptr<UnaryCaller> m_unary;
    ChannelKey m_command = 0;

    quint16 port() const { return m_cluster->port(); }

    bool openStreamer(StreamClient& client)
    {
        if (!client.connect(port(), u"frame/stream"_s, m_unary->token()))
            return false;
        if (!client.next())
            return false; // open
        client.codec().update(std::vector<codec::KeyType> { { m_command, DataType::Float64 } });
        client.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { qint64(m_command) } } });
        return client.next().has_value(); // the empty first frame
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ClusterConfig config;
        config.dataDir = m_dir.filePath(u"cluster"_s);
        config.simulator.reset();
        config.limits.streamIdle = TimeSpan::milliseconds(1500);
        config.limits.maxStreamBacklogBytes = 8 * MiB;
        config.limits.maxTotalStreamBacklogBytes = 12 * MiB;
        auto cluster = Cluster::start(config);
        QVERIFY2(cluster, cluster ? "" : qPrintable(cluster.error().toString()));
        m_cluster = std::move(*cluster);
        m_unary = std::make_unique<UnaryCaller>(port());
        QVERIFY(!m_unary->login().isEmpty());
        const QJsonArray created
            = m_unary->createChannels(QJsonArray { QJsonObject { { u"name"_s, u"command"_s },
                { u"data_type"_s, u"float64"_s },
                { u"virtual"_s, true } } });
        QCOMPARE(created.size(), 1);
        m_command = ChannelKey(created[0].toObject().value(u"key"_s).toInteger());
    }

    void anUnmaskedClientFrameClosesTheStreamWithAProtocolError()
    {
        RawWebSocket masked;
        QVERIFY(masked.open(port(), u"frame/stream"_s, m_unary->token()));
        masked.sendFrame(streamRequest(m_command));
        QVERIFY(masked.waitForBytes("\"frame\"", 3000)); // answered as usual
        QVERIFY(!masked.closed());

        RawWebSocket unmasked;
        QVERIFY(unmasked.open(port(), u"frame/stream"_s, m_unary->token()));
        unmasked.sendFrame(streamRequest(m_command), false);
        QVERIFY(unmasked.waitClosed(3000));
        QCOMPARE(unmasked.closeCode(), 1002);
        QVERIFY2(!unmasked.received().contains("\"frame\""), "the unmasked request was served");
    }

    void aSilentClientIsClosedAndOneAnsweringPingsStaysOpen()
    {
        StreamClient answering; // Qt's client answers pings, as browsers and Node's do
        QVERIFY(openStreamer(answering));
        RawWebSocket silent; // never answers
        QVERIFY(silent.open(port(), u"frame/stream"_s, m_unary->token()));
        silent.sendFrame(streamRequest(m_command));
        QElapsedTimer held;
        held.start();
        QVERIFY(silent.waitClosed(5000));
        QVERIFY2(held.elapsed() >= 1000, qPrintable(QString::number(held.elapsed())));
        QVERIFY2(silent.received().contains("not even a pong"), silent.received().constData());
        QTest::qWait(1500); // past the idle time again: pings answered keep it open
        QVERIFY(!answering.closed());
    }

    void aStreamEndsWhenItsTokenExpires()
    {
        QTemporaryDir dir;
        ClusterConfig config;
        config.dataDir = dir.path();
        config.simulator.reset();
        config.tokenLifetime = TimeSpan::milliseconds(1500);
        auto shortLived = Cluster::start(config);
        QVERIFY(shortLived);
        UnaryCaller unary((*shortLived)->port());
        const QString token = unary.login();
        QVERIFY(!token.isEmpty());
        const QJsonArray created
            = unary.createChannels(QJsonArray { QJsonObject { { u"name"_s, u"valve"_s },
                { u"data_type"_s, u"float64"_s },
                { u"virtual"_s, true } } });
        QCOMPARE(created.size(), 1);
        const auto valve = ChannelKey(created[0].toObject().value(u"key"_s).toInteger());
        StreamClient writer; // a writer keeps writing past its token (checked when opened)
        QVERIFY(writer.connect((*shortLived)->port(), u"frame/write"_s, token));
        QVERIFY(writer.next()); // open
        writer.sendRequest(writerOpen(valve), true);
        QVERIFY(writer.next());
        writer.codec().update(std::vector<codec::KeyType> { { valve, DataType::Float64 } });
        StreamClient streamer;
        QVERIFY(streamer.connect((*shortLived)->port(), u"frame/stream"_s, token));
        QVERIFY(streamer.next()); // open
        QElapsedTimer open;
        open.start();
        std::optional<StreamClient::Message> close;
        while (open.elapsed() < 5000 && !close)
            if (auto message = streamer.next(500); message && message->envelope
                && message->envelope->type == codec::Envelope::Type::Close)
                close = message;
        QVERIFY2(close, "the stream outlived its token");
        QVERIFY(close->envelope->error);
        QCOMPARE(close->envelope->error->type, errors::ExpiredToken);
        QVERIFY2(open.elapsed() < 3000, qPrintable(QString::number(open.elapsed())));
        QVERIFY(streamer.waitClosed(3000));
        Frame frame;
        frame.add(valve, Series::fromValues<double>({ 1.0 }));
        QVERIFY(writer.sendFrame(frame));
        QVERIFY2(!writer.waitClosed(500), "the writer was cut off with its token");
    }

    void stalledSubscribersAreCappedTogetherWhileAHealthyOneStreams()
    {
        // Streams that stay open however silent, so only the backlog caps close them.
        m_cluster.reset();
        ClusterConfig config;
        config.dataDir = m_dir.filePath(u"cluster"_s);
        config.simulator.reset();
        config.limits.maxStreamBacklogBytes = 8 * MiB;
        config.limits.maxTotalStreamBacklogBytes = 12 * MiB;
        auto cluster = Cluster::start(config);
        QVERIFY(cluster);
        m_cluster = std::move(*cluster);
        m_unary = std::make_unique<UnaryCaller>(port());
        QVERIFY(!m_unary->login().isEmpty());

        StreamClient healthy;
        QVERIFY(openStreamer(healthy));
        std::vector<std::unique_ptr<RawWebSocket>> stalled;
        for (int i = 0; i < 4; ++i) {
            auto subscriber = std::make_unique<RawWebSocket>();
            QVERIFY(subscriber->open(port(), u"frame/stream"_s, m_unary->token()));
            subscriber->sendFrame(streamRequest(m_command));
            QVERIFY(subscriber->waitForBytes("\"frame\"", 3000));
            subscriber->stall();
            stalled.push_back(std::move(subscriber));
        }
        StreamClient writer;
        QVERIFY(writer.connect(port(), u"frame/write"_s, m_unary->token()));
        QVERIFY(writer.next()); // open
        writer.sendRequest(writerOpen(m_command), true);
        QVERIFY(writer.next());
        writer.codec().update(std::vector<codec::KeyType> { { m_command, DataType::Float64 } });

        // 64 KiB frames until every stalled subscriber is dropped, reading the healthy one.
        const std::vector<double> values(8192, 1.5);
        Frame frame;
        frame.add(m_command, Series::fromValues<double>(values));
        qint64 peakBacklog = 0;
        int healthyFrames = 0;
        QElapsedTimer writing;
        writing.start();
        // A stalled client does not read, so it cannot see its own close: count the cluster's.
        const int others = m_cluster->openStreams() - int(stalled.size());
        const auto allDropped = [&] { return m_cluster->openStreams() == others; };
        while (!allDropped() && writing.elapsed() < 20000) {
            QVERIFY(writer.sendFrame(frame));
            QTest::qWait(2);
            peakBacklog = std::max(peakBacklog, m_cluster->liveBacklogBytes());
            while (healthy.next(0))
                ++healthyFrames;
        }
        QVERIFY2(allDropped(), "stalled subscribers were kept");
        // The sum went past what one stream may hold (so it was counted), never past the
        // total by more than the frame being sent.
        QVERIFY2(peakBacklog > 8 * MiB && peakBacklog <= 12 * MiB + 128 * 1024,
            qPrintable(QString::number(peakBacklog)));
        QVERIFY(!healthy.closed());
        QVERIFY(healthyFrames > 0);
        QVERIFY(writer.sendFrame(frame));
        QVERIFY(healthy.next(3000)); // still streaming after the drops
        QVERIFY(waitUntil([&] { return m_cluster->liveBacklogBytes() < MiB; }, 3000));
    }
};

QTEST_GUILESS_MAIN(TestStreamLimits)
#include "tst_stream_limits.moc"
