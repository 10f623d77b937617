#pragma once

#include "core/error.h"
#include "core/server/metadata.h"

#include <QJsonObject>

namespace sightline::core::server {

/// The cluster's ontology endpoints as Synnax's clients call them (docs/SYNNAX_RANGES.md §6):
/// `ontology/retrieve` over every store's resources (ranges, labels, groups, channels and
/// `builtin:root`), the `parent` relations (`add-children|remove-children|move-children`) and
/// groups (`create-group|rename-group|delete-group`). A range's parent range is kept with the
/// range, so a range has at most one parent range (Synnax allows several through
/// `add-children`; every client reads only the first).
namespace ontology_api {

    [[nodiscard]] Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> addChildren(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> removeChildren(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> moveChildren(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> createGroup(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> renameGroup(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> deleteGroups(Metadata& stores, const QJsonObject& request);

} // namespace ontology_api

} // namespace sightline::core::server
