#include "core/codec/range_json.h"

#include "core/codec/json_values.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>
#include <tuple>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

namespace {

    tl::unexpected<Error> invalid(const QString& message)
    {
        return fail(errors::Validation, message);
    }

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    Result<Color> checked(Color color)
    {
        const auto inByte = [](int v) { return v >= 0 && v <= 255; };
        if (!inByte(color.r) || !inByte(color.g) || !inByte(color.b) || !(color.a >= 0)
            || !(color.a <= 1))
            return invalid(u"color is out of range (0–255, and an alpha of 0–1)"_s);
        return color;
    }

    int byteOf(double v) { return static_cast<int>(std::lround(v)); }

    Result<Color> colorFromHex(const QString& text)
    {
        static const QRegularExpression hex(u"^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$"_s);
        const auto match = hex.match(text);
        if (!match.hasMatch())
            return invalid(u"color '%1' is not #rrggbb or #rrggbbaa"_s.arg(text));
        const uint rgb = match.captured(1).toUInt(nullptr, 16);
        const double alpha
            = match.captured(2).isEmpty() ? 1.0 : match.captured(2).toUInt(nullptr, 16) / 255.0;
        return checked(
            Color { int((rgb >> 16) & 0xff), int((rgb >> 8) & 0xff), int(rgb & 0xff), alpha });
    }

    /// The optional `key` and the required `name` of a range or label.
    Result<std::pair<QUuid, QString>> keyAndName(const QJsonObject& object)
    {
        QUuid key;
        if (const QJsonValue value = object.value(u"key"); !value.isUndefined() && !value.isNull()
            && !(value.isString() && value.toString().isEmpty())) {
            auto parsed = uuidFromJson(value, u"key");
            if (!parsed)
                return tl::unexpected(parsed.error());
            key = *parsed;
        }
        auto name = requireString(object, u"name");
        if (!name)
            return tl::unexpected(name.error());
        return std::pair { key, *name };
    }

    /// The filters ranges and labels are retrieved by: keys, names, search term, paging.
    template <typename Query> void writeFilters(QJsonObject& request, const Query& query)
    {
        if (!query.keys.empty()) {
            QJsonArray keys;
            for (const QUuid& key : query.keys)
                keys.append(keyText(key));
            request.insert(u"keys"_s, keys);
        }
        if (!query.names.isEmpty())
            request.insert(u"names"_s, QJsonArray::fromStringList(query.names));
        if (!query.searchTerm.isEmpty())
            request.insert(u"search_term"_s, query.searchTerm);
        if (query.limit > 0)
            request.insert(u"limit"_s, query.limit);
        if (query.offset > 0)
            request.insert(u"offset"_s, query.offset);
    }

    template <typename Query> Result<void> readFilters(const QJsonObject& request, Query& query)
    {
        auto keys = uuidsFromJson(request.value(u"keys"), u"keys");
        if (!keys)
            return tl::unexpected(keys.error());
        query.keys = std::move(*keys);
        auto names = stringsFromJson(request.value(u"names"), u"names");
        if (!names)
            return tl::unexpected(names.error());
        query.names = std::move(*names);
        auto term = optionalString(request, u"search_term");
        if (!term)
            return tl::unexpected(term.error());
        query.searchTerm = *term;
        query.limit = request.value(u"limit").toInt(0);
        query.offset = request.value(u"offset").toInt(0);
        return {};
    }

} // namespace

Result<QUuid> uuidFromJson(const QJsonValue& value, QStringView what)
{
    const QUuid key = value.isString() ? QUuid::fromString(value.toString()) : QUuid();
    if (key.isNull())
        return invalid(what.toString() + u" must be a UUID"_s);
    return key;
}

Result<Color> colorFromJson(const QJsonValue& value)
{
    if (value.isString())
        return colorFromHex(value.toString());
    if (value.isArray()) {
        const QJsonArray parts = value.toArray();
        if (parts.size() != 3 && parts.size() != 4)
            return invalid(u"color must have 3 or 4 parts"_s);
        return checked(Color { byteOf(parts[0].toDouble()),
            byteOf(parts[1].toDouble()),
            byteOf(parts[2].toDouble()),
            parts.size() == 4 ? parts[3].toDouble() : 1.0 });
    }
    if (value.isObject()) {
        const QJsonObject parts = value.toObject();
        return checked(Color { byteOf(parts.value(u"r").toDouble()),
            byteOf(parts.value(u"g").toDouble()),
            byteOf(parts.value(u"b").toDouble()),
            parts.value(u"a").toDouble(1.0) });
    }
    return invalid(u"color must be a hex string, an array or an object"_s);
}

QJsonObject toJson(const Color& color)
{
    return QJsonObject { { u"r"_s, color.r },
        { u"g"_s, color.g },
        { u"b"_s, color.b },
        { u"a"_s, color.a } };
}

Result<Range> rangeFromJson(const QJsonValue& value)
{
    if (!value.isObject())
        return invalid(u"each range must be an object"_s);
    const QJsonObject object = value.toObject();
    Range range;
    auto keyName = keyAndName(object);
    if (!keyName)
        return tl::unexpected(keyName.error());
    std::tie(range.key, range.name) = *keyName;
    auto span = timeRangeFromJson(object.value(u"time_range"), u"time_range");
    if (!span)
        return tl::unexpected(span.error());
    range.timeRange = *span;
    if (const QJsonValue color = object.value(u"color"); !color.isUndefined() && !color.isNull()) {
        auto parsed = colorFromJson(color);
        if (!parsed)
            return tl::unexpected(parsed.error());
        range.color = *parsed;
    }
    if (const QJsonValue parent = object.value(u"parent"); parent.isObject()) {
        auto key = uuidFromJson(parent.toObject().value(u"key"), u"parent.key");
        if (!key)
            return tl::unexpected(key.error());
        range.parent = *key;
    }
    return range;
}

QJsonObject toJson(const Range& range,
    const std::optional<Range>& parent,
    bool forRequest,
    const std::optional<std::vector<Label>>& labels)
{
    QJsonObject object { { u"name"_s, range.name }, { u"time_range"_s, toJson(range.timeRange) } };
    if (!forRequest || !range.key.isNull())
        object.insert(u"key"_s, keyText(range.key));
    if (!forRequest || range.color)
        object.insert(u"color"_s, toJson(range.color.value_or(Color {})));
    if (labels) {
        QJsonArray list;
        for (const Label& label : *labels)
            list.append(toJson(label));
        object.insert(u"labels"_s, list);
    } else if (!forRequest) {
        object.insert(u"labels"_s, QJsonValue::Null);
    }
    if (parent)
        object.insert(u"parent"_s, toJson(*parent));
    return object;
}

Result<std::vector<Range>> rangesFromJson(const QJsonValue& value)
{
    return arrayFromJson(value, u"ranges", rangeFromJson);
}

QJsonObject toJson(const RangeQuery& query)
{
    QJsonObject request;
    writeFilters(request, query);
    if (query.overlapsWith)
        request.insert(u"overlaps_with"_s, toJson(*query.overlapsWith));
    if (!query.hasLabels.empty()) {
        QJsonArray labels;
        for (const QUuid& label : query.hasLabels)
            labels.append(keyText(label));
        request.insert(u"has_labels"_s, labels);
    }
    return request;
}

Result<RangeQuery> rangeQueryFromJson(const QJsonObject& request)
{
    RangeQuery query;
    if (auto read = readFilters(request, query); !read)
        return tl::unexpected(read.error());
    if (const QJsonValue overlaps = request.value(u"overlaps_with");
        !overlaps.isUndefined() && !overlaps.isNull()) {
        auto span = timeRangeFromJson(overlaps, u"overlaps_with");
        if (!span)
            return tl::unexpected(span.error());
        query.overlapsWith = *span;
    }
    auto labels = uuidsFromJson(request.value(u"has_labels"), u"has_labels");
    if (!labels)
        return tl::unexpected(labels.error());
    query.hasLabels = std::move(*labels);
    return query;
}

QJsonObject toJson(const QUuid& range, const RangePair& pair)
{
    return QJsonObject { { u"range"_s, keyText(range) },
        { u"key"_s, pair.key },
        { u"value"_s, pair.value } };
}

Result<RangePair> rangePairFromJson(const QJsonValue& value)
{
    const QJsonObject pair = value.toObject();
    auto key = requireString(pair, u"key");
    if (!key)
        return tl::unexpected(key.error());
    auto text = requireString(pair, u"value");
    if (!text)
        return tl::unexpected(text.error());
    return RangePair { *key, *text };
}

QJsonObject toJson(const Label& label, bool forRequest)
{
    QJsonObject object { { u"name"_s, label.name }, { u"color"_s, toJson(label.color) } };
    if (!forRequest || !label.key.isNull())
        object.insert(u"key"_s, keyText(label.key));
    return object;
}

Result<Label> labelFromJson(const QJsonValue& value)
{
    if (!value.isObject())
        return invalid(u"each label must be an object"_s);
    const QJsonObject object = value.toObject();
    Label label;
    auto keyName = keyAndName(object);
    if (!keyName)
        return tl::unexpected(keyName.error());
    std::tie(label.key, label.name) = *keyName;
    auto color = colorFromJson(object.value(u"color"));
    if (!color)
        return tl::unexpected(color.error());
    label.color = *color;
    return label;
}

QJsonObject toJson(const ResourceId& id)
{
    return QJsonObject { { u"type"_s, id.type }, { u"key"_s, id.key } };
}

Result<ResourceId> resourceIdFromJson(const QJsonValue& value, QStringView what)
{
    const QJsonObject id = value.toObject();
    const QJsonValue key = id.value(u"key");
    ResourceId out { id.value(u"type").toString(),
        key.isDouble() ? QString::number(key.toInteger()) : key.toString() };
    if (out.type.isEmpty() || out.key.isEmpty())
        return invalid(what.toString() + u" must be an ontology ID {type, key}"_s);
    return out;
}

QJsonObject toJson(const Group& group)
{
    return QJsonObject { { u"key"_s, keyText(group.key) }, { u"name"_s, group.name } };
}

QJsonObject resourceJson(const ResourceId& id, const QString& name, const QJsonValue& data)
{
    return QJsonObject { { u"id"_s, toJson(id) }, { u"name"_s, name }, { u"data"_s, data } };
}

QJsonObject resourceJson(const Range& range)
{
    const QJsonObject data { { u"key"_s, keyText(range.key) },
        { u"name"_s, range.name },
        { u"color"_s, toJson(range.color.value_or(Color {})) },
        { u"time_range"_s, toJson(range.timeRange) } };
    return resourceJson(ResourceId { u"range"_s, keyText(range.key) }, range.name, data);
}

QJsonObject resourceJson(const Label& label)
{
    return resourceJson(ResourceId { u"label"_s, keyText(label.key) }, label.name, toJson(label));
}

QJsonObject resourceJson(const Group& group)
{
    return resourceJson(ResourceId { u"group"_s, keyText(group.key) }, group.name, toJson(group));
}

QJsonObject toJson(const LabelQuery& query)
{
    QJsonObject request;
    if (query.of)
        request.insert(u"for"_s, toJson(*query.of));
    writeFilters(request, query);
    return request;
}

Result<LabelQuery> labelQueryFromJson(const QJsonObject& request)
{
    LabelQuery query;
    if (const QJsonValue of = request.value(u"for"); of.isObject()) {
        auto id = resourceIdFromJson(of, u"for");
        if (!id)
            return tl::unexpected(id.error());
        query.of = *id;
    }
    if (auto read = readFilters(request, query); !read)
        return tl::unexpected(read.error());
    return query;
}

Result<QStringList> stringsFromJson(const QJsonValue& value, QStringView what)
{
    auto items = arrayFromJson(value, what, [what](const QJsonValue& item) {
        return item.isString() ? Result<QString>(item.toString())
                               : invalid(what.toString() + u" must hold strings"_s);
    });
    if (!items)
        return tl::unexpected(items.error());
    return QStringList(items->begin(), items->end());
}

Result<std::vector<QUuid>> uuidsFromJson(const QJsonValue& value, QStringView what)
{
    return arrayFromJson(value, what, [what](const QJsonValue& key) {
        return uuidFromJson(key, what);
    });
}

} // namespace sightline::core::codec
