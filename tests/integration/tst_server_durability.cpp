// sightline-server as a process: acknowledged writes survive kill -9, tokens and history
// survive a restart, the simulated stand writes live data, and bad start-ups fail clearly.

#include "core/codec/json_values.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "support/cluster_test_client.h"
#include "support/server_process.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::test::ServerProcess;
using sightline::test::StreamClient;
using sightline::test::UnaryCaller;
using sightline::test::waitUntil;

namespace {

/// Reads every sample of `data` (float64, indexed by `index`) through the iterator.
std::vector<double> readAll(quint16 port, const QString& token, ChannelKey index, ChannelKey data)
{
    StreamClient iterator;
    std::vector<double> values;
    if (!iterator.connect(port, u"frame/iterate"_s, token) || !iterator.next())
        return values;
    iterator.sendRequest(QJsonObject { { u"command"_s, 0 },
        { u"keys"_s, QJsonArray { qint64(index), qint64(data) } } });
    iterator.codec().update(std::vector<codec::KeyType> { { index, DataType::Timestamp },
        { data, DataType::Float64 } });
    if (!iterator.next())
        return values;
    iterator.sendRequest(QJsonObject { { u"command"_s, 3 } });
    if (!iterator.next())
        return values;
    while (true) {
        iterator.sendRequest(QJsonObject { { u"command"_s, 1 }, { u"span"_s, u"-1"_s } });
        bool more = false;
        while (auto message = iterator.next()) {
            if (message->binaryFrame) {
                auto frame = iterator.codec().decode(message->body);
                if (frame && frame->contains(data)) {
                    const auto series = frame->concatenated(data); // alive while read
                    const auto part = series->values<double>();
                    values.insert(values.end(), part.begin(), part.end());
                }
                continue;
            }
            more = message->envelope
                && message->envelope->payload.toObject().value(u"ack"_s).toBool();
            break;
        }
        if (!more)
            return values;
    }
}

} // namespace

class TestServerDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void committedWritesSurviveKill9AndTokensSurviveRestart()
    {
        QTemporaryDir dir;
        ServerProcess first;
        QVERIFY(first.start(dir.path()));
        UnaryCaller unary(first.port());
        const QString token = unary.login();
        QVERIFY(!token.isEmpty());
        const auto index
            = ChannelKey(unary
                             .createChannels(QJsonArray { QJsonObject { { u"name"_s, u"t"_s },
                                 { u"data_type"_s, u"timestamp"_s },
                                 { u"is_index"_s, true } } })[0]
                             .toObject()
                             .value(u"key"_s)
                             .toInteger());
        const auto data
            = ChannelKey(unary
                             .createChannels(QJsonArray { QJsonObject { { u"name"_s, u"v"_s },
                                 { u"data_type"_s, u"float64"_s },
                                 { u"index"_s, qint64(index) } } })[0]
                             .toObject()
                             .value(u"key"_s)
                             .toInteger());
        QVERIFY(index != 0 && data != 0);

        StreamClient writer;
        QVERIFY(writer.connect(first.port(), u"frame/write"_s, token));
        QVERIFY(writer.next());
        writer.sendRequest(QJsonObject { { u"command"_s, 0 },
                               { u"config"_s,
                                   QJsonObject { { u"start"_s, u"1000000000"_s },
                                       { u"keys"_s, QJsonArray { qint64(index), qint64(data) } },
                                       { u"mode"_s, 2 },
                                       { u"enable_auto_commit"_s, true } } } },
            true);
        writer.codec().update(std::vector<codec::KeyType> { { index, DataType::Timestamp },
            { data, DataType::Float64 } });
        QVERIFY(writer.next());
        std::vector<double> expected;
        for (int batch = 0; batch < 50; ++batch) {
            std::vector<TimeStamp> stamps;
            std::vector<double> values;
            for (int i = 0; i < 100; ++i) {
                const int n = batch * 100 + i;
                stamps.push_back(TimeStamp(1'000'000'000 + std::int64_t(n) * 1'000'000));
                values.push_back(n * 0.5);
            }
            expected.insert(expected.end(), values.begin(), values.end());
            Frame frame;
            frame.add(index, Series::fromTimeStamps(stamps));
            frame.add(data, Series::fromValues<double>(values));
            QVERIFY(writer.sendFrame(frame));
        }
        writer.sendRequest(QJsonObject { { u"command"_s, 2 } }, true);
        const auto committed = writer.next(10000);
        QVERIFY(committed && committed->envelope);
        QCOMPARE(committed->envelope->payload.toObject()
                     .value(u"err"_s)
                     .toObject()
                     .value(u"type"_s)
                     .toString(),
            u"nil"_s);
        first.kill();

        ServerProcess second;
        QVERIFY2(second.start(dir.path()), "a killed server's lock must not block a restart");
        // The token issued before the crash is still valid (the signing secret persists).
        QCOMPARE(readAll(second.port(), token, index, data), expected);
    }

    void simulatedStandWritesLiveDataThatOutlivesTheServer()
    {
        QTemporaryDir dir;
        ServerProcess running;
        QVERIFY(running.start(dir.path(), { u"--sim-rate"_s, u"1000"_s }));
        UnaryCaller unary(running.port());
        const QString token = unary.login();
        const QJsonArray channels
            = unary.post(u"channel/retrieve"_s, QJsonObject { { u"search_term"_s, u"stand"_s } })
                  .body.value(u"channels"_s)
                  .toArray();
        QVERIFY2(channels.size() >= 14, qPrintable(QString::number(channels.size())));
        ChannelKey index = 0;
        ChannelKey chamber = 0;
        for (const QJsonValue& channel : channels) {
            const QString name = channel.toObject().value(u"name"_s).toString();
            if (name == u"stand_time_fast"_s)
                index = ChannelKey(channel.toObject().value(u"key"_s).toInteger());
            if (name == u"stand_pt_chamber"_s)
                chamber = ChannelKey(channel.toObject().value(u"key"_s).toInteger());
        }
        QVERIFY(index != 0 && chamber != 0);

        // Live: a streamer on the chamber pressure receives frames.
        StreamClient streamer;
        QVERIFY(streamer.connect(running.port(), u"frame/stream"_s, token));
        QVERIFY(streamer.next());
        streamer.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { qint64(chamber) } } });
        streamer.codec().update(std::vector<codec::KeyType> { { chamber, DataType::Float64 } });
        QVERIFY(streamer.next()); // ack
        const auto live = streamer.next(3000);
        QVERIFY(live && live->binaryFrame);
        QTest::qWait(700);
        running.terminate();

        const std::size_t recorded = readAllAfterRestart(dir.path(), index, chamber);
        // ≥ 0.5 s at 1 kHz was written before the stop; all of it is there after a restart.
        QVERIFY2(recorded >= 500, qPrintable(QString::number(recorded)));
    }

    void unusableDataDirectoryFailsClearly()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"not-a-directory"_s);
        QFile(file).open(QIODevice::WriteOnly);
        ServerProcess server;
        QString error;
        QCOMPARE(server.runToExit(
                     { u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, file, u"--no-sim"_s },
                     &error),
            1);
        QVERIFY2(error.contains(u"data directory"_s), qPrintable(error));
    }

    void secondServerOnTheSameDirectoryRefusesToStart()
    {
        QTemporaryDir dir;
        ServerProcess first;
        QVERIFY(first.start(dir.path()));
        ServerProcess second;
        QString error;
        QCOMPARE(
            second.runToExit(
                { u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, dir.path(), u"--no-sim"_s },
                &error),
            1);
        QVERIFY2(error.contains(u"in use"_s), qPrintable(error));
    }

private:
    std::size_t readAllAfterRestart(const QString& dataDir, ChannelKey index, ChannelKey data)
    {
        ServerProcess restarted;
        if (!restarted.start(dataDir))
            return 0;
        UnaryCaller unary(restarted.port());
        return readAll(restarted.port(), unary.login(), index, data).size();
    }
};

QTEST_GUILESS_MAIN(TestServerDurability)
#include "tst_server_durability.moc"
