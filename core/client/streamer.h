#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/telem/frame.h"

#include <QObject>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QElapsedTimer;
class QThread;

namespace sightline::core::client {

class FramerStream;

namespace detail {
    class ReconnectSchedule;
} // namespace detail

enum class StreamerState {
    Connecting, ///< opening for the first time
    Connected, ///< frames flow
    Reconnecting, ///< the connection was lost; probing the cluster and re-opening
    Failed, ///< gave up (an authentication or not-found error); reported once
    Closed, ///< close() was called
};

/// How the streamer gets back to a cluster that went away (retry policy as data). While the
/// cluster does not answer, a bare TCP connect probes it: a refused connect costs the cluster
/// nothing, so probes come often. Only when a probe connects is the stream re-opened (the
/// WebSocket upgrade, authentication, the request), and only that backs off when it fails.
struct ReconnectPolicy
{
    /// Pause between probes during the first `fastProbeWindow` of an outage (±20 % jitter).
    TimeSpan probeInterval = TimeSpan::milliseconds(100);
    TimeSpan fastProbeWindow = TimeSpan::seconds(60);
    /// After the window each pause grows by `probeGrowth`, up to `probeIntervalCap`.
    double probeGrowth = 1.2;
    TimeSpan probeIntervalCap = TimeSpan::seconds(5);
    /// Longest wait for one probe to connect.
    TimeSpan probeTimeout = TimeSpan::seconds(1);
    /// Pause before the next re-open after one failed (the cluster listened but refused or
    /// broke the stream), doubled per further failure (±20 % jitter), and its cap.
    TimeSpan reopenBase = TimeSpan::milliseconds(250);
    TimeSpan reopenCap = TimeSpan::seconds(15);
    /// A stream that stayed open this long forgets earlier failed re-opens; if it was then
    /// merely lost (EOF, closed, unreachable) rather than broken, it re-opens without a pause.
    TimeSpan stableAfter = TimeSpan::seconds(1);
};

/// Messages from the cluster that did not decode and were skipped instead of ending the
/// stream (the official client ignores frames under an unknown sequence number the same way).
struct SkippedFrames
{
    /// Since the streamer opened, across reconnects.
    std::uint64_t count = 0;
    /// Why the latest was skipped: `sy.validation` from the frame codec (unknown sequence
    /// number or key, truncated or contradictory bytes) or `sightline.decode` (not a JSON
    /// envelope). Empty before the first.
    Error lastReason {};
};

struct StreamerConfig
{
    std::vector<ChannelRef> channels {};
    /// Keep every n-th sample (Synnax's downsample factor); 1 keeps all.
    std::int64_t downsampleFactor = 1;
    /// Frames per second the cluster merges writes into; 0 sends every write.
    double throttleRate = 0;
    /// Writer groups whose frames are not wanted (group 0 is never excluded).
    std::vector<std::uint32_t> excludeGroups {};
    /// How to get back to a cluster that went away.
    ReconnectPolicy reconnect {};
    /// Messages in a row that do not decode before the stream counts as broken (the two
    /// sides' codec states have likely diverged) and is re-opened.
    std::uint32_t maxUndecodableInARow = 64;
    /// Frames held for a reader that does not keep up; beyond this the oldest are dropped
    /// (and counted) so a stalled reader cannot exhaust memory.
    std::size_t maxQueuedBytes = 256u * 1024 * 1024;
};

/// The live path: a background stream of the frames written to a set of channels (protocol
/// §5). Each frame read holds only the channels that changed, with series of any length.
/// The channel set changes with one update request, never by reconnecting. A message that
/// does not decode is skipped and counted. When the connection drops or the cluster breaks
/// the protocol, the streamer reconnects on its own (ReconnectPolicy) with its current
/// channels and reports its state; only an authentication or not-found error stops it.
///
/// Threads: runs a worker QThread with its own WebSocket. Every public method may be called
/// from any thread; signals are emitted from the worker (queued to receivers elsewhere).
class Streamer : public QObject
{
    Q_OBJECT

public:
    /// Resolves and checks the channels (`sy.query.not_found` if one is missing; nothing is
    /// opened then), starts the worker and waits until the stream is open (or fails).
    [[nodiscard]] static Result<std::unique_ptr<Streamer>> open(
        std::shared_ptr<Connection> connection, StreamerConfig config);
    ~Streamer() override;

    /// Blocks until a frame arrives; an error once the streamer is closed (`freighter.eof`)
    /// or has failed (its error).
    [[nodiscard]] Result<Frame> read();
    /// As read(), but gives up after `timeout` with nullopt.
    [[nodiscard]] Result<std::optional<Frame>> read(TimeSpan timeout);
    /// Every frame queued now, without blocking; with `arrivals`, also when each was decoded
    /// and queued (steady clock, ns since its epoch), for latency figures.
    [[nodiscard]] std::vector<Frame> takeAll(std::vector<std::int64_t>* arrivals = nullptr);

    /// Replaces the channel set (resolved first: `sy.query.not_found` leaves it unchanged).
    [[nodiscard]] Result<void> setChannels(std::vector<ChannelRef> channels);
    /// Stops the worker and closes the stream. Safe to call twice; the destructor calls it.
    void close();

    [[nodiscard]] StreamerState state() const;
    [[nodiscard]] std::vector<Channel> channels() const;
    [[nodiscard]] std::uint64_t droppedFrames() const;
    [[nodiscard]] SkippedFrames skippedFrames() const;

Q_SIGNALS:
    /// Frames were queued (emitted once per batch that arrives while the queue was empty).
    void framesAvailable();
    void stateChanged(sightline::core::client::StreamerState state, const QString& detail);

private:
    Streamer(std::shared_ptr<Connection> connection,
        StreamerConfig config,
        std::vector<Channel> channels);
    void run();
    /// One connection's life: open, stream until lost or stopped. Returns why it ended;
    /// `openSince` is started once the cluster acknowledged the stream.
    [[nodiscard]] Error streamOnce(QElapsedTimer& openSince);
    /// Opens the stream, subscribes to the current channels and waits for the acknowledgement.
    [[nodiscard]] Result<std::unique_ptr<FramerStream>> subscribe();
    /// Frames until the stream ends, breaks or the streamer stops.
    [[nodiscard]] Error pump(FramerStream& stream);
    /// Counts a message that did not decode; an error once too many came in a row.
    [[nodiscard]] std::optional<Error> skip(const Error& reason, std::uint32_t& inARow);
    /// Waits until a probe reaches the cluster (true) or the streamer stops (false); the
    /// re-open pause applies only when the cluster listened all along.
    [[nodiscard]] bool awaitCluster(detail::ReconnectSchedule& schedule);
    [[nodiscard]] bool clusterListens() const;
    /// Records a final error and reports it once.
    void giveUp(const Error& error);
    [[nodiscard]] QJsonObject request(const std::vector<Channel>& channels) const;
    void enqueue(Frame frame);
    void setState(StreamerState state, const QString& detail = {});
    [[nodiscard]] bool stopping() const;
    [[nodiscard]] bool sleepUnlessStopped(TimeSpan span);

    std::shared_ptr<Connection> m_connection;
    const StreamerConfig m_config;
    QThread* m_thread = nullptr;

    // std:: rather than Qt's, so ThreadSanitizer sees them (Qt's are futex-based and not
    // instrumented).
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    /// A decoded frame waiting to be read, and when it was queued (steady clock ns).
    struct Queued
    {
        Frame frame;
        std::int64_t arrivedNs = 0;
    };
    std::deque<Queued> m_frames;
    std::size_t m_queuedBytes = 0;
    std::uint64_t m_dropped = 0;
    SkippedFrames m_skipped;
    std::vector<Channel> m_channels;
    bool m_channelsChanged = false;
    bool m_stopping = false;
    bool m_opened = false;
    StreamerState m_state = StreamerState::Connecting;
    std::optional<Error> m_failure;
    FramerStream* m_stream = nullptr;
};

} // namespace sightline::core::client

Q_DECLARE_METATYPE(sightline::core::client::StreamerState)
Q_DECLARE_METATYPE(sightline::core::client::SkippedFrames)
