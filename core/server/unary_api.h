#pragma once

#include "core/error.h"
#include "core/server/metadata.h"
#include "core/server/thread_call.h"
#include "core/server/token_issuer.h"
#include "core/telem/channel.h"

#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <vector>

namespace sightline::core::server {

class ChannelRegistry;
class Framer;

/// Who may log in, and how the cluster presents itself.
struct UnaryApiConfig
{
    QString username = QStringLiteral("synnax");
    QString password = QStringLiteral("seldon");
    QUuid clusterKey;
    /// The Synnax version we answer to clients (major.minor must match the TS client's).
    QString nodeVersion = QStringLiteral("0.56.2");
};

/// The cluster's unary (HTTP POST, JSON) endpoints under `/api/v1/`: auth/login,
/// connectivity/check, channel/create|retrieve|delete|rename|retrieve-group, frame/delete and
/// the range, label, ontology and workspace endpoints of range_api.h, label_api.h,
/// ontology_api.h and workspace_api.h.
/// Transport-free: it takes a target, a JSON body and the Authorization header, and returns the
/// response body or a Synnax-typed error. GUI-free. Created on the cluster's thread; calls
/// may come from another thread (the HttpGateway's): the registry is thread-safe, and the
/// endpoints that touch stored samples (channel/delete, frame/delete) run on the creating
/// thread, which owns the framer.
class UnaryApi
{
public:
    /// Without a `framer`, frame/delete is absent and deleted channels keep no samples to drop.
    /// Without `metadata`, the range, label, ontology and workspace endpoints are absent.
    UnaryApi(UnaryApiConfig config,
        const TokenIssuer& tokens,
        ChannelRegistry& channels,
        Framer* framer = nullptr,
        std::optional<Metadata> metadata = std::nullopt);

    /// True when `target` (e.g. `channel/create`) is a unary endpoint.
    [[nodiscard]] bool hasTarget(QStringView target) const;
    /// Runs one call; `sy.auth*` errors when the endpoint needs a token and it is missing,
    /// malformed, invalid or expired.
    [[nodiscard]] Result<QJsonObject> call(
        QStringView target, const QJsonObject& request, QStringView authorization);
    /// At shutdown, on the creating thread: calls that need it fail from now on, and those
    /// waiting for it are released (so their thread can be joined).
    void closeCalls() { m_ownerThread.close(); }

private:
    [[nodiscard]] Result<QJsonObject> login(const QJsonObject& request) const;
    [[nodiscard]] Result<QJsonObject> createChannels(const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> retrieveChannels(const QJsonObject& request) const;
    [[nodiscard]] Result<QJsonObject> deleteChannels(const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> renameChannels(const QJsonObject& request);
    [[nodiscard]] Result<QJsonObject> deleteFrames(const QJsonObject& request);
    /// Runs `handler` on the thread that created the API (the framer's).
    [[nodiscard]] Result<QJsonObject> onOwnerThread(
        Result<QJsonObject> (UnaryApi::*handler)(const QJsonObject&), const QJsonObject& request);
    [[nodiscard]] Result<std::vector<ChannelKey>> keysOrNames(const QJsonObject& request) const;
    [[nodiscard]] QJsonObject clusterInfo() const;
    [[nodiscard]] QJsonObject channelGroup() const;
    /// Runs a range, label or ontology endpoint on the registries (thread-safe themselves),
    /// if the cluster keeps them.
    template <typename Handler>
    [[nodiscard]] Result<QJsonObject> onMetadata(Handler handler, const QJsonObject& request);

    /// One endpoint: its target, whether it needs a token, and its handler.
    struct Endpoint
    {
        QStringView target;
        bool needsToken;
        Result<QJsonObject> (*handle)(UnaryApi&, const QJsonObject&);
    };
    [[nodiscard]] static const Endpoint* findEndpoint(QStringView target);

    UnaryApiConfig m_config;
    const TokenIssuer& m_tokens;
    ChannelRegistry& m_channels;
    Framer* m_framer;
    std::optional<Metadata> m_metadata;
    ThreadCall m_ownerThread;
};

} // namespace sightline::core::server
