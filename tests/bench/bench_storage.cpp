// Embedded cluster storage figures: chunk insert rate, seek cost as the store grows (a small
// store in the same run is the baseline, so the ratio shows O(log n)), and cluster restart
// time over a large store, and commit latency and ingest under each durability level.
// Usage: bench_storage [--quick]

#include "core/allocator_tuning.h"
#include "core/server/cluster.h"
#include "core/server/storage/database.h"
#include "core/server/storage/sample_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <string>
#include <vector>

#include "support/bench_report.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;
using sightline::bench::report;

namespace {

constexpr ChannelKey Index = (1U << 20) + 1;
constexpr ChannelKey Data = (1U << 20) + 2;
constexpr int SamplesPerChunk = 100;
constexpr std::int64_t Period = 1'000'000; // 1 kHz

/// Fills a store with `chunks` index+data chunk pairs (after `skip` chunks' worth of time),
/// 200 per commit; returns seconds taken.
double fill(SampleStore& store, int chunks, int skip = 0)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<StoredChunk> batch;
    for (int c = 0; c < chunks; ++c) {
        std::vector<TimeStamp> stamps;
        std::vector<double> values;
        const std::int64_t first
            = 1'000'000'000 + std::int64_t(c + skip) * SamplesPerChunk * Period;
        for (int i = 0; i < SamplesPerChunk; ++i) {
            stamps.push_back(TimeStamp(first + i * Period));
            values.push_back(i);
        }
        const TimeRange range { stamps.front(), stamps.back() + TimeSpan(1) };
        Series index = Series::fromTimeStamps(stamps);
        index.setTimeRange(range);
        Series data = Series::fromValues<double>(values);
        data.setTimeRange(range);
        batch.push_back({ Index, range, range.start, 0, std::move(index) });
        batch.push_back({ Data, range, range.start, 0, std::move(data) });
        if (batch.size() >= 200 || c + 1 == chunks) {
            (void)store.insert(batch);
            batch.clear();
        }
    }
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

/// Microseconds per chunkFrom at random times across the store.
double seekMicros(SampleStore& store, int chunks, int seeks)
{
    QRandomGenerator random(7);
    const std::int64_t span = std::int64_t(chunks) * SamplesPerChunk * Period;
    QElapsedTimer timer;
    timer.start();
    std::size_t found = 0;
    for (int i = 0; i < seeks; ++i) {
        const TimeStamp at(1'000'000'000 + static_cast<std::int64_t>(random.bounded(double(span))));
        auto chunk = store.chunkFrom(Data, at);
        found += chunk && *chunk ? 1 : 0;
    }
    sightline::bench::keep(found);
    return static_cast<double>(timer.nsecsElapsed()) / 1e3 / seeks;
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    const int small = 1'000;
    const int large = quick ? 20'000 : 200'000;
    const int seeks = quick ? 2'000 : 20'000;

    QTemporaryDir smallDir;
    QTemporaryDir largeDir;
    double smallSeek = 0;
    double largeSeek = 0;
    {
        auto database = Database::open(smallDir.filePath(u"cluster.db"_s)).value();
        auto store = SampleStore::open(*database).value();
        fill(*store, small);
        smallSeek = seekMicros(*store, small, seeks);
    }
    {
        auto database = Database::open(largeDir.filePath(u"cluster.db"_s)).value();
        auto store = SampleStore::open(*database).value();
        const double seconds = fill(*store, large);
        report("storage.insert.chunks_per_s", 2.0 * large / seconds, "chunks/s");
        report("storage.insert.samples_per_s",
            2.0 * large * SamplesPerChunk / seconds,
            "samples/s");
        largeSeek = seekMicros(*store, large, seeks);
    }
    report("storage.seek." + std::to_string(small) + "_chunks", smallSeek, "us");
    report("storage.seek." + std::to_string(large) + "_chunks", largeSeek, "us");
    report("storage.seek.large_vs_small", largeSeek / smallSeek, "x");

    // Restart: open the large store as a cluster (no simulator) and time until it listens.
    QElapsedTimer timer;
    timer.start();
    auto cluster = Cluster::start({ .dataDir = largeDir.path(), .simulator = std::nullopt });
    const double startMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (!cluster) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.error().toString()));
        return 1;
    }
    report("cluster.restart." + std::to_string(2 * large) + "_chunks", startMs, "ms");
    cluster->reset();

    // Durability: the same commits (one index+data chunk pair of 100 samples each) with
    // synchronous=NORMAL and with FULL (an fsync per commit), on the same disk.
    const int commits = quick ? 200 : 1000;
    for (const Durability durability : { Durability::Process, Durability::Full }) {
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"cluster.db"_s), durability).value();
        auto store = SampleStore::open(*database).value();
        std::vector<double> latencies;
        QElapsedTimer total;
        total.start();
        for (int c = 0; c < commits; ++c) {
            QElapsedTimer one;
            one.start();
            fill(*store, 1, c);
            latencies.push_back(static_cast<double>(one.nsecsElapsed()) / 1e3);
        }
        const double seconds = static_cast<double>(total.nsecsElapsed()) / 1e9;
        std::sort(latencies.begin(), latencies.end());
        const std::string name = "storage.commit." + durabilityName(durability).toStdString();
        report(name + ".p50", latencies[latencies.size() / 2], "us");
        report(name + ".p99", latencies[(latencies.size() * 99) / 100], "us");
        report(name + ".ingest_samples_per_s",
            2.0 * commits * SamplesPerChunk / seconds,
            "samples/s");
    }
    return 0;
}
