#pragma once

#include "core/server/range_api.h"

namespace sightline::core::server {

/// The cluster's label endpoints (`label/create|retrieve|delete|set|remove`) as Synnax's
/// clients call them (docs/SYNNAX_RANGES.md): labels are attached to ranges, channels or
/// other labels by ontology ID.
namespace label_api {

    [[nodiscard]] Result<QJsonObject> create(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request);
    /// `label/set`: labels a resource (with `replace`, instead of its labels).
    [[nodiscard]] Result<QJsonObject> attach(Metadata& stores, const QJsonObject& request);
    /// `label/remove`: takes labels off a resource.
    [[nodiscard]] Result<QJsonObject> detach(Metadata& stores, const QJsonObject& request);

} // namespace label_api

} // namespace sightline::core::server
