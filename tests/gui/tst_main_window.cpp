// The real main window, offscreen, against the embedded cluster with its simulated stand:
// search the picker, tick a channel and see the stream and the plot follow, inspect and
// jump back to live, backfill on add, settings round trip, models under the model tester.

#include "core/client/connection.h"
#include "core/server/embedded_cluster.h"
#include "core/store/live_feed.h"
#include "ui/channels/channel_picker.h"
#include "ui/models/channel_model.h"
#include "ui/plot/live_plot.h"
#include "ui/shell/main_window.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;
using namespace sightline;
using core::ChannelKey;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    std::vector<core::Channel> m_channels;

    const core::Channel& channelNamed(const QString& name) const
    {
        static const core::Channel none;
        for (const core::Channel& channel : m_channels)
            if (channel.name == name)
                return channel;
        return none;
    }

    /// A window attached to a fresh live feed.
    struct Session
    {
        std::unique_ptr<core::store::LiveFeed> feed;
        std::unique_ptr<ui::MainWindow> window;
    };
    Session open()
    {
        Session session;
        session.feed = std::make_unique<core::store::LiveFeed>(m_connection);
        if (!session.feed->start())
            return session;
        session.window = std::make_unique<ui::MainWindow>();
        session.window->attach(session.feed.get(), m_channels);
        session.window->show();
        return session;
    }

    /// The picker row (in the view's model) of a channel.
    static QModelIndex rowOf(ui::ChannelPicker* picker, const QString& name)
    {
        QAbstractItemModel* model = picker->view()->model();
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->index(row, ui::ChannelModel::Name).data().toString() == name)
                return model->index(row, ui::ChannelModel::Name);
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        core::server::ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator->fastRate = 200;
        QVERIFY(m_cluster.start(config));
        core::client::ConnectionConfig connection;
        connection.port = m_cluster.port();
        m_connection = std::make_shared<core::client::Connection>(connection);
        auto channels = m_connection->searchChannels(QString());
        QVERIFY(channels);
        m_channels = *channels;
        QVERIFY(channelNamed(u"stand_pt_chamber"_s).key != 0);
        QTest::qWait(1500); // let the stand record some history for backfill
    }

    void modelsPassTheModelTester()
    {
        ui::ChannelModel model;
        QAbstractItemModelTester tester(&model,
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChannels(m_channels);
        ui::ChannelFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester filterTester(&filter,
            QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setFilterText(u"tc"_s);
        filter.setFilterText(u"stand float64"_s);
        filter.setFilterText(QString());
        model.setChecked({ m_channels.front().key });
        QCOMPARE(model.rowCount(), int(m_channels.size()));
    }

    void typingFiltersWithSeveralTokens()
    {
        Session session = open();
        QVERIFY(session.window);
        ui::ChannelPicker* picker = session.window->picker();
        QTest::keyClicks(picker->filterEdit(), u"pt tank"_s);
        QAbstractItemModel* shown = picker->view()->model();
        QCOMPARE(shown->rowCount(), 2); // stand_pt_fuel_tank, stand_pt_ox_tank
        for (int row = 0; row < shown->rowCount(); ++row)
            QVERIFY(shown->index(row, 0).data().toString().contains(u"tank"_s));
        picker->filterEdit()->clear();
        QCOMPARE(shown->rowCount(), int(m_channels.size()));
    }

    void tickingAChannelStreamsAndPlotsIt()
    {
        Session session = open();
        QVERIFY(session.window);
        const core::Channel& thrust = channelNamed(u"stand_thrust"_s);
        ui::ChannelPicker* picker = session.window->picker();
        const QModelIndex row = rowOf(picker, thrust.name);
        QVERIFY(row.isValid());
        QVERIFY(picker->view()->model()->setData(row, Qt::Checked, Qt::CheckStateRole));

        const auto streamed = session.feed->streamedKeys();
        QVERIFY(std::find(streamed.begin(), streamed.end(), thrust.key) != streamed.end());
        QVERIFY(std::find(streamed.begin(), streamed.end(), thrust.index) != streamed.end());
        ui::LivePlot* plot = session.window->currentPlot();
        QVERIFY(plot->hasChannel(thrust.key));
        QTRY_VERIFY_WITH_TIMEOUT(
            (session.window->refreshPlots(), plot->pointCount(thrust.key) > 10),
            5000);

        // Unticking removes it from the plot and from the stream (one update, no reconnect).
        QVERIFY(picker->view()->model()->setData(row, Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!plot->hasChannel(thrust.key));
        const auto after = session.feed->streamedKeys();
        QVERIFY(std::find(after.begin(), after.end(), thrust.key) == after.end());
        QCOMPARE(session.feed->state(), core::client::StreamerState::Connected);
    }

    void newlyAddedChannelIsBackfilledFromHistory()
    {
        Session session = open();
        QVERIFY(session.window);
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        const core::TimeStamp added = core::TimeStamp::now();
        QSignalSpy backfilled(session.feed.get(), &core::store::LiveFeed::backfilled);
        session.window->addChannelsToPlot(session.window->currentPlot(), { chamber.key });
        QVERIFY(backfilled.wait(5000));
        const auto oldest = session.feed->store().oldest(chamber.key);
        QVERIFY(oldest);
        // History from before the channel was added is in front of the live samples.
        QVERIFY(oldest->stamp < added - core::TimeSpan::milliseconds(800));
        QVERIFY(session.feed->store().sampleCount(chamber.key) > 100);
    }

    void inspectingFreezesTheViewAndJumpToLiveResumes()
    {
        Session session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        session.window->addChannelsToPlot(plot, { channelNamed(u"stand_pt_chamber"_s).key });
        session.window->refreshPlots();
        QVERIFY(plot->followingLive());
        auto* cue = plot->findChild<QLabel*>(u"notFollowingCue"_s);
        auto* live = plot->findChild<QPushButton*>(u"jumpToLive"_s);
        QVERIFY(cue && live);
        QVERIFY(!cue->isVisible());

        QTest::mousePress(plot->plot(), Qt::LeftButton, {}, plot->plot()->rect().center());
        QTest::mouseRelease(plot->plot(), Qt::LeftButton, {}, plot->plot()->rect().center());
        QVERIFY(!plot->followingLive());
        QVERIFY(cue->isVisible());
        const QCPRange frozen = plot->plot()->xAxis->range();
        QTest::qWait(150);
        session.window->refreshPlots();
        QCOMPARE(plot->plot()->xAxis->range().upper, frozen.upper); // the view stays put

        QTest::mouseClick(live, Qt::LeftButton);
        QVERIFY(plot->followingLive());
        session.window->refreshPlots();
        QVERIFY(plot->plot()->xAxis->range().upper > frozen.upper);
        QVERIFY(!cue->isVisible());
    }

    void hoverReadoutHoldsTheLastSampleBeforeTheCursor()
    {
        Session session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const core::Channel& valve = channelNamed(u"stand_pt_fuel_tank"_s);
        session.window->addChannelsToPlot(plot, { valve.key });
        const core::store::LiveStore& store = session.feed->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            (session.window->refreshPlots(), store.sampleCount(valve.key) > 20),
            5000);
        // Between two samples: the earlier one is shown (sample and hold).
        const auto newest = store.latest(valve.key);
        const auto previous = store.atOrBefore(valve.key, newest->stamp - core::TimeSpan(1));
        QVERIFY(newest && previous && previous->stamp < newest->stamp);
        const core::TimeStamp between(
            previous->stamp.nanoseconds() + (newest->stamp - previous->stamp).nanoseconds() / 2);
        plot->showReadoutAt(between, store);
        const QString text = plot->readoutText();
        QVERIFY2(text.contains(QString::number(previous->value, 'g', 6)), qPrintable(text));
    }

    void settingsRoundTripRestoresPlotsChannelsAndWindows()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        std::vector<std::vector<ChannelKey>> before;
        {
            Session session = open();
            QVERIFY(session.window);
            session.window->addChannelsToPlot(session.window->currentPlot(),
                { channelNamed(u"stand_thrust"_s).key, channelNamed(u"stand_accel_x"_s).key });
            session.window->currentPlot()->setChannelOnRightAxis(
                channelNamed(u"stand_accel_x"_s).key,
                true);
            ui::LivePlot* second = session.window->addPlot();
            second->setWindow(core::TimeSpan::minutes(5));
            session.window->addChannelsToPlot(second, { channelNamed(u"stand_tc_nozzle"_s).key });
            for (ui::LivePlot* plot : session.window->plots())
                before.push_back(plot->channelKeys());
            session.window->saveSettings(settings);
        }
        settings.sync();
        auto feed = std::make_unique<core::store::LiveFeed>(m_connection);
        QVERIFY(feed->start());
        ui::MainWindow restored;
        restored.attach(feed.get(), m_channels);
        QVERIFY(restored.restoreSettings(settings));
        std::vector<std::vector<ChannelKey>> after;
        for (ui::LivePlot* plot : restored.plots())
            after.push_back(plot->channelKeys());
        QCOMPARE(after, before);
        QCOMPARE(restored.plots()[1]->window(), core::TimeSpan::minutes(5));
        QCOMPARE(restored.plots()[0]->window(), core::TimeSpan::seconds(30));
        QVERIFY(restored.plots()[0]->isOnRightAxis(channelNamed(u"stand_accel_x"_s).key));
        QVERIFY(!restored.plots()[0]->isOnRightAxis(channelNamed(u"stand_thrust"_s).key));

        // The stream carries the restored channels.
        const auto streamed = feed->streamedKeys();
        QVERIFY(std::find(streamed.begin(), streamed.end(), channelNamed(u"stand_tc_nozzle"_s).key)
            != streamed.end());

        // A saved channel that no longer exists is reported, and the rest still restores.
        settings.beginWriteArray(u"plots"_s);
        settings.setArrayIndex(0);
        settings.setValue(u"channels"_s, QStringList { u"stand_thrust"_s, u"retired_sensor"_s });
        settings.endArray();
        ui::MainWindow rebound;
        rebound.attach(feed.get(), m_channels);
        QVERIFY(rebound.restoreSettings(settings));
        QVERIFY(rebound.plots()[0]->hasChannel(channelNamed(u"stand_thrust"_s).key));
        QVERIFY(rebound.statusBar()->currentMessage().contains(u"retired_sensor"_s));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
