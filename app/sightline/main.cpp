// sightline: the desktop app. Parses its command line before QApplication, so --help and
// --version work without a display.

#include "sightline/version.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

#include "common/early_command_line.h"

using namespace Qt::StringLiterals;

namespace {

void addOptions(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        u"Live plots and history scrubbing for Synnax clusters. With no cluster configured, "
        "starts an embedded local cluster with a simulated test stand."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(
        { u"cluster"_s, u"Connect to a Synnax cluster at host:port."_s, u"host:port"_s });
    parser.addOption({ u"user"_s, u"User name for the cluster."_s, u"name"_s });
    parser.addOption({ u"password"_s, u"Password for the cluster."_s, u"password"_s });
    parser.addOption({ u"secure"_s, u"Use TLS (https/wss)."_s });
    parser.addOption({ u"embedded"_s, u"Start the embedded local cluster (the default)."_s });
    parser.addOption({ u"data-dir"_s, u"Data directory of the embedded cluster."_s, u"dir"_s });
}

/// The connection options given on the command line, which this build cannot act on yet.
QString unsupportedConnectionOptions(const QCommandLineParser& parser)
{
    QStringList given;
    for (const QString& name :
        { u"cluster"_s, u"user"_s, u"password"_s, u"secure"_s, u"embedded"_s, u"data-dir"_s }) {
        if (parser.isSet(name))
            given << u"--"_s + name;
    }
    return given.join(u", "_s);
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication::setApplicationName(u"Sightline"_s);
    QApplication::setOrganizationName(u"Sightline"_s);
    QApplication::setApplicationVersion(QString::fromLatin1(sightline::VersionString));

    QCommandLineParser parser;
    addOptions(parser);
    const QString versionLine = u"sightline %1 (Synnax protocol %2, Qt %3)"_s.arg(
        QString::fromLatin1(sightline::VersionString),
        QString::fromLatin1(sightline::SynnaxProtocolVersion),
        QString::fromLatin1(qVersion()));
    if (const auto exitCode
        = sightline::app::handleEarlyCommandLine(parser, argc, argv, versionLine))
        return *exitCode;

    QApplication app(argc, argv);
    sightline::ui::MainWindow window;
    if (const QString ignored = unsupportedConnectionOptions(parser); !ignored.isEmpty()) {
        const QString message = QApplication::translate("main",
            "Connecting is not available in this build yet; "
            "ignored %1")
                                    .arg(ignored);
        std::fprintf(stderr, "sightline: %s\n", qPrintable(message));
        window.setConnectionText(message);
    }
    window.show();
    return QApplication::exec();
}
