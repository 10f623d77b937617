#include "session_controller.h"

#include "ui/models/channel_model.h"
#include "ui/plot/live_plot.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>

#include "connect_attempt.h"

using namespace Qt::StringLiterals;

namespace sightline::app {

namespace {

    const QString GeometryKey = u"window/geometry"_s;
    const QString StateKey = u"window/state"_s;

    QString addressOf(const core::client::ConnectionConfig& config)
    {
        return u"%1:%2"_s.arg(config.host).arg(config.port);
    }

} // namespace

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

SessionController::SessionController(ui::MainWindow& window, QSettings& settings, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_settings(settings)
{
}

SessionController::~SessionController()
{
    m_attempt.reset(); // cancels and joins
    m_window.detach();
    m_session.reset();
}

core::Result<void> SessionController::start(const Target& target, OnStartFailure onFailure)
{
    m_target = target;
    m_window.restoreGeometry(m_settings.value(GeometryKey).toByteArray());
    m_window.restoreState(m_settings.value(StateKey).toByteArray());
    if (target.embedded) {
        auto opened = Session::open(target);
        if (!opened)
            return tl::unexpected(opened.error());
        show(std::move(*opened), target, true);
        return {};
    }
    m_window.setConnectionText(tr("Connecting to %1…").arg(addressOf(target.connection)));
    tryRemote(
        target.connection,
        [] {},
        [this, target, onFailure](const QString& why, const QString& untrusted) {
            const QString problem
                = tr("Could not connect to %1: %2").arg(addressOf(target.connection), why);
            if (onFailure == OnStartFailure::UseEmbedded) {
                Target embedded = m_target;
                embedded.embedded = true;
                if (auto opened = Session::open(embedded)) {
                    show(std::move(*opened), embedded, false); // retried at the next start
                    m_window.showProblem(problem + tr("; showing the embedded cluster."));
                    return;
                }
            }
            m_window.setConnectionText(tr("Not connected"));
            m_window.showProblem(problem);
            openConnectDialog(target.connection);
            if (m_dialog)
                m_dialog->showFailure(problem, untrusted);
        });
    return {};
}

void SessionController::tryRemote(const core::client::ConnectionConfig& config,
    std::function<void()> onShown,
    OnFailure onFailure)
{
    Target next = m_target;
    next.embedded = false;
    next.connection = config;
    // Replacing an attempt destroys it: that cancels and joins it first.
    m_attempt = std::make_unique<ConnectAttempt>(config,
        [this, next, onShown = std::move(onShown), onFailure = std::move(onFailure)](
            core::Result<Reached> reached) {
            const QSslCertificate untrusted = m_attempt->untrustedCertificate();
            // Runs inside the attempt's delivery: it is destroyed only after this returns.
            m_attempt.release()->deleteLater();
            core::Result<std::unique_ptr<Session>> adopted
                = reached ? Session::adopt(std::move(*reached)) : tl::unexpected(reached.error());
            if (!adopted) {
                onFailure(adopted.error().matches(core::errors::Cancelled)
                        ? tr("cancelled")
                        : adopted.error().message,
                    untrusted.isNull() ? QString()
                                       : core::client::TlsTrust::fingerprint(untrusted));
                Q_EMIT attemptEnded(false);
                return;
            }
            show(std::move(*adopted), next, true);
            onShown();
            Q_EMIT attemptEnded(true);
        });
}

void SessionController::openConnectDialog(
    const std::optional<core::client::ConnectionConfig>& prefill)
{
    if (m_dialog) {
        m_dialog->raise();
        return;
    }
    m_dialog = new ui::ConnectDialog(m_settings, &m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (prefill)
        m_dialog->setChoice(*prefill);
    connect(m_dialog, &ui::ConnectDialog::connectChosen, this, &SessionController::onChosen);
    connect(m_dialog, &ui::ConnectDialog::cancelRequested, this, [this] {
        if (m_attempt)
            m_attempt->cancel(); // its failure ("cancelled") shows in the dialog
    });
    m_dialog->open();
}

void SessionController::onChosen(const ui::ConnectionChoice& choice)
{
    if (choice.embedded) {
        useEmbedded();
        return;
    }
    QPointer<ui::ConnectDialog> dialog = m_dialog;
    if (dialog)
        dialog->setConnecting(tr("Connecting to %1… (the current cluster keeps running)")
                                  .arg(addressOf(choice.config)));
    tryRemote(
        choice.config,
        [dialog] { // a connection that worked is saved, and the dialog closes
            if (dialog) {
                dialog->saveConnection();
                dialog->accept();
            }
        },
        [this, dialog](const QString& why, const QString& untrusted) {
            m_window.showProblem(tr("Could not connect: %1").arg(why));
            if (dialog)
                dialog->showFailure(why, untrusted);
        });
}

void SessionController::useEmbedded()
{
    m_attempt.reset();
    if (m_dialog)
        m_dialog->accept();
    if (m_session && m_session->embedded())
        return; // already there
    Target embedded = m_target;
    embedded.embedded = true;
    auto opened = Session::open(embedded);
    if (!opened) {
        m_window.showProblem(opened.error().message);
        return;
    }
    show(std::move(*opened), embedded, true);
}

void SessionController::show(std::unique_ptr<Session> next, const Target& target, bool remember)
{
    // The plots are carried over by channel name; the window stays as it is (a maximized
    // window restored from saved geometry shrank to its old size).
    QTemporaryDir scratch;
    QSettings layout(scratch.filePath(u"layout.ini"_s), QSettings::IniFormat);
    if (m_layoutShown) {
        m_window.saveSettings(layout);
    } else { // the first session shows what was saved last time
        for (const QString& key : m_settings.allKeys())
            layout.setValue(key, m_settings.value(key));
    }
    layout.remove(GeometryKey);
    layout.remove(StateKey);
    m_window.detach();
    if (m_session && m_session->embedded())
        m_target.embeddedPort = m_session->embeddedPort(); // back to it later on the same port
    std::unique_ptr<Session> previous = std::exchange(m_session, std::move(next));
    previous.reset(); // only now: the old cluster kept recording until here
    const quint16 embeddedPort = m_target.embeddedPort;
    m_target = target;
    m_target.embeddedPort = embeddedPort;
    watchRecording();
    m_window.setConnectionText(m_session->description());
    m_window.attach(&m_session->feed(), m_session->channels());
    const bool restored = m_window.restoreSettings(layout);
    if (!m_layoutShown && !restored)
        showDemoPlots(m_window);
    m_layoutShown = true;
    if (!m_session->warnings().isEmpty())
        m_window.showProblem(m_session->warnings().join(u"; "_s));
    if (remember)
        rememberTarget();
    Q_EMIT sessionChanged();
}

void SessionController::watchRecording()
{
    m_window.setRecordingProblem(QString());
    if (core::server::Simulator* stand = m_session->simulator())
        connect(stand,
            &core::server::Simulator::storageChanged,
            &m_window,
            [window = &m_window](bool storing, const QString& reason) {
                window->setRecordingProblem(storing ? QString() : reason);
            });
}

void SessionController::saveLayout() const
{
    if (m_layoutShown)
        m_window.saveSettings(m_settings);
}

void SessionController::rememberTarget() const
{
    m_settings.setValue(u"connection/embedded"_s, m_target.embedded);
    m_settings.setValue(u"connection/host"_s, m_target.connection.host);
    m_settings.setValue(u"connection/port"_s, m_target.connection.port);
    m_settings.setValue(u"connection/user"_s, m_target.connection.username);
    m_settings.setValue(u"connection/secure"_s, m_target.connection.secure);
}

} // namespace sightline::app
