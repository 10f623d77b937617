#include "core/server/http_gateway.h"

#include "core/codec/error_codec.h"
#include "core/server/unary_api.h"
#include "core/server/worker_thread.h"
#include "core/socket_options.h"

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

    void writeStatus(QHttpServerResponder& responder, Status status, const QString& message)
    {
        responder.write(message.toUtf8(), "text/plain", status);
    }

    /// A unary call's answer: 200 with the response, or 400 with the error payload.
    struct UnaryReply
    {
        bool ok = false;
        QByteArray json;
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
            return { false, encode(codec::encodeErrorPayload(response.error())) };
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
        writeStatus(responder, Status::NotFound, u"no endpoint "_s + path);
        return true;
    }
    if (request.method() != QHttpServerRequest::Method::Post) {
        writeStatus(responder, Status::MethodNotAllowed, u"use POST"_s);
        return true;
    }
    if (request.value("Content-Type") != "application/json") {
        writeStatus(responder, Status::UnsupportedMediaType, u"send application/json"_s);
        return true;
    }
    const QByteArray body = request.body();
    if (body.size() > MaxBodyBytes) {
        writeStatus(responder, Status::PayloadTooLarge, u"request body too large"_s);
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
        [socket, reply] { writeReply(*socket, *reply); });
    return true;
}

void HttpGateway::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    writeStatus(responder, Status::NotFound, u"no endpoint "_s + request.url().path());
}

} // namespace sightline::core::server
