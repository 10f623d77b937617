#pragma once

#include "core/error.h"
#include "core/server/certificates.h"
#include "core/server/connection_guard.h"
#include "core/server/simulator.h"
#include "core/server/storage/database.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QLockFile;

namespace sightline::core::server {

class ChangeSignals;
class ChannelRegistry;
class LabelRegistry;
class OntologyRegistry;
class RangeRegistry;
class Checkpointer;
class Framer;
class HttpGateway;
class ReadPool;
class SampleStore;
class HeapTrimmer;
class StreamGateway;
class TokenIssuer;
class UnaryApi;
class WorkspaceRegistry;

/// TLS as a Synnax Core serves it: HTTP and WebSocket on the one port, TLS 1.3 minimum, the
/// node certificate (and its CA, sent as the chain) from PEM files.
struct TlsConfig
{
    CertificateFiles files {};
    /// Create missing files first (Synnax's --auto-cert): a self-signed CA and a node
    /// certificate for `hosts` (localhost, 127.0.0.1 and ::1 always).
    bool autoCert = false;
    QStringList hosts {};
};

struct ClusterConfig
{
    /// Where the cluster keeps its database; created when missing.
    QString dataDir;
    QHostAddress host = QHostAddress::LocalHost;
    /// 0 picks a free port.
    quint16 port = 0;
    QString username = QStringLiteral("synnax");
    QString password = QStringLiteral("seldon");
    /// How long a login token stays valid.
    TimeSpan tokenLifetime = TimeSpan::hours(24);
    /// What a commit survives: the process being killed (default) or power loss too.
    Durability durability = Durability::Process;
    /// The simulated test stand; nullopt runs without it.
    std::optional<SimulatorConfig> simulator = SimulatorConfig {};
    /// nullopt serves plain HTTP/WebSocket: allowed on a loopback address, elsewhere only
    /// with `allowInsecure` (Synnax's --insecure).
    std::optional<TlsConfig> tls = std::nullopt;
    bool allowInsecure = false;
    /// Connection caps and timeouts of the HTTP port.
    ConnectionLimits limits {};
};

/// The embedded Synnax-compatible cluster: one port serving the unary API over HTTP and the
/// frame streams over WebSocket, durable storage in the data directory (locked against a
/// second cluster), and the simulated stand. Lives on the thread that starts it, which must
/// run an event loop; destroying it stops everything and releases the directory.
class Cluster : public QObject
{
    Q_OBJECT

public:
    /// Opens the data directory and starts listening. Fails with a message a user can act on
    /// when the directory is in use by another cluster, not writable, or the port is taken.
    [[nodiscard]] static Result<std::unique_ptr<Cluster>> start(ClusterConfig config);
    ~Cluster() override;

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] const ClusterConfig& config() const { return m_config; }
    [[nodiscard]] Framer& framer() { return *m_framer; }
    [[nodiscard]] ChannelRegistry& channels() { return *m_channels; }
    [[nodiscard]] Simulator* simulator() { return m_simulator.get(); }
    [[nodiscard]] int openStreams() const;
    /// Bytes the live streams together have waiting for their clients.
    [[nodiscard]] qint64 liveBacklogBytes() const;
    /// Connections to the HTTP port, streams included.
    [[nodiscard]] int openConnections() const;
    /// A clean stop before destruction: the port stops listening, the simulator stops, every
    /// stream gets its close envelope, and the peers get up to `grace` to close their ends.
    /// Commits are synchronous, so none is left half done; uncommitted writes are dropped
    /// (as on close).
    void shutdown(TimeSpan grace = TimeSpan::seconds(1));

private:
    explicit Cluster(ClusterConfig config);
    [[nodiscard]] Result<void> open();
    /// Locks the data directory against a second cluster; a lock left by a process that is
    /// gone (or unreadable, e.g. empty after a power loss) is stale and taken over.
    [[nodiscard]] Result<void> lockDataDirectory(const QString& dir);

    ClusterConfig m_config;
    std::unique_ptr<QLockFile> m_lock;
    /// Runs the log checkpoints of the connections below (outlives them).
    std::unique_ptr<Checkpointer> m_checkpointer;
    std::unique_ptr<Database> m_database;
    /// The channel registry's own connection: it writes from the unary thread.
    std::unique_ptr<Database> m_registryDatabase;
    std::unique_ptr<ChannelRegistry> m_channels;
    /// The range registry's own connection (it writes from the unary thread too).
    std::unique_ptr<Database> m_rangeDatabase;
    std::unique_ptr<RangeRegistry> m_ranges;
    std::unique_ptr<Database> m_labelDatabase;
    std::unique_ptr<LabelRegistry> m_labels;
    std::unique_ptr<Database> m_workspaceDatabase;
    std::unique_ptr<WorkspaceRegistry> m_workspaces;
    std::unique_ptr<Database> m_ontologyDatabase;
    std::unique_ptr<OntologyRegistry> m_ontology;
    std::unique_ptr<ChangeSignals> m_signals;
    std::unique_ptr<SampleStore> m_store;
    std::unique_ptr<ReadPool> m_reads;
    std::unique_ptr<TokenIssuer> m_tokens;
    std::unique_ptr<Framer> m_framer;
    std::unique_ptr<UnaryApi> m_api;
    std::unique_ptr<HttpGateway> m_http;
    /// Declared after the gateway: destroyed first, with the listening server it owns.
    std::unique_ptr<ConnectionGuard> m_guard;
    std::unique_ptr<StreamGateway> m_streams;
    std::unique_ptr<Simulator> m_simulator;
    std::unique_ptr<HeapTrimmer> m_heapTrimmer;
    quint16 m_port = 0;
};

} // namespace sightline::core::server
