#include "core/server/ontology_registry.h"

#include "core/server/storage/database.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr auto CreateGroups = "CREATE TABLE IF NOT EXISTS ontology_groups ("
                                  " key TEXT PRIMARY KEY, name TEXT NOT NULL)";
    constexpr auto CreateLinks = "CREATE TABLE IF NOT EXISTS ontology_links ("
                                 " parent TEXT NOT NULL, child TEXT NOT NULL,"
                                 " PRIMARY KEY (parent, child))";

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    ResourceId groupId(const QUuid& key) { return ResourceId { u"group"_s, keyText(key) }; }

    /// Runs `select` to its end, handing each row to `take`.
    template <typename Take> Result<void> eachRow(Database& database, const char* select, Take take)
    {
        auto statement = database.prepare(select);
        if (!statement)
            return tl::unexpected(statement.error());
        while (true) {
            auto row = statement->step();
            if (!row)
                return tl::unexpected(row.error());
            if (!*row)
                return {};
            take(*statement);
        }
    }

} // namespace

ResourceId resourceFromText(const QString& text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon < 0)
        return ResourceId { QString(), text };
    return ResourceId { text.left(colon), text.mid(colon + 1) };
}

Result<std::unique_ptr<OntologyRegistry>> OntologyRegistry::open(Database& database)
{
    for (const char* sql : { CreateGroups, CreateLinks })
        if (auto ok = database.exec(sql); !ok)
            return tl::unexpected(ok.error());
    std::map<QUuid, Group> groups;
    auto loaded = eachRow(database, "SELECT key, name FROM ontology_groups", [&](auto& row) {
        const Group group { QUuid::fromString(row.textAt(0)), row.textAt(1) };
        groups.emplace(group.key, group);
    });
    if (!loaded)
        return tl::unexpected(loaded.error());
    std::set<Link> links;
    loaded = eachRow(database, "SELECT parent, child FROM ontology_links", [&](auto& row) {
        links.emplace(row.textAt(0), row.textAt(1));
    });
    if (!loaded)
        return tl::unexpected(loaded.error());
    return std::unique_ptr<OntologyRegistry>(
        new OntologyRegistry(database, std::move(groups), std::move(links)));
}

OntologyRegistry::OntologyRegistry(
    Database& database, std::map<QUuid, Group> groups, std::set<Link> links)
    : m_database(database)
    , m_groups(std::move(groups))
    , m_links(std::move(links))
{
}

Result<Group> OntologyRegistry::createGroup(Group group, const ResourceId& parent)
{
    if (group.name.trimmed().isEmpty())
        return fail(errors::Validation, u"a group needs a name"_s);
    if (group.key.isNull())
        group.key = QUuid::createUuid();
    const std::lock_guard locked(m_lock);
    const auto stored = m_database.transaction([&]() -> Result<void> {
        if (auto ok = storeGroupLocked(group); !ok)
            return ok;
        return insertLocked({ parent.text(), groupId(group.key).text() });
    });
    if (!stored)
        return tl::unexpected(stored.error());
    m_groups[group.key] = group;
    m_links.emplace(parent.text(), groupId(group.key).text());
    return group;
}

Result<void> OntologyRegistry::renameGroup(const QUuid& key, const QString& name)
{
    if (name.trimmed().isEmpty())
        return fail(errors::Validation, u"a group needs a name"_s);
    const std::lock_guard locked(m_lock);
    const auto found = m_groups.find(key);
    if (found == m_groups.end())
        return fail(errors::NotFound, u"no group %1"_s.arg(keyText(key)));
    const Group renamed { key, name };
    if (auto ok = storeGroupLocked(renamed); !ok)
        return ok;
    found->second = renamed;
    return {};
}

Result<std::vector<ParentLink>> OntologyRegistry::removeGroups(std::span<const QUuid> keys)
{
    const std::lock_guard locked(m_lock);
    std::set<QString> doomed;
    for (const QUuid& key : keys)
        if (m_groups.contains(key))
            doomed.insert(groupId(key).text());
    std::vector<Link> links;
    for (const Link& link : m_links) {
        const bool fromDoomed = doomed.contains(link.first);
        if (fromDoomed && !doomed.contains(link.second))
            return fail(errors::Validation, u"cannot delete a group with children"_s);
        if (fromDoomed || doomed.contains(link.second))
            links.push_back(link);
    }
    auto erase = m_database.prepare("DELETE FROM ontology_groups WHERE key = ?1");
    if (!erase)
        return tl::unexpected(erase.error());
    const auto erased = m_database.transaction([&]() -> Result<void> {
        for (const QString& group : doomed)
            if (auto ok = erase->bind(1, resourceFromText(group).key).run(); !ok)
                return ok;
        return eraseLocked(links);
    });
    if (!erased)
        return tl::unexpected(erased.error());
    for (const QString& group : doomed)
        m_groups.erase(QUuid::fromString(resourceFromText(group).key));
    std::vector<ParentLink> removed;
    for (const Link& link : links) {
        m_links.erase(link);
        removed.push_back({ resourceFromText(link.first), resourceFromText(link.second) });
    }
    return removed;
}

std::optional<Group> OntologyRegistry::group(const QUuid& key) const
{
    const std::lock_guard locked(m_lock);
    const auto found = m_groups.find(key);
    return found == m_groups.end() ? std::nullopt : std::optional<Group>(found->second);
}

std::vector<Group> OntologyRegistry::groups() const
{
    const std::lock_guard locked(m_lock);
    std::vector<Group> all;
    for (const auto& [key, group] : m_groups)
        all.push_back(group);
    return all;
}

Result<bool> OntologyRegistry::link(const ParentLink& link)
{
    const Link added { link.parent.text(), link.child.text() };
    const std::lock_guard locked(m_lock);
    if (m_links.contains(added))
        return false;
    if (auto ok = insertLocked(added); !ok)
        return tl::unexpected(ok.error());
    m_links.insert(added);
    return true;
}

Result<bool> OntologyRegistry::unlink(const ParentLink& link)
{
    const Link removed { link.parent.text(), link.child.text() };
    const std::lock_guard locked(m_lock);
    if (!m_links.contains(removed))
        return false;
    if (auto ok = eraseLocked({ removed }); !ok)
        return tl::unexpected(ok.error());
    m_links.erase(removed);
    return true;
}

Result<std::vector<ParentLink>> OntologyRegistry::forget(const ResourceId& resource)
{
    const QString text = resource.text();
    const std::lock_guard locked(m_lock);
    std::vector<Link> links;
    for (const Link& link : m_links)
        if (link.first == text || link.second == text)
            links.push_back(link);
    if (auto ok = m_database.transaction([&] { return eraseLocked(links); }); !ok)
        return tl::unexpected(ok.error());
    std::vector<ParentLink> removed;
    for (const Link& link : links) {
        m_links.erase(link);
        removed.push_back({ resourceFromText(link.first), resourceFromText(link.second) });
    }
    return removed;
}

std::vector<ResourceId> OntologyRegistry::childrenOf(const ResourceId& resource) const
{
    const QString text = resource.text();
    const std::lock_guard locked(m_lock);
    std::vector<ResourceId> children;
    for (auto it = m_links.lower_bound(Link { text, QString() });
         it != m_links.end() && it->first == text;
         ++it)
        children.push_back(resourceFromText(it->second));
    return children;
}

std::vector<ResourceId> OntologyRegistry::parentsOf(const ResourceId& resource) const
{
    const QString text = resource.text();
    const std::lock_guard locked(m_lock);
    std::vector<ResourceId> parents;
    for (const auto& [parent, child] : m_links)
        if (child == text)
            parents.push_back(resourceFromText(parent));
    return parents;
}

Result<void> OntologyRegistry::insertLocked(const Link& link)
{
    auto insert = m_database.prepare(
        "INSERT OR IGNORE INTO ontology_links (parent, child) VALUES (?1, ?2)");
    if (!insert)
        return tl::unexpected(insert.error());
    return insert->bind(1, link.first).bind(2, link.second).run();
}

Result<void> OntologyRegistry::eraseLocked(const std::vector<Link>& links)
{
    if (links.empty())
        return {};
    auto erase = m_database.prepare("DELETE FROM ontology_links WHERE parent = ?1 AND child = ?2");
    if (!erase)
        return tl::unexpected(erase.error());
    for (const auto& [parent, child] : links)
        if (auto ok = erase->bind(1, parent).bind(2, child).run(); !ok)
            return ok;
    return {};
}

Result<void> OntologyRegistry::storeGroupLocked(const Group& group)
{
    auto insert
        = m_database.prepare("INSERT OR REPLACE INTO ontology_groups (key, name) VALUES (?1, ?2)");
    if (!insert)
        return tl::unexpected(insert.error());
    return insert->bind(1, keyText(group.key)).bind(2, group.name).run();
}

} // namespace sightline::core::server
