#include "session.h"

#include "core/server/token_issuer.h"

#include <QCoreApplication>
#include <QFile>

using namespace Qt::StringLiterals;

namespace sightline::app {

namespace {

    QString describe(const core::client::ConnectionConfig& config)
    {
        return u"%1:%2%3"_s.arg(config.host)
            .arg(config.port)
            .arg(config.secure ? u" (TLS)"_s : QString());
    }

} // namespace

core::Result<Reached> reach(const std::shared_ptr<core::client::Connection>& connection)
{
    Reached reached;
    reached.connection = connection;
    auto info = connection->checkConnectivity();
    if (!info)
        return tl::unexpected(info.error());
    reached.info = *info;
    if (auto login = connection->login(); !login)
        return tl::unexpected(login.error());
    auto channels = connection->searchChannels(QString());
    if (!channels)
        return core::fail(channels.error().type,
            QCoreApplication::translate("main", "Cannot read the channels of %1: %2")
                .arg(describe(connection->config()), channels.error().message));
    reached.channels = std::move(*channels);
    if (auto warning = core::client::versionWarning(info->nodeVersion))
        reached.warnings.append(*warning);
    if (auto warning = core::client::clockSkewWarning(info->clockSkew))
        reached.warnings.append(*warning);
    return reached;
}

core::Result<std::unique_ptr<Session>> Session::open(const Target& target)
{
    if (!target.embedded) {
        auto reached = reach(std::make_shared<core::client::Connection>(target.connection));
        if (!reached)
            return tl::unexpected(reached.error());
        return adopt(std::move(*reached));
    }
    std::unique_ptr<Session> session(new Session());
    core::client::ConnectionConfig config = target.connection;
    session->m_cluster = std::make_unique<core::server::EmbeddedCluster>();
    core::server::ClusterConfig cluster;
    cluster.dataDir = target.dataDir;
    cluster.port = target.embeddedPort;
    if (!target.embeddedPassword.isEmpty())
        cluster.password = target.embeddedPassword;
    config.username = cluster.username;
    config.password = cluster.password;
    auto started = session->m_cluster->start(cluster);
    if (!started && target.embeddedPort != 0) { // taken meanwhile: any free port will do
        cluster.port = 0;
        started = session->m_cluster->start(cluster);
    }
    if (!started)
        return core::fail(started.error().type,
            QCoreApplication::translate("main", "The embedded cluster did not start: %1")
                .arg(started.error().message));
    session->m_cluster->run(
        [&](core::server::Cluster& c) { session->m_simulator = c.simulator(); });
    config.host = u"127.0.0.1"_s;
    config.port = *started;
    session->m_embeddedPort = *started;
    config.secure = false;
    const auto retention = cluster.simulator ? cluster.simulator->retention : core::TimeSpan();
    const QString kept = retention.nanoseconds() > 0
        ? QCoreApplication::translate("main", "simulated data kept %1 days")
              .arg(retention.nanoseconds() / core::TimeSpan::hours(24).nanoseconds())
        : QCoreApplication::translate("main", "simulated data kept for ever");
    session->m_description
        = QCoreApplication::translate("main", "Embedded cluster on 127.0.0.1:%1 (%2)")
              .arg(*started)
              .arg(kept);
    session->m_connection = std::make_shared<core::client::Connection>(config);
    auto channels = session->m_connection->searchChannels(QString());
    if (!channels)
        return core::fail(channels.error().type,
            QCoreApplication::translate("main", "Cannot read the channels of %1: %2")
                .arg(session->m_description, channels.error().message));
    session->m_channels = std::move(*channels);
    if (auto streaming = session->startFeed(); !streaming)
        return tl::unexpected(streaming.error());
    return session;
}

core::Result<std::unique_ptr<Session>> Session::adopt(Reached reached)
{
    std::unique_ptr<Session> session(new Session());
    session->m_description = describe(reached.connection->config());
    session->m_connection = std::move(reached.connection);
    session->m_channels = std::move(reached.channels);
    session->m_warnings = std::move(reached.warnings);
    if (auto streaming = session->startFeed(); !streaming)
        return tl::unexpected(streaming.error());
    return session;
}

core::Result<void> Session::startFeed()
{
    m_feed = std::make_unique<core::feed::LiveFeed>(m_connection);
    if (auto streaming = m_feed->start(); !streaming)
        return core::fail(streaming.error().type,
            QCoreApplication::translate("main", "Cannot stream from %1: %2")
                .arg(m_description, streaming.error().message));
    return {};
}

QString embeddedClusterPassword(QSettings& settings)
{
    const QString key = u"embedded/password"_s;
    QString password = settings.value(key).toString();
    if (password.isEmpty()) {
        password = QString::fromLatin1(core::server::TokenIssuer::randomSecret().toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        settings.setValue(key, password);
        settings.sync();
        makeSettingsPrivate(settings);
    }
    return password;
}

void makeSettingsPrivate(QSettings& settings)
{
    settings.sync();
    if (QFile::exists(settings.fileName()))
        QFile::setPermissions(settings.fileName(), QFile::ReadOwner | QFile::WriteOwner);
}

core::client::ConnectionConfig withRemembered(QSettings& settings,
    core::client::ConnectionConfig connection)
{
    const int count = settings.beginReadArray(u"connections"_s);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        if (settings.value(u"host"_s).toString() != connection.host
            || settings.value(u"port"_s).toUInt() != connection.port)
            continue;
        if (settings.contains(u"password"_s))
            connection.password = settings.value(u"password"_s).toString();
        if (connection.caCertFile.isEmpty())
            connection.caCertFile = settings.value(u"caCert"_s).toString();
        connection.trustedCertificate = settings.value(u"trustedCertificate"_s).toString();
    }
    settings.endArray();
    return connection;
}

Session::~Session()
{
    m_feed.reset(); // closes the stream before its cluster goes
    m_connection.reset();
    m_cluster.reset();
}

} // namespace sightline::app
