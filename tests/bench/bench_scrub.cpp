// Scrub latency in the history pane (request → plots updated), against the embedded cluster on
// loopback: windows answered from the cache beside the same windows read from the cluster
// again (cache cleared before each: the baseline without a cache), in the same run, over
// 1e7 and 1e8 recorded float32 samples at 1 kHz. Then cached scrubs over 1e9 samples: those
// are put into the pane's cache directly (writing 12 GB to the cluster and reading it back
// would take minutes) over an extent the cluster reports; the scrub measured is the same path,
// request → cache view → plots drawn.
// Usage: bench_scrub [--quick] [--only 1e7|1e8|1e9]   (--quick: 1e6 samples only)

#include "core/allocator_tuning.h"
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
#include <numeric>
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

/// The recorded value of sample `i`: a slow sine with noise (splitmix64, cheap to make).
float valueOf(std::int64_t i)
{
    std::uint64_t z = std::uint64_t(i) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    const double noise = double((z ^ (z >> 31)) >> 11) * 0x1p-53 - 0.5;
    return static_cast<float>(std::sin(static_cast<double>(i) * 1e-4) + 0.1 * noise);
}

struct Recorded
{
    core::Channel index;
    core::Channel data;
};

/// Creates an index and a float32 channel named after `tag`.
Recorded createChannels(core::client::Connection& connection, const QString& tag)
{
    core::Channel index;
    index.name = u"scrub_time_"_s + tag;
    index.dataType = core::DataType::Timestamp;
    index.isIndex = true;
    index = connection.createChannels({ index }).value().front();
    core::Channel data;
    data.name = u"scrub_value_"_s + tag;
    data.dataType = core::DataType::Float32;
    data.index = index.key;
    data = connection.createChannels({ data }).value().front();
    return { index, data };
}

/// Writes samples `indices` (1 kHz from Start) of `channels` to the cluster.
void record(core::client::Connection& connection,
    const Recorded& channels,
    const std::vector<std::int64_t>& indices)
{
    auto writer = core::client::Writer::open(connection,
        { .start = TimeStamp(Start),
            .channels = { channels.index.key, channels.data.key },
            .mode = core::client::WriterMode::Persist })
                      .value();
    constexpr std::size_t Batch = 100'000;
    for (std::size_t first = 0; first < indices.size(); first += Batch) {
        std::vector<TimeStamp> stamps;
        std::vector<float> values;
        for (std::size_t k = first; k < std::min(first + Batch, indices.size()); ++k) {
            stamps.push_back(TimeStamp(Start + indices[k] * Period));
            values.push_back(valueOf(indices[k]));
        }
        core::Frame frame;
        frame.add(channels.index.key, core::Series::fromTimeStamps(stamps));
        frame.add(channels.data.key, core::Series::fromValues<float>(values));
        (void)writer->write(frame);
    }
    (void)writer->commit();
    (void)writer->close();
}

/// Shows `channels` in the pane and waits for the recorded extent.
void showChannels(ui::HistoryPane& pane, const Recorded& channels)
{
    pane.setPlots({ { channels.data } });
    QEventLoop loading;
    QObject::connect(&pane.session(),
        &core::feed::HistorySession::extentLoaded,
        &loading,
        &QEventLoop::quit);
    pane.session().loadExtent();
    loading.exec();
}

/// Random windows from 0.01 % to 100 % of `samples` samples from Start (log-uniform width).
std::vector<TimeRange> randomWindows(std::int64_t samples, int count)
{
    std::mt19937_64 random(11);
    std::vector<TimeRange> windows;
    for (int i = 0; i < count; ++i) {
        const double fraction
            = std::pow(10.0, std::uniform_real_distribution<double>(-4, 0)(random));
        const std::int64_t span = std::max<std::int64_t>(Period,
            static_cast<std::int64_t>(fraction * static_cast<double>(samples * Period)));
        const std::int64_t start = Start
            + static_cast<std::int64_t>(std::uniform_real_distribution<double>(0, 1)(random)
                * static_cast<double>(samples * Period - span));
        windows.push_back({ TimeStamp(start), TimeStamp(start + span) });
    }
    return windows;
}

/// "1e7" for 10'000'000 (sizes are powers of ten).
std::string sizeTag(std::int64_t samples)
{
    return "1e" + std::to_string(std::lround(std::log10(static_cast<double>(samples))));
}

/// The longest the GUI thread went without running its event loop, measured by a 1 ms timer
/// (how late each of its ticks came), from start() to stop().
class GuiBlockProbe
{
public:
    void start()
    {
        m_longest = 0;
        m_clock.start();
        m_last = 0;
        m_timer.setInterval(1);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_longest = std::max(m_longest, now - m_last);
            m_last = now;
        });
        m_timer.start();
    }
    /// Milliseconds of the longest block.
    double stop()
    {
        m_timer.stop();
        QObject::disconnect(&m_timer, nullptr, nullptr, nullptr);
        return static_cast<double>(m_longest) / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

struct ScrubTimes
{
    double shownMs = 0; ///< request → every sample of the window drawn
    double firstDrawMs = 0; ///< request → the plots first drew something read for it
};

/// Asks for `window` and waits until the plots show it.
ScrubTimes scrubTimed(ui::HistoryPane& pane, TimeRange window)
{
    bool shown = false;
    QEventLoop loop;
    QElapsedTimer timer;
    ScrubTimes times;
    const auto connection
        = QObject::connect(&pane.session(), &core::feed::HistorySession::windowShown, &loop, [&] {
              shown = true;
              loop.quit();
          });
    // The pane redraws its plots on cacheChanged (connected first, so it has drawn by now).
    const auto drawn
        = QObject::connect(&pane.session(), &core::feed::HistorySession::cacheChanged, [&] {
              if (times.firstDrawMs == 0)
                  times.firstDrawMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
          });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    timer.start();
    pane.session().setWindow(window);
    if (!shown)
        loop.exec();
    QObject::disconnect(connection);
    QObject::disconnect(drawn);
    for (ui::HistoryPlot* plot : pane.plots())
        plot->plot()->presentNow(); // the pixels there, as the app paints them (once)
    times.shownMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (times.firstDrawMs == 0) // all cached: drawn at once
        times.firstDrawMs = times.shownMs;
    return times;
}

/// Milliseconds from asking for `window` to the plots showing it.
double scrub(ui::HistoryPane& pane, TimeRange window) { return scrubTimed(pane, window).shownMs; }

/// Cached scrubs over `windows` of the pane's first plot: p50/p99, and where the time goes
/// (the cache's M4 view alone, and the whole pane update without drawing, per window).
std::vector<double> cachedScrubs(ui::HistoryPane& pane,
    core::ChannelKey key,
    const std::vector<TimeRange>& windows,
    const std::string& tag)
{
    std::vector<double> cached;
    for (const TimeRange& window : windows)
        cached.push_back(scrub(pane, window));
    QElapsedTimer part;
    core::decimate::PlotPoints points;
    part.start();
    for (const TimeRange& w : windows)
        pane.session().cache().view(key,
            w.start.nanoseconds(),
            w.end.nanoseconds(),
            1920,
            w.start.nanoseconds(),
            std::numeric_limits<std::int64_t>::max() / 4,
            points);
    const double viewMs = static_cast<double>(part.nsecsElapsed()) / 1e6 / double(windows.size());
    part.restart();
    for (const TimeRange& w : windows)
        pane.session().setWindow(w);
    const double updateMs = static_cast<double>(part.nsecsElapsed()) / 1e6 / double(windows.size());
    report("scrub.cached." + tag + ".p50", percentile(cached, 0.5), "ms");
    report("scrub.cached." + tag + ".p99", percentile(cached, 0.99), "ms");
    report("scrub.cached." + tag + ".cache_view_mean", viewMs, "ms");
    report("scrub.cached." + tag + ".pane_update_without_drawing_mean", updateMs, "ms");
    return cached;
}

/// Records `samples` samples, scrubs `scrubs` windows uncached (the baseline), reads the
/// whole extent once, then scrubs the same windows cached.
void recordedScrubs(
    core::client::Connection& connection, ui::HistoryPane& pane, std::int64_t samples, int scrubs)
{
    const std::string tag = sizeTag(samples);
    const Recorded channels = createChannels(connection, QString::fromStdString(tag));
    std::vector<std::int64_t> indices(static_cast<std::size_t>(samples));
    std::iota(indices.begin(), indices.end(), 0);
    record(connection, channels, indices);
    indices = {};
    pane.session().cache().clear();
    showChannels(pane, channels);
    const std::vector<TimeRange> windows = randomWindows(samples, scrubs);
    std::vector<double> uncached;
    std::vector<double> firstDraws;
    for (const TimeRange& window : windows) {
        pane.session().cache().clear(); // no cache: every scrub reads from the cluster
        const ScrubTimes times = scrubTimed(pane, window);
        uncached.push_back(times.shownMs);
        firstDraws.push_back(times.firstDrawMs);
    }
    pane.session().cache().clear();
    GuiBlockProbe probe;
    probe.start();
    const double wholeMs
        = scrub(pane, { TimeStamp(Start), TimeStamp(Start + samples * Period) }); // all read
    const double blockMs = probe.stop();
    const std::vector<double> cached = cachedScrubs(pane, channels.data.key, windows, tag);
    report("scrub.uncached." + tag + ".p50", percentile(uncached, 0.5), "ms");
    report("scrub.uncached." + tag + ".p99", percentile(uncached, 0.99), "ms");
    report("scrub.uncached." + tag + ".first_draw.p99", percentile(firstDraws, 0.99), "ms");
    report("scrub.uncached." + tag + ".whole_extent", wholeMs, "ms");
    // The GUI thread's longest block while the whole extent is read, decoded and cached.
    report("history.gui_block_max_ms." + tag, blockMs, "ms");
    if (tag == "1e8") { // the figures: the largest recording read from the cluster
        report("scrub.uncached.first_draw.p99", percentile(firstDraws, 0.99), "ms");
        report("history.gui_block_max_ms", blockMs, "ms");
    }
    report("scrub.cached_vs_uncached." + tag + ".p50",
        percentile(cached, 0.5) / percentile(uncached, 0.5),
        "x");
    report("scrub.cache_bytes_per_sample." + tag,
        static_cast<double>(pane.session().cache().memoryBytes()) / static_cast<double>(samples),
        "B");
}

/// Cached scrubs over `samples` samples put into the pane's cache directly; the cluster holds
/// only the first and last (so it reports the extent).
void injectedScrubs(
    core::client::Connection& connection, ui::HistoryPane& pane, std::int64_t samples, int scrubs)
{
    const std::string tag = sizeTag(samples);
    const Recorded channels = createChannels(connection, QString::fromStdString(tag));
    record(connection, channels, { 0, samples - 1 });
    pane.session().cache().clear();
    pane.session().cache().setBudgetBytes(std::size_t(12) * std::size_t(samples));
    showChannels(pane, channels);
    constexpr std::int64_t Read = 1'000'000;
    std::vector<std::int64_t> stamps(Read);
    std::vector<double> values(Read);
    for (std::int64_t first = 0; first < samples; first += Read) {
        const std::int64_t count = std::min(Read, samples - first);
        stamps.resize(static_cast<std::size_t>(count));
        values.resize(static_cast<std::size_t>(count));
        for (std::int64_t k = 0; k < count; ++k) {
            stamps[std::size_t(k)] = Start + (first + k) * Period;
            values[std::size_t(k)] = valueOf(first + k);
        }
        pane.session().cache().insert(channels.data.key,
            { TimeStamp(Start + first * Period), TimeStamp(Start + (first + count) * Period) },
            stamps,
            values);
    }
    scrub(pane, { TimeStamp(Start), TimeStamp(Start + samples * Period) }); // as recordedScrubs
    cachedScrubs(pane, channels.data.key, randomWindows(samples, scrubs), tag);
    report("scrub.cache_bytes_per_sample." + tag,
        static_cast<double>(pane.session().cache().memoryBytes()) / static_cast<double>(samples),
        "B");
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    // --only 1e7|1e8|1e9: one size (for profiling).
    const qsizetype onlyAt = app.arguments().indexOf(u"--only"_s);
    const std::string only = onlyAt >= 0 ? app.arguments().value(onlyAt + 1).toStdString() : "";
    const auto runs
        = [&](std::int64_t samples) { return only.empty() || only == sizeTag(samples); };

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

    ui::HistoryPane pane;
    pane.resize(1920, 600);
    pane.attach(connection);
    pane.show();
    if (quick) {
        recordedScrubs(*connection, pane, 1'000'000, 20);
    } else {
        if (runs(10'000'000))
            recordedScrubs(*connection, pane, 10'000'000, 100);
        if (runs(100'000'000))
            recordedScrubs(*connection, pane, 100'000'000, 30);
        if (runs(1'000'000'000))
            injectedScrubs(*connection, pane, 1'000'000'000, 100);
    }
    pane.detach();
    cluster.stop();
    return 0;
}
