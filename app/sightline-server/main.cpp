// sightline-server: the embedded Synnax-compatible cluster, headless.

#include "core/server/channel_registry.h"
#include "core/server/http_gateway.h"
#include "core/server/storage/database.h"
#include "core/server/token_issuer.h"
#include "core/server/unary_api.h"
#include "sightline/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QStandardPaths>
#include <QUuid>

#include <cstdio>

#include "common/early_command_line.h"

using namespace Qt::StringLiterals;
using namespace sightline::core::server;

namespace {

void addOptions(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        u"Runs a Synnax-compatible cluster with local storage and simulated devices."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ u"listen"_s,
        u"Address to listen on (default 127.0.0.1:9090)."_s,
        u"host:port"_s,
        u"127.0.0.1:9090"_s });
    parser.addOption({ u"data-dir"_s, u"Directory holding the cluster's data."_s, u"dir"_s });
    parser.addOption({ u"username"_s, u"Login name (default synnax)."_s, u"name"_s, u"synnax"_s });
    parser.addOption(
        { u"password"_s, u"Login password (default seldon)."_s, u"password"_s, u"seldon"_s });
    parser.addOption({ u"no-sim"_s, u"Do not start the simulated test stand."_s });
    parser.addOption({ u"sim-rate"_s, u"Fast channels' sample rate in Hz."_s, u"hz"_s });
    parser.addOption({ u"sim-channels"_s, u"Number of simulated data channels."_s, u"n"_s });
}

struct ServerOptions
{
    QHostAddress host;
    quint16 port = 0;
    QString dataDir;
    QString username;
    QString password;
};

tl::expected<ServerOptions, QString> parseServerOptions(const QCommandLineParser& parser)
{
    ServerOptions options;
    const QString listen = parser.value(u"listen"_s);
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host == u"localhost"_s)
        host = u"127.0.0.1"_s;
    options.host = QHostAddress(host);
    if (!portOk || port > 65535 || options.host.isNull())
        return tl::unexpected(
            u"--listen needs host:port, e.g. 127.0.0.1:9090 (got '%1')"_s.arg(listen));
    options.port = static_cast<quint16>(port);
    options.dataDir = parser.isSet(u"data-dir"_s)
        ? parser.value(u"data-dir"_s)
        : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + u"/sightline/cluster"_s;
    options.username = parser.value(u"username"_s);
    options.password = parser.value(u"password"_s);
    if (options.username.isEmpty())
        return tl::unexpected(u"--username must not be empty"_s);
    return options;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication::setApplicationName(u"sightline-server"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(sightline::VersionString));

    QCommandLineParser parser;
    addOptions(parser);
    const QString versionLine = u"sightline-server %1 (Synnax protocol %2)"_s.arg(
        QString::fromLatin1(sightline::VersionString),
        QString::fromLatin1(sightline::SynnaxProtocolVersion));
    if (const auto exitCode
        = sightline::app::handleEarlyCommandLine(parser, argc, argv, versionLine))
        return *exitCode;

    QCoreApplication app(argc, argv);
    auto options = parseServerOptions(parser);
    if (!options) {
        std::fprintf(stderr, "sightline-server: %s\n", qPrintable(options.error()));
        return 2;
    }
    if (!QDir().mkpath(options->dataDir)) {
        std::fprintf(stderr,
            "sightline-server: cannot create the data directory %s\n",
            qPrintable(options->dataDir));
        return 1;
    }
    auto database = Database::open(QDir(options->dataDir).filePath(u"cluster.db"_s));
    if (!database) {
        std::fprintf(stderr, "sightline-server: %s\n", qPrintable(database.error().toString()));
        return 1;
    }
    auto channels = ChannelRegistry::open(**database);
    if (!channels) {
        std::fprintf(stderr, "sightline-server: %s\n", qPrintable(channels.error().toString()));
        return 1;
    }
    const TokenIssuer tokens(TokenIssuer::randomSecret());
    UnaryApi api(UnaryApiConfig { .username = options->username,
                     .password = options->password,
                     .clusterKey = QUuid::createUuid() },
        tokens,
        **channels);
    HttpGateway gateway(api);
    const quint16 port = gateway.listen(options->host, options->port);
    if (port == 0) {
        std::fprintf(stderr,
            "sightline-server: cannot listen on %s:%u (in use or not allowed)\n",
            qPrintable(options->host.toString()),
            unsigned(options->port));
        return 1;
    }
    std::printf("sightline-server listening on %s:%u, data in %s\n",
        qPrintable(options->host.toString()),
        unsigned(port),
        qPrintable(options->dataDir));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
