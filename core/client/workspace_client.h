#pragma once

#include "core/error.h"
#include "core/telem/workspace.h"

#include <QString>

#include <span>
#include <vector>

namespace sightline::core::client {

class Connection;

/// The workspaces of a Synnax cluster (the embedded one or a real one) through its unary
/// `workspace/*` endpoints. Threads: as Connection.
class WorkspaceClient
{
public:
    /// The change signals: a workspace created, renamed or relaid out (JSON), deleted (UUID).
    static inline const QString SetChannel = QStringLiteral("sy_workspace_set");
    static inline const QString DeleteChannel = QStringLiteral("sy_workspace_delete");

    explicit WorkspaceClient(Connection& connection);

    /// Creates (or, for keys that exist, replaces) workspaces; returns them with their keys.
    [[nodiscard]] Result<std::vector<Workspace>> create(const std::vector<Workspace>& workspaces);
    [[nodiscard]] Result<std::vector<Workspace>> retrieve(const WorkspaceQuery& query);
    /// One workspace; `sy.query.not_found` when there is none with that key.
    [[nodiscard]] Result<Workspace> retrieve(const QUuid& key);
    [[nodiscard]] Result<void> rename(const QUuid& key, const QString& name);
    [[nodiscard]] Result<void> setLayout(const QUuid& key, const QJsonObject& layout);
    /// Deletes workspaces; unknown keys are ignored.
    [[nodiscard]] Result<void> remove(std::span<const QUuid> keys);

private:
    Connection& m_connection;
};

} // namespace sightline::core::client
