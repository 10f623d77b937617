#include "core/server/cluster.h"

#include "core/server/change_signals.h"
#include "core/server/channel_registry.h"
#include "core/server/framer/framer.h"
#include "core/server/heap_trimmer.h"
#include "core/server/http_gateway.h"
#include "core/server/label_registry.h"
#include "core/server/ontology_registry.h"
#include "core/server/range_registry.h"
#include "core/server/storage/checkpointer.h"
#include "core/server/storage/database.h"
#include "core/server/storage/read_pool.h"
#include "core/server/storage/sample_store.h"
#include "core/server/stream_gateway.h"
#include "core/server/token_issuer.h"
#include "core/server/unary_api.h"
#include "core/server/workspace_registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStorageInfo>
#include <QSysInfo>
#include <QTcpServer>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    /// Below this, a data directory's disk counts as full.
    constexpr qint64 MinimumFreeBytes = 1024 * 1024;

    bool processIsAlive(qint64 pid)
    {
        return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
    }

    /// Why a file cannot be written in `dir`, in the operating system's words.
    QString writeFailure(const QString& dir)
    {
        QFile probe(QDir(dir).filePath(u".write-probe"_s));
        QString reason;
        if (!probe.open(QIODevice::WriteOnly) || probe.write("x", 1) != 1 || !probe.flush())
            reason = probe.errorString();
        probe.close();
        probe.remove();
        return reason.isEmpty() ? u"unknown error"_s : reason;
    }

    /// A value kept in the database's settings table, created by `make` on first use.
    template <typename Make>
    Result<QByteArray> persistentSetting(Database& database, const QString& key, Make make)
    {
        if (auto created = database.exec(
                "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value BLOB NOT NULL)");
            !created)
            return tl::unexpected(created.error());
        auto read = database.prepare("SELECT value FROM settings WHERE key = ?1");
        if (!read)
            return tl::unexpected(read.error());
        read->bind(1, key);
        auto row = read->step();
        if (!row)
            return tl::unexpected(row.error());
        if (*row)
            return read->blobAt(0);
        const QByteArray value = make();
        auto write = database.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)");
        if (!write)
            return tl::unexpected(write.error());
        write->bind(1, key).bind(2, value);
        if (auto written = write->run(); !written)
            return tl::unexpected(written.error());
        return value;
    }

    /// Every connection is a file descriptor: allow as many as the system lets this process
    /// have (the soft limit, often 1,024, up to the hard one).
    void raiseFileLimit()
    {
        rlimit limit {};
        if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
            limit.rlim_cur = limit.rlim_max;
            (void)::setrlimit(RLIMIT_NOFILE, &limit);
        }
    }

    /// Makes the data directory 0700 and every file in it 0600, explicitly (not left to the
    /// umask): the database holds the token secret and the data.
    Result<void> makePrivate(const QString& dir)
    {
        const auto restrict = [](const QString& path, mode_t mode) -> Result<void> {
            if (::chmod(QFile::encodeName(path).constData(), mode) != 0)
                return fail(errors::Storage,
                    u"cannot make %1 private to its owner (chmod %2): %3"_s.arg(path,
                        QString::number(mode, 8),
                        QString::fromLocal8Bit(std::strerror(errno))));
            return {};
        };
        if (auto ok = restrict(dir, 0700); !ok)
            return ok;
        for (const QFileInfo& file : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden))
            if (auto ok = restrict(file.absoluteFilePath(), 0600); !ok)
                return ok;
        return {};
    }

    /// Creates `path` empty with mode 0600 unless it exists, so SQLite (which gives its log
    /// files the database's mode) never makes a readable one.
    void createPrivateFile(const QString& path)
    {
        const int fd = ::open(QFile::encodeName(path).constData(), O_CREAT | O_WRONLY, 0600);
        if (fd >= 0)
            ::close(fd);
    }

    /// The server side of TLS from `tls`'s files: node certificate + CA as the chain, the
    /// node key, TLS 1.3 or later.
    Result<QSslConfiguration> serverTls(const TlsConfig& tls)
    {
        if (tls.autoCert)
            if (auto made = ensureAutoCertificates(tls.files, tls.hosts); !made)
                return tl::unexpected(made.error());
        const auto certificates = QSslCertificate::fromPath(tls.files.nodeCert, QSsl::Pem);
        if (certificates.isEmpty())
            return fail(errors::Tls,
                u"cannot read the node certificate %1 (missing, or not PEM); --auto-cert makes "
                u"one"_s.arg(tls.files.nodeCert));
        QFile keyFile(tls.files.nodeKey);
        if (!keyFile.open(QIODevice::ReadOnly))
            return fail(errors::Tls,
                u"cannot read the node key %1: %2"_s.arg(tls.files.nodeKey, keyFile.errorString()));
        const QByteArray pem = keyFile.readAll();
        QSslKey key(pem, QSsl::Ec);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Rsa); // Synnax's own auto-cert makes RSA keys
        if (key.isNull())
            return fail(errors::Tls,
                u"the node key %1 is not a PEM EC or RSA private key"_s.arg(tls.files.nodeKey));
        QList<QSslCertificate> chain = certificates;
        chain += QSslCertificate::fromPath(tls.files.caCert, QSsl::Pem); // optional
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificateChain(chain);
        configuration.setPrivateKey(key);
        configuration.setProtocol(QSsl::TlsV1_3OrLater);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients log in with a token
        return configuration;
    }

} // namespace

Result<std::unique_ptr<Cluster>> Cluster::start(ClusterConfig config)
{
    raiseFileLimit();
    std::unique_ptr<Cluster> cluster(new Cluster(std::move(config)));
    if (auto opened = cluster->open(); !opened)
        return tl::unexpected(opened.error());
    return cluster;
}

Cluster::Cluster(ClusterConfig config)
    : m_config(std::move(config))
{
}

Cluster::~Cluster()
{
    // Sessions and the simulator write through the framer: stop them first.
    m_simulator.reset();
    m_streams.reset();
    if (m_api)
        m_api->closeCalls(); // a unary call waiting for this thread gives up...
    m_http.reset(); // ...so the gateway can join the unary thread
    m_guard.reset(); // the listening server and the connections left
    m_reads.reset(); // after the sessions whose reads it runs
}

void Cluster::shutdown(TimeSpan grace)
{
    if (m_guard)
        m_guard->stopListening(); // first: clients probing for a restart see the cluster gone
    if (m_simulator)
        m_simulator->stop();
    if (!m_streams)
        return;
    m_streams->finishAll();
    QElapsedTimer waited;
    waited.start();
    while (m_streams->openStreams() > 0 && waited.nsecsElapsed() < grace.nanoseconds())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

qint64 Cluster::liveBacklogBytes() const { return m_streams ? m_streams->liveBacklogBytes() : 0; }

int Cluster::openStreams() const { return m_streams ? m_streams->openStreams() : 0; }

int Cluster::openConnections() const { return m_guard ? m_guard->openConnections() : 0; }

Result<void> Cluster::lockDataDirectory(const QString& dir)
{
    const QString path = QDir(dir).filePath(u"cluster.lock"_s);
    m_lock = std::make_unique<QLockFile>(path);
    m_lock->setStaleLockTime(0); // held for the cluster's lifetime; staleness is checked below
    if (m_lock->tryLock(0))
        return {};
    qint64 pid = 0;
    QString host;
    QString application;
    const bool readable = m_lock->getLockInfo(&pid, &host, &application);
    const bool heldHere = host.isEmpty() || host == QSysInfo::machineHostName();
    const bool ownerAlive = readable && pid > 0 && (!heldHere || processIsAlive(pid));
    if (m_lock->error() == QLockFile::LockFailedError && ownerAlive)
        return fail(errors::Storage,
            u"the data directory %1 is in use by %2 (process %3%4); stop it or choose another "
            u"--data-dir"_s.arg(dir, application.isEmpty() ? u"another cluster"_s : application)
                .arg(pid)
                .arg(heldHere ? QString() : u" on "_s + host));
    // Left by a process that is gone, or empty/garbage after a power loss: take it over.
    if (m_lock->error() == QLockFile::LockFailedError && m_lock->removeStaleLockFile()
        && m_lock->tryLock(0))
        return {};
    const QStorageInfo volume(dir);
    if (volume.isValid() && volume.bytesAvailable() < MinimumFreeBytes)
        return fail(errors::Storage,
            u"the disk holding %1 is full (%2 bytes free): free some space and start again"_s
                .arg(dir)
                .arg(volume.bytesAvailable()));
    return fail(errors::Storage,
        u"cannot lock the data directory %1: cannot write %2 (%3)"_s.arg(dir,
            path,
            writeFailure(dir)));
}

Result<void> Cluster::open()
{
    const QString dir = QDir::cleanPath(m_config.dataDir);
    if (dir.isEmpty())
        return fail(errors::Storage, u"no data directory given"_s);
    std::error_code created;
    std::filesystem::create_directories(dir.toStdString(), created);
    if (created || !QFileInfo(dir).isDir())
        return fail(errors::Storage,
            u"cannot create the data directory %1: %2"_s.arg(dir,
                created ? QString::fromLocal8Bit(created.message().c_str())
                        : u"a file of that name is in the way"_s));
    if (!QFileInfo(dir).isWritable())
        return fail(errors::Storage, u"the data directory %1 is not writable"_s.arg(dir));

    if (!m_config.tls && !m_config.allowInsecure && !m_config.host.isLoopback())
        return fail(u"sightline.network"_s,
            u"listening on %1 without TLS would send passwords and data in the clear: give "
            u"--auto-cert or --certs-dir, or --insecure to accept that"_s.arg(
                m_config.host.toString()));
    std::optional<QSslConfiguration> tls;
    if (m_config.tls) {
        auto configured = serverTls(*m_config.tls);
        if (!configured)
            return tl::unexpected(configured.error());
        tls = std::move(*configured);
    }
    if (auto locked = lockDataDirectory(dir); !locked)
        return locked;
    createPrivateFile(QDir(dir).filePath(u"cluster.db"_s));
    if (auto restricted = makePrivate(dir); !restricted)
        return restricted;

    auto database = Database::open(QDir(dir).filePath(u"cluster.db"_s), m_config.durability);
    if (!database)
        return tl::unexpected(database.error());
    m_database = std::move(*database);
    auto checkpointer = Checkpointer::open(QDir(dir).filePath(u"cluster.db"_s));
    if (!checkpointer)
        return tl::unexpected(checkpointer.error());
    m_checkpointer = std::move(*checkpointer);
    m_database->checkpointIn(*m_checkpointer);
    // The registries write from the unary thread: each on a connection of its own.
    const auto connection = [&]() -> Result<std::unique_ptr<Database>> {
        auto opened = Database::open(QDir(dir).filePath(u"cluster.db"_s), m_config.durability);
        if (opened)
            (*opened)->checkpointIn(*m_checkpointer);
        return opened;
    };
    auto registryDatabase = connection();
    if (!registryDatabase)
        return tl::unexpected(registryDatabase.error());
    m_registryDatabase = std::move(*registryDatabase);
    auto channels = ChannelRegistry::open(*m_registryDatabase);
    if (!channels)
        return tl::unexpected(channels.error());
    m_channels = std::move(*channels);
    auto rangeDatabase = connection();
    if (!rangeDatabase)
        return tl::unexpected(rangeDatabase.error());
    m_rangeDatabase = std::move(*rangeDatabase);
    auto ranges = RangeRegistry::open(*m_rangeDatabase);
    if (!ranges)
        return tl::unexpected(ranges.error());
    m_ranges = std::move(*ranges);
    auto labelDatabase = connection();
    if (!labelDatabase)
        return tl::unexpected(labelDatabase.error());
    m_labelDatabase = std::move(*labelDatabase);
    auto labels = LabelRegistry::open(*m_labelDatabase);
    if (!labels)
        return tl::unexpected(labels.error());
    m_labels = std::move(*labels);
    auto workspaceDatabase = connection();
    if (!workspaceDatabase)
        return tl::unexpected(workspaceDatabase.error());
    m_workspaceDatabase = std::move(*workspaceDatabase);
    auto workspaces = WorkspaceRegistry::open(*m_workspaceDatabase);
    if (!workspaces)
        return tl::unexpected(workspaces.error());
    m_workspaces = std::move(*workspaces);
    auto ontologyDatabase = connection();
    if (!ontologyDatabase)
        return tl::unexpected(ontologyDatabase.error());
    m_ontologyDatabase = std::move(*ontologyDatabase);
    auto ontology = OntologyRegistry::open(*m_ontologyDatabase);
    if (!ontology)
        return tl::unexpected(ontology.error());
    m_ontology = std::move(*ontology);
    auto store = SampleStore::open(*m_database);
    if (!store)
        return tl::unexpected(store.error());
    m_store = std::move(*store);

    // The token secret and cluster key persist, so tokens survive a restart.
    auto secret = persistentSetting(*m_database, u"token_secret"_s, &TokenIssuer::randomSecret);
    auto clusterKey = persistentSetting(*m_database, u"cluster_key"_s, [] {
        return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    });
    if (!secret)
        return tl::unexpected(secret.error());
    if (!clusterKey)
        return tl::unexpected(clusterKey.error());
    m_tokens = std::make_unique<TokenIssuer>(*secret,
        QStringList { m_config.username },
        m_config.tokenLifetime);
    m_framer = std::make_unique<Framer>(*m_channels, *m_store);
    if (auto upgraded = m_framer->upgradeAlignments(); !upgraded)
        return tl::unexpected(upgraded.error());
    auto reads = ReadPool::open(QDir(dir).filePath(u"cluster.db"_s));
    if (!reads)
        return tl::unexpected(reads.error());
    m_reads = std::move(*reads);
    m_framer->setReadPool(m_reads.get());
    // Changes are announced on this thread, which owns the relay, after the call made them.
    auto signalChannels = ChangeSignals::open(*m_channels, [this](Frame frame) {
        QMetaObject::invokeMethod(
            this,
            [this, frame = std::move(frame)] { m_framer->publishSignal(frame); },
            Qt::QueuedConnection);
    });
    if (!signalChannels)
        return tl::unexpected(signalChannels.error());
    m_signals = std::move(*signalChannels);
    m_api = std::make_unique<UnaryApi>(
        UnaryApiConfig { .username = m_config.username,
            .password = m_config.password,
            .clusterKey = QUuid::fromString(QString::fromLatin1(*clusterKey)) },
        *m_tokens,
        *m_channels,
        m_framer.get(),
        Metadata { *m_ranges,
            *m_labels,
            *m_ontology,
            *m_channels,
            *m_signals,
            m_workspaces.get() });
    m_http = std::make_unique<HttpGateway>(*m_api);
    m_streams = std::make_unique<StreamGateway>(*m_http, *m_tokens, *m_framer, m_config.limits);

    if (auto restricted = makePrivate(dir); !restricted) // the log files SQLite made meanwhile
        return restricted;
    m_guard = std::make_unique<ConnectionGuard>(m_config.limits, *m_tokens);
    QTcpServer* listener = m_guard->listen(m_config.host, m_config.port, tls);
    if (listener != nullptr) {
        m_http->bind(listener);
        m_port = listener->serverPort();
    }
    if (m_port == 0)
        return fail(u"sightline.network"_s,
            u"cannot listen on %1:%2 (in use or not allowed)"_s.arg(m_config.host.toString())
                .arg(m_config.port));

    m_heapTrimmer = std::make_unique<HeapTrimmer>();
    if (m_config.simulator) {
        auto simulator = Simulator::create(*m_framer, *m_config.simulator);
        if (!simulator)
            return tl::unexpected(simulator.error());
        m_simulator = std::move(*simulator);
        m_simulator->start();
    }
    return {};
}

} // namespace sightline::core::server
