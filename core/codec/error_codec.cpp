#include "core/codec/error_codec.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

QJsonObject encodeErrorPayload(const std::optional<Error>& error)
{
    if (!error)
        return QJsonObject { { u"type"_s, errors::Nil }, { u"data"_s, QString {} } };
    const QString type = error->type.isEmpty() ? errors::Unknown : error->type;
    return QJsonObject { { u"type"_s, type }, { u"data"_s, error->message } };
}

Result<std::optional<Error>> decodeErrorPayload(const QJsonValue& payload)
{
    if (payload.isUndefined() || payload.isNull())
        return std::optional<Error> {};
    if (!payload.isObject())
        return fail(errors::Decode, u"error payload is not an object"_s);
    const QJsonObject object = payload.toObject();
    const QJsonValue type = object.value(u"type");
    const QJsonValue data = object.value(u"data");
    if (!type.isString())
        return fail(errors::Decode, u"error payload has no string type"_s);
    if (!data.isString() && !data.isUndefined() && !data.isNull())
        return fail(errors::Decode, u"error payload data is not a string"_s);
    const QString typeText = type.toString();
    const QString message = data.toString();
    if (typeText == errors::Nil || (typeText.isEmpty() && message.isEmpty()))
        return std::optional<Error> {};
    return std::optional<Error> { Error { typeText.isEmpty() ? errors::Unknown : typeText,
        message } };
}

Error makePathError(const QStringList& path, const Error& inner)
{
    const QJsonObject details {
        { u"path"_s, QJsonArray::fromStringList(path) },
        { u"error"_s, encodeErrorPayload(inner) },
    };
    return Error { errors::ValidationPath,
        QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)) };
}

std::optional<PathErrorDetails> parsePathError(const Error& error)
{
    if (!error.matches(errors::ValidationPath))
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(error.message.toUtf8());
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    PathErrorDetails details;
    for (const QJsonValue& part : object.value(u"path").toArray())
        details.path.append(part.isString() ? part.toString() : QString::number(part.toInteger()));
    auto inner = decodeErrorPayload(object.value(u"error"));
    if (!inner || !*inner)
        return std::nullopt;
    details.inner = **inner;
    return details;
}

} // namespace sightline::core::codec
