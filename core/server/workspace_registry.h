#pragma once

#include "core/error.h"
#include "core/telem/label.h"
#include "core/telem/workspace.h"

#include <QJsonObject>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace sightline::core::server {

class Database;

/// The ontology ID of a workspace (`workspace:<key>`).
[[nodiscard]] ResourceId workspaceResourceId(const QUuid& key);
/// A workspace as `ontology/retrieve` returns it: `{id, name, data}`, the data without the
/// layout (which can be large and belongs to the workspace endpoints, not the ontology).
[[nodiscard]] QJsonObject workspaceResource(const Workspace& workspace);

/// The embedded cluster's workspaces (Synnax's `workspace/*`), persisted in the cluster's
/// database. Creating is an upsert by key. Layouts are stored as the client sent them (key
/// case kept). Thread-safe (one lock).
class WorkspaceRegistry
{
public:
    /// Loads the workspaces from `database` (creating the table when new); give it a
    /// connection of its own.
    [[nodiscard]] static Result<std::unique_ptr<WorkspaceRegistry>> open(Database& database);

    /// Stores `workspaces` (a missing key gets a new one; an existing key is replaced) and
    /// returns them with their keys, in order. All or nothing: an empty name rejects the
    /// request (`sy.validation`).
    [[nodiscard]] Result<std::vector<Workspace>> create(std::vector<Workspace> workspaces);
    /// The workspaces matching `query`, ordered by name then key; asked only by keys, a
    /// missing key is `sy.query.not_found`.
    [[nodiscard]] Result<std::vector<Workspace>> retrieve(const WorkspaceQuery& query) const;
    /// Renames a workspace and returns it as it now is; `sy.query.not_found` for an unknown
    /// key, `sy.validation` for an empty name.
    [[nodiscard]] Result<Workspace> rename(const QUuid& key, const QString& name);
    /// Replaces a workspace's layout and returns it as it now is; `sy.query.not_found` for an
    /// unknown key.
    [[nodiscard]] Result<Workspace> setLayout(const QUuid& key, const QJsonObject& layout);
    /// Deletes workspaces; unknown keys are ignored. Returns the keys that were deleted.
    [[nodiscard]] Result<std::vector<QUuid>> remove(std::span<const QUuid> keys);
    [[nodiscard]] std::optional<Workspace> find(const QUuid& key) const;

private:
    WorkspaceRegistry(Database& database, std::map<QUuid, Workspace> workspaces);
    /// Writes one workspace (called with m_lock held).
    [[nodiscard]] Result<void> storeLocked(const Workspace& workspace);

    Database& m_database;
    mutable std::mutex m_lock;
    std::map<QUuid, Workspace> m_workspaces;
};

} // namespace sightline::core::server
