#include "core/server/http_gateway.h"

#include "core/codec/error_codec.h"
#include "core/server/unary_api.h"
#include "core/server/worker_thread.h"
#include "core/socket_options.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    using Status = QHttpServerResponder::StatusCode;
    constexpr QStringView ApiPrefix = u"/api/v1/";

    /// A refusal before the API: `status` with a Synnax error payload a client can parse.
    void writeStatus(
        QHttpServerResponder& responder, Status status, const QString& type, const QString& message)
    {
        responder.write(QJsonDocument(codec::encodeErrorPayload(Error { type, message }))
                            .toJson(QJsonDocument::Compact),
            "application/json",
            status);
    }

    /// A unary call's answer: 200 with the response, or 400 with the error payload.
    struct UnaryReply
    {
        bool ok = false;
        QByteArray json;
        bool wrongCredentials = false;
    };

    UnaryReply replyTo(
        UnaryApi& api, QStringView target, const QByteArray& body, QStringView authorization)
    {
        const auto encode = [](const QJsonObject& object) {
            return QJsonDocument(object).toJson(QJsonDocument::Compact);
        };
        QJsonParseError parseError;
        const QJsonDocument document = body.trimmed().isEmpty()
            ? QJsonDocument(QJsonObject {})
            : QJsonDocument::fromJson(body, &parseError);
        if (!document.isObject())
            return { false,
                encode(codec::encodeErrorPayload(
                    Error { errors::Validation, u"request body must be a JSON object"_s })) };
        const auto response = api.call(target, document.object(), authorization);
        if (!response)
            return { false,
                encode(codec::encodeErrorPayload(response.error())),
                response.error().matches(errors::InvalidCredentials) };
        return { true, encode(*response) };
    }

    /// Writes the reply as an HTTP/1.1 response (the responder cannot be kept past
    /// handleRequest: it refers to the request, which Qt reuses for the next one).
    void writeReply(QTcpSocket& socket, const UnaryReply& reply)
    {
        QByteArray head = reply.ok ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 400 Bad Request\r\n";
        head += "Content-Type: application/json\r\nContent-Length: ";
        head += QByteArray::number(reply.json.size());
        head += "\r\n\r\n";
        socket.write(head);
        socket.write(reply.json);
    }

} // namespace

HttpGateway::HttpGateway(UnaryApi& api, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_api(api)
    , m_calls(std::make_unique<WorkerThread>(u"cluster-unary"_s))
{
}

HttpGateway::~HttpGateway() = default;

bool HttpGateway::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    sendWithoutDelay(*socket); // stream sessions send large messages on this socket too
    // Qt 6.4 hands a WebSocket upgrade to the StreamGateway only when this returns true
    // without writing anything; the gateway routes, authenticates and refuses there.
    if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
        return true;
    QHttpServerResponder responder = makeResponder(request, socket);
    const QString path = request.url().path();
    const QStringView target = QStringView(path).mid(ApiPrefix.size());
    if (!path.startsWith(ApiPrefix) || !m_api.hasTarget(target)) {
        writeStatus(responder, Status::NotFound, errors::Route, u"no endpoint "_s + path);
        return true;
    }
    if (request.method() != QHttpServerRequest::Method::Post) {
        writeStatus(responder, Status::MethodNotAllowed, errors::Route, u"use POST"_s);
        return true;
    }
    if (request.value("Content-Type") != "application/json") {
        writeStatus(responder,
            Status::UnsupportedMediaType,
            errors::Validation,
            u"send application/json"_s);
        return true;
    }
    const QByteArray body = request.body();
    if (body.size() > MaxBodyBytes) {
        writeStatus(responder,
            Status::PayloadTooLarge,
            errors::Validation,
            u"request body too large"_s);
        return true;
    }
    const QHostAddress peer = socket->peerAddress();
    if (target == u"auth/login" && loginsBlocked(peer)) {
        writeStatus(responder,
            Status::BadRequest,
            errors::InvalidCredentials,
            u"too many failed logins from %1: wait a minute"_s.arg(peer.toString()));
        return true;
    }
    // Copied for the call's thread: the request object is reused once this returns.
    auto reply = std::make_shared<UnaryReply>();
    m_calls->run(
        socket,
        [this,
            reply,
            target = target.toString(),
            body,
            authorization = QString::fromLatin1(request.value("Authorization"))] {
            *reply = replyTo(m_api, target, body, authorization);
        },
        [this, socket, peer, reply] {
            if (reply->wrongCredentials)
                recordFailedLogin(peer);
            writeReply(*socket, *reply);
        });
    return true;
}

bool HttpGateway::loginsBlocked(const QHostAddress& peer)
{
    const auto found = m_failedLogins.find(peer);
    if (found == m_failedLogins.end())
        return false;
    const qint64 minuteAgo = QDateTime::currentMSecsSinceEpoch() - 60'000;
    std::deque<qint64>& failures = *found;
    while (!failures.empty() && failures.front() < minuteAgo)
        failures.pop_front();
    if (failures.empty()) {
        m_failedLogins.erase(found);
        return false;
    }
    return static_cast<int>(failures.size()) >= MaxFailedLoginsPerMinute;
}

void HttpGateway::recordFailedLogin(const QHostAddress& peer)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_failedLogins.size() > 10'000) // many addresses (IPv6): forget those gone quiet
        m_failedLogins.removeIf(
            [now](const auto& entry) { return entry.value().back() < now - 60'000; });
    m_failedLogins[peer].push_back(now);
}

void HttpGateway::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    writeStatus(responder,
        Status::NotFound,
        errors::Route,
        u"no endpoint "_s + request.url().path());
}

} // namespace sightline::core::server
