#include "core/server/range_api.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"
#include "core/server/change_signals.h"
#include "core/server/channel_registry.h"
#include "core/server/label_registry.h"
#include "core/server/ontology_registry.h"
#include "core/server/range_registry.h"

#include <QJsonArray>

#include <algorithm>

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

    ResourceId rangeId(const QUuid& range)
    {
        return ResourceId { u"range"_s, range.toString(QUuid::WithoutBraces) };
    }

    /// The relation placing `range` under its parent range, as signals write it.
    QString parentRelation(const Range& range)
    {
        return ParentLink { rangeId(*range.parent), rangeId(range.key) }.text();
    }

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

Result<QJsonObject> create(Metadata& stores, const QJsonObject& request)
{
    auto parsed = codec::rangesFromJson(request.value(u"ranges"));
    if (!parsed)
        return tl::unexpected(parsed.error());
    for (Range& range : *parsed)
        range.parent.reset(); // only the request's parent places a range
    auto parent = parentFromJson(request.value(u"parent"));
    if (!parent)
        return tl::unexpected(parent.error());
    auto created = stores.ranges.create(std::move(*parsed), *parent);
    if (!created)
        return tl::unexpected(created.error());
    QJsonArray out;
    QStringList relations;
    for (const Range& range : *created) {
        out.append(codec::toJson(range));
        if (*parent)
            relations.append(parentRelation(range));
    }
    stores.changes.rangesSet(*created);
    stores.changes.relationsSet(relations);
    return QJsonObject { { u"ranges"_s, out } };
}

Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request)
{
    auto query = codec::rangeQueryFromJson(request);
    if (!query)
        return tl::unexpected(query.error());
    auto includeParent = codec::optionalBool(request, u"include_parent", false);
    if (!includeParent)
        return tl::unexpected(includeParent.error());
    auto includeLabels = codec::optionalBool(request, u"include_labels", false);
    if (!includeLabels)
        return tl::unexpected(includeLabels.error());
    // A range matches a label filter when it has any of the labels. Asked of the label store
    // first: the range store's lock is not held while the label store's is taken.
    std::function<bool(const Range&)> labelled;
    if (!query->hasLabels.empty())
        labelled
            = [resources = stores.labels.labelledWithAnyOf(query->hasLabels)](
                  const Range& range) { return resources.contains(rangeId(range.key).text()); };
    auto found = stores.ranges.retrieve(*query, labelled);
    if (!found)
        return tl::unexpected(found.error());
    QJsonArray out;
    for (const Range& range : *found) {
        std::optional<Range> parent;
        if (*includeParent && range.parent)
            parent = stores.ranges.find(*range.parent);
        std::optional<std::vector<Label>> labels;
        if (*includeLabels)
            labels = stores.labels.labelsOf(rangeId(range.key));
        out.append(codec::toJson(range, parent, false, labels));
    }
    return QJsonObject { { u"ranges"_s, out } };
}

Result<QJsonObject> rename(Metadata& stores, const QJsonObject& request)
{
    auto key = codec::uuidFromJson(request.value(u"key"), u"key");
    if (!key)
        return tl::unexpected(key.error());
    auto name = codec::requireString(request, u"name");
    if (!name)
        return tl::unexpected(name.error());
    if (auto renamed = stores.ranges.rename(*key, *name); !renamed)
        return tl::unexpected(renamed.error());
    if (const auto range = stores.ranges.find(*key))
        stores.changes.rangesSet(std::span(&*range, 1));
    return nothing();
}

Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request)
{
    auto keys = codec::uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    // Every range as it was, for the parent relations of those deleted (children included).
    const auto before = stores.ranges.retrieve(RangeQuery {});
    if (!before)
        return tl::unexpected(before.error());
    const auto removed = stores.ranges.remove(*keys);
    if (!removed)
        return tl::unexpected(removed.error());
    std::vector<ResourceId> ids;
    QStringList relations;
    for (const Range& range : *before)
        if (std::find(removed->begin(), removed->end(), range.key) != removed->end()) {
            ids.push_back(rangeId(range.key));
            if (range.parent)
                relations.append(parentRelation(range));
        }
    stores.changes.relationsDeleted(relations);
    // A deleted range loses its labels and other relations (announced before the range).
    if (auto forgotten = forgetResources(stores, ids); !forgotten)
        return tl::unexpected(forgotten.error());
    stores.changes.rangesDeleted(*removed);
    return nothing();
}

Result<QJsonObject> getPairs(Metadata& stores, const QJsonObject& request)
{
    const auto asked = rangeAndKeys(request);
    if (!asked)
        return tl::unexpected(asked.error());
    const auto& [range, keys] = *asked;
    auto pairs = stores.ranges.pairs(range, keys);
    if (!pairs)
        return tl::unexpected(pairs.error());
    QJsonArray out;
    for (const RangePair& pair : *pairs)
        out.append(codec::toJson(range, pair));
    return QJsonObject { { u"pairs"_s, out } };
}

Result<QJsonObject> setPairs(Metadata& stores, const QJsonObject& request)
{
    auto range = codec::uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    auto pairs = codec::arrayFromJson(request.value(u"pairs"), u"pairs", codec::rangePairFromJson);
    if (!pairs)
        return tl::unexpected(pairs.error());
    if (auto set = stores.ranges.setPairs(*range, *pairs); !set)
        return tl::unexpected(set.error());
    stores.changes.pairsSet(*range, *pairs);
    return nothing();
}

Result<QJsonObject> removePairs(Metadata& stores, const QJsonObject& request)
{
    const auto asked = rangeAndKeys(request);
    if (!asked)
        return tl::unexpected(asked.error());
    if (auto removed = stores.ranges.removePairs(asked->first, asked->second); !removed)
        return tl::unexpected(removed.error());
    stores.changes.pairsDeleted(asked->first, asked->second);
    return nothing();
}

namespace {

    /// The `range` field and the channel keys in `field` (an array of numbers).
    Result<std::pair<QUuid, std::vector<ChannelKey>>> rangeAndChannels(const QJsonObject& request,
        QStringView field)
    {
        auto range = codec::uuidFromJson(request.value(u"range"), u"range");
        if (!range)
            return tl::unexpected(range.error());
        auto channels = codec::arrayFromJson(request.value(field),
            field,
            [field](const QJsonValue& key) { return codec::uint32FromJson(key, field); });
        if (!channels)
            return tl::unexpected(channels.error());
        return std::pair { *range, std::vector<ChannelKey>(channels->begin(), channels->end()) };
    }

    /// `{"aliases": {"<channel key>": alias}}` for the aliases of `wanted` channels (all when
    /// null).
    QJsonObject aliasesResponse(const std::map<ChannelKey, QString>& aliases,
        const std::vector<ChannelKey>* wanted)
    {
        QJsonObject out;
        for (const auto& [channel, alias] : aliases)
            if (wanted == nullptr
                || std::find(wanted->begin(), wanted->end(), channel) != wanted->end())
                out.insert(QString::number(channel), alias);
        return QJsonObject { { u"aliases"_s, out } };
    }

} // namespace

Result<QJsonObject> setAliases(Metadata& stores, const QJsonObject& request)
{
    auto range = codec::uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    std::map<ChannelKey, QString> aliases;
    const QJsonObject given = request.value(u"aliases").toObject();
    for (auto it = given.begin(); it != given.end(); ++it) {
        bool numeric = false;
        const uint channel = it.key().toUInt(&numeric);
        if (!numeric || !it.value().isString())
            return fail(errors::Validation, u"aliases map channel keys to names"_s);
        if (!stores.channels.find(ChannelKey(channel)))
            return fail(errors::NotFound, u"no channel %1 to alias"_s.arg(channel));
        aliases[ChannelKey(channel)] = it.value().toString();
    }
    if (auto set = stores.ranges.setAliases(*range, aliases); !set)
        return tl::unexpected(set.error());
    stores.changes.aliasesSet(*range, aliases);
    return nothing();
}

Result<QJsonObject> resolveAliases(Metadata& stores, const QJsonObject& request)
{
    auto range = codec::uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    auto names = codec::stringsFromJson(request.value(u"aliases"), u"aliases");
    if (!names)
        return tl::unexpected(names.error());
    QJsonObject out;
    for (const auto& [name, channel] : stores.ranges.resolve(*range, *names))
        out.insert(name, qint64(channel));
    return QJsonObject { { u"aliases"_s, out } };
}

Result<QJsonObject> retrieveAliases(Metadata& stores, const QJsonObject& request)
{
    const auto asked = rangeAndChannels(request, u"channels");
    if (!asked)
        return tl::unexpected(asked.error());
    return aliasesResponse(stores.ranges.aliases(asked->first), &asked->second);
}

Result<QJsonObject> listAliases(Metadata& stores, const QJsonObject& request)
{
    auto range = codec::uuidFromJson(request.value(u"range"), u"range");
    if (!range)
        return tl::unexpected(range.error());
    return aliasesResponse(stores.ranges.aliases(*range), nullptr);
}

Result<QJsonObject> removeAliases(Metadata& stores, const QJsonObject& request)
{
    const auto asked = rangeAndChannels(request, u"channels");
    if (!asked)
        return tl::unexpected(asked.error());
    if (auto removed = stores.ranges.removeAliases(asked->first, asked->second); !removed)
        return tl::unexpected(removed.error());
    stores.changes.aliasesDeleted(asked->first, asked->second);
    return nothing();
}

} // namespace sightline::core::server::range_api
