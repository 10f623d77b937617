// sightline-server: the embedded Synnax-compatible cluster, headless.

#include "sightline/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

#include "common/early_command_line.h"

using namespace Qt::StringLiterals;

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
    std::fputs("sightline-server: this build does not include the cluster yet.\n", stderr);
    return 1;
}
