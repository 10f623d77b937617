// sightline: the desktop app. Parses its command line before QApplication, so --help and
// --version work without a display. With no cluster given it starts the embedded cluster
// (simulated stand included) on a loopback port and connects to it.

#include "core/allocator_tuning.h"
#include "sightline/version.h"
#include "ui/shell/connect_dialog.h"
#include "ui/shell/layout_files.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

#include "common/early_command_line.h"
#include "common/termination_signals.h"
#include "session.h"
#include "session_controller.h"

using namespace Qt::StringLiterals;
using namespace sightline;

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
    parser.addOption({ u"user"_s, u"User name for the cluster (default synnax)."_s, u"name"_s });
    parser.addOption(
        { u"password"_s, u"Password for the cluster (default seldon)."_s, u"password"_s });
    parser.addOption({ u"secure"_s, u"Use TLS (https/wss)."_s });
    parser.addOption({ u"ca-cert"_s,
        u"With --secure: a CA certificate (PEM) to trust besides the system's, e.g. the "
        u"ca.crt of a Synnax Core started with --auto-cert."_s,
        u"file"_s });
    parser.addOption({ u"embedded"_s, u"Start the embedded local cluster (the default)."_s });
    parser.addOption({ u"data-dir"_s, u"Data directory of the embedded cluster."_s, u"dir"_s });
    parser.addOption({ u"history"_s, u"Open the history pane at start."_s });
    parser.addOption({ u"layout"_s,
        u"Open a layout file (File › Save layout as…) once connected."_s,
        u"file"_s });
    parser.addOption({ u"screenshot"_s,
        u"Save a PNG of the main window after --screenshot-delay ms, then quit."_s,
        u"file"_s });
    parser.addOption({ u"screenshot-delay"_s,
        u"Milliseconds before the screenshot (default 4000)."_s,
        u"ms"_s,
        u"4000"_s });
}

/// The embedded cluster's data directory unless --data-dir says otherwise (the same one
/// `sightline-server` uses by default, so either can open what the other recorded).
/// Earlier builds kept it under the app's own data directory
/// (~/.local/share/Sightline/Sightline/cluster); such a directory is moved here once.
QString defaultDataDir()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + u"/sightline/cluster"_s;
    const QString old
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/cluster"_s;
    if (!QFileInfo::exists(dir) && QFileInfo(old).isDir()) {
        QDir().mkpath(QFileInfo(dir).path());
        if (!QDir().rename(old, dir))
            return old; // e.g. another file system: keep using it where it is
        std::fprintf(stderr,
            "sightline: moved the embedded cluster's data from %s to %s\n",
            qPrintable(old),
            qPrintable(dir));
    }
    return dir;
}

tl::expected<app::Target, QString> parseTarget(const QCommandLineParser& parser)
{
    app::Target target;
    if (parser.isSet(u"cluster"_s) && parser.isSet(u"embedded"_s))
        return tl::unexpected(u"give either --cluster or --embedded, not both"_s);
    if (parser.isSet(u"cluster"_s)) {
        const QString address = parser.value(u"cluster"_s);
        const qsizetype colon = address.lastIndexOf(u':');
        bool ok = false;
        const uint port = colon > 0 ? address.mid(colon + 1).toUInt(&ok) : 9090;
        if ((colon > 0 && !ok) || port == 0 || port > 65535 || address.left(colon).isEmpty())
            return tl::unexpected(
                u"--cluster needs host:port, e.g. 10.0.0.5:9090 (got '%1')"_s.arg(address));
        target.embedded = false;
        target.connection.host = colon > 0 ? address.left(colon) : address;
        target.connection.port = static_cast<quint16>(port);
        target.connection.secure = parser.isSet(u"secure"_s);
        target.connection.caCertFile = parser.value(u"ca-cert"_s);
        if (!target.connection.caCertFile.isEmpty() && !target.connection.secure)
            return tl::unexpected(u"--ca-cert is for TLS: add --secure"_s);
    } else if (parser.isSet(u"secure"_s) || parser.isSet(u"ca-cert"_s)) {
        return tl::unexpected(
            u"--secure needs --cluster (the embedded cluster is plain loopback)"_s);
    }
    if (parser.isSet(u"user"_s))
        target.connection.username = parser.value(u"user"_s);
    if (parser.isSet(u"password"_s))
        target.connection.password = parser.value(u"password"_s);
    if (parser.isSet(u"data-dir"_s) && !target.embedded)
        return tl::unexpected(
            u"--data-dir is for the embedded cluster; it cannot go with --cluster"_s);
    target.dataDir = parser.isSet(u"data-dir"_s) ? parser.value(u"data-dir"_s) : defaultDataDir();
    return target;
}

int fatal(const QString& message)
{
    std::fprintf(stderr, "sightline: %s\n", qPrintable(message));
    if (QApplication::instance() != nullptr)
        QMessageBox::critical(nullptr, QApplication::translate("main", "Sightline"), message);
    return 1;
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator();
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
    auto target = parseTarget(parser);
    if (!target) // said in the window too: a user who started it from a menu sees no stderr
        std::fprintf(stderr, "sightline: %s\n", qPrintable(target.error()));

    QApplication app(argc, argv);
    app.setWindowIcon(QIcon(u":/icons/sightline.svg"_s));
    QSettings settings;
    app::makeSettingsPrivate(settings); // it holds passwords
    ui::MainWindow window;
    app::SessionController sessions(window, settings);
    QObject::connect(&window, &ui::MainWindow::connectRequested, &sessions, [&sessions] {
        sessions.openConnectDialog();
    });

    // With nothing on the command line, go back to the cluster used last time.
    const bool chosenOnCommandLine = parser.isSet(u"cluster"_s) || parser.isSet(u"embedded"_s);
    app::Target start;
    if (target)
        start = *target;
    else
        start.dataDir = defaultDataDir();
    auto onFailure = app::SessionController::OnStartFailure::OfferChoice;
    if (target && !chosenOnCommandLine
        && !settings.value(u"connection/embedded"_s, true).toBool()) {
        start.embedded = false;
        start.connection.host = settings.value(u"connection/host"_s).toString();
        start.connection.port
            = static_cast<quint16>(settings.value(u"connection/port"_s, 9090).toUInt());
        start.connection.username = settings.value(u"connection/user"_s, u"synnax"_s).toString();
        start.connection.secure = settings.value(u"connection/secure"_s).toBool();
        start.connection.password.clear();
        start.connection = app::withRemembered(settings, start.connection);
        onFailure = app::SessionController::OnStartFailure::UseEmbedded;
    }
    start.embeddedPassword = app::embeddedClusterPassword(settings);
    if (auto started = sessions.start(start, onFailure); !started)
        return fatal(started.error().message);
    // A logout or `kill` ends the session as a quit does: the layout is saved below.
    app::handleTerminationSignals(&window, [](int) { QApplication::quit(); });
    window.show();
    if (!target) {
        window.showProblem(target.error());
        sessions.openConnectDialog();
        if (auto* dialog = sessions.dialog())
            dialog->showFailure(target.error());
    }
    if (parser.isSet(u"history"_s))
        window.showHistory(true);
    if (parser.isSet(u"layout"_s)) { // once the cluster's channels are known
        const QString layout = parser.value(u"layout"_s);
        const auto open = [&window, layout] {
            if (auto opened = window.layoutFiles().open(layout); !opened)
                window.showProblem(opened.error().message);
        };
        if (sessions.session() != nullptr)
            open();
        else
            QObject::connect(&sessions,
                &app::SessionController::sessionChanged,
                &window,
                open,
                Qt::SingleShotConnection);
    }
    if (parser.isSet(u"screenshot"_s)) {
        const QString file = parser.value(u"screenshot"_s);
        QTimer::singleShot(parser.value(u"screenshot-delay"_s).toInt(), &window, [&window, file] {
            window.refreshPlots();
            if (!window.grab().save(file))
                std::fprintf(stderr, "sightline: cannot write %s\n", qPrintable(file));
            QApplication::quit();
        });
    }
    const int code = QApplication::exec();
    sessions.saveLayout();
    app::makeSettingsPrivate(settings);
    return code;
}
