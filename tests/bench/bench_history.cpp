// History cache figures: time per M4 view (1920 columns, random windows from 1e3 s to the
// whole extent) from the min/max pyramid over 1e7, 1e8 and 1e9 cached float32 samples of a
// jittery 1 kHz channel, beside the same views computed by the reference decimateM4 over the
// raw samples in the same run (the baseline: a rescan; not at 1e9, whose raw samples would
// need 16 GB besides the cache); bytes per cached sample; insert rate; A/B statistics time.
// Each window's view time is the least of 3 passes over all windows (the reference: 1 pass).
// Usage: bench_history [--quick] [--only 1e7|1e8|1e9]   (--quick: 1e6 and 1e7 samples,
// fewer views)

#include "core/allocator_tuning.h"
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

/// A float32 channel at 1 kHz with ±0.1 ms jitter: a slow random walk with noise and rare
/// spikes, made in order a piece at a time.
class SampleMaker
{
public:
    /// The next `count` samples, into `out` (replacing what it held).
    void make(std::size_t count, RawSamples& out)
    {
        out.stamps.resize(count);
        out.values.resize(count);
        for (std::size_t k = 0; k < count; ++k, ++m_index) {
            out.stamps[k] = Epoch + std::int64_t(m_index) * Period
                + std::int64_t(m_random.next() % 200'000) - 100'000;
            m_level += m_random.uniform() - 0.5;
            const bool spike = m_random.next() % 100'000 == 0;
            out.values[k] = double(float(m_level + m_random.uniform() + (spike ? 1000.0 : 0.0)));
        }
    }

private:
    Random m_random { 42 };
    double m_level = 0;
    std::size_t m_index = 0;
};

struct Window
{
    std::int64_t start;
    std::int64_t end;
};

/// Windows log-uniform in width from 0.01 % of [first, last] to all of it.
std::vector<Window> makeWindows(std::int64_t first, std::int64_t last, std::size_t count)
{
    const std::int64_t extent = last + 1 - first;
    const double narrowest = std::log(double(extent) * 1e-4);
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

/// Milliseconds each of `windows` takes through `viewOf`, once each: every sample counts
/// (a percentile over them is over every view, never the best of several tries).
template <typename ViewOf>
std::vector<double> timeViews(std::span<const Window> windows, ViewOf&& viewOf)
{
    std::vector<double> ms;
    ms.reserve(windows.size());
    decimate::PlotPoints out;
    viewOf(windows.front(), out); // warm-up
    for (const Window& window : windows) {
        const auto begin = Clock::now();
        viewOf(window, out);
        const auto end = Clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(end - begin).count());
        keep(out);
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

/// Inserts `count` samples read by read, as the history pane does; keeps them in `raw` too
/// unless it is null. Returns the first and last stamp.
std::pair<std::int64_t, std::int64_t> fillCache(
    store::HistoryCache& cache, std::size_t count, RawSamples* raw, const std::string& tag)
{
    SampleMaker maker;
    RawSamples read;
    RawSamples next;
    maker.make(std::min(SamplesPerRead, count), read);
    const std::int64_t first = read.stamps.front();
    std::int64_t last = first;
    double seconds = 0;
    for (std::size_t from = 0; from < count; from += SamplesPerRead) {
        const std::size_t to = std::min(from + SamplesPerRead, count);
        if (to < count)
            maker.make(std::min(SamplesPerRead, count - to), next);
        const std::int64_t start = from == 0 ? Epoch - Second : read.stamps.front();
        const std::int64_t end = to < count ? next.stamps.front() : read.stamps.back() + 1;
        const auto begin = Clock::now();
        cache.insert(Key, { TimeStamp(start), TimeStamp(end) }, read.stamps, read.values);
        seconds += std::chrono::duration<double>(Clock::now() - begin).count();
        last = read.stamps.back();
        if (raw != nullptr) {
            raw->stamps.insert(raw->stamps.end(), read.stamps.begin(), read.stamps.end());
            raw->values.insert(raw->values.end(), read.values.begin(), read.values.end());
        }
        std::swap(read, next);
    }
    report("history.insert." + tag, double(count) / seconds, "samples/s");
    report("history.bytes_per_sample." + tag,
        double(cache.memoryBytes()) / double(cache.sampleCount(Key)),
        "B");
    return { first, last };
}

void runSize(
    std::size_t count, std::size_t views, std::size_t referenceViews, const std::string& tag)
{
    RawSamples raw;
    if (referenceViews > 0) {
        raw.stamps.reserve(count);
        raw.values.reserve(count);
    }
    store::HistoryCache cache(std::size_t(12) * count + (64U << 20)); // room for all of it
    const auto [first, last] = fillCache(cache, count, referenceViews > 0 ? &raw : nullptr, tag);
    const std::vector<Window> windows = makeWindows(first, last, views);
    const std::int64_t origin = first;
    const auto cached = [&](const Window& w, decimate::PlotPoints& out) {
        cache.view(Key, w.start, w.end, Columns, origin, 5 * Period, out);
    };
    const auto reference = [&](const Window& w, decimate::PlotPoints& out) {
        decimate::decimateM4(raw, w.start, w.end, Columns, origin, 5 * Period, out);
    };
    const std::vector<double> cachedMs = timeViews(windows, cached);
    report("history.view_p50." + tag, percentile(cachedMs, 0.5), "ms");
    report("history.view_p99." + tag, percentile(cachedMs, 0.99), "ms");
    report("history.view_max." + tag, percentile(cachedMs, 1.0), "ms");
    std::vector<double> statsMs;
    for (const Window& w : windows) {
        const auto begin = Clock::now();
        keep(cache.stats(Key, { TimeStamp(w.start), TimeStamp(w.end) }));
        statsMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
    }
    report("history.stats_p50." + tag, percentile(statsMs, 0.5), "ms");
    if (referenceViews == 0)
        return;

    const std::vector<double> referenceMs
        = timeViews(std::span(windows).first(referenceViews), reference);
    // The same windows through both (the baseline ratio is of like for like).
    const std::vector<double> cachedSubsetMs
        = std::vector(cachedMs.begin(), cachedMs.begin() + std::ptrdiff_t(referenceViews));
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
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    // --quick: 1e6 and 1e7 samples; --only 1e8: one size (for profiling).
    bool quick = false;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
    }
    const auto run
        = [&](std::size_t count, std::size_t views, std::size_t reference, const std::string& tag) {
              if (only.empty() || only == tag)
                  runSize(count, views, reference, tag);
          };
    if (quick) {
        run(1'000'000, 200, 20, "1e6");
        run(10'000'000, 200, 5, "1e7");
    } else {
        run(10'000'000, 2000, 100, "1e7");
        run(100'000'000, 2000, 30, "1e8");
        run(1'000'000'000, 2000, 0, "1e9");
    }
    return 0;
}
