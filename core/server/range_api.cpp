#include "core/server/range_api.h"

#include "core/codec/json_values.h"
#include "core/server/range_registry.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::core::server::range_api {

namespace {

    tl::unexpected<Error> invalid(const QString& message)
    {
        return fail(errors::Validation, message);
    }

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    Result<QUuid> uuidFromJson(const QJsonValue& value, QStringView what)
    {
        const QUuid key = value.isString() ? QUuid::fromString(value.toString()) : QUuid();
        if (key.isNull())
            return invalid(what.toString() + u" must be a UUID"_s);
        return key;
    }

    /// A colour as the clients send it: "#rrggbb[aa]", [r, g, b(, a)] or {r, g, b, a}
    /// (r, g, b 0–255, a 0–1).
    Result<RangeColor> colorFromJson(const QJsonValue& value)
    {
        const auto channel = [](double v) { return static_cast<int>(std::lround(v)); };
        const auto checked = [](RangeColor color) -> Result<RangeColor> {
            const auto inByte = [](int v) { return v >= 0 && v <= 255; };
            if (!inByte(color.r) || !inByte(color.g) || !inByte(color.b) || color.a < 0
                || color.a > 1)
                return invalid(u"color is out of range (0–255 and an alpha of 0–1)"_s);
            return color;
        };
        if (value.isString()) {
            static const QRegularExpression hex(u"^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$"_s);
            const auto match = hex.match(value.toString());
            if (!match.hasMatch())
                return invalid(u"color '%1' is not #rrggbb or #rrggbbaa"_s.arg(value.toString()));
            const uint rgb = match.captured(1).toUInt(nullptr, 16);
            const double alpha
                = match.captured(2).isEmpty() ? 1.0 : match.captured(2).toUInt(nullptr, 16) / 255.0;
            return checked(RangeColor { int((rgb >> 16) & 0xff),
                int((rgb >> 8) & 0xff),
                int(rgb & 0xff),
                alpha });
        }
        if (value.isArray()) {
            const QJsonArray parts = value.toArray();
            if (parts.size() != 3 && parts.size() != 4)
                return invalid(u"color must have 3 or 4 parts"_s);
            return checked(RangeColor { channel(parts[0].toDouble()),
                channel(parts[1].toDouble()),
                channel(parts[2].toDouble()),
                parts.size() == 4 ? parts[3].toDouble() : 1.0 });
        }
        if (value.isObject()) {
            const QJsonObject parts = value.toObject();
            return checked(RangeColor { channel(parts.value(u"r").toDouble()),
                channel(parts.value(u"g").toDouble()),
                channel(parts.value(u"b").toDouble()),
                parts.value(u"a").toDouble(1.0) });
        }
        return invalid(u"color must be a hex string, an array or an object"_s);
    }

    QJsonObject toJson(const RangeColor& color)
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
        if (const QJsonValue key = object.value(u"key");
            !key.isUndefined() && !key.isNull() && !(key.isString() && key.toString().isEmpty())) {
            auto parsed = uuidFromJson(key, u"key");
            if (!parsed)
                return tl::unexpected(parsed.error());
            range.key = *parsed;
        }
        auto name = codec::requireString(object, u"name");
        if (!name)
            return tl::unexpected(name.error());
        range.name = *name;
        auto span = codec::timeRangeFromJson(object.value(u"time_range"), u"time_range");
        if (!span)
            return tl::unexpected(span.error());
        range.timeRange = *span;
        if (const QJsonValue color = object.value(u"color");
            !color.isUndefined() && !color.isNull()) {
            auto parsed = colorFromJson(color);
            if (!parsed)
                return tl::unexpected(parsed.error());
            range.color = *parsed;
        }
        return range;
    }

    /// A range as Synnax sends it; `parent`, when given, nested as a plain range.
    QJsonObject toJson(const Range& range, const std::optional<Range>& parent = std::nullopt)
    {
        QJsonObject object { { u"key"_s, keyText(range.key) },
            { u"name"_s, range.name },
            { u"time_range"_s, codec::toJson(range.timeRange) },
            { u"color"_s, toJson(range.color.value_or(RangeColor {})) },
            { u"labels"_s, QJsonValue::Null } };
        if (parent)
            object.insert(u"parent"_s, toJson(*parent));
        return object;
    }

    Result<std::vector<QUuid>> keysFromJson(const QJsonValue& value)
    {
        return codec::arrayFromJson(value, u"keys", [](const QJsonValue& key) {
            return uuidFromJson(key, u"keys");
        });
    }

    Result<QStringList> stringsFromJson(const QJsonValue& value, QStringView what)
    {
        auto items = codec::arrayFromJson(value, what, [what](const QJsonValue& item) {
            return item.isString() ? Result<QString>(item.toString())
                                   : invalid(what.toString() + u" must hold strings"_s);
        });
        if (!items)
            return tl::unexpected(items.error());
        return QStringList(items->begin(), items->end());
    }

    /// A range's parent as an ontology ID {type: "range", key}; other types are not served.
    Result<std::optional<QUuid>> parentFromJson(const QJsonValue& value)
    {
        if (value.isUndefined() || value.isNull())
            return std::optional<QUuid>();
        const QJsonObject id = value.toObject();
        if (id.value(u"type").toString() != u"range")
            return invalid(u"only a range can be a range's parent here (got '%1')"_s.arg(
                id.value(u"type").toString()));
        auto key = uuidFromJson(id.value(u"key"), u"parent.key");
        if (!key)
            return tl::unexpected(key.error());
        return std::optional<QUuid>(*key);
    }

    QJsonObject nothing() { return QJsonObject {}; }

} // namespace

Result<QJsonObject> create(RangeRegistry& ranges, const QJsonObject& request)
{
    auto parsed = codec::arrayFromJson(request.value(u"ranges"), u"ranges", rangeFromJson);
    if (!parsed)
        return tl::unexpected(parsed.error());
    auto parent = parentFromJson(request.value(u"parent"));
    if (!parent)
        return tl::unexpected(parent.error());
    auto created = ranges.create(std::move(*parsed), *parent);
    if (!created)
        return tl::unexpected(created.error());
    QJsonArray out;
    for (const Range& range : *created)
        out.append(toJson(range));
    return QJsonObject { { u"ranges"_s, out } };
}

Result<QJsonObject> retrieve(const RangeRegistry& ranges, const QJsonObject& request)
{
    RangeQuery query;
    auto keys = keysFromJson(request.value(u"keys"));
    if (!keys)
        return tl::unexpected(keys.error());
    query.keys = std::move(*keys);
    auto names = stringsFromJson(request.value(u"names"), u"names");
    if (!names)
        return tl::unexpected(names.error());
    query.names = std::move(*names);
    auto term = codec::optionalString(request, u"search_term");
    if (!term)
        return tl::unexpected(term.error());
    query.searchTerm = *term;
    if (const QJsonValue overlaps = request.value(u"overlaps_with");
        !overlaps.isUndefined() && !overlaps.isNull()) {
        auto span = codec::timeRangeFromJson(overlaps, u"overlaps_with");
        if (!span)
            return tl::unexpected(span.error());
        query.overlapsWith = *span;
    }
    query.limit = request.value(u"limit").toInt(0);
    query.offset = request.value(u"offset").toInt(0);
    auto labels = keysFromJson(request.value(u"has_labels"));
    if (!labels)
        return tl::unexpected(labels.error());
    auto includeParent = codec::optionalBool(request, u"include_parent", false);
    if (!includeParent)
        return tl::unexpected(includeParent.error());
    auto found = ranges.retrieve(query);
    if (!found)
        return tl::unexpected(found.error());
    QJsonArray out;
    if (labels->empty()) // no range has labels yet: a label filter matches none
        for (const Range& range : *found) {
            std::optional<Range> parent;
            if (*includeParent && range.parent)
                parent = ranges.find(*range.parent);
            out.append(toJson(range, parent));
        }
    return QJsonObject { { u"ranges"_s, out } };
}

Result<QJsonObject> rename(RangeRegistry& ranges, const QJsonObject& request)
{
    auto key = uuidFromJson(request.value(u"key"), u"key");
    if (!key)
        return tl::unexpected(key.error());
    auto name = codec::requireString(request, u"name");
    if (!name)
        return tl::unexpected(name.error());
    return ranges.rename(*key, *name).map(nothing);
}

Result<QJsonObject> remove(RangeRegistry& ranges, const QJsonObject& request)
{
    auto keys = keysFromJson(request.value(u"keys"));
    if (!keys)
        return tl::unexpected(keys.error());
    return ranges.remove(*keys).map(nothing);
}

Result<QJsonObject> getPairs(const RangeRegistry& ranges, const QJsonObject& request)
{
    auto range = uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    auto keys = stringsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    auto pairs = ranges.pairs(*range, *keys);
    if (!pairs)
        return tl::unexpected(pairs.error());
    QJsonArray out;
    for (const RangePair& pair : *pairs)
        out.append(QJsonObject { { u"range"_s, keyText(*range) },
            { u"key"_s, pair.key },
            { u"value"_s, pair.value } });
    return QJsonObject { { u"pairs"_s, out } };
}

Result<QJsonObject> setPairs(RangeRegistry& ranges, const QJsonObject& request)
{
    auto range = uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    auto pairs = codec::arrayFromJson(request.value(u"pairs"),
        u"pairs",
        [](const QJsonValue& item) -> Result<RangePair> {
            const QJsonObject pair = item.toObject();
            auto key = codec::requireString(pair, u"key");
            if (!key)
                return tl::unexpected(key.error());
            auto value = codec::requireString(pair, u"value");
            if (!value)
                return tl::unexpected(value.error());
            return RangePair { *key, *value };
        });
    if (!pairs)
        return tl::unexpected(pairs.error());
    return ranges.setPairs(*range, *pairs).map(nothing);
}

Result<QJsonObject> removePairs(RangeRegistry& ranges, const QJsonObject& request)
{
    auto range = uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    auto keys = stringsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    return ranges.removePairs(*range, *keys).map(nothing);
}

} // namespace sightline::core::server::range_api
