#pragma once

#include "core/error.h"
#include "core/telem/workspace.h"

#include <QJsonObject>
#include <QJsonValue>

namespace sightline::core::codec {

/// Synnax's JSON for workspaces (`workspace/*`), read and written alike by the cluster and the
/// client: `{key, name, author, layout}`, keys as UUID text, the layout an object kept exactly
/// (key case preserved). `forRequest` leaves out what the server makes (a null key, author).
[[nodiscard]] QJsonObject toJson(const Workspace& workspace, bool forRequest = false);
/// A workspace; its name must not be empty, a missing key is null, a null layout is `{}`.
[[nodiscard]] Result<Workspace> workspaceFromJson(const QJsonValue& value);
/// The `workspace/retrieve` request and back.
[[nodiscard]] QJsonObject toJson(const WorkspaceQuery& query);
[[nodiscard]] Result<WorkspaceQuery> workspaceQueryFromJson(const QJsonObject& request);

} // namespace sightline::core::codec
