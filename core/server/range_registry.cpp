#include "core/server/range_registry.h"

#include "core/server/storage/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr auto CreateRanges = "CREATE TABLE IF NOT EXISTS ranges ("
                                  " key TEXT PRIMARY KEY, record TEXT NOT NULL)";
    constexpr auto CreateAliases
        = "CREATE TABLE IF NOT EXISTS range_aliases ("
          " range TEXT NOT NULL, channel INTEGER NOT NULL, alias TEXT NOT NULL,"
          " PRIMARY KEY (range, channel))";
    constexpr auto CreatePairs = "CREATE TABLE IF NOT EXISTS range_pairs ("
                                 " range TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                                 " PRIMARY KEY (range, key))";

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    /// The stored form of a range (its key is the row's).
    QByteArray recordOf(const Range& range)
    {
        QJsonObject record { { u"name"_s, range.name },
            { u"start"_s, QString::number(range.timeRange.start.nanoseconds()) },
            { u"end"_s, QString::number(range.timeRange.end.nanoseconds()) } };
        if (range.color)
            record.insert(u"color"_s,
                QJsonArray { range.color->r, range.color->g, range.color->b, range.color->a });
        if (range.parent)
            record.insert(u"parent"_s, keyText(*range.parent));
        return QJsonDocument(record).toJson(QJsonDocument::Compact);
    }

    std::optional<Range> rangeOf(const QString& key, const QString& text)
    {
        const QJsonObject record = QJsonDocument::fromJson(text.toUtf8()).object();
        Range range;
        range.key = QUuid::fromString(key);
        range.name = record.value(u"name").toString();
        bool startOk = false;
        bool endOk = false;
        range.timeRange.start = TimeStamp(record.value(u"start").toString().toLongLong(&startOk));
        range.timeRange.end = TimeStamp(record.value(u"end").toString().toLongLong(&endOk));
        if (range.key.isNull() || range.name.isEmpty() || !startOk || !endOk)
            return std::nullopt;
        if (const QJsonArray color = record.value(u"color").toArray(); color.size() == 4)
            range.color = Color { color[0].toInt(),
                color[1].toInt(),
                color[2].toInt(),
                color[3].toDouble() };
        if (const QUuid parent(record.value(u"parent").toString()); !parent.isNull())
            range.parent = parent;
        return range;
    }

    /// Why `range` cannot be stored, if it cannot.
    std::optional<QString> problemWith(const Range& range)
    {
        const QString which = range.name.isEmpty() ? u"a range"_s : u"range '%1'"_s.arg(range.name);
        if (range.name.trimmed().isEmpty())
            return u"a range needs a name"_s;
        if (range.timeRange.start.nanoseconds() == 0 || range.timeRange.end.nanoseconds() == 0)
            return which + u": its start and end must be set (non-zero)"_s;
        if (range.timeRange.start > range.timeRange.end)
            return which + u": its start is after its end"_s;
        return std::nullopt;
    }

    bool matches(const Range& range, const RangeQuery& query)
    {
        if (!query.keys.empty()
            && std::find(query.keys.begin(), query.keys.end(), range.key) == query.keys.end())
            return false;
        if (!query.names.isEmpty() && !query.names.contains(range.name))
            return false;
        if (!query.searchTerm.isEmpty()
            && !range.name.contains(query.searchTerm, Qt::CaseInsensitive))
            return false;
        if (query.overlapsWith && !query.overlapsWith->isZero()) {
            // Half-open: equal starts overlap, touching ends do not.
            const TimeRange& other = *query.overlapsWith;
            const bool overlaps = range.timeRange.start == other.start
                || (range.timeRange.start < other.end && other.start < range.timeRange.end);
            if (!overlaps)
                return false;
        }
        return true;
    }

} // namespace

Result<std::unique_ptr<RangeRegistry>> RangeRegistry::open(Database& database)
{
    for (const char* sql : { CreateRanges, CreatePairs, CreateAliases })
        if (auto ok = database.exec(sql); !ok)
            return tl::unexpected(ok.error());
    std::map<QUuid, Range> ranges;
    auto selectRanges = database.prepare("SELECT key, record FROM ranges");
    if (!selectRanges)
        return tl::unexpected(selectRanges.error());
    while (true) {
        auto row = selectRanges->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        auto range = rangeOf(selectRanges->textAt(0), selectRanges->textAt(1));
        if (!range)
            return fail(errors::Storage,
                u"the stored range %1 is unreadable"_s.arg(selectRanges->textAt(0)));
        ranges.emplace(range->key, std::move(*range));
    }
    std::map<PairKey, QString> pairs;
    auto selectPairs = database.prepare("SELECT range, key, value FROM range_pairs");
    if (!selectPairs)
        return tl::unexpected(selectPairs.error());
    while (true) {
        auto row = selectPairs->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        pairs.emplace(PairKey { QUuid::fromString(selectPairs->textAt(0)), selectPairs->textAt(1) },
            selectPairs->textAt(2));
    }
    std::map<AliasKey, QString> aliases;
    auto selectAliases = database.prepare("SELECT range, channel, alias FROM range_aliases");
    if (!selectAliases)
        return tl::unexpected(selectAliases.error());
    while (true) {
        auto row = selectAliases->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        aliases.emplace(AliasKey { QUuid::fromString(selectAliases->textAt(0)),
                            ChannelKey(selectAliases->int64At(1)) },
            selectAliases->textAt(2));
    }
    return std::unique_ptr<RangeRegistry>(
        new RangeRegistry(database, std::move(ranges), std::move(pairs), std::move(aliases)));
}

RangeRegistry::RangeRegistry(Database& database,
    std::map<QUuid, Range> ranges,
    std::map<PairKey, QString> pairs,
    std::map<AliasKey, QString> aliases)
    : m_database(database)
    , m_ranges(std::move(ranges))
    , m_pairs(std::move(pairs))
    , m_aliases(std::move(aliases))
{
}

Result<std::vector<Range>> RangeRegistry::create(std::vector<Range> ranges,
    std::optional<QUuid> parent)
{
    const std::lock_guard locked(m_lock);
    if (parent && !m_ranges.contains(*parent))
        return fail(errors::NotFound, u"no range %1 to be the parent"_s.arg(keyText(*parent)));
    for (Range& range : ranges) {
        if (const auto problem = problemWith(range))
            return fail(errors::Validation, *problem);
        if (range.key.isNull())
            range.key = QUuid::createUuid();
        if (parent) {
            const auto lineage = lineageLocked(*parent);
            if (std::find(lineage.begin(), lineage.end(), range.key) != lineage.end())
                return fail(errors::Validation,
                    u"range '%1' cannot be its own ancestor: cyclic dependency detected"_s.arg(
                        range.name));
            range.parent = parent;
        } else if (const auto held = m_ranges.find(range.key); held != m_ranges.end()) {
            range.parent = held->second.parent; // an update keeps its place
        }
    }
    auto insert = m_database.prepare("INSERT OR REPLACE INTO ranges (key, record) VALUES (?1, ?2)");
    if (!insert)
        return tl::unexpected(insert.error());
    const auto written = m_database.transaction([&]() -> Result<void> {
        for (const Range& range : ranges)
            if (auto ok = insert->bind(1, keyText(range.key)).bindUtf8(2, recordOf(range)).run();
                !ok)
                return ok;
        return {};
    });
    if (!written)
        return tl::unexpected(written.error());
    for (const Range& range : ranges)
        m_ranges[range.key] = range;
    return ranges;
}

Result<std::vector<Range>> RangeRegistry::retrieve(const RangeQuery& query,
    const std::function<bool(const Range&)>& accept) const
{
    const std::lock_guard locked(m_lock);
    const bool onlyKeys = !query.keys.empty() && query.names.isEmpty() && query.searchTerm.isEmpty()
        && !query.overlapsWith && query.hasLabels.empty();
    if (onlyKeys)
        for (const QUuid& key : query.keys)
            if (!m_ranges.contains(key))
                return fail(errors::NotFound, u"no range %1"_s.arg(keyText(key)));
    std::vector<Range> found;
    int skipped = 0;
    for (const auto& [key, range] : m_ranges) {
        if (!matches(range, query) || (accept && !accept(range)))
            continue;
        if (skipped++ < query.offset)
            continue;
        found.push_back(range);
        if (query.limit > 0 && static_cast<int>(found.size()) == query.limit)
            break;
    }
    return found;
}

std::optional<Range> RangeRegistry::find(const QUuid& key) const
{
    const std::lock_guard locked(m_lock);
    const auto found = m_ranges.find(key);
    return found == m_ranges.end() ? std::nullopt : std::optional<Range>(found->second);
}

Result<void> RangeRegistry::setParent(const QUuid& child, std::optional<QUuid> parent)
{
    const std::lock_guard locked(m_lock);
    const auto found = m_ranges.find(child);
    if (found == m_ranges.end())
        return fail(errors::NotFound, u"no range %1"_s.arg(keyText(child)));
    if (parent && !m_ranges.contains(*parent))
        return fail(errors::NotFound, u"no range %1 to be the parent"_s.arg(keyText(*parent)));
    if (parent) {
        const auto lineage = lineageLocked(*parent);
        if (std::find(lineage.begin(), lineage.end(), child) != lineage.end())
            return fail(errors::Validation,
                u"range '%1' cannot be its own ancestor: cyclic dependency detected"_s.arg(
                    found->second.name));
    }
    Range moved = found->second;
    moved.parent = parent;
    if (auto ok = storeLocked(moved); !ok)
        return ok;
    found->second = std::move(moved);
    return {};
}

std::vector<QUuid> RangeRegistry::childrenOf(const QUuid& key) const
{
    const std::lock_guard locked(m_lock);
    std::vector<QUuid> children;
    for (const auto& [childKey, range] : m_ranges)
        if (range.parent == key)
            children.push_back(childKey);
    return children;
}

Result<void> RangeRegistry::storeLocked(const Range& range)
{
    auto update = m_database.prepare("UPDATE ranges SET record = ?2 WHERE key = ?1");
    if (!update)
        return tl::unexpected(update.error());
    return update->bind(1, keyText(range.key)).bindUtf8(2, recordOf(range)).run();
}

Result<void> RangeRegistry::rename(const QUuid& key, const QString& name)
{
    const std::lock_guard locked(m_lock);
    const auto found = m_ranges.find(key);
    if (found == m_ranges.end())
        return fail(errors::NotFound, u"no range %1"_s.arg(keyText(key)));
    if (name.trimmed().isEmpty())
        return fail(errors::Validation, u"a range needs a name"_s);
    Range renamed = found->second;
    renamed.name = name;
    if (auto ok = storeLocked(renamed); !ok)
        return ok;
    found->second = std::move(renamed);
    return {};
}

void RangeRegistry::collectChildrenLocked(const QUuid& key, std::vector<QUuid>& into) const
{
    for (const auto& [childKey, range] : m_ranges)
        if (range.parent == key && std::find(into.begin(), into.end(), childKey) == into.end()) {
            into.push_back(childKey);
            collectChildrenLocked(childKey, into);
        }
}

Result<std::vector<QUuid>> RangeRegistry::remove(std::span<const QUuid> keys)
{
    const std::lock_guard locked(m_lock);
    std::vector<QUuid> doomed;
    for (const QUuid& key : keys)
        if (m_ranges.contains(key)
            && std::find(doomed.begin(), doomed.end(), key) == doomed.end()) {
            doomed.push_back(key);
            collectChildrenLocked(key, doomed);
        }
    const auto erased = m_database.deleteKeys("ranges", doomed);
    if (!erased)
        return tl::unexpected(erased.error());
    for (const QUuid& key : doomed)
        m_ranges.erase(key);
    return doomed;
}

Result<std::vector<RangePair>> RangeRegistry::pairs(const QUuid& range,
    const QStringList& keys) const
{
    const std::lock_guard locked(m_lock);
    std::vector<RangePair> found;
    if (keys.isEmpty()) {
        for (auto it = m_pairs.lower_bound(PairKey { range, QString() });
             it != m_pairs.end() && it->first.first == range;
             ++it)
            found.push_back(RangePair { it->first.second, it->second });
        return found;
    }
    for (const QString& key : keys) {
        const auto pair = m_pairs.find(PairKey { range, key });
        if (pair == m_pairs.end())
            return fail(errors::NotFound,
                u"range %1 has no value for '%2'"_s.arg(keyText(range), key));
        found.push_back(RangePair { key, pair->second });
    }
    return found;
}

Result<void> RangeRegistry::setPairs(const QUuid& range, const std::vector<RangePair>& pairs)
{
    const std::lock_guard locked(m_lock);
    for (const RangePair& pair : pairs)
        if (pair.key.isEmpty())
            return fail(errors::Validation, u"a key-value pair needs a key"_s);
    auto insert = m_database.prepare(
        "INSERT OR REPLACE INTO range_pairs (range, key, value) VALUES (?1, ?2, ?3)");
    if (!insert)
        return tl::unexpected(insert.error());
    const auto written = m_database.transaction([&]() -> Result<void> {
        for (const RangePair& pair : pairs)
            if (auto ok
                = insert->bind(1, keyText(range)).bind(2, pair.key).bind(3, pair.value).run();
                !ok)
                return ok;
        return {};
    });
    if (!written)
        return written;
    for (const RangePair& pair : pairs)
        m_pairs[PairKey { range, pair.key }] = pair.value;
    return {};
}

Result<void> RangeRegistry::removePairs(const QUuid& range, const QStringList& keys)
{
    const std::lock_guard locked(m_lock);
    auto erase = m_database.prepare("DELETE FROM range_pairs WHERE range = ?1 AND key = ?2");
    if (!erase)
        return tl::unexpected(erase.error());
    const auto erased = m_database.transaction([&]() -> Result<void> {
        for (const QString& key : keys)
            if (auto ok = erase->bind(1, keyText(range)).bind(2, key).run(); !ok)
                return ok;
        return {};
    });
    if (!erased)
        return erased;
    for (const QString& key : keys)
        m_pairs.erase(PairKey { range, key });
    return {};
}

std::vector<QUuid> RangeRegistry::lineageLocked(const QUuid& range) const
{
    std::vector<QUuid> lineage { range };
    for (auto at = m_ranges.find(range); at != m_ranges.end() && at->second.parent;
         at = m_ranges.find(*at->second.parent)) {
        if (std::find(lineage.begin(), lineage.end(), *at->second.parent) != lineage.end())
            break; // a cycle made by updates: stop
        lineage.push_back(*at->second.parent);
    }
    return lineage;
}

Result<void> RangeRegistry::setAliases(const QUuid& range,
    const std::map<ChannelKey, QString>& aliases)
{
    const std::lock_guard locked(m_lock);
    for (const auto& [channel, alias] : aliases)
        if (alias.isEmpty())
            return fail(errors::Validation, u"an alias cannot be empty"_s);
    auto insert = m_database.prepare(
        "INSERT OR REPLACE INTO range_aliases (range, channel, alias) VALUES (?1, ?2, ?3)");
    if (!insert)
        return tl::unexpected(insert.error());
    const auto written = m_database.transaction([&]() -> Result<void> {
        for (const auto& [channel, alias] : aliases)
            if (auto ok = insert->bind(1, keyText(range))
                              .bind(2, std::int64_t { channel })
                              .bind(3, alias)
                              .run();
                !ok)
                return ok;
        return {};
    });
    if (!written)
        return written;
    for (const auto& [channel, alias] : aliases)
        m_aliases[AliasKey { range, channel }] = alias;
    return {};
}

std::map<ChannelKey, QString> RangeRegistry::aliases(const QUuid& range) const
{
    const std::lock_guard locked(m_lock);
    std::map<ChannelKey, QString> found;
    for (const QUuid& from : lineageLocked(range)) // nearest first: it keeps its own
        for (auto it = m_aliases.lower_bound(AliasKey { from, 0 });
             it != m_aliases.end() && it->first.first == from;
             ++it)
            found.try_emplace(it->first.second, it->second);
    return found;
}

std::map<QString, ChannelKey> RangeRegistry::resolve(const QUuid& range,
    const QStringList& names) const
{
    const std::lock_guard locked(m_lock);
    std::map<QString, ChannelKey> found;
    const std::vector<QUuid> lineage = lineageLocked(range);
    for (const QString& name : names) {
        // As Synnax: a name that is a valid pattern matches any alias it finds (unanchored),
        // the first by channel key; otherwise the alias must equal it.
        const QRegularExpression pattern(name);
        const auto matches = [&](const QString& alias) {
            return pattern.isValid() ? pattern.match(alias).hasMatch() : alias == name;
        };
        for (const QUuid& from : lineage) {
            const auto match = std::find_if(m_aliases.lower_bound(AliasKey { from, 0 }),
                m_aliases.end(),
                [&](const auto& entry) {
                    return entry.first.first != from || matches(entry.second);
                });
            if (match != m_aliases.end() && match->first.first == from) {
                found.emplace(name, match->first.second);
                break;
            }
        }
    }
    return found;
}

Result<void> RangeRegistry::removeAliases(const QUuid& range, std::span<const ChannelKey> channels)
{
    const std::lock_guard locked(m_lock);
    auto erase = m_database.prepare("DELETE FROM range_aliases WHERE range = ?1 AND channel = ?2");
    if (!erase)
        return tl::unexpected(erase.error());
    const auto erased = m_database.transaction([&]() -> Result<void> {
        for (const ChannelKey channel : channels)
            if (auto ok = erase->bind(1, keyText(range)).bind(2, std::int64_t { channel }).run();
                !ok)
                return ok;
        return {};
    });
    if (!erased)
        return erased;
    for (const ChannelKey channel : channels)
        m_aliases.erase(AliasKey { range, channel });
    return {};
}

} // namespace sightline::core::server
