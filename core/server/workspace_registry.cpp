#include "core/server/workspace_registry.h"

#include "core/codec/range_json.h"
#include "core/codec/workspace_json.h"
#include "core/server/storage/database.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr auto CreateWorkspaces = "CREATE TABLE IF NOT EXISTS workspaces ("
                                      " key TEXT PRIMARY KEY, record TEXT NOT NULL)";

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    /// The stored form: our own small record rather than the wire JSON, so a change to the
    /// protocol's field names cannot make stored workspaces unreadable.
    QByteArray recordOf(const Workspace& workspace)
    {
        QJsonObject record { { u"name"_s, workspace.name }, { u"layout"_s, workspace.layout } };
        if (!workspace.author.isNull())
            record.insert(u"author"_s, keyText(workspace.author));
        return QJsonDocument(record).toJson(QJsonDocument::Compact);
    }

    std::optional<Workspace> workspaceOf(const QString& key, const QString& text)
    {
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
        const QJsonObject record = document.object();
        Workspace workspace { QUuid::fromString(key),
            record.value(u"name").toString(),
            QUuid::fromString(record.value(u"author").toString()),
            record.value(u"layout").toObject() };
        if (!document.isObject() || workspace.key.isNull() || workspace.name.isEmpty())
            return std::nullopt;
        return workspace;
    }

    bool matches(const Workspace& workspace, const WorkspaceQuery& query)
    {
        return (query.keys.empty()
                   || std::find(query.keys.begin(), query.keys.end(), workspace.key)
                       != query.keys.end())
            && (query.searchTerm.isEmpty()
                || workspace.name.contains(query.searchTerm, Qt::CaseInsensitive))
            && (query.author.isNull() || workspace.author == query.author);
    }

    bool byNameThenKey(const Workspace& a, const Workspace& b)
    {
        return a.name != b.name ? a.name < b.name : a.key < b.key;
    }

} // namespace

ResourceId workspaceResourceId(const QUuid& key) { return { u"workspace"_s, keyText(key) }; }

QJsonObject workspaceResource(const Workspace& workspace)
{
    QJsonObject data = codec::toJson(workspace);
    data.remove(u"layout"_s);
    return codec::resourceJson(workspaceResourceId(workspace.key), workspace.name, data);
}

Result<std::unique_ptr<WorkspaceRegistry>> WorkspaceRegistry::open(Database& database)
{
    if (auto ok = database.exec(CreateWorkspaces); !ok)
        return tl::unexpected(ok.error());
    auto select = database.prepare("SELECT key, record FROM workspaces");
    if (!select)
        return tl::unexpected(select.error());
    std::map<QUuid, Workspace> workspaces;
    while (true) {
        auto row = select->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        auto workspace = workspaceOf(select->textAt(0), select->textAt(1));
        if (!workspace)
            return fail(errors::Storage,
                u"the stored workspace %1 is unreadable"_s.arg(select->textAt(0)));
        workspaces.emplace(workspace->key, std::move(*workspace));
    }
    return std::unique_ptr<WorkspaceRegistry>(
        new WorkspaceRegistry(database, std::move(workspaces)));
}

WorkspaceRegistry::WorkspaceRegistry(Database& database, std::map<QUuid, Workspace> workspaces)
    : m_database(database)
    , m_workspaces(std::move(workspaces))
{
}

Result<std::vector<Workspace>> WorkspaceRegistry::create(std::vector<Workspace> workspaces)
{
    const std::lock_guard locked(m_lock);
    for (Workspace& workspace : workspaces) {
        if (workspace.name.trimmed().isEmpty())
            return fail(errors::Validation, u"a workspace needs a name"_s);
        if (workspace.key.isNull())
            workspace.key = QUuid::createUuid();
    }
    const auto written = m_database.transaction([&]() -> Result<void> {
        for (const Workspace& workspace : workspaces)
            if (auto ok = storeLocked(workspace); !ok)
                return ok;
        return {};
    });
    if (!written)
        return tl::unexpected(written.error());
    for (const Workspace& workspace : workspaces)
        m_workspaces[workspace.key] = workspace;
    return workspaces;
}

Result<std::vector<Workspace>> WorkspaceRegistry::retrieve(const WorkspaceQuery& query) const
{
    const std::lock_guard locked(m_lock);
    const bool onlyKeys
        = !query.keys.empty() && query.searchTerm.isEmpty() && query.author.isNull();
    if (onlyKeys)
        for (const QUuid& key : query.keys)
            if (!m_workspaces.contains(key))
                return fail(errors::NotFound, u"no workspace %1"_s.arg(keyText(key)));
    std::vector<Workspace> found;
    for (const auto& [key, workspace] : m_workspaces)
        if (matches(workspace, query))
            found.push_back(workspace);
    std::sort(found.begin(), found.end(), byNameThenKey);
    const auto offset = std::min(static_cast<std::size_t>(std::max(0, query.offset)), found.size());
    found.erase(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(offset));
    if (query.limit > 0 && found.size() > static_cast<std::size_t>(query.limit))
        found.resize(static_cast<std::size_t>(query.limit));
    return found;
}

Result<Workspace> WorkspaceRegistry::rename(const QUuid& key, const QString& name)
{
    const std::lock_guard locked(m_lock);
    const auto found = m_workspaces.find(key);
    if (found == m_workspaces.end())
        return fail(errors::NotFound, u"no workspace %1"_s.arg(keyText(key)));
    if (name.trimmed().isEmpty())
        return fail(errors::Validation, u"a workspace needs a name"_s);
    Workspace renamed = found->second;
    renamed.name = name;
    if (auto ok = storeLocked(renamed); !ok)
        return tl::unexpected(ok.error());
    found->second = renamed;
    return renamed;
}

Result<Workspace> WorkspaceRegistry::setLayout(const QUuid& key, const QJsonObject& layout)
{
    const std::lock_guard locked(m_lock);
    const auto found = m_workspaces.find(key);
    if (found == m_workspaces.end())
        return fail(errors::NotFound, u"no workspace %1"_s.arg(keyText(key)));
    Workspace relaid = found->second;
    relaid.layout = layout;
    if (auto ok = storeLocked(relaid); !ok)
        return tl::unexpected(ok.error());
    found->second = relaid;
    return relaid;
}

Result<std::vector<QUuid>> WorkspaceRegistry::remove(std::span<const QUuid> keys)
{
    const std::lock_guard locked(m_lock);
    std::vector<QUuid> doomed;
    for (const QUuid& key : keys)
        if (m_workspaces.contains(key)
            && std::find(doomed.begin(), doomed.end(), key) == doomed.end())
            doomed.push_back(key);
    if (doomed.empty())
        return doomed;
    const auto erased = m_database.deleteKeys("workspaces", doomed);
    if (!erased)
        return tl::unexpected(erased.error());
    for (const QUuid& key : doomed)
        m_workspaces.erase(key);
    return doomed;
}

std::optional<Workspace> WorkspaceRegistry::find(const QUuid& key) const
{
    const std::lock_guard locked(m_lock);
    const auto found = m_workspaces.find(key);
    return found == m_workspaces.end() ? std::nullopt : std::optional<Workspace>(found->second);
}

Result<void> WorkspaceRegistry::storeLocked(const Workspace& workspace)
{
    auto insert
        = m_database.prepare("INSERT OR REPLACE INTO workspaces (key, record) VALUES (?1, ?2)");
    if (!insert)
        return tl::unexpected(insert.error());
    const QByteArray record = recordOf(workspace); // bound without a copy: outlives the run
    return insert->bind(1, keyText(workspace.key)).bindUtf8(2, record).run();
}

} // namespace sightline::core::server
