#include "core/codec/telem_json.h"

#include "core/codec/json_values.h"

#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

namespace {

    template <typename T> tl::unexpected<Error> forward(const Result<T>& failed)
    {
        return tl::unexpected(failed.error());
    }

    Result<DataType> dataTypeFromJson(const QJsonValue& value, QStringView what)
    {
        const auto type = DataType::fromName(value.toString());
        if (!value.isString() || !type)
            return fail(errors::Validation,
                u"%1 must be a Synnax data type, not %2"_s.arg(what,
                    value.isString() ? value.toString() : u"a non-string"_s));
        return *type;
    }

    Result<QByteArray> base64FromJson(const QJsonValue& value)
    {
        if (value.isUndefined() || value.isNull())
            return QByteArray {};
        if (!value.isString())
            return fail(errors::Validation, u"series data must be a base64 string"_s);
        auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(errors::Validation, u"series data is not valid base64"_s);
        return *decoded;
    }

    QJsonArray operationsToJson(const std::vector<ChannelOperation>& operations)
    {
        QJsonArray out;
        for (const ChannelOperation& op : operations) {
            out.append(QJsonObject { { u"type"_s, op.type },
                { u"reset_channel"_s, static_cast<qint64>(op.resetChannel) },
                { u"duration"_s, toJson(op.duration) } });
        }
        return out;
    }

    Result<ChannelOperation> operationFromJson(const QJsonValue& value)
    {
        const QJsonObject object = value.toObject();
        ChannelOperation op;
        op.type = object.value(u"type").toString();
        if (const QJsonValue reset = object.value(u"reset_channel"); !reset.isUndefined()) {
            auto key = uint32FromJson(reset, u"operations.reset_channel");
            if (!key)
                return forward(key);
            op.resetChannel = *key;
        }
        if (const QJsonValue duration = object.value(u"duration"); !duration.isUndefined()) {
            auto span = timeSpanFromJson(duration, u"operations.duration");
            if (!span)
                return forward(span);
            op.duration = *span;
        }
        return op;
    }

    /// Reads an optional uint32 field, keeping `fallback` when absent or null.
    Result<std::uint32_t> optionalUint32(
        const QJsonObject& object, QStringView key, std::uint32_t fallback)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return fallback;
        return uint32FromJson(value, key);
    }

    /// Collects field results in order, keeping the first error and skipping the rest.
    struct FirstError
    {
        std::optional<Error> error;

        template <typename T, typename Target> void take(Result<T> result, Target& target)
        {
            if (error)
                return;
            if (!result)
                error = result.error();
            else
                target = std::move(*result);
        }
    };

} // namespace

QJsonObject toJson(const Series& series)
{
    const auto bytes = series.bytes();
    const QByteArray raw = QByteArray::fromRawData(reinterpret_cast<const char*>(bytes.data()),
        static_cast<qsizetype>(bytes.size()));
    return QJsonObject {
        { u"time_range"_s, toJson(series.timeRange()) },
        { u"data_type"_s, series.dataType().name() },
        { u"data"_s, QString::fromLatin1(raw.toBase64()) },
        { u"alignment"_s, uint64ToJson(series.alignment()) },
    };
}

Result<Series> seriesFromJson(const QJsonValue& value)
{
    if (!value.isObject())
        return fail(errors::Validation, u"a series must be an object"_s);
    const QJsonObject object = value.toObject();
    auto type = dataTypeFromJson(object.value(u"data_type"), u"series.data_type");
    if (!type)
        return forward(type);
    TimeRange range;
    if (const QJsonValue tr = object.value(u"time_range"); !tr.isUndefined() && !tr.isNull()) {
        auto parsed = timeRangeFromJson(tr, u"series.time_range");
        if (!parsed)
            return forward(parsed);
        range = *parsed;
    }
    std::uint64_t alignment = 0;
    if (const QJsonValue al = object.value(u"alignment"); !al.isUndefined() && !al.isNull()) {
        auto parsed = uint64FromJson(al, u"series.alignment");
        if (!parsed)
            return forward(parsed);
        alignment = *parsed;
    }
    auto data = base64FromJson(object.value(u"data"));
    if (!data)
        return forward(data);
    return Series::fromBytes(*type, *data, range, alignment);
}

QJsonObject toJson(const Frame& frame)
{
    QJsonArray keys;
    QJsonArray series;
    for (std::size_t i = 0; i < frame.size(); ++i) {
        keys.append(static_cast<qint64>(frame.keyAt(i)));
        series.append(toJson(frame.seriesAt(i)));
    }
    return QJsonObject { { u"keys"_s, keys }, { u"series"_s, series } };
}

Result<Frame> frameFromJson(const QJsonValue& value)
{
    if (value.isNull() || value.isUndefined())
        return Frame {};
    if (!value.isObject())
        return fail(errors::Validation, u"a frame must be an object"_s);
    const QJsonObject object = value.toObject();
    auto keys = keysFromJson(object.value(u"keys"));
    if (!keys)
        return forward(keys);
    auto series = arrayFromJson(object.value(u"series"), u"series", seriesFromJson);
    if (!series)
        return forward(series);
    if (keys->size() != series->size())
        return fail(errors::Validation,
            u"frame has %1 keys but %2 series"_s.arg(keys->size()).arg(series->size()));
    Frame frame;
    for (std::size_t i = 0; i < keys->size(); ++i)
        frame.add((*keys)[i], std::move((*series)[i]));
    return frame;
}

QJsonObject toJson(const Channel& channel)
{
    QJsonObject object {
        { u"key"_s, static_cast<qint64>(channel.key) },
        { u"name"_s, channel.name },
        { u"leaseholder"_s, static_cast<int>(channel.leaseholder) },
        { u"data_type"_s, channel.dataType.name() },
        { u"is_index"_s, channel.isIndex },
        { u"index"_s, static_cast<qint64>(channel.index) },
        { u"alias"_s, channel.alias },
        { u"virtual"_s, channel.isVirtual },
        { u"internal"_s, channel.internal },
        { u"expression"_s, channel.expression },
        { u"operations"_s, operationsToJson(channel.operations) },
        { u"concurrency"_s, channel.concurrency },
    };
    if (channel.status)
        object.insert(u"status"_s, *channel.status);
    return object;
}

Result<Channel> channelFromJson(const QJsonValue& value)
{
    if (!value.isObject())
        return fail(errors::Validation, u"a channel must be an object"_s);
    const QJsonObject object = value.toObject();
    Channel channel;
    std::uint32_t leaseholder = 0;
    std::uint32_t concurrency = 0;
    FirstError first;
    first.take(optionalUint32(object, u"key", 0), channel.key);
    first.take(requireString(object, u"name"), channel.name);
    first.take(dataTypeFromJson(object.value(u"data_type"), u"data_type"), channel.dataType);
    first.take(optionalUint32(object, u"leaseholder", 0), leaseholder);
    first.take(optionalUint32(object, u"index", 0), channel.index);
    first.take(optionalBool(object, u"is_index", false), channel.isIndex);
    first.take(optionalBool(object, u"virtual", false), channel.isVirtual);
    first.take(optionalBool(object, u"internal", false), channel.internal);
    first.take(optionalString(object, u"alias"), channel.alias);
    first.take(optionalString(object, u"expression"), channel.expression);
    first.take(optionalUint32(object, u"concurrency", 0), concurrency);
    first.take(arrayFromJson(object.value(u"operations"), u"operations", operationFromJson),
        channel.operations);
    if (first.error)
        return tl::unexpected(*first.error);
    if (leaseholder > Channel::FreeLeaseholder)
        return fail(errors::Validation, u"leaseholder must be between 0 and 4095"_s);
    if (concurrency > 1)
        return fail(errors::Validation, u"concurrency must be 0 (exclusive) or 1 (shared)"_s);
    channel.leaseholder = static_cast<std::uint16_t>(leaseholder);
    channel.concurrency = static_cast<int>(concurrency);
    if (const QJsonValue status = object.value(u"status"); status.isObject())
        channel.status = status.toObject();
    return channel;
}

namespace {

    /// `text` as a JSON string literal.
    void appendJsonString(QByteArray& out, const QString& text)
    {
        out += '"';
        for (const char c : text.toUtf8()) {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(c));
                    out += escaped;
                } else {
                    out += c;
                }
            }
        }
        out += '"';
    }

    void appendField(QByteArray& out, const char* name)
    {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":";
    }

} // namespace

QByteArray toJsonText(const Channel& channel)
{
    QByteArray out;
    out.reserve(256);
    out += '{';
    // Keys in the order QJsonObject sorts them, so both forms read the same.
    const auto boolean = [](bool b) { return b ? "true" : "false"; };
    appendField(out, "alias");
    appendJsonString(out, channel.alias);
    appendField(out, "concurrency");
    out += QByteArray::number(channel.concurrency);
    appendField(out, "data_type");
    appendJsonString(out, channel.dataType.name());
    appendField(out, "expression");
    appendJsonString(out, channel.expression);
    appendField(out, "index");
    out += QByteArray::number(static_cast<qint64>(channel.index));
    appendField(out, "internal");
    out += boolean(channel.internal);
    appendField(out, "is_index");
    out += boolean(channel.isIndex);
    appendField(out, "key");
    out += QByteArray::number(static_cast<qint64>(channel.key));
    appendField(out, "leaseholder");
    out += QByteArray::number(static_cast<int>(channel.leaseholder));
    appendField(out, "name");
    appendJsonString(out, channel.name);
    appendField(out, "operations");
    out += channel.operations.empty()
        ? QByteArray("[]")
        : QJsonDocument(operationsToJson(channel.operations)).toJson(QJsonDocument::Compact);
    if (channel.status) {
        appendField(out, "status");
        out += QJsonDocument(*channel.status).toJson(QJsonDocument::Compact);
    }
    appendField(out, "virtual");
    out += boolean(channel.isVirtual);
    out += '}';
    return out;
}

QJsonArray toJson(const std::vector<Channel>& channels)
{
    // Many channels (a bulk create, a full listing): one parse of text written directly
    // is several times faster than building each object key by key.
    if (channels.size() > 64) {
        QByteArray text = "[";
        for (const Channel& channel : channels) {
            if (text.size() > 1)
                text += ',';
            text += toJsonText(channel);
        }
        text += ']';
        return QJsonDocument::fromJson(text).array();
    }
    QJsonArray out;
    for (const Channel& channel : channels)
        out.append(toJson(channel));
    return out;
}

Result<std::vector<Channel>> channelsFromJson(const QJsonValue& value)
{
    return arrayFromJson(value, u"channels", channelFromJson);
}

Result<std::vector<ChannelKey>> keysFromJson(const QJsonValue& value)
{
    return arrayFromJson(value, u"keys", [](const QJsonValue& item) {
        return uint32FromJson(item, u"keys");
    });
}

} // namespace sightline::core::codec
