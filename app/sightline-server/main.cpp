// sightline-server: the embedded Synnax-compatible cluster, headless.

#include "core/allocator_tuning.h"
#include "core/server/cluster.h"
#include "sightline/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QStandardPaths>
#include <QSysInfo>

#include <cstdio>

#include "common/early_command_line.h"
#include "common/termination_signals.h"

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
    parser.addOption({ u"password"_s,
        u"Login password (default seldon, or $SIGHTLINE_PASSWORD). Visible to other local "
        u"users in the process list: prefer --password-file or the variable."_s,
        u"password"_s });
    parser.addOption({ u"password-file"_s,
        u"Read the login password from the first line of this file."_s,
        u"file"_s });
    parser.addOption({ u"durability"_s,
        u"What a commit survives: 'process' (the server being killed; the default, "
        u"several times faster commits) or 'full' (also an OS crash or power loss: one fsync "
        u"per commit)."_s,
        u"level"_s,
        u"process"_s });
    parser.addOption({ u"insecure"_s,
        u"Serve plain HTTP/WebSocket without TLS. Needed to listen on an address other than "
        u"loopback without TLS (passwords and data then travel in the clear)."_s });
    parser.addOption({ u"certs-dir"_s,
        u"Serve TLS (1.3) with the certificates in this directory (default "
        u"~/.local/share/sightline/certs)."_s,
        u"dir"_s });
    parser.addOption({ u"ca-cert"_s,
        u"CA certificate, relative to --certs-dir (default ca.crt)."_s,
        u"file"_s,
        u"ca.crt"_s });
    parser.addOption({ u"node-cert"_s,
        u"Node certificate, relative to --certs-dir (default node.crt)."_s,
        u"file"_s,
        u"node.crt"_s });
    parser.addOption({ u"node-key"_s,
        u"Node private key, relative to --certs-dir (default node.key)."_s,
        u"file"_s,
        u"node.key"_s });
    parser.addOption({ u"auto-cert"_s,
        u"Serve TLS, first creating a self-signed CA and a node certificate in --certs-dir "
        u"when they are missing (clients trust ca.crt)."_s });
    parser.addOption({ u"allow-origin"_s,
        u"Accept browser requests from this web page origin (e.g. "
        u"https://console.example.com; repeatable). Loopback pages are always accepted."_s,
        u"origin"_s });
    parser.addOption({ u"no-sim"_s, u"Do not start the simulated test stand."_s });
    parser.addOption({ u"sim-rate"_s, u"Fast channels' sample rate in Hz."_s, u"hz"_s });
    parser.addOption({ u"sim-channels"_s, u"Number of simulated data channels."_s, u"n"_s });
    parser.addOption({ u"sim-retention"_s,
        u"Days of simulated data to keep (default 7; 0 keeps it for ever). Channels other "
        u"clients write are never deleted."_s,
        u"days"_s });
}

/// The password from --password, --password-file or $SIGHTLINE_PASSWORD (one of them), else
/// Synnax's default.
tl::expected<QString, QString> loginPassword(const QCommandLineParser& parser)
{
    const QByteArray fromEnvironment = qgetenv("SIGHTLINE_PASSWORD");
    const int given = int(parser.isSet(u"password"_s)) + int(parser.isSet(u"password-file"_s));
    if (given > 1)
        return tl::unexpected(u"give --password or --password-file, not both"_s);
    if (parser.isSet(u"password"_s))
        return parser.value(u"password"_s);
    if (parser.isSet(u"password-file"_s)) {
        QFile file(parser.value(u"password-file"_s));
        if (!file.open(QIODevice::ReadOnly))
            return tl::unexpected(
                u"cannot read --password-file %1: %2"_s.arg(file.fileName(), file.errorString()));
        const QString password = QString::fromUtf8(file.readLine()).trimmed();
        if (password.isEmpty())
            return tl::unexpected(u"--password-file %1 is empty"_s.arg(file.fileName()));
        return password;
    }
    if (!fromEnvironment.isEmpty())
        return QString::fromUtf8(fromEnvironment);
    return u"seldon"_s;
}

/// TLS from --certs-dir, --ca-cert, --node-cert, --node-key and --auto-cert (Synnax's flags);
/// nullopt for plain (--insecure, or none of them).
tl::expected<std::optional<TlsConfig>, QString> parseTls(const QCommandLineParser& parser,
    const QString& listenHost)
{
    const bool wanted = parser.isSet(u"auto-cert"_s) || parser.isSet(u"certs-dir"_s)
        || parser.isSet(u"node-cert"_s) || parser.isSet(u"node-key"_s)
        || parser.isSet(u"ca-cert"_s);
    if (!wanted)
        return std::nullopt;
    if (parser.isSet(u"insecure"_s))
        return tl::unexpected(u"--insecure turns TLS off: it cannot go with --auto-cert, "
                              u"--certs-dir or the certificate options"_s);
    const QDir certs(parser.isSet(u"certs-dir"_s)
            ? parser.value(u"certs-dir"_s)
            : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                + u"/sightline/certs"_s);
    TlsConfig tls;
    tls.files = defaultCertificateFiles(certs.absolutePath());
    tls.files.caCert = certs.absoluteFilePath(parser.value(u"ca-cert"_s));
    tls.files.nodeCert = certs.absoluteFilePath(parser.value(u"node-cert"_s));
    tls.files.nodeKey = certs.absoluteFilePath(parser.value(u"node-key"_s));
    tls.autoCert = parser.isSet(u"auto-cert"_s);
    tls.hosts = QStringList { QSysInfo::machineHostName() };
    if (!listenHost.isEmpty())
        tls.hosts.append(listenHost);
    return tls;
}

tl::expected<ClusterConfig, QString> parseServerOptions(const QCommandLineParser& parser)
{
    ClusterConfig options;
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
    auto password = loginPassword(parser);
    if (!password)
        return tl::unexpected(password.error());
    options.password = *password;
    if (options.username.isEmpty())
        return tl::unexpected(u"--username must not be empty"_s);
    const auto durability = durabilityFromName(parser.value(u"durability"_s));
    if (!durability)
        return tl::unexpected(u"--durability must be 'process' or 'full' (got '%1')"_s.arg(
            parser.value(u"durability"_s)));
    options.durability = *durability;
    if (auto tls = parseTls(parser, host); !tls)
        return tl::unexpected(tls.error());
    else
        options.tls = *tls;
    options.allowInsecure = parser.isSet(u"insecure"_s);
    options.limits.allowedOrigins = parser.values(u"allow-origin"_s);
    if (parser.isSet(u"no-sim"_s)) {
        options.simulator.reset();
        return options;
    }
    if (parser.isSet(u"sim-rate"_s)) {
        bool ok = false;
        options.simulator->fastRate = parser.value(u"sim-rate"_s).toDouble(&ok);
        if (!ok || options.simulator->fastRate <= 0 || options.simulator->fastRate > 1e6)
            return tl::unexpected(
                u"--sim-rate needs a rate in Hz between 0 and 1000000 (got '%1')"_s.arg(
                    parser.value(u"sim-rate"_s)));
    }
    if (parser.isSet(u"sim-channels"_s)) {
        bool ok = false;
        options.simulator->dataChannels = parser.value(u"sim-channels"_s).toInt(&ok);
        if (!ok || options.simulator->dataChannels < 1 || options.simulator->dataChannels > 10000)
            return tl::unexpected(u"--sim-channels needs a count from 1 to 10000 (got '%1')"_s.arg(
                parser.value(u"sim-channels"_s)));
    }
    if (parser.isSet(u"sim-retention"_s)) {
        bool ok = false;
        const double days = parser.value(u"sim-retention"_s).toDouble(&ok);
        if (!ok || days < 0 || days > 36500)
            return tl::unexpected(u"--sim-retention needs a number of days from 0 to 36500 "
                                  u"(got '%1')"_s.arg(parser.value(u"sim-retention"_s)));
        options.simulator->retention
            = sightline::core::TimeSpan(static_cast<std::int64_t>(days * 86400e9));
    }
    return options;
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator();
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
    auto cluster = Cluster::start(*options);
    if (!cluster) {
        std::fprintf(stderr, "sightline-server: %s\n", qPrintable(cluster.error().message));
        return 1;
    }
    sightline::app::handleTerminationSignals(cluster->get(), [&](int signal) {
        std::fprintf(stderr, "sightline-server: stopping (signal %d)\n", signal);
        (*cluster)->shutdown();
        QCoreApplication::quit();
    });
    const quint16 port = (*cluster)->port();
    std::printf("sightline-server listening on %s:%u (%s), data in %s\n",
        qPrintable(options->host.toString()),
        unsigned(port),
        options->tls ? qPrintable(u"TLS; clients trust "_s + options->tls->files.caCert)
                     : "plain HTTP, no TLS",
        qPrintable(options->dataDir));
    if (!options->tls && !options->host.isLoopback())
        std::fprintf(stderr,
            "sightline-server: warning: --insecure: passwords and data travel in the clear "
            "on %s\n",
            qPrintable(options->host.toString()));
    std::fflush(stdout);
    const int code = QCoreApplication::exec();
    cluster->reset();
    return code;
}
