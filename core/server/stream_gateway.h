#pragma once

#include "core/server/backlog_budget.h"
#include "core/server/connection_guard.h"
#include "core/server/stream_sessions.h"

#include <QObject>

class QAbstractHttpServer;
class QWebSocket;

namespace sightline::core::server {

class TokenIssuer;

/// Accepts the WebSocket streams of an HTTP server (`/api/v1/frame/stream|iterate|write`,
/// protocol §1.5): reads the content type and token from the `freighterctx` query parameters
/// (or real headers), authenticates, and hands the socket to a session. A bad token, unknown
/// endpoint or unsupported content type gets a close envelope with a Synnax-typed error and
/// close code 1000. Qt 6.4 upgrades every WebSocket request before we see it, so these are
/// errors after the upgrade rather than HTTP 4xx. Streams live under `limits` (idle time,
/// backlog per stream and for all live streams together). Cluster thread only.
class StreamGateway : public QObject
{
    Q_OBJECT

public:
    StreamGateway(QAbstractHttpServer& http,
        const TokenIssuer& tokens,
        Framer& framer,
        const ConnectionLimits& limits,
        QObject* parent = nullptr);
    ~StreamGateway() override;

    /// Streams open right now.
    [[nodiscard]] int openStreams() const;
    /// Bytes the live streams together have waiting for their clients.
    [[nodiscard]] qint64 liveBacklogBytes() const { return m_liveBacklog.total(); }
    /// Ends every open stream as a shutdown does: an EOF close envelope, then close 1000.
    void finishAll();

private:
    void acceptPending();
    void accept(std::unique_ptr<QWebSocket> socket);

    QAbstractHttpServer& m_http;
    const TokenIssuer& m_tokens;
    BacklogBudget m_liveBacklog;
    StreamContext m_context;
};

} // namespace sightline::core::server
