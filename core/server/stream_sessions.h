#pragma once

#include "core/codec/frame_codec.h"
#include "core/error.h"
#include "core/server/framer/frame_iterator.h"
#include "core/server/framer/framer.h"
#include "core/server/framer/relay.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include <deque>
#include <memory>
#include <optional>

namespace sightline::core::server {

/// How a stream's messages are encoded: `application/vnd.synnax.frame` (prefix bytes, binary
/// frames; what Synnax's clients use) or `application/json` (plain envelopes, JSON frames).
enum class StreamEncoding { Framer, Json };

class BacklogBudget;

/// What every stream of a cluster shares, and the limits each one lives under.
struct StreamContext
{
    Framer& framer;
    /// The live streams' frames waiting for their clients, all together.
    BacklogBudget& liveBacklog;
    /// What one stream may have waiting before it is dropped.
    qint64 maxBacklogBytes;
    /// Nothing heard from the client (not even a pong) this long ends the stream.
    TimeSpan idle;
};

/// One WebSocket stream after its upgrade and authentication (protocol §1.5): sends `open`,
/// turns client messages into requests, ends with a close envelope and WS close 1000.
/// Ends by itself when its token expires, if it has one to end with (`sy.auth.expired_token`:
/// Synnax clients log in again and reopen), when the client falls too far behind, and when the
/// client goes silent (it is pinged when quiet; any message or pong counts). Owns its socket and
/// deletes itself when the socket disconnects. Cluster thread only.
class StreamSession : public QObject
{
    Q_OBJECT

public:
    /// Messages larger than this are refused (the socket closes with code 1009).
    static constexpr quint64 MaxIncomingMessageBytes = 256ull * 1024 * 1024;
    /// After the close, how long the client has to read it before the socket is cut.
    static constexpr int CloseGraceMs = 5000;

    StreamSession(std::unique_ptr<QWebSocket> socket,
        StreamEncoding encoding,
        const StreamContext& context,
        std::optional<TimeStamp> tokenExpires);
    ~StreamSession() override;

    /// Sends `open` and starts reading requests.
    void start();
    /// Sends a close envelope carrying `error` (EOF when none) and closes with code 1000.
    void finish(std::optional<Error> error = std::nullopt);

protected:
    /// A `data` envelope's payload from the client.
    virtual void handleRequest(const QJsonObject& payload) = 0;
    /// A binary (0xFF) frame from the client; only writers accept them.
    virtual void handleBinaryFrame(QByteArrayView bytes);
    /// The client sent `{"type":"close"}`.
    virtual void handleClientClose() { finish(); }

    void sendData(const QJsonObject& payload);
    /// Sends a frame: 0xFF + binary under the framer encoding, else `payload` + "frame".
    void sendFrame(const Frame& frame, QJsonObject payload);
    [[nodiscard]] bool finished() const { return m_finished; }
    [[nodiscard]] codec::FrameCodec& codec() { return m_codec; }
    [[nodiscard]] StreamEncoding encoding() const { return m_encoding; }
    [[nodiscard]] Framer& framer() { return m_context.framer; }
    /// Registers `keys` (with their data types) as the codec's next key set.
    void updateCodec(const std::vector<Channel>& channels);
    /// Bytes handed to the socket and not yet written to the network.
    [[nodiscard]] qint64 bufferedBytes() const;
    /// The socket wrote some of what was buffered; a session streaming a large reply
    /// sends more here.
    virtual void handleWritten() { }
    /// Counts this stream's waiting frames in the live streams' budget (streams that push
    /// frames unasked; the others bound what they send by what the client asks).
    void chargeLiveBacklog() { m_chargesLiveBacklog = true; }

private:
    void handleMessage(const QByteArray& message);
    void send(const QByteArray& bytes);
    /// Cuts the connection of a client that cannot keep up.
    void drop();
    /// Marks the stream finished and stops its liveness and token timers.
    void stopTimers();
    /// Tells the live budget what this stream has waiting; drops whichever is furthest behind.
    void updateBacklog();
    void checkLiveness();

    std::unique_ptr<QWebSocket> m_socket;
    StreamEncoding m_encoding;
    const StreamContext& m_context;
    codec::FrameCodec m_codec;
    QByteArray m_encodeBuffer;
    QTimer m_tokenExpiry;
    QTimer m_liveness;
    QElapsedTimer m_sinceHeard;
    bool m_chargesLiveBacklog = false;
    bool m_finished = false;
};

/// `/frame/stream`: relays written frames of the requested channels (protocol §5), with
/// downsampling, throttling, excluded writer groups and silent key-set updates.
class StreamerSession final : public StreamSession, public RelaySubscriber
{
    Q_OBJECT

public:
    StreamerSession(std::unique_ptr<QWebSocket> socket,
        StreamEncoding encoding,
        const StreamContext& context,
        std::optional<TimeStamp> tokenExpires);
    ~StreamerSession() override;

    void deliver(const Frame& frame) override;

protected:
    void handleRequest(const QJsonObject& payload) override;
    void handleClientClose() override;

private:
    void flushThrottled();

    bool m_subscribed = false;
    std::size_t m_downsample = 1;
    QTimer m_throttle;
    Frame m_pending;
};

/// `/frame/iterate`: Synnax's iterator commands over stored samples (protocol §6). A reply
/// of any size is streamed: split into messages of at most MaxReplyMessageBytes and sent
/// while less than SendWindowBytes wait in the socket, the rest as the socket drains.
/// Requests arriving meanwhile wait for the reply to finish, so replies never interleave.
class IteratorSession final : public StreamSession
{
    Q_OBJECT

public:
    using StreamSession::StreamSession;

    /// Sample bytes per data message (a frame larger than this is split).
    static constexpr std::size_t MaxReplyMessageBytes = 4u * 1024 * 1024;
    /// Bytes a reply may have waiting in the socket before it waits for the network.
    static constexpr qint64 SendWindowBytes = 16ll * 1024 * 1024;

protected:
    void handleRequest(const QJsonObject& payload) override;
    void handleWritten() override;

private:
    void open(const QJsonObject& payload);
    /// An iterator over the cluster's read pool when it has one, else over its store.
    [[nodiscard]] Result<std::unique_ptr<FrameIterator>> openIterator(IteratorConfig config);
    /// Runs one command (on whichever thread reads the store).
    [[nodiscard]] static Result<IteratorStep> run(
        FrameIterator& iterator, bool errored, int command, const QJsonObject& payload);
    /// Sends a command's result: its data, then its ack (or the error's).
    void deliver(int command, Result<IteratorStep> step);
    void acknowledge(int command, bool ok, const std::optional<Error>& error = std::nullopt);
    /// Sends what the window allows of the reply in progress; then the queued requests.
    void sendReply();

    /// Shared with the read in progress, which may outlive this session.
    std::shared_ptr<FrameIterator> m_iterator;
    /// A command is being run on the read pool.
    bool m_reading = false;
    std::optional<Error> m_error;
    /// The reply being sent: data frames still to send, then the ack.
    struct Reply
    {
        int command = 0;
        bool ok = false;
        std::deque<Frame> frames;
    };
    std::optional<Reply> m_reply;
    std::deque<QJsonObject> m_waitingRequests;
};

/// `/frame/write`: Synnax's writer commands (protocol §7).
class WriterSession final : public StreamSession
{
    Q_OBJECT

public:
    using StreamSession::StreamSession;

protected:
    void handleRequest(const QJsonObject& payload) override;
    void handleBinaryFrame(QByteArrayView bytes) override;
    void handleClientClose() override;

private:
    void open(const QJsonObject& config);
    void write(const Result<Frame>& frame);
    void respond(int command, TimeStamp end, const std::optional<Error>& error);

    std::unique_ptr<FrameWriter> m_writer;
    /// The first failed write; later writes are ignored until the writer closes.
    std::optional<Error> m_writeError;
};

} // namespace sightline::core::server
