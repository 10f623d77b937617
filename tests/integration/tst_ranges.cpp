// Ranges and labels through the C++ client against the embedded cluster on loopback, as the
// app will use them: mark a campaign and its tests, find them, annotate and label them,
// rename, delete; and find them again after the cluster restarts.

#include "core/client/connection.h"
#include "core/client/label_client.h"
#include "core/client/range_changes.h"
#include "core/client/range_client.h"
#include "core/client/streamer.h"
#include "core/feed/range_follower.h"
#include "core/server/embedded_cluster.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;

namespace {

constexpr std::int64_t Second = 1'000'000'000;
const TimeStamp Day = TimeStamp(1'754'000'000 * Second);

Range range(const QString& name, std::int64_t fromSecond, std::int64_t toSecond)
{
    Range out;
    out.name = name;
    out.timeRange
        = TimeRange { Day + TimeSpan::seconds(fromSecond), Day + TimeSpan::seconds(toSecond) };
    return out;
}

QStringList namesOf(const Result<std::vector<Range>>& ranges)
{
    QStringList names;
    if (ranges)
        for (const Range& r : *ranges)
            names.append(r.name);
    names.sort();
    return names;
}

/// The embedded cluster (no simulated stand) on a data directory that outlives restarts.
struct RangeCluster
{
    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    std::unique_ptr<client::Connection> connection;
    std::unique_ptr<client::RangeClient> ranges;
    std::unique_ptr<client::LabelClient> labels;

    bool start()
    {
        server::ClusterConfig config;
        config.dataDir = dir.path();
        config.simulator.reset();
        const auto port = cluster.start(config);
        if (!port)
            return false;
        client::ConnectionConfig connectionConfig;
        connectionConfig.port = *port;
        connection = std::make_unique<client::Connection>(connectionConfig);
        ranges = std::make_unique<client::RangeClient>(*connection);
        labels = std::make_unique<client::LabelClient>(*connection);
        return true;
    }
    void stop()
    {
        labels.reset();
        ranges.reset();
        connection.reset();
        cluster.stop();
    }
};

} // namespace

class TestRanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aCampaignOfTestsIsMarkedFoundAnnotatedAndKept()
    {
        RangeCluster stand;
        QVERIFY(stand.start());
        client::RangeClient& ranges = *stand.ranges;

        Range campaign = range(u"Qualification campaign"_s, 0, 3600);
        campaign.color = Color { 231, 116, 208, 1 };
        const auto createdCampaign = ranges.create({ campaign });
        QVERIFY2(createdCampaign,
            qPrintable(createdCampaign ? QString() : createdCampaign.error().toString()));
        const Range held = createdCampaign->front();
        QVERIFY(!held.key.isNull());
        QCOMPARE(held.color, campaign.color);
        QCOMPARE(held.timeRange.start, campaign.timeRange.start);

        const auto tests
            = ranges.create({ range(u"Hotfire 1"_s, 100, 160), range(u"Hotfire 2"_s, 900, 975) },
                held.key);
        QVERIFY(tests);
        QCOMPARE(tests->size(), std::size_t(2));
        QCOMPARE(tests->at(0).parent, std::optional<QUuid>(held.key));

        QCOMPARE(namesOf(ranges.retrieve({})),
            (QStringList { u"Hotfire 1"_s, u"Hotfire 2"_s, u"Qualification campaign"_s }));
        RangeQuery hotfires;
        hotfires.searchTerm = u"hotfire"_s;
        QCOMPARE(namesOf(ranges.retrieve(hotfires)),
            (QStringList { u"Hotfire 1"_s, u"Hotfire 2"_s }));
        RangeQuery atNine;
        atNine.overlapsWith
            = TimeRange { Day + TimeSpan::seconds(950), Day + TimeSpan::seconds(951) };
        QCOMPARE(namesOf(ranges.retrieve(atNine)),
            (QStringList { u"Hotfire 2"_s, u"Qualification campaign"_s }));
        RangeQuery first;
        first.keys = { tests->at(0).key };
        const auto child = ranges.retrieve(first);
        QVERIFY(child);
        QCOMPARE(child->front().parent, std::optional<QUuid>(held.key));

        QVERIFY(ranges.setPairs(tests->at(0).key,
            { { u"part"_s, u"PN-7"_s }, { u"procedure"_s, u"HF-2"_s } }));
        const auto pairs = ranges.pairs(tests->at(0).key);
        QVERIFY(pairs);
        QVERIFY((*pairs
            == std::vector<RangePair> { { u"part"_s, u"PN-7"_s }, { u"procedure"_s, u"HF-2"_s } }));
        const auto missing = ranges.pairs(tests->at(0).key, { u"operator"_s });
        QVERIFY(!missing);
        QCOMPARE(missing.error().type, errors::NotFound);

        QVERIFY(ranges.rename(tests->at(1).key, u"Hotfire 2 (aborted)"_s));
        const auto badRename = ranges.rename(tests->at(1).key, QString());
        QVERIFY(!badRename);
        QCOMPARE(badRename.error().type, errors::Validation);
        const auto bad = ranges.create({ range(u"Backwards"_s, 10, 5) });
        QVERIFY(!bad);
        QCOMPARE(bad.error().type, errors::Validation);

        // Labels: the first hotfire is nominal; find the runs by label.
        const auto nominal
            = stand.labels->create({ Label { {}, u"nominal"_s, Color { 0, 160, 0, 1 } } });
        QVERIFY(nominal);
        const QUuid nominalKey = nominal->front().key;
        const ResourceId hotfire1 { u"range"_s, tests->at(0).key.toString(QUuid::WithoutBraces) };
        QVERIFY(stand.labels->attach(hotfire1, std::vector { nominalKey }));
        RangeQuery labelled;
        labelled.hasLabels = { nominalKey };
        QCOMPARE(namesOf(ranges.retrieve(labelled)), QStringList { u"Hotfire 1"_s });
        LabelQuery ofHotfire;
        ofHotfire.of = hotfire1;
        const auto itsLabels = stand.labels->retrieve(ofHotfire);
        QVERIFY(itsLabels);
        QCOMPARE(itsLabels->size(), std::size_t(1));
        QCOMPARE(itsLabels->front().name, u"nominal"_s);

        // A restart keeps ranges, metadata and labels.
        stand.stop();
        QVERIFY(stand.start());
        QCOMPARE(namesOf(stand.ranges->retrieve({})),
            (QStringList { u"Hotfire 1"_s,
                u"Hotfire 2 (aborted)"_s,
                u"Qualification campaign"_s }));
        QCOMPARE(stand.ranges->pairs(tests->at(0).key, { u"part"_s })->front().value, u"PN-7"_s);
        QCOMPARE(namesOf(stand.ranges->retrieve(labelled)), QStringList { u"Hotfire 1"_s });
        QVERIFY(stand.labels->detach(hotfire1, std::vector { nominalKey }));
        QCOMPARE(namesOf(stand.ranges->retrieve(labelled)), QStringList {});

        // Deleting the campaign deletes its tests.
        QVERIFY(stand.ranges->remove(std::vector { held.key }));
        QCOMPARE(namesOf(stand.ranges->retrieve({})), QStringList {});
    }

    void aClusterWithoutChangeSignalsIsFollowedByReadingAgain()
    {
        RangeCluster stand;
        QVERIFY(stand.start());
        // A cluster that does not publish changes (an older Synnax): no signal channels.
        QJsonArray names;
        for (const QString& name : client::rangeChangeChannels())
            names.append(name);
        QVERIFY(stand.connection->call(u"channel/delete", QJsonObject { { u"names"_s, names } }));
        client::ConnectionConfig config;
        config.port = stand.connection->config().port;
        auto connection = std::make_shared<client::Connection>(config);
        feed::RangeFollower follower(connection);
        QSignalSpy read(&follower, &feed::RangeFollower::rangesRead);
        QSignalSpy live(&follower, &feed::RangeFollower::followingLive);
        follower.start();
        QVERIFY(read.wait(5000));
        QVERIFY(live.wait(5000) || !live.isEmpty());
        QCOMPARE(live.front().front().toBool(), false); // it polls
        QVERIFY(stand.ranges->create({ range(u"Seen by polling"_s, 0, 10) }));
        follower.refresh(); // as after a change made here; else the next poll finds it
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (read.isEmpty())
                    return false;
                const auto ranges = read.back().front().value<std::vector<client::LabelledRange>>();
                return ranges.size() == 1 && ranges.front().range.name == u"Seen by polling"_s;
            },
            5000));
    }

    void aStreamerSeesEveryChangeToTheRanges()
    {
        RangeCluster stand;
        QVERIFY(stand.start());
        client::ConnectionConfig config;
        config.port = stand.connection->config().port;
        auto connection = std::make_shared<client::Connection>(config);
        client::StreamerConfig streamerConfig;
        for (const QString& name : client::rangeChangeChannels())
            streamerConfig.channels.emplace_back(name);
        auto streamer = client::Streamer::open(connection, streamerConfig);
        QVERIFY2(streamer, qPrintable(streamer ? QString() : streamer.error().toString()));
        std::map<ChannelKey, QString> names;
        for (const Channel& channel : (*streamer)->channels()) {
            QVERIFY(channel.internal && channel.isVirtual);
            names[channel.key] = channel.name;
        }

        // Another client marks a campaign with one test, renames, annotates and labels the
        // test, then deletes the campaign (and with it the test).
        client::RangeClient& ranges = *stand.ranges;
        const auto campaign = ranges.create({ range(u"Campaign"_s, 0, 3600) });
        QVERIFY(campaign);
        const QUuid campaignKey = campaign->front().key;
        const auto test = ranges.create({ range(u"Hotfire"_s, 10, 20) }, campaignKey);
        QVERIFY(test);
        const QUuid testKey = test->front().key;
        QVERIFY(ranges.rename(testKey, u"Hotfire 1"_s));
        QVERIFY(ranges.setPairs(testKey, { RangePair { u"part"_s, u"PN-7"_s } }));
        QVERIFY(ranges.removePairs(testKey, { u"part"_s }));
        const auto label
            = stand.labels->create({ Label { {}, u"nominal"_s, Color { 0, 160, 0, 1 } } });
        QVERIFY(label);
        const ResourceId testId { u"range"_s, testKey.toString(QUuid::WithoutBraces) };
        QVERIFY(stand.labels->attach(testId, std::vector { label->front().key }));
        QVERIFY(ranges.remove(std::vector { campaignKey }));

        client::RangeChanges seen;
        const auto append = [](auto& into, const auto& from) {
            into.insert(into.end(), from.begin(), from.end());
        };
        QDeadlineTimer deadline(10'000);
        while ((seen.deletedRanges.size() < 2 || seen.relabelledRanges.size() < 2)
            && !deadline.hasExpired()) {
            auto frame = (*streamer)->read(TimeSpan::milliseconds(200));
            QVERIFY2(frame, qPrintable(frame ? QString() : frame.error().toString()));
            if (!*frame)
                continue;
            const client::RangeChanges changes = client::decodeRangeChanges(**frame, names);
            QVERIFY2(changes.problems.isEmpty(), qPrintable(changes.problems.join(u'\n')));
            append(seen.setRanges, changes.setRanges);
            append(seen.deletedRanges, changes.deletedRanges);
            append(seen.setPairs, changes.setPairs);
            append(seen.deletedPairs, changes.deletedPairs);
            append(seen.setLabels, changes.setLabels);
            append(seen.relabelledRanges, changes.relabelledRanges);
            append(seen.reparentedRanges, changes.reparentedRanges);
        }
        QStringList setNames;
        for (const Range& set : seen.setRanges)
            setNames.append(set.name);
        QCOMPARE(setNames, (QStringList { u"Campaign"_s, u"Hotfire"_s, u"Hotfire 1"_s }));
        QCOMPARE(seen.setRanges.back().key, testKey);
        QCOMPARE(seen.setRanges.back().timeRange, test->front().timeRange);
        QCOMPARE(seen.setPairs.size(), std::size_t(1));
        QCOMPARE(seen.setPairs.front().first, testKey);
        QCOMPARE(seen.setPairs.front().second.value, u"PN-7"_s);
        QCOMPARE(seen.deletedPairs.size(), std::size_t(1));
        QCOMPARE(seen.deletedPairs.front().second, u"part"_s);
        QCOMPARE(seen.setLabels.size(), std::size_t(1));
        QCOMPARE(seen.setLabels.front(), label->front());
        // Labelled, then unlabelled by the delete; placed under the campaign, then taken out.
        QCOMPARE(seen.relabelledRanges, (std::vector<QUuid> { testKey, testKey }));
        QCOMPARE(seen.reparentedRanges, (std::vector<QUuid> { testKey, testKey }));
        std::sort(seen.deletedRanges.begin(), seen.deletedRanges.end());
        std::vector<QUuid> both { campaignKey, testKey };
        std::sort(both.begin(), both.end());
        QCOMPARE(seen.deletedRanges, both);
    }
};

QTEST_GUILESS_MAIN(TestRanges)
#include "tst_ranges.moc"
