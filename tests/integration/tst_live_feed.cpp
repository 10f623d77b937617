// The live feed against an embedded cluster with its simulated stand: after the cluster
// restarts, what the stand wrote before the streamer reconnected is read from history and
// put in front of the new live samples (the outage is backfilled, not left as a hole).

#include "core/client/connection.h"
#include "core/server/embedded_cluster.h"
#include "core/store/live_feed.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;

class TestLiveFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outageIsBackfilledAfterAReconnect()
    {
        QTemporaryDir dir;
        server::EmbeddedCluster cluster;
        server::ClusterConfig config;
        config.dataDir = dir.path();
        config.simulator->fastRate = 200;
        QVERIFY(cluster.start(config));
        config.port = cluster.port();
        client::ConnectionConfig connection;
        connection.port = cluster.port();
        auto shared = std::make_shared<client::Connection>(connection);
        auto channels = shared->retrieveChannels(QStringList { u"stand_pt_chamber"_s });
        QVERIFY(channels);
        const ChannelKey chamber = channels->front().key;

        store::LiveFeed feed(shared);
        QVERIFY(feed.start());
        QVERIFY(feed.setChannels(*channels, TimeSpan(0)));
        QTRY_VERIFY_WITH_TIMEOUT((feed.drain(), feed.store().sampleCount(chamber) > 20), 5000);

        QSignalSpy filled(&feed, &store::LiveFeed::outageFilled);
        cluster.stop();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), client::StreamerState::Reconnecting, 3000);
        QVERIFY(cluster.start(config));
        const TimeStamp restarted = TimeStamp::now();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), client::StreamerState::Connected, 5000);
        const TimeStamp reconnected = TimeStamp::now();
        QVERIFY(!filled.isEmpty() || filled.wait(5000)); // it may have come already
        QVERIFY(filled.front().front().toLongLong() > 0);
        feed.drain();

        // The stand wrote from the restart on; the streamer only saw what came after it
        // reconnected (≈ 1 s later). The samples in between come from history.
        const auto beforeReconnect
            = feed.store().atOrBefore(chamber, reconnected - TimeSpan::milliseconds(200));
        QVERIFY(beforeReconnect);
        QVERIFY2(beforeReconnect->stamp > restarted, "the outage was not backfilled");
        QVERIFY(
            reconnected - restarted > TimeSpan::milliseconds(400)); // there was an outage to fill
    }
};

QTEST_GUILESS_MAIN(TestLiveFeed)
#include "tst_live_feed.moc"
