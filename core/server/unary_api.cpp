#include "core/server/unary_api.h"

#include "core/codec/json_values.h"
#include "core/codec/telem_json.h"
#include "core/server/channel_registry.h"
#include "core/server/framer/framer.h"
#include "core/server/label_api.h"
#include "core/server/ontology_api.h"
#include "core/server/range_api.h"
#include "core/server/workspace_api.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    QStringList namesFrom(const QJsonValue& value)
    {
        QStringList names;
        for (const QJsonValue& item : value.toArray())
            names.append(item.toString());
        return names;
    }

    QJsonObject channelsResponse(const std::vector<Channel>& channels)
    {
        return QJsonObject { { u"channels"_s, codec::toJson(channels) } };
    }

    /// A user's key, as auth/login gives it: stable across restarts (derived from the
    /// persisted cluster key), so workspaces keep their author.
    QUuid userKeyOf(const UnaryApiConfig& config, const QString& username)
    {
        return QUuid::createUuidV5(config.clusterKey, username);
    }

} // namespace

UnaryApi::UnaryApi(UnaryApiConfig config,
    const TokenIssuer& tokens,
    ChannelRegistry& channels,
    Framer* framer,
    std::optional<Metadata> metadata)
    : m_config(std::move(config))
    , m_tokens(tokens)
    , m_channels(channels)
    , m_framer(framer)
    , m_metadata(std::move(metadata))
{
}

template <typename Handler>
Result<QJsonObject> UnaryApi::onMetadata(Handler handler, const QJsonObject& request)
{
    if (!m_metadata)
        return fail(errors::Route, u"this cluster keeps no ranges, labels or ontology"_s);
    return handler(*m_metadata, request);
}

const UnaryApi::Endpoint* UnaryApi::findEndpoint(QStringView target)
{
    using Request = const QJsonObject&;
    static const Endpoint endpoints[] = {
        { u"auth/login", false, [](UnaryApi& api, Request r) { return api.login(r); } },
        { u"connectivity/check",
            false,
            [](UnaryApi& api, Request) { return Result<QJsonObject>(api.clusterInfo()); } },
        { u"channel/create", true, [](UnaryApi& api, Request r) { return api.createChannels(r); } },
        { u"channel/retrieve",
            true,
            [](UnaryApi& api, Request r) { return api.retrieveChannels(r); } },
        { u"channel/delete",
            true,
            [](UnaryApi& api, Request r) {
                return api.onOwnerThread(&UnaryApi::deleteChannels, r);
            } },
        { u"channel/rename", true, [](UnaryApi& api, Request r) { return api.renameChannels(r); } },
        { u"channel/retrieve-group",
            true,
            [](UnaryApi& api, Request) { return Result<QJsonObject>(api.channelGroup()); } },
        { u"frame/delete",
            true,
            [](UnaryApi& api, Request r) {
                return api.onOwnerThread(&UnaryApi::deleteFrames, r);
            } },
        { u"range/create",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::create, r); } },
        { u"range/retrieve",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::retrieve, r); } },
        { u"range/rename",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::rename, r); } },
        { u"range/delete",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::remove, r); } },
        { u"range/kv/get",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::getPairs, r); } },
        { u"range/kv/set",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::setPairs, r); } },
        { u"range/kv/delete",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::removePairs, r); } },
        { u"range/alias/set",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::setAliases, r); } },
        { u"range/alias/resolve",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::resolveAliases, r); } },
        { u"range/alias/retrieve",
            true,
            [](UnaryApi& api, Request r) {
                return api.onMetadata(range_api::retrieveAliases, r);
            } },
        { u"range/alias/list",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::listAliases, r); } },
        { u"range/alias/delete",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(range_api::removeAliases, r); } },
        { u"label/create",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(label_api::create, r); } },
        { u"label/retrieve",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(label_api::retrieve, r); } },
        { u"label/delete",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(label_api::remove, r); } },
        { u"label/set",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(label_api::attach, r); } },
        { u"label/remove",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(label_api::detach, r); } },
        { u"workspace/create",
            true,
            [](UnaryApi& api, Request r) {
                // The cluster's tokens name its one configured user, so a verified caller is that
                // user.
                const QUuid author = userKeyOf(api.m_config, api.m_config.username);
                return api.onMetadata(
                    [&author](Metadata& stores, Request request) {
                        return workspace_api::create(stores, request, author);
                    },
                    r);
            } },
        { u"workspace/retrieve",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(workspace_api::retrieve, r); } },
        { u"workspace/rename",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(workspace_api::rename, r); } },
        { u"workspace/set-layout",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(workspace_api::setLayout, r); } },
        { u"workspace/delete",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(workspace_api::remove, r); } },
        { u"ontology/retrieve",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(ontology_api::retrieve, r); } },
        { u"ontology/add-children",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(ontology_api::addChildren, r); } },
        { u"ontology/remove-children",
            true,
            [](UnaryApi& api, Request r) {
                return api.onMetadata(ontology_api::removeChildren, r);
            } },
        { u"ontology/move-children",
            true,
            [](UnaryApi& api, Request r) {
                return api.onMetadata(ontology_api::moveChildren, r);
            } },
        { u"ontology/create-group",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(ontology_api::createGroup, r); } },
        { u"ontology/rename-group",
            true,
            [](UnaryApi& api, Request r) { return api.onMetadata(ontology_api::renameGroup, r); } },
        { u"ontology/delete-group",
            true,
            [](UnaryApi& api, Request r) {
                return api.onMetadata(ontology_api::deleteGroups, r);
            } },
    };
    for (const Endpoint& endpoint : endpoints) {
        if (endpoint.target == target)
            return &endpoint;
    }
    return nullptr;
}

bool UnaryApi::hasTarget(QStringView target) const { return findEndpoint(target) != nullptr; }

Result<QJsonObject> UnaryApi::call(
    QStringView target, const QJsonObject& request, QStringView authorization)
{
    const Endpoint* endpoint = findEndpoint(target);
    if (endpoint == nullptr)
        return fail(errors::Route, u"no endpoint /api/v1/%1"_s.arg(target));
    if (endpoint->needsToken) {
        auto token = bearerToken(authorization);
        if (!token)
            return tl::unexpected(token.error());
        if (auto user = m_tokens.verify(*token, TimeStamp::now()); !user)
            return tl::unexpected(user.error());
    }
    return endpoint->handle(*this, request);
}

Result<QJsonObject> UnaryApi::onOwnerThread(
    Result<QJsonObject> (UnaryApi::*handler)(const QJsonObject&), const QJsonObject& request)
{
    Result<QJsonObject> response = QJsonObject {};
    const auto ran = m_ownerThread.call([&]() -> Result<void> {
        response = (this->*handler)(request);
        return {};
    });
    if (!ran)
        return tl::unexpected(ran.error());
    return response;
}

QJsonObject UnaryApi::channelGroup() const
{
    const QUuid key = QUuid::createUuidV5(m_config.clusterKey, u"channels"_s);
    return QJsonObject { { u"group"_s,
        QJsonObject { { u"key"_s, key.toString(QUuid::WithoutBraces) },
            { u"name"_s, u"Channels"_s } } } };
}

Result<QJsonObject> UnaryApi::login(const QJsonObject& request) const
{
    const QString username = request.value(u"username").toString();
    const QByteArray password = request.value(u"password").toString().toUtf8();
    const bool valid
        = username == m_config.username && constantTimeEquals(password, m_config.password.toUtf8());
    if (!valid)
        return fail(errors::InvalidCredentials, u"invalid credentials"_s);
    const QUuid userKey = userKeyOf(m_config, username);
    return QJsonObject {
        { u"token"_s, m_tokens.issue(username, TimeStamp::now()) },
        { u"user"_s,
            QJsonObject { { u"key"_s, userKey.toString(QUuid::WithoutBraces) },
                { u"username"_s, username },
                { u"first_name"_s, u""_s },
                { u"last_name"_s, u""_s },
                { u"root_user"_s, true } } },
        { u"cluster_info"_s, clusterInfo() },
    };
}

QJsonObject UnaryApi::clusterInfo() const
{
    return QJsonObject {
        { u"cluster_key"_s, m_config.clusterKey.toString(QUuid::WithoutBraces) },
        { u"node_version"_s, m_config.nodeVersion },
        { u"node_key"_s, int(ChannelRegistry::NodeKey) },
        { u"node_time"_s, codec::toJson(TimeStamp::now()) },
    };
}

Result<QJsonObject> UnaryApi::createChannels(const QJsonObject& request)
{
    auto channels = codec::channelsFromJson(request.value(u"channels"));
    if (!channels)
        return tl::unexpected(channels.error());
    for (Channel& channel : *channels)
        channel.internal = false; // only the cluster makes internal channels, as in Synnax
    const bool retrieveIfNameExists = request.value(u"retrieve_if_name_exists").toBool(false);
    return m_channels.create(std::move(*channels), retrieveIfNameExists).map(channelsResponse);
}

Result<QJsonObject> UnaryApi::retrieveChannels(const QJsonObject& request) const
{
    auto keys = codec::keysFromJson(request.value(u"keys"));
    if (!keys)
        return tl::unexpected(keys.error());
    std::vector<Channel> found;
    if (!keys->empty()) {
        auto byKeys = m_channels.retrieveByKeys(*keys);
        if (!byKeys)
            return tl::unexpected(byKeys.error());
        found = std::move(*byKeys);
    } else if (request.value(u"names").isArray()) {
        found = m_channels.retrieveByNames(namesFrom(request.value(u"names")));
    } else {
        found = m_channels.search(request.value(u"search_term").toString());
    }
    // Synnax's optional filters: each one given must hold.
    const auto flag = [&](QStringView field) -> std::optional<bool> {
        const QJsonValue value = request.value(field);
        return value.isBool() ? std::optional<bool>(value.toBool()) : std::nullopt;
    };
    const auto isVirtual = flag(u"virtual");
    const auto isIndex = flag(u"is_index");
    const auto internal = flag(u"internal");
    const QStringList dataTypes = namesFrom(request.value(u"data_types"));
    const QStringList notDataTypes = namesFrom(request.value(u"not_data_types"));
    std::erase_if(found, [&](const Channel& channel) {
        const QString type = channel.dataType.name();
        return (isVirtual && channel.isVirtual != *isVirtual)
            || (isIndex && channel.isIndex != *isIndex)
            || (internal && channel.internal != *internal)
            || (!dataTypes.isEmpty() && !dataTypes.contains(type)) || notDataTypes.contains(type);
    });
    const auto offset = static_cast<std::size_t>(std::max(0, request.value(u"offset").toInt(0)));
    const int limit = request.value(u"limit").toInt(0);
    found.erase(found.begin(), found.begin() + std::min(offset, found.size()));
    if (limit > 0 && found.size() > static_cast<std::size_t>(limit))
        found.resize(static_cast<std::size_t>(limit));
    return channelsResponse(found);
}

Result<std::vector<ChannelKey>> UnaryApi::keysOrNames(const QJsonObject& request) const
{
    auto keys = codec::keysFromJson(request.value(u"keys"));
    if (!keys)
        return tl::unexpected(keys.error());
    for (const Channel& channel : m_channels.retrieveByNames(namesFrom(request.value(u"names"))))
        keys->push_back(channel.key);
    return keys;
}

Result<QJsonObject> UnaryApi::deleteChannels(const QJsonObject& request)
{
    auto keys = keysOrNames(request);
    if (!keys)
        return tl::unexpected(keys.error());
    if (auto removed = m_channels.remove(*keys); !removed)
        return tl::unexpected(removed.error());
    if (m_framer != nullptr)
        if (auto dropped = m_framer->dropChannels(*keys); !dropped)
            return tl::unexpected(dropped.error());
    if (m_metadata) { // a deleted channel loses its labels and its place in groups
        std::vector<ResourceId> ids;
        for (const ChannelKey key : *keys)
            ids.push_back({ u"channel"_s, QString::number(key) });
        if (auto forgotten = forgetResources(*m_metadata, ids); !forgotten)
            return tl::unexpected(forgotten.error());
    }
    return QJsonObject {};
}

Result<QJsonObject> UnaryApi::deleteFrames(const QJsonObject& request)
{
    if (m_framer == nullptr)
        return fail(errors::Route, u"this cluster stores no samples"_s);
    const QStringList names = namesFrom(request.value(u"names"));
    auto keys = keysOrNames(request);
    if (!keys)
        return tl::unexpected(keys.error());
    for (const QString& name : names)
        if (m_channels.retrieveByNames({ name }).empty())
            return fail(errors::NotFound, u"channel \"%1\" not found"_s.arg(name));
    auto bounds = codec::timeRangeFromJson(request.value(u"bounds"), u"bounds");
    if (!bounds)
        return tl::unexpected(bounds.error());
    return m_framer->deleteRange(*keys, *bounds).map([] { return QJsonObject {}; });
}

Result<QJsonObject> UnaryApi::renameChannels(const QJsonObject& request)
{
    auto keys = codec::keysFromJson(request.value(u"keys"));
    if (!keys)
        return tl::unexpected(keys.error());
    return m_channels.rename(*keys, namesFrom(request.value(u"names"))).map([] {
        return QJsonObject {};
    });
}

} // namespace sightline::core::server
