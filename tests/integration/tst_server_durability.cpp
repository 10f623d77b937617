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

    void rangesLabelsAndGroupsSurviveKill9()
    {
        QTemporaryDir dir;
        ServerProcess first;
        QVERIFY(first.start(dir.path()));
        UnaryCaller unary(first.port());
        QVERIFY(!unary.login().isEmpty());
        const auto timeRange = [](const char* start, const char* end) {
            return QJsonObject { { u"start"_s, QString::fromLatin1(start) },
                { u"end"_s, QString::fromLatin1(end) } };
        };
        const auto created = unary.post(u"range/create"_s,
            QJsonObject { { u"ranges"_s,
                QJsonArray { QJsonObject { { u"name"_s, u"Campaign"_s },
                    { u"time_range"_s, timeRange("1000", "9000") },
                    { u"color"_s, QJsonArray { 231, 116, 208, 1 } } } } } });
        QCOMPARE(created.status, 200);
        const QString campaign
            = created.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
        const QJsonObject campaignId { { u"type"_s, u"range"_s }, { u"key"_s, campaign } };
        const auto child = unary.post(u"range/create"_s,
            QJsonObject { { u"ranges"_s,
                              QJsonArray { QJsonObject { { u"name"_s, u"Hotfire"_s },
                                  { u"time_range"_s, timeRange("2000", "3000") } } } },
                { u"parent"_s, campaignId } });
        const QString test
            = child.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
        QCOMPARE(unary
                     .post(u"range/kv/set"_s,
                         QJsonObject { { u"range"_s, test },
                             { u"pairs"_s,
                                 QJsonArray { QJsonObject { { u"range"_s, test },
                                     { u"key"_s, u"part"_s },
                                     { u"value"_s, u"PN-7"_s } } } } })
                     .status,
            200);
        const auto label = unary.post(u"label/create"_s,
            QJsonObject { { u"labels"_s,
                QJsonArray { QJsonObject { { u"name"_s, u"nominal"_s },
                    { u"color"_s, u"#00a000"_s } } } } });
        const QString labelKey
            = label.body.value(u"labels").toArray()[0].toObject().value(u"key").toString();
        QCOMPARE(
            unary
                .post(u"label/set"_s,
                    QJsonObject {
                        { u"id"_s, QJsonObject { { u"type"_s, u"range"_s }, { u"key"_s, test } } },
                        { u"labels"_s, QJsonArray { labelKey } } })
                .status,
            200);
        const auto group = unary.post(u"ontology/create-group"_s,
            QJsonObject { { u"name"_s, u"Stand A"_s },
                { u"parent"_s,
                    QJsonObject { { u"type"_s, u"builtin"_s }, { u"key"_s, u"root"_s } } } });
        const QString groupKey = group.body.value(u"group").toObject().value(u"key").toString();
        const QJsonObject groupId { { u"type"_s, u"group"_s }, { u"key"_s, groupKey } };
        QCOMPARE(unary
                     .post(u"ontology/add-children"_s,
                         QJsonObject { { u"id"_s, groupId },
                             { u"children"_s, QJsonArray { campaignId } } })
                     .status,
            200);
        first.kill(); // every call above was answered, so it was committed

        ServerProcess second;
        QVERIFY(second.start(dir.path()));
        UnaryCaller again(second.port());
        QVERIFY(!again.login().isEmpty());
        const auto found = again.post(u"range/retrieve"_s,
            QJsonObject { { u"keys"_s, QJsonArray { test } },
                { u"include_parent"_s, true },
                { u"include_labels"_s, true } });
        QCOMPARE(found.status, 200);
        const QJsonObject hotfire = found.body.value(u"ranges").toArray()[0].toObject();
        QCOMPARE(hotfire.value(u"name").toString(), u"Hotfire"_s);
        QCOMPARE(hotfire.value(u"parent").toObject().value(u"name").toString(), u"Campaign"_s);
        QCOMPARE(hotfire.value(u"parent").toObject().value(u"color").toObject().value(u"r").toInt(),
            231);
        QCOMPARE(hotfire.value(u"labels").toArray()[0].toObject().value(u"name").toString(),
            u"nominal"_s);
        const auto pairs = again.post(u"range/kv/get"_s,
            QJsonObject { { u"range"_s, test }, { u"keys"_s, QJsonArray { u"part"_s } } });
        QCOMPARE(pairs.body.value(u"pairs").toArray()[0].toObject().value(u"value").toString(),
            u"PN-7"_s);
        const auto children = again.post(u"ontology/retrieve"_s,
            QJsonObject { { u"ids"_s, QJsonArray { groupId } }, { u"children"_s, true } });
        QCOMPARE(
            children.body.value(u"resources").toArray()[0].toObject().value(u"name").toString(),
            u"Campaign"_s);
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
