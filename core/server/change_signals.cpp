#include "core/server/change_signals.h"

#include "core/codec/range_json.h"
#include "core/codec/workspace_json.h"
#include "core/server/channel_registry.h"
#include "core/server/workspace_registry.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    struct SignalChannel
    {
        const char* name;
        DataType::Id type;
    };

    /// Every channel Synnax publishes these changes on, with its sample type.
    constexpr SignalChannel SignalChannels[] = {
        { "sy_range_set", DataType::Json },
        { "sy_range_delete", DataType::Uuid },
        { "sy_range_kv_set", DataType::Json },
        { "sy_range_kv_delete", DataType::String },
        { "sy_range_alias_set", DataType::Json },
        { "sy_range_alias_delete", DataType::String },
        { "sy_label_set", DataType::Json },
        { "sy_label_delete", DataType::Uuid },
        { "sy_workspace_set", DataType::Json },
        { "sy_workspace_delete", DataType::Uuid },
        { "sy_group_set", DataType::Json },
        { "sy_group_delete", DataType::Uuid },
        { "sy_ontology_resource_set", DataType::Json },
        { "sy_ontology_resource_delete", DataType::String },
        { "sy_ontology_relationship_set", DataType::String },
        { "sy_ontology_relationship_delete", DataType::String },
    };

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    /// Synnax's key of a range's key-value pair and of a range alias.
    QString pairKey(const QUuid& range, const QString& key)
    {
        return keyText(range) + u"<--->"_s + key;
    }
    QString aliasKey(const QUuid& range, ChannelKey channel)
    {
        return keyText(range) + u"---"_s + QString::number(channel);
    }

} // namespace

Result<std::unique_ptr<ChangeSignals>> ChangeSignals::open(ChannelRegistry& channels,
    Publish publish)
{
    std::vector<Channel> wanted;
    for (const SignalChannel& signal : SignalChannels) {
        Channel channel;
        channel.name = QString::fromLatin1(signal.name);
        channel.dataType = signal.type;
        channel.isVirtual = true;
        channel.internal = true;
        wanted.push_back(std::move(channel));
    }
    auto created = channels.create(std::move(wanted), true);
    if (!created)
        return tl::unexpected(created.error());
    std::map<QString, ChannelKey> keys;
    for (const Channel& channel : *created) {
        const auto* expected = std::find_if(std::begin(SignalChannels),
            std::end(SignalChannels),
            [&](const SignalChannel& signal) {
                return channel.name == QLatin1String(signal.name);
            });
        if (!channel.isVirtual || channel.dataType != expected->type)
            return fail(errors::Validation,
                u"channel '%1' exists but is not Synnax's signal channel of that name (a virtual"
                " %2 channel)"_s.arg(channel.name, DataType(expected->type).name()));
        keys.emplace(channel.name, channel.key);
    }
    return std::unique_ptr<ChangeSignals>(new ChangeSignals(std::move(keys), std::move(publish)));
}

ChangeSignals::ChangeSignals(std::map<QString, ChannelKey> keys, Publish publish)
    : m_keys(std::move(keys))
    , m_publish(std::move(publish))
{
}

void ChangeSignals::rangesSet(std::span<const Range> ranges)
{
    std::vector<QJsonObject> samples;
    std::vector<QJsonObject> resources;
    for (const Range& range : ranges) {
        QJsonObject sample = codec::toJson(range);
        sample.remove(u"labels"_s);
        samples.push_back(sample);
        resources.push_back(codec::resourceJson(range));
    }
    publishJson("sy_range_set", samples);
    resourcesSet(resources);
}

void ChangeSignals::rangesDeleted(std::span<const QUuid> keys)
{
    deleted("sy_range_delete", u"range", keys);
}

void ChangeSignals::pairsSet(const QUuid& range, std::span<const RangePair> pairs)
{
    std::vector<QJsonObject> samples;
    for (const RangePair& pair : pairs)
        samples.push_back(codec::toJson(range, pair));
    publishJson("sy_range_kv_set", samples);
}

void ChangeSignals::pairsDeleted(const QUuid& range, const QStringList& keys)
{
    QStringList samples;
    for (const QString& key : keys)
        samples.append(pairKey(range, key));
    publishStrings("sy_range_kv_delete", samples);
}

void ChangeSignals::aliasesSet(const QUuid& range, const std::map<ChannelKey, QString>& aliases)
{
    std::vector<QJsonObject> samples;
    for (const auto& [channel, alias] : aliases)
        samples.push_back(QJsonObject { { u"range"_s, keyText(range) },
            { u"channel"_s, qint64(channel) },
            { u"alias"_s, alias } });
    publishJson("sy_range_alias_set", samples);
}

void ChangeSignals::aliasesDeleted(const QUuid& range, std::span<const ChannelKey> channels)
{
    QStringList samples;
    for (const ChannelKey channel : channels)
        samples.append(aliasKey(range, channel));
    publishStrings("sy_range_alias_delete", samples);
}

void ChangeSignals::labelsSet(std::span<const Label> labels) { set("sy_label_set", labels); }

void ChangeSignals::labelsDeleted(std::span<const QUuid> keys)
{
    deleted("sy_label_delete", u"label", keys);
}

void ChangeSignals::workspacesSet(std::span<const Workspace> workspaces)
{
    std::vector<QJsonObject> samples;
    std::vector<QJsonObject> resources;
    for (const Workspace& workspace : workspaces) {
        samples.push_back(codec::toJson(workspace));
        resources.push_back(workspaceResource(workspace));
    }
    publishJson("sy_workspace_set", samples);
    resourcesSet(resources);
}

void ChangeSignals::workspacesDeleted(std::span<const QUuid> keys)
{
    deleted("sy_workspace_delete", u"workspace", keys);
}

void ChangeSignals::groupsSet(std::span<const Group> groups) { set("sy_group_set", groups); }

void ChangeSignals::groupsDeleted(std::span<const QUuid> keys)
{
    deleted("sy_group_delete", u"group", keys);
}

template <typename Item> void ChangeSignals::set(const char* channel, std::span<const Item> items)
{
    std::vector<QJsonObject> samples;
    std::vector<QJsonObject> resources;
    for (const Item& item : items) {
        samples.push_back(codec::toJson(item));
        resources.push_back(codec::resourceJson(item));
    }
    publishJson(channel, samples);
    resourcesSet(resources);
}

void ChangeSignals::deleted(const char* channel, QStringView type, std::span<const QUuid> keys)
{
    publishUuids(channel, keys);
    std::vector<ResourceId> ids;
    for (const QUuid& key : keys)
        ids.push_back({ type.toString(), keyText(key) });
    resourcesDeleted(ids);
}

void ChangeSignals::resourcesSet(const std::vector<QJsonObject>& resources)
{
    publishJson("sy_ontology_resource_set", resources);
}

void ChangeSignals::resourcesDeleted(std::span<const ResourceId> ids)
{
    QStringList samples;
    for (const ResourceId& id : ids)
        samples.append(id.text());
    publishStrings("sy_ontology_resource_delete", samples);
}

void ChangeSignals::relationsSet(const QStringList& relations)
{
    publishStrings("sy_ontology_relationship_set", relations);
}

void ChangeSignals::relationsDeleted(const QStringList& relations)
{
    publishStrings("sy_ontology_relationship_delete", relations);
}

void ChangeSignals::publishJson(const char* channel, const std::vector<QJsonObject>& samples)
{
    QList<QByteArray> encoded;
    for (const QJsonObject& sample : samples)
        encoded.append(QJsonDocument(sample).toJson(QJsonDocument::Compact));
    publish(channel, Series::fromByteArrays(encoded, DataType::Json));
}

void ChangeSignals::publishStrings(const char* channel, const QStringList& samples)
{
    publish(channel, Series::fromStrings(samples, DataType::String));
}

void ChangeSignals::publishUuids(const char* channel, std::span<const QUuid> keys)
{
    QByteArray bytes;
    for (const QUuid& key : keys)
        bytes.append(key.toRfc4122()); // 16 bytes, most significant first, as Synnax sends
    if (auto series = Series::fromBytes(DataType::Uuid, bytes))
        publish(channel, std::move(*series));
}

void ChangeSignals::publish(const char* channel, Series series)
{
    if (!m_publish || series.empty())
        return;
    Frame frame;
    frame.add(m_keys.at(QString::fromLatin1(channel)), std::move(series));
    m_publish(std::move(frame));
}

} // namespace sightline::core::server
