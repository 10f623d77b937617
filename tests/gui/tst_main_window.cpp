// The real main window, offscreen, against the embedded cluster with its simulated stand:
// search the picker, tick a channel and see the stream and the plot follow, inspect and
// jump back to live, backfill on add, settings round trip, models under the model tester.

#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"
#include "ui/channels/channel_picker.h"
#include "ui/history/history_pane.h"
#include "ui/history/history_plot.h"
#include "ui/models/channel_model.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/legend_strip.h"
#include "ui/plot/limit_line_items.h"
#include "ui/plot/live_plot.h"
#include "ui/plot/plot_layout.h"
#include "ui/shell/main_window.h"
#include "ui/shell/shortcuts_dialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <qcustomplot.h>

#include "support/cuttable_link.h"
#include "support/window_session.h"

using namespace Qt::StringLiterals;
using namespace sightline;
using core::ChannelKey;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    /// Longer than the pause that makes two wheel steps one zoom to undo.
    static constexpr int WheelGapMs = 800;
    QTemporaryDir m_dir;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    std::vector<core::Channel> m_channels;

    /// How many of the cluster's channels the picker lists (the internal ones it does not).
    int listedChannels() const
    {
        return int(std::count_if(m_channels.begin(), m_channels.end(), [](const auto& c) {
            return !c.internal;
        }));
    }

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
        std::unique_ptr<core::feed::LiveFeed> feed;
        std::unique_ptr<ui::MainWindow> window;
    };
    test::WindowSession open() { return test::openWindow(m_connection, m_channels); }

    /// Drives the plot clock until `plot` draws more than `count` points of `key` (5 s at most).
    static bool waitForPoints(
        test::WindowSession& session, ui::LivePlot* plot, ChannelKey key, int count)
    {
        return QTest::qWaitFor(
            [&] {
                session.window->refreshPlots();
                return plot->pointCount(key) > count;
            },
            5000);
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
        config.simulator->dataChannels = 16; // the stand's 12 and four auxiliary sensors
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
        // The cluster's internal channels (its change signals) are not listed.
        const int listed = listedChannels();
        QVERIFY(listed < int(m_channels.size()));
        QCOMPARE(model.rowCount(), int(listed));
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(!model.index(row, ui::ChannelModel::Name).data().toString().startsWith(u"sy_"));
    }

    void typingFiltersWithSeveralTokens()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::ChannelPicker* picker = session.window->picker();
        QTest::keyClicks(picker->filterEdit(), u"pt tank"_s);
        QAbstractItemModel* shown = picker->view()->model();
        QCOMPARE(shown->rowCount(), 2); // stand_pt_fuel_tank, stand_pt_ox_tank
        for (int row = 0; row < shown->rowCount(); ++row)
            QVERIFY(shown->index(row, 0).data().toString().contains(u"tank"_s));
        picker->filterEdit()->clear();
        QCOMPARE(shown->rowCount(), listedChannels());
    }

    void tickingAChannelStreamsAndPlotsIt()
    {
        test::WindowSession session = open();
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
        QVERIFY(waitForPoints(session, plot, thrust.key, 10));

        // Unticking removes it from the plot and from the stream (one update, no reconnect).
        QVERIFY(picker->view()->model()->setData(row, Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!plot->hasChannel(thrust.key));
        const auto after = session.feed->streamedKeys();
        QVERIFY(std::find(after.begin(), after.end(), thrust.key) == after.end());
        QCOMPARE(session.feed->state(), core::client::StreamerState::Connected);
    }

    void newlyAddedChannelIsBackfilledFromHistory()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        const core::TimeStamp added = core::TimeStamp::now();
        QSignalSpy backfilled(session.feed.get(), &core::feed::LiveFeed::backfilled);
        session.window->addChannelsToPlot(session.window->currentPlot(), { chamber.key });
        QVERIFY(backfilled.wait(5000));
        const auto oldest = session.feed->store().oldest(chamber.key);
        QVERIFY(oldest);
        // History from before the channel was added is in front of the live samples.
        QVERIFY(oldest->stamp < added - core::TimeSpan::milliseconds(800));
        QVERIFY(session.feed->store().sampleCount(chamber.key) > 100);
    }

    void aStrayFutureStampNeitherFreezesTheViewNorGoesUnsaid()
    {
        // Another client's clock is wrong once: one sample dated 2200, then normal data.
        core::Channel index;
        index.name = u"rogue_time"_s;
        index.dataType = core::DataType::Timestamp;
        index.isIndex = true;
        const core::Channel rogueIndex = m_connection->createChannels({ index })->at(0);
        core::Channel data;
        data.name = u"rogue_value"_s;
        data.dataType = core::DataType::Float64;
        data.index = rogueIndex.key;
        const core::Channel rogue = m_connection->createChannels({ data })->at(0);
        m_channels = *m_connection->searchChannels(QString());
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        session.window->addChannelsToPlot(plot, { rogue.key });
        QTest::qWait(300); // the stream picks the channel up
        const auto writeAt = [&](core::TimeStamp from, int count) {
            std::vector<core::TimeStamp> stamps;
            std::vector<double> values;
            for (int i = 0; i < count; ++i) {
                stamps.push_back(from + core::TimeSpan::milliseconds(i));
                values.push_back(i % 10);
            }
            auto writer = core::client::Writer::open(*m_connection,
                { .start = from, .channels = { rogueIndex.key, rogue.key } });
            QVERIFY(writer);
            core::Frame frame;
            frame.add(rogueIndex.key, core::Series::fromTimeStamps(stamps));
            frame.add(rogue.key, core::Series::fromValues<double>(values));
            QVERIFY((*writer)->write(frame));
            QVERIFY((*writer)->close());
        };
        writeAt(core::TimeStamp(7'258'118'400'000'000'000), 1); // 2200-01-01
        for (int i = 0; i < 10; ++i) {
            writeAt(core::TimeStamp::now(), 20);
            session.window->refreshPlots();
            QTest::qWait(50);
        }
        // The normal samples are plotted, and the status bar says what happened.
        QVERIFY(waitForPoints(session, plot, rogue.key, 20));
        QVERIFY(session.feed->store().latest(rogue.key)->stamp < core::TimeStamp::now());
        auto* problem = session.window->statusBar()->findChild<QLabel*>(u"dataProblemLabel"_s);
        QVERIFY(problem);
        QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 3000);
        QVERIFY2(problem->text().contains(u"time went back"_s), qPrintable(problem->text()));
        QVERIFY2(problem->toolTip().contains(u"2200-01-01"_s), qPrintable(problem->toolTip()));
    }

    void aClusterThatCannotStoreIsShownUntilItCanAgain()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        auto* problem = session.window->statusBar()->findChild<QLabel*>(u"dataProblemLabel"_s);
        QVERIFY(problem);
        session.window->setRecordingProblem(u"database or disk is full"_s);
        QVERIFY(problem->isVisibleTo(session.window.get()));
        QVERIFY2(problem->text().contains(u"not recording"_s), qPrintable(problem->text()));
        QVERIFY(problem->toolTip().contains(u"database or disk is full"_s));
        session.window->setRecordingProblem(QString());
        QVERIFY(!problem->isVisibleTo(session.window.get()));
    }

    void aHostileClusterNeitherStopsNorFreezesTheApp()
    {
        // The cluster's stream carries garbage between its frames: the app skips it, keeps
        // plotting, stays responsive and says what it skipped.
        test::OnOwnThread<test::CuttableLink> link(m_cluster.port());
        core::client::ConnectionConfig config;
        config.port = link->port();
        auto connection = std::make_shared<core::client::Connection>(config);
        core::feed::LiveFeed feed(connection);
        QVERIFY(feed.start());
        ui::MainWindow window;
        window.attach(&feed, m_channels);
        window.show();
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        ui::LivePlot* plot = window.currentPlot();
        window.addChannelsToPlot(plot, { chamber.key });
        const auto pointsAfter = [&](int count) {
            return QTest::qWaitFor(
                [&] {
                    window.refreshPlots();
                    return plot->pointCount(chamber.key) > count;
                },
                5000);
        };
        QVERIFY(pointsAfter(10));
        const auto littleEndian = [](quint32 v) {
            QByteArray out(4, 0);
            for (int i = 0; i < 4; ++i)
                out[i] = char((v >> (8 * i)) & 0xFF);
            return out;
        };
        const QList<QByteArray> garbage {
            QByteArray("\xFF\x7A\x01\x02\x03 random bytes after a frame prefix"),
            QByteArray("\xFF\x00", 2) + littleEndian(999), // unknown sequence number
            QByteArray("\xFF\x00", 2) + littleEndian(1) + littleEndian(0xFFFFFFFF)
                + littleEndian(0xFFFFFFFF), // absurd lengths
            QByteArray("\xFE{\"type\":\"data\",\"payload\":"), // bad JSON
            QByteArray("\xFF", 1) + QByteArray(32 * 1024 * 1024, char(0x5A)), // 32 MiB of junk
        };
        link([&](test::CuttableLink& l) {
            for (const QByteArray& message : garbage)
                l.inject(message);
        });
        // Responsive: a zero timer fires promptly while the junk arrives.
        QElapsedTimer responsive;
        responsive.start();
        qint64 worst = 0;
        for (int i = 0; i < 20; ++i) {
            QElapsedTimer turn;
            turn.start();
            bool fired = false;
            QTimer::singleShot(0, this, [&] { fired = true; });
            QVERIFY(QTest::qWaitFor([&] { return fired; }, 2000));
            worst = std::max(worst, turn.elapsed());
            window.refreshPlots();
        }
        QVERIFY2(worst < 500, qPrintable(QString::number(worst)));
        const int before = plot->pointCount(chamber.key);
        QVERIFY(pointsAfter(before));
        QCOMPARE(feed.state(), core::client::StreamerState::Connected);
        auto* problem = window.statusBar()->findChild<QLabel*>(u"dataProblemLabel"_s);
        QTRY_VERIFY_WITH_TIMEOUT((window.refreshPlots(), problem->isVisible()), 3000);
        QVERIFY2(problem->text().contains(u"skipped"_s), qPrintable(problem->text()));
        QVERIFY2(!problem->toolTip().isEmpty(), "the tooltip says why");
        window.detach();
    }

    void draggingFreezesTheViewAndJumpToLiveResumes()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        session.window->addChannelsToPlot(plot, { channelNamed(u"stand_pt_chamber"_s).key });
        session.window->refreshPlots();
        QVERIFY(plot->followingLive());
        auto* cue = plot->findChild<QLabel*>(u"notFollowingCue"_s);
        auto* live = plot->findChild<QPushButton*>(u"jumpToLive"_s);
        QVERIFY(cue && live);
        QVERIFY(!cue->isVisible());

        const QPoint centre = plot->plot()->axisRect()->rect().center();
        QTest::mousePress(plot->plot(), Qt::LeftButton, {}, centre);
        QTest::mouseMove(plot->plot(), centre + QPoint(60, 0));
        QTest::mouseRelease(plot->plot(), Qt::LeftButton, {}, centre + QPoint(60, 0));
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

    void hoverClickAndMenuKeepFollowing()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const ChannelKey chamber = channelNamed(u"stand_pt_chamber"_s).key;
        session.window->addChannelsToPlot(plot, { chamber });
        QVERIFY(waitForPoints(session, plot, chamber, 2));
        QCustomPlot* qcp = plot->plot();
        const QPoint centre = qcp->axisRect()->rect().center();
        const double before = qcp->xAxis->range().upper;

        QTest::mouseMove(qcp, centre);
        QTest::mouseMove(qcp, centre + QPoint(25, 10));
        QVERIFY(!plot->readoutText().isEmpty()); // hovering shows the readout…
        QTest::mouseClick(qcp, Qt::LeftButton, {}, centre);
        QTest::mouseClick(qcp, Qt::RightButton, {}, centre);
        // …and the context menu opens and closes without freezing anything.
        QTimer::singleShot(100, this, [] {
            if (QWidget* popup = QApplication::activePopupWidget())
                popup->close();
        });
        QContextMenuEvent menu(QContextMenuEvent::Mouse, centre, qcp->mapToGlobal(centre));
        QApplication::sendEvent(qcp, &menu);
        QVERIFY(plot->followingLive());

        QTest::qWait(120);
        session.window->refreshPlots();
        QVERIFY(plot->followingLive());
        QVERIFY(qcp->xAxis->range().upper > before); // the x range still advances
        // Leaving hides the readout.
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(qcp, &leave);
        QVERIFY(plot->readoutText().isEmpty());
    }

    void wheelZoomsTimeAndCtrlWheelZoomsYAndUndoGoesBack()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        session.window->addChannelsToPlot(plot, { chamber.key });
        QVERIFY(waitForPoints(session, plot, chamber.key, 2));
        QCustomPlot* qcp = plot->plot();
        const QPoint centre = qcp->axisRect()->rect().center();
        const auto wheel = [&](Qt::KeyboardModifiers modifiers) {
            QWheelEvent event(centre,
                qcp->mapToGlobal(centre),
                QPoint(),
                QPoint(0, 120),
                Qt::NoButton,
                modifiers,
                Qt::NoScrollPhase,
                false);
            QApplication::sendEvent(qcp, &event);
        };
        // Ctrl+wheel zooms Y only: time keeps following, the axis keeps the zoomed range.
        const QCPRange yBefore = qcp->yAxis->range();
        wheel(Qt::ControlModifier);
        QVERIFY(plot->followingLive());
        QVERIFY(qcp->yAxis->range().size() < yBefore.size());
        QVERIFY(plot->axisSettings(0).range.has_value());
        session.window->refreshPlots();
        QVERIFY(qcp->yAxis->range().size() < yBefore.size()); // autoscale leaves it alone
        QVERIFY(plot->canUndoZoom());
        plot->undoZoom();
        QVERIFY(!plot->axisSettings(0).range.has_value());

        // The wheel zooms time and stops following; undo goes back to following.
        QTest::qWait(WheelGapMs);
        const double span = qcp->xAxis->range().size();
        wheel(Qt::NoModifier);
        QVERIFY(!plot->followingLive());
        QVERIFY(qcp->xAxis->range().size() < span);
        QVERIFY(plot->canUndoZoom());
        QTest::keyClick(session.window.get(), Qt::Key_Backspace);
        QVERIFY(plot->followingLive());

        // Shift+drag: a box zoom into time and values.
        QTest::qWait(WheelGapMs);
        const QCPRange y = qcp->yAxis->range();
        QTest::mousePress(qcp, Qt::LeftButton, Qt::ShiftModifier, centre - QPoint(60, 30));
        QTest::mouseMove(qcp, centre + QPoint(40, 30));
        QTest::mouseRelease(qcp, Qt::LeftButton, Qt::ShiftModifier, centre + QPoint(40, 30));
        QVERIFY(!plot->followingLive());
        QVERIFY(qcp->yAxis->range().size() < y.size());
        QVERIFY(plot->axisSettings(0).range.has_value());
    }

    void endAndBackspaceWorkWithFocusInTheFilter()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        session.window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(session.window.get()));
        ui::LivePlot* plot = session.window->currentPlot();
        QLineEdit* filter = session.window->picker()->filterEdit();
        filter->setFocus();
        QVERIFY(filter->hasFocus());
        plot->freeze();
        QTest::keyClick(filter, Qt::Key_End); // empty box: End is Jump to live
        QVERIFY(plot->followingLive());

        // Typing stays typing; End mid-text moves the cursor, at the end it jumps to live.
        QTest::keyClicks(filter, u"pt"_s);
        QCOMPARE(filter->text(), u"pt"_s);
        QTest::keyClick(filter, Qt::Key_Home);
        plot->freeze();
        QTest::keyClick(filter, Qt::Key_End);
        QVERIFY(!plot->followingLive());
        QCOMPARE(filter->cursorPosition(), 2);
        QTest::keyClick(filter, Qt::Key_End);
        QVERIFY(plot->followingLive());
        QTest::keyClick(filter, Qt::Key_Backspace); // deletes, no undo
        QCOMPARE(filter->text(), u"p"_s);
        QVERIFY(filter->hasFocus());
    }

    void legendIsAStripAboveThePlotAndAClickHidesATrace()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        const core::Channel& tank = channelNamed(u"stand_pt_fuel_tank"_s);
        session.window->addChannelsToPlot(plot, { chamber.key, tank.key }, 1);
        session.window->refreshPlots();
        ui::LegendStrip* legend = plot->legend();
        QCOMPARE(legend->entryCount(), 2);
        QCOMPARE(legend->entries()[1].axisTag, u"R1"_s); // each entry shows its axis
        // Never over the data: the strip ends above the plot's axis rect.
        QCoreApplication::processEvents(); // the layout pass that follows new entries
        session.window->refreshPlots();
        QWidget* strip = legend->parentWidget(); // the scroll area's viewport: what shows
        const QPoint stripBottom = strip->mapTo(plot, strip->rect().bottomLeft());
        const QPoint dataTop
            = plot->plot()->mapTo(plot, plot->plot()->axisRect()->rect().topLeft());
        QVERIFY2(stripBottom.y() <= dataTop.y(),
            qPrintable(u"%1 > %2"_s.arg(stripBottom.y()).arg(dataTop.y())));
        QVERIFY(!plot->plot()->legend->visible());

        QTest::mouseClick(legend, Qt::LeftButton, {}, legend->entryRect(1).center());
        QVERIFY(!plot->isTraceVisible(tank.key));
        QVERIFY(legend->entries()[1].hidden);
        QVERIFY(plot->isTraceVisible(chamber.key));
        QTest::mouseClick(legend, Qt::LeftButton, {}, legend->entryRect(1).center());
        QVERIFY(plot->isTraceVisible(tank.key));
    }

    void aChannelKeepsItsColourAcrossPlotsAndRestarts()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"colors.ini"_s), QSettings::IniFormat);
        const core::Channel& thrust = channelNamed(u"stand_thrust"_s);
        const core::Channel& tc = channelNamed(u"stand_tc_nozzle"_s);
        QColor colour;
        {
            test::WindowSession session = open();
            QVERIFY(session.window);
            ui::LivePlot* first = session.window->currentPlot();
            session.window->addChannelsToPlot(first, { tc.key, thrust.key });
            ui::LivePlot* second = session.window->addPlot();
            session.window->addChannelsToPlot(second, { thrust.key }); // first on this plot
            colour = first->traceColor(thrust.key);
            QCOMPARE(second->traceColor(thrust.key), colour);
            QVERIFY(first->traceColor(tc.key) != colour);
            session.window->showHistory(true);
            const auto historyPlots = session.window->history()->plots();
            QCOMPARE(historyPlots.size(), std::size_t(2));
            QCOMPARE(historyPlots[1]->plot()->graph(0)->pen().color(), colour);
            session.window->saveSettings(settings);
        }
        settings.sync();
        test::WindowSession again = open();
        QVERIFY(again.window);
        QVERIFY(again.window->restoreSettings(settings));
        QCOMPARE(again.window->plots()[1]->traceColor(thrust.key), colour);
        // A fresh window whose plot gets the channel in another order still uses it.
        test::WindowSession other = open();
        other.window->colors().load(settings);
        other.window->addChannelsToPlot(other.window->currentPlot(),
            { channelNamed(u"stand_accel_x"_s).key, thrust.key });
        QCOMPARE(other.window->currentPlot()->traceColor(thrust.key), colour);
    }

    void fourYAxesEachWithItsOwnRangeLabelAndColour()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const QStringList names { u"stand_pt_chamber"_s,
            u"stand_tc_nozzle"_s,
            u"stand_thrust"_s,
            u"stand_valve_fuel"_s };
        for (int axis = 0; axis < 4; ++axis)
            session.window->addChannelsToPlot(plot, { channelNamed(names[axis]).key }, axis);
        QTRY_VERIFY_WITH_TIMEOUT((session.window->refreshPlots(),
                                     plot->pointCount(channelNamed(names[3]).key) > 2
                                         && plot->pointCount(channelNamed(names[0]).key) > 2),
            5000);
        for (int i = 0; i < 20; ++i)
            session.window->refreshPlots();
        for (int axis = 0; axis < 4; ++axis) {
            const core::Channel& channel = channelNamed(names[axis]);
            QCPAxis* y = plot->yAxis(axis);
            QVERIFY(y->visible());
            QCOMPARE(plot->channelAxis(channel.key), axis);
            QCOMPARE(y->label(), channel.name);
            QCOMPARE(y->basePen().color(), plot->traceColor(channel.key));
            // Each axis scales to its own channel's visible samples.
            bool found = false;
            const QCPRange values = plot->plot()->graph(axis)->getValueRange(found);
            QVERIFY(found);
            QVERIFY2(y->range().contains(values.lower) && y->range().contains(values.upper),
                qPrintable(channel.name));
        }
        // Typed range and label on one axis leave the others autoscaling.
        plot->setAxisSettings(2, { u"Thrust (kN)"_s, std::pair { -10.0, 10.0 } });
        session.window->refreshPlots();
        QCOMPARE(plot->yAxis(2)->label(), u"Thrust (kN)"_s);
        QCOMPARE(plot->yAxis(2)->range().lower, -10.0);
        QVERIFY(!plot->axisSettings(0).range);

        // An axis without channels is hidden (no copied ticks).
        ui::LivePlot* single = session.window->addPlot();
        session.window->addChannelsToPlot(single, { channelNamed(names[0]).key });
        QVERIFY(single->yAxis(0)->visible());
        for (int axis = 1; axis < 4; ++axis)
            QVERIFY(!single->yAxis(axis)->visible());
    }

    void droppingAChannelOnAnAxisPutsItThere()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const core::Channel& temperature = channelNamed(u"stand_tc_nozzle"_s);
        const core::Channel& pressure = channelNamed(u"stand_pt_chamber"_s);
        const core::Channel& thrust = channelNamed(u"stand_thrust"_s);
        session.window->addChannelsToPlot(plot, { temperature.key }, 1);
        QCoreApplication::processEvents();
        plot->plot()->replot(); // axes laid out where the user sees them
        const auto drop = [&](const core::Channel& channel, QPoint inPlot) {
            ui::ChannelModel& model = session.window->channelModel();
            QModelIndex index;
            for (int row = 0; row < model.rowCount(); ++row)
                if (model.index(row, ui::ChannelModel::Name).data().toString() == channel.name)
                    index = model.index(row, ui::ChannelModel::Name);
            std::unique_ptr<QMimeData> mime(model.mimeData({ index }));
            const QPoint at = plot->plot()->mapTo(plot, inPlot);
            // As a real drag: enter first (Qt delivers a drop only after an accepted enter).
            QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(plot, &enter);
            QDropEvent event(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(plot, &event);
        };
        const QRect data = plot->plot()->axisRect()->rect();
        drop(thrust, QPoint(data.right() + 12, data.center().y())); // on R1's tick labels
        QVERIFY(plot->hasChannel(thrust.key));
        QCOMPARE(plot->channelAxis(thrust.key), 1);
        drop(pressure, data.center()); // on the data: the first left axis
        QCOMPARE(plot->channelAxis(pressure.key), 0);
    }

    void limitLinesWarnAreDraggedAndRestored()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"limits.ini"_s), QSettings::IniFormat);
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        std::vector<ui::LimitLine> saved;
        {
            test::WindowSession session = open();
            QVERIFY(session.window);
            ui::LivePlot* plot = session.window->currentPlot();
            session.window->addChannelsToPlot(plot, { chamber.key });
            const core::store::LiveStore& store = session.feed->store();
            QTRY_VERIFY_WITH_TIMEOUT(
                (session.window->refreshPlots(), store.latest(chamber.key).has_value()),
                5000);
            const double value = store.latest(chamber.key)->value;
            // An upper limit far above: fine. One far below: the trace is beyond it.
            plot->addLimitLine(
                { value + 1e6, u"MEOP"_s, {}, Qt::DashLine, 0, ui::LimitLine::Kind::Upper });
            plot->addLimitLine(
                { value - 1e6, u"floor"_s, {}, Qt::SolidLine, 0, ui::LimitLine::Kind::Upper });
            session.window->refreshPlots();
            QVERIFY(!plot->isLimitExceeded(0));
            QVERIFY(plot->isLimitExceeded(1));
            QVERIFY(plot->isBeyondLimit(chamber.key));
            QVERIFY(plot->legend()->entries()[0].warning);
            const QColor warning = ui::PlotTheme::fromPalette(QApplication::palette()).warning;
            QCOMPARE(plot->limitItems().label(1)->color(), warning);
            QVERIFY(plot->limitItems().label(0)->color() != warning);

            // Drag the first line down to the middle of the axis.
            plot->setAxisSettings(0, { {}, std::pair { -10.0, 10.0 } });
            plot->setLimitLine(0,
                { 5.0, u"MEOP"_s, {}, Qt::DashLine, 0, ui::LimitLine::Kind::Upper });
            plot->plot()->replot();
            QCustomPlot* qcp = plot->plot();
            const int x = qcp->axisRect()->rect().center().x();
            const int from = static_cast<int>(qcp->yAxis->coordToPixel(5.0));
            const int to = static_cast<int>(qcp->yAxis->coordToPixel(0.0));
            QTest::mousePress(qcp, Qt::LeftButton, {}, QPoint(x, from));
            QTest::mouseMove(qcp, QPoint(x, to));
            QTest::mouseRelease(qcp, Qt::LeftButton, {}, QPoint(x, to));
            QVERIFY(std::abs(plot->limitLines()[0].value) < 0.2);
            QVERIFY(plot->followingLive()); // moving a limit is no pan
            saved = plot->limitLines();
            session.window->saveSettings(settings);
        }
        settings.sync();
        test::WindowSession again = open();
        QVERIFY(again.window->restoreSettings(settings));
        QCOMPARE(again.window->currentPlot()->limitLines(), saved);
        QCOMPARE(again.window->currentPlot()->axisSettings(0).range,
            (std::optional<std::pair<double, double>> { { -10.0, 10.0 } }));
    }

    void typedYRangeAndAxisLabelAreRestored()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"range.ini"_s), QSettings::IniFormat);
        {
            test::WindowSession session = open();
            ui::LivePlot* plot = session.window->currentPlot();
            session.window->addChannelsToPlot(plot, { channelNamed(u"stand_pt_chamber"_s).key });
            plot->setAxisSettings(0, { u"Chamber (bar)"_s, std::pair { 0.0, 1000.0 } });
            session.window->saveSettings(settings);
        }
        settings.sync();
        test::WindowSession again = open();
        QVERIFY(again.window->restoreSettings(settings));
        ui::LivePlot* plot = again.window->currentPlot();
        QCoreApplication::processEvents(); // laid out and drawn once, as a user sees it
        plot->plot()->replot();
        for (int i = 0; i < 5; ++i)
            again.window->refreshPlots();
        QCOMPARE(plot->yAxis(0)->range().lower, 0.0);
        QCOMPARE(plot->yAxis(0)->range().upper, 1000.0);
        QCOMPARE(plot->yAxis(0)->label(), u"Chamber (bar)"_s);
    }

    void historyPlotsKeepTheRightAxesOfTheLivePlots()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::LivePlot* plot = session.window->currentPlot();
        const ChannelKey chamber = channelNamed(u"stand_pt_chamber"_s).key;
        const ChannelKey nozzle = channelNamed(u"stand_tc_nozzle"_s).key;
        session.window->addChannelsToPlot(plot, { chamber }, 0); // L1
        session.window->addChannelsToPlot(plot, { nozzle }, 1); // R1
        const auto history = [&] {
            for (ui::HistoryPlot* h : session.window->history()->plots())
                if (h->points(chamber) != nullptr)
                    return h;
            return static_cast<ui::HistoryPlot*>(nullptr);
        };
        QVERIFY(history());
        QVERIFY(history()->isOnRightAxis(nozzle));
        QVERIFY(!history()->isOnRightAxis(chamber));
        plot->setChannelAxis(chamber, 3); // moved to R2 on the live plot: right in history
        QVERIFY(history()->isOnRightAxis(chamber));
        plot->setChannelAxis(nozzle, 2); // L2: left
        QVERIFY(!history()->isOnRightAxis(nozzle));
    }

    void darkPaletteReachesLiveAndHistoryPlots()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        session.window->addChannelsToPlot(session.window->currentPlot(),
            { channelNamed(u"stand_pt_chamber"_s).key });
        session.window->showHistory(true);
        const auto backgroundOf = [](QCustomPlot* plot) {
            plot->replot();
            const QImage image = plot->toPixmap().toImage();
            const QPoint inside = plot->axisRect()->rect().topLeft() + QPoint(3, 3);
            return image.pixelColor(inside);
        };
        session.window->setTheme(ui::MainWindow::Theme::Dark);
        QVERIFY(session.window->isDark());
        ui::HistoryPlot* history = session.window->history()->plots().front();
        QVERIFY(backgroundOf(history->plot()).lightness() < 60);
        QVERIFY(backgroundOf(session.window->currentPlot()->plot()).lightness() < 60);
        QVERIFY(history->plot()->xAxis->tickLabelColor().lightness() > 150);
        const QPalette dark = QApplication::palette();
        // Placeholder text readable on the dark base; disabled text dimmer than enabled.
        QVERIFY(dark.color(QPalette::PlaceholderText).lightness()
            > dark.color(QPalette::Base).lightness() + 80);
        QVERIFY(dark.color(QPalette::Disabled, QPalette::ButtonText).lightness()
            < dark.color(QPalette::Active, QPalette::ButtonText).lightness() - 60);
        // An unticked check box keeps a visible outline on the dark base.
        QCheckBox box; // no text: only the indicator is drawn
        box.resize(box.sizeHint());
        const QImage boxImage = box.grab().toImage();
        int brightest = 0;
        for (int y = 0; y < boxImage.height(); ++y)
            for (int x = 0; x < boxImage.width(); ++x)
                brightest = std::max(brightest, boxImage.pixelColor(x, y).lightness());
        QVERIFY2(brightest > dark.color(QPalette::Window).lightness() + 50,
            qPrintable(QString::number(brightest)));
        session.window->setTheme(ui::MainWindow::Theme::Light);
        QVERIFY(!session.window->isDark());
        QVERIFY(backgroundOf(history->plot()).lightness() > 200);
        QVERIFY(backgroundOf(session.window->currentPlot()->plot()).lightness() > 200);
    }

    void emptyHintCurrentPlotAndTheLastPlotStays()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::MainWindow& window = *session.window;
        ui::LivePlot* first = window.currentPlot();
        QCOMPARE(window.plots().size(), std::size_t(1));
        QVERIFY(first->showsEmptyHint());
        auto* remove = first->findChild<QToolButton*>(u"removePlot"_s);
        QVERIFY(remove && !remove->isEnabled());
        window.removePlot(first);
        QCOMPARE(window.plots().size(), std::size_t(1));

        const core::Channel& a = channelNamed(u"stand_pt_chamber"_s);
        const core::Channel& b = channelNamed(u"stand_thrust"_s);
        window.addChannelsToPlot(first, { a.key });
        QVERIFY(!first->showsEmptyHint());
        ui::LivePlot* beside = window.addPlotBeside(first);
        QCOMPARE(window.rowOf(beside), window.rowOf(first));
        ui::LivePlot* below = window.addPlot();
        QCOMPARE(window.rowOf(below), window.rowOf(first) + 1);
        QVERIFY(remove->isEnabled());
        window.addChannelsToPlot(beside, { b.key });
        window.setCurrentPlot(beside);
        QVERIFY(beside->isCurrent() && !first->isCurrent());
        // The picker's ticks are the current plot's channels.
        QCOMPARE(rowOf(window.picker(), b.name).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(rowOf(window.picker(), a.name).data(Qt::CheckStateRole).toInt(),
            int(Qt::Unchecked));
        QTest::mouseClick(first->plot(), Qt::LeftButton, {}, first->plot()->rect().center());
        QCOMPARE(window.currentPlot(), first);
        QCOMPARE(rowOf(window.picker(), a.name).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(first->minimumSizeHint().height() >= 170); // bar + legend + 140 px of plot
    }

    /// Dark and light screenshots for people to look at (not assertions): 16 channels on
    /// three plots (two side by side), four Y axes, limit lines (one exceeded), the hover
    /// readout and the history pane.
    void screenshotsOfDarkAndLightWindows()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        ui::MainWindow& window = *session.window;
        window.resize(1600, 1300);
        ui::LivePlot* top = window.currentPlot();
        const std::pair<const char16_t*, int> topChannels[] = { { u"stand_pt_chamber", 0 },
            { u"stand_pt_fuel_tank", 0 },
            { u"stand_pt_ox_tank", 0 },
            { u"stand_tc_nozzle", 1 },
            { u"stand_tc_fuel_line", 1 },
            { u"stand_tc_ox_line", 1 },
            { u"stand_thrust", 2 },
            { u"stand_valve_fuel", 3 },
            { u"stand_valve_ox", 3 } };
        for (const auto& [name, axis] : topChannels)
            window.addChannelsToPlot(top, { channelNamed(QString::fromUtf16(name)).key }, axis);
        top->setAxisSettings(0, { u"Pressure (bar)"_s, std::nullopt });
        top->setAxisSettings(1, { u"Temperature (°C)"_s, std::nullopt });
        ui::LivePlot* left = window.addPlot();
        ui::LivePlot* right = window.addPlotBeside(left);
        for (const char16_t* name : { u"stand_accel_x", u"stand_accel_y", u"stand_accel_z" })
            window.addChannelsToPlot(left, { channelNamed(QString::fromUtf16(name)).key });
        for (int i = 1; i <= 4; ++i)
            window.addChannelsToPlot(right,
                { channelNamed(u"stand_aux_%1"_s.arg(i, 3, 10, QChar(u'0'))).key },
                i <= 2 ? 0 : 1);
        window.setCurrentPlot(top);
        window.showHistory(true);
        auto* historyDock = window.findChild<QDockWidget*>(u"historyDock"_s);
        window.resizeDocks({ historyDock }, { 420 }, Qt::Vertical);
        const core::store::LiveStore& store = session.feed->store();
        const core::Channel& chamber = channelNamed(u"stand_pt_chamber"_s);
        QTRY_VERIFY_WITH_TIMEOUT((window.refreshPlots(), store.sampleCount(chamber.key) > 400),
            10000);
        const double tank = store.latest(channelNamed(u"stand_pt_ox_tank"_s).key)->value;
        top->addLimitLine(
            { tank + 40, u"MEOP"_s, {}, Qt::DashLine, 0, ui::LimitLine::Kind::Upper });
        top->addLimitLine({ tank - 20,
            u"ox tank max"_s,
            {},
            Qt::SolidLine,
            0,
            ui::LimitLine::Kind::Upper }); // exceeded: drawn in the warning colour
        left->addLimitLine(
            { -1.5, u"vibration low"_s, {}, Qt::DotLine, 0, ui::LimitLine::Kind::Lower });
        for (const auto& [theme, file] :
            { std::pair { ui::MainWindow::Theme::Dark, u"live_dark.png"_s },
                std::pair { ui::MainWindow::Theme::Light, u"live_light.png"_s } }) {
            window.setTheme(theme);
            QCoreApplication::processEvents();
            window.refreshPlots();
            QCustomPlot* qcp = top->plot();
            const QRect data = qcp->axisRect()->rect();
            QTest::mouseMove(qcp, QPoint(data.right() - 30, data.center().y()));
            window.refreshPlots();
            QVERIFY(!top->readoutText().isEmpty());
            for (ui::LivePlot* plot : window.plots())
                plot->plot()->replot(); // draw now, not on the next event loop turn
            QVERIFY(window.grab().save(file));
        }
    }

    /// For people to look at: an empty plot's hint and Help › Keyboard shortcuts.
    void screenshotsOfTheEmptyPlotAndTheShortcutList()
    {
        ui::MainWindow window;
        window.resize(900, 600);
        window.show();
        QCoreApplication::processEvents();
        ui::LivePlot* empty = window.addPlot();
        QCoreApplication::processEvents();
        QVERIFY(empty->showsEmptyHint());
        empty->plot()->replot();
        QTest::qWait(50);
        const QPixmap picture = empty->grab();
        QVERIFY2(picture.save(u"empty_plot.png"_s),
            qPrintable(u"%1x%2 %3 area %4 row %5"_s.arg(empty->width())
                           .arg(empty->height())
                           .arg(empty->isVisible())
                           .arg(window.centralWidget()->height())
                           .arg(empty->parentWidget()->height())));
        ui::ShortcutsDialog dialog(window.shortcutTable(), &window);
        dialog.show();
        QCoreApplication::processEvents();
        QVERIFY(dialog.table()->rowCount() >= window.shortcutTable().size());
        QVERIFY(dialog.grab().save(u"shortcuts.png"_s));
    }

    void firstWindowFitsTheScreen()
    {
        ui::MainWindow window;
        const QRect available = window.screen()->availableGeometry();
        QVERIFY(window.width() <= available.width());
        QVERIFY(window.height() <= available.height());
    }

    void helpListsEveryShortcut()
    {
        ui::MainWindow window;
        const auto table = window.shortcutTable();
        int listed = 0;
        for (QAction* action : window.findChildren<QAction*>()) {
            if (action->shortcut().isEmpty())
                continue;
            ++listed;
            const QPair<QString, QString> row { action->text().remove(u'&'),
                action->shortcut().toString(QKeySequence::NativeText) };
            QVERIFY2(table.contains(row), qPrintable(row.first));
        }
        QVERIFY(listed >= 12);
        const auto has = [&](const QString& name, const QString& keys) {
            return table.contains(QPair<QString, QString> { name, keys });
        };
        QVERIFY(has(u"Jump to live"_s, u"End"_s));
        QVERIFY(has(u"Undo zoom"_s, u"Backspace"_s));
        QVERIFY(has(u"Step back"_s, u"Left"_s));
    }

    void hoverReadoutHoldsTheLastSampleBeforeTheCursor()
    {
        test::WindowSession session = open();
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
            test::WindowSession session = open();
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
        auto feed = std::make_unique<core::feed::LiveFeed>(m_connection);
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
        QJsonArray layouts
            = QJsonDocument::fromJson(settings.value(u"layout/plots"_s).toByteArray()).array();
        ui::PlotLayout first = ui::PlotLayout::fromJson(layouts[0].toObject());
        first.channels = { u"stand_thrust"_s, u"retired_sensor"_s };
        first.channelAxes = { 0, 0 };
        layouts[0] = first.toJson();
        settings.setValue(u"layout/plots"_s, QJsonDocument(layouts).toJson());
        ui::MainWindow rebound;
        rebound.attach(feed.get(), m_channels);
        QVERIFY(rebound.restoreSettings(settings));
        QVERIFY(rebound.plots()[0]->hasChannel(channelNamed(u"stand_thrust"_s).key));
        QVERIFY(rebound.statusBar()->currentMessage().contains(u"retired_sensor"_s));
    }

    void settingsSavedBeforeLayoutsWereJsonStillRestore()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"old.ini"_s), QSettings::IniFormat);
        settings.beginWriteArray(u"plots"_s);
        settings.setArrayIndex(0);
        settings.setValue(u"channels"_s, QStringList { u"stand_thrust"_s, u"stand_accel_x"_s });
        settings.setValue(u"rightAxis"_s, QStringList { u"stand_accel_x"_s });
        settings.setValue(u"windowNs"_s, QVariant::fromValue<qlonglong>(60'000'000'000));
        settings.endArray();
        settings.setValue(u"window/dark"_s, true);
        test::WindowSession session = open();
        QVERIFY(session.window->restoreSettings(settings));
        ui::LivePlot* plot = session.window->plots().front();
        QVERIFY(plot->isOnRightAxis(channelNamed(u"stand_accel_x"_s).key));
        QCOMPARE(plot->window(), core::TimeSpan::minutes(1));
        QVERIFY(session.window->isDark());
        session.window->setTheme(ui::MainWindow::Theme::Light);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
