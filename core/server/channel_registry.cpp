#include "core/server/channel_registry.h"

#include "core/codec/telem_json.h"
#include "core/server/calculation/expression.h"
#include "core/server/storage/database.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr auto CreateTable = "CREATE TABLE IF NOT EXISTS channels ("
                                 " key INTEGER PRIMARY KEY, record TEXT NOT NULL)";

    tl::unexpected<Error> invalid(const QString& message)
    {
        return fail(errors::Validation, message);
    }

    QString describe(const Channel& channel) { return u"channel '%1'"_s.arg(channel.name); }

} // namespace

Result<std::unique_ptr<ChannelRegistry>> ChannelRegistry::open(Database& database)
{
    if (auto ok = database.exec(CreateTable); !ok)
        return tl::unexpected(ok.error());
    auto select = database.prepare("SELECT record FROM channels ORDER BY key");
    if (!select)
        return tl::unexpected(select.error());
    std::map<ChannelKey, Channel> channels;
    while (true) {
        auto row = select->step();
        if (!row)
            return tl::unexpected(row.error());
        if (!*row)
            break;
        auto channel
            = codec::channelFromJson(QJsonDocument::fromJson(select->textAt(0).toUtf8()).object());
        if (!channel)
            return fail(errors::Storage,
                u"a stored channel record is unreadable: "_s + channel.error().message);
        channels.emplace(channel->key, std::move(*channel));
    }
    return std::unique_ptr<ChannelRegistry>(new ChannelRegistry(database, std::move(channels)));
}

ChannelRegistry::ChannelRegistry(Database& database, std::map<ChannelKey, Channel> channels)
    : m_database(database)
    , m_channels(std::move(channels))
{
    for (const auto& [key, channel] : m_channels) {
        m_nextLocalKey = std::max(m_nextLocalKey, channel.localKey() + 1);
        m_keysByName[channel.name] = key;
    }
}

Result<void> ChannelRegistry::validateNewLocked(const Channel& channel,
    const std::set<QString>& batchNames) const
{
    if (channel.name.size() > MaxChannelNameLength)
        return invalid(u"channel '%1…': a name is at most %2 characters (this one has %3)"_s
                           .arg(channel.name.left(40))
                           .arg(MaxChannelNameLength)
                           .arg(channel.name.size()));
    if (!isValidChannelName(channel.name))
        return invalid(u"%1: a name must start with a letter or _ and hold only letters, digits "
                       "and _"_s.arg(describe(channel)));
    if (channel.alias.size() > MaxChannelNameLength)
        return invalid(u"%1: an alias is at most %2 characters"_s.arg(describe(channel))
                           .arg(MaxChannelNameLength));
    if (channel.expression.size() > MaxExpressionLength)
        return invalid(u"%1: an expression is at most %2 characters"_s.arg(describe(channel))
                           .arg(MaxExpressionLength));
    if (findByNameLocked(channel.name) != nullptr || batchNames.contains(channel.name))
        return invalid(u"%1: a channel with this name already exists"_s.arg(describe(channel)));
    if (!channel.expression.isEmpty())
        if (auto ok = checkExpressionLocked(channel, batchNames); !ok)
            return ok;
    if (!channel.dataType.isValid())
        return invalid(u"%1: data type is required"_s.arg(describe(channel)));
    if (channel.isIndex) {
        if (channel.dataType != DataType(DataType::Timestamp))
            return invalid(
                u"%1: an index channel must have data type timestamp"_s.arg(describe(channel)));
        if (channel.isVirtual)
            return invalid(u"%1: an index channel cannot be virtual"_s.arg(describe(channel)));
        return {};
    }
    if (channel.isVirtual) {
        if (channel.index != 0)
            return invalid(u"%1: a virtual channel cannot have an index"_s.arg(describe(channel)));
        return {};
    }
    if (channel.index == 0)
        return invalid(
            u"%1: a persisted data channel needs an index channel"_s.arg(describe(channel)));
    const Channel* index = findLocked(channel.index);
    if (index == nullptr || !index->isIndex)
        return invalid(
            u"%1: index %2 is not an index channel"_s.arg(describe(channel)).arg(channel.index));
    return {};
}

Result<std::vector<Channel>> ChannelRegistry::create(std::vector<Channel> requested,
    bool retrieveIfNameExists)
{
    const std::lock_guard changing(m_changing);
    std::vector<Channel> created;
    std::vector<Channel> result;
    std::set<QString> batchNames;
    std::uint32_t nextLocalKey = m_nextLocalKey;
    std::vector<Channel> updated;
    for (Channel& channel : requested) {
        if (const Channel* existing = channel.key != 0 ? findLocked(channel.key) : nullptr) {
            auto changed = updateCalculatedLocked(*existing, channel, batchNames);
            if (!changed)
                return tl::unexpected(changed.error());
            batchNames.insert(changed->name);
            updated.push_back(*changed);
            result.push_back(*changed);
            continue;
        }
        if (const Channel* existing = findByNameLocked(channel.name);
            existing && retrieveIfNameExists) {
            result.push_back(*existing);
            continue;
        }
        if (auto ok = validateNewLocked(channel, batchNames); !ok)
            return tl::unexpected(ok.error());
        channel.key = (ChannelKey { NodeKey } << 20) + nextLocalKey++;
        channel.leaseholder = channel.isCalculated() ? Channel::FreeLeaseholder : NodeKey;
        if (channel.isIndex)
            channel.index = channel.key;
        batchNames.insert(channel.name);
        created.push_back(channel);
        result.push_back(channel);
    }
    std::vector<Channel> written = created;
    written.insert(written.end(), updated.begin(), updated.end());
    if (auto ok = persist(written); !ok)
        return tl::unexpected(ok.error());
    const std::unique_lock updating(m_maps);
    for (const Channel& channel : updated)
        m_keysByName.erase(m_channels[channel.key].name);
    for (const Channel& channel : written) {
        m_channels[channel.key] = channel;
        m_keysByName[channel.name] = channel.key;
    }
    m_nextLocalKey = nextLocalKey;
    ++m_generation;
    return result;
}

Result<void> ChannelRegistry::persist(const std::vector<Channel>& channels)
{
    if (channels.empty())
        return {};
    // Encoded before the transaction: the database's write lock (which the sample store's
    // commits wait for) is held only for the inserts.
    std::vector<QByteArray> records;
    records.reserve(channels.size());
    for (const Channel& channel : channels)
        records.push_back(codec::toJsonText(channel));
    auto insert = m_database.prepare("INSERT OR REPLACE INTO channels (key, record) VALUES (?, ?)");
    if (!insert)
        return tl::unexpected(insert.error());
    return m_database.transaction([&]() -> Result<void> {
        for (std::size_t i = 0; i < channels.size(); ++i)
            if (auto ok
                = insert->bind(1, std::int64_t { channels[i].key }).bindUtf8(2, records[i]).run();
                !ok)
                return ok;
        return {};
    });
}

Result<Channel> ChannelRegistry::updateCalculatedLocked(
    const Channel& existing, const Channel& requested, const std::set<QString>& batchNames) const
{
    if (!existing.isCalculated())
        return invalid(u"%1 already exists: only a calculated channel's name and expression "
                       "change when it is created again with its key"_s.arg(describe(existing)));
    Channel changed = existing;
    changed.name = requested.name;
    changed.expression = requested.expression;
    if (!isValidChannelName(changed.name))
        return invalid(u"%1: a name must start with a letter or _ and hold only letters, digits "
                       "and _"_s.arg(describe(changed)));
    const Channel* named = findByNameLocked(changed.name);
    if ((named != nullptr && named->key != existing.key)
        || (changed.name != existing.name && batchNames.contains(changed.name)))
        return invalid(u"%1: a channel with this name already exists"_s.arg(describe(changed)));
    if (changed.expression.isEmpty())
        return invalid(u"%1: a calculated channel needs an expression"_s.arg(describe(changed)));
    if (auto ok = checkExpressionLocked(changed, batchNames); !ok)
        return tl::unexpected(ok.error());
    return changed;
}

Result<void> ChannelRegistry::checkExpressionLocked(const Channel& channel,
    const std::set<QString>& batchNames) const
{
    if (!channel.isVirtual)
        return invalid(u"%1: only a virtual channel can be calculated from an expression"_s.arg(
            describe(channel)));
    if (!channel.dataType.isNumeric())
        return invalid(u"%1: a calculated channel holds numbers, not %2"_s.arg(describe(channel),
            channel.dataType.name()));
    const auto expression = Expression::parse(channel.expression);
    if (!expression)
        return invalid(u"%1: %2"_s.arg(describe(channel), expression.error().message));
    std::optional<ChannelKey> sharedIndex;
    for (const QString& input : expression->inputs()) {
        if (input == channel.name)
            return invalid(u"%1: a calculated channel cannot read itself"_s.arg(describe(channel)));
        const Channel* read = findByNameLocked(input);
        if (read == nullptr && !batchNames.contains(input))
            return invalid(u"%1: the expression reads channel '%2', which does not exist"_s.arg(
                describe(channel),
                input));
        if (read == nullptr)
            continue;
        if (!read->dataType.isNumeric())
            return invalid(
                u"%1: the expression reads %2, which holds %3, not numbers"_s.arg(describe(channel),
                    describe(*read),
                    read->dataType.name()));
        // Samples are matched on their shared index: inputs on different clocks never meet.
        const ChannelKey index = read->isVirtual ? read->key : read->index;
        if (sharedIndex && *sharedIndex != index)
            return invalid(u"%1: the expression's channels must share one index (%2 has "
                           "another)"_s.arg(describe(channel), describe(*read)));
        sharedIndex = index;
    }
    return {};
}

Result<std::vector<Channel>> ChannelRegistry::retrieveByKeys(std::span<const ChannelKey> keys) const
{
    const std::shared_lock reading(m_maps);
    std::vector<Channel> found;
    QStringList missing;
    for (ChannelKey key : keys) {
        if (const Channel* channel = findLocked(key))
            found.push_back(*channel);
        else
            missing.append(QString::number(key));
    }
    if (!missing.isEmpty())
        return fail(errors::NotFound,
            u"channels with keys [%1] not found"_s.arg(missing.join(u' ')));
    return found;
}

std::vector<Channel> ChannelRegistry::retrieveByNames(const QStringList& names) const
{
    const std::shared_lock reading(m_maps);
    std::vector<Channel> found;
    for (const QString& name : names) {
        if (const Channel* channel = findByNameLocked(name))
            found.push_back(*channel);
    }
    return found;
}

std::vector<Channel> ChannelRegistry::search(QStringView term) const
{
    const QStringList tokens = term.toString().split(u' ', Qt::SkipEmptyParts);
    std::vector<Channel> found;
    std::shared_lock reading(m_maps);
    for (const auto& [key, channel] : m_channels) {
        const bool matches = std::all_of(tokens.begin(), tokens.end(), [&](const QString& token) {
            return channel.name.contains(token, Qt::CaseInsensitive)
                || channel.alias.contains(token, Qt::CaseInsensitive);
        });
        if (matches)
            found.push_back(channel);
    }
    reading.unlock();
    std::sort(found.begin(), found.end(), [](const Channel& a, const Channel& b) {
        return a.name < b.name;
    });
    return found;
}

std::vector<Channel> ChannelRegistry::all() const
{
    const std::shared_lock reading(m_maps);
    std::vector<Channel> channels;
    channels.reserve(m_channels.size());
    for (const auto& [key, channel] : m_channels)
        channels.push_back(channel);
    return channels;
}

std::optional<Channel> ChannelRegistry::find(ChannelKey key) const
{
    const std::shared_lock reading(m_maps);
    const Channel* channel = findLocked(key);
    return channel == nullptr ? std::nullopt : std::optional<Channel>(*channel);
}

const Channel* ChannelRegistry::findLocked(ChannelKey key) const
{
    const auto it = m_channels.find(key);
    return it == m_channels.end() ? nullptr : &it->second;
}

const Channel* ChannelRegistry::findByNameLocked(QStringView name) const
{
    const auto named = m_keysByName.find(name.toString());
    return named == m_keysByName.end() ? nullptr : findLocked(named->second);
}

Result<void> ChannelRegistry::remove(std::span<const ChannelKey> keys)
{
    const std::lock_guard changing(m_changing);
    const std::set<ChannelKey> deleted(keys.begin(), keys.end());
    const auto deleting = [&](ChannelKey key) { return deleted.contains(key); };
    for (const auto& [key, channel] : m_channels) {
        if (!deleting(key) && !channel.isIndex && channel.index != 0 && deleting(channel.index))
            return invalid(u"cannot delete index %1: %2 still uses it"_s.arg(channel.index)
                               .arg(describe(channel)));
    }
    auto erase = m_database.prepare("DELETE FROM channels WHERE key = ?");
    if (!erase)
        return tl::unexpected(erase.error());
    const auto erased = m_database.transaction([&]() -> Result<void> {
        for (ChannelKey key : keys)
            if (auto ok = erase->bind(1, std::int64_t { key }).run(); !ok)
                return ok;
        return {};
    });
    if (!erased)
        return erased;
    const std::unique_lock updating(m_maps);
    for (ChannelKey key : keys)
        if (const Channel* channel = findLocked(key)) {
            m_keysByName.erase(channel->name);
            m_channels.erase(key);
        }
    ++m_generation;
    return {};
}

Result<void> ChannelRegistry::rename(std::span<const ChannelKey> keys, const QStringList& names)
{
    if (keys.size() != static_cast<std::size_t>(names.size()))
        return invalid(
            u"rename needs as many names (%1) as keys (%2)"_s.arg(names.size()).arg(keys.size()));
    const std::lock_guard changing(m_changing);
    std::vector<Channel> renamed;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const Channel* channel = findLocked(keys[i]);
        if (channel == nullptr)
            return fail(errors::NotFound, u"channel %1 not found"_s.arg(keys[i]));
        const QString& name = names[static_cast<qsizetype>(i)];
        if (!isValidChannelName(name))
            return invalid(u"'%1' is not a valid channel name"_s.arg(name));
        if (const Channel* other = findByNameLocked(name); other && other->key != keys[i])
            return invalid(u"a channel named '%1' already exists"_s.arg(name));
        Channel updated = *channel;
        updated.name = name;
        renamed.push_back(updated);
    }
    if (auto ok = persist(renamed); !ok)
        return ok;
    const std::unique_lock updating(m_maps);
    for (const Channel& channel : renamed) {
        m_keysByName.erase(m_channels[channel.key].name);
        m_channels[channel.key] = channel;
        m_keysByName[channel.name] = channel.key;
    }
    ++m_generation;
    return {};
}

} // namespace sightline::core::server
