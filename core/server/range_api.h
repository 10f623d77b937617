#pragma once

#include "core/error.h"
#include "core/server/metadata.h"

#include <QJsonObject>

namespace sightline::core::server {

/// The cluster's range endpoints (`range/create|retrieve|rename|delete`,
/// `range/kv/get|set|delete`) as Synnax's clients call them: JSON in, JSON out, Synnax-typed
/// errors (docs/SYNNAX_RANGES.md has the wire shapes); every change is announced on Synnax's
/// signal channels. Aliases resolve as Synnax resolves them (a name is first tried as a pattern).
namespace range_api {

    [[nodiscard]] Result<QJsonObject> create(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> rename(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> getPairs(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> setPairs(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> removePairs(Metadata& stores, const QJsonObject& request);
    /// `range/alias/set|resolve|retrieve|list|delete`: channels' other names within a range
    /// (and its child ranges, which inherit them).
    [[nodiscard]] Result<QJsonObject> setAliases(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> resolveAliases(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> retrieveAliases(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> listAliases(Metadata& stores, const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> removeAliases(Metadata& stores, const QJsonObject& request);

} // namespace range_api

} // namespace sightline::core::server
