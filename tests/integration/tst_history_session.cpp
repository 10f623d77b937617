// The history session without any widget, against the embedded cluster with known recorded
// data (one sample per second, valued as its time in seconds): the extent and its following,
// the overview of every channel, the window clamped and read, cache hits that read nothing,
// chunk stepping as Iterator next()/prev(), cancel, playback and loop, typed errors.

#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/feed/history_reader.h"
#include "core/feed/history_session.h"
#include "core/server/embedded_cluster.h"
#include "core/store/history_cache.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "support/recording.h"

using namespace Qt::StringLiterals;
using namespace sightline;
using core::TimeRange;
using core::TimeSpan;
using core::TimeStamp;
using core::feed::HistorySession;
using test::at;

namespace {
constexpr int Samples = 600;
} // namespace

class TestHistorySession : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    core::Channel m_index;
    core::Channel m_data; ///< 1 … 600 at 1 … 600 s
    core::Channel m_scaled; ///< 1000 × m_data's values, on the same index

    std::unique_ptr<HistorySession> makeSession(std::vector<core::Channel> channels = {})
    {
        auto session = std::make_unique<HistorySession>();
        session->attach(m_connection);
        session->setChannels(channels.empty() ? std::vector { m_data } : channels);
        return session;
    }

    static bool load(HistorySession& session)
    {
        QSignalSpy loaded(&session, &HistorySession::extentLoaded);
        session.loadExtent();
        return loaded.wait(5000)
            && loaded.front().front().value<std::optional<TimeRange>>().has_value();
    }

    /// Moves the window and waits until what it needs is cached.
    static bool show(HistorySession& session, TimeRange window)
    {
        QSignalSpy shown(&session, &HistorySession::windowShown);
        session.setWindow(window);
        return !shown.isEmpty() || shown.wait(5000);
    }

    /// The overview holds the true min and max of `value(s)` for s = 1 … Samples in every
    /// bucket, and nothing elsewhere.
    static bool overviewIsExact(const core::store::Overview& overview, double scale)
    {
        if (overview.buckets() != HistorySession::OverviewBuckets)
            return false;
        std::vector<double> low(std::size_t(overview.buckets()), 1e12);
        std::vector<double> high(std::size_t(overview.buckets()), -1e12);
        for (int s = 1; s <= Samples; ++s) {
            const auto b = std::size_t(overview.bucketOf(at(s).nanoseconds()));
            low[b] = std::min(low[b], scale * s);
            high[b] = std::max(high[b], scale * s);
        }
        for (int b = 0; b < overview.buckets(); ++b) {
            const bool empty = low[std::size_t(b)] > high[std::size_t(b)];
            if (overview.isEmpty(b) != empty)
                return false;
            if (!empty
                && (overview.min(b) != low[std::size_t(b)]
                    || overview.max(b) != high[std::size_t(b)]))
                return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        core::server::ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator.reset();
        QVERIFY(m_cluster.start(config));
        core::client::ConnectionConfig connection;
        connection.port = m_cluster.port();
        m_connection = std::make_shared<core::client::Connection>(connection);
        const auto recording = test::createRecording(*m_connection, u"rec"_s);
        m_index = recording.first;
        m_data = recording.second;
        core::Channel scaled = m_data;
        scaled.key = 0;
        scaled.name = u"rec_scaled"_s;
        m_scaled = m_connection->createChannels({ scaled }).value().front();

        auto writer = core::client::Writer::open(*m_connection,
            { .start = at(1),
                .channels = { m_index.key, m_data.key, m_scaled.key },
                .mode = core::client::WriterMode::Persist });
        QVERIFY(writer);
        for (int first = 1; first <= Samples; first += 100) {
            std::vector<TimeStamp> stamps;
            std::vector<double> values;
            std::vector<double> scaledValues;
            for (int s = first; s < first + 100; ++s) {
                stamps.push_back(at(s));
                values.push_back(s);
                scaledValues.push_back(1000.0 * s);
            }
            core::Frame frame;
            frame.add(m_index.key, core::Series::fromTimeStamps(stamps));
            frame.add(m_data.key, core::Series::fromValues<double>(values));
            frame.add(m_scaled.key, core::Series::fromValues<double>(scaledValues));
            QVERIFY((*writer)->write(frame));
        }
        QVERIFY((*writer)->commit());
        QVERIFY((*writer)->close());
    }

    void extentIsTheRecordingAndTheWindowItsLastMinute()
    {
        auto session = makeSession();
        QSignalSpy changed(session.get(), &HistorySession::extentChanged);
        QVERIFY(load(*session));
        QCOMPARE(session->extent(), (TimeRange { at(1), at(Samples) + TimeSpan(1) }));
        QVERIFY(!changed.isEmpty());
        const TimeStamp end = at(Samples) + TimeSpan(1);
        QCOMPARE(session->window(), (TimeRange { end - TimeSpan::minutes(1), end }));
    }

    void windowAskedBeforeTheExtentIsShownOnceKnown()
    {
        // A range opened while the extent is still being looked for.
        auto session = makeSession();
        session->setWindow({ at(100), at(130) });
        QVERIFY(load(*session));
        QCOMPARE(session->window(), (TimeRange { at(100), at(130) }));
    }

    void windowIsClampedToTheExtent()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        QSignalSpy moved(session.get(), &HistorySession::windowChanged);
        session->setWindow({ at(-50), at(0) }); // before the start: kept 50 s long
        QCOMPARE(session->window(), (TimeRange { at(1), at(51) }));
        QCOMPARE(moved.last().front().value<TimeRange>(), session->window());
        session->setWindow({ at(0), at(10000) }); // longer than the extent: the extent
        QCOMPARE(session->window(), *session->extent());
        session->setWindow({ at(5), at(5) }); // empty: the shortest window
        QCOMPARE(session->window().span(), HistorySession::MinimumWindow);
    }

    void overviewOfEveryChannelScansTheWholeRecordingWithoutCachingIt()
    {
        // Only the last minute is read into the cache; each channel's overview still comes
        // to hold the true min and max of every bucket of the whole recording.
        auto session = makeSession({ m_data, m_scaled });
        QVERIFY(load(*session));
        QTRY_VERIFY_WITH_TIMEOUT(overviewIsExact(session->overview(m_data.key), 1)
                && overviewIsExact(session->overview(m_scaled.key), 1000),
            5000);
        QVERIFY(session->cache().sampleCount(m_data.key) < std::size_t(Samples / 2));
        QCOMPARE(session->overview(m_index.key).buckets(), 0); // not shown: no overview
    }

    void extentFollowsNewRecordings()
    {
        // Recorded 1…100 s, then 101…200 s while the window is at the end: the extent grows,
        // the window moves along, and the overview takes in the new part.
        const auto recording = test::createRecording(*m_connection, u"grow"_s);
        const core::Channel& data = recording.second;
        QVERIFY(test::record(*m_connection, recording, 1, 100, -1));
        auto session = makeSession({ data });
        QVERIFY(load(*session));
        QVERIFY(test::record(*m_connection, recording, 101, 200, -1));
        const TimeRange grown { at(1), at(200) + TimeSpan(1) };
        QTRY_VERIFY_WITH_TIMEOUT((session->refreshExtent(), session->extent() == grown), 5000);
        QCOMPARE(session->window(), (TimeRange { grown.end - TimeSpan::minutes(1), grown.end }));
        const auto overviewCoversAll = [&] {
            const core::store::Overview overview = session->overview(data.key);
            if (overview.range() != grown)
                return false;
            double low = 0;
            double high = -1e9;
            for (int b = 0; b < overview.buckets(); ++b)
                if (!overview.isEmpty(b)) {
                    low = std::min(low, overview.min(b));
                    high = std::max(high, overview.max(b));
                }
            return low == -200 && high == -1
                && !overview.isEmpty(overview.bucketOf(at(120).nanoseconds())); // not cached
        };
        QTRY_VERIFY_WITH_TIMEOUT(overviewCoversAll(), 5000);
    }

    void aRecordingShownWholeKeepsBeingShownWholeAsItGrows()
    {
        // Loaded when only 20 s were recorded (all of it shown): as recording goes on, all of
        // it stays in view up to a minute, then the last minute follows the end.
        const auto recording = test::createRecording(*m_connection, u"young"_s);
        QVERIFY(test::record(*m_connection, recording, 1, 20));
        auto session = makeSession({ recording.second });
        QVERIFY(load(*session));
        QCOMPARE(session->window(), (TimeRange { at(1), at(20) + TimeSpan(1) }));
        QVERIFY(test::record(*m_connection, recording, 21, 40));
        QTRY_VERIFY_WITH_TIMEOUT(
            (session->refreshExtent(), session->extent()->end == at(40) + TimeSpan(1)),
            5000);
        QCOMPARE(session->window(), *session->extent());
        QVERIFY(test::record(*m_connection, recording, 41, 100));
        QTRY_VERIFY_WITH_TIMEOUT(
            (session->refreshExtent(), session->extent()->end == at(100) + TimeSpan(1)),
            5000);
        const TimeStamp end = at(100) + TimeSpan(1);
        QCOMPARE(session->window(), (TimeRange { end - TimeSpan::minutes(1), end }));
    }

    void aWindowAwayFromTheEndStaysWhenTheExtentGrows()
    {
        const auto recording = test::createRecording(*m_connection, u"stay"_s);
        QVERIFY(test::record(*m_connection, recording, 1, 100));
        auto session = makeSession({ recording.second });
        QVERIFY(load(*session));
        QVERIFY(show(*session, { at(10), at(20) }));
        QVERIFY(test::record(*m_connection, recording, 101, 150));
        QTRY_VERIFY_WITH_TIMEOUT(
            (session->refreshExtent(), session->extent()->end == at(150) + TimeSpan(1)),
            5000);
        QCOMPARE(session->window(), (TimeRange { at(10), at(20) }));
    }

    void cacheHitsReadNothing()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        QVERIFY(show(*session, { at(100), at(300) }));
        const quint64 reads = session->reader()->requestCount();
        QVERIFY(show(*session, { at(150), at(200) }));
        QVERIFY(show(*session, { at(100), at(300) }));
        QCOMPARE(session->reader()->requestCount(), reads);
        QVERIFY(!session->reading());
        QVERIFY(show(*session, { at(400), at(450) })); // not read yet: one request
        QCOMPARE(session->reader()->requestCount(), reads + 1);
        const auto stats = session->cache().stats(m_data.key, { at(400), at(450) });
        QVERIFY(stats);
        QCOMPARE(stats->count, std::size_t(50)); // 400 … 449
    }

    void chunkStepsFollowIteratorChunks()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        session->setChunkSize(4);
        QVERIFY(show(*session, { at(1), at(40) })); // cached ahead: steps are answered locally
        QVERIFY(show(*session, { at(1), at(5) }));
        const quint64 reads = session->reader()->requestCount();
        // The window keeps its 4 s and ends where the chunk ends (starts where it starts).
        const TimeSpan length = TimeSpan::seconds(4);
        session->stepByChunk(+1); // next(): samples 5…8, up to 8 s + 1 ns
        QCOMPARE(session->window(),
            (TimeRange { at(8) + TimeSpan(1) - length, at(8) + TimeSpan(1) }));
        session->stepByChunk(+1); // 9…12
        QCOMPARE(session->window(),
            (TimeRange { at(12) + TimeSpan(1) - length, at(12) + TimeSpan(1) }));
        session->stepByChunk(-1); // prev(): the 4 samples before the view start: 5…8
        QCOMPARE(session->window(), (TimeRange { at(5), at(5) + length }));
        QCOMPARE(session->reader()->requestCount(), reads); // all from the cache
        // A window longer than a chunk keeps its length too.
        QVERIFY(show(*session, { at(1), at(21) }));
        session->stepByChunk(+1); // 21…24
        QCOMPARE(session->window(), (TimeRange { at(4) + TimeSpan(1), at(24) + TimeSpan(1) }));
    }

    void chunkStepsReadWhatTheCacheCannotTell()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        session->setChunkSize(4);
        QVERIFY(show(*session, { at(500), at(504) })); // nothing cached on either side
        const quint64 reads = session->reader()->requestCount();
        session->stepByChunk(+1); // next(): samples 504…507, read from the cluster first
        QTRY_COMPARE_WITH_TIMEOUT(session->window(),
            (TimeRange { at(503) + TimeSpan(1), at(507) + TimeSpan(1) }),
            5000);
        QVERIFY(session->reader()->requestCount() > reads);
        QVERIFY(show(*session, { at(300), at(304) }));
        session->stepByChunk(-1); // prev(): samples 296…299, read backward from the cluster
        QTRY_COMPARE_WITH_TIMEOUT(session->window(), (TimeRange { at(296), at(300) }), 5000);
        QVERIFY(show(*session, { at(597), at(Samples) + TimeSpan(1) }));
        session->stepByChunk(+1); // nothing after the last sample: the window stays
        QTest::qWait(100);
        QCOMPARE(session->window(), (TimeRange { at(597), at(Samples) + TimeSpan(1) }));
    }

    void aStepWaitingForItsReadIsDroppedWhenTheWindowMoves()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        session->setChunkSize(4);
        QVERIFY(show(*session, { at(200), at(204) }));
        session->stepByChunk(+1); // needs a read
        QVERIFY(session->reading());
        QVERIFY(show(*session, { at(50), at(60) })); // the user moved on meanwhile
        QTest::qWait(200);
        QCOMPARE(session->window(), (TimeRange { at(50), at(60) }));
    }

    void backwardReadsComeNearestTheEndFirst()
    {
        // What a window moving left asks for: the chunks nearest the old view first, each
        // covering exactly its samples, all of the range in the end.
        core::feed::HistoryReader reader(m_connection);
        std::vector<core::feed::HistoryChunk> chunks;
        connect(&reader,
            &core::feed::HistoryReader::chunkRead,
            this,
            [&](quint64, const core::feed::HistoryChunk& chunk) { chunks.push_back(chunk); });
        QSignalSpy finished(&reader, &core::feed::HistoryReader::finished);
        reader.read({ m_data },
            { .range = { at(100), at(200) },
                .chunkSize = 30,
                .direction = core::feed::ReadDirection::Backward });
        QVERIFY(finished.wait(5000));
        QVERIFY(chunks.size() >= 4);
        QCOMPARE(chunks.front().covered.end, at(200));
        QCOMPARE(chunks.front().values.front(), 170.0); // 170 … 199
        TimeStamp edge = at(200);
        std::vector<double> values;
        for (const core::feed::HistoryChunk& chunk : chunks) {
            QCOMPARE(chunk.covered.end, edge);
            edge = chunk.covered.start;
            values.insert(values.begin(), chunk.values.begin(), chunk.values.end());
        }
        QCOMPARE(edge, at(100));
        std::vector<double> expected;
        for (int v = 100; v < 200; ++v)
            expected.push_back(v);
        QCOMPARE(values, expected);
    }

    void cancelStopsARead()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        session->setChunkSize(10); // many small chunks
        QTRY_VERIFY(!session->reading()); // the last minute's read is done
        QSignalSpy chunks(session->reader(), &core::feed::HistoryReader::chunkRead);
        QSignalSpy reading(session.get(), &HistorySession::readingChanged);
        session->setWindow({ at(1), at(Samples) });
        QVERIFY(session->reading());
        session->cancelRead();
        QVERIFY(!session->reading());
        QCOMPARE(reading.size(), 2); // started, ended
        const auto before = chunks.count();
        QTest::qWait(300);
        // Nothing of the cancelled read arrives after the cancel (queued ones are dropped).
        QCOMPARE(chunks.count(), before);
        QVERIFY(session->cache().sampleCount(m_data.key) < std::size_t(Samples));
    }

    void theOverviewGrowsAtMostFourTimesASecondWhileReading()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        session->setChunkSize(5); // many small chunks: partial results every 33 ms
        QTRY_VERIFY(!session->reading()); // the last minute's read is done
        QSignalSpy settling(session.get(), &HistorySession::overviewChanged);
        for (int attempt = 0; attempt < 20; ++attempt) { // and the overview's scan
            settling.clear();
            QTest::qWait(300);
            if (settling.isEmpty())
                break;
        }
        QSignalSpy overview(session.get(), &HistorySession::overviewChanged);
        QSignalSpy cache(session.get(), &HistorySession::cacheChanged);
        QElapsedTimer clock;
        clock.start();
        session->setWindow({ at(1), at(Samples) });
        QTRY_VERIFY_WITH_TIMEOUT(!session->reading(), 20000);
        const qint64 readMs = clock.elapsed();
        const int during = int(overview.count()) - 1; // the last: when the read ended
        QVERIFY(overview.count() >= 1);
        QVERIFY2(during <= readMs / 250 + 1,
            qPrintable(u"%1 overview updates in a %2 ms read (%3 cache updates)"_s.arg(during)
                           .arg(readMs)
                           .arg(cache.count())));
        QVERIFY(overviewIsExact(session->overview(m_data.key), 1.0)); // nothing left out
    }

    void playbackMovesTheWindowAndLoops()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        QVERIFY(show(*session, { at(Samples - 20), at(Samples - 10) }));
        QSignalSpy playing(session.get(), &HistorySession::playingChanged);
        session->setLoop(true);
        session->play(100); // 100×: 0.1 s wall is 10 s of data
        QVERIFY(session->playing());
        QTRY_VERIFY_WITH_TIMEOUT(session->window().start < at(Samples - 20), 3000); // wrapped
        QCOMPARE(session->window().span(), TimeSpan::seconds(10));
        session->pause();
        QVERIFY(!session->playing());
        QCOMPARE(playing.size(), 2);
    }

    void playbackWithoutLoopStopsAtTheEnd()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        QVERIFY(show(*session, { at(Samples - 30), at(Samples - 20) }));
        session->play(100);
        QTRY_VERIFY_WITH_TIMEOUT(!session->playing(), 3000);
        QCOMPARE(session->window().end, session->extent()->end);
        QCOMPARE(session->window().span(), TimeSpan::seconds(10));
    }

    void anUnreachableClusterIsATypedError()
    {
        QTcpServer closed; // a port nothing listens on once closed
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        core::client::ConnectionConfig config;
        config.port = port;
        HistorySession session;
        session.attach(std::make_shared<core::client::Connection>(config));
        session.setChannels({ m_data });
        QSignalSpy failed(&session, &HistorySession::extentFailed);
        QSignalSpy loaded(&session, &HistorySession::extentLoaded);
        session.loadExtent();
        QVERIFY(failed.wait(10000));
        const auto error = failed.front().front().value<core::Error>();
        QVERIFY2(!error.type.isEmpty(), qPrintable(error.toString()));
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(loaded.size(), 1);
        QVERIFY(!loaded.front().front().value<std::optional<TimeRange>>());
    }

    void detachForgetsTheCluster()
    {
        auto session = makeSession();
        QVERIFY(load(*session));
        QVERIFY(show(*session, { at(100), at(200) }));
        QVERIFY(session->cache().sampleCount(m_data.key) > 0);
        session->detach();
        QVERIFY(!session->extent());
        QCOMPARE(session->cache().sampleCount(m_data.key), std::size_t(0));
        QVERIFY(session->reader() == nullptr);
    }
};

QTEST_MAIN(TestHistorySession)
#include "tst_history_session.moc"
