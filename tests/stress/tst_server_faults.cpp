// sightline-server as a process under the faults a test stand meets: kill -9 at random
// moments of writing and committing (every acknowledged sample checked), a full disk
// (a file-size limit the test lifts again), SIGTERM, and a lock left by a power loss.

#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/writer.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <thread>

#include "support/cluster_test_client.h"
#include "support/server_process.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::test::ServerProcess;
using sightline::test::StreamClient;
using sightline::test::UnaryCaller;
using sightline::test::waitUntil;

namespace {

template <typename T> QString why(const Result<T>& result)
{
    return result ? QString() : result.error().toString();
}

client::ConnectionConfig at(quint16 port)
{
    client::ConnectionConfig config;
    config.port = port;
    config.timeout = TimeSpan::seconds(3);
    return config;
}

/// The timestamps stored for `index` from `from` on, or nullopt when the read failed.
std::optional<std::vector<std::int64_t>> storedStamps(
    client::Connection& connection, ChannelKey index, TimeStamp from)
{
    auto frame = client::read(connection, { from, TimeStamp::Max }, { index });
    if (!frame)
        return std::nullopt;
    std::vector<const Series*> series = frame->seriesOf(index);
    std::stable_sort(series.begin(), series.end(), [](const Series* a, const Series* b) {
        return a->alignment() < b->alignment();
    });
    std::vector<std::int64_t> out;
    for (const Series* s : series) {
        const auto values = s->values<std::int64_t>();
        out.insert(out.end(), values.begin(), values.end());
    }
    return out;
}

int cyclesWanted()
{
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("SIGHTLINE_STRESS_KILL_CYCLES", &ok);
    return ok && fromEnv > 0 ? fromEnv : 200;
}

/// One writer's bookkeeping across kill cycles.
struct WriterTrack
{
    ChannelKey index = 0;
    ChannelKey data = 0;
    bool autoCommit = false;
    /// Next stamp to write (1 µs steps, always later than anything written before).
    std::int64_t next = 1'000'000'000;
    /// Written this cycle, and how many of them the cluster acknowledged (a commit returned).
    std::vector<std::int64_t> written;
    std::size_t acknowledged = 0;
    std::uint64_t acknowledgedTotal = 0;
};

} // namespace

class TestServerFaults : public QObject
{
    Q_OBJECT

private:
    /// Writes frames of `track` until the connection fails, committing every few frames.
    static void writeUntilKilled(client::Connection& connection, WriterTrack& track)
    {
        track.written.clear();
        track.acknowledged = 0;
        auto writer = client::Writer::open(connection,
            { .start = TimeStamp(track.next),
                .channels = { track.index, track.data },
                .enableAutoCommit = track.autoCommit });
        if (!writer)
            return;
        for (int frame = 0;; ++frame) {
            std::vector<TimeStamp> stamps;
            std::vector<double> values;
            for (int i = 0; i < 200; ++i) {
                stamps.emplace_back(track.next);
                values.push_back(double(track.next));
                track.written.push_back(track.next);
                track.next += 1000;
            }
            Frame f;
            f.add(track.index, Series::fromTimeStamps(stamps));
            f.add(track.data, Series::fromValues<double>(values));
            if (!(*writer)->write(f))
                return;
            if (frame % 3 == 2) {
                if (!(*writer)->commit())
                    return;
                track.acknowledged = track.written.size();
            }
        }
    }

    /// Checks what the restarted cluster holds of this cycle's writes: every acknowledged
    /// sample, nothing twice, nothing that was never written, in order.
    static void checkCycle(client::Connection& connection, const WriterTrack& track, int cycle)
    {
        if (track.written.empty())
            return;
        const auto stored = storedStamps(connection, track.index, TimeStamp(track.written.front()));
        QVERIFY2(stored, qPrintable(u"cycle %1: cannot read back"_s.arg(cycle)));
        // A prefix of what was written, at least as long as what was acknowledged.
        QVERIFY2(stored->size() >= track.acknowledged && stored->size() <= track.written.size(),
            qPrintable(u"cycle %1 (%2): %3 stored, %4 acknowledged, %5 written"_s.arg(cycle)
                           .arg(track.autoCommit ? u"auto-commit"_s : u"explicit commit"_s)
                           .arg(stored->size())
                           .arg(track.acknowledged)
                           .arg(track.written.size())));
        QVERIFY2(std::equal(stored->begin(), stored->end(), track.written.begin()),
            qPrintable(u"cycle %1: stored samples differ from the written ones"_s.arg(cycle)));
    }

    /// Opens `streamer` on the stand's chamber pressure; returns its key (0 on failure).
    static ChannelKey streamChamber(ServerProcess& server, StreamClient& streamer)
    {
        UnaryCaller unary(server.port());
        const QString token = unary.login();
        const QJsonArray channels
            = unary
                  .post(u"channel/retrieve"_s,
                      QJsonObject { { u"names"_s, QJsonArray { u"stand_pt_chamber"_s } } })
                  .body.value(u"channels"_s)
                  .toArray();
        if (channels.size() != 1 || !streamer.connect(server.port(), u"frame/stream"_s, token)
            || !streamer.next()) // open
            return 0;
        const auto chamber = ChannelKey(channels[0].toObject().value(u"key"_s).toInteger());
        streamer.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { qint64(chamber) } } });
        return streamer.next() ? chamber : 0; // ack
    }

private Q_SLOTS:
    void kill9AtRandomMomentsLosesNoAcknowledgedSample()
    {
        const int cycles = cyclesWanted();
        QTemporaryDir dir;
        WriterTrack tracks[2];
        tracks[1].autoCommit = true;
        tracks[1].next = 5'000'000'000'000;
        {
            ServerProcess server;
            QVERIFY(server.start(dir.path()));
            client::Connection connection(at(server.port()));
            for (int w = 0; w < 2; ++w) {
                Channel index;
                index.name = u"kill_time_%1"_s.arg(w);
                index.dataType = DataType::Timestamp;
                index.isIndex = true;
                auto indexes = connection.createChannels({ index });
                QVERIFY2(indexes, qPrintable(why(indexes)));
                Channel data;
                data.name = u"kill_value_%1"_s.arg(w);
                data.dataType = DataType::Float64;
                data.index = (*indexes)[0].key;
                auto datas = connection.createChannels({ data });
                QVERIFY2(datas, qPrintable(why(datas)));
                tracks[w].index = (*indexes)[0].key;
                tracks[w].data = (*datas)[0].key;
            }
            server.terminate();
        }
        QRandomGenerator random(20261201);
        std::uint64_t written = 0;
        for (int cycle = 0; cycle < cycles; ++cycle) {
            ServerProcess server;
            QVERIFY2(server.start(dir.path()), qPrintable(server.errors()));
            // Check the previous cycle's writes against what survived.
            {
                client::Connection connection(at(server.port()));
                for (const WriterTrack& track : tracks) {
                    checkCycle(connection, track, cycle - 1);
                    if (QTest::currentTestFailed())
                        return;
                }
            }
            for (WriterTrack& track : tracks)
                track.acknowledgedTotal += track.acknowledged;
            // Kill it at a random moment while both writers write and commit.
            const auto pid = static_cast<pid_t>(server.pid());
            const int after = 20 + static_cast<int>(random.bounded(180));
            std::thread killer([pid, after] {
                std::this_thread::sleep_for(std::chrono::milliseconds(after));
                ::kill(pid, SIGKILL);
            });
            std::thread second([&] {
                client::Connection connection(at(server.port()));
                writeUntilKilled(connection, tracks[1]);
            });
            {
                client::Connection connection(at(server.port()));
                writeUntilKilled(connection, tracks[0]);
            }
            second.join();
            killer.join();
            server.process().waitForFinished(5000);
            written += tracks[0].written.size() + tracks[1].written.size();
        }
        ServerProcess last;
        QVERIFY(last.start(dir.path()));
        client::Connection connection(at(last.port()));
        for (const WriterTrack& track : tracks)
            checkCycle(connection, track, cycles - 1);
        qInfo("%d kill -9 cycles: %llu samples written, %llu acknowledged, none lost",
            cycles,
            static_cast<unsigned long long>(written),
            static_cast<unsigned long long>(tracks[0].acknowledgedTotal + tracks[0].acknowledged
                + tracks[1].acknowledgedTotal + tracks[1].acknowledged));
    }

    void sigtermClosesStreamsAndExitsCleanly()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY(server.start(dir.path(), { u"--sim-rate"_s, u"200"_s }));
        StreamClient streamer;
        const ChannelKey chamber = streamChamber(server, streamer);
        QVERIFY(chamber != 0);
        ::kill(static_cast<pid_t>(server.pid()), SIGTERM);
        // Frames may still arrive; then the close envelope with no error (EOF).
        std::optional<codec::Envelope> closing;
        while (auto message = streamer.next(3000)) {
            if (message->envelope && message->envelope->type == codec::Envelope::Type::Close) {
                closing = message->envelope;
                break;
            }
        }
        QVERIFY2(closing, "no close envelope before the server went away");
        QVERIFY(streamer.waitClosed());
        QCOMPARE(streamer.closeCode(), 1000);
        QVERIFY(server.process().waitForFinished(5000));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
    }

    void fullDiskKeepsStreamingAndStoringResumes()
    {
        QTemporaryDir dir;
        // The data files may not grow past 3 MiB (a soft limit the test lifts later):
        // writes then fail as on a full disk.
        const QStringList limited { u"prlimit"_s, u"--fsize=3145728:unlimited"_s, u"--"_s };
        ServerProcess server;
        QVERIFY(server.start(dir.path(), { u"--sim-rate"_s, u"20000"_s }, limited));
        StreamClient streamer;
        const ChannelKey chamber = streamChamber(server, streamer);
        QVERIFY(chamber != 0);
        QVERIFY2(waitUntil([&] { return server.errors().contains(u"cannot store"_s); }, 30000),
            qPrintable(server.errors()));
        // Storing fails, streaming goes on: frames keep arriving for a second and more.
        int framesAfterFailure = 0;
        QElapsedTimer streaming;
        streaming.start();
        while (streaming.elapsed() < 1500)
            if (auto message = streamer.next(1000); message && message->binaryFrame)
                ++framesAfterFailure;
        QVERIFY2(framesAfterFailure > 10, qPrintable(QString::number(framesAfterFailure)));
        // Room again: storing resumes and says so.
        QProcess lift;
        lift.start(u"prlimit"_s,
            { u"--pid"_s, QString::number(server.pid()), u"--fsize=unlimited"_s });
        QVERIFY(lift.waitForFinished(5000));
        QVERIFY2(lift.exitCode() == 0, lift.readAllStandardError().constData());
        QVERIFY2(waitUntil(
                     [&] {
                         return server.errors().contains(
                             u"storing the simulated stand's data again"_s);
                     },
                     10000),
            qPrintable(server.errors()));
        const TimeStamp resumed = TimeStamp::now();
        QTest::qWait(500);
        client::Connection connection(at(server.port()));
        auto frame = client::read(connection, { resumed, TimeStamp::Max }, { chamber });
        QVERIFY2(frame, qPrintable(why(frame)));
        QVERIFY2(frame->concatenated(chamber)->size() > 1000,
            qPrintable(QString::number(frame->concatenated(chamber)->size())));
        // The restart after a full disk is not mistaken for a held lock.
        server.kill();
        ServerProcess again;
        QVERIFY2(again.start(dir.path()), qPrintable(again.errors()));
    }
};

QTEST_GUILESS_MAIN(TestServerFaults)
#include "tst_server_faults.moc"
