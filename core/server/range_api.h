#pragma once

#include "core/error.h"

#include <QJsonObject>

namespace sightline::core::server {

class ChannelRegistry;
class LabelRegistry;
class RangeRegistry;

/// What the range and label endpoints work on.
struct Metadata
{
    RangeRegistry& ranges;
    LabelRegistry& labels;
    const ChannelRegistry& channels;
};

/// The cluster's range endpoints (`range/create|retrieve|rename|delete`,
/// `range/kv/get|set|delete`) as Synnax's clients call them: JSON in, JSON out, Synnax-typed
/// errors (docs/SYNNAX_RANGES.md has the wire shapes). Aliases and the ontology endpoints are
/// not served yet.
namespace range_api {

    [[nodiscard]] Result<QJsonObject> create(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> rename(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> getPairs(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> setPairs(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> removePairs(Metadata& stores, const QJsonObject& request);

} // namespace range_api

} // namespace sightline::core::server
