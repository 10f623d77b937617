#pragma once

#include "core/client/tls_trust.h"
#include "core/codec/envelope.h"
#include "core/codec/frame_codec.h"
#include "core/error.h"
#include "core/telem/frame.h"
#include "core/telem/time.h"

#include <QJsonObject>
#include <QObject>
#include <QQueue>

#include <atomic>
#include <memory>
#include <optional>

class QWebSocket;

namespace sightline::core::client {

class Connection;

/// One message from a framer stream: a JSON envelope (0xFE) or a binary frame (0xFF).
struct StreamMessage
{
    /// Set for a binary frame message.
    std::optional<Frame> frame;
    /// Set for a JSON message (a `data` envelope; `close` is reported as an error instead).
    QJsonObject payload;
};

/// A WebSocket stream of content type `application/vnd.synnax.frame` (protocol §1.5–§1.6),
/// used synchronously by the thread that opened it: requests go out as (optionally
/// prefixed) JSON or 0xFF binary frames; messages come back decoded through the stream's
/// frame codec. A close envelope from the cluster is returned as its error (`freighter.eof`
/// for a normal end); a socket that drops without one reads as EOF on code 1000 and
/// `freighter.stream_closed` otherwise; a second `open` envelope ends it with
/// `sightline.protocol`. A message whose bytes are malformed gives a `sy.validation` /
/// `sightline.decode` error, never a crash, and leaves the stream open (see ended()).
///
/// Threads: everything but wake() on the opening thread (which needs no running event loop;
/// waits run a local one).
class FramerStream : public QObject
{
    Q_OBJECT

public:
    /// Connects to `target` (e.g. `frame/stream`), authenticates with the connection's token
    /// (logging in again once on an expired or invalid token) and waits for `open`.
    [[nodiscard]] static Result<std::unique_ptr<FramerStream>> open(
        Connection& connection, QStringView target, TimeSpan timeout = TimeSpan::seconds(10));
    ~FramerStream() override;

    /// Sends a `data` envelope; writers prefix theirs with 0xFE (`prefixed`).
    [[nodiscard]] Result<void> sendRequest(const QJsonObject& payload, bool prefixed = false);
    /// Sends 0xFF + `frame` encoded under the codec's current key set.
    [[nodiscard]] Result<void> sendFrame(const Frame& frame);
    /// Sends `{"type":"close"}` (idempotent).
    void closeSend(bool prefixed = false);

    /// The next message; nullopt when `timeout` passes or wake() is called first. An error
    /// when the stream ended (EOF or the cluster's error) or a message does not decode.
    [[nodiscard]] Result<std::optional<StreamMessage>> receive(TimeSpan timeout);
    /// True once the stream has ended. After an error from receive() while this is false,
    /// only that message was bad: the next receive() reads the one after it.
    [[nodiscard]] bool ended() const { return m_ended.has_value(); }
    /// True when a message is already queued (processes pending socket events first).
    [[nodiscard]] bool hasQueued();
    /// Makes a waiting receive() return nullopt now. Any thread.
    void wake();

    [[nodiscard]] codec::FrameCodec& codec() { return m_codec; }

private:
    FramerStream();
    /// Opens the WebSocket; over wss it trusts what `trust` does.
    [[nodiscard]] Result<void> connectSocket(
        const QUrl& url, const Result<TlsTrust>& trust, TimeSpan timeout);
    [[nodiscard]] Result<StreamMessage> decode(const QByteArray& raw);
    [[nodiscard]] Error endedError() const;

    std::unique_ptr<QWebSocket> m_socket;
    QQueue<QByteArray> m_inbox;
    codec::FrameCodec m_codec;
    std::optional<Error> m_ended;
    bool m_disconnected = false;
    bool m_opened = false;
    bool m_closeSent = false;
    std::atomic<bool> m_woken { false };
};

} // namespace sightline::core::client
