#include "core/server/workspace_api.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"
#include "core/codec/workspace_json.h"
#include "core/server/change_signals.h"
#include "core/server/workspace_registry.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sightline::core::server::workspace_api {

namespace {

    QJsonObject workspacesResponse(const std::vector<Workspace>& workspaces)
    {
        QJsonArray out;
        for (const Workspace& workspace : workspaces)
            out.append(codec::toJson(workspace));
        return QJsonObject { { u"workspaces"_s, out } };
    }

    /// The store, or `sy.route` on a cluster set up without one.
    Result<WorkspaceRegistry*> workspacesOf(const Metadata& stores)
    {
        if (stores.workspaces == nullptr)
            return fail(errors::Route, u"this cluster keeps no workspaces"_s);
        return stores.workspaces;
    }

    /// A layout as an object. Synnax's own TypeScript client sends layouts as JSON text
    /// (`JSON.stringify`), so text holding an object is read as that object; parsing keeps
    /// its keys exactly as written.
    Result<QJsonValue> layoutValue(const QJsonValue& layout)
    {
        if (!layout.isString())
            return layout; // an object, or what the codec will refuse with its own message
        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(layout.toString().toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return fail(errors::Validation, u"a workspace's layout must be an object"_s);
        return QJsonValue(document.object());
    }

    Result<Workspace> workspaceFromRequest(const QJsonValue& value)
    {
        QJsonObject object = value.toObject();
        if (value.isObject() && object.contains(u"layout")) {
            auto layout = layoutValue(object.value(u"layout"));
            if (!layout)
                return tl::unexpected(layout.error());
            object.insert(u"layout"_s, *layout);
        }
        return codec::workspaceFromJson(value.isObject() ? QJsonValue(object) : value);
    }

} // namespace

Result<QJsonObject> create(Metadata& stores, const QJsonObject& request, const QUuid& author)
{
    auto registry = workspacesOf(stores);
    if (!registry)
        return tl::unexpected(registry.error());
    auto workspaces
        = codec::arrayFromJson(request.value(u"workspaces"), u"workspaces", workspaceFromRequest);
    if (!workspaces)
        return tl::unexpected(workspaces.error());
    for (Workspace& workspace : *workspaces)
        workspace.author = author;
    auto created = (*registry)->create(std::move(*workspaces));
    if (!created)
        return tl::unexpected(created.error());
    stores.changes.workspacesSet(*created);
    return workspacesResponse(*created);
}

Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request)
{
    auto registry = workspacesOf(stores);
    if (!registry)
        return tl::unexpected(registry.error());
    auto query = codec::workspaceQueryFromJson(request);
    if (!query)
        return tl::unexpected(query.error());
    return (*registry)->retrieve(*query).map(workspacesResponse);
}

namespace {

    /// A change to the one workspace the request's `key` names: `change(registry, key)`
    /// returns it changed, which is then announced.
    template <typename Change>
    Result<QJsonObject> changeOne(Metadata& stores, const QJsonObject& request, Change change)
    {
        auto registry = workspacesOf(stores);
        if (!registry)
            return tl::unexpected(registry.error());
        auto key = codec::uuidFromJson(request.value(u"key"), u"key");
        if (!key)
            return tl::unexpected(key.error());
        auto changed = change(**registry, *key);
        if (!changed)
            return tl::unexpected(changed.error());
        stores.changes.workspacesSet(std::span(&*changed, 1));
        return QJsonObject {};
    }

} // namespace

Result<QJsonObject> rename(Metadata& stores, const QJsonObject& request)
{
    auto name = codec::requireString(request, u"name");
    if (!name)
        return tl::unexpected(name.error());
    return changeOne(stores, request, [&](WorkspaceRegistry& registry, const QUuid& key) {
        return registry.rename(key, *name);
    });
}

Result<QJsonObject> setLayout(Metadata& stores, const QJsonObject& request)
{
    auto layout = layoutValue(request.value(u"layout"));
    if (!layout)
        return tl::unexpected(layout.error());
    if (!layout->isObject())
        return fail(errors::Validation, u"a workspace's layout must be an object"_s);
    return changeOne(stores, request, [&](WorkspaceRegistry& registry, const QUuid& key) {
        return registry.setLayout(key, layout->toObject());
    });
}

Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request)
{
    auto registry = workspacesOf(stores);
    if (!registry)
        return tl::unexpected(registry.error());
    auto keys = codec::uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    auto removed = (*registry)->remove(*keys);
    if (!removed)
        return tl::unexpected(removed.error());
    stores.changes.workspacesDeleted(*removed);
    std::vector<ResourceId> ids; // a deleted workspace loses its labels and leaves its groups
    for (const QUuid& key : *removed)
        ids.push_back(workspaceResourceId(key));
    if (auto forgotten = forgetResources(stores, ids); !forgotten)
        return tl::unexpected(forgotten.error());
    return QJsonObject {};
}

} // namespace sightline::core::server::workspace_api
