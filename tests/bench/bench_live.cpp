// Live path figures, each beside a baseline in the same run:
//  - M4 decimation of float32 samples (fast typed path, and the generic reference) vs a
//    plain sum over the same floats (the memory-bandwidth ceiling);
//  - memory per buffered float32 sample with 16 channels on one index;
//  - ingest into the live store;
//  - frame time of 16 dense live series (two 1920 px plots, 8 × 100 k samples each, the window
//    moving on every frame) vs stock QCustomPlot given the raw points;
//  - the whole live path: a Writer into the embedded cluster, the app's LiveFeed streaming
//    16 float32 channels into two 1920 px plots of 8 redrawn by a 60 Hz clock (30 s window):
//      live.ingest_while_plotting.samples_per_s  the highest written rate (of a doubling
//          ramp) at which a frame's p99 (drain + refresh + replot, every frame) stays
//          ≤ 16.7 ms and every written sample reaches the store;
//      live.receive_to_pixels.p50 / .p99  at 16 × 10 kHz: from a frame's decode on the
//          streamer thread to the end of the replots that show it, over every frame.
// Usage: bench_live [--quick] [--live-path | --m4 | --frame]   (--live-path: only the whole
//        live path; --m4: only the decimation figures; --frame: only the frame figures)

#include "core/allocator_tuning.h"
#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/decimate/m4.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"
#include "core/store/live_buffer.h"
#include "core/store/live_store.h"
#include "ui/plot/live_plot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <thread> // std::this_thread::sleep_until
#include <vector>

#include "support/bench_report.h"
#include "support/run_events.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::bench::keep;
using sightline::bench::report;
using sightline::bench::secondsPerRun;
using sightline::test::runEventsFor;

namespace {

constexpr ChannelKey Index = 100;
constexpr std::int64_t Period = 1'000'000; // 1 kHz
constexpr std::int64_t Start = 1'700'000'000'000'000'000;

Channel makeChannel(ChannelKey key, DataType type)
{
    Channel channel;
    channel.key = key;
    channel.name = u"ch%1"_s.arg(key);
    channel.dataType = type;
    channel.index = key == Index ? Index : Index;
    channel.isIndex = key == Index;
    return channel;
}

/// A store with `channels` float32 channels holding `samples` samples each.
store::LiveStore filledStore(int channels, std::size_t samples, std::size_t frameSamples = 10'000)
{
    store::LiveStore live(std::size_t(8) << 30, samples);
    std::vector<Channel> tracked { makeChannel(Index, DataType::Timestamp) };
    for (int c = 0; c < channels; ++c)
        tracked.push_back(makeChannel(ChannelKey(200 + c), DataType::Float32));
    live.track(tracked);
    std::mt19937 random(1);
    std::normal_distribution<float> noise;
    for (std::size_t first = 0; first < samples; first += frameSamples) {
        std::vector<TimeStamp> stamps;
        std::vector<float> values;
        for (std::size_t i = first; i < first + frameSamples; ++i) {
            stamps.push_back(TimeStamp(Start + std::int64_t(i) * Period));
            values.push_back(std::sin(static_cast<float>(i) * 0.001f) + 0.05f * noise(random));
        }
        Frame frame;
        frame.add(Index, Series::fromTimeStamps(stamps));
        for (int c = 0; c < channels; ++c)
            frame.add(ChannelKey(200 + c), Series::fromValues<float>(values));
        live.ingest(frame);
    }
    return live;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

/// The smallest and largest value of `values`, vectorised (the bandwidth M4 is measured
/// against: the same samples read once, nothing located).
__attribute__((target_clones("avx2", "default"))) std::pair<float, float> simdMinMax(
    std::span<const float> values)
{
    typedef float Lanes __attribute__((vector_size(32)));
    constexpr std::size_t W = 8;
    constexpr std::size_t Chains = 4; // independent accumulators: bandwidth, not latency
    Lanes low[Chains], high[Chains];
    for (std::size_t c = 0; c < Chains; ++c)
        for (std::size_t k = 0; k < W; ++k) {
            low[c][k] = std::numeric_limits<float>::infinity();
            high[c][k] = -std::numeric_limits<float>::infinity();
        }
    const std::size_t end = values.size() - values.size() % (W * Chains);
    for (std::size_t i = 0; i < end; i += W * Chains) {
        for (std::size_t c = 0; c < Chains; ++c) {
            Lanes v;
            std::memcpy(&v, values.data() + i + c * W, sizeof(v));
            low[c] = v < low[c] ? v : low[c];
            high[c] = v > high[c] ? v : high[c];
        }
    }
    float lo = std::numeric_limits<float>::infinity();
    float hi = -std::numeric_limits<float>::infinity();
    for (std::size_t c = 0; c < Chains; ++c)
        for (std::size_t k = 0; k < W; ++k) {
            lo = std::min(lo, low[c][k]);
            hi = std::max(hi, high[c][k]);
        }
    for (std::size_t i = end; i < values.size(); ++i) {
        lo = std::min(lo, values[i]);
        hi = std::max(hi, values[i]);
    }
    return { lo, hi };
}

void benchDecimation(bool quick)
{
    // 2e6 samples over 1920 columns: 1042 a column (a 30 s window of a 67 kHz channel);
    // 1e5 samples: 52 a column.
    for (const std::size_t samples :
        { std::size_t(quick ? 200'000 : 2'000'000), std::size_t(100'000) }) {
        store::LiveStore live = filledStore(1, samples);
        const std::int64_t end = Start + std::int64_t(samples) * Period;
        decimate::PlotPoints points;
        const double fast = secondsPerRun(
            [&] { live.decimate(200, Start, end, 1920, Start, 5 * Period, points); },
            quick ? 0.05 : 0.5);
        std::vector<float> floats(samples);
        for (std::size_t i = 0; i < samples; ++i)
            floats[i] = std::sin(static_cast<float>(i) * 0.001f);
        const double minMax = secondsPerRun([&] { keep(simdMinMax(floats)); }, quick ? 0.05 : 0.5);
        const double n = static_cast<double>(samples);
        const std::string perColumn = samples == 100'000 ? ".52_per_column" : "";
        report("m4.float32.fast" + perColumn + ".samples_per_s", n / fast, "samples/s");
        report("m4.float32.fast" + perColumn + ".vs_simd_minmax", minMax / fast, "x");
        if (!perColumn.empty())
            continue;
        report("m4.simd_minmax.samples_per_s", n / minMax, "samples/s");
        // The generic reference over a LiveBuffer of the same samples (as doubles).
        store::LiveBuffer buffer(samples);
        std::vector<std::int64_t> stamps(samples);
        std::vector<double> values(samples);
        for (std::size_t i = 0; i < samples; ++i) {
            stamps[i] = Start + std::int64_t(i) * Period;
            values[i] = floats[i];
        }
        buffer.append(stamps, values);
        const double generic = secondsPerRun(
            [&] { decimate::decimateM4(buffer, Start, end, 1920, Start, 5 * Period, points); },
            quick ? 0.05 : 0.5);
        report("m4.float64.generic.samples_per_s", n / generic, "samples/s");
        report("m4.fast.vs_generic", generic / fast, "x");
    }
}

void benchMemoryAndIngest(bool quick)
{
    const std::size_t samples = quick ? 100'000 : 1'000'000;
    QElapsedTimer timer;
    timer.start();
    store::LiveStore live = filledStore(16, samples);
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    report("live_store.ingest.samples_per_s",
        16.0 * static_cast<double>(samples) / seconds,
        "samples/s");
    report("live_store.bytes_per_float32_sample",
        static_cast<double>(live.memoryBytes()) / (16.0 * static_cast<double>(samples)),
        "B");
}

void benchFrameTime(bool quick)
{
    const std::size_t samples = quick ? 20'000 : 100'000;
    const int frames = quick ? 20 : 200;
    // Each frame the window moves on by a little more than a pixel column, as it does while
    // following live, so every frame decimates what arrived and draws every trace anew.
    constexpr std::size_t StepSamples = 64;
    const std::size_t total = samples + StepSamples * std::size_t(frames);
    store::LiveStore live = filledStore(16, (total + 9'999) / 10'000 * 10'000);
    const auto nowAt = [&](int frame) {
        return TimeStamp(Start + std::int64_t(samples + StepSamples * std::size_t(frame)) * Period);
    };

    std::vector<std::unique_ptr<sightline::ui::LivePlot>> plots;
    for (int p = 0; p < 2; ++p) {
        auto plot = std::make_unique<sightline::ui::LivePlot>();
        plot->resize(1920, 540);
        plot->setWindow(TimeSpan(std::int64_t(samples) * Period));
        for (int c = 0; c < 8; ++c)
            plot->addChannel(makeChannel(ChannelKey(200 + p * 8 + c), DataType::Float32));
        plot->show();
        plots.push_back(std::move(plot));
    }
    QCoreApplication::processEvents();
    std::vector<double> ours;
    std::vector<double> drawing;
    for (int f = 0; f < frames; ++f) {
        QElapsedTimer timer;
        timer.start();
        for (auto& plot : plots)
            plot->refresh(live, nowAt(f));
        const qint64 prepared = timer.nsecsElapsed();
        for (auto& plot : plots) // the paint refresh() asked for, now: pixels on the widget
            plot->plot()->presentNow();
        ours.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        drawing.push_back(static_cast<double>(timer.nsecsElapsed() - prepared) / 1e6);
    }

    // Stock QCustomPlot: the same 16 series handed over as raw points, antialiased (its
    // default) and not (like for like: ours draws dense traces aliased).
    QVector<double> keys(static_cast<qsizetype>(samples));
    QVector<double> values(static_cast<qsizetype>(samples));
    std::mt19937 random(1);
    std::normal_distribution<float> noise;
    for (std::size_t i = 0; i < samples; ++i) { // the same samples the store holds
        keys[qsizetype(i)] = static_cast<double>(i) * 1e-3;
        values[qsizetype(i)] = std::sin(static_cast<float>(i) * 0.001f) + 0.05f * noise(random);
    }
    const auto stockFrames = [&](bool antialiased) {
        std::vector<std::unique_ptr<QCustomPlot>> stock;
        for (int p = 0; p < 2; ++p) {
            auto plot = std::make_unique<QCustomPlot>();
            plot->resize(1920, 540);
            for (int c = 0; c < 8; ++c) {
                QCPGraph* graph = plot->addGraph();
                graph->setData(keys, values, true);
                graph->setAntialiased(antialiased);
            }
            if (!antialiased)
                plot->setNotAntialiasedElements(QCP::aeAll);
            plot->rescaleAxes();
            plot->show();
            stock.push_back(std::move(plot));
        }
        QCoreApplication::processEvents();
        std::vector<double> times;
        for (int f = 0; f < frames; ++f) {
            QElapsedTimer timer;
            timer.start();
            for (auto& plot : stock)
                plot->replot(QCustomPlot::rpImmediateRefresh);
            times.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        }
        return times;
    };
    const std::vector<double> baseline = stockFrames(true);
    const std::vector<double> aliased = stockFrames(false);
    report("frame.16x" + std::to_string(samples / 1000) + "k.p50", percentile(ours, 0.5), "ms");
    report("frame.16x" + std::to_string(samples / 1000) + "k.p99", percentile(ours, 0.99), "ms");
    report("frame.16x" + std::to_string(samples / 1000) + "k.drawing.p50",
        percentile(drawing, 0.5),
        "ms");
    report("frame.stock_qcustomplot.p50", percentile(baseline, 0.5), "ms");
    report("frame.stock_qcustomplot.p99", percentile(baseline, 0.99), "ms");
    report("frame.p99.vs_stock", percentile(ours, 0.99) / percentile(baseline, 0.99), "x");
    report("frame.stock_qcustomplot_noaa.p99", percentile(aliased, 0.99), "ms");
    report("frame.16x" + std::to_string(samples / 1000) + "k.p99.vs_stock_noaa",
        percentile(ours, 0.99) / percentile(aliased, 0.99),
        "x");
}

// ---- the whole live path -------------------------------------------------------------------

std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Writes 16 float32 channels on one index at `rate` samples a second in all (one frame every
/// 10 ms, stamped now) on its own thread until stopped; counts what it wrote.
class PacedWriter
{
public:
    PacedWriter(client::Connection& connection, std::vector<ChannelKey> keys, double rate)
        // A QThread: the writer's WebSocket needs Qt's event dispatcher on its thread.
        : m_thread(QThread::create(
            [this, &connection, keys = std::move(keys), rate] { run(connection, keys, rate); }))
    {
        m_thread->start();
    }
    ~PacedWriter()
    {
        m_stop = true;
        m_thread->wait();
    }
    [[nodiscard]] std::uint64_t written() const { return m_written; }
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    void run(client::Connection& connection, const std::vector<ChannelKey>& keys, double rate)
    {
        std::vector<client::ChannelRef> refs(keys.begin(), keys.end());
        auto writer
            = client::Writer::open(connection, { .start = TimeStamp::now(), .channels = refs });
        if (!writer) {
            std::fprintf(stderr, "writer: %s\n", qPrintable(writer.error().toString()));
            m_failed = true;
            return;
        }
        const std::size_t data = keys.size() - 1;
        const auto perFrame = static_cast<std::size_t>(std::max(1.0, rate / double(data) / 100.0));
        std::vector<float> wave(perFrame);
        std::int64_t next = TimeStamp::now().nanoseconds();
        const std::int64_t period = 10'000'000 / std::int64_t(perFrame);
        auto due = std::chrono::steady_clock::now();
        std::uint64_t frame = 0;
        while (!m_stop) {
            std::vector<TimeStamp> stamps(perFrame);
            for (std::size_t i = 0; i < perFrame; ++i) {
                stamps[i] = TimeStamp(next + std::int64_t(i) * period);
                wave[i] = std::sin(float(frame * perFrame + i) * 1e-3f);
            }
            next += period * std::int64_t(perFrame);
            Frame out;
            out.add(keys[0], Series::fromTimeStamps(stamps));
            for (std::size_t c = 1; c < keys.size(); ++c)
                out.add(keys[c], Series::fromValues<float>(wave));
            if (auto wrote = writer.value()->write(out); !wrote) {
                std::fprintf(stderr, "writer: %s\n", qPrintable(wrote.error().toString()));
                m_failed = true;
                return;
            }
            m_written += perFrame * data;
            ++frame;
            due += std::chrono::milliseconds(10);
            std::this_thread::sleep_until(due);
        }
        (void)writer.value()->close();
    }

    std::atomic<bool> m_stop { false };
    std::atomic<std::uint64_t> m_written { 0 };
    std::atomic<bool> m_failed { false };
    std::unique_ptr<QThread> m_thread;
};

/// The app's live path against an embedded cluster: the feed, two plots and a 60 Hz clock.
class LivePath
{
public:
    LivePath(std::shared_ptr<client::Connection> connection, const std::vector<Channel>& data)
        : m_feed(connection)
    {
        if (auto started = m_feed.start(); !started)
            qFatal("feed: %s", qPrintable(started.error().toString()));
        (void)m_feed.setChannels(data, TimeSpan::seconds(30));
        m_feed.recordArrivals();
        for (int p = 0; p < 2; ++p) {
            auto plot = std::make_unique<sightline::ui::LivePlot>();
            plot->resize(1920, 540);
            for (std::size_t c = std::size_t(p) * 8; c < std::size_t(p + 1) * 8; ++c)
                plot->addChannel(data[c]);
            plot->plot()->setPlottingHint(QCP::phImmediateRefresh, true); // see frame()
            plot->show();
            m_plots.push_back(std::move(plot));
        }
        m_clock.setTimerType(Qt::PreciseTimer);
        m_clock.setInterval(16);
        QObject::connect(&m_clock, &QTimer::timeout, [this] { frame(); });
        m_clock.start();
    }

    /// Frame times (ms) and receive-to-pixels latencies (ms) since the last call.
    std::vector<double> takeFrameTimes() { return std::exchange(m_frameMs, {}); }
    std::vector<double> takeLatencies() { return std::exchange(m_latencyMs, {}); }
    [[nodiscard]] const feed::LiveFeed& feed() const { return m_feed; }

private:
    void frame()
    {
        const std::int64_t began = steadyNs();
        m_feed.drain();
        const TimeStamp now = TimeStamp::now();
        // As the app's clock does: refresh() presents the plot when something changed, which
        // Qt paints right after. With QCP::phImmediateRefresh it paints at once, so that
        // `shown` is when the pixels are there (the posted events: a plot that does not
        // paint directly queues a replot instead).
        for (auto& plot : m_plots) {
            plot->refresh(m_feed.store(), now);
            QCoreApplication::sendPostedEvents(plot->plot(), QEvent::MetaCall);
        }
        const std::int64_t shown = steadyNs();
        m_frameMs.push_back(double(shown - began) / 1e6);
        for (const std::int64_t arrived : m_feed.takeArrivals())
            m_latencyMs.push_back(double(shown - arrived) / 1e6);
    }

    feed::LiveFeed m_feed;
    std::vector<std::unique_ptr<sightline::ui::LivePlot>> m_plots;
    QTimer m_clock;
    std::vector<double> m_frameMs;
    std::vector<double> m_latencyMs;
};

void benchLivePath(bool quick)
{
    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    server::ClusterConfig config;
    config.dataDir = dir.path();
    config.simulator.reset(); // only the bench's writer
    const auto port = cluster.start(config);
    if (!port)
        qFatal("cluster: %s", qPrintable(port.error().toString()));
    client::ConnectionConfig connectionConfig;
    connectionConfig.port = *port;
    auto connection = std::make_shared<client::Connection>(connectionConfig);

    // One step of the ramp: fresh channels, so each rate starts with empty buffers.
    int step = 0;
    const auto channelsFor = [&] {
        Channel index;
        index.name = u"path_time_%1"_s.arg(step);
        index.dataType = DataType::Timestamp;
        index.isIndex = true;
        index = connection->createChannels({ index }).value().front();
        std::vector<Channel> data;
        for (int c = 0; c < 16; ++c) {
            Channel channel;
            channel.name = u"path_%1_%2"_s.arg(step).arg(c);
            channel.dataType = DataType::Float32;
            channel.index = index.key;
            data.push_back(connection->createChannels({ channel }).value().front());
        }
        ++step;
        return std::pair(index, data);
    };
    const auto keysOf = [](const Channel& index, const std::vector<Channel>& data) {
        std::vector<ChannelKey> keys { index.key };
        for (const Channel& channel : data)
            keys.push_back(channel.key);
        return keys;
    };
    const int settleMs = quick ? 500 : 1000;
    const int measureMs = quick ? 1000 : 4000;

    // Receive to pixels at 16 × 10 kHz.
    {
        const auto [index, data] = channelsFor();
        LivePath path(connection, data);
        PacedWriter writer(*connection, keysOf(index, data), 16 * 10'000.0);
        runEventsFor(settleMs);
        path.takeLatencies();
        path.takeFrameTimes();
        runEventsFor(measureMs);
        const std::vector<double> latencies = path.takeLatencies();
        const std::vector<double> frames = path.takeFrameTimes();
        std::fprintf(stderr,
            "receive to pixels at 16 x 10 kHz: %zu frames drawn, frame p50 %.2f ms, p99 %.2f ms\n",
            frames.size(),
            percentile(frames, 0.5),
            percentile(frames, 0.99));
        report("live.receive_to_pixels.p50", percentile(latencies, 0.5), "ms");
        report("live.receive_to_pixels.p99", percentile(latencies, 0.99), "ms");
    }

    // The ramp: doubling the rate while frames keep within 16.7 ms and nothing is lost.
    double sustained = 0;
    for (double rate = 1.25e5; rate <= (quick ? 2.5e5 : 3.2e7); rate *= 2) {
        const auto [index, data] = channelsFor();
        LivePath path(connection, data);
        std::uint64_t written = 0;
        std::uint64_t stored = 0;
        double p99 = 0;
        bool failed = false;
        {
            PacedWriter writer(*connection, keysOf(index, data), rate);
            runEventsFor(settleMs);
            path.takeFrameTimes();
            const std::uint64_t writtenBefore = writer.written();
            runEventsFor(measureMs);
            p99 = percentile(path.takeFrameTimes(), 0.99);
            written = writer.written() - writtenBefore;
            failed = writer.failed();
        }
        // What was written reaches the store: wait for the stream to catch up, then compare
        // everything written with everything stored.
        runEventsFor(1000);
        stored = path.feed().storedSamples();
        const double achieved = double(written) / (double(measureMs) / 1000.0);
        const bool keptUp = achieved >= 0.95 * rate && !failed;
        const bool lossless = path.feed().droppedFrames() == 0 && stored >= written;
        std::fprintf(stderr,
            "live path at %.3g samples/s: wrote %.3g/s, frame p99 %.2f ms, stored %llu of "
            ">= %llu, dropped %llu frames\n",
            rate,
            achieved,
            p99,
            static_cast<unsigned long long>(stored),
            static_cast<unsigned long long>(written),
            static_cast<unsigned long long>(path.feed().droppedFrames()));
        if (!(keptUp && lossless && p99 <= 16.7))
            break;
        sustained = rate;
    }
    report("live.ingest_while_plotting.samples_per_s", sustained, "samples/s");
    cluster.stop();
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    if (app.arguments().contains(u"--m4"_s)) { // the decimation figures alone (profiling)
        benchDecimation(quick);
        return 0;
    }
    if (app.arguments().contains(u"--frame"_s)) { // the frame figures alone (profiling)
        benchFrameTime(quick);
        return 0;
    }
    if (!app.arguments().contains(u"--live-path"_s)) {
        benchDecimation(quick);
        benchMemoryAndIngest(quick);
        benchFrameTime(quick);
    }
    benchLivePath(quick);
    return 0;
}
