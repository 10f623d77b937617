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
    /// Deletes labels and every link to them; unknown keys are ignored.
    [[nodiscard]] Result<void> remove(std::span<const QUuid> keys);

    /// Labels `resource` with `labels` (with `replace`, its other labels go). Both ends must
    /// exist (`sy.query.not_found`); labels are resources too, so `exists` is asked for
    /// other types only.
    [[nodiscard]] Result<void> attach(const ResourceId& resource,
        std::span<const QUuid> labels,
        bool replace,
        const Exists& exists);
    /// Takes `labels` off `resource`; links that do not exist are ignored.
    [[nodiscard]] Result<void> detach(const ResourceId& resource, std::span<const QUuid> labels);
    /// A deleted resource loses its labels.
    [[nodiscard]] Result<void> forget(const ResourceId& resource);
    /// The resources (as `type:key`) labelled with any of `labels`.
    [[nodiscard]] std::set<QString> labelledWithAnyOf(std::span<const QUuid> labels) const;
    /// The labels of `resource`, ordered by key.
    [[nodiscard]] std::vector<Label> labelsOf(const ResourceId& resource) const;

private:
    using Link = std::pair<QString, QUuid>; ///< resource text, label

    LabelRegistry(Database& database, std::map<QUuid, Label> labels, std::set<Link> links);
    /// Deletes `links` from the database and the set (called with m_lock held).
    [[nodiscard]] Result<void> unlinkLocked(const std::vector<Link>& links);
    [[nodiscard]] std::vector<Label> labelsOfLocked(const QString& resource) const;

    Database& m_database;
    mutable std::mutex m_lock;
    std::map<QUuid, Label> m_labels;
    std::set<Link> m_links;
};

} // namespace sightline::core::server
