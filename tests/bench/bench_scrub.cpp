// Scrub latency in the history pane (request → plots updated), against the embedded cluster on
// loopback: windows answered from the cache beside the same windows read from the cluster
// again (cache cleared before each: the baseline without a cache), in the same run.
// Usage: bench_scrub [--quick]

#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/server/embedded_cluster.h"
#include "core/store/history_cache.h"
#include "ui/history/history_pane.h"
#include "ui/history/history_plot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/bench_report.h"

using namespace Qt::StringLiterals;
using namespace sightline;
using core::TimeRange;
using core::TimeSpan;
using core::TimeStamp;
using sightline::bench::report;

namespace {

constexpr std::int64_t Period = 1'000'000; // 1 kHz
constexpr std::int64_t Start = 1'000'000'000;

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

/// Milliseconds from asking for `window` to the plots showing it.
double scrub(ui::HistoryPane& pane, TimeRange window)
{
    bool shown = false;
    QEventLoop loop;
    const auto connection = QObject::connect(&pane, &ui::HistoryPane::windowShown, &loop, [&] {
        shown = true;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    pane.setWindow(window);
    if (!shown)
        loop.exec();
    QObject::disconnect(connection);
    for (ui::HistoryPlot* plot : pane.plots())
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char* argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    const std::int64_t samples = quick ? 1'000'000 : 10'000'000;
    const int scrubs = quick ? 20 : 100;

    QTemporaryDir dir;
    core::server::EmbeddedCluster cluster;
    core::server::ClusterConfig config;
    config.dataDir = dir.path();
    config.simulator.reset();
    if (!cluster.start(config))
        return 1;
    core::client::ConnectionConfig connectionConfig;
    connectionConfig.port = cluster.port();
    auto connection = std::make_shared<core::client::Connection>(connectionConfig);
    core::Channel index;
    index.name = u"scrub_time"_s;
    index.dataType = core::DataType::Timestamp;
    index.isIndex = true;
    index = connection->createChannels({ index }).value().front();
    core::Channel data;
    data.name = u"scrub_value"_s;
    data.dataType = core::DataType::Float32;
    data.index = index.key;
    data = connection->createChannels({ data }).value().front();
    {
        auto writer = core::client::Writer::open(*connection,
            { .start = TimeStamp(Start),
                .channels = { index.key, data.key },
                .mode = core::client::WriterMode::Persist })
                          .value();
        std::mt19937 random(3);
        std::normal_distribution<float> noise;
        const std::int64_t batch = 100'000;
        for (std::int64_t first = 0; first < samples; first += batch) {
            std::vector<TimeStamp> stamps;
            std::vector<float> values;
            for (std::int64_t i = first; i < first + batch; ++i) {
                stamps.push_back(TimeStamp(Start + i * Period));
                values.push_back(std::sin(static_cast<float>(i) * 1e-4f) + 0.05f * noise(random));
            }
            core::Frame frame;
            frame.add(index.key, core::Series::fromTimeStamps(stamps));
            frame.add(data.key, core::Series::fromValues<float>(values));
            (void)writer->write(frame);
        }
        (void)writer->commit();
        (void)writer->close();
    }

    ui::HistoryPane pane;
    pane.resize(1920, 600);
    pane.attach(connection);
    pane.setPlots({ { data } });
    pane.show();
    {
        QEventLoop loading;
        QObject::connect(&pane, &ui::HistoryPane::extentLoaded, &loading, &QEventLoop::quit);
        pane.loadExtent();
        loading.exec();
    }
    const TimeRange extent { TimeStamp(Start), TimeStamp(Start + samples * Period) };

    // Random windows from 1 % to 100 % of the extent.
    std::mt19937_64 random(11);
    std::vector<TimeRange> windows;
    for (int i = 0; i < scrubs; ++i) {
        const double fraction
            = std::pow(10.0, std::uniform_real_distribution<double>(-2, 0)(random));
        const std::int64_t span = std::max<std::int64_t>(Period,
            static_cast<std::int64_t>(fraction * static_cast<double>(samples * Period)));
        const std::int64_t start = Start
            + static_cast<std::int64_t>(std::uniform_real_distribution<double>(0, 1)(random)
                * static_cast<double>(samples * Period - span));
        windows.push_back({ TimeStamp(start), TimeStamp(start + span) });
    }

    std::vector<double> uncached;
    for (const TimeRange& window : windows) {
        pane.cache().clear(); // no cache: every scrub reads from the cluster
        uncached.push_back(scrub(pane, window));
    }
    scrub(pane, extent); // everything read once
    std::vector<double> cached;
    for (const TimeRange& window : windows)
        cached.push_back(scrub(pane, window));

    // Where a cached scrub's time goes: the cache's M4 view alone, and the whole pane
    // update without drawing (both per window, mean).
    QElapsedTimer part;
    core::decimate::PlotPoints points;
    part.start();
    for (const TimeRange& w : windows)
        pane.cache().view(data.key,
            w.start.nanoseconds(),
            w.end.nanoseconds(),
            1920,
            w.start.nanoseconds(),
            std::numeric_limits<std::int64_t>::max() / 4,
            points);
    const double viewMs = static_cast<double>(part.nsecsElapsed()) / 1e6 / scrubs;
    part.restart();
    for (const TimeRange& w : windows)
        pane.setWindow(w);
    const double updateMs = static_cast<double>(part.nsecsElapsed()) / 1e6 / scrubs;
    const std::string size = std::to_string(samples / 1'000'000) + "M";
    report("scrub.cached." + size + ".p50", percentile(cached, 0.5), "ms");
    report("scrub.cached." + size + ".p99", percentile(cached, 0.99), "ms");
    report("scrub.uncached." + size + ".p50", percentile(uncached, 0.5), "ms");
    report("scrub.uncached." + size + ".p99", percentile(uncached, 0.99), "ms");
    report("scrub.cached." + size + ".cache_view_mean", viewMs, "ms");
    report("scrub.cached." + size + ".pane_update_without_drawing_mean", updateMs, "ms");
    report("scrub.cached_vs_uncached.p50",
        percentile(cached, 0.5) / percentile(uncached, 0.5),
        "x");
    report("scrub.cache_bytes_per_sample",
        static_cast<double>(pane.cache().memoryBytes()) / static_cast<double>(samples),
        "B");
    pane.detach();
    cluster.stop();
    return 0;
}
