// Ranges the way an engineer uses them, against the embedded cluster on loopback: the Ranges
// dock follows another client's changes, a run is marked live and shows as a growing band,
// a range opens in the history pane with its band, ranges are edited with labels and
// metadata, and recorded runs overlay on their own time axis. Renders the screenshots the
// range workflow is judged by (into SIGHTLINE_SCREENSHOT_DIR when set).

#include "core/client/connection.h"
#include "core/client/label_client.h"
#include "core/client/range_client.h"
#include "core/client/writer.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"
#include "core/store/history_cache.h"
#include "core/store/overlay_stats.h"
#include "core/store/run_overlay.h"
#include "ui/history/history_pane.h"
#include "ui/history/history_plot.h"
#include "ui/history/timeline.h"
#include "ui/plot/live_plot.h"
#include "ui/ranges/compare_window.h"
#include "ui/ranges/overlay_cursors.h"
#include "ui/ranges/range_dialog.h"
#include "ui/ranges/range_workflow.h"
#include "ui/ranges/ranges_panel.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;
using namespace sightline;
using core::TimeStamp;
using core::client::LabelledRange;

namespace {

constexpr std::int64_t Second = 1'000'000'000;
/// Three recorded runs, an hour apart; the third ignites 2 s later than the others.
const TimeStamp FirstRun(1'754'000'000 * Second);
constexpr int RunSamples = 200; // 10 Hz for 20 s
constexpr double IgnitionSecond = 3.0;

TimeStamp runStart(int run) { return FirstRun + core::TimeSpan::hours(run); }

/// The chamber pressure of a run `seconds` after its ignition: 0 before, a ramp after.
double pressureAt(double secondsFromIgnition)
{
    return secondsFromIgnition < 0 ? 0.0 : 10.0 * secondsFromIgnition;
}

QString screenshotPath(const QString& name)
{
    const QString dir = qEnvironmentVariable("SIGHTLINE_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return QDir(dir).filePath(name);
}

} // namespace

class TestRangeWorkflow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    core::Channel m_time;
    core::Channel m_pressure;
    std::vector<core::Range> m_runs;

    struct Session
    {
        std::unique_ptr<core::feed::LiveFeed> feed;
        std::unique_ptr<ui::MainWindow> window;
    };
    Session open()
    {
        Session session;
        session.feed = std::make_unique<core::feed::LiveFeed>(m_connection);
        if (!session.feed->start())
            return session;
        session.window = std::make_unique<ui::MainWindow>();
        session.window->attach(session.feed.get(), m_connection->searchChannels({}).value());
        session.window->resize(1400, 900);
        session.window->show();
        return session;
    }

    /// The range named `name` in the panel's model, once it is there (5 s at most).
    static const LabelledRange* waitForRange(ui::RangesPanel* panel, const QString& name)
    {
        const LabelledRange* found = nullptr;
        (void)QTest::qWaitFor( // found stays null when it never came
            [&] {
                for (const auto& entry : panel->model()->ranges())
                    if (entry.range.name == name) {
                        found = panel->model()->rangeAt(panel->model()->indexOf(entry.range.key));
                        return true;
                    }
                return false;
            },
            5000);
        return found;
    }

    void record(int run, double ignitionSecond)
    {
        auto writer = core::client::Writer::open(*m_connection,
            { .start = runStart(run),
                .channels = { m_time.key, m_pressure.key },
                .mode = core::client::WriterMode::Persist });
        QVERIFY(writer);
        std::vector<TimeStamp> stamps;
        std::vector<double> values;
        for (int i = 0; i < RunSamples; ++i) {
            stamps.push_back(runStart(run) + core::TimeSpan::milliseconds(100 * i));
            values.push_back(pressureAt(i * 0.1 - ignitionSecond));
        }
        core::Frame frame;
        frame.add(m_time.key, core::Series::fromTimeStamps(stamps));
        frame.add(m_pressure.key, core::Series::fromValues<double>(values));
        QVERIFY((*writer)->write(frame));
        QVERIFY((*writer)->commit());
        QVERIFY((*writer)->close());
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
        core::Channel index;
        index.name = u"stand_time"_s;
        index.dataType = core::DataType::Timestamp;
        index.isIndex = true;
        m_time = m_connection->createChannels({ index }).value().front();
        core::Channel pressure;
        pressure.name = u"pt_chamber"_s;
        pressure.dataType = core::DataType::Float64;
        pressure.index = m_time.key;
        m_pressure = m_connection->createChannels({ pressure }).value().front();
        record(0, IgnitionSecond);
        record(1, IgnitionSecond);
        record(2, IgnitionSecond + 2);
        core::client::RangeClient ranges(*m_connection);
        const core::Color colors[]
            = { { 33, 150, 243, 1 }, { 229, 57, 53, 1 }, { 67, 160, 71, 1 } };
        for (int run = 0; run < 3; ++run) {
            core::Range range;
            range.name = u"Hotfire %1"_s.arg(run + 1);
            range.timeRange = { runStart(run), runStart(run) + core::TimeSpan::seconds(20) };
            range.color = colors[run];
            m_runs.push_back(ranges.create({ range }).value().front());
        }
    }

    void theRangeListFollowsAnotherClient()
    {
        Session session = open();
        QVERIFY(session.window);
        ui::RangesPanel* panel = session.window->ranges()->panel();
        QVERIFY(waitForRange(panel, u"Hotfire 1"_s));
        // Another client (the Console, a script) changes the ranges: the list follows.
        core::client::RangeClient other(*m_connection);
        core::Range extra;
        extra.name = u"Cold flow 4"_s;
        extra.timeRange = { runStart(3), runStart(3) + core::TimeSpan::seconds(30) };
        QElapsedTimer shown;
        shown.start();
        const core::Range created = other.create({ extra }).value().front();
        QVERIFY(waitForRange(panel, u"Cold flow 4"_s));
        qInfo("another client's range listed after %lld ms", shown.elapsed());
        QVERIFY(other.rename(created.key, u"Cold flow 4b"_s));
        QVERIFY(waitForRange(panel, u"Cold flow 4b"_s));
        core::client::LabelClient labels(*m_connection);
        const auto aborted
            = labels.create({ core::Label { {}, u"aborted"_s, core::Color { 200, 0, 0, 1 } } });
        QVERIFY(labels.attach(
            core::ResourceId { u"range"_s, created.key.toString(QUuid::WithoutBraces) },
            std::vector { aborted->front().key }));
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto* entry = panel->model()->rangeAt(panel->model()->indexOf(created.key));
                return entry != nullptr && entry->labels.size() == 1;
            },
            5000));
        panel->labelFilter()->setCurrentIndex(panel->labelFilter()->findText(u"aborted"_s));
        QCOMPARE(panel->filter()->rowCount(), 1);
        panel->labelFilter()->setCurrentIndex(0);
        panel->filterEdit()->setText(u"hotfire"_s);
        QCOMPARE(panel->filter()->rowCount(), 3);
        panel->filterEdit()->clear();
        QDockWidget* dock = session.window->ranges()->dock();
        dock->setFloating(true);
        dock->resize(620, 300);
        dock->show();
        QTest::qWait(50);
        const QPixmap shot = dock->grab();
        QVERIFY(shot.save(screenshotPath(u"ranges-panel.png"_s)));
        QVERIFY(other.remove(std::vector { created.key }));
        QVERIFY(
            QTest::qWaitFor([&] { return !panel->model()->indexOf(created.key).isValid(); }, 5000));
    }

    void aRunIsMarkedLiveAndGrowsOnThePlots()
    {
        Session session = open();
        QVERIFY(session.window);
        ui::RangeWorkflow* ranges = session.window->ranges();
        QVERIFY(waitForRange(ranges->panel(), u"Hotfire 1"_s));
        QVERIFY(ranges->startAction()->isEnabled());
        QVERIFY(!ranges->endAction()->isEnabled());
        ranges->startAction()->trigger();
        QVERIFY(ranges->openRun());
        QVERIFY(ranges->endAction()->isEnabled());
        const QString name = ranges->openRun()->name;
        QVERIFY(name.startsWith(u"Run "_s));
        ui::LivePlot* plot = session.window->plots().front();
        const auto openBand = [&] {
            for (const ui::RangeBand& band : plot->rangeBands().bands())
                if (band.open)
                    return std::optional(band);
            return std::optional<ui::RangeBand>();
        };
        QVERIFY(openBand());
        QCOMPARE(openBand()->name, name);
        const LabelledRange* listed = waitForRange(ranges->panel(), name); // listed at once
        QVERIFY(listed);
        const QUuid runKey = listed->range.key; // (the model's entries change as it follows)
        ui::RangeListModel* model = ranges->panel()->model();
        const QModelIndex duration = model->indexOf(runKey, ui::RangeListModel::Duration);
        QCOMPARE(duration.data().toString(), u"recording…"_s);
        QTest::qWait(300);
        // While it runs, its end is stored as it grows (a crash would keep the run so far).
        ranges->extendRun();
        core::client::RangeClient client(*m_connection);
        core::RangeQuery byKey;
        byKey.keys = { runKey };
        const auto grown = client.retrieve(byKey).value().front();
        QVERIFY(grown.timeRange.end - grown.timeRange.start >= core::TimeSpan::milliseconds(300));
        QVERIFY(ranges->openRun());
        ranges->endAction()->trigger();
        QVERIFY(!ranges->openRun());
        QVERIFY(!openBand());
        core::RangeQuery byName;
        byName.names = { name };
        const auto marked = client.retrieve(byName);
        QVERIFY(marked && marked->size() == 1);
        const core::TimeSpan length
            = marked->front().timeRange.end - marked->front().timeRange.start;
        QVERIFY2(length >= core::TimeSpan::milliseconds(300), qPrintable(length.toHumanString()));
        QVERIFY(length < core::TimeSpan::seconds(30));
        QVERIFY(client.remove(std::vector { marked->front().key }));
    }

    void aRangeOpensInTheHistoryPaneWithItsBand()
    {
        Session session = open();
        QVERIFY(session.window);
        session.window->addChannelsToPlot(session.window->plots().front(), { m_pressure.key });
        ui::RangeWorkflow* ranges = session.window->ranges();
        const LabelledRange* listed = waitForRange(ranges->panel(), u"Hotfire 2"_s);
        QVERIFY(listed);
        const LabelledRange second = *listed;
        ranges->open(second);
        ui::HistoryPane* history = session.window->findChild<ui::HistoryPane*>();
        QVERIFY(history);
        QVERIFY(history->isVisible());
        QCOMPARE(history->session().window(), ui::RangeWorkflow::windowFor(m_runs[1].timeRange));
        QVERIFY(history->session().window().start < m_runs[1].timeRange.start);
        QVERIFY(!history->plots().empty());
        const auto& bands = history->plots().front()->rangeBands().bands();
        QVERIFY(std::any_of(bands.begin(), bands.end(), [&](const ui::RangeBand& band) {
            return band.key == m_runs[1].key && band.range == m_runs[1].timeRange;
        }));
        QVERIFY(std::any_of(history->timeline()->rangeBands().begin(),
            history->timeline()->rangeBands().end(),
            [&](const ui::RangeBand& band) { return band.key == m_runs[1].key; }));
        // Still the range's window once the recorded range is known (it loads meanwhile).
        QVERIFY(QTest::qWaitFor([&] { return history->timeline()->extent().has_value(); }, 5000));
        QCOMPARE(history->session().window(), ui::RangeWorkflow::windowFor(m_runs[1].timeRange));
        QVERIFY(QTest::qWaitFor([&] { return !history->session().reading(); }, 5000));
        QTest::qWait(200);
        QVERIFY(history->grab().save(screenshotPath(u"range-in-history.png"_s)));
        // Stepping goes from range to range in time (the window kept inside the recording).
        const auto shows = [&](const core::Range& range) {
            const core::TimeRange window = history->session().window();
            return window.start <= range.timeRange.start && range.timeRange.start < window.end
                && window.span() == ui::RangeWorkflow::windowFor(range.timeRange).span();
        };
        ranges->step(+1);
        QVERIFY(shows(m_runs[2]));
        QCOMPARE(ranges->opened(), std::optional<QUuid>(m_runs[2].key));
        ranges->step(-1);
        ranges->step(-1);
        QVERIFY(shows(m_runs[0]));
        QCOMPARE(ranges->opened(), std::optional<QUuid>(m_runs[0].key));
        // A range exported as CSV: exactly its samples of the plotted channel.
        const QString csv = m_dir.filePath(u"hotfire2.csv"_s);
        QSignalSpy exported(history, &ui::HistoryPane::exportFinished);
        QSignalSpy asked(ranges->panel(), &ui::RangesPanel::exportRequested);
        ranges->panel()->select(second.range.key);
        QTimer::singleShot(0, this, [] { // the file dialog it opens: cancelled
            if (QWidget* dialog = QApplication::activeModalWidget())
                dialog->close();
        });
        ranges->panel()->exportButton()->click(); // the dock's CSV… button asks for it
        QCOMPARE(asked.size(), 1);
        ranges->exportRange(second, csv); // as after the file dialog
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.front().at(1).toString(), QString());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + RunSamples); // header, then every sample of the run
        QVERIFY(lines.front().contains("pt_chamber"));
        ranges->bandsAction()->setChecked(false);
        QVERIFY(history->plots().front()->rangeBands().bands().empty());
    }

    void aRangeIsMadeFromTheHistorySelectionInOneDialog()
    {
        Session session = open();
        QVERIFY(session.window);
        session.window->addChannelsToPlot(session.window->plots().front(), { m_pressure.key });
        ui::RangeWorkflow* ranges = session.window->ranges();
        QVERIFY(waitForRange(ranges->panel(), u"Hotfire 1"_s));
        ui::HistoryPane* history = session.window->findChild<ui::HistoryPane*>();
        session.window->showHistory(true);
        const core::TimeRange selection { runStart(0) + core::TimeSpan::seconds(3),
            runStart(0) + core::TimeSpan::seconds(8) };
        history->session().setWindow(selection);
        QVERIFY(QTest::qWaitFor([&] { return history->timeline()->extent().has_value(); }, 5000));
        history->session().setWindow(selection);
        // The dialog opens over the selection; the user names the range, labels it, OKs.
        bool filled = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<ui::RangeDialog*>(QApplication::activeModalWidget());
            if (dialog == nullptr)
                return;
            filled = dialog->edit().timeRange == selection;
            dialog->nameEdit()->setText(u"Ignition, run 1"_s);
            dialog->newLabelsEdit()->setText(u"ignition"_s);
            dialog->accept();
        });
        ranges->createFromSelection();
        QVERIFY2(filled, "the dialog did not open over the history selection");
        const LabelledRange* made = waitForRange(ranges->panel(), u"Ignition, run 1"_s);
        QVERIFY(made);
        QCOMPARE(made->range.timeRange, selection);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto* entry = waitForRange(ranges->panel(), u"Ignition, run 1"_s);
                return entry != nullptr && entry->labels.size() == 1;
            },
            5000));
        const QUuid key = waitForRange(ranges->panel(), u"Ignition, run 1"_s)->range.key;
        QVERIFY(core::client::RangeClient(*m_connection).remove(std::vector { key }));
    }

    void rangesAreEditedWithLabelsAndMetadata()
    {
        ui::RangeEditor editor(m_connection);
        ui::RangeEdit edit;
        edit.name = u"Hotfire 2 (retest)"_s;
        edit.timeRange = { runStart(1), runStart(1) + core::TimeSpan::seconds(5) };
        edit.color = core::Color { 10, 20, 30, 1 };
        edit.parent = m_runs[1].key;
        edit.newLabels = { u"retest"_s };
        edit.pairs = { { u"part"_s, u"PN-7"_s }, { u"procedure"_s, u"P-12"_s } };
        auto created = editor.apply(edit);
        QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
        core::client::RangeClient client(*m_connection);
        core::RangeQuery byKey;
        byKey.keys = { created->key };
        auto stored = client.retrieveLabelled(byKey).value().front();
        QCOMPARE(stored.range.parent, std::optional<QUuid>(m_runs[1].key));
        QCOMPARE(stored.labels.size(), std::size_t(1));
        QCOMPARE(stored.labels.front().name, u"retest"_s);
        auto again = editor.editOf(stored);
        QVERIFY(again);
        QCOMPARE(again->pairs.size(), std::size_t(2));
        // The edit: another name, no labels, one pair changed and one gone.
        again->name = u"Hotfire 2 retest"_s;
        again->labels.clear();
        again->pairs = { { u"part"_s, u"PN-8"_s } };
        QVERIFY(editor.apply(*again));
        stored = client.retrieveLabelled(byKey).value().front();
        QCOMPARE(stored.range.name, u"Hotfire 2 retest"_s);
        QVERIFY(stored.labels.empty());
        QCOMPARE(stored.range.parent, std::optional<QUuid>(m_runs[1].key)); // still inside
        // Moved to another run, then out of every run.
        auto moving = editor.editOf(stored).value();
        moving.parent = m_runs[2].key;
        QVERIFY(editor.apply(moving));
        QCOMPARE(client.retrieve(byKey).value().front().parent,
            std::optional<QUuid>(m_runs[2].key));
        moving = editor.editOf(client.retrieveLabelled(byKey).value().front()).value();
        moving.parent.reset();
        QVERIFY(editor.apply(moving));
        QCOMPARE(client.retrieve(byKey).value().front().parent, std::nullopt);
        const auto pairs = client.pairs(created->key).value();
        QCOMPARE(pairs.size(), std::size_t(1));
        QCOMPARE(pairs.front().value, u"PN-8"_s);
        ui::RangeEdit bad = *again;
        bad.name = u"  "_s;
        QVERIFY(!editor.apply(bad));
        bad.name = u"x"_s;
        bad.timeRange = { runStart(2), runStart(1) };
        QVERIFY(!editor.apply(bad));
        QVERIFY(editor.remove(created->key));
    }

    void theDialogGathersTheEdit()
    {
        const core::Label nominal { QUuid::createUuid(),
            u"nominal"_s,
            core::Color { 0, 160, 0, 1 } };
        ui::RangeEdit initial;
        initial.timeRange = m_runs[0].timeRange;
        initial.color = core::Color { 33, 150, 243, 1 };
        ui::RangeDialog dialog(initial, { nominal }, QTimeZone::utc(), m_runs);
        dialog.show();
        dialog.accept(); // no name yet: refused, still open
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        dialog.nameEdit()->setText(u"Hotfire 1 (review)"_s);
        dialog.labelList()->item(0)->setCheckState(Qt::Checked);
        QCOMPARE(dialog.partOf()->count(), 1 + int(m_runs.size()));
        dialog.partOf()->setCurrentIndex(dialog.partOf()->findData(m_runs[0].key));
        dialog.newLabelsEdit()->setText(u"reviewed, , long burn"_s);
        QTableWidget* table = dialog.metadataTable();
        table->insertRow(0);
        table->setItem(0, 0, new QTableWidgetItem(u"operator"_s));
        table->setItem(0, 1, new QTableWidgetItem(u"K. Ito"_s));
        const ui::RangeEdit edit = dialog.edit();
        QCOMPARE(edit.name, u"Hotfire 1 (review)"_s);
        QCOMPARE(edit.timeRange, m_runs[0].timeRange); // untouched times stay exact
        QCOMPARE(edit.labels, std::vector<QUuid> { nominal.key });
        QCOMPARE(edit.parent, std::optional<QUuid>(m_runs[0].key));
        QCOMPARE(edit.newLabels, (QStringList { u"reviewed"_s, u"long burn"_s }));
        QCOMPARE(edit.pairs.size(), std::size_t(1));
        QCOMPARE(edit.pairs.front().value, u"K. Ito"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void runsOverlayOnTheirOwnTimeAxis()
    {
        auto runs = core::store::readRuns(*m_connection, m_runs, { m_pressure });
        QVERIFY2(runs, qPrintable(runs ? QString() : runs.error().message));
        QCOMPARE(runs->size(), std::size_t(3));
        // From each range's start: runs 1 and 2, an hour apart, lie exactly on each other.
        const auto fromStart = core::store::overlayRuns(*runs, {});
        QCOMPARE(fromStart.size(), std::size_t(3));
        QCOMPARE(fromStart[0].name, u"Hotfire 1 · pt_chamber"_s);
        QCOMPARE(fromStart[0].seconds.size(), std::size_t(RunSamples));
        QCOMPARE(fromStart[0].seconds, fromStart[1].seconds);
        QCOMPARE(fromStart[0].values, fromStart[1].values);
        QCOMPARE(fromStart[0].seconds[10], 1.0);
        QVERIFY(fromStart[0].values != fromStart[2].values); // run 3 ignites later
        // From the ignition (pressure crossing 5): all three coincide where all have data.
        core::store::RunAlignment ignition;
        ignition.eventChannel = m_pressure.key;
        ignition.threshold = 5;
        const auto fromIgnition = core::store::overlayRuns(*runs, ignition);
        QCOMPARE(fromIgnition.size(), std::size_t(3));
        for (const auto& trace : fromIgnition)
            for (std::size_t i = 0; i < trace.seconds.size(); ++i)
                if (trace.seconds[i] >= 0)
                    QCOMPARE(trace.values[i], pressureAt(trace.seconds[i] + 0.5));
        QCOMPARE(fromIgnition[2].origin - fromIgnition[0].origin,
            core::TimeSpan::hours(2) + core::TimeSpan::seconds(2));
        // Readout and statistics: sample and hold, nothing before the first or past the last.
        const auto& first = fromIgnition[0];
        QCOMPARE(core::store::valueAt(first, 0.05), std::optional(5.0));
        QCOMPARE(core::store::valueAt(first, -100), std::nullopt);
        QCOMPARE(core::store::valueAt(first, first.seconds.back() + 1), std::nullopt);
        const auto between = core::store::cursorStats(first, 1.0, 0.0); // B before A
        QCOMPARE(between.count, std::size_t(11));
        QCOMPARE(between.min, 5.0);
        QCOMPARE(between.max, 15.0);
        QCOMPARE(between.mean, 10.0);
        QCOMPARE(core::store::cursorStats(first, 500, 600).count, std::size_t(0));
        core::store::RunAlignment never = ignition;
        never.threshold = 1e9;
        QStringList problems;
        QVERIFY(core::store::overlayRuns(*runs, never, &problems).empty());
        QCOMPARE(problems.size(), 3);
        QVERIFY(problems.front().contains(u"never happens"_s));
    }

    void aComparisonReadsOnlyWhatTheHistoryCacheLacks()
    {
        const auto expected = core::store::readRuns(*m_connection, m_runs, { m_pressure });
        QVERIFY(expected);
        std::vector<LabelledRange> chosen;
        for (const core::Range& run : m_runs)
            chosen.push_back({ run, {} });
        core::store::HistoryCache cache;
        ui::CompareWindow window(m_connection, chosen, { m_pressure }, [&] { return &cache; });
        const auto compareAndCheck = [&](std::size_t read, std::size_t cached) {
            window.compare({ m_pressure.key });
            QVERIFY(QTest::qWaitFor([&] { return !window.reading(); }, 10000));
            QCOMPARE(window.samplesRead(), read);
            QCOMPARE(window.samplesCached(), cached);
            QCOMPARE(window.traces().size(), expected->size());
            for (std::size_t i = 0; i < expected->size(); ++i) {
                QCOMPARE(window.traces()[i].values, (*expected)[i].values);
                QCOMPARE(window.traces()[i].origin, (*expected)[i].range.timeRange.start);
            }
        };
        const std::size_t all = 3 * RunSamples;
        compareAndCheck(all, 0); // nothing cached: every sample comes from the cluster
        for (const core::Range& run : m_runs) // and is cached for the history pane
            QVERIFY(cache.missing(m_pressure.key, run.timeRange).empty());
        compareAndCheck(0, all); // the second time, all from memory
        // Half of the middle run cached: only the other half is read, merged in time order.
        cache.forget(m_pressure.key);
        const auto& middle = (*expected)[1];
        std::vector<std::int64_t> stamps;
        for (std::size_t i = RunSamples / 2; i < std::size_t(RunSamples); ++i)
            stamps.push_back(middle.stamps[i].nanoseconds());
        const std::vector<double> values(middle.values.begin() + RunSamples / 2,
            middle.values.end());
        QVERIFY(cache.insert(m_pressure.key,
            { TimeStamp(stamps.front()), middle.range.timeRange.end },
            stamps,
            values));
        compareAndCheck(all - RunSamples / 2, RunSamples / 2);
    }

    void theCompareChannelListIsSearchable()
    {
        core::Channel temperature = m_pressure;
        temperature.key = m_pressure.key + 1000; // offered only, never read
        temperature.name = u"tc_nozzle"_s;
        core::Channel pump = temperature;
        pump.key = temperature.key + 1;
        pump.name = u"pt_pump_inlet"_s;
        ui::CompareWindow window(m_connection,
            { { m_runs[0], {} }, { m_runs[1], {} } },
            { m_pressure, temperature, pump });
        const auto shown = [&] {
            QStringList names;
            for (int row = 0; row < window.channelList()->count(); ++row)
                if (!window.channelList()->item(row)->isHidden())
                    names.append(window.channelList()->item(row)->text());
            return names;
        };
        QTest::keyClicks(window.channelSearch(), u"PT_"_s);
        QCOMPARE(shown(), (QStringList { u"pt_chamber"_s, u"pt_pump_inlet"_s }));
        window.channelList()->item(0)->setCheckState(Qt::Checked); // pt_chamber ticked
        window.channelSearch()->setText(u"nozzle"_s);
        QCOMPARE(shown(), (QStringList { u"pt_chamber"_s, u"tc_nozzle"_s }));
        window.channelSearch()->clear();
        QCOMPARE(shown().size(), 3);
    }

    void runsOfOneColourAreDrawnInDistinctColours()
    {
        // Runs marked live all get the same colour; compared, each still has its own.
        core::Range first = m_runs[0];
        core::Range second = m_runs[1];
        second.color = first.color;
        ui::CompareWindow window(m_connection, { { first, {} }, { second, {} } }, { m_pressure });
        window.compare({ m_pressure.key });
        QVERIFY(QTest::qWaitFor([&] { return !window.reading(); }, 10000));
        QCOMPARE(window.plot()->graphCount(), 2);
        const QColor own(first.color->r, first.color->g, first.color->b);
        QCOMPARE(window.plot()->graph(0)->pen().color(), own); // the first keeps its own
        QVERIFY(window.plot()->graph(1)->pen().color() != own);
    }

    void aRangeStillOpenIsCachedOnlyAsFarAsItWasRead()
    {
        core::Range open = m_runs[2];
        open.timeRange.end = TimeStamp::now() + core::TimeSpan::hours(1); // a run still going
        core::store::HistoryCache cache;
        auto plan = core::store::planRuns(cache, { open }, { m_pressure });
        QCOMPARE(plan.gaps.size(), std::size_t(1));
        auto read = core::store::readGaps(*m_connection, plan);
        QVERIFY(read);
        const TimeStamp last((*read).front().stamps.back());
        core::store::fillGaps(plan, std::move(*read), &cache, TimeStamp::now());
        QCOMPARE(plan.runs.front().values.size(), std::size_t(RunSamples));
        // What comes after the last sample read may still be written: it stays missing.
        const auto missing = cache.missing(m_pressure.key, open.timeRange);
        QCOMPARE(missing.size(), std::size_t(1));
        QCOMPARE(missing.front().start, last + core::TimeSpan(1));
        QCOMPARE(missing.front().end, open.timeRange.end);
    }

    void theCompareWindowDrawsThreeRuns()
    {
        std::vector<LabelledRange> chosen;
        for (const core::Range& run : m_runs)
            chosen.push_back({ run, {} });
        ui::CompareWindow window(m_connection, chosen, { m_pressure });
        window.resize(1100, 600);
        window.show();
        core::store::RunAlignment ignition;
        ignition.eventChannel = m_pressure.key;
        ignition.threshold = 5;
        window.compare({ m_pressure.key }, ignition);
        QVERIFY(QTest::qWaitFor([&] { return !window.reading(); }, 10000));
        QCOMPARE(window.traces().size(), std::size_t(3));
        QCOMPARE(window.plot()->graphCount(), 3);
        QCOMPARE(window.plot()->graph(2)->name(), u"Hotfire 3 · pt_chamber"_s);
        QCOMPARE(window.plot()->graph(2)->dataCount(), RunSamples);
        // Cursors as on the history plots: click for A, Shift+click for B, statistics per trace.
        QCustomPlot* plot = window.plot();
        const int y = plot->axisRect()->center().y();
        QTest::mouseClick(plot, Qt::LeftButton, {}, QPoint(int(plot->xAxis->coordToPixel(0)), y));
        QTest::mouseClick(plot,
            Qt::LeftButton,
            Qt::ShiftModifier,
            QPoint(int(plot->xAxis->coordToPixel(1)), y));
        QVERIFY(window.cursors()->a() && window.cursors()->b());
        window.cursors()->setCursors(0.0, 1.0); // exactly (a click lands within a pixel)
        const QString stats = window.statistics()->text();
        QVERIFY2(stats.contains(
                     u"Hotfire 3 · pt_chamber: A 5, B 15, Δy 10, min 5, max 15, mean 10, "
                     "count 11"_s),
            qPrintable(stats));
        window.cursors()->setHover(2.0);
        QVERIFY2(window.readout()->text().contains(u"Hotfire 2 · pt_chamber = 25"_s),
            qPrintable(window.readout()->text()));
        QVERIFY(window.grab().save(screenshotPath(u"compare-three-runs.png"_s)));
        const QString svg = m_dir.filePath(u"overlay.svg"_s);
        QVERIFY(window.exportImage(svg));
        QFile written(svg);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QVERIFY(written.readAll().contains("Hotfire 3"));
    }
};

QTEST_MAIN(TestRangeWorkflow)
#include "tst_range_workflow.moc"
