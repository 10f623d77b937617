#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/server/embedded_cluster.h"
#include "core/store/live_feed.h"

#include <QSettings>
#include <QString>

#include <memory>
#include <vector>

namespace sightline::app {

/// Where to connect: a real cluster, or the embedded one in `dataDir`.
struct Target
{
    core::client::ConnectionConfig connection;
    bool embedded = true;
    QString dataDir;
};

/// The password saved for `connection` in the Connect dialog's list, if the user chose to
/// remember it (else empty).
[[nodiscard]] QString rememberedPassword(QSettings& settings,
    const core::client::ConnectionConfig& connection);

/// One connection of the app: the embedded cluster when it is the target, the connection,
/// the cluster's channels and the live feed. Destroying it closes them in order.
class Session
{
public:
    /// Starts the embedded cluster (if targeted), reads the channels and opens the stream.
    [[nodiscard]] static core::Result<std::unique_ptr<Session>> open(const Target& target);
    ~Session();

    [[nodiscard]] core::store::LiveFeed& feed() { return *m_feed; }
    [[nodiscard]] const std::vector<core::Channel>& channels() const { return m_channels; }
    /// "Embedded cluster on 127.0.0.1:41231 (simulated data kept 7 days)" or "host:port (TLS)".
    [[nodiscard]] const QString& description() const { return m_description; }
    [[nodiscard]] bool embedded() const { return m_cluster != nullptr; }
    /// The embedded cluster's simulated stand (on the cluster's thread: connect to its
    /// signals only); null for a remote cluster or without a stand.
    [[nodiscard]] core::server::Simulator* simulator() const { return m_simulator; }

private:
    Session() = default;

    std::unique_ptr<core::server::EmbeddedCluster> m_cluster;
    core::server::Simulator* m_simulator = nullptr;
    std::shared_ptr<core::client::Connection> m_connection;
    std::unique_ptr<core::store::LiveFeed> m_feed;
    std::vector<core::Channel> m_channels;
    QString m_description;
};

} // namespace sightline::app
