#pragma once

#include "core/error.h"
#include "core/telem/label.h"

#include <QJsonObject>

#include <optional>
#include <span>

namespace sightline::core::server {

class ChangeSignals;
class ChannelRegistry;
class LabelRegistry;
class OntologyRegistry;
class RangeRegistry;
class WorkspaceRegistry;

/// What the range, label, workspace and ontology endpoints work on: the stores of the
/// cluster's metadata and where their changes are announced.
struct Metadata
{
    RangeRegistry& ranges;
    LabelRegistry& labels;
    OntologyRegistry& ontology;
    const ChannelRegistry& channels;
    ChangeSignals& changes;
    /// Last, and optional, so a setup that keeps no workspaces (built before they existed)
    /// still compiles; the workspace endpoints are then `sy.route`.
    WorkspaceRegistry* workspaces = nullptr;
};

/// True when `id` names a resource one of the stores holds (`builtin:root` always exists).
[[nodiscard]] bool resourceExists(const Metadata& stores, const ResourceId& id);
/// The resource as `ontology/retrieve` returns it (`{id, name, data}`); nullopt when it does
/// not exist.
[[nodiscard]] std::optional<QJsonObject> resourceOf(const Metadata& stores, const ResourceId& id);
/// Deleted resources lose their labels and ontology relations; the relations removed are
/// announced.
[[nodiscard]] Result<void> forgetResources(Metadata& stores, std::span<const ResourceId> ids);

} // namespace sightline::core::server
