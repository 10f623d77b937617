// The history pane, offscreen, against the embedded cluster with known recorded data
// (one sample per second, valued as its time in seconds): the window shows exactly the
// samples in [start, end), chunk stepping follows Iterator next()/prev(), cancel stops a
// read, cache hits read nothing, CSV equals the recording, cursor statistics are right.

#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/server/embedded_cluster.h"
#include "core/store/history_cache.h"
#include "core/store/history_reader.h"
#include "ui/history/history_pane.h"
#include "ui/history/history_plot.h"
#include "ui/history/timeline.h"
#include "ui/plot/legend_strip.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <qcustomplot.h>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace sightline;
using core::TimeRange;
using core::TimeSpan;
using core::TimeStamp;

namespace {
constexpr int Samples = 600;
TimeStamp at(double seconds)
{
    return TimeStamp(static_cast<std::int64_t>(std::llround(seconds * 1e9)));
}
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
        QSignalSpy loaded(&pane, &ui::HistoryPane::extentLoaded);
        pane.loadExtent();
        return loaded.wait(5000)
            && loaded.front().front().value<std::optional<TimeRange>>().has_value();
    }

    /// Shows `window` and waits until the pane has drawn it.
    static bool show(ui::HistoryPane& pane, TimeRange window)
    {
        QSignalSpy shown(&pane, &ui::HistoryPane::windowShown);
        pane.setWindow(window);
        return !shown.isEmpty() || shown.wait(5000);
    }

    /// A new index `<name>_time` and float64 channel `<name>_value` on it.
    std::pair<core::Channel, core::Channel> createRecording(const QString& name)
    {
        core::Channel index;
        index.name = name + u"_time"_s;
        index.dataType = core::DataType::Timestamp;
        index.isIndex = true;
        index = m_connection->createChannels({ index }).value().front();
        core::Channel data;
        data.name = name + u"_value"_s;
        data.dataType = core::DataType::Float64;
        data.index = index.key;
        data = m_connection->createChannels({ data }).value().front();
        return { index, data };
    }

    /// Writes one sample a second, `first` … `last` s, valued `sign` × the second, and commits.
    bool record(const std::pair<core::Channel, core::Channel>& recording,
        int first,
        int last,
        double sign = 1)
    {
        const auto& [index, data] = recording;
        auto writer = core::client::Writer::open(*m_connection,
            { .start = at(first),
                .channels = { index.key, data.key },
                .mode = core::client::WriterMode::Persist });
        if (!writer)
            return false;
        std::vector<TimeStamp> stamps;
        std::vector<double> values;
        for (int s = first; s <= last; ++s) {
            stamps.push_back(at(s));
            values.push_back(sign * s);
        }
        core::Frame frame;
        frame.add(index.key, core::Series::fromTimeStamps(stamps));
        frame.add(data.key, core::Series::fromValues<double>(values));
        return (*writer)->write(frame) && (*writer)->commit() && (*writer)->close();
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

    void extentCoversTheRecording()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        const auto extent = pane->timeline()->extent();
        QVERIFY(extent);
        QCOMPARE(extent->start, at(1));
        QCOMPARE(extent->end, at(Samples) + TimeSpan(1));
    }

    void overviewScansTheWholeRecordingWithoutCachingIt()
    {
        // Only the last minute is shown (and read into the cache); the timeline's overview
        // still comes to hold the true min and max of every bucket of the whole recording.
        auto pane = makePane();
        QVERIFY(load(*pane));
        const auto matches = [&] {
            const core::store::Overview overview = pane->overview();
            if (overview.buckets() != ui::HistoryPane::OverviewBuckets)
                return false;
            std::vector<double> low(std::size_t(overview.buckets()), 1e9);
            std::vector<double> high(std::size_t(overview.buckets()), -1e9);
            for (int s = 1; s <= Samples; ++s) {
                const auto b = std::size_t(overview.bucketOf(at(s).nanoseconds()));
                low[b] = std::min(low[b], double(s));
                high[b] = std::max(high[b], double(s));
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
        };
        QTRY_VERIFY_WITH_TIMEOUT(matches(), 5000);
        QVERIFY(pane->cache().sampleCount(m_data.key) < std::size_t(Samples / 2));
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
        const auto recording = createRecording(u"gap"_s);
        const core::Channel& data = recording.second;
        QVERIFY(record(recording, 1, 100));
        QVERIFY(record(recording, 301, 400));

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
        QVERIFY(pane->cache().memoryBytes() > 0);
        QCOMPARE(usage->text(),
            u"cache %1 of %2"_s.arg(
                QLocale().formattedDataSize(qint64(pane->cache().memoryBytes())),
                QLocale().formattedDataSize(qint64(2) << 30)));
        pane->setCacheBudget(std::size_t(4) << 30);
        QCOMPARE(pane->cache().budgetBytes(), std::size_t(4) << 30);
        QVERIFY(usage->text().endsWith(QLocale().formattedDataSize(qint64(4) << 30)));
        auto* budget = pane->findChild<QComboBox*>(u"cacheBudget"_s);
        QVERIFY(budget);
        QCOMPARE(budget->currentData().toULongLong(), qulonglong(4) << 30);
        pane->setCacheBudget(1); // below the floor: 64 MiB
        QCOMPARE(pane->cacheBudget(), std::size_t(64) << 20);
    }

    void extentFollowsNewRecordings()
    {
        // Recorded 1…100 s, then 101…200 s while the pane is open at the end: the timeline
        // grows, the window moves along, and the overview takes in the new part.
        const auto recording = createRecording(u"grow"_s);
        const core::Channel& data = recording.second;
        QVERIFY(record(recording, 1, 100, -1));
        auto pane = makePane();
        pane->setPlots({ { data } });
        QVERIFY(load(*pane));
        QCOMPARE(pane->window(),
            (TimeRange { at(100) + TimeSpan(1) - TimeSpan::minutes(1), at(100) + TimeSpan(1) }));
        QVERIFY(record(recording, 101, 200, -1));
        const TimeRange grown { at(1), at(200) + TimeSpan(1) };
        QTRY_VERIFY_WITH_TIMEOUT((pane->refreshExtent(), pane->timeline()->extent() == grown),
            5000);
        QCOMPARE(pane->window(), (TimeRange { grown.end - TimeSpan::minutes(1), grown.end }));
        const auto overviewCoversAll = [&] {
            const core::store::Overview overview = pane->overview();
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

    void cacheHitsReadNothing()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(100), at(300) }));
        const quint64 reads = pane->reader()->requestCount();
        QVERIFY(show(*pane, { at(150), at(200) }));
        QVERIFY(show(*pane, { at(100), at(300) }));
        QCOMPARE(pane->reader()->requestCount(), reads);
        QVERIFY(!pane->reading());
        QVERIFY(show(*pane, { at(400), at(450) })); // not read yet: one request
        QCOMPARE(pane->reader()->requestCount(), reads + 1);
    }

    void chunkStepsFollowIteratorChunks()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        pane->setChunkSize(4);
        QVERIFY(show(*pane, { at(1), at(5) }));
        QVERIFY(show(*pane, { at(1), at(40) })); // cache ahead so the step is answered locally
        QVERIFY(show(*pane, { at(1), at(5) }));
        // The window keeps its 4 s and ends where the chunk ends (starts where it starts).
        const TimeSpan length = TimeSpan::seconds(4);
        pane->stepByChunk(+1); // next(): samples 5…8, up to 8 s + 1 ns
        QCOMPARE(pane->window(), (TimeRange { at(8) + TimeSpan(1) - length, at(8) + TimeSpan(1) }));
        pane->stepByChunk(+1); // 9…12
        QCOMPARE(pane->window(),
            (TimeRange { at(12) + TimeSpan(1) - length, at(12) + TimeSpan(1) }));
        pane->stepByChunk(-1); // prev(): the 4 samples before the view start: 5…8
        QCOMPARE(pane->window(), (TimeRange { at(5), at(5) + length }));
        // A window longer than a chunk keeps its length too.
        QVERIFY(show(*pane, { at(1), at(21) }));
        pane->stepByChunk(+1); // 21…24
        QCOMPARE(pane->window(), (TimeRange { at(4) + TimeSpan(1), at(24) + TimeSpan(1) }));
    }

    void chunkStepsReadWhatTheCacheCannotTell()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        pane->setChunkSize(4);
        QVERIFY(show(*pane, { at(500), at(504) })); // nothing cached on either side
        const quint64 reads = pane->reader()->requestCount();
        pane->stepByChunk(+1); // next(): samples 504…507, read from the cluster first
        QTRY_COMPARE_WITH_TIMEOUT(pane->window(),
            (TimeRange { at(503) + TimeSpan(1), at(507) + TimeSpan(1) }),
            5000);
        QVERIFY(pane->reader()->requestCount() > reads);
        QVERIFY(show(*pane, { at(300), at(304) }));
        pane->stepByChunk(-1); // prev(): samples 296…299, read backward from the cluster
        QTRY_COMPARE_WITH_TIMEOUT(pane->window(), (TimeRange { at(296), at(300) }), 5000);
        QVERIFY(show(*pane, { at(597), at(Samples) + TimeSpan(1) }));
        pane->stepByChunk(+1); // nothing after the last sample: the window stays
        QTest::qWait(100);
        QCOMPARE(pane->window(), (TimeRange { at(597), at(Samples) + TimeSpan(1) }));
    }

    void backwardReadsComeNearestTheEndFirst()
    {
        // What a window moving left asks for: the chunks nearest the old view first, each
        // covering exactly its samples, all of the range in the end.
        core::store::HistoryReader reader(m_connection);
        std::vector<core::store::HistoryChunk> chunks;
        connect(&reader,
            &core::store::HistoryReader::chunkRead,
            this,
            [&](quint64, const core::store::HistoryChunk& chunk) { chunks.push_back(chunk); });
        QSignalSpy finished(&reader, &core::store::HistoryReader::finished);
        reader.read({ m_data },
            { .range = { at(100), at(200) },
                .chunkSize = 30,
                .direction = core::store::ReadDirection::Backward });
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.front().at(1).toString(), QString());
        QVERIFY(chunks.size() >= 4);
        QCOMPARE(chunks.front().covered.end, at(200));
        QCOMPARE(chunks.front().values.front(), 170.0); // 170 … 199
        TimeStamp edge = at(200);
        std::vector<double> values;
        for (const core::store::HistoryChunk& chunk : chunks) {
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
        auto pane = makePane();
        QVERIFY(load(*pane));
        pane->setChunkSize(10); // many small chunks
        QSignalSpy chunks(pane->reader(), &core::store::HistoryReader::chunkRead);
        pane->setWindow({ at(1), at(Samples) });
        QVERIFY(pane->reading());
        pane->reader()->cancel();
        const int before = static_cast<int>(chunks.count());
        QTest::qWait(300);
        // Nothing of the cancelled read arrives after the cancel (queued ones are dropped).
        QCOMPARE(static_cast<int>(chunks.count()), before);
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

    void csvExportEqualsTheRecording()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(1), at(Samples) + TimeSpan(1) }));
        pane->setChunkSize(64); // several chunks
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
        pane->plots().front()->refresh(pane->cache(), pane->window());
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
        pane->setWindow(pane->window());
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
        const QString title = pane->window().toHumanString(QTimeZone::utc());
        QVERIFY(drawing.contains(title.section(u" → "_s, 0, 0).toUtf8()));
        // The A–B statistics are in it; the hover readout (where the mouse was) is not.
        QVERIFY(drawing.contains("slope"));
        QVERIFY(!drawing.contains("(at "));
        // Something to look at: the pane mid-scrub (two plots, the overview scanned, a window
        // being read), with A/B cursors.
        QVERIFY(show(*pane, { at(200), at(500) }));
        pane->plots().front()->setCursors(at(250), at(350));
        pane->setWindow({ at(220), at(520) });
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
        QCOMPARE(pane->window(), (TimeRange { at(200), at(300) }));
        QTest::keyClick(plot, Qt::Key_Left);
        QCOMPARE(pane->window(), (TimeRange { at(190), at(290) }));
        QTest::keyClick(plot, Qt::Key_Home);
        QCOMPARE(pane->window().start, pane->timeline()->extent()->start);
        QCOMPARE(pane->window().span(), TimeSpan::seconds(100)); // the length is kept
    }

    void playbackMovesTheWindowAndLoops()
    {
        auto pane = makePane();
        QVERIFY(load(*pane));
        QVERIFY(show(*pane, { at(Samples - 20), at(Samples - 10) }));
        pane->setLoop(true);
        pane->play(100); // 100× : 0.1 s wall is 10 s of data
        QTRY_VERIFY_WITH_TIMEOUT(pane->window().start < at(Samples - 20),
            3000); // wrapped to the start
        pane->pause();
        QVERIFY(!pane->playing());
    }
};

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
