// Layout files: the JSON round trip and its errors; a layout saved from one window opens
// identically in a fresh window with fresh settings; channels the cluster lacks are rebound
// or left out (and said), never dropped silently; cancel changes nothing; recent layouts.

#include "core/client/connection.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"
#include "ui/models/channel_model.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/live_plot.h"
#include "ui/shell/layout_file.h"
#include "ui/shell/layout_files.h"
#include "ui/shell/main_window.h"
#include "ui/shell/rebind_dialog.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include "support/window_session.h"

using namespace Qt::StringLiterals;
using namespace sightline;
using ui::LayoutFile;

class TestLayoutFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_files;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    std::vector<core::Channel> m_channels;

    test::WindowSession open() { return test::openWindow(m_connection, m_channels); }

    core::ChannelKey keyOf(const QString& name) const
    {
        for (const core::Channel& channel : m_channels)
            if (channel.name == name)
                return channel.key;
        return 0;
    }

    /// A layout of two rows: two plots side by side, then one, with axes, a limit, windows.
    static LayoutFile sampleLayout()
    {
        LayoutFile layout;
        ui::PlotLayout top;
        top.channels = { u"stand_pt_chamber"_s, u"stand_tc_nozzle"_s };
        top.channelAxes = { 0, 1 };
        top.hidden = { u"stand_tc_nozzle"_s };
        top.axes[0].label = u"Pressure"_s;
        top.axes[1].range = std::pair { 0.0, 900.0 };
        ui::LimitLine redline;
        redline.value = 750;
        redline.label = u"redline"_s;
        top.limits.push_back(redline);
        top.windowNs = 20'000'000'000;
        top.row = 0;
        ui::PlotLayout beside;
        beside.channels = { u"stand_pt_fuel_tank"_s };
        beside.channelAxes = { 0 };
        beside.windowNs = 60'000'000'000;
        beside.row = 0;
        ui::PlotLayout below;
        below.channels = { u"stand_thrust"_s };
        below.channelAxes = { 0 };
        below.windowNs = 30'000'000'000;
        below.row = 1;
        layout.plots = { top, beside, below };
        layout.colors = { { u"stand_pt_chamber"_s, QColor(u"#d62728"_s) },
            { u"stand_tc_nozzle"_s, QColor(u"#2ca02c"_s) },
            { u"stand_pt_fuel_tank"_s, QColor(u"#1f77b4"_s) },
            { u"stand_thrust"_s, QColor(u"#9467bd"_s) } };
        layout.theme = u"dark"_s;
        layout.historyShown = false;
        return layout;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Fresh settings, apart from the user's: a layout must open from its file alone.
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat,
            QSettings::UserScope,
            m_files.filePath(u"settings"_s));
        QVERIFY(m_dir.isValid());
        core::server::ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator->fastRate = 100;
        QVERIFY(m_cluster.start(config));
        core::client::ConnectionConfig connection;
        connection.port = m_cluster.port();
        m_connection = std::make_shared<core::client::Connection>(connection);
        auto channels = m_connection->searchChannels(QString());
        QVERIFY(channels);
        m_channels = *channels;
        for (const QString& name : sampleLayout().channelNames())
            QVERIFY2(keyOf(name) != 0, qPrintable(name));
    }

    void layoutRoundTripsThroughJson()
    {
        LayoutFile layout = sampleLayout();
        layout.historyShown = true;
        layout.historyWindow = core::TimeRange { core::TimeStamp(1'000), core::TimeStamp(9'000) };
        const QString path = m_files.filePath(u"round.sightline.json"_s);
        QVERIFY(layout.write(path));
        const auto read = LayoutFile::read(path);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(*read, layout);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json.value(u"format"_s).toString(), u"sightline.layout"_s);
        QCOMPARE(json.value(u"version"_s).toInt(), LayoutFile::Version);
    }

    void badFilesAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{ plots: ") << u"malformed"_s;
        QTest::newRow("not a layout")
            << QByteArray(R"({"plots": []})") << u"Not a Sightline layout"_s;
        QTest::newRow("newer") << QByteArray(
            R"({"format": "sightline.layout", "version": 99, "plots": []})")
                               << u"version 99"_s;
        QTest::newRow("no plots") << QByteArray(R"({"format": "sightline.layout", "version": 1})")
                                  << u"no \"plots\""_s;
        QTest::newRow("bad colour") << QByteArray(
            R"({"format": "sightline.layout", "version": 1, "plots": [], "colors": {"a": "blurple"}})")
                                    << u"not a colour"_s;
        QTest::newRow("bad theme") << QByteArray(
            R"({"format": "sightline.layout", "version": 1, "plots": [], "theme": "neon"})")
                                   << u"Unknown theme"_s;
        QTest::newRow("reversed window") << QByteArray(
            R"({"format": "sightline.layout", "version": 1, "plots": [], "history": {"window": {"start": "9", "end": "1"}}})")
                                         << u"history window"_s;
    }

    void badFilesAreRefusedWithTheReason()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        const auto layout = LayoutFile::fromJson(json);
        QVERIFY(!layout);
        QVERIFY2(layout.error().message.contains(reason), qPrintable(layout.error().message));
        QCOMPARE(layout.error().type, u"sightline.layout"_s);
    }

    void aSavedLayoutOpensIdenticallyInAFreshWindow()
    {
        const QString path = m_files.filePath(u"stand.sightline.json"_s);
        LayoutFile saved;
        {
            test::WindowSession first = open();
            QVERIFY(first.window);
            QVERIFY(first.window->applyLayout(sampleLayout()).isEmpty());
            QCOMPARE(first.window->plots().size(), std::size_t(3));
            QVERIFY(first.window->layoutFiles().save(path));
            saved = first.window->currentLayout();
        }
        QSettings().clear(); // nothing of the first window is left but the file
        test::WindowSession second = open();
        QVERIFY(second.window);
        QVERIFY(second.window->layoutFiles().open(path));
        const LayoutFile opened = second.window->currentLayout();
        QCOMPARE(opened.plots, saved.plots);
        QCOMPARE(opened.colors, saved.colors);
        QCOMPARE(opened.theme, u"dark"_s);
        QCOMPARE(second.window->theme(), ui::MainWindow::Theme::Dark);
        const auto plots = second.window->plots();
        QCOMPARE(plots.size(), std::size_t(3));
        QCOMPARE(second.window->rowOf(plots[1]), 0); // beside the first
        QCOMPARE(second.window->rowOf(plots[2]), 1);
        QCOMPARE(plots[0]->channelKeys(),
            (std::vector { keyOf(u"stand_pt_chamber"_s), keyOf(u"stand_tc_nozzle"_s) }));
        QCOMPARE(second.window->colors().colorFor(u"stand_pt_fuel_tank"_s), QColor(u"#1f77b4"_s));
        QCOMPARE(second.window->layoutFiles().recent().front(), QFileInfo(path).absoluteFilePath());
        second.window->resize(1400, 800);
        second.window->refreshPlots();
        QVERIFY(second.window->grab().save(u"layout-opened.png"_s));
    }

    void missingChannelsAreReboundOrLeftOutAndSaid()
    {
        LayoutFile layout = sampleLayout();
        layout.rename(u"stand_pt_chamber"_s, u"old_chamber_pressure"_s); // renamed since
        layout.plots[2].channels << u"retired_sensor"_s;
        layout.plots[2].channelAxes.push_back(0);
        const QString path = m_files.filePath(u"old.sightline.json"_s);
        QVERIFY(layout.write(path));
        test::WindowSession session = open();
        QVERIFY(session.window);
        QStringList asked;
        session.window->layoutFiles().setRebinder([&](const QStringList& missing) {
            asked = missing;
            return std::optional(
                QMap<QString, QString> { { u"old_chamber_pressure"_s, u"stand_pt_chamber"_s } });
        });
        QVERIFY(session.window->layoutFiles().open(path));
        QCOMPARE(asked, (QStringList { u"old_chamber_pressure"_s, u"retired_sensor"_s }));
        const auto plots = session.window->plots();
        QCOMPARE(plots.size(), std::size_t(3));
        QVERIFY(plots[0]->channelKeys().front() == keyOf(u"stand_pt_chamber"_s)); // rebound
        QCOMPARE(plots[2]->channelKeys(), (std::vector { keyOf(u"stand_thrust"_s) }));
        QCOMPARE(session.window->colors().colorFor(u"stand_pt_chamber"_s), QColor(u"#d62728"_s));
        const QString said = session.window->statusBar()->currentMessage();
        QVERIFY2(said.contains(u"retired_sensor"_s), qPrintable(said));
    }

    void cancellingTheRebindChangesNothing()
    {
        LayoutFile layout = sampleLayout();
        layout.rename(u"stand_pt_fuel_tank"_s, u"gone"_s);
        const QString path = m_files.filePath(u"cancel.sightline.json"_s);
        QVERIFY(layout.write(path));
        test::WindowSession session = open();
        QVERIFY(session.window);
        QVERIFY(session.window->applyLayout(sampleLayout()).isEmpty());
        const LayoutFile before = session.window->currentLayout();
        session.window->layoutFiles().setRebinder(
            [](const QStringList&) { return std::optional<QMap<QString, QString>> {}; });
        const auto opened = session.window->layoutFiles().open(path);
        QVERIFY(!opened);
        QVERIFY(opened.error().matches(u"sightline.cancelled"_s));
        QCOMPARE(session.window->currentLayout().plots, before.plots);
    }

    void theRebindDialogProposesTheSameNameInOtherCase()
    {
        ui::RebindDialog dialog({ u"STAND_PT_CHAMBER"_s, u"nothing_like_it"_s }, m_channels);
        QMap<QString, QString> expected { { u"STAND_PT_CHAMBER"_s, u"stand_pt_chamber"_s } };
        QCOMPARE(dialog.choices(), expected);
        QVERIFY(dialog.choose(u"nothing_like_it"_s, u"stand_thrust"_s));
        expected.insert(u"nothing_like_it"_s, u"stand_thrust"_s);
        QCOMPARE(dialog.choices(), expected);
        QVERIFY(!dialog.choose(u"nothing_like_it"_s, u"no_such_channel"_s));
        QVERIFY(dialog.choose(u"STAND_PT_CHAMBER"_s, QString())); // left out
        QCOMPARE(dialog.choices().size(), 1);
        // Typing part of a name and picking it, as a user searches.
        auto* box = dialog.findChild<QComboBox*>(u"rebind:STAND_PT_CHAMBER"_s);
        QVERIFY(box);
        box->setEditText(u"stand_tc_nozzle"_s);
        QCOMPARE(dialog.choices().value(u"STAND_PT_CHAMBER"_s), u"stand_tc_nozzle"_s);
    }

    void recentLayoutsAreListedMostRecentFirst()
    {
        test::WindowSession session = open();
        QVERIFY(session.window);
        QStringList paths;
        for (int i = 0; i < ui::LayoutFiles::MaxRecent + 2; ++i) {
            paths.prepend(m_files.filePath(u"recent%1.sightline.json"_s.arg(i)));
            QVERIFY(session.window->layoutFiles().save(paths.front()));
        }
        QCOMPARE(session.window->layoutFiles().recent(), paths.mid(0, ui::LayoutFiles::MaxRecent));
        QVERIFY(session.window->layoutFiles().open(paths.last())); // the oldest comes first again
        QCOMPARE(session.window->layoutFiles().recent().front(), paths.last());
        QMenu* recentMenu = nullptr;
        for (QMenu* menu : session.window->menuBar()->findChildren<QMenu*>())
            if (menu->title() == session.window->tr("&Recent layouts"))
                recentMenu = menu;
        QVERIFY(recentMenu);
        QCOMPARE(recentMenu->actions().size(), ui::LayoutFiles::MaxRecent);
        QCOMPARE(recentMenu->actions().front()->toolTip(), paths.last());
    }
};

QTEST_MAIN(TestLayoutFiles)
#include "tst_layout_files.moc"
