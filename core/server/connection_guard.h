#pragma once

#include "core/telem/time.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>

#include <optional>

class QTcpServer;
class QTcpSocket;

namespace sightline::core::server {

class TokenIssuer;

/// What one client may hold of the cluster's HTTP port before and between requests.
struct ConnectionLimits
{
    int maxConnections = 2048;
    int maxPerPeer = 512;
    /// A new connection's first request must have all its headers within this.
    TimeSpan firstRequest = TimeSpan::seconds(5);
    /// Once a header block has begun, the rest of it (slowloris).
    TimeSpan headers = TimeSpan::seconds(10);
    /// Once the headers are in, the whole body.
    TimeSpan body = TimeSpan::seconds(60);
    /// Between requests on a kept-alive connection.
    TimeSpan keepAliveIdle = TimeSpan::seconds(60);
    qint64 maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 16 * 1024 * 1024;
    /// Larger bodies need a valid token in the headers (a login is never this large).
    qint64 maxUnauthenticatedBodyBytes = 64 * 1024;
    /// Web page origins (e.g. "https://console.example.com") allowed besides loopback ones
    /// and the desktop Console's; a browser's request from any other is refused.
    QStringList allowedOrigins {};
    /// A stream (WebSocket) from which nothing arrived for this long, not even the answer to
    /// a ping, is closed.
    TimeSpan streamIdle = TimeSpan::seconds(60);
    /// Frames one live stream may have waiting for a client that reads too slowly.
    qint64 maxStreamBacklogBytes = 64ll * 1024 * 1024;
    /// The same for every live stream together; over it, the one furthest behind is dropped.
    qint64 maxTotalStreamBacklogBytes = 96ll * 1024 * 1024;
};

/// Keeps the cluster's HTTP port usable under abuse, before Qt's HTTP server reads anything:
/// caps connections in total and per peer address (refused with a 503), closes connections
/// that do not send a request in time (idle, slowloris), refuses bodies over the limit from
/// their Content-Length alone (413; an unauthenticated one over 64 KiB gets a token error),
/// backs off accepting when the process runs out of file descriptors, refuses browser
/// requests from foreign web pages (Origin) and, on a loopback listen, Host names that are
/// not loopback (DNS rebinding). What follows a WebSocket upgrade is the stream gateway's.
/// Lives on the cluster's thread.
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    ConnectionGuard(ConnectionLimits limits, const TokenIssuer& tokens, QObject* parent = nullptr);
    ~ConnectionGuard() override;

    /// A listening server for the HTTP gateway to bind(): plain, or TLS with `tls`. Null when
    /// it cannot listen (the port in use, say).
    [[nodiscard]] QTcpServer* listen(
        const QHostAddress& host, quint16 port, const std::optional<QSslConfiguration>& tls);

    [[nodiscard]] int openConnections() const { return m_open; }
    /// Closes the listening servers (the connections already open stay): a cluster shutting
    /// down is seen as gone by a client's first probe, not after its streams have ended.
    void stopListening();

    /// Called by the servers: whether a new connection from `peer` fits under the caps.
    [[nodiscard]] bool admits(const QHostAddress& peer) const;
    /// Follows `socket` from now on (counted until it is destroyed).
    void watch(QTcpSocket* socket);
    /// Why a connection was refused, as the 503 body says it.
    [[nodiscard]] QByteArray refusal(const QHostAddress& peer) const;

private:
    class Watch;
    void backOffAccepting(QTcpServer* server);

    ConnectionLimits m_limits;
    const TokenIssuer& m_tokens;
    /// Listening on a loopback address: Host must then name one.
    bool m_loopback = false;
    int m_open = 0;
    QHash<QHostAddress, int> m_perPeer;
    QList<QPointer<QTcpServer>> m_servers;
};

} // namespace sightline::core::server
