#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/telem/frame.h"

#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace sightline::core::client {

class FramerStream;

enum class StreamerState {
    Connecting, ///< opening for the first time
    Connected, ///< frames flow
    Reconnecting, ///< the connection was lost; retrying with backoff
    Failed, ///< gave up (a permanent error); reported once
    Closed, ///< close() was called
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
    /// First reconnect delay (doubled per failed attempt, ±20 % jitter) and its cap.
    TimeSpan reconnectBase = TimeSpan::seconds(1);
    TimeSpan reconnectCap = TimeSpan::seconds(15);
    /// Frames held for a reader that does not keep up; beyond this the oldest are dropped
    /// (and counted) so a stalled reader cannot exhaust memory.
    std::size_t maxQueuedBytes = 256u * 1024 * 1024;
};

/// The live path: a background stream of the frames written to a set of channels (protocol
/// §5). Each frame read holds only the channels that changed, with series of any length.
/// The channel set changes with one update request, never by reconnecting. When the
/// connection drops, the streamer reconnects on its own (jittered, capped backoff) with its
/// current channels and reports its state.
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
    /// Every frame queued now, without blocking.
    [[nodiscard]] std::vector<Frame> takeAll();

    /// Replaces the channel set (resolved first: `sy.query.not_found` leaves it unchanged).
    [[nodiscard]] Result<void> setChannels(std::vector<ChannelRef> channels);
    /// Stops the worker and closes the stream. Safe to call twice; the destructor calls it.
    void close();

    [[nodiscard]] StreamerState state() const;
    [[nodiscard]] std::vector<Channel> channels() const;
    [[nodiscard]] std::uint64_t droppedFrames() const;

Q_SIGNALS:
    /// Frames were queued (emitted once per batch that arrives while the queue was empty).
    void framesAvailable();
    void stateChanged(sightline::core::client::StreamerState state, const QString& detail);

private:
    Streamer(std::shared_ptr<Connection> connection,
        StreamerConfig config,
        std::vector<Channel> channels);
    void run();
    /// One connection's life: open, stream until lost or stopped. Returns why it ended.
    [[nodiscard]] Error streamOnce(bool& everConnected);
    [[nodiscard]] QJsonObject request(const std::vector<Channel>& channels) const;
    void enqueue(Frame frame);
    void setState(StreamerState state, const QString& detail = {});
    [[nodiscard]] bool stopping() const;
    [[nodiscard]] bool sleepUnlessStopped(TimeSpan span);

    std::shared_ptr<Connection> m_connection;
    const StreamerConfig m_config;
    QThread* m_thread = nullptr;

    mutable QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<Frame> m_frames;
    std::size_t m_queuedBytes = 0;
    std::uint64_t m_dropped = 0;
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
