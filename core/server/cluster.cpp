#include "core/server/cluster.h"

#include "core/server/channel_registry.h"
#include "core/server/framer/framer.h"
#include "core/server/http_gateway.h"
#include "core/server/storage/database.h"
#include "core/server/storage/sample_store.h"
#include "core/server/stream_gateway.h"
#include "core/server/token_issuer.h"
#include "core/server/unary_api.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    const QString StorageError = u"sightline.storage"_s;

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

} // namespace

Result<std::unique_ptr<Cluster>> Cluster::start(ClusterConfig config)
{
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
    m_http.reset();
}

int Cluster::openStreams() const { return m_streams ? m_streams->openStreams() : 0; }

Result<void> Cluster::open()
{
    const QString dir = QDir::cleanPath(m_config.dataDir);
    if (dir.isEmpty())
        return fail(StorageError, u"no data directory given"_s);
    if (!QDir().mkpath(dir))
        return fail(StorageError, u"cannot create the data directory %1"_s.arg(dir));
    if (!QFileInfo(dir).isWritable())
        return fail(StorageError, u"the data directory %1 is not writable"_s.arg(dir));

    m_lock = std::make_unique<QLockFile>(QDir(dir).filePath(u"cluster.lock"_s));
    m_lock->setStaleLockTime(0); // held for the cluster's lifetime; a dead owner is detected
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString application;
        m_lock->getLockInfo(&pid, &host, &application);
        return fail(StorageError,
            m_lock->error() == QLockFile::LockFailedError
                ? u"the data directory %1 is in use by %2 (process %3); stop it or choose "
                  u"another --data-dir"_s
                      .arg(dir, application.isEmpty() ? u"another cluster"_s : application)
                      .arg(pid)
                : u"cannot lock the data directory %1"_s.arg(dir));
    }

    auto database = Database::open(QDir(dir).filePath(u"cluster.db"_s));
    if (!database)
        return tl::unexpected(database.error());
    m_database = std::move(*database);
    auto channels = ChannelRegistry::open(*m_database);
    if (!channels)
        return tl::unexpected(channels.error());
    m_channels = std::move(*channels);
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
    m_tokens = std::make_unique<TokenIssuer>(*secret, m_config.tokenLifetime);
    m_framer = std::make_unique<Framer>(*m_channels, *m_store);
    if (auto upgraded = m_framer->upgradeAlignments(); !upgraded)
        return tl::unexpected(upgraded.error());
    m_api = std::make_unique<UnaryApi>(
        UnaryApiConfig { .username = m_config.username,
            .password = m_config.password,
            .clusterKey = QUuid::fromString(QString::fromLatin1(*clusterKey)) },
        *m_tokens,
        *m_channels,
        m_framer.get());
    m_http = std::make_unique<HttpGateway>(*m_api);
    m_streams = std::make_unique<StreamGateway>(*m_http, *m_tokens, *m_framer);

    m_port = m_http->listen(m_config.host, m_config.port);
    if (m_port == 0)
        return fail(u"sightline.network"_s,
            u"cannot listen on %1:%2 (in use or not allowed)"_s.arg(m_config.host.toString())
                .arg(m_config.port));

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
