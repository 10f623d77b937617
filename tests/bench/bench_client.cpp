// Client end-to-end figures against the embedded cluster on loopback, each beside a raw
// QWebSocket moving the same bytes between two threads in the same run (the ceiling):
//  - streamer throughput (writer → cluster relay → streamer read), 1 and 64 channels;
//  - write → read latency p50/p99 (one sample) vs a raw echo round trip;
//  - iterator full-scan throughput (persisted samples read back in chunks);
//  - restart to streaming p50/p90: a cluster (with its stand writing every 10 ms) stopped for
//    0.5–5 s and started again on the same port and data directory, timed from listening
//    again to the first new frame the streamer reads.
// Usage: bench_client [--quick] [--only streamer|latency|iterator|restart]
//        [--restarts N] [--max-outage-ms M]

#include "core/allocator_tuning.h"
#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/streamer.h"
#include "core/client/writer.h"
#include "core/codec/frame_codec.h"
#include "core/server/embedded_cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "support/bench_report.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::client;
using sightline::bench::report;

namespace {

/// Sends prepared messages to whoever connects; echoes what it receives. Own thread.
class RawPeer : public QObject
{
public:
    RawPeer()
        : m_server(u"bench"_s, QWebSocketServer::NonSecureMode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            m_socket = m_server.nextPendingConnection();
            connect(m_socket,
                &QWebSocket::binaryMessageReceived,
                this,
                [this](const QByteArray& m) {
                    if (m == "go") {
                        for (int i = 0; i < m_repeat; ++i)
                            m_socket->sendBinaryMessage(m_message);
                    } else {
                        m_socket->sendBinaryMessage(m); // echo
                    }
                });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    void prepare(QByteArray message, int repeat)
    {
        m_message = std::move(message);
        m_repeat = repeat;
    }

private:
    QWebSocketServer m_server;
    QWebSocket* m_socket = nullptr;
    QByteArray m_message;
    int m_repeat = 0;
};

/// Runs the event loop until `done()` or 60 s.
template <typename Done> void spin(Done done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
}

struct RawLink
{
    QThread thread;
    RawPeer* peer = nullptr;
    QWebSocket client;
    qint64 received = 0;
    int messages = 0;
    std::function<void(const QByteArray&)> onMessage;

    RawLink()
    {
        thread.start();
        // Create the peer on its thread (through a context object living there).
        QObject context;
        context.moveToThread(&thread);
        QMetaObject::invokeMethod(
            &context,
            [this] { peer = new RawPeer(); },
            Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            &context,
            [&context] { context.moveToThread(nullptr); },
            Qt::BlockingQueuedConnection);
        QObject::connect(&client, &QWebSocket::binaryMessageReceived, [this](const QByteArray& m) {
            received += m.size();
            ++messages;
            if (onMessage)
                onMessage(m);
        });
        bool connected = false;
        QObject::connect(&client, &QWebSocket::connected, [&connected] { connected = true; });
        client.open(QUrl(u"ws://127.0.0.1:%1"_s.arg(peer->port())));
        spin([&] { return connected; });
    }
    ~RawLink()
    {
        client.close();
        QMetaObject::invokeMethod(
            peer,
            [p = peer] { delete p; },
            Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }

    /// Seconds for the peer to deliver `repeat` copies of `message`.
    double deliver(const QByteArray& message, int repeat)
    {
        QMetaObject::invokeMethod(
            peer,
            [this, message, repeat] { peer->prepare(message, repeat); },
            Qt::BlockingQueuedConnection);
        messages = 0;
        QElapsedTimer timer;
        timer.start();
        client.sendBinaryMessage("go");
        client.flush();
        spin([&] { return messages >= repeat; });
        return static_cast<double>(timer.nsecsElapsed()) / 1e9;
    }
};

std::vector<Channel> createChannels(Connection& connection, const QString& prefix, int dataChannels)
{
    Channel index;
    index.name = prefix + u"_time"_s;
    index.dataType = DataType::Timestamp;
    index.isIndex = true;
    std::vector<Channel> channels = connection.createChannels({ index }).value();
    std::vector<Channel> data;
    for (int i = 0; i < dataChannels; ++i) {
        Channel channel;
        channel.name = prefix + u"_v"_s + QString::number(i);
        channel.dataType = DataType::Float64;
        channel.index = channels[0].key;
        data.push_back(channel);
    }
    const std::vector<Channel> created = connection.createChannels(data).value();
    channels.insert(channels.end(), created.begin(), created.end());
    return channels;
}

std::vector<ChannelRef> refsOf(const std::vector<Channel>& channels)
{
    std::vector<ChannelRef> refs;
    for (const Channel& channel : channels)
        refs.push_back(channel.key);
    return refs;
}

Frame makeFrame(const std::vector<Channel>& channels, std::int64_t firstNs, int samples)
{
    std::vector<TimeStamp> stamps;
    std::vector<double> values;
    for (int i = 0; i < samples; ++i) {
        stamps.push_back(TimeStamp(firstNs + i * 1000));
        values.push_back(i * 0.25);
    }
    Frame frame;
    frame.add(channels[0].key, Series::fromTimeStamps(stamps));
    for (std::size_t c = 1; c < channels.size(); ++c)
        frame.add(channels[c].key, Series::fromValues<double>(values));
    return frame;
}

QByteArray encodedLikeTheStreamer(const std::vector<Channel>& channels, const Frame& frame)
{
    codec::FrameCodec codec;
    std::vector<codec::KeyType> keys;
    for (const Channel& channel : channels)
        keys.push_back({ channel.key, channel.dataType });
    codec.update(keys);
    return codec.encode(frame, { .allowAllChannelsPresent = false, .withPrefix = true }).value();
}

void benchStreamer(const std::shared_ptr<Connection>& connection,
    RawLink& raw,
    int dataChannels,
    int samplesPerFrame,
    int frames)
{
    const std::string name = "streamer.x" + std::to_string(dataChannels);
    const auto channels = createChannels(*connection,
        QString::fromStdString("s" + std::to_string(dataChannels)),
        dataChannels);
    auto streamer = Streamer::open(connection, { .channels = refsOf(channels) }).value();
    int reconnects = 0;
    QObject::connect(
        streamer.get(),
        &Streamer::stateChanged,
        streamer.get(),
        [&reconnects](StreamerState state, const QString&) {
            reconnects += state == StreamerState::Reconnecting;
        },
        Qt::DirectConnection);
    auto writer = Writer::open(*connection,
        { .start = TimeStamp(1), .channels = refsOf(channels), .mode = WriterMode::Stream })
                      .value();
    const std::size_t expected
        = std::size_t(frames) * std::size_t(samplesPerFrame) * std::size_t(dataChannels);
    QElapsedTimer timer;
    timer.start();
    std::size_t received = 0;
    const std::size_t perFrame = std::size_t(samplesPerFrame) * std::size_t(dataChannels);
    const auto take = [&](const Frame& frame) {
        for (std::size_t c = 1; c < channels.size(); ++c)
            received += frame.contains(channels[c].key)
                ? frame.concatenated(channels[c].key)->size()
                : 0;
    };
    // A producer that never lets the reader fall more than 8 frames behind: the sustained
    // rate, not how fast the cluster's per-consumer backlog (64 MiB) fills and drops a reader.
    constexpr std::size_t InFlight = 8;
    for (int f = 0; f < frames; ++f) {
        (void)writer->write(makeFrame(channels,
            1'000'000 + std::int64_t(f) * samplesPerFrame * 1000,
            samplesPerFrame));
        while ((std::size_t(f) + 1) * perFrame > received + InFlight * perFrame) {
            auto frame = streamer->read(TimeSpan::seconds(10));
            if (!frame || !*frame)
                break;
            take(**frame);
        }
    }
    while (received < expected) {
        auto frame = streamer->read(TimeSpan::seconds(10));
        if (!frame || !*frame)
            break;
        take(**frame);
    }
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    const double samplesPerSecond = static_cast<double>(received) / seconds;
    (void)writer->close();
    streamer->close();

    const QByteArray message
        = encodedLikeTheStreamer(channels, makeFrame(channels, 1'000'000, samplesPerFrame));
    const double rawSeconds = raw.deliver(message, frames);
    const double rawSamplesPerSecond = static_cast<double>(expected) / rawSeconds;
    report(name + ".samples_per_s", samplesPerSecond, "samples/s");
    report(name + ".raw_websocket_samples_per_s", rawSamplesPerSecond, "samples/s");
    report(name + ".vs_raw", samplesPerSecond / rawSamplesPerSecond, "x");
    report(name + ".received_fraction",
        static_cast<double>(received) / static_cast<double>(expected),
        "x");
    report(name + ".reconnects", reconnects, "count");
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[at];
}

void benchLatency(const std::shared_ptr<Connection>& connection, RawLink& raw, int rounds)
{
    const auto channels = createChannels(*connection, u"lat"_s, 1);
    auto streamer = Streamer::open(connection, { .channels = refsOf(channels) }).value();
    auto writer = Writer::open(*connection,
        { .start = TimeStamp(1), .channels = refsOf(channels), .mode = WriterMode::Stream })
                      .value();
    std::vector<double> micros;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer timer;
        timer.start();
        (void)writer->write(makeFrame(channels, 1'000'000 + std::int64_t(i) * 1000, 1));
        auto frame = streamer->read(TimeSpan::seconds(5));
        if (!frame || !*frame)
            break;
        micros.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e3);
    }
    (void)writer->close();
    streamer->close();

    const QByteArray message = encodedLikeTheStreamer(channels, makeFrame(channels, 1'000'000, 1));
    std::vector<double> rawMicros;
    for (int i = 0; i < rounds; ++i) {
        const int before = raw.messages;
        QElapsedTimer timer;
        timer.start();
        raw.client.sendBinaryMessage(message);
        raw.client.flush();
        spin([&] { return raw.messages > before; });
        rawMicros.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e3);
    }
    report("latency.write_to_read.p50", percentile(micros, 0.5), "us");
    report("latency.write_to_read.p99", percentile(micros, 0.99), "us");
    report("latency.raw_websocket_echo.p50", percentile(rawMicros, 0.5), "us");
    report("latency.raw_websocket_echo.p99", percentile(rawMicros, 0.99), "us");
}

void benchIterator(Connection& connection, RawLink& raw, int samples)
{
    const auto channels = createChannels(connection, u"scan"_s, 1);
    {
        auto writer = Writer::open(connection,
            { .start = TimeStamp(1), .channels = refsOf(channels), .mode = WriterMode::Persist })
                          .value();
        const int batch = 10'000;
        for (int first = 0; first < samples; first += batch)
            (void)writer->write(makeFrame(channels, 1'000'000 + std::int64_t(first) * 1000, batch));
        (void)writer->commit();
        (void)writer->close();
    }
    QElapsedTimer timer;
    timer.start();
    const Frame all = read(connection, TimeRange::max(), refsOf(channels)).value();
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    const std::size_t got = all.concatenated(channels[1].key)->size();
    const double samplesPerSecond = static_cast<double>(got) / seconds;

    // The ceiling: the same bytes in chunks of the default 100 k samples per channel.
    const int chunk = std::min(samples, 100'000);
    const QByteArray message
        = encodedLikeTheStreamer(channels, makeFrame(channels, 1'000'000, chunk));
    const double rawSeconds = raw.deliver(message, samples / chunk);
    const double rawSamplesPerSecond = static_cast<double>(samples) / rawSeconds;
    report("iterator.full_scan.samples_per_s", samplesPerSecond, "samples/s");
    report("iterator.raw_websocket_samples_per_s", rawSamplesPerSecond, "samples/s");
    report("iterator.full_scan.vs_raw", samplesPerSecond / rawSamplesPerSecond, "x");
    report("iterator.read_fraction", static_cast<double>(got) / samples, "x");
}

/// Runs the event loop until `done()` or `timeoutMs`; returns done().
template <typename Done> bool waitUntil(Done done, qint64 timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
    return done();
}

void benchRestart(int restarts, int maxOutageMs)
{
    QTemporaryDir dir;
    server::EmbeddedCluster cluster;
    server::ClusterConfig config;
    config.dataDir = dir.path();
    config.simulator->tick = TimeSpan::milliseconds(10);
    if (!cluster.start(config))
        return;
    config.port = cluster.port(); // chosen once, kept across restarts
    ConnectionConfig connectionConfig;
    connectionConfig.port = cluster.port();
    auto connection = std::make_shared<Connection>(connectionConfig);
    const auto channels
        = connection->retrieveChannels(QStringList { u"stand_time_fast"_s, u"stand_pt_chamber"_s });
    if (!channels)
        return;
    auto streamer = Streamer::open(connection, { .channels = refsOf(*channels) }).value();
    std::mt19937 random(18); // the same outages in every run
    std::uniform_int_distribution<int> outageMs(500, maxOutageMs);
    std::vector<double> seconds;
    for (int i = 0; i < restarts; ++i) {
        cluster.stop();
        if (!waitUntil([&] { return streamer->state() == StreamerState::Reconnecting; }, 5000))
            break;
        (void)streamer->takeAll(); // what arrived before the outage
        QThread::msleep(static_cast<unsigned long>(outageMs(random)));
        if (!cluster.start(config))
            break;
        QElapsedTimer sinceListening;
        sinceListening.start();
        auto frame = streamer->read(TimeSpan::seconds(30));
        if (!frame || !*frame)
            break;
        seconds.push_back(static_cast<double>(sinceListening.nsecsElapsed()) / 1e9);
    }
    streamer->close();
    cluster.stop();
    if (seconds.empty())
        return;
    report("client.restart_to_streaming.p50", percentile(seconds, 0.5), "s");
    report("client.restart_to_streaming.p90", percentile(seconds, 0.9), "s");
    report("client.restart_to_streaming.max", percentile(seconds, 1.0), "s");
    report("client.restart_to_streaming.restarts", static_cast<double>(seconds.size()), "count");
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    QTemporaryDir dir;
    sightline::core::server::EmbeddedCluster cluster;
    sightline::core::server::ClusterConfig config;
    config.dataDir = dir.path();
    config.simulator.reset();
    if (auto started = cluster.start(config); !started) {
        std::fprintf(stderr,
            "cannot start the cluster: %s\n",
            qPrintable(started.error().toString()));
        return 1;
    }
    ConnectionConfig connectionConfig;
    connectionConfig.port = cluster.port();
    auto connection = std::make_shared<Connection>(connectionConfig);
    RawLink raw;

    // --only streamer|latency|iterator runs one part (for profiling).
    const qsizetype only = app.arguments().indexOf(u"--only"_s);
    const QString part = only >= 0 ? app.arguments().value(only + 1) : QString();
    const auto runs = [&](const QString& name) { return part.isEmpty() || part == name; };
    if (runs(u"streamer"_s)) {
        benchStreamer(connection, raw, 1, quick ? 1000 : 10'000, quick ? 20 : 200);
        benchStreamer(connection, raw, 64, quick ? 100 : 1000, quick ? 20 : 200);
    }
    if (runs(u"latency"_s))
        benchLatency(connection, raw, quick ? 50 : 1000);
    if (runs(u"iterator"_s))
        benchIterator(*connection, raw, quick ? 100'000 : 10'000'000);
    // --restarts N --max-outage-ms M: the stress run (50 restarts in CI).
    const auto intArgument = [&](const QString& name, int fallback) {
        const qsizetype at = app.arguments().indexOf(name);
        bool ok = false;
        const int value = at >= 0 ? app.arguments().value(at + 1).toInt(&ok) : 0;
        return ok && value > 0 ? value : fallback;
    };
    if (runs(u"restart"_s))
        benchRestart(intArgument(u"--restarts"_s, quick ? 3 : 20),
            intArgument(u"--max-outage-ms"_s, quick ? 1000 : 5000));
    cluster.stop();
    return 0;
}
