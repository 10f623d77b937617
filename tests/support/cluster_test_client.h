#pragma once

// Test-side helpers that talk to a cluster the way Synnax's clients do, byte by byte:
// unary JSON over HTTP and framer streams over a QWebSocket. Deliberately independent of
// the production client so the cluster is checked against the protocol, not against itself.

#include "core/codec/envelope.h"
#include "core/codec/frame_codec.h"
#include "core/codec/framer_message.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQueue>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <optional>

namespace sightline::test {

/// Runs the event loop until `done()` or `timeoutMs` passes; returns done().
template <typename Done> bool waitUntil(Done done, int timeoutMs = 5000)
{
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(timeoutMs);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(2);
    if (!done())
        loop.exec();
    return done();
}

/// Unary calls: POST JSON, 200 body or 400 error payload.
class UnaryCaller
{
public:
    explicit UnaryCaller(quint16 port)
        : m_port(port)
    {
    }

    struct Reply
    {
        int status = 0;
        QJsonObject body;
    };

    Reply post(const QString& target, const QJsonObject& body)
    {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/%2").arg(m_port).arg(target)));
        request.setRawHeader("Content-Type", "application/json");
        if (!m_token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
        QNetworkReply* reply = m_network.post(request, QJsonDocument(body).toJson());
        waitUntil([reply] { return reply->isFinished(); });
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return out;
    }

    QString login(const QString& user = QStringLiteral("synnax"),
        const QString& password = QStringLiteral("seldon"))
    {
        const Reply reply = post(QStringLiteral("auth/login"),
            QJsonObject { { QStringLiteral("username"), user },
                { QStringLiteral("password"), password } });
        m_token = reply.body.value(QStringLiteral("token")).toString();
        return m_token;
    }

    /// Creates channels from JSON records; returns the created records.
    QJsonArray createChannels(const QJsonArray& channels)
    {
        return post(QStringLiteral("channel/create"),
            QJsonObject { { QStringLiteral("channels"), channels } })
            .body.value(QStringLiteral("channels"))
            .toArray();
    }

    [[nodiscard]] const QString& token() const { return m_token; }
    /// Uses `token` for the calls from now on (as a client holding it would).
    void setToken(const QString& token) { m_token = token; }

private:
    quint16 m_port;
    QString m_token;
    QNetworkAccessManager m_network;
};

/// One WebSocket stream, with received messages queued for synchronous reading.
class StreamClient
{
public:
    struct Message
    {
        bool binaryFrame = false; ///< 0xFF prefix
        QByteArray body; ///< after the prefix (or the whole message without one)
        std::optional<core::codec::Envelope> envelope; ///< for JSON messages
    };

    /// Connects to `path` (e.g. "frame/stream"); `contentType` and `token` go in the
    /// freighterctx query parameters as the TypeScript client sends them.
    bool connect(quint16 port,
        const QString& path,
        const QString& token,
        const QString& contentType = QStringLiteral("application/vnd.synnax.frame"))
    {
        m_framer = contentType == QStringLiteral("application/vnd.synnax.frame");
        m_socket = std::make_unique<QWebSocket>();
        QObject::connect(m_socket.get(),
            &QWebSocket::binaryMessageReceived,
            m_socket.get(),
            [this](const QByteArray& m) { m_inbox.enqueue(m); });
        QObject::connect(m_socket.get(), &QWebSocket::connected, m_socket.get(), [this] {
            m_connected = true;
        });
        QObject::connect(m_socket.get(), &QWebSocket::disconnected, m_socket.get(), [this] {
            m_closed = true;
            m_closeCode = m_socket->closeCode();
        });
        const QString url = QStringLiteral("ws://127.0.0.1:%1/api/v1/%2?freighterctxContent-Type=%3"
                                           "&freighterctxAuthorization=Bearer%20%4")
                                .arg(port)
                                .arg(path, contentType, token);
        m_socket->open(QUrl(url));
        waitUntil([this] { return m_connected || m_closed; });
        return m_connected; // the handshake succeeded (the cluster may close right after)
    }

    /// The next message, or nullopt after `timeoutMs`.
    std::optional<Message> next(int timeoutMs = 5000)
    {
        if (!waitUntil([this] { return !m_inbox.isEmpty(); }, timeoutMs))
            return std::nullopt;
        const QByteArray raw = m_inbox.dequeue();
        Message message;
        QByteArrayView body = raw;
        if (m_framer && !raw.isEmpty()) {
            message.binaryFrame = static_cast<std::uint8_t>(raw.front()) == 0xFF;
            body = body.sliced(1);
        }
        message.body = body.toByteArray();
        if (!message.binaryFrame) {
            auto envelope = core::codec::decodeEnvelope(message.body);
            if (envelope)
                message.envelope = *envelope;
        }
        return message;
    }

    /// Sends a data envelope: raw JSON (streamer, iterator) or 0xFE-prefixed (writer).
    void sendRequest(const QJsonObject& payload, bool prefixed = false)
    {
        const auto envelope = core::codec::Envelope::data(payload);
        m_socket->sendBinaryMessage(prefixed ? core::codec::encodeJsonFramerMessage(envelope)
                                             : core::codec::encodeEnvelope(envelope));
    }
    void sendClose(bool prefixed = false)
    {
        const QByteArray close = R"({"type":"close"})";
        m_socket->sendBinaryMessage(prefixed ? QByteArray(1, char(0xFE)) + close : close);
    }
    void sendRaw(const QByteArray& bytes) { m_socket->sendBinaryMessage(bytes); }
    /// Sends `frame` as 0xFF + binary under this client's codec.
    bool sendFrame(const core::Frame& frame)
    {
        auto encoded
            = m_codec.encode(frame, { .allowAllChannelsPresent = false, .withPrefix = true });
        if (!encoded)
            return false;
        m_socket->sendBinaryMessage(*encoded);
        return true;
    }

    bool waitClosed(int timeoutMs = 5000)
    {
        return waitUntil([this] { return m_closed; }, timeoutMs);
    }

    [[nodiscard]] core::codec::FrameCodec& codec() { return m_codec; }
    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] int closeCode() const { return m_closeCode; }

private:
    std::unique_ptr<QWebSocket> m_socket;
    QQueue<QByteArray> m_inbox;
    core::codec::FrameCodec m_codec;
    bool m_framer = true;
    bool m_connected = false;
    bool m_closed = false;
    int m_closeCode = 0;
};

} // namespace sightline::test
