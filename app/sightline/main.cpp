// sightline: the desktop app. Parses its command line before QApplication, so --help and
// --version work without a display. With no cluster given it starts the embedded cluster
// (simulated stand included) on a loopback port and connects to it.

#include "core/allocator_tuning.h"
#include "sightline/version.h"
#include "ui/models/channel_model.h"
#include "ui/plot/live_plot.h"
#include "ui/shell/connect_dialog.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

#include "common/early_command_line.h"
#include "common/termination_signals.h"
#include "session.h"

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
    parser.addOption({ u"embedded"_s, u"Start the embedded local cluster (the default)."_s });
    parser.addOption({ u"data-dir"_s, u"Data directory of the embedded cluster."_s, u"dir"_s });
    parser.addOption({ u"history"_s, u"Open the history pane at start."_s });
    parser.addOption({ u"screenshot"_s,
        u"Save a PNG of the main window after --screenshot-delay ms, then quit."_s,
        u"file"_s });
    parser.addOption({ u"screenshot-delay"_s,
        u"Milliseconds before the screenshot (default 4000)."_s,
        u"ms"_s,
        u"4000"_s });
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
    } else if (parser.isSet(u"secure"_s)) {
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
    target.dataDir = parser.isSet(u"data-dir"_s)
        ? parser.value(u"data-dir"_s)
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/cluster"_s;
    return target;
}

int fatal(const QString& message)
{
    std::fprintf(stderr, "sightline: %s\n", qPrintable(message));
    if (QApplication::instance() != nullptr)
        QMessageBox::critical(nullptr, QApplication::translate("main", "Sightline"), message);
    return 1;
}

/// A first start shows the demo stand: chamber pressure and thrust, then temperatures.
void showDemoPlots(ui::MainWindow& window)
{
    const auto keysNamed = [&](const QStringList& names) {
        std::vector<core::ChannelKey> keys;
        for (const core::Channel& channel : window.channelModel().channels())
            if (names.contains(channel.name))
                keys.push_back(channel.key);
        return keys;
    };
    ui::LivePlot* first = window.plots().empty() ? window.addPlot() : window.plots().front();
    window.addChannelsToPlot(first, keysNamed({ u"stand_pt_chamber"_s, u"stand_pt_fuel_tank"_s }));
    const auto temperatures = keysNamed({ u"stand_tc_nozzle"_s, u"stand_tc_fuel_line"_s });
    if (!temperatures.empty()) {
        ui::LivePlot* second = window.addPlot();
        second->setWindow(core::TimeSpan::minutes(1));
        window.addChannelsToPlot(second, temperatures);
    }
    window.setCurrentPlot(first);
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
    if (!target) {
        std::fprintf(stderr, "sightline: %s\n", qPrintable(target.error()));
        return 2;
    }

    QApplication app(argc, argv);
    app.setWindowIcon(QIcon(u":/icons/sightline.svg"_s));
    QSettings settings;
    // With nothing on the command line, go back to the cluster used last time.
    const bool chosenOnCommandLine = parser.isSet(u"cluster"_s) || parser.isSet(u"embedded"_s);
    QString startupProblem;
    std::unique_ptr<app::Session> session;
    if (!chosenOnCommandLine && !settings.value(u"connection/embedded"_s, true).toBool()) {
        app::Target last = *target;
        last.embedded = false;
        last.connection.host = settings.value(u"connection/host"_s).toString();
        last.connection.port
            = static_cast<quint16>(settings.value(u"connection/port"_s, 9090).toUInt());
        last.connection.username = settings.value(u"connection/user"_s, u"synnax"_s).toString();
        last.connection.secure = settings.value(u"connection/secure"_s).toBool();
        last.connection.password = app::rememberedPassword(settings, last.connection);
        auto reopened = app::Session::open(last);
        if (reopened) {
            session = std::move(*reopened);
            *target = last;
        } else {
            startupProblem = QApplication::translate("main",
                "Could not reconnect to %1:%2 (%3); using the embedded cluster.")
                                 .arg(last.connection.host)
                                 .arg(last.connection.port)
                                 .arg(reopened.error().message);
        }
    }
    if (!session) {
        auto opened = app::Session::open(*target);
        if (!opened)
            return fatal(opened.error().message);
        session = std::move(*opened);
    }
    const auto rememberConnection = [&settings](const app::Target& used) {
        settings.setValue(u"connection/embedded"_s, used.embedded);
        settings.setValue(u"connection/host"_s, used.connection.host);
        settings.setValue(u"connection/port"_s, used.connection.port);
        settings.setValue(u"connection/user"_s, used.connection.username);
        settings.setValue(u"connection/secure"_s, used.connection.secure);
    };

    ui::MainWindow window;
    // The embedded stand says when it cannot store (a full disk) and when it can again.
    const auto watchRecording = [&window](const app::Session& watched) {
        window.setRecordingProblem(QString());
        if (core::server::Simulator* stand = watched.simulator())
            QObject::connect(stand,
                &core::server::Simulator::storageChanged,
                &window,
                [&window](bool storing, const QString& reason) {
                    window.setRecordingProblem(storing ? QString() : reason);
                });
    };
    watchRecording(*session);
    window.setConnectionText(session->description());
    window.attach(&session->feed(), session->channels());
    if (!startupProblem.isEmpty())
        window.showProblem(startupProblem);
    if (!window.restoreSettings(settings))
        showDemoPlots(window);
    QObject::connect(&window, &ui::MainWindow::connectRequested, &window, [&] {
        ui::ConnectDialog dialog(settings, &window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const ui::ConnectionChoice choice = dialog.choice();
        if (choice.embedded && session->embedded())
            return; // already there
        app::Target next = *target;
        next.embedded = choice.embedded;
        if (!choice.embedded)
            next.connection = choice.config;
        // Keep the plots: saved by channel name, restored against the new cluster.
        QTemporaryDir scratch;
        QSettings layout(scratch.filePath(u"layout.ini"_s), QSettings::IniFormat);
        window.saveSettings(layout);
        // The window stays as it is (a maximized window restored from saved geometry
        // shrank to its old size): only the plots are carried over.
        layout.remove(u"window/geometry"_s);
        layout.remove(u"window/state"_s);
        window.detach();
        // The current session (an embedded cluster recording) keeps running while the new
        // one is tried; it is stopped only once the switch succeeded.
        std::unique_ptr<app::Session> previous = std::move(session);
        auto reopened = app::Session::open(next);
        if (!reopened) {
            QMessageBox::warning(&window,
                QApplication::translate("main", "Cannot connect"),
                reopened.error().message);
            if (!previous) {
                auto back = app::Session::open(*target);
                if (!back) {
                    QApplication::exit(1);
                    return;
                }
                previous = std::move(*back);
            }
            session = std::move(previous);
        } else {
            session = std::move(*reopened);
            previous.reset();
            *target = next;
            rememberConnection(next);
            if (!choice.embedded)
                dialog.saveConnection(); // only a connection that worked is saved
            watchRecording(*session);
        }
        window.setConnectionText(session->description());
        window.attach(&session->feed(), session->channels());
        window.restoreSettings(layout);
    });
    // A logout or `kill` ends the session as a quit does: the layout is saved below.
    app::handleTerminationSignals(&window, [](int) { QApplication::quit(); });
    window.show();
    if (parser.isSet(u"history"_s))
        window.showHistory(true);
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
    window.saveSettings(settings);
    if (chosenOnCommandLine)
        rememberConnection(*target);
    window.detach();
    session.reset();
    return code;
}
