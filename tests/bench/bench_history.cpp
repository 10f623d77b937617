// History cache figures: time per M4 view (1920 columns, random windows from 1e3 s to the
// whole extent) from the min/max pyramid over 1e7 and 1e8 cached samples of a 1 kHz channel,
// beside the same views computed by the reference decimateM4 over the raw samples in the same
// run (the baseline: a rescan); bytes per cached sample; insert rate; A/B statistics time.
// Each window's view time is the least of 3 passes over all windows (the reference: 1 pass).
// Usage: bench_history [--quick]   (--quick: 1e6 and 1e7 samples, fewer views)

#include "core/decimate/m4.h"
#include "core/store/history_cache.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "support/bench_report.h"

using namespace sightline::core;
using sightline::bench::keep;
using sightline::bench::report;

namespace {

using Clock = std::chrono::steady_clock;

constexpr ChannelKey Key = 1;
constexpr std::int64_t Epoch = 1'700'000'000'000'000'000;
constexpr std::int64_t Period = 1'000'000; // 1 kHz
constexpr std::int64_t Second = 1'000'000'000;
constexpr int Columns = 1920;
constexpr std::size_t SamplesPerRead = 100'000; // what one iterator read inserts

/// splitmix64: fast, reproducible.
struct Random
{
    std::uint64_t state;

    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1p-53; }
};

/// The raw samples, as the reference's SampleSource.
struct RawSamples
{
    std::vector<std::int64_t> stamps;
    std::vector<double> values;

    [[nodiscard]] std::size_t size() const { return stamps.size(); }
    [[nodiscard]] std::int64_t stampAt(std::size_t i) const { return stamps[i]; }
    [[nodiscard]] double valueAt(std::size_t i) const { return values[i]; }
    [[nodiscard]] static bool gapBefore(std::size_t /*index*/) { return false; }
    [[nodiscard]] std::size_t lowerBound(std::int64_t stamp) const
    {
        return std::size_t(std::ranges::lower_bound(stamps, stamp) - stamps.begin());
    }
};

/// A 1 kHz channel with ±0.1 ms jitter: a slow random walk with noise and rare spikes.
RawSamples makeSamples(std::size_t count)
{
    RawSamples raw;
    raw.stamps.resize(count);
    raw.values.resize(count);
    Random random { 42 };
    double level = 0;
    for (std::size_t i = 0; i < count; ++i) {
        raw.stamps[i]
            = Epoch + std::int64_t(i) * Period + std::int64_t(random.next() % 200'000) - 100'000;
        level += random.uniform() - 0.5;
        const bool spike = random.next() % 100'000 == 0;
        raw.values[i] = level + random.uniform() + (spike ? 1000.0 : 0.0);
    }
    return raw;
}

struct Window
{
    std::int64_t start;
    std::int64_t end;
};

/// Windows log-uniform in width from 1e3 s (or the extent, if shorter) to the whole extent.
std::vector<Window> makeWindows(const RawSamples& raw, std::size_t count)
{
    const std::int64_t first = raw.stamps.front();
    const std::int64_t extent = raw.stamps.back() + 1 - first;
    const double narrowest = std::log(double(std::min(extent, 1000 * Second)));
    const double widest = std::log(double(extent));
    Random random { 7 };
    std::vector<Window> windows;
    for (std::size_t k = 0; k < count; ++k) {
        const auto width
            = std::int64_t(std::exp(narrowest + (widest - narrowest) * random.uniform()));
        const auto start = first + std::int64_t(random.uniform() * double(extent - width));
        windows.push_back({ start, start + width });
    }
    return windows;
}

double percentile(std::vector<double> samples, double p)
{
    std::ranges::sort(samples);
    const auto at = std::size_t(std::lround(p * double(samples.size() - 1)));
    return samples[std::min(at, samples.size() - 1)];
}

/// Milliseconds each of `windows` takes through `viewOf`: the least of `passes` passes over
/// all of them (so a window is as cold each time, and time lost to other processes on this
/// shared machine drops out).
template <typename ViewOf>
std::vector<double> timeViews(std::span<const Window> windows, int passes, ViewOf&& viewOf)
{
    std::vector<double> ms(windows.size(), std::numeric_limits<double>::infinity());
    decimate::PlotPoints out;
    viewOf(windows.front(), out); // warm-up
    for (int pass = 0; pass < passes; ++pass) {
        for (std::size_t k = 0; k < windows.size(); ++k) {
            const auto begin = Clock::now();
            viewOf(windows[k], out);
            const auto end = Clock::now();
            ms[k] = std::min(ms[k], std::chrono::duration<double, std::milli>(end - begin).count());
            keep(out);
        }
    }
    return ms;
}

bool sameView(const decimate::PlotPoints& a, const decimate::PlotPoints& b)
{
    if (a.keys.size() != b.keys.size())
        return false;
    for (qsizetype i = 0; i < a.keys.size(); ++i) {
        const bool sameValue
            = a.values[i] == b.values[i] || (std::isnan(a.values[i]) && std::isnan(b.values[i]));
        if (a.keys[i] != b.keys[i] || !sameValue)
            return false;
    }
    return true;
}

void fillCache(store::HistoryCache& cache, const RawSamples& raw, const std::string& tag)
{
    const auto begin = Clock::now();
    for (std::size_t from = 0; from < raw.size(); from += SamplesPerRead) {
        const std::size_t to = std::min(from + SamplesPerRead, raw.size());
        const std::int64_t start = from == 0 ? Epoch - Second : raw.stamps[from];
        const std::int64_t end = to < raw.size() ? raw.stamps[to] : raw.stamps.back() + 1;
        cache.insert(Key,
            { TimeStamp(start), TimeStamp(end) },
            std::span(raw.stamps).subspan(from, to - from),
            std::span(raw.values).subspan(from, to - from));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    report("history.insert." + tag, double(raw.size()) / seconds, "samples/s");
    report("history.bytes_per_sample." + tag,
        double(cache.memoryBytes()) / double(cache.sampleCount(Key)),
        "B");
}

void runSize(
    std::size_t count, std::size_t views, std::size_t referenceViews, const std::string& tag)
{
    const RawSamples raw = makeSamples(count);
    store::HistoryCache cache(std::size_t(24) * count + (64U << 20)); // room for all of it
    fillCache(cache, raw, tag);
    const std::vector<Window> windows = makeWindows(raw, views);
    const std::int64_t origin = raw.stamps.front();
    const auto cached = [&](const Window& w, decimate::PlotPoints& out) {
        cache.view(Key, w.start, w.end, Columns, origin, 5 * Period, out);
    };
    const auto reference = [&](const Window& w, decimate::PlotPoints& out) {
        decimate::decimateM4(raw, w.start, w.end, Columns, origin, 5 * Period, out);
    };
    const std::vector<double> cachedMs = timeViews(windows, 3, cached);
    const std::vector<double> referenceMs
        = timeViews(std::span(windows).first(referenceViews), 1, reference);
    // The same windows through both (the baseline ratio is of like for like).
    const std::vector<double> cachedSubsetMs
        = std::vector(cachedMs.begin(), cachedMs.begin() + std::ptrdiff_t(referenceViews));

    report("history.view_p50." + tag, percentile(cachedMs, 0.5), "ms");
    report("history.view_p99." + tag, percentile(cachedMs, 0.99), "ms");
    report("history.view_max." + tag, percentile(cachedMs, 1.0), "ms");
    report("history.reference_p50." + tag, percentile(referenceMs, 0.5), "ms");
    report("history.reference_p99." + tag, percentile(referenceMs, 0.99), "ms");
    report("history.speedup_vs_reference_p50." + tag,
        percentile(referenceMs, 0.5) / percentile(cachedSubsetMs, 0.5),
        "x");

    std::size_t mismatches = 0;
    decimate::PlotPoints a;
    decimate::PlotPoints b;
    for (std::size_t k = 0; k < std::min<std::size_t>(referenceViews, 10); ++k) {
        cached(windows[k], a);
        reference(windows[k], b);
        mismatches += sameView(a, b) ? 0 : 1;
    }
    if (mismatches > 0)
        std::fprintf(stderr, "history: %zu views differ from the reference\n", mismatches);

    std::vector<double> statsMs;
    for (const Window& w : windows) {
        const auto begin = Clock::now();
        keep(cache.stats(Key, { TimeStamp(w.start), TimeStamp(w.end) }));
        statsMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
    }
    report("history.stats_p50." + tag, percentile(statsMs, 0.5), "ms");
}

} // namespace

int main(int argc, char* argv[])
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    if (quick) {
        runSize(1'000'000, 200, 20, "1e6");
        runSize(10'000'000, 200, 5, "1e7");
    } else {
        runSize(10'000'000, 2000, 100, "1e7");
        runSize(100'000'000, 2000, 30, "1e8");
    }
    return 0;
}
