#pragma once

#include "core/error.h"
#include "core/server/metadata.h"

#include <QJsonObject>
#include <QUuid>

namespace sightline::core::server {

/// The cluster's workspace endpoints (`workspace/create|retrieve|rename|set-layout|delete`) as
/// Synnax's clients call them: named layouts kept on the cluster. Each change is announced on
/// `sy_workspace_set` / `sy_workspace_delete` once stored. Without a workspace store in
/// `stores`, every endpoint is `sy.route`.
namespace workspace_api {

    /// `author` is the calling user's key (null when the cluster's users have none): Synnax
    /// records who created a workspace, whatever the request says.
    [[nodiscard]] Result<QJsonObject> create(
        Metadata& stores, const QJsonObject& request, const QUuid& author);
    [[nodiscard]] Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> rename(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> setLayout(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request);

} // namespace workspace_api

} // namespace sightline::core::server
