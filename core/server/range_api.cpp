#include "core/server/range_api.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"
#include "core/server/range_registry.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::server::range_api {

namespace {

    /// A range's parent as an ontology ID {type: "range", key}; other types are not served.
    Result<std::optional<QUuid>> parentFromJson(const QJsonValue& value)
    {
        if (value.isUndefined() || value.isNull())
            return std::optional<QUuid>();
        const QJsonObject id = value.toObject();
        if (id.value(u"type").toString() != u"range")
            return fail(errors::Validation,
                u"only a range can be a range's parent here (got '%1')"_s.arg(
                    id.value(u"type").toString()));
        auto key = codec::uuidFromJson(id.value(u"key"), u"parent.key");
        if (!key)
            return tl::unexpected(key.error());
        return std::optional<QUuid>(*key);
    }

    QJsonObject nothing() { return QJsonObject {}; }

    /// The `range` and `keys` fields of a key-value request.
    Result<std::pair<QUuid, QStringList>> rangeAndKeys(const QJsonObject& request)
    {
        auto range = codec::uuidFromJson(request.value(u"range"), u"range");
        if (!range)
            return tl::unexpected(range.error());
        auto keys = codec::stringsFromJson(request.value(u"keys"), u"keys");
        if (!keys)
            return tl::unexpected(keys.error());
        return std::pair { *range, *keys };
    }

} // namespace

Result<QJsonObject> create(RangeRegistry& ranges, const QJsonObject& request)
{
    auto parsed = codec::rangesFromJson(request.value(u"ranges"));
    if (!parsed)
        return tl::unexpected(parsed.error());
    for (Range& range : *parsed)
        range.parent.reset(); // only the request's parent places a range
    auto parent = parentFromJson(request.value(u"parent"));
    if (!parent)
        return tl::unexpected(parent.error());
    auto created = ranges.create(std::move(*parsed), *parent);
    if (!created)
        return tl::unexpected(created.error());
    QJsonArray out;
    for (const Range& range : *created)
        out.append(codec::toJson(range));
    return QJsonObject { { u"ranges"_s, out } };
}

Result<QJsonObject> retrieve(const RangeRegistry& ranges, const QJsonObject& request)
{
    auto query = codec::rangeQueryFromJson(request);
    if (!query)
        return tl::unexpected(query.error());
    auto labels = codec::uuidsFromJson(request.value(u"has_labels"), u"has_labels");
    if (!labels)
        return tl::unexpected(labels.error());
    auto includeParent = codec::optionalBool(request, u"include_parent", false);
    if (!includeParent)
        return tl::unexpected(includeParent.error());
    auto found = ranges.retrieve(*query);
    if (!found)
        return tl::unexpected(found.error());
    QJsonArray out;
    if (labels->empty()) // no range has labels yet: a label filter matches none
        for (const Range& range : *found) {
            std::optional<Range> parent;
            if (*includeParent && range.parent)
                parent = ranges.find(*range.parent);
            out.append(codec::toJson(range, parent));
        }
    return QJsonObject { { u"ranges"_s, out } };
}

Result<QJsonObject> rename(RangeRegistry& ranges, const QJsonObject& request)
{
    auto key = codec::uuidFromJson(request.value(u"key"), u"key");
    if (!key)
        return tl::unexpected(key.error());
    auto name = codec::requireString(request, u"name");
    if (!name)
        return tl::unexpected(name.error());
    return ranges.rename(*key, *name).map(nothing);
}

Result<QJsonObject> remove(RangeRegistry& ranges, const QJsonObject& request)
{
    auto keys = codec::uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    return ranges.remove(*keys).map(nothing);
}

Result<QJsonObject> getPairs(const RangeRegistry& ranges, const QJsonObject& request)
{
    const auto asked = rangeAndKeys(request);
    if (!asked)
        return tl::unexpected(asked.error());
    const auto& [range, keys] = *asked;
    auto pairs = ranges.pairs(range, keys);
    if (!pairs)
        return tl::unexpected(pairs.error());
    QJsonArray out;
    for (const RangePair& pair : *pairs)
        out.append(codec::toJson(range, pair));
    return QJsonObject { { u"pairs"_s, out } };
}

Result<QJsonObject> setPairs(RangeRegistry& ranges, const QJsonObject& request)
{
    auto range = codec::uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    auto pairs = codec::arrayFromJson(request.value(u"pairs"), u"pairs", codec::rangePairFromJson);
    if (!pairs)
        return tl::unexpected(pairs.error());
    return ranges.setPairs(*range, *pairs).map(nothing);
}

Result<QJsonObject> removePairs(RangeRegistry& ranges, const QJsonObject& request)
{
    const auto asked = rangeAndKeys(request);
    if (!asked)
        return tl::unexpected(asked.error());
    return ranges.removePairs(asked->first, asked->second).map(nothing);
}

} // namespace sightline::core::server::range_api
