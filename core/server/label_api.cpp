#include "core/server/label_api.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"
#include "core/server/channel_registry.h"
#include "core/server/label_registry.h"
#include "core/server/range_registry.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::server::label_api {

namespace {

    QJsonObject labelsResponse(const std::vector<Label>& labels)
    {
        QJsonArray out;
        for (const Label& label : labels)
            out.append(codec::toJson(label));
        return QJsonObject { { u"labels"_s, out } };
    }

    /// The `id` and `labels` fields of a set or remove request.
    Result<std::pair<ResourceId, std::vector<QUuid>>> idAndLabels(const QJsonObject& request)
    {
        auto id = codec::resourceIdFromJson(request.value(u"id"), u"id");
        if (!id)
            return tl::unexpected(id.error());
        auto labels = codec::uuidsFromJson(request.value(u"labels"), u"labels");
        if (!labels)
            return tl::unexpected(labels.error());
        return std::pair { *id, *labels };
    }

} // namespace

Result<QJsonObject> create(Metadata& stores, const QJsonObject& request)
{
    auto labels = codec::arrayFromJson(request.value(u"labels"), u"labels", codec::labelFromJson);
    if (!labels)
        return tl::unexpected(labels.error());
    return stores.labels.create(std::move(*labels)).map(labelsResponse);
}

Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request)
{
    auto query = codec::labelQueryFromJson(request);
    if (!query)
        return tl::unexpected(query.error());
    return stores.labels.retrieve(*query).map(labelsResponse);
}

Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request)
{
    auto keys = codec::uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    return stores.labels.remove(*keys).map([] { return QJsonObject {}; });
}

Result<QJsonObject> attach(Metadata& stores, const QJsonObject& request)
{
    const auto asked = idAndLabels(request);
    if (!asked)
        return tl::unexpected(asked.error());
    auto replace = codec::optionalBool(request, u"replace", false);
    if (!replace)
        return tl::unexpected(replace.error());
    const auto exists = [&](const ResourceId& id) {
        if (id.type == u"range")
            return stores.ranges.find(QUuid::fromString(id.key)).has_value();
        if (id.type == u"channel") {
            bool numeric = false;
            const uint key = id.key.toUInt(&numeric);
            return numeric && stores.channels.find(ChannelKey(key)).has_value();
        }
        return false;
    };
    return stores.labels.attach(asked->first, asked->second, *replace, exists).map([] {
        return QJsonObject {};
    });
}

Result<QJsonObject> detach(Metadata& stores, const QJsonObject& request)
{
    const auto asked = idAndLabels(request);
    if (!asked)
        return tl::unexpected(asked.error());
    return stores.labels.detach(asked->first, asked->second).map([] { return QJsonObject {}; });
}

} // namespace sightline::core::server::label_api
