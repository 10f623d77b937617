#pragma once

#include <QByteArray>

#include <cstdint>

namespace sightline::core::server {

/// Follows the HTTP/1.1 messages on one connection as bytes arrive, without keeping them:
/// where each header block ends, what it says about the body (Content-Length, chunked, a
/// WebSocket upgrade, whether it carries a bearer token, its Host and Origin) and where the
/// body ends. The connection guard uses it to refuse what is too big, too slow or malformed
/// before Qt reads it.
class HttpScanner
{
public:
    /// What feeding bytes found; `Refuse` carries an HTTP status and why.
    struct Event
    {
        enum class Kind {
            None, ///< nothing new: mid header or mid body
            Headers, ///< a header block ended (see the fields below)
            Message, ///< a whole message (headers and body) has arrived
            Upgrade, ///< a WebSocket upgrade: the rest is not HTTP
            Refuse, ///< malformed or over a limit
        };
        Kind kind = Kind::None;
        int status = 0;
        QByteArray reason;
    };

    explicit HttpScanner(qint64 maxHeaderBytes)
        : m_maxHeaderBytes(maxHeaderBytes)
    {
    }

    /// Consumes `bytes` up to the first event (a later message's bytes stay for the next
    /// call: `consumed` says how many were used).
    [[nodiscard]] Event feed(const char* bytes, qint64 size, qint64& consumed);

    /// Of the last header block.
    [[nodiscard]] qint64 contentLength() const { return m_contentLength; }
    [[nodiscard]] bool hasBearerToken() const { return m_hasBearer; }
    [[nodiscard]] const QByteArray& bearerToken() const { return m_bearer; }
    [[nodiscard]] const QByteArray& target() const { return m_target; }
    /// The Host and Origin headers of the last header block (empty when absent).
    [[nodiscard]] const QByteArray& host() const { return m_host; }
    [[nodiscard]] const QByteArray& origin() const { return m_origin; }
    /// Between messages (nothing of the next one has arrived).
    [[nodiscard]] bool idle() const { return m_state == State::Headers && m_header.isEmpty(); }
    [[nodiscard]] bool inBody() const { return m_state == State::Body; }

private:
    enum class State { Headers, Body, Upgraded };
    [[nodiscard]] Event endOfHeaders();

    qint64 m_maxHeaderBytes;
    State m_state = State::Headers;
    QByteArray m_header;
    /// The header block in progress is past its request line.
    bool m_requestLineEnded = false;
    qint64 m_contentLength = 0;
    qint64 m_bodyLeft = 0;
    bool m_hasBearer = false;
    QByteArray m_bearer;
    QByteArray m_target;
    QByteArray m_host;
    QByteArray m_origin;
};

/// Follows the WebSocket frames a client sends (RFC 6455 §5.2) as bytes arrive, without
/// keeping them, and finds the first frame that breaks the rule every client frame is masked.
class WebSocketFrameScanner
{
public:
    /// Consumes `size` bytes; false once an unmasked frame has been seen.
    [[nodiscard]] bool feed(const char* bytes, qint64 size);

private:
    /// The frame header in progress (at most 2 + 8 + 4 bytes).
    unsigned char m_header[14] {};
    int m_headerBytes = 0;
    std::uint64_t m_payloadLeft = 0;
    bool m_violated = false;
};

} // namespace sightline::core::server
