#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/feed/live_feed.h"
#include "core/server/embedded_cluster.h"

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
    /// The embedded cluster's port: 0 picks a free one; another is tried first and given up
    /// for a free one when taken (so switching back keeps the address when it can).
    quint16 embeddedPort = 0;
    /// The embedded cluster's login password (user `synnax`); empty keeps Synnax's default.
    /// The app gives each installation its own (embeddedClusterPassword()).
    QString embeddedPassword;
};

/// This installation's password for its embedded cluster: random, made on first use and kept
/// in `settings` (which the app keeps private to the user), so no other local process can
/// log in with default credentials.
[[nodiscard]] QString embeddedClusterPassword(QSettings& settings);

/// Makes the settings file readable and writable by its owner only (it holds passwords).
void makeSettingsPrivate(QSettings& settings);

/// What connecting to a remote cluster learned: the logged-in connection, its channels and
/// what the user should be warned about (an incompatible version, a clock far off ours).
struct Reached
{
    std::shared_ptr<core::client::Connection> connection;
    std::vector<core::Channel> channels;
    core::client::ClusterInfo info;
    QStringList warnings;
};

/// Connects to a remote cluster: the connectivity check (version, clock skew), login and
/// the channel list. Blocks the calling thread (up to the config's timeout per call); any
/// thread may call it. Errors name the address and the cause.
[[nodiscard]] core::Result<Reached> reach(
    const std::shared_ptr<core::client::Connection>& connection);

/// `connection` with what the Connect dialog's list saved for its host and port: the
/// password (if the user chose to remember it), the CA file and a trusted certificate.
[[nodiscard]] core::client::ConnectionConfig withRemembered(QSettings& settings,
    core::client::ConnectionConfig connection);

/// One connection of the app: the embedded cluster when it is the target, the connection,
/// the cluster's channels and the live feed. Destroying it closes them in order.
class Session
{
public:
    /// Starts the embedded cluster (if targeted), reads the channels and opens the stream.
    /// Blocks: for a remote cluster, prefer ConnectAttempt and then adopt().
    [[nodiscard]] static core::Result<std::unique_ptr<Session>> open(const Target& target);
    /// A session on a cluster reach() got to: opens the stream.
    [[nodiscard]] static core::Result<std::unique_ptr<Session>> adopt(Reached reached);
    ~Session();

    [[nodiscard]] core::feed::LiveFeed& feed() { return *m_feed; }
    [[nodiscard]] const std::vector<core::Channel>& channels() const { return m_channels; }
    /// "Embedded cluster on 127.0.0.1:41231 (simulated data kept 7 days)" or "host:port (TLS)".
    [[nodiscard]] const QString& description() const { return m_description; }
    [[nodiscard]] bool embedded() const { return m_cluster != nullptr; }
    /// The embedded cluster's port (0 for a remote cluster).
    [[nodiscard]] quint16 embeddedPort() const { return m_embeddedPort; }
    /// What the user should know about the cluster (see Reached::warnings).
    [[nodiscard]] const QStringList& warnings() const { return m_warnings; }
    /// The embedded cluster's simulated stand (on the cluster's thread: connect to its
    /// signals only); null for a remote cluster or without a stand.
    [[nodiscard]] core::server::Simulator* simulator() const { return m_simulator; }

private:
    Session() = default;
    [[nodiscard]] core::Result<void> startFeed();

    std::unique_ptr<core::server::EmbeddedCluster> m_cluster;
    core::server::Simulator* m_simulator = nullptr;
    std::shared_ptr<core::client::Connection> m_connection;
    std::unique_ptr<core::feed::LiveFeed> m_feed;
    std::vector<core::Channel> m_channels;
    QString m_description;
    QStringList m_warnings;
    quint16 m_embeddedPort = 0;
};

} // namespace sightline::app
