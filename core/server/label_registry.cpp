#include "core/server/label_registry.h"

#include "core/server/storage/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr auto CreateLabels = "CREATE TABLE IF NOT EXISTS labels ("
                                  " key TEXT PRIMARY KEY, record TEXT NOT NULL)";
    constexpr auto CreateLinks = "CREATE TABLE IF NOT EXISTS label_links ("
                                 " resource TEXT NOT NULL, label TEXT NOT NULL,"
                                 " PRIMARY KEY (resource, label))";

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    QByteArray recordOf(const Label& label)
    {
        const QJsonObject record { { u"name"_s, label.name },
            { u"color"_s,
                QJsonArray { label.color.r, label.color.g, label.color.b, label.color.a } } };
        return QJsonDocument(record).toJson(QJsonDocument::Compact);
    }

    std::optional<Label> labelOf(const QString& key, const QString& text)
    {
        const QJsonObject record = QJsonDocument::fromJson(text.toUtf8()).object();
        const QJsonArray color = record.value(u"color").toArray();
        Label label { QUuid::fromString(key), record.value(u"name").toString(), {} };
        if (label.key.isNull() || label.name.isEmpty() || color.size() != 4)
            return std::nullopt;
        label.color
            = Color { color[0].toInt(), color[1].toInt(), color[2].toInt(), color[3].toDouble() };
        return label;
    }

    bool matches(const Label& label, const LabelQuery& query)
    {
        return (query.keys.empty()
                   || std::find(query.keys.begin(), query.keys.end(), label.key)
                       != query.keys.end())
            && (query.names.isEmpty() || query.names.contains(label.name))
            && (query.searchTerm.isEmpty()
                || label.name.contains(query.searchTerm, Qt::CaseInsensitive));
    }

} // namespace

QString relationText(const LabelLink& link)
{
    return link.first + u"->labeled_by->label:"_s + keyText(link.second);
}

Result<std::unique_ptr<LabelRegistry>> LabelRegistry::open(Database& database)
{
    for (const char* sql : { CreateLabels, CreateLinks })
        if (auto ok = database.exec(sql); !ok)
            return tl::unexpected(ok.error());
    std::map<QUuid, Label> labels;
    auto selectLabels = database.prepare("SELECT key, record FROM labels");
    if (!selectLabels)
        return tl::unexpected(selectLabels.error());
    while (true) {
        auto row = selectLabels->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        auto label = labelOf(selectLabels->textAt(0), selectLabels->textAt(1));
        if (!label)
            return fail(errors::Storage,
                u"the stored label %1 is unreadable"_s.arg(selectLabels->textAt(0)));
        labels.emplace(label->key, std::move(*label));
    }
    std::set<Link> links;
    auto selectLinks = database.prepare("SELECT resource, label FROM label_links");
    if (!selectLinks)
        return tl::unexpected(selectLinks.error());
    while (true) {
        auto row = selectLinks->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        links.emplace(selectLinks->textAt(0), QUuid::fromString(selectLinks->textAt(1)));
    }
    return std::unique_ptr<LabelRegistry>(
        new LabelRegistry(database, std::move(labels), std::move(links)));
}

LabelRegistry::LabelRegistry(
    Database& database, std::map<QUuid, Label> labels, std::set<Link> links)
    : m_database(database)
    , m_labels(std::move(labels))
    , m_links(std::move(links))
{
}

Result<std::vector<Label>> LabelRegistry::create(std::vector<Label> labels)
{
    const std::lock_guard locked(m_lock);
    for (Label& label : labels) {
        if (label.name.trimmed().isEmpty())
            return fail(errors::Validation, u"a label needs a name"_s);
        if (label.key.isNull())
            label.key = QUuid::createUuid();
    }
    auto insert = m_database.prepare("INSERT OR REPLACE INTO labels (key, record) VALUES (?1, ?2)");
    if (!insert)
        return tl::unexpected(insert.error());
    const auto written = m_database.transaction([&]() -> Result<void> {
        for (const Label& label : labels)
            if (auto ok = insert->bind(1, keyText(label.key)).bindUtf8(2, recordOf(label)).run();
                !ok)
                return ok;
        return {};
    });
    if (!written)
        return tl::unexpected(written.error());
    for (const Label& label : labels)
        m_labels[label.key] = label;
    return labels;
}

Result<std::vector<Label>> LabelRegistry::retrieve(const LabelQuery& query) const
{
    const std::lock_guard locked(m_lock);
    if (query.of)
        return labelsOfLocked(query.of->text());
    const bool onlyKeys
        = !query.keys.empty() && query.names.isEmpty() && query.searchTerm.isEmpty();
    if (onlyKeys)
        for (const QUuid& key : query.keys)
            if (!m_labels.contains(key))
                return fail(errors::NotFound, u"no label %1"_s.arg(keyText(key)));
    std::vector<Label> found;
    int skipped = 0;
    for (const auto& [key, label] : m_labels) {
        if (!matches(label, query) || skipped++ < query.offset)
            continue;
        found.push_back(label);
        if (query.limit > 0 && static_cast<int>(found.size()) == query.limit)
            break;
    }
    return found;
}

Result<std::vector<LabelLink>> LabelRegistry::remove(std::span<const QUuid> keys)
{
    const std::lock_guard locked(m_lock);
    std::vector<Link> links;
    for (const Link& link : m_links)
        if (std::find(keys.begin(), keys.end(), link.second) != keys.end())
            links.push_back(link);
    // Every resource labelled by a deleted label loses the link, a label labelled too.
    for (const QUuid& key : keys) {
        const QString resource = ResourceId { u"label"_s, keyText(key) }.text();
        for (auto it = m_links.lower_bound(Link { resource, QUuid() });
             it != m_links.end() && it->first == resource;
             ++it)
            links.push_back(*it);
    }
    auto unlinked = unlinkLocked(links);
    if (!unlinked)
        return tl::unexpected(unlinked.error());
    const auto erased = m_database.deleteKeys("labels", keys);
    if (!erased)
        return tl::unexpected(erased.error());
    for (const QUuid& key : keys)
        m_labels.erase(key);
    return unlinked;
}

Result<LabelLinkChanges> LabelRegistry::attach(
    const ResourceId& resource, std::span<const QUuid> labels, bool replace, const Exists& exists)
{
    const std::lock_guard locked(m_lock);
    const bool resourceExists = resource.type == u"label"
        ? m_labels.contains(QUuid::fromString(resource.key))
        : exists(resource);
    if (!resourceExists)
        return fail(errors::NotFound, u"no %1 to label"_s.arg(resource.text()));
    for (const QUuid& label : labels)
        if (!m_labels.contains(label))
            return fail(errors::NotFound, u"no label %1"_s.arg(keyText(label)));
    const QString text = resource.text();
    LabelLinkChanges changes;
    if (replace) {
        std::vector<Link> old;
        for (auto it = m_links.lower_bound(Link { text, QUuid() });
             it != m_links.end() && it->first == text;
             ++it)
            old.push_back(*it);
        auto unlinked = unlinkLocked(old);
        if (!unlinked)
            return tl::unexpected(unlinked.error());
        changes.removed = std::move(*unlinked);
    }
    auto insert
        = m_database.prepare("INSERT OR IGNORE INTO label_links (resource, label) VALUES (?1, ?2)");
    if (!insert)
        return tl::unexpected(insert.error());
    const auto written = m_database.transaction([&]() -> Result<void> {
        for (const QUuid& label : labels)
            if (auto ok = insert->bind(1, text).bind(2, keyText(label)).run(); !ok)
                return ok;
        return {};
    });
    if (!written)
        return tl::unexpected(written.error());
    for (const QUuid& label : labels)
        if (m_links.emplace(text, label).second)
            changes.added.emplace_back(text, label);
    return changes;
}

Result<std::vector<LabelLink>> LabelRegistry::detach(const ResourceId& resource,
    std::span<const QUuid> labels)
{
    const std::lock_guard locked(m_lock);
    std::vector<Link> links;
    for (const QUuid& label : labels)
        links.emplace_back(resource.text(), label);
    return unlinkLocked(links);
}

Result<std::vector<LabelLink>> LabelRegistry::forget(const ResourceId& resource)
{
    const std::lock_guard locked(m_lock);
    const QString text = resource.text();
    std::vector<Link> links;
    for (auto it = m_links.lower_bound(Link { text, QUuid() });
         it != m_links.end() && it->first == text;
         ++it)
        links.push_back(*it);
    return unlinkLocked(links);
}

std::vector<Label> LabelRegistry::labelsOf(const ResourceId& resource) const
{
    const std::lock_guard locked(m_lock);
    return labelsOfLocked(resource.text());
}

std::set<QString> LabelRegistry::labelledWithAnyOf(std::span<const QUuid> labels) const
{
    const std::lock_guard locked(m_lock);
    std::set<QString> resources;
    for (const auto& [resource, label] : m_links)
        if (std::find(labels.begin(), labels.end(), label) != labels.end())
            resources.insert(resource);
    return resources;
}

std::vector<Label> LabelRegistry::labelsOfLocked(const QString& resource) const
{
    std::vector<Label> found;
    for (auto it = m_links.lower_bound(Link { resource, QUuid() });
         it != m_links.end() && it->first == resource;
         ++it)
        if (const auto label = m_labels.find(it->second); label != m_labels.end())
            found.push_back(label->second);
    return found;
}

Result<std::vector<LabelLink>> LabelRegistry::unlinkLocked(const std::vector<Link>& wanted)
{
    std::vector<Link> links;
    for (const Link& link : wanted)
        if (m_links.contains(link) && std::find(links.begin(), links.end(), link) == links.end())
            links.push_back(link);
    if (links.empty())
        return links;
    auto erase = m_database.prepare("DELETE FROM label_links WHERE resource = ?1 AND label = ?2");
    if (!erase)
        return tl::unexpected(erase.error());
    const auto erased = m_database.transaction([&]() -> Result<void> {
        for (const auto& [resource, label] : links)
            if (auto ok = erase->bind(1, resource).bind(2, keyText(label)).run(); !ok)
                return ok;
        return {};
    });
    if (!erased)
        return tl::unexpected(erased.error());
    for (const Link& link : links)
        m_links.erase(link);
    return links;
}

} // namespace sightline::core::server
