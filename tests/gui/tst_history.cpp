// The history pane, offscreen, against the embedded cluster with known recorded data
// (one sample per second, valued as its time in seconds): the window shows exactly the
// samples in [start, end), chunk stepping follows Iterator next()/prev(), cancel stops a
// read, cache hits read nothing, CSV equals the recording, cursor statistics are right.

#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/feed/history_reader.h"
#include "core/server/embedded_cluster.h"
#include "core/store/history_cache.h"
#include "ui/history/history_export.h"
#include "ui/history/history_pane.h"
#include "ui/history/history_plot.h"
#include "ui/history/timeline.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/legend_strip.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <qcustomplot.h>

#include <cmath>

#include "support/recording.h"

using namespace Qt::StringLiterals;
using namespace sightline;
using core::TimeRange;
using core::TimeSpan;
using core::TimeStamp;
using test::at;

namespace {
constexpr int Samples = 600;
} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::server::EmbeddedCluster m_cluster;
    std::shared_ptr<core::client::Connection> m_connection;
    core::Channel m_index;
    core::Channel m_data;
    core::Channel m_scaled; ///< 1000 × m_data's values, on the same index

    std::unique_ptr<ui::HistoryPane> makePane()
    {
        auto pane = std::make_unique<ui::HistoryPane>();
        pane->resize(1200, 500);
        pane->attach(m_connection);
        pane->setPlots({ { m_data } });
        pane->show();
        return pane;
    }

    /// Loads the recorded extent and waits for it.
    static bool load(ui::HistoryPane& pane)
    {
        QSignalSpy loaded(&pane.session(), &core::feed::HistorySession::extentLoaded);
        pane.session().loadExtent();
        return loaded.wait(5000)
            && loaded.front().front().value<std::optional<TimeRange>>().has_value();
    }

    /// Shows `window` and waits until the pane has drawn it.
    static bool show(ui::HistoryPane& pane, TimeRange window)
    {
        QSignalSpy shown(&pane.session(), &core::feed::HistorySession::windowShown);
        pane.session().setWindow(window);
        return !shown.isEmpty() || shown.wait(5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings of the user's own left alone
        QVERIFY(m_dir.isValid());
        core::server::ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator.reset();
        QVERIFY(m_cluster.start(config));
        core::client::ConnectionConfig connection;
        connection.port = m_cluster.port();
        m_connection = std::make_shared<core::client::Connection>(connection);
        core::Channel index;
        index.name = u"rec_time"_s;
        index.dataType = core::DataType::Timestamp;
        index.isIndex = true;
        m_index = m_connection->createChannels({ index }).value().front();
        core::Channel data;
        data.name = u"rec_value"_s;
        data.dataType = core::DataType::Float64;
        data.index = m_index.key;
        m_data = m_connection->createChannels({ data }).value().front();
        data.name = u"rec_scaled"_s;
        m_scaled = m_connection->createChannels({ data }).value().front();

        auto writer = core::client::Writer::open(*m_connection,
            { .start = at(1),
                .channels = { m_index.key, m_data.key, m_scaled.key },
                .mode = core::client::WriterMode::Persist });
        QVERIFY(writer);
        for (int first = 1; first <= Samples; first += 100) {
            std::vector<TimeStamp> stamps;
            std::vector<double> values;
            std::vector<double> scaled;
            for (int s = first; s < first + 100; ++s) {
                stamps.push_back(at(s));
                values.push_back(s);
                scaled.push_back(1000.0 * s);
            }
            core::Frame frame;
            frame.add(m_index.key, core::Series::fromTimeStamps(stamps));
            frame.add(m_data.key, core::Series::fromValues<double>(values));
            frame.add(m_scaled.key, core::Series::fromValues<double>(scaled));
            QVERIFY((*writer)->write(frame));
        }
        QVERIFY((*writer)->commit());
        QVERIFY((*writer)->close());
    }

    void rightAxisScalesItsOwnChannels()
    {
        auto pane = makePane();
        pane->setPlots({ { m_data, m_scaled } });
        QVERIFY(load(*pane));
        ui::HistoryPlot* plot = pane->plots().front();
        plot->setChannelOnRightAxis(m_scaled.key, true);
        QVERIFY(plot->isOnRightAxis(m_scaled.key));
        QVERIFY(!plot->isOnRightAxis(m_data.key));
        QVERIFY(show(*pane, { at(10), at(20) }));
        const QCPRange left = plot->plot()->yAxis->range();
        const QCPRange right = plot->plot()->yAxis2->range();
        QVERIFY2(left.lower <= 10 && left.upper >= 19 && left.upper < 100,
            qPrintable(u"left %1..%2"_s.arg(left.lower).arg(left.upper)));
        QVERIFY2(right.lower <= 10'000 && right.upper >= 19'000 && right.lower > 1000,
            qPrintable(u"right %1..%2"_s.arg(right.lower).arg(right.upper)));
    }

    void legendShowsValuesAtTheWindowEndOrTheHover()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(10), at(20) }));
        ui::HistoryPlot* plot = pane->plots().front();
        QCOMPARE(plot->legend()->entries()[0].value, u"19"_s);
        plot->setHover(at(15.5)); // sample and hold: 15
        QCOMPARE(plot->legend()->entries()[0].value, u"15"_s);
        plot->setHover(std::nullopt);
        QCOMPARE(plot->legend()->entries()[0].value, u"19"_s);
    }

    void singleSamplesAreMarkedWhenZoomedIn()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QCPGraph* graph = pane->plots().front()->plot()->graph(0);
        QVERIFY(show(*pane, { at(10), at(20) })); // 10 samples across the plot
        QCOMPARE(graph->scatterStyle().shape(), QCPScatterStyle::ssDisc);
        QVERIFY(show(*pane, { at(1), at(Samples) })); // 600 samples: a line
        QCOMPARE(graph->scatterStyle().shape(), QCPScatterStyle::ssNone);
    }

    void recordingGapsBreakTheLine()
    {
        // Two runs at 1 Hz, 1 s … 100 s and 301 s … 400 s: the line breaks between them.
        const auto recording = test::createRecording(*m_connection, u"gap"_s);
        const core::Channel& data = recording.second;
        QVERIFY(test::record(*m_connection, recording, 1, 100));
        QVERIFY(test::record(*m_connection, recording, 301, 400));

        auto pane = makePane();
        pane->setPlots({ { data } });
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(401) }));
        const auto* points = pane->plots().front()->points(data.key);
        QVERIFY(points);
        int breaks = 0;
        for (qsizetype i = 0; i < points->keys.size(); ++i) {
            if (!std::isnan(points->values[i]))
                continue;
            ++breaks;
            QVERIFY(points->keys[i] > 99 && points->keys[i] < 300); // s from the window start
        }
        QCOMPARE(breaks, 1);
    }

    void cacheUsageAndBudgetAreShownAndKept()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(601) }));
        auto* usage = pane->findChild<QLabel*>(u"cacheUsage"_s);
        QVERIFY(usage);
        QVERIFY(pane->session().cache().memoryBytes() > 0);
        QCOMPARE(usage->text(),
            u"cache %1 of %2"_s.arg(
                QLocale().formattedDataSize(qint64(pane->session().cache().memoryBytes())),
                QLocale().formattedDataSize(qint64(2) << 30)));
        pane->setCacheBudget(std::size_t(4) << 30);
        QCOMPARE(pane->session().cache().budgetBytes(), std::size_t(4) << 30);
        QVERIFY(usage->text().endsWith(QLocale().formattedDataSize(qint64(4) << 30)));
        auto* budget = pane->findChild<QComboBox*>(u"cacheBudget"_s);
        QVERIFY(budget);
        QCOMPARE(budget->currentData().toULongLong(), qulonglong(4) << 30);
        pane->setCacheBudget(1); // below the floor: 64 MiB
        QCOMPARE(pane->session().cache().budgetBytes(), std::size_t(64) << 20);
    }

    void windowShowsExactlyTheSamplesInside()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(60) })); // cached around the window: edges exist
        QVERIFY(show(*pane, { at(10), at(20) }));
        const auto* points = pane->plots().front()->points(m_data.key);
        QVERIFY(points);
        std::vector<double> inside;
        std::vector<double> outside;
        for (qsizetype i = 0; i < points->keys.size(); ++i) {
            const double key = points->keys[i]; // seconds from the window start
            (key >= 0 && key < 10 ? inside : outside).push_back(points->values[i]);
        }
        // [10 s, 20 s): 10 … 19; 9 and 20 only as the edge samples beyond the view.
        QCOMPARE(inside, (std::vector<double> { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }));
        QCOMPARE(outside, (std::vector<double> { 9, 20 }));
    }

    void cursorStatisticsMatchTheReference()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(60) }));
        ui::HistoryPlot* plot = pane->plots().front();
        plot->setCursors(at(3), at(8));
        // [3 s, 8 s) holds 3, 4, 5, 6, 7: count 5, min 3, max 7, mean 5; Δy 5, slope 1/s.
        const QString text = plot->statsText();
        QVERIFY2(text.contains(u"count 5"_s), qPrintable(text));
        QVERIFY2(text.contains(u"min 3,"_s), qPrintable(text));
        QVERIFY2(text.contains(u"max 7,"_s), qPrintable(text));
        QVERIFY2(text.contains(u"mean 5,"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Δy = 5,"_s), qPrintable(text));
        QVERIFY2(text.contains(u"slope = 1 /s"_s), qPrintable(text));
    }

    void hoverReadoutHoldsTheLastSampleBeforeTheCursor()
    {
        auto pane = makePane();
        pane->setPlots({ { m_data }, { m_data } }); // two linked plots
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(60) }));
        pane->plots().front()->setHover(at(12.7));
        for (ui::HistoryPlot* plot : pane->plots()) {
            plot->setHover(at(12.7));
            QVERIFY2(plot->readoutText().contains(u"rec_value = 12 "_s),
                qPrintable(plot->readoutText()));
        }
    }

    void statisticsAndHoverLeaveWithTheWindow()
    {
        // Moved away from A–B and from where the mouse was, the pane does not go on showing
        // statistics and a readout of what is out of sight.
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(100), at(400) }));
        ui::HistoryPlot* plot = pane->plots().front();
        plot->setCursors(at(150), at(250));
        plot->setHover(at(300));
        QVERIFY(!plot->statsText().isEmpty());
        QVERIFY(!plot->readoutText().isEmpty());
        QVERIFY(show(*pane, { at(450), at(550) }));
        QCOMPARE(plot->statsText(), QString());
        QCOMPARE(plot->readoutText(), QString());
        QVERIFY(show(*pane, { at(200), at(300) })); // A–B partly in sight again
        QVERIFY2(plot->statsText().contains(u"count 100"_s), qPrintable(plot->statsText()));
        QCOMPARE(plot->readoutText(), QString()); // the mouse has not come back
    }

    void timelineDrawsAnEnvelopePerChannel()
    {
        ui::ChannelColors colors;
        auto pane = makePane();
        pane->setColors(&colors);
        pane->setPlots({ { m_data }, { m_scaled } });
        QVERIFY(load(*pane));
        const auto envelopes = [&] { return pane->timeline()->overview(); };
        QTRY_COMPARE_WITH_TIMEOUT(envelopes().size(), std::size_t(2), 5000);
        QCOMPARE(envelopes()[0].color, colors.colorFor(m_data.name));
        QCOMPARE(envelopes()[1].color, colors.colorFor(m_scaled.name));
        QVERIFY(envelopes()[0].color != envelopes()[1].color);
        // Each on its own values: the scaled channel's envelope reaches 1000 × the other's.
        const auto highest = [](const ui::Timeline::Envelope& envelope) {
            double high = -1e12;
            for (const auto& bucket : envelope.buckets)
                high = std::max(high, bucket.max);
            return high;
        };
        // Scanned over the whole recording (not only the cached last minute): 600 samples in
        // 1024 buckets fill 600 of them.
        QTRY_VERIFY_WITH_TIMEOUT(envelopes()[0].buckets.size() >= std::size_t(Samples)
                && envelopes()[1].buckets.size() >= std::size_t(Samples),
            5000);
        QCOMPARE(highest(envelopes()[0]), double(Samples));
        QCOMPARE(highest(envelopes()[1]), 1000.0 * Samples);
        const QImage image = pane->timeline()->grab().toImage();
        image.save(u"timeline-envelopes.png"_s); // to look at
        // Drawn across the whole strip: columns with the envelopes' colours in them.
        int drawn = 0;
        for (int x = 0; x < image.width(); ++x)
            for (int y = 0; y < image.height() - 14; ++y) // above the time ticks
                if (image.pixelColor(x, y).saturation() > 60) {
                    ++drawn;
                    break;
                }
        QVERIFY2(drawn > image.width() * 8 / 10, qPrintable(QString::number(drawn)));
    }

    void exportDialogsStartInTheDocumentsThenTheLastFolder()
    {
        QSettings().remove(u"history/exportFolder"_s);
        const QString documents
            = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        QCOMPARE(ui::history_export::lastFolder(),
            documents.isEmpty() ? QDir::homePath() : documents);
        QTemporaryDir chosen;
        QSettings().setValue(u"history/exportFolder"_s, chosen.path());
        QCOMPARE(ui::history_export::lastFolder(), chosen.path());
        QSettings().setValue(u"history/exportFolder"_s, chosen.path() + u"/gone"_s);
        QCOMPARE(ui::history_export::lastFolder(),
            documents.isEmpty() ? QDir::homePath() : documents); // a folder since removed
        QSettings().remove(u"history/exportFolder"_s);
    }

    void csvExportEqualsTheRecording()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(Samples) + TimeSpan(1) }));
        pane->session().setChunkSize(64); // several chunks
        QTemporaryDir dir;
        const QString file = dir.filePath(u"out.csv"_s);
        QSignalSpy finished(pane.get(), &ui::HistoryPane::exportFinished);
        pane->exportCsv(file);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.front().at(1).toString(), QString());
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QCOMPARE(lines.front(), QByteArray("time_ns,time,rec_value"));
        QCOMPARE(lines.size(), Samples + 2); // header + rows + the final empty split
        for (int s = 1; s <= Samples; ++s) {
            const QList<QByteArray> cells = lines[s].split(',');
            QCOMPARE(cells.size(), 3);
            QCOMPARE(cells[0].toLongLong(), at(s).nanoseconds());
            QCOMPARE(cells[1], at(s).toFixedIsoString().toLatin1()); // every row as wide
            QCOMPARE(cells[2].toDouble(), double(s));
        }
    }

    void imageExportWritesTheTimeRange()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(100), at(400) }));
        pane->plots().front()->setCursors(at(150), at(250));
        pane->plots().front()->refresh(pane->session().cache(), pane->session().window());
        pane->plots().front()->setHover(at(300));
        QVERIFY(!pane->plots().front()->readoutText().isEmpty());
        QTemporaryDir dir;
        QVERIFY(pane->exportImage(dir.filePath(u"h.png"_s)));
        QVERIFY(pane->exportImage(dir.filePath(u"h.pdf"_s)));
        QVERIFY(pane->exportImage(dir.filePath(u"h.svg"_s)));
        QVERIFY(!pane->plots().front()->readoutText().isEmpty()); // back on screen after
        QVERIFY(QFileInfo(dir.filePath(u"h.png"_s)).size() > 1000);
        // One plot of two: half the height of both.
        pane->setPlots({ { m_data }, { m_data } });
        pane->session().setWindow(pane->session().window());
        QVERIFY(pane->exportImage(dir.filePath(u"both.png"_s)));
        QVERIFY(pane->exportImage(dir.filePath(u"second.png"_s), 1));
        // PDF: a page a plot, paper size in landscape (A4, or Letter where that is used).
        QVERIFY(pane->exportImage(dir.filePath(u"both.pdf"_s)));
        QFile pdf(dir.filePath(u"both.pdf"_s));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray pages = pdf.readAll();
        QCOMPARE(pages.count("/Type /Page\n"), 2);
        QVERIFY(pages.contains("/MediaBox [0 0 842.000000 595.000000]")
            || pages.contains("/MediaBox [0 0 792.000000 612.000000]"));
        QVERIFY(!pane->exportImage(dir.filePath(u"third.png"_s), 2));
        QCOMPARE(QImage(dir.filePath(u"both.png"_s)).height(),
            2 * QImage(dir.filePath(u"second.png"_s)).height());
        QVERIFY(QFileInfo(dir.filePath(u"h.pdf"_s)).size() > 1000);
        QFile svg(dir.filePath(u"h.svg"_s));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray drawing = svg.readAll();
        QVERIFY(drawing.contains("<svg"));
        // The title: the window in human time.
        const QString title = pane->session().window().toHumanString(QTimeZone::utc());
        QVERIFY(drawing.contains(title.section(u" → "_s, 0, 0).toUtf8()));
        // The A–B statistics are in it; the hover readout (where the mouse was) is not.
        QVERIFY(drawing.contains("slope"));
        QVERIFY(!drawing.contains("(at "));
        // Something to look at: the pane mid-scrub (two plots, the overview scanned, a window
        // being read), with A/B cursors.
        QVERIFY(show(*pane, { at(200), at(500) }));
        pane->plots().front()->setCursors(at(250), at(350));
        pane->session().setWindow({ at(220), at(520) });
        QTest::qWait(300); // layout, the overview scan and the read settle
        pane->grab().save(u"history_pane.png"_s);
    }

    void keysStepTheWindowFromAClickedPlot()
    {
        // Without clicking the timeline first: a click on a plot (for a cursor), then keys.
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(100), at(200) }));
        QWidget* plot = pane->plots().front()->plot();
        QTest::mouseClick(plot, Qt::LeftButton, {}, plot->rect().center());
        QTest::keyClick(plot, Qt::Key_PageDown);
        QCOMPARE(pane->session().window(), (TimeRange { at(200), at(300) }));
        QTest::keyClick(plot, Qt::Key_Left);
        QCOMPARE(pane->session().window(), (TimeRange { at(190), at(290) }));
        QTest::keyClick(plot, Qt::Key_Home);
        QCOMPARE(pane->session().window().start, pane->timeline()->extent()->start);
        QCOMPARE(pane->session().window().span(), TimeSpan::seconds(100)); // the length is kept
    }
};

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
