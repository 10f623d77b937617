// Live path figures, each beside a baseline in the same run:
//  - M4 decimation of float32 samples (fast typed path, and the generic reference) vs a
//    plain sum over the same floats (the memory-bandwidth ceiling);
//  - memory per buffered float32 sample with 16 channels on one index;
//  - ingest into the live store;
//  - frame time of 16 dense live series (two 1920 px plots, 8 × 100 k samples each, the window
//    moving on every frame) vs stock QCustomPlot given the raw points.
// Usage: bench_live [--quick]

#include "core/allocator_tuning.h"
#include "core/decimate/m4.h"
#include "core/store/live_buffer.h"
#include "core/store/live_store.h"
#include "ui/plot/live_plot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "support/bench_report.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::bench::keep;
using sightline::bench::report;
using sightline::bench::secondsPerRun;

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
    Lanes low, high;
    for (std::size_t k = 0; k < W; ++k) {
        low[k] = std::numeric_limits<float>::infinity();
        high[k] = -std::numeric_limits<float>::infinity();
    }
    const std::size_t end = values.size() - values.size() % W;
    for (std::size_t i = 0; i < end; i += W) {
        Lanes v;
        std::memcpy(&v, values.data() + i, sizeof(v));
        low = v < low ? v : low;
        high = v > high ? v : high;
    }
    float lo = low[0];
    float hi = high[0];
    for (std::size_t k = 1; k < W; ++k) {
        lo = std::min(lo, low[k]);
        hi = std::max(hi, high[k]);
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
        for (auto& plot : plots)
            plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
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

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    benchDecimation(quick);
    benchMemoryAndIngest(quick);
    benchFrameTime(quick);
    return 0;
}
