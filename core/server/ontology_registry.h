#pragma once

#include "core/error.h"
#include "core/telem/label.h"

#include <QString>
#include <QUuid>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <vector>

namespace sightline::core::server {

class Database;

/// A `parent` relation of the ontology: `parent` holds `child`.
struct ParentLink
{
    ResourceId parent;
    ResourceId child;

    /// "parent->parent->child", as Synnax's relationship signals write it.
    [[nodiscard]] QString text() const
    {
        return parent.text() + QStringLiteral("->parent->") + child.text();
    }
    friend bool operator==(const ParentLink&, const ParentLink&) = default;
};

/// The embedded cluster's groups and the `parent` relations its other stores do not keep
/// (a range's parent range lives with the range; labels keep their `labeled_by` links),
/// persisted in the cluster's database. It checks neither that resources exist nor cycles:
/// the ontology endpoints do, knowing every store. Thread-safe (one lock).
class OntologyRegistry
{
public:
    /// Loads groups and relations from `database` (creating the tables when new); give it a
    /// connection of its own.
    [[nodiscard]] static Result<std::unique_ptr<OntologyRegistry>> open(Database& database);

    /// Stores `group` (a missing key gets a new one; an existing key is renamed) under
    /// `parent`, keeping any parent it had (Synnax's upsert). `sy.validation` for an empty name.
    [[nodiscard]] Result<Group> createGroup(Group group, const ResourceId& parent);
    /// `sy.query.not_found` for an unknown key, `sy.validation` for an empty name.
    [[nodiscard]] Result<void> renameGroup(const QUuid& key, const QString& name);
    /// Deletes groups with their relations; a group holding anything but groups deleted with
    /// it is a `sy.validation` error and nothing is deleted. Unknown keys are ignored.
    /// Returns the relations removed.
    [[nodiscard]] Result<std::vector<ParentLink>> removeGroups(std::span<const QUuid> keys);
    [[nodiscard]] std::optional<Group> group(const QUuid& key) const;
    [[nodiscard]] std::vector<Group> groups() const;

    /// Adds `link`; false when it was there already.
    [[nodiscard]] Result<bool> link(const ParentLink& link);
    /// Removes `link`; false when it was not there.
    [[nodiscard]] Result<bool> unlink(const ParentLink& link);
    /// Removes every relation to or from `resource` (it was deleted); returns them.
    [[nodiscard]] Result<std::vector<ParentLink>> forget(const ResourceId& resource);
    [[nodiscard]] std::vector<ResourceId> childrenOf(const ResourceId& resource) const;
    [[nodiscard]] std::vector<ResourceId> parentsOf(const ResourceId& resource) const;

private:
    using Link = std::pair<QString, QString>; ///< parent text, child text

    OntologyRegistry(Database& database, std::map<QUuid, Group> groups, std::set<Link> links);
    // The database writes of a change: called with m_lock held; eraseLocked inside a
    // transaction when it deletes more than one row.
    [[nodiscard]] Result<void> insertLocked(const Link& link);
    [[nodiscard]] Result<void> eraseLocked(const std::vector<Link>& links);
    [[nodiscard]] Result<void> storeGroupLocked(const Group& group);

    Database& m_database;
    mutable std::mutex m_lock;
    std::map<QUuid, Group> m_groups;
    std::set<Link> m_links;
};

/// The resource a `type:key` text names (type empty when there is no colon).
[[nodiscard]] ResourceId resourceFromText(const QString& text);

} // namespace sightline::core::server
