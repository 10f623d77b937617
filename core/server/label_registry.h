#pragma once

#include "core/error.h"
#include "core/telem/label.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <vector>

namespace sightline::core::server {

class Database;

/// A `labeled_by` relation: the resource (as `type:key`) and its label.
using LabelLink = std::pair<QString, QUuid>;
/// "resource->labeled_by->label:key", as Synnax's relationship signals write it.
[[nodiscard]] QString relationText(const LabelLink& link);

/// The relations a labelling added and removed.
struct LabelLinkChanges
{
    std::vector<LabelLink> added;
    std::vector<LabelLink> removed;
};

/// The embedded cluster's labels and which resources they label (Synnax's `labeled_by`
/// relations), persisted in the cluster's database. Creating is an upsert by key; deleting a
/// label, or forgetting a deleted resource, removes its links. Thread-safe (one lock).
class LabelRegistry
{
public:
    /// Whether a resource exists (the caller knows ranges, channels …).
    using Exists = std::function<bool(const ResourceId&)>;

    /// Loads the labels from `database` (creating the tables when new); give it a connection
    /// of its own.
    [[nodiscard]] static Result<std::unique_ptr<LabelRegistry>> open(Database& database);

    /// Stores `labels` (a missing key gets a new one) and returns them with their keys, in
    /// order. All or nothing: an empty name rejects the request.
    [[nodiscard]] Result<std::vector<Label>> create(std::vector<Label> labels);
    /// The labels matching `query`, ordered by key; asked only by keys, a missing key is
    /// `sy.query.not_found`.
    [[nodiscard]] Result<std::vector<Label>> retrieve(const LabelQuery& query) const;
    /// Deletes labels and every link to them (returned); unknown keys are ignored.
    [[nodiscard]] Result<std::vector<LabelLink>> remove(std::span<const QUuid> keys);

    /// Labels `resource` with `labels` (with `replace`, its other labels go). Both ends must
    /// exist (`sy.query.not_found`); labels are resources too, so `exists` is asked for
    /// other types only.
    [[nodiscard]] Result<LabelLinkChanges> attach(const ResourceId& resource,
        std::span<const QUuid> labels,
        bool replace,
        const Exists& exists);
    /// Takes `labels` off `resource`; links that do not exist are ignored. Returns those
    /// removed.
    [[nodiscard]] Result<std::vector<LabelLink>> detach(const ResourceId& resource,
        std::span<const QUuid> labels);
    /// A deleted resource loses its labels (the links removed are returned).
    [[nodiscard]] Result<std::vector<LabelLink>> forget(const ResourceId& resource);
    /// The resources (as `type:key`) labelled with any of `labels`.
    [[nodiscard]] std::set<QString> labelledWithAnyOf(std::span<const QUuid> labels) const;
    /// The labels of `resource`, ordered by key.
    [[nodiscard]] std::vector<Label> labelsOf(const ResourceId& resource) const;

private:
    using Link = LabelLink;

    LabelRegistry(Database& database, std::map<QUuid, Label> labels, std::set<Link> links);
    /// Deletes those of `links` that exist from the database and the set (called with
    /// m_lock held); returns them.
    [[nodiscard]] Result<std::vector<Link>> unlinkLocked(const std::vector<Link>& links);
    [[nodiscard]] std::vector<Label> labelsOfLocked(const QString& resource) const;

    Database& m_database;
    mutable std::mutex m_lock;
    std::map<QUuid, Label> m_labels;
    std::set<Link> m_links;
};

} // namespace sightline::core::server
