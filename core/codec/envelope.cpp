#include "core/codec/envelope.h"

#include "core/codec/error_codec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

namespace {

    QString typeName(Envelope::Type type)
    {
        switch (type) {
        case Envelope::Type::Open:
            return u"open"_s;
        case Envelope::Type::Data:
            return u"data"_s;
        case Envelope::Type::Close:
            return u"close"_s;
        }
        return u"data"_s;
    }

    std::optional<Envelope::Type> typeFromName(const QJsonValue& name)
    {
        if (name == u"open"_s)
            return Envelope::Type::Open;
        if (name == u"data"_s)
            return Envelope::Type::Data;
        if (name == u"close"_s)
            return Envelope::Type::Close;
        return std::nullopt;
    }

    Error eofError() { return Error { errors::Eof, u"EOF"_s }; }

} // namespace

QByteArray encodeEnvelope(const Envelope& envelope)
{
    QJsonObject object {
        { u"type"_s, typeName(envelope.type) },
        { u"payload"_s, envelope.payload.isUndefined() ? QJsonValue::Null : envelope.payload },
    };
    if (envelope.type == Envelope::Type::Close)
        object.insert(u"error"_s, encodeErrorPayload(envelope.error.value_or(eofError())));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<Envelope> decodeEnvelope(QByteArrayView bytes)
{
    QJsonParseError parseError;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size()),
            &parseError); // parsed, not kept
    if (parseError.error != QJsonParseError::NoError)
        return fail(errors::Decode, u"stream message is not JSON: "_s + parseError.errorString());
    if (!document.isObject())
        return fail(errors::Decode, u"stream message is not a JSON object"_s);
    const QJsonObject object = document.object();
    const auto type = typeFromName(object.value(u"type"));
    if (!type)
        return fail(errors::Decode, u"stream message has no type open, data or close"_s);
    Envelope envelope { *type, object.value(u"payload"), std::nullopt };
    if (envelope.payload.isUndefined())
        envelope.payload = QJsonValue::Null;
    if (*type != Envelope::Type::Close)
        return envelope;
    auto error = decodeErrorPayload(object.value(u"error"));
    if (!error)
        return tl::unexpected(error.error());
    envelope.error = error->value_or(eofError());
    return envelope;
}

} // namespace sightline::core::codec
