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

/// What the range, label and ontology endpoints work on: the stores of the cluster's
/// metadata and where their changes are announced.
struct Metadata
{
    RangeRegistry& ranges;
    LabelRegistry& labels;
    OntologyRegistry& ontology;
    const ChannelRegistry& channels;
    ChangeSignals& changes;
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
