#include "core/server/http_gateway.h"

#include "core/codec/error_codec.h"
#include "core/server/unary_api.h"
#include "core/socket_options.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    using Status = QHttpServerResponder::StatusCode;
    constexpr QStringView ApiPrefix = u"/api/v1/";

    void writeJson(QHttpServerResponder& responder, const QJsonObject& body, Status status)
    {
        responder.write(QJsonDocument(body).toJson(QJsonDocument::Compact),
            "application/json",
            status);
    }

    void writeError(QHttpServerResponder& responder, const Error& error)
    {
        writeJson(responder, codec::encodeErrorPayload(error), Status::BadRequest);
    }

    void writeStatus(QHttpServerResponder& responder, Status status, const QString& message)
    {
        responder.write(message.toUtf8(), "text/plain", status);
    }

} // namespace

HttpGateway::HttpGateway(UnaryApi& api, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_api(api)
{
}

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
    QJsonParseError parseError;
    const QJsonDocument document = body.trimmed().isEmpty()
        ? QJsonDocument(QJsonObject {})
        : QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        writeError(responder,
            Error { errors::Validation, u"request body must be a JSON object"_s });
        return true;
    }
    const auto response = m_api.call(target,
        document.object(),
        QString::fromLatin1(request.value("Authorization")));
    if (response)
        writeJson(responder, *response, Status::Ok);
    else
        writeError(responder, response.error());
    return true;
}

void HttpGateway::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    writeStatus(responder, Status::NotFound, u"no endpoint "_s + request.url().path());
}

} // namespace sightline::core::server
