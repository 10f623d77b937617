// How long heavy requests hold up a healthy live stream. The embedded cluster runs the
// simulated stand (a frame every 50 ms); a streamer measures the gaps between the frames it
// receives while another client makes one heavy request at a time. Each figure is the
// longest gap during that request minus the stand's tick (0 = not held up at all); the
// idle figure, measured in the same run, is the baseline.
// Usage: bench_cluster_stalls [--quick]

#include "core/allocator_tuning.h"
#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/writer.h"
#include "core/server/embedded_cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <atomic>
#include <functional>
#include <thread>

#include "support/bench_report.h"
#include "support/cluster_test_client.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::bench::report;
using sightline::test::StreamClient;
using sightline::test::UnaryCaller;

namespace {

constexpr double TickMs = 50;

/// An index and `count` float64 channels on it.
std::vector<Channel> createGroup(client::Connection& connection, const QString& name, int count)
{
    Channel index;
    index.name = name + u"_time"_s;
    index.dataType = DataType::Timestamp;
    index.isIndex = true;
    const ChannelKey indexKey = connection.createChannels({ index })->at(0).key;
    std::vector<Channel> wanted;
    for (int i = 0; i < count; ++i) {
        Channel data;
        data.name = u"%1_%2"_s.arg(name).arg(i);
        data.dataType = DataType::Float64;
        data.index = indexKey;
        wanted.push_back(data);
    }
    std::vector<Channel> group { *connection.retrieveChannels(
        std::vector<ChannelKey> { indexKey }) };
    const auto created = connection.createChannels(wanted);
    group.insert(group.end(), created->begin(), created->end());
    return group;
}

void writeGroup(client::Connection& connection,
    const std::vector<Channel>& group,
    std::int64_t first,
    std::size_t samples,
    std::size_t perWrite)
{
    std::vector<client::ChannelRef> refs;
    for (const Channel& c : group)
        refs.push_back(c.key);
    auto writer = client::Writer::open(connection, { .start = TimeStamp(first), .channels = refs });
    for (std::size_t from = 0; from < samples; from += perWrite) {
        const std::size_t n = std::min(perWrite, samples - from);
        std::vector<TimeStamp> stamps;
        for (std::size_t i = 0; i < n; ++i)
            stamps.emplace_back(first + static_cast<std::int64_t>(from + i) * 1000);
        const std::vector<double> values(n, 1.0);
        Frame frame;
        frame.add(group[0].key, Series::fromTimeStamps(stamps));
        for (std::size_t c = 1; c < group.size(); ++c)
            frame.add(group[c].key, Series::fromValues<double>(values));
        (void)(*writer)->write(frame);
    }
    (void)(*writer)->commit();
    (void)(*writer)->close();
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator();
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    server::ClusterConfig config;
    config.dataDir = dir.path();
    config.simulator->tick = TimeSpan::milliseconds(static_cast<std::int64_t>(TickMs));
    const auto port = cluster.start(config);
    if (!port) {
        std::fprintf(stderr, "%s\n", qPrintable(port.error().toString()));
        return 1;
    }
    client::ConnectionConfig connectionConfig;
    connectionConfig.port = *port;
    connectionConfig.timeout = TimeSpan::seconds(60);
    client::Connection heavy(connectionConfig);
    const auto chamber = heavy.retrieveChannels(QStringList { u"stand_pt_chamber"_s });
    const int readChannels = quick ? 20 : 200;
    const std::vector<Channel> group = createGroup(heavy, u"bulk"_s, readChannels);
    writeGroup(heavy, group, 1'000'000'000, 100'000, 10'000);

    UnaryCaller unary(*port);
    const QString token = unary.login();
    StreamClient streamer;
    if (!streamer.connect(*port, u"frame/stream"_s, token) || !streamer.next())
        return 1;
    streamer.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { qint64(chamber->at(0).key) } } });
    (void)streamer.next(); // ack

    /// The longest gap between streamed frames while `work` runs on another thread (at
    /// least `minMs` of streaming is watched).
    const auto longestGapDuring = [&](const std::function<void()>& work, int minMs) {
        std::atomic<bool> done = false;
        std::thread worker([&] {
            work();
            done = true;
        });
        QElapsedTimer clock;
        clock.start();
        qint64 last = -1;
        qint64 longest = 0;
        while (!done || clock.elapsed() < minMs) {
            if (auto message = streamer.next(100); message && message->binaryFrame) {
                const qint64 now = clock.elapsed();
                if (last >= 0)
                    longest = std::max(longest, now - last);
                last = now;
            }
        }
        worker.join();
        return static_cast<double>(longest);
    };

    const auto stall = [&](const std::string& name, double gapMs) {
        report("cluster.stall." + name + ".max_ms", std::max(0.0, gapMs - TickMs), "ms");
    };
    stall("idle", longestGapDuring([] {}, 2000));
    stall("iterator_read_" + std::to_string(readChannels + 1) + "x100k",
        longestGapDuring(
            [&] {
                std::vector<client::ChannelRef> refs;
                for (const Channel& c : group)
                    refs.push_back(c.key);
                client::Connection reader(connectionConfig); // on this thread
                auto iterator = client::Iterator::open(reader, { .channels = refs });
                if (!iterator) {
                    std::fprintf(stderr, "%s\n", qPrintable(iterator.error().toString()));
                    return;
                }
                (void)(*iterator)->seekFirst();
                (void)(*iterator)->next();
                (void)(*iterator)->close();
            },
            500));
    const int created = quick ? 5'000 : 50'000;
    stall("channel_create_" + std::to_string(created),
        longestGapDuring(
            [&] {
                client::Connection creator(connectionConfig); // on this thread
                Channel index;
                index.name = u"many_time"_s;
                index.dataType = DataType::Timestamp;
                index.isIndex = true;
                const ChannelKey key = creator.createChannels({ index })->at(0).key;
                std::vector<Channel> many;
                for (int i = 0; i < created; ++i) {
                    Channel c;
                    c.name = u"many_%1"_s.arg(i);
                    c.dataType = DataType::Float64;
                    c.index = key;
                    many.push_back(c);
                }
                (void)creator.createChannels(many);
            },
            500));
    stall("write_16MiB_frames",
        longestGapDuring(
            [&] {
                client::Connection writer(connectionConfig); // on this thread
                writeGroup(writer, group, 9'000'000'000'000, 10'000, 10'000);
            },
            500));
    return 0;
}
