#include "core/server/metadata.h"

#include "core/codec/range_json.h"
#include "core/codec/telem_json.h"
#include "core/server/change_signals.h"
#include "core/server/channel_registry.h"
#include "core/server/label_registry.h"
#include "core/server/ontology_registry.h"
#include "core/server/range_registry.h"
#include "core/server/workspace_registry.h"

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    std::optional<ChannelKey> channelKeyOf(const ResourceId& id)
    {
        bool numeric = false;
        const uint key = id.key.toUInt(&numeric);
        return numeric ? std::optional<ChannelKey>(ChannelKey(key)) : std::nullopt;
    }

} // namespace

bool resourceExists(const Metadata& stores, const ResourceId& id)
{
    return resourceOf(stores, id).has_value();
}

std::optional<QJsonObject> resourceOf(const Metadata& stores, const ResourceId& id)
{
    const QUuid uuid = QUuid::fromString(id.key);
    if (id.type == u"builtin" && id.key == u"root")
        return codec::resourceJson(id, u"root"_s);
    if (id.type == u"range")
        if (const auto range = stores.ranges.find(uuid))
            return codec::resourceJson(*range);
    if (id.type == u"label") {
        LabelQuery query;
        query.keys = { uuid };
        const auto labels = stores.labels.retrieve(query);
        if (labels && labels->size() == 1)
            return codec::resourceJson(labels->front());
    }
    if (id.type == u"workspace" && stores.workspaces != nullptr)
        if (const auto workspace = stores.workspaces->find(uuid))
            return workspaceResource(*workspace);
    if (id.type == u"group")
        if (const auto group = stores.ontology.group(uuid))
            return codec::resourceJson(*group);
    if (id.type == u"channel")
        if (const auto key = channelKeyOf(id))
            if (const auto channel = stores.channels.find(*key))
                return codec::resourceJson(id, channel->name, codec::toJson(*channel));
    return std::nullopt;
}

Result<void> forgetResources(Metadata& stores, std::span<const ResourceId> ids)
{
    QStringList removed;
    for (const ResourceId& id : ids) {
        auto labels = stores.labels.forget(id);
        if (!labels)
            return tl::unexpected(labels.error());
        for (const LabelLink& link : *labels)
            removed.append(relationText(link));
        auto links = stores.ontology.forget(id);
        if (!links)
            return tl::unexpected(links.error());
        for (const ParentLink& link : *links)
            removed.append(link.text());
    }
    stores.changes.relationsDeleted(removed);
    return {};
}

} // namespace sightline::core::server
