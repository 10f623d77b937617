#pragma once

#include "core/error.h"

#include <QJsonObject>

namespace sightline::core::server {

class RangeRegistry;

/// The cluster's range endpoints (`range/create|retrieve|rename|delete`,
/// `range/kv/get|set|delete`) as Synnax's clients call them: JSON in, JSON out, Synnax-typed
/// errors (docs/SYNNAX_RANGES.md has the wire shapes). Labels, aliases and the ontology are not
/// served yet: a retrieve filtering by labels finds nothing, and a range's labels are null.
namespace range_api {

    [[nodiscard]] Result<QJsonObject> create(RangeRegistry& ranges, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> retrieve(const RangeRegistry& ranges,
        const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> rename(RangeRegistry& ranges, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> remove(RangeRegistry& ranges, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> getPairs(const RangeRegistry& ranges,
        const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> setPairs(RangeRegistry& ranges, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> removePairs(RangeRegistry& ranges,
        const QJsonObject& request);

} // namespace range_api

} // namespace sightline::core::server
