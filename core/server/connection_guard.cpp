#include "core/server/connection_guard.h"

#include "core/codec/error_codec.h"
#include "core/error.h"
#include "core/server/http_scanner.h"
#include "core/server/token_issuer.h"

#include <QJsonDocument>
#include <QMetaMethod>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    QHostAddress peerOf(qintptr descriptor)
    {
        sockaddr_storage address {};
        socklen_t length = sizeof(address);
        if (::getpeername(static_cast<int>(descriptor),
                reinterpret_cast<sockaddr*>(&address),
                &length)
            != 0)
            return {};
        return QHostAddress(reinterpret_cast<const sockaddr*>(&address));
    }

    /// An HTTP response carrying a Synnax error payload, closing the connection.
    QByteArray errorResponse(int status, const char* statusText, const Error& error)
    {
        const QByteArray body
            = QJsonDocument(codec::encodeErrorPayload(error)).toJson(QJsonDocument::Compact);
        return "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusText
            + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    const char* statusText(int status)
    {
        switch (status) {
        case 400:
            return "Bad Request";
        case 408:
            return "Request Timeout";
        case 403:
            return "Forbidden";
        case 411:
            return "Length Required";
        case 413:
            return "Payload Too Large";
        case 431:
            return "Request Header Fields Too Large";
        default:
            return "Service Unavailable";
        }
    }

    bool isLoopbackName(const QString& host)
    {
        return host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0
            || host.endsWith(u".localhost"_s, Qt::CaseInsensitive)
            || QHostAddress(host).isLoopback();
    }

    /// Why a browser-style request must be refused: an Origin that is not loopback, the
    /// desktop Console's or allowed; on a loopback listen, a Host that is not loopback.
    std::optional<Error> foreignRequest(
        const HttpScanner& scanner, bool loopbackListen, const QStringList& allowedOrigins)
    {
        const QString origin = QString::fromLatin1(scanner.origin());
        if (!origin.isEmpty()) {
            const QUrl url(origin);
            const bool allowed = isLoopbackName(url.host()) || url.scheme() == u"tauri"_s
                || allowedOrigins.contains(origin);
            if (!allowed)
                return Error { errors::Auth,
                    u"requests from the web page %1 are refused: start the cluster with "
                    u"--allow-origin %1 to allow them"_s.arg(origin) };
        }
        if (loopbackListen && !scanner.host().isEmpty()) {
            const QUrl url(u"http://"_s + QString::fromLatin1(scanner.host()));
            if (!isLoopbackName(url.host()))
                return Error { errors::Auth,
                    u"Host %1 does not name this cluster, which listens on loopback only "
                    u"(refused against DNS rebinding)"_s.arg(QString::fromLatin1(scanner.host())) };
        }
        return std::nullopt;
    }

    int milliseconds(TimeSpan span) { return static_cast<int>(span.nanoseconds() / 1'000'000); }

    /// A connection (plain: QTcpSocket, TLS: QSslSocket) that, once it asks for a WebSocket
    /// upgrade, checks that every frame the client sends is masked (RFC 6455 §5.1; Qt's
    /// WebSocket accepts unmasked ones) before Qt reads it: an unmasked frame closes the
    /// connection with 1002. Qt's WebSocket server takes the socket over with slots of its
    /// own; this places one reader just before them (it sees new bytes first) and one just
    /// after (it learns what they left unread), by following their connections as they are
    /// made.
    template <typename Socket> class GuardedSocket : public Socket
    {
    public:
        using Socket::Socket;

        /// The request just scanned asks for an upgrade.
        void followWebSocketFrames() { m_state = State::AwaitingHandshake; }

    protected:
        void connectNotify(const QMetaMethod& signal) override
        {
            Socket::connectNotify(signal);
            if (m_attaching || signal != QMetaMethod::fromSignal(&QIODevice::readyRead))
                return;
            m_attaching = true;
            if (m_state == State::AwaitingHandshake) {
                // The handshake's (queued) reader: ours runs at every readyRead from now on,
                // before anyone else's direct one.
                QObject::connect(this, &QIODevice::readyRead, this, [this] { scanNewBytes(); });
                m_state = State::Handshake;
            } else if (m_state == State::Handshake) {
                // The WebSocket's own reader: the handshake has taken its header by now.
                m_unreadScanned = this->bytesAvailable();
                QObject::connect(this, &QIODevice::readyRead, this, [this] {
                    m_unreadScanned = this->bytesAvailable();
                });
                m_state = State::Frames;
            }
            m_attaching = false;
        }

    private:
        enum class State { Http, AwaitingHandshake, Handshake, Frames };

        void scanNewBytes()
        {
            const QByteArray unread = this->peek(this->bytesAvailable());
            if (m_unreadScanned < 0) { // the upgrade request itself comes first
                const qsizetype headerEnd = unread.indexOf("\r\n\r\n");
                if (headerEnd < 0)
                    return;
                m_unreadScanned = headerEnd + 4;
            }
            if (unread.size() <= m_unreadScanned)
                return;
            const bool masked = m_frames.feed(unread.constData() + m_unreadScanned,
                unread.size() - m_unreadScanned);
            m_unreadScanned = unread.size();
            if (!masked)
                refuseUnmaskedFrame();
        }

        void refuseUnmaskedFrame()
        {
            (void)this->readAll(); // nothing of it reaches Qt's WebSocket
            m_unreadScanned = 0;
            if (m_state != State::Frames) {
                this->abort();
                return;
            }
            static constexpr char reason[] = "client frames must be masked";
            QByteArray close;
            close.append(char(0x88)); // FIN + close
            close.append(char(2 + sizeof(reason) - 1));
            close.append(char(0x03)); // 1002, protocol error
            close.append(char(0xEA));
            close.append(reason, sizeof(reason) - 1);
            this->write(close);
            this->disconnectFromHost();
        }

        State m_state = State::Http;
        bool m_attaching = false;
        /// Of the bytes waiting to be read, how many the frame scanner has already seen
        /// (negative: the upgrade request is still in front of them).
        qint64 m_unreadScanned = -1;
        WebSocketFrameScanner m_frames;
    };

    /// A plain server whose sockets the guard follows from the moment they are accepted.
    class GuardedTcpServer : public QTcpServer
    {
    public:
        GuardedTcpServer(ConnectionGuard& guard, QObject* parent)
            : QTcpServer(parent)
            , m_guard(guard)
        {
        }

    protected:
        void incomingConnection(qintptr descriptor) override
        {
            const QHostAddress peer = peerOf(descriptor);
            if (!m_guard.admits(peer)) {
                const QByteArray refusal = m_guard.refusal(peer);
                (void)!::send(static_cast<int>(descriptor),
                    refusal.constData(),
                    static_cast<size_t>(refusal.size()),
                    MSG_DONTWAIT | MSG_NOSIGNAL);
                ::close(static_cast<int>(descriptor));
                return;
            }
            auto* socket = new GuardedSocket<QTcpSocket>(this);
            socket->setSocketDescriptor(descriptor);
            m_guard.watch(socket);
            addPendingConnection(socket);
        }

    private:
        ConnectionGuard& m_guard;
    };

    /// A TLS server: refused connections are closed before the handshake (there is no TLS
    /// to say why in yet); admitted ones are followed from the first byte, and handed to the
    /// HTTP server once encrypted (what QSslServer does, with sockets of our own).
    class GuardedTlsServer : public QTcpServer
    {
    public:
        GuardedTlsServer(ConnectionGuard& guard, QSslConfiguration tls, QObject* parent)
            : QTcpServer(parent)
            , m_guard(guard)
            , m_tls(std::move(tls))
        {
        }

    protected:
        void incomingConnection(qintptr descriptor) override
        {
            if (!m_guard.admits(peerOf(descriptor))) {
                ::close(static_cast<int>(descriptor));
                return;
            }
            auto* socket = new GuardedSocket<QSslSocket>(this);
            socket->setSslConfiguration(m_tls);
            if (!socket->setSocketDescriptor(descriptor)) {
                delete socket;
                return;
            }
            m_guard.watch(socket);
            // Until encrypted it is ours to delete; then the HTTP server's.
            const auto failed
                = connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QSslSocket::encrypted, this, [this, socket, failed] {
                disconnect(failed);
                addPendingConnection(socket);
            });
            socket->startServerEncryption();
        }

    private:
        ConnectionGuard& m_guard;
        QSslConfiguration m_tls;
    };

} // namespace

/// One connection's deadlines and scanner.
class ConnectionGuard::Watch : public QObject
{
public:
    Watch(QTcpSocket* socket,
        const ConnectionLimits& limits,
        const TokenIssuer& tokens,
        bool loopbackListen)
        : QObject(socket)
        , m_socket(socket)
        , m_limits(limits)
        , m_tokens(tokens)
        , m_scanner(limits.maxHeaderBytes)
        , m_loopbackListen(loopbackListen)
    {
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, [this] {
            refuse(408, Error { errors::Unexpected, m_timeoutReason });
        });
        arm(m_limits.firstRequest, "no request arrived in time");
        // Connected before Qt's HTTP server connects its own: this sees the bytes first.
        connect(socket, &QTcpSocket::readyRead, this, &Watch::scan);
    }

private:
    void arm(TimeSpan span, const char* reason)
    {
        m_timeoutReason = QString::fromLatin1(reason);
        m_deadline.start(milliseconds(span));
    }

    void scan()
    {
        const QByteArray available = m_socket->peek(m_socket->bytesAvailable());
        qint64 offset = 0;
        while (offset < available.size() && !m_done) {
            qint64 consumed = 0;
            const auto event = m_scanner.feed(available.constData() + offset,
                available.size() - offset,
                consumed);
            offset += consumed;
            handle(event);
            if (consumed == 0)
                break;
        }
        if (!m_done && !m_scanner.idle() && !m_scanner.inBody() && !m_inHeaders) {
            m_inHeaders = true; // a header block has begun: it must end in time
            arm(m_limits.headers, "the request headers did not arrive in time");
        }
    }

    void handle(const HttpScanner::Event& event)
    {
        using Kind = HttpScanner::Event::Kind;
        switch (event.kind) {
        case Kind::None:
            return;
        case Kind::Refuse:
            refuse(event.status, Error { errors::Validation, QString::fromLatin1(event.reason) });
            return;
        case Kind::Upgrade:
            m_inHeaders = false;
            if (auto foreign
                = foreignRequest(m_scanner, m_loopbackListen, m_limits.allowedOrigins)) {
                refuse(403, *foreign);
                return;
            }
            m_done = true; // the stream gateway's from here on
            m_deadline.stop();
            if (auto* plain = dynamic_cast<GuardedSocket<QTcpSocket>*>(m_socket))
                plain->followWebSocketFrames();
            else if (auto* secure = dynamic_cast<GuardedSocket<QSslSocket>*>(m_socket))
                secure->followWebSocketFrames();
            return;
        case Kind::Headers:
            m_inHeaders = false;
            if (auto foreign
                = foreignRequest(m_scanner, m_loopbackListen, m_limits.allowedOrigins)) {
                refuse(403, *foreign);
                return;
            }
            if (auto refused = checkBody(); refused)
                return;
            if (m_scanner.inBody())
                arm(m_limits.body, "the request body did not arrive in time");
            else
                arm(m_limits.keepAliveIdle, "the connection stayed idle");
            return;
        case Kind::Message:
            arm(m_limits.keepAliveIdle, "the connection stayed idle");
            return;
        }
    }

    /// Refuses a body over the limits from its declared length; true when it did.
    bool checkBody()
    {
        const qint64 length = m_scanner.contentLength();
        if (length > m_limits.maxBodyBytes) {
            refuse(413,
                Error { errors::Validation,
                    u"request body of %1 bytes is over the limit of %2"_s.arg(length).arg(
                        m_limits.maxBodyBytes) });
            return true;
        }
        if (length <= m_limits.maxUnauthenticatedBodyBytes)
            return false;
        const bool authenticated = m_scanner.hasBearerToken()
            && m_tokens.verify(QString::fromLatin1(m_scanner.bearerToken()), TimeStamp::now());
        if (authenticated)
            return false;
        refuse(400,
            Error { errors::InvalidToken,
                u"a request body over %1 bytes needs a valid token"_s.arg(
                    m_limits.maxUnauthenticatedBodyBytes) });
        return true;
    }

    void refuse(int status, const Error& error)
    {
        m_done = true;
        m_deadline.stop();
        (void)m_socket->readAll(); // nothing of it reaches the HTTP server
        m_socket->write(errorResponse(status, statusText(status), error));
        m_socket->disconnectFromHost();
    }

    QTcpSocket* m_socket;
    const ConnectionLimits& m_limits;
    const TokenIssuer& m_tokens;
    HttpScanner m_scanner;
    QTimer m_deadline;
    QString m_timeoutReason;
    bool m_loopbackListen;
    bool m_inHeaders = false;
    bool m_done = false;
};

ConnectionGuard::ConnectionGuard(
    ConnectionLimits limits, const TokenIssuer& tokens, QObject* parent)
    : QObject(parent)
    , m_limits(limits)
    , m_tokens(tokens)
{
}

ConnectionGuard::~ConnectionGuard() = default;

void ConnectionGuard::stopListening()
{
    for (const QPointer<QTcpServer>& server : std::as_const(m_servers))
        if (server)
            server->close();
}

QTcpServer* ConnectionGuard::listen(
    const QHostAddress& host, quint16 port, const std::optional<QSslConfiguration>& tls)
{
    m_loopback = host.isLoopback();
    QTcpServer* server = nullptr;
    if (tls) {
        server = new GuardedTlsServer(*this, *tls, this);
    } else {
        server = new GuardedTcpServer(*this, this);
    }
    m_servers.append(server); // bind() makes the HTTP server its parent
    server->setMaxPendingConnections(256);
    // The kernel's queue of connections not yet accepted (Qt's default is 50): a burst of
    // connections (a reconnect storm, a slowloris wave) would otherwise drop the SYNs of
    // healthy clients, which then wait a second to retry.
    server->setListenBacklogSize(1024);
    connect(server, &QTcpServer::acceptError, this, [this, server] { backOffAccepting(server); });
    if (!server->listen(host, port)) {
        delete server;
        return nullptr;
    }
    return server;
}

void ConnectionGuard::backOffAccepting(QTcpServer* server)
{
    // Out of file descriptors (or another accept failure): accepting again at once would
    // spin; wait for connections to close.
    server->pauseAccepting();
    QTimer::singleShot(100, server, [server] { server->resumeAccepting(); });
}

bool ConnectionGuard::admits(const QHostAddress& peer) const
{
    if (m_open >= m_limits.maxConnections)
        return false;
    return m_perPeer.value(peer, 0) < m_limits.maxPerPeer;
}

QByteArray ConnectionGuard::refusal(const QHostAddress& peer) const
{
    const QString why = m_open >= m_limits.maxConnections
        ? u"the cluster holds its limit of %1 connections"_s.arg(m_limits.maxConnections)
        : u"%1 holds its limit of %2 connections"_s.arg(peer.toString()).arg(m_limits.maxPerPeer);
    return errorResponse(503, "Service Unavailable", Error { errors::Unexpected, why });
}

void ConnectionGuard::watch(QTcpSocket* socket)
{
    const QHostAddress peer = socket->peerAddress();
    ++m_open;
    ++m_perPeer[peer];
    connect(socket, &QObject::destroyed, this, [this, peer] {
        --m_open;
        if (--m_perPeer[peer] <= 0)
            m_perPeer.remove(peer);
    });
    new Watch(socket, m_limits, m_tokens, m_loopback);
}

} // namespace sightline::core::server
