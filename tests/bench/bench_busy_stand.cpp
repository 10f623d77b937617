// The app's live path on a busy stand: the embedded cluster runs a simulated stand of 64
// channels at 10 kHz; a LiveFeed streams 16 of its fast channels into two 1920 px plots of
// 8 channels, redrawn by a 16 ms plot clock as the main window does (offscreen). Printed:
//   live.busy_stand.gui_cpu_fraction  CPU time of the GUI thread / wall time (1 = a core)
//   live.busy_stand.replots_per_s     plot redraws a second (two plots: 120 at 60 fps)
//   live.busy_stand.samples_per_s     data samples the feed stored a second
// Usage: bench_busy_stand [--quick]   (quick: 2 kHz for 3 s)

#include "core/allocator_tuning.h"
#include "core/client/connection.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"
#include "ui/plot/live_plot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <qcustomplot.h>

#include <ctime>
#include <map>

#include "support/bench_report.h"
#include "support/run_events.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::bench::report;
using sightline::test::runEventsFor;

namespace {

double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

} // namespace

int main(int argc, char* argv[])
{
    tuneAllocator(); // as the app runs
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);

    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    server::ClusterConfig config;
    config.dataDir = dir.path();
    config.simulator->dataChannels = 64;
    config.simulator->fastRate = quick ? 2000 : 10000;
    const auto port = cluster.start(config);
    if (!port) {
        std::fprintf(stderr, "%s\n", qPrintable(port.error().toString()));
        return 1;
    }
    client::ConnectionConfig connectionConfig;
    connectionConfig.port = *port;
    auto connection = std::make_shared<client::Connection>(connectionConfig);
    const auto stand = connection->searchChannels(u"stand"_s);
    if (!stand) {
        std::fprintf(stderr, "%s\n", qPrintable(stand.error().toString()));
        return 1;
    }
    // The fast group: the index with the most float data channels.
    std::map<ChannelKey, std::vector<Channel>> byIndex;
    for (const Channel& channel : *stand)
        if (!channel.isIndex && channel.dataType == DataType(DataType::Float64))
            byIndex[channel.index].push_back(channel);
    std::vector<Channel> fast;
    for (const auto& [index, channels] : byIndex)
        if (channels.size() > fast.size())
            fast = channels;
    fast.resize(std::min<std::size_t>(fast.size(), 16));

    feed::LiveFeed feed(connection);
    if (auto started = feed.start(); !started) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().toString()));
        return 1;
    }
    (void)feed.setChannels(fast, TimeSpan::seconds(0));

    std::vector<std::unique_ptr<sightline::ui::LivePlot>> plots;
    int replots = 0;
    for (int p = 0; p < 2; ++p) {
        auto plot = std::make_unique<sightline::ui::LivePlot>();
        plot->resize(1920, 540);
        for (std::size_t c = std::size_t(p) * 8; c < std::min(fast.size(), std::size_t(p + 1) * 8);
             ++c)
            plot->addChannel(fast[c]);
        plot->show();
        QObject::connect(plot->plot(), &sightline::ui::OpaquePlot::framePainted, [&] {
            ++replots;
        });
        plots.push_back(std::move(plot));
    }
    QTimer clock; // the main window's plot clock
    clock.setTimerType(Qt::PreciseTimer);
    clock.setInterval(16);
    QObject::connect(&clock, &QTimer::timeout, [&] {
        feed.drain();
        const TimeStamp now = TimeStamp::now();
        for (auto& plot : plots)
            plot->refresh(feed.store(), now);
    });
    clock.start();

    // Warm up: the stream open and, for the figures, the 30 s window full.
    runEventsFor(quick ? 2000 : 31000);
    const int measureMs = quick ? 3000 : 20000;
    const double cpuBefore = threadCpuSeconds();
    replots = 0;
    QElapsedTimer wall;
    wall.start();
    double samples = 0;
    int rateReads = 0;
    for (int elapsed = 0; elapsed < measureMs; elapsed += 1000) {
        runEventsFor(1000);
        samples += feed.samplesPerSecond();
        ++rateReads;
    }
    const double seconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    const double cpu = threadCpuSeconds() - cpuBefore;
    clock.stop();
    report("live.busy_stand.gui_cpu_fraction", cpu / seconds, "cores");
    report("live.busy_stand.replots_per_s", replots / seconds, "replots/s");
    report("live.busy_stand.samples_per_s", rateReads > 0 ? samples / rateReads : 0, "samples/s");
    plots.clear();
    cluster.stop();
    return 0;
}
