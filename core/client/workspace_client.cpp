#include "core/client/workspace_client.h"

#include "core/client/connection.h"
#include "core/codec/json_values.h"
#include "core/codec/workspace_json.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    Result<void> done(const Result<QJsonObject>& response)
    {
        if (!response)
            return tl::unexpected(response.error());
        return {};
    }

    Result<std::vector<Workspace>> workspacesIn(const Result<QJsonObject>& response)
    {
        if (!response)
            return tl::unexpected(response.error());
        const QJsonValue list = response->value(u"workspaces");
        if (list.isNull() || list.isUndefined()) // Synnax sends null for none
            return std::vector<Workspace> {};
        return codec::arrayFromJson(list, u"workspaces", codec::workspaceFromJson);
    }

} // namespace

WorkspaceClient::WorkspaceClient(Connection& connection)
    : m_connection(connection)
{
}

Result<std::vector<Workspace>> WorkspaceClient::create(const std::vector<Workspace>& workspaces)
{
    QJsonArray list;
    for (const Workspace& workspace : workspaces)
        list.append(codec::toJson(workspace, true));
    return workspacesIn(
        m_connection.call(u"workspace/create", QJsonObject { { u"workspaces"_s, list } }));
}

Result<std::vector<Workspace>> WorkspaceClient::retrieve(const WorkspaceQuery& query)
{
    return workspacesIn(m_connection.call(u"workspace/retrieve", codec::toJson(query)));
}

Result<Workspace> WorkspaceClient::retrieve(const QUuid& key)
{
    WorkspaceQuery query;
    query.keys = { key };
    auto found = retrieve(query);
    if (!found)
        return tl::unexpected(found.error());
    if (found->empty())
        return fail(errors::NotFound, u"no workspace with key %1"_s.arg(keyText(key)));
    return found->front();
}

Result<void> WorkspaceClient::rename(const QUuid& key, const QString& name)
{
    return done(m_connection.call(u"workspace/rename",
        QJsonObject { { u"key"_s, keyText(key) }, { u"name"_s, name } }));
}

Result<void> WorkspaceClient::setLayout(const QUuid& key, const QJsonObject& layout)
{
    return done(m_connection.call(u"workspace/set-layout",
        QJsonObject { { u"key"_s, keyText(key) }, { u"layout"_s, layout } }));
}

Result<void> WorkspaceClient::remove(std::span<const QUuid> keys)
{
    QJsonArray list;
    for (const QUuid& key : keys)
        list.append(keyText(key));
    return done(m_connection.call(u"workspace/delete", QJsonObject { { u"keys"_s, list } }));
}

} // namespace sightline::core::client
