#include "core/server/http_scanner.h"

#include <QList>

namespace sightline::core::server {

namespace {

    using Event = HttpScanner::Event;

    Event refuse(int status, QByteArray reason)
    {
        return Event { Event::Kind::Refuse, status, std::move(reason) };
    }

    /// A character of an HTTP token (a method name).
    bool isTokenChar(char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
    }

    /// Whether `line` (the request line so far, `c` its newest character) can still become
    /// `METHOD SP target SP HTTP/1.x`: so garbage, a TLS hello on the plain port or a binary
    /// protocol is answered at once, not after the header timeout.
    bool canBeRequestLine(const QByteArray& line, char c)
    {
        constexpr qsizetype MaxMethod = 32;
        const qsizetype firstSpace = line.indexOf(' ');
        if (firstSpace < 0)
            return isTokenChar(c) && line.size() <= MaxMethod;
        if (firstSpace == 0)
            return false;
        return c == ' ' || c == '\r' || (c > ' ' && c < 0x7f);
    }

} // namespace

namespace {
    /// `METHOD SP target SP HTTP/1.x`, with its line end.
    bool isRequestLine(const QByteArray& line)
    {
        const QList<QByteArray> parts = line.trimmed().split(' ');
        return parts.size() == 3 && parts[2].startsWith("HTTP/1.");
    }
} // namespace

HttpScanner::Event HttpScanner::feed(const char* bytes, qint64 size, qint64& consumed)
{
    consumed = 0;
    while (consumed < size) {
        if (m_state == State::Upgraded)
            return {}; // WebSocket frames: not ours to follow
        if (m_state == State::Body) {
            const qint64 take = std::min(m_bodyLeft, size - consumed);
            consumed += take;
            m_bodyLeft -= take;
            if (m_bodyLeft == 0) {
                m_state = State::Headers;
                return Event { Event::Kind::Message, 0, {} };
            }
            continue;
        }
        const char c = bytes[consumed++];
        if (m_header.isEmpty() && (c == '\r' || c == '\n'))
            continue; // blank lines between messages are allowed
        m_header.append(c);
        if (m_header.size() > m_maxHeaderBytes)
            return refuse(431, "request headers too large");
        if (!m_requestLineEnded) {
            if (c == '\n') {
                m_requestLineEnded = true;
                if (!isRequestLine(m_header))
                    return refuse(400, "not an HTTP/1.1 request");
            } else if (!canBeRequestLine(m_header, c))
                return refuse(400, "not an HTTP/1.1 request");
        }
        if (m_header.endsWith("\r\n\r\n") || m_header.endsWith("\n\n"))
            return endOfHeaders();
    }
    return {};
}

HttpScanner::Event HttpScanner::endOfHeaders()
{
    const QList<QByteArray> lines = m_header.split('\n');
    m_header.clear();
    m_requestLineEnded = false;
    const QList<QByteArray> request = lines.value(0).trimmed().split(' ');
    m_target = request[1];
    m_contentLength = 0;
    m_hasBearer = false;
    m_bearer.clear();
    m_host.clear();
    m_origin.clear();
    bool upgrade = false;
    bool chunked = false;
    bool lengthSeen = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0 || (lengthSeen && length != m_contentLength))
                return refuse(400, "invalid Content-Length");
            m_contentLength = length;
            lengthSeen = true;
        } else if (name == "transfer-encoding") {
            chunked = value.toLower().contains("chunked");
        } else if (name == "upgrade") {
            upgrade = value.toLower() == "websocket";
        } else if (name == "host") {
            m_host = value;
        } else if (name == "origin") {
            m_origin = value;
        } else if (name == "authorization" && value.startsWith("Bearer ")) {
            m_hasBearer = true;
            m_bearer = value.mid(7).trimmed();
        }
    }
    if (chunked) // Synnax's clients send a length; a chunked body cannot be bounded up front
        return refuse(411, "send the body with a Content-Length, not chunked");
    if (upgrade) {
        m_state = State::Upgraded;
        return Event { Event::Kind::Upgrade, 0, {} };
    }
    m_bodyLeft = m_contentLength;
    m_state = m_bodyLeft > 0 ? State::Body : State::Headers;
    return Event { Event::Kind::Headers, 0, {} };
}

bool WebSocketFrameScanner::feed(const char* bytes, qint64 size)
{
    qint64 at = 0;
    while (at < size && !m_violated) {
        if (m_payloadLeft > 0) {
            const auto take = std::min<std::uint64_t>(m_payloadLeft, std::uint64_t(size - at));
            at += static_cast<qint64>(take);
            m_payloadLeft -= take;
            continue;
        }
        m_header[m_headerBytes++] = static_cast<unsigned char>(bytes[at++]);
        if (m_headerBytes < 2)
            continue;
        if ((m_header[1] & 0x80) == 0) {
            m_violated = true;
            break;
        }
        const int shortLength = m_header[1] & 0x7f;
        const int lengthBytes = shortLength == 127 ? 8 : shortLength == 126 ? 2 : 0;
        if (m_headerBytes < 2 + lengthBytes + 4)
            continue;
        std::uint64_t length = static_cast<std::uint64_t>(shortLength);
        if (lengthBytes > 0) {
            length = 0;
            for (int i = 0; i < lengthBytes; ++i)
                length = (length << 8) | m_header[2 + i];
        }
        m_payloadLeft = length;
        m_headerBytes = 0;
    }
    return !m_violated;
}

} // namespace sightline::core::server
