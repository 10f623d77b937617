#include "core/server/ontology_api.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"
#include "core/server/change_signals.h"
#include "core/server/channel_registry.h"
#include "core/server/label_registry.h"
#include "core/server/ontology_registry.h"
#include "core/server/range_registry.h"

#include <QJsonArray>

#include <algorithm>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::core::server::ontology_api {

namespace {

    QJsonObject nothing() { return QJsonObject {}; }

    bool isRange(const ResourceId& id) { return id.type == u"range"; }

    ResourceId rangeId(const QUuid& key)
    {
        return ResourceId { u"range"_s, key.toString(QUuid::WithoutBraces) };
    }

    /// The resources `id` holds: its child ranges (a range) and its other `parent` relations.
    std::vector<ResourceId> childrenOf(const Metadata& stores, const ResourceId& id)
    {
        std::vector<ResourceId> children;
        if (isRange(id))
            for (const QUuid& child : stores.ranges.childrenOf(QUuid::fromString(id.key)))
                children.push_back(rangeId(child));
        for (ResourceId& child : stores.ontology.childrenOf(id))
            children.push_back(std::move(child));
        return children;
    }

    std::vector<ResourceId> parentsOf(const Metadata& stores, const ResourceId& id)
    {
        std::vector<ResourceId> parents;
        if (isRange(id))
            if (const auto range = stores.ranges.find(QUuid::fromString(id.key));
                range && range->parent)
                parents.push_back(rangeId(*range->parent));
        for (ResourceId& parent : stores.ontology.parentsOf(id))
            parents.push_back(std::move(parent));
        return parents;
    }

    /// True when `candidate` is `ancestor` or below it.
    bool holds(const Metadata& stores, const ResourceId& ancestor, const ResourceId& candidate)
    {
        std::vector<ResourceId> pending { ancestor };
        std::set<QString> seen;
        while (!pending.empty()) {
            const ResourceId at = pending.back();
            pending.pop_back();
            if (at == candidate)
                return true;
            if (!seen.insert(at.text()).second)
                continue;
            for (ResourceId& child : childrenOf(stores, at))
                pending.push_back(std::move(child));
        }
        return false;
    }

    /// Every resource of every store, the root first.
    std::vector<ResourceId> everyResource(const Metadata& stores)
    {
        std::vector<ResourceId> all { ResourceId { u"builtin"_s, u"root"_s } };
        if (const auto ranges = stores.ranges.retrieve(RangeQuery {}))
            for (const Range& range : *ranges)
                all.push_back(rangeId(range.key));
        if (const auto labels = stores.labels.retrieve(LabelQuery {}))
            for (const Label& label : *labels)
                all.push_back({ u"label"_s, label.key.toString(QUuid::WithoutBraces) });
        for (const Group& group : stores.ontology.groups())
            all.push_back({ u"group"_s, group.key.toString(QUuid::WithoutBraces) });
        for (const Channel& channel : stores.channels.all())
            all.push_back({ u"channel"_s, QString::number(channel.key) });
        return all;
    }

    Result<void> requireExisting(const Metadata& stores, const ResourceId& id)
    {
        if (!resourceExists(stores, id))
            return fail(errors::NotFound, u"no resource %1 in the ontology"_s.arg(id.text()));
        return {};
    }

    /// Checks that `parent -parent-> child` may be added: both exist and no cycle forms.
    Result<void> checkRelation(
        const Metadata& stores, const ResourceId& parent, const ResourceId& child)
    {
        if (auto ok = requireExisting(stores, parent); !ok)
            return ok;
        if (auto ok = requireExisting(stores, child); !ok)
            return ok;
        if (holds(stores, child, parent))
            return fail(errors::Validation,
                u"cyclic dependency detected: %1 cannot hold %2"_s.arg(parent.text(),
                    child.text()));
        return {};
    }

    /// Adds `parent -parent-> child` (checked) and announces what changed.
    Result<void> relate(Metadata& stores, const ResourceId& parent, const ResourceId& child)
    {
        const ParentLink link { parent, child };
        if (isRange(parent) && isRange(child)) {
            const auto before = stores.ranges.find(QUuid::fromString(child.key));
            const QUuid parentKey = QUuid::fromString(parent.key);
            if (before && before->parent == parentKey)
                return {};
            if (auto ok = stores.ranges.setParent(before->key, parentKey); !ok)
                return ok;
            if (before->parent)
                stores.changes.relationsDeleted(
                    { ParentLink { rangeId(*before->parent), child }.text() });
            stores.changes.relationsSet({ link.text() });
            return {};
        }
        auto added = stores.ontology.link(link);
        if (!added)
            return tl::unexpected(added.error());
        if (*added)
            stores.changes.relationsSet({ link.text() });
        return {};
    }

    /// Removes `parent -parent-> child` when it exists and announces it.
    Result<void> unrelate(Metadata& stores, const ResourceId& parent, const ResourceId& child)
    {
        const ParentLink link { parent, child };
        if (isRange(parent) && isRange(child)) {
            const auto range = stores.ranges.find(QUuid::fromString(child.key));
            if (!range || range->parent != QUuid::fromString(parent.key))
                return {};
            if (auto ok = stores.ranges.setParent(range->key, std::nullopt); !ok)
                return ok;
            stores.changes.relationsDeleted({ link.text() });
            return {};
        }
        auto removed = stores.ontology.unlink(link);
        if (!removed)
            return tl::unexpected(removed.error());
        if (*removed)
            stores.changes.relationsDeleted({ link.text() });
        return {};
    }

    Result<std::vector<ResourceId>> idsFromJson(const QJsonValue& value, QStringView what)
    {
        return codec::arrayFromJson(value, what, [what](const QJsonValue& id) {
            return codec::resourceIdFromJson(id, what);
        });
    }

    /// The resource in `field` and the `children` of a children request.
    Result<std::pair<ResourceId, std::vector<ResourceId>>> resourceAndChildren(
        const QJsonObject& request, QStringView field)
    {
        auto resource = codec::resourceIdFromJson(request.value(field), field);
        if (!resource)
            return tl::unexpected(resource.error());
        auto children = idsFromJson(request.value(u"children"), u"children");
        if (!children)
            return tl::unexpected(children.error());
        return std::pair { std::move(*resource), std::move(*children) };
    }

    /// True when `name` holds every whitespace-separated word of `term` (case-insensitive).
    bool nameMatches(const QString& name, const QString& term)
    {
        const QStringList words = term.split(u' ', Qt::SkipEmptyParts);
        return std::all_of(words.begin(), words.end(), [&](const QString& word) {
            return name.contains(word, Qt::CaseInsensitive);
        });
    }

    Result<QJsonObject> searchResources(const Metadata& stores, const QString& term)
    {
        QJsonArray out;
        for (const ResourceId& id : everyResource(stores))
            if (const auto resource = resourceOf(stores, id);
                resource && nameMatches(resource->value(u"name").toString(), term))
                out.append(*resource);
        return QJsonObject { { u"resources"_s, out } };
    }

} // namespace

Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request)
{
    const QString term = request.value(u"search_term").toString();
    if (!term.trimmed().isEmpty()) // a search ignores every other field, as Synnax's does
        return searchResources(stores, term);
    auto ids = idsFromJson(request.value(u"ids"), u"ids");
    if (!ids)
        return tl::unexpected(ids.error());
    auto children = codec::optionalBool(request, u"children", false);
    auto parents = codec::optionalBool(request, u"parents", false);
    auto excludeData = codec::optionalBool(request, u"exclude_field_data", false);
    auto types = codec::stringsFromJson(request.value(u"types"), u"types");
    for (const auto* failed : { &children, &parents, &excludeData })
        if (!*failed)
            return tl::unexpected(failed->error());
    if (!types)
        return tl::unexpected(types.error());
    std::vector<ResourceId> found = ids->empty() ? everyResource(stores) : *ids;
    if (*children || *parents) {
        std::vector<ResourceId> related;
        for (const ResourceId& id : found)
            for (ResourceId& next : *children ? childrenOf(stores, id) : parentsOf(stores, id))
                if (std::find(related.begin(), related.end(), next) == related.end())
                    related.push_back(std::move(next));
        found = std::move(related);
    } else {
        for (const ResourceId& id : *ids)
            if (auto ok = requireExisting(stores, id); !ok)
                return tl::unexpected(ok.error());
    }
    const int offset = std::max(0, request.value(u"offset").toInt(0));
    const int limit = request.value(u"limit").toInt(0);
    QJsonArray out;
    int skipped = 0;
    for (const ResourceId& id : found) {
        if (!types->isEmpty() && !types->contains(id.type))
            continue;
        auto resource = resourceOf(stores, id);
        if (!resource || skipped++ < offset)
            continue;
        if (*excludeData)
            resource->insert(u"data"_s, QJsonValue::Null);
        out.append(*resource);
        if (limit > 0 && out.size() == limit)
            break;
    }
    return QJsonObject { { u"resources"_s, out } };
}

Result<QJsonObject> addChildren(Metadata& stores, const QJsonObject& request)
{
    const auto asked = resourceAndChildren(request, u"id");
    if (!asked)
        return tl::unexpected(asked.error());
    const auto& [parent, children] = *asked;
    for (const ResourceId& child : children) // all checked before any is added
        if (auto ok = checkRelation(stores, parent, child); !ok)
            return tl::unexpected(ok.error());
    for (const ResourceId& child : children)
        if (auto ok = relate(stores, parent, child); !ok)
            return tl::unexpected(ok.error());
    return nothing();
}

Result<QJsonObject> removeChildren(Metadata& stores, const QJsonObject& request)
{
    const auto asked = resourceAndChildren(request, u"id");
    if (!asked)
        return tl::unexpected(asked.error());
    for (const ResourceId& child : asked->second)
        if (auto ok = unrelate(stores, asked->first, child); !ok)
            return tl::unexpected(ok.error());
    return nothing();
}

Result<QJsonObject> moveChildren(Metadata& stores, const QJsonObject& request)
{
    const auto asked = resourceAndChildren(request, u"to");
    if (!asked)
        return tl::unexpected(asked.error());
    auto from = codec::resourceIdFromJson(request.value(u"from"), u"from");
    if (!from)
        return tl::unexpected(from.error());
    const auto& [to, children] = *asked;
    for (const ResourceId& child : children)
        if (auto ok = checkRelation(stores, to, child); !ok)
            return tl::unexpected(ok.error());
    for (const ResourceId& child : children) {
        if (auto ok = unrelate(stores, *from, child); !ok)
            return tl::unexpected(ok.error());
        if (auto ok = relate(stores, to, child); !ok)
            return tl::unexpected(ok.error());
    }
    return nothing();
}

Result<QJsonObject> createGroup(Metadata& stores, const QJsonObject& request)
{
    auto parent = codec::resourceIdFromJson(request.value(u"parent"), u"parent");
    if (!parent)
        return tl::unexpected(parent.error());
    auto name = codec::requireString(request, u"name");
    if (!name)
        return tl::unexpected(name.error());
    Group group { QUuid(), *name };
    if (const QJsonValue key = request.value(u"key"); !key.isUndefined() && !key.isNull()) {
        auto parsed = codec::uuidFromJson(key, u"key");
        if (!parsed)
            return tl::unexpected(parsed.error());
        group.key = *parsed;
    }
    if (auto ok = requireExisting(stores, *parent); !ok)
        return tl::unexpected(ok.error());
    if (!group.key.isNull()) {
        const ResourceId id { u"group"_s, group.key.toString(QUuid::WithoutBraces) };
        if (holds(stores, id, *parent))
            return fail(errors::Validation,
                u"cyclic dependency detected: %1 cannot hold %2"_s.arg(parent->text(), id.text()));
    }
    auto created = stores.ontology.createGroup(group, *parent);
    if (!created)
        return tl::unexpected(created.error());
    stores.changes.groupsSet(std::span(&*created, 1));
    stores.changes.relationsSet(
        { ParentLink { *parent, { u"group"_s, created->key.toString(QUuid::WithoutBraces) } }
                .text() });
    return QJsonObject { { u"group"_s, codec::toJson(*created) } };
}

Result<QJsonObject> renameGroup(Metadata& stores, const QJsonObject& request)
{
    auto key = codec::uuidFromJson(request.value(u"key"), u"key");
    if (!key)
        return tl::unexpected(key.error());
    auto name = codec::requireString(request, u"name");
    if (!name)
        return tl::unexpected(name.error());
    if (auto ok = stores.ontology.renameGroup(*key, *name); !ok)
        return tl::unexpected(ok.error());
    const Group renamed { *key, *name };
    stores.changes.groupsSet(std::span(&renamed, 1));
    return nothing();
}

Result<QJsonObject> deleteGroups(Metadata& stores, const QJsonObject& request)
{
    auto keys = codec::uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    std::vector<QUuid> existing;
    std::vector<ResourceId> ids;
    for (const QUuid& key : *keys)
        if (stores.ontology.group(key)) {
            existing.push_back(key);
            ids.push_back({ u"group"_s, key.toString(QUuid::WithoutBraces) });
        }
    auto unlinked = stores.ontology.removeGroups(existing);
    if (!unlinked)
        return tl::unexpected(unlinked.error());
    QStringList relations;
    for (const ParentLink& link : *unlinked)
        relations.append(link.text());
    stores.changes.relationsDeleted(relations);
    stores.changes.groupsDeleted(existing);
    if (auto forgotten = forgetResources(stores, ids); !forgotten) // labelled groups
        return tl::unexpected(forgotten.error());
    return nothing();
}

} // namespace sightline::core::server::ontology_api
