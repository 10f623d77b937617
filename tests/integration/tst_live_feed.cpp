// The live feed against an embedded cluster with its simulated stand, reached through a TCP
// link the test controls: after the link was cut for a while (the cluster kept recording),
// what the stand wrote meanwhile is read from history and put in front of the new live
// samples (the outage is backfilled, not left as a hole); messages slipped into the stream
// that do not decode are skipped and counted, and live data goes on.

#include "core/client/connection.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

#include "support/cuttable_link.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;

using sightline::test::CuttableLink;
using sightline::test::OnOwnThread;

namespace {

/// An embedded cluster with the stand writing at 200 Hz, a link to it and a live feed over
/// the link showing `stand_pt_chamber`.
struct FeedOverLink
{
    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    std::unique_ptr<OnOwnThread<CuttableLink>> link;
    std::unique_ptr<feed::LiveFeed> feed;
    ChannelKey chamber = 0;

    bool start()
    {
        server::ClusterConfig config;
        config.dataDir = dir.path();
        config.simulator->fastRate = 200;
        if (!cluster.start(config))
            return false;
        link = std::make_unique<OnOwnThread<CuttableLink>>(cluster.port());
        client::ConnectionConfig connection;
        connection.port = (*link)->port();
        auto shared = std::make_shared<client::Connection>(connection);
        auto channels = shared->retrieveChannels(QStringList { u"stand_pt_chamber"_s });
        if (!channels)
            return false;
        chamber = channels->front().key;
        feed = std::make_unique<feed::LiveFeed>(shared);
        return feed->start() && feed->setChannels(*channels, TimeSpan(0));
    }
};

} // namespace

class TestLiveFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outageIsBackfilledAfterAReconnect()
    {
        FeedOverLink setup;
        QVERIFY(setup.start());
        feed::LiveFeed& feed = *setup.feed;
        QTRY_VERIFY_WITH_TIMEOUT((feed.drain(), feed.store().sampleCount(setup.chamber) > 20),
            5000);

        QSignalSpy filled(&feed, &feed::LiveFeed::outageFilled);
        (*setup.link)([](CuttableLink& link) { link.cut(); });
        const TimeStamp cut = TimeStamp::now();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), client::StreamerState::Reconnecting, 3000);
        QTest::qWait(1000); // the outage: the stand keeps writing, nobody streams it
        (*setup.link)([](CuttableLink& link) { link.restore(); });
        const TimeStamp restored = TimeStamp::now();
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), client::StreamerState::Connected, 5000);
        QVERIFY(!filled.isEmpty() || filled.wait(5000)); // it may have come already
        QVERIFY(filled.front().front().toLongLong() > 0);
        feed.drain();

        // Samples from the middle of the outage, when no stream was open, came from history.
        const auto during
            = feed.store().atOrBefore(setup.chamber, restored - TimeSpan::milliseconds(300));
        QVERIFY(during);
        QVERIFY2(during->stamp > cut + TimeSpan::milliseconds(300),
            "the outage was not backfilled");
    }

    void undecodableMessagesAreSkippedCountedAndLiveDataGoesOn()
    {
        FeedOverLink setup;
        QVERIFY(setup.start());
        feed::LiveFeed& feed = *setup.feed;
        QTRY_VERIFY_WITH_TIMEOUT((feed.drain(), feed.store().sampleCount(setup.chamber) > 20),
            5000);
        QSignalSpy skippedSignal(&feed, &feed::LiveFeed::framesSkipped);

        (*setup.link)([](CuttableLink& link) {
            link.inject(QByteArray("\xFF\x7A\x01\x02\x03 random bytes after a frame prefix"));
            link.inject(QByteArray(1, char(0xFE)) + R"({"type":"data","payload":)");
        });
        feed.drain();
        const std::size_t before = feed.store().sampleCount(setup.chamber);
        QTRY_VERIFY_WITH_TIMEOUT(
            (feed.drain(), feed.store().sampleCount(setup.chamber) > before + 40),
            5000);

        QCOMPARE(feed.state(), client::StreamerState::Connected);
        QTRY_COMPARE_WITH_TIMEOUT((feed.drain(), feed.skippedFrames().count),
            std::uint64_t(2),
            2000);
        QVERIFY(!skippedSignal.isEmpty());
        const auto total = skippedSignal.last().front().value<client::SkippedFrames>();
        QCOMPARE(total.count, std::uint64_t(2));
        QCOMPARE(total.lastReason.type, errors::Decode);
        QVERIFY(!total.lastReason.message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLiveFeed)
#include "tst_live_feed.moc"
