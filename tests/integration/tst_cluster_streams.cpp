// The embedded cluster's WebSocket streams on loopback (port 0), driven byte by byte as the
// Synnax TypeScript client drives them (protocol §1.5–§1.6, §5–§7).

#include "core/codec/error_codec.h"
#include "core/codec/json_values.h"
#include "core/codec/telem_json.h"
#include "core/server/cluster.h"

#include <QProcess>
#include <QSysInfo>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include "support/cluster_test_client.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;
using sightline::test::StreamClient;
using sightline::test::UnaryCaller;

namespace {

QJsonObject writerOpen(
    const std::vector<ChannelKey>& keys, TimeStamp start, int mode = 1, bool autoCommit = true)
{
    QJsonArray keyArray;
    for (const ChannelKey key : keys)
        keyArray.append(qint64(key));
    return QJsonObject { { u"command"_s, 0 },
        { u"config"_s,
            QJsonObject { { u"start"_s, QString::number(start.nanoseconds()) },
                { u"keys"_s, keyArray },
                { u"authorities"_s, QJsonArray { 255 } },
                { u"mode"_s, mode },
                { u"enable_auto_commit"_s, autoCommit } } } };
}

std::vector<TimeStamp> secondsFrom(int first, int count)
{
    std::vector<TimeStamp> stamps;
    for (int i = 0; i < count; ++i)
        stamps.push_back(TimeStamp(0) + TimeSpan::seconds(first + i));
    return stamps;
}

QString errorType(const StreamClient::Message& message)
{
    return message.envelope && message.envelope->error ? message.envelope->error->type : QString();
}

} // namespace

class TestClusterStreams : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Cluster> m_cluster;
    std::unique_ptr<UnaryCaller> m_unary;
    ChannelKey m_index = 0;
    ChannelKey m_data = 0;
    ChannelKey m_virtual = 0;
    int m_nextSecond = 1;

    quint16 port() const { return m_cluster->port(); }

    /// Opens a stream and checks the cluster's first message is `open`.
    bool openStream(StreamClient& client,
        const QString& path,
        const QString& contentType = u"application/vnd.synnax.frame"_s)
    {
        if (!client.connect(port(), path, m_unary->token(), contentType))
            return false;
        const auto open = client.next();
        return open && open->envelope && open->envelope->type == codec::Envelope::Type::Open;
    }

    bool openStreamer(
        StreamClient& streamer, const std::vector<ChannelKey>& keys, const QJsonObject& extra = {})
    {
        if (!openStream(streamer, u"frame/stream"_s))
            return false;
        QJsonArray keyArray;
        std::vector<codec::KeyType> types;
        for (const ChannelKey key : keys) {
            keyArray.append(qint64(key));
            types.push_back({ key,
                key == m_index ? DataType(DataType::Timestamp) : DataType(DataType::Float64) });
        }
        QJsonObject request { { u"keys"_s, keyArray },
            { u"downsample_factor"_s, 1 },
            { u"throttle_rate"_s, 0 },
            { u"exclude_groups"_s, QJsonArray {} } };
        for (auto it = extra.begin(); it != extra.end(); ++it)
            request.insert(it.key(), it.value());
        streamer.codec().update(types);
        streamer.sendRequest(request);
        const auto ack = streamer.next();
        return ack && ack->envelope && ack->envelope->payload.toObject().contains(u"frame"_s);
    }

    bool openWriter(StreamClient& writer, TimeStamp start, int mode = 1, bool autoCommit = true)
    {
        if (!openStream(writer, u"frame/write"_s))
            return false;
        writer.sendRequest(writerOpen({ m_index, m_data }, start, mode, autoCommit), true);
        writer.codec().update(std::vector<codec::KeyType> { { m_index, DataType::Timestamp },
            { m_data, DataType::Float64 } });
        const auto reply = writer.next();
        return reply && reply->envelope
            && reply->envelope->payload.toObject().value(u"err"_s).toObject().value(u"type"_s)
            == u"nil"_s;
    }

    /// A frame of `count` samples one second apart, continuing after earlier ones.
    Frame nextFrame(int count)
    {
        const auto stamps = secondsFrom(m_nextSecond, count);
        std::vector<double> values;
        for (int i = 0; i < count; ++i)
            values.push_back(m_nextSecond + i);
        m_nextSecond += count;
        Frame frame;
        frame.add(m_index, Series::fromTimeStamps(stamps));
        frame.add(m_data, Series::fromValues<double>(values));
        return frame;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto cluster = Cluster::start({ .dataDir = m_dir.path(), .simulator = std::nullopt });
        QVERIFY2(cluster, qPrintable(cluster ? QString() : cluster.error().toString()));
        m_cluster = std::move(*cluster);
        m_unary = std::make_unique<UnaryCaller>(port());
        QVERIFY(!m_unary->login().isEmpty());
        const QJsonArray index
            = m_unary->createChannels(QJsonArray { QJsonObject { { u"name"_s, u"time"_s },
                { u"data_type"_s, u"timestamp"_s },
                { u"is_index"_s, true } } });
        QCOMPARE(index.size(), 1);
        m_index = ChannelKey(index[0].toObject().value(u"key"_s).toInteger());
        const QJsonArray data
            = m_unary->createChannels(QJsonArray { QJsonObject { { u"name"_s, u"pressure"_s },
                                                       { u"data_type"_s, u"float64"_s },
                                                       { u"index"_s, qint64(m_index) } },
                QJsonObject { { u"name"_s, u"command"_s },
                    { u"data_type"_s, u"float64"_s },
                    { u"virtual"_s, true } } });
        QCOMPARE(data.size(), 2);
        m_data = ChannelKey(data[0].toObject().value(u"key"_s).toInteger());
        m_virtual = ChannelKey(data[1].toObject().value(u"key"_s).toInteger());
    }

    void badTokenGetsAuthErrorBeforeOpen()
    {
        StreamClient client;
        QVERIFY(client.connect(port(), u"frame/stream"_s, u"not-a-token"_s));
        const auto first = client.next();
        QVERIFY(first);
        QVERIFY(first->envelope);
        QCOMPARE(first->envelope->type, codec::Envelope::Type::Close);
        QCOMPARE(errorType(*first), errors::InvalidToken);
        QVERIFY(client.waitClosed());
        QCOMPARE(client.closeCode(), 1000);
    }

    void unknownStreamEndpointIsRefused()
    {
        StreamClient client;
        QVERIFY(client.connect(port(), u"frame/teleport"_s, m_unary->token()));
        const auto first = client.next();
        QVERIFY(first && first->envelope);
        QCOMPARE(first->envelope->type, codec::Envelope::Type::Close);
        QCOMPARE(errorType(*first), errors::Route);
    }

    void unsupportedContentTypeIsRefused()
    {
        StreamClient client;
        QVERIFY(client.connect(port(), u"frame/stream"_s, m_unary->token(), u"text/csv"_s));
        const auto first = client.next();
        QVERIFY(first && first->envelope);
        QCOMPARE(errorType(*first), errors::Validation);
        QVERIFY(first->envelope->error->message.contains(u"text/csv"_s));
    }

    void streamerOpenWithMissingChannelFails()
    {
        StreamClient client;
        QVERIFY(openStream(client, u"frame/stream"_s));
        client.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { 5678 } } });
        const auto reply = client.next();
        QVERIFY(reply && reply->envelope);
        QCOMPARE(reply->envelope->type, codec::Envelope::Type::Close);
        QCOMPARE(errorType(*reply), errors::NotFound);
    }

    void writtenFramesReachStreamerAsBinaryFrames()
    {
        StreamClient streamer;
        QVERIFY(openStreamer(streamer, { m_index, m_data }));
        StreamClient writer;
        QVERIFY(openWriter(writer, TimeStamp(0) + TimeSpan::seconds(m_nextSecond)));
        const Frame written = nextFrame(10);
        QVERIFY(writer.sendFrame(written));

        const auto relayed = streamer.next();
        QVERIFY(relayed);
        QVERIFY(relayed->binaryFrame);
        auto frame = streamer.codec().decode(relayed->body);
        QVERIFY2(frame, qPrintable(frame ? QString() : frame.error().toString()));
        auto data = frame->concatenated(m_data);
        QVERIFY(data);
        QCOMPARE(std::vector<double>(data->values<double>().begin(), data->values<double>().end()),
            std::vector<double>(written.seriesOf(m_data)[0]->values<double>().begin(),
                written.seriesOf(m_data)[0]->values<double>().end()));
        // The time range covers the written timestamps, end exclusive.
        const auto stamps = written.seriesOf(m_index)[0]->values<std::int64_t>();
        QCOMPARE(data->timeRange().start.nanoseconds(), stamps.front());
        QCOMPARE(data->timeRange().end.nanoseconds(), stamps.back() + 1);

        writer.sendRequest(QJsonObject { { u"command"_s, 2 } }, true);
        const auto committed = writer.next();
        QVERIFY(committed && committed->envelope);
        const QJsonObject reply = committed->envelope->payload.toObject();
        QCOMPARE(reply.value(u"command"_s).toInt(), 2);
        QCOMPARE(reply.value(u"end"_s).toString(), QString::number(stamps.back() + 1));
        QCOMPARE(reply.value(u"err"_s).toObject().value(u"type"_s).toString(), u"nil"_s);

        writer.sendClose(true);
        const auto writerEnd = writer.next();
        QVERIFY(writerEnd && writerEnd->envelope);
        QCOMPARE(writerEnd->envelope->type, codec::Envelope::Type::Close);
        QCOMPARE(errorType(*writerEnd), errors::Eof);

        streamer.sendClose();
        const auto streamerEnd = streamer.next();
        QVERIFY(streamerEnd && streamerEnd->envelope);
        QCOMPARE(errorType(*streamerEnd), errors::Eof);
        QVERIFY(streamer.waitClosed());
        QCOMPARE(streamer.closeCode(), 1000);
    }

    void iteratorSendsDataThenOneAck()
    {
        // Own data: 10 samples at 101..110 s.
        m_nextSecond = 101;
        StreamClient writer;
        QVERIFY(openWriter(writer, TimeStamp(0) + TimeSpan::seconds(101)));
        QVERIFY(writer.sendFrame(nextFrame(10)));
        writer.sendRequest(QJsonObject { { u"command"_s, 2 } }, true);
        QVERIFY(writer.next());

        StreamClient iterator;
        QVERIFY(openStream(iterator, u"frame/iterate"_s));
        iterator.sendRequest(QJsonObject { { u"command"_s, 0 },
            { u"keys"_s, QJsonArray { qint64(m_index), qint64(m_data) } },
            { u"bounds"_s,
                codec::toJson(TimeRange { TimeStamp(0) + TimeSpan::seconds(101),
                    TimeStamp(0) + TimeSpan::seconds(111) }) },
            { u"chunk_size"_s, 4 } });
        iterator.codec().update(std::vector<codec::KeyType> { { m_index, DataType::Timestamp },
            { m_data, DataType::Float64 } });
        const auto opened = iterator.next();
        QVERIFY(opened && opened->envelope);
        QCOMPARE(opened->envelope->payload.toObject().value(u"variant"_s).toInt(), 1);
        QCOMPARE(opened->envelope->payload.toObject().value(u"ack"_s).toBool(), true);

        iterator.sendRequest(QJsonObject { { u"command"_s, 3 } }); // seekFirst
        auto ack = iterator.next();
        QVERIFY(ack && ack->envelope);
        QCOMPARE(ack->envelope->payload.toObject().value(u"command"_s).toInt(), 3);
        QCOMPARE(ack->envelope->payload.toObject().value(u"ack"_s).toBool(), true);

        std::vector<int> chunkSizes;
        for (int call = 0; call < 4; ++call) {
            iterator.sendRequest(QJsonObject { { u"command"_s, 1 }, { u"span"_s, u"-1"_s } });
            std::size_t samples = 0;
            while (true) {
                const auto message = iterator.next();
                QVERIFY(message);
                if (message->binaryFrame) {
                    auto frame = iterator.codec().decode(message->body);
                    QVERIFY(frame);
                    if (frame->contains(m_data))
                        samples += frame->concatenated(m_data)->size();
                    continue;
                }
                QVERIFY(message->envelope);
                const QJsonObject payload = message->envelope->payload.toObject();
                QCOMPARE(payload.value(u"variant"_s).toInt(), 1);
                QCOMPARE(payload.value(u"command"_s).toInt(), 1);
                QCOMPARE(payload.value(u"ack"_s).toBool(), samples > 0);
                break;
            }
            chunkSizes.push_back(int(samples));
        }
        QCOMPARE(chunkSizes, (std::vector<int> { 4, 4, 2, 0 }));

        iterator.sendClose();
        const auto end = iterator.next();
        QVERIFY(end && end->envelope);
        QCOMPARE(errorType(*end), errors::Eof);
    }

    void writerPushesValidationErrorOnceAndIgnoresLaterWrites()
    {
        m_nextSecond = 201;
        StreamClient writer;
        QVERIFY(openWriter(writer, TimeStamp(0) + TimeSpan::seconds(201)));
        Frame bad;
        bad.add(m_index, Series::fromTimeStamps(secondsFrom(201, 3)));
        bad.add(m_data, Series::fromValues<double>({ 1.0, 2.0 }));
        QVERIFY(writer.sendFrame(bad));
        const auto pushed = writer.next();
        QVERIFY(pushed && pushed->envelope);
        const QJsonObject reply = pushed->envelope->payload.toObject();
        QCOMPARE(reply.value(u"command"_s).toInt(), 1);
        QCOMPARE(reply.value(u"err"_s).toObject().value(u"type"_s).toString(), errors::Validation);
        QVERIFY(reply.value(u"end"_s).isString());

        QVERIFY(writer.sendFrame(bad));
        QVERIFY2(!writer.next(300), "a failed writer answers later writes");
        writer.sendRequest(QJsonObject { { u"command"_s, 2 } }, true);
        const auto commit = writer.next();
        QVERIFY(commit && commit->envelope);
        QCOMPARE(commit->envelope->payload.toObject()
                     .value(u"err"_s)
                     .toObject()
                     .value(u"type"_s)
                     .toString(),
            errors::Validation);
    }

    void malformedMessageEndsOnlyItsOwnStream()
    {
        StreamClient healthy;
        QVERIFY(openStreamer(healthy, { m_virtual }));
        StreamClient broken;
        QVERIFY(openStream(broken, u"frame/stream"_s));
        broken.sendRaw("{\"type\": \"data\", \"payload\": [1, 2");
        const auto refused = broken.next();
        QVERIFY(refused && refused->envelope);
        QCOMPARE(refused->envelope->type, codec::Envelope::Type::Close);
        QCOMPARE(errorType(*refused), errors::Validation);

        StreamClient writer;
        QVERIFY(openStream(writer, u"frame/write"_s));
        writer.sendRequest(writerOpen({ m_virtual }, TimeStamp(0), 3), true);
        QVERIFY(writer.next());
        writer.codec().update(std::vector<codec::KeyType> { { m_virtual, DataType::Float64 } });
        Frame frame;
        frame.add(m_virtual, Series::fromValues<double>({ 1.0, 2.0, 3.0 }));
        QVERIFY(writer.sendFrame(frame));
        const auto relayed = healthy.next();
        QVERIFY(relayed && relayed->binaryFrame);
    }

    void streamerUpdateReplacesChannelsSilently()
    {
        StreamClient streamer;
        QVERIFY(openStreamer(streamer, { m_virtual }));
        // Update to the data channels: no reply, and virtual writes no longer arrive.
        streamer.sendRequest(
            QJsonObject { { u"keys"_s, QJsonArray { qint64(m_index), qint64(m_data) } } });
        streamer.codec().update(std::vector<codec::KeyType> { { m_index, DataType::Timestamp },
            { m_data, DataType::Float64 } });
        QVERIFY2(!streamer.next(200), "an update must not be answered");

        StreamClient virtualWriter;
        QVERIFY(openStream(virtualWriter, u"frame/write"_s));
        virtualWriter.sendRequest(writerOpen({ m_virtual }, TimeStamp(0), 3), true);
        QVERIFY(virtualWriter.next());
        virtualWriter.codec().update(
            std::vector<codec::KeyType> { { m_virtual, DataType::Float64 } });
        Frame virtualFrame;
        virtualFrame.add(m_virtual, Series::fromValues<double>({ 9.0 }));
        QVERIFY(virtualWriter.sendFrame(virtualFrame));
        QVERIFY2(!streamer.next(200), "frames of channels dropped by an update keep arriving");

        m_nextSecond = 301;
        StreamClient writer;
        QVERIFY(openWriter(writer, TimeStamp(0) + TimeSpan::seconds(301)));
        QVERIFY(writer.sendFrame(nextFrame(2)));
        const auto relayed = streamer.next();
        QVERIFY(relayed && relayed->binaryFrame);
        auto frame = streamer.codec().decode(relayed->body);
        QVERIFY(frame);
        QVERIFY(frame->contains(m_data));
        QVERIFY(!frame->contains(m_virtual));
    }

    void jsonContentTypeCarriesFramesAsJson()
    {
        StreamClient streamer;
        QVERIFY(openStream(streamer, u"frame/stream"_s, u"application/json"_s));
        streamer.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { qint64(m_virtual) } } });
        QVERIFY(streamer.next()); // ack
        StreamClient writer;
        QVERIFY(openStream(writer, u"frame/write"_s, u"application/json"_s));
        writer.sendRequest(writerOpen({ m_virtual }, TimeStamp(0), 3));
        QVERIFY(writer.next());
        Frame frame;
        frame.add(m_virtual, Series::fromValues<double>({ 4.0, 5.0 }));
        writer.sendRequest(
            QJsonObject { { u"command"_s, 1 }, { u"frame"_s, codec::toJson(frame) } });
        const auto relayed = streamer.next();
        QVERIFY(relayed && relayed->envelope);
        auto decoded
            = codec::frameFromJson(relayed->envelope->payload.toObject().value(u"frame"_s));
        QVERIFY(decoded);
        QCOMPARE(decoded->concatenated(m_virtual)->values<double>()[1], 5.0);
    }

    void commandsOutOfOrderEndTheStreamWithAValidationError()
    {
        StreamClient iterator;
        QVERIFY(openStream(iterator, u"frame/iterate"_s));
        iterator.sendRequest(QJsonObject { { u"command"_s, 1 }, { u"span"_s, u"-1"_s } });
        const auto refused = iterator.next();
        QVERIFY(refused && refused->envelope);
        QCOMPARE(refused->envelope->type, codec::Envelope::Type::Close);
        QCOMPARE(errorType(*refused), errors::Validation);

        StreamClient writer;
        QVERIFY(openStream(writer, u"frame/write"_s));
        writer.sendRequest(QJsonObject { { u"command"_s, 2 } }, true); // commit before open
        const auto closed = writer.next();
        QVERIFY(closed && closed->envelope);
        QCOMPARE(errorType(*closed), errors::Validation);
    }

    void throttledStreamerMergesWritesIntoFewerFrames()
    {
        StreamClient streamer;
        QVERIFY(openStreamer(streamer, { m_virtual }, QJsonObject { { u"throttle_rate"_s, 5 } }));
        StreamClient writer;
        QVERIFY(openStream(writer, u"frame/write"_s));
        writer.sendRequest(writerOpen({ m_virtual }, TimeStamp(0), 3), true);
        QVERIFY(writer.next());
        writer.codec().update(std::vector<codec::KeyType> { { m_virtual, DataType::Float64 } });
        for (int i = 0; i < 6; ++i) {
            Frame frame;
            frame.add(m_virtual, Series::fromValues<double>({ double(i) }));
            QVERIFY(writer.sendFrame(frame));
        }
        std::vector<double> received;
        int frames = 0;
        while (received.size() < 6) {
            const auto message = streamer.next(2000);
            QVERIFY(message && message->binaryFrame);
            auto frame = streamer.codec().decode(message->body);
            QVERIFY(frame);
            const auto joined = frame->concatenated(m_virtual); // keep it alive for the span
            QVERIFY(joined);
            const auto values = joined->values<double>();
            received.insert(received.end(), values.begin(), values.end());
            ++frames;
        }
        QCOMPARE(received, (std::vector<double> { 0, 1, 2, 3, 4, 5 }));
        QVERIFY2(frames < 6, qPrintable(QString::number(frames)));
    }

    void slowConsumerIsDroppedAndOthersKeepReceiving()
    {
        // A streamer that stops reading: a raw socket that upgrades, subscribes, then never
        // reads again. (Client frames must be masked; a zero mask keeps the bytes as they are.)
        QTcpSocket stalled;
        stalled.connectToHost(QHostAddress::LocalHost, port());
        QVERIFY(stalled.waitForConnected(3000));
        stalled.write(
            "GET /api/v1/frame/stream?freighterctxContent-Type=application/vnd.synnax.frame"
            "&freighterctxAuthorization=Bearer%20"
            + m_unary->token().toLatin1()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QByteArray handshake;
        QVERIFY(sightline::test::waitUntil([&] {
            handshake += stalled.readAll();
            return handshake.contains("\r\n\r\n");
        }));
        QVERIFY(handshake.startsWith("HTTP/1.1 101"));
        stalled.setReadBufferSize(1); // from now on it reads (almost) nothing
        const QByteArray request = codec::encodeEnvelope(
            codec::Envelope::data(QJsonObject { { u"keys"_s, QJsonArray { qint64(m_virtual) } } }));
        QByteArray frame;
        frame.append(char(0x82)); // FIN + binary
        QVERIFY(request.size() < 126); // the 7-bit length form (the minimal one is required)
        frame.append(char(0x80 | request.size()));
        frame.append(QByteArray(4, '\0')); // mask key
        frame.append(request);
        stalled.write(frame);
        QVERIFY(stalled.waitForBytesWritten(3000));

        StreamClient healthy;
        QVERIFY(openStreamer(healthy, { m_virtual }));
        StreamClient writer;
        QVERIFY(openStream(writer, u"frame/write"_s));
        writer.sendRequest(writerOpen({ m_virtual }, TimeStamp(0), 3), true);
        QVERIFY(writer.next());
        QTest::qWait(100);
        const int before = m_cluster->openStreams();
        writer.codec().update(std::vector<codec::KeyType> { { m_virtual, DataType::Float64 } });
        const std::vector<double> block(128 * 1024, 1.5); // 1 MiB per frame
        const int frames = 100; // 100 MiB: more than the cluster buffers for one consumer
        std::size_t healthyReceived = 0;
        for (int i = 0; i < frames; ++i) {
            Frame big;
            big.add(m_virtual, Series::fromValues<double>(block));
            QVERIFY(writer.sendFrame(big));
            while (auto message = healthy.next(0))
                healthyReceived += message->binaryFrame ? 1 : 0;
        }
        while (healthyReceived < std::size_t(frames)) {
            const auto message = healthy.next(5000);
            QVERIFY2(message, qPrintable(QString::number(healthyReceived)));
            healthyReceived += message->binaryFrame ? 1 : 0;
        }
        QCOMPARE(healthyReceived, std::size_t(frames));
        // The stalled streamer was dropped rather than buffered without bound.
        QTRY_VERIFY_WITH_TIMEOUT(m_cluster->openStreams() < before, 5000);
    }

    void secondClusterOnTheSameDirectoryIsRefused()
    {
        auto second = Cluster::start({ .dataDir = m_dir.path(), .simulator = std::nullopt });
        QVERIFY(!second);
        QVERIFY2(second.error().message.contains(u"in use"_s), qPrintable(second.error().message));
    }

    void anUncreatableDataDirectorySaysWhy_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("reason");
        QTest::newRow("under /proc") << u"/proc/sightline_nope/cluster"_s << u"/proc"_s;
        QTemporaryFile file;
        QVERIFY(file.open());
        file.setAutoRemove(false);
        QTest::newRow("a file in the way") << file.fileName() << file.fileName();
    }
    void anUncreatableDataDirectorySaysWhy()
    {
        QFETCH(QString, dir);
        QFETCH(QString, reason);
        auto cluster = Cluster::start({ .dataDir = dir, .simulator = std::nullopt });
        QVERIFY(!cluster);
        const QString message = cluster.error().message;
        // "cannot create the data directory <dir>: <the operating system's reason>"
        QVERIFY2(message.contains(reason) && message.section(u": "_s, -1).size() > 3,
            qPrintable(message));
        QVERIFY2(!message.endsWith(dir), qPrintable(message));
    }

    void staleLockDoesNotBlockStartUp_data()
    {
        QTest::addColumn<QByteArray>("lock");
        QTest::newRow("empty (power loss)") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\x01\xff not a lock\n");
        QTest::newRow("process 0") << QByteArray("0\nsightline-server\n");
        // A process that has exited, on this machine.
        QProcess exited;
        exited.start(u"true"_s);
        QVERIFY(exited.waitForStarted());
        const qint64 pid = exited.processId();
        QVERIFY(exited.waitForFinished());
        QTest::newRow("dead process") << (QByteArray::number(pid) + "\nsightline-server\n"
            + QSysInfo::machineHostName().toUtf8() + "\n");
    }
    void staleLockDoesNotBlockStartUp()
    {
        QFETCH(QByteArray, lock);
        QTemporaryDir dir;
        QFile file(dir.filePath(u"cluster.lock"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(lock);
        file.close();
        auto cluster = Cluster::start({ .dataDir = dir.path(), .simulator = std::nullopt });
        QVERIFY2(cluster, qPrintable(cluster ? QString() : cluster.error().message));
        // And the lock is really held again: a second cluster is refused.
        auto second = Cluster::start({ .dataDir = dir.path(), .simulator = std::nullopt });
        QVERIFY(!second);
        QVERIFY2(second.error().message.contains(u"in use"_s), qPrintable(second.error().message));
    }
};

QTEST_GUILESS_MAIN(TestClusterStreams)
#include "tst_cluster_streams.moc"
