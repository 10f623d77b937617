#include "core/server/stream_gateway.h"

#include "core/codec/envelope.h"
#include "core/codec/framer_message.h"
#include "core/server/stream_sessions.h"
#include "core/server/token_issuer.h"

#include <QAbstractHttpServer>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr QStringView FramerContentType = u"application/vnd.synnax.frame";
    constexpr QStringView JsonContentType = u"application/json";

    /// A request header from the `freighterctx` query parameter, else the real header.
    QString contextValue(const QWebSocket& socket, const QString& header)
    {
        const QUrlQuery query(socket.requestUrl());
        const QString key = u"freighterctx"_s + header;
        if (query.hasQueryItem(key))
            return query.queryItemValue(key, QUrl::FullyDecoded);
        return QString::fromUtf8(socket.request().rawHeader(header.toLatin1()));
    }

    /// Refuses a stream before any session exists: a close envelope, then close 1000.
    void refuse(QWebSocket& socket, bool framer, const Error& error)
    {
        const codec::Envelope close = codec::Envelope::close(error);
        socket.sendBinaryMessage(
            framer ? codec::encodeJsonFramerMessage(close) : codec::encodeEnvelope(close));
        socket.close(QWebSocketProtocol::CloseCodeNormal);
    }

} // namespace

StreamGateway::StreamGateway(QAbstractHttpServer& http,
    const TokenIssuer& tokens,
    Framer& framer,
    const ConnectionLimits& limits,
    QObject* parent)
    : QObject(parent)
    , m_http(http)
    , m_tokens(tokens)
    , m_liveBacklog(limits.maxTotalStreamBacklogBytes)
    , m_context { framer, m_liveBacklog, limits.maxStreamBacklogBytes, limits.streamIdle }
{
    connect(&http,
        &QAbstractHttpServer::newWebSocketConnection,
        this,
        &StreamGateway::acceptPending);
}

StreamGateway::~StreamGateway()
{
    // Before the context they use goes.
    qDeleteAll(findChildren<StreamSession*>(Qt::FindDirectChildrenOnly));
}

int StreamGateway::openStreams() const
{
    return static_cast<int>(findChildren<StreamSession*>(Qt::FindDirectChildrenOnly).size());
}

void StreamGateway::finishAll()
{
    for (StreamSession* session : findChildren<StreamSession*>(Qt::FindDirectChildrenOnly))
        session->finish();
}

void StreamGateway::acceptPending()
{
    while (m_http.hasPendingWebSocketConnections())
        if (auto socket = m_http.nextPendingWebSocketConnection())
            accept(std::move(socket));
}

void StreamGateway::accept(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket* raw = socket.get();
    connect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
    const QString contentType = contextValue(*raw, u"Content-Type"_s).section(u';', 0, 0).trimmed();
    const bool framer = contentType == FramerContentType;
    if (!framer && contentType != JsonContentType) {
        refuse(*socket.release(),
            false,
            Error { errors::Validation,
                u"unsupported content type '%1': use %2 or %3"_s.arg(contentType,
                    FramerContentType.toString(),
                    JsonContentType.toString()) });
        return;
    }
    auto token = bearerToken(contextValue(*raw, u"Authorization"_s));
    auto grant = token ? m_tokens.grant(*token, TimeStamp::now())
                       : Result<TokenGrant>(tl::unexpected(token.error()));
    if (!grant) {
        refuse(*socket.release(), framer, grant.error());
        return;
    }
    const QString path = raw->requestUrl().path();
    const StreamEncoding encoding = framer ? StreamEncoding::Framer : StreamEncoding::Json;
    disconnect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
    StreamSession* session = nullptr;
    if (path == u"/api/v1/frame/stream"_s)
        session = new StreamerSession(std::move(socket), encoding, m_context, grant->expires);
    else if (path == u"/api/v1/frame/iterate"_s)
        session = new IteratorSession(std::move(socket), encoding, m_context, grant->expires);
    else if (path == u"/api/v1/frame/write"_s)
        // A writer's token is checked when it opens and not after: an acquisition writing for
        // days must not lose its uncommitted samples (or its control) when the token lapses.
        // Streams that deliver stored or live data end with their token.
        session = new WriterSession(std::move(socket), encoding, m_context, std::nullopt);
    if (session == nullptr) {
        connect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
        refuse(*socket.release(),
            framer,
            Error { errors::Route, u"no stream endpoint %1"_s.arg(path) });
        return;
    }
    session->setParent(this);
    session->start();
}

} // namespace sightline::core::server
