#pragma once

#include "core/error.h"
#include "ui/shell/connect_dialog.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

#include "session.h"

class QSettings;

namespace sightline::ui {
class MainWindow;
}

namespace sightline::app {

class ConnectAttempt;

/// Which cluster the window shows, and changing it without losing anything. A remote
/// cluster is tried in the background (ConnectAttempt) while the current session — an
/// embedded cluster recording, say — keeps running; it is replaced only once the new one
/// works, keeping the plots (by channel name) and never touching the window's geometry.
/// A start-up target that fails leaves the window open, says why, and offers the Connect
/// dialog (which offers the embedded cluster). GUI thread only.
class SessionController : public QObject
{
    Q_OBJECT

public:
    /// What to do when the start-up target cannot be reached.
    enum class OnStartFailure {
        /// Say why and open the Connect dialog with the target filled in (a target the user
        /// named on the command line).
        OfferChoice,
        /// Say why and use the embedded cluster (the connection remembered from last time).
        UseEmbedded,
    };

    SessionController(ui::MainWindow& window, QSettings& settings, QObject* parent = nullptr);
    ~SessionController() override;

    /// Opens `target`: an embedded cluster at once (an error when it cannot start), a remote
    /// one in the background (the window shows "Connecting to …" meanwhile). Restores the
    /// window's geometry from the settings first.
    [[nodiscard]] core::Result<void> start(const Target& target, OnStartFailure onFailure);
    /// File › Connect…: the dialog, window-modal, returning at once; `prefill` fills it.
    void openConnectDialog(const std::optional<core::client::ConnectionConfig>& prefill = {});

    [[nodiscard]] Session* session() const { return m_session.get(); }
    [[nodiscard]] const Target& target() const { return m_target; }
    /// The open Connect dialog, if any.
    [[nodiscard]] ui::ConnectDialog* dialog() const { return m_dialog; }
    [[nodiscard]] bool connecting() const { return m_attempt != nullptr; }

    /// Saves the window (plots, geometry) to the settings — unless no cluster was ever
    /// shown, so the plots saved last time are not replaced by an empty window.
    void saveLayout() const;
    /// Saves the target as the one to go back to at the next start.
    void rememberTarget() const;

Q_SIGNALS:
    /// The window now shows a new session.
    void sessionChanged();
    /// A background attempt ended (it worked, failed or was cancelled).
    void attemptEnded(bool worked);

private:
    /// Why an attempt failed, and the fingerprint of a certificate it refused for want of
    /// trust (empty when that was not the cause).
    using OnFailure = std::function<void(const QString& why, const QString& untrusted)>;
    /// Tries `config` in the background; on success shows it, then calls `onShown`.
    void tryRemote(const core::client::ConnectionConfig& config,
        std::function<void()> onShown,
        OnFailure onFailure);
    void onChosen(const ui::ConnectionChoice& choice);
    void useEmbedded();
    /// Puts `next` on the window, then closes the previous session; `remember` saves the
    /// target for the next start.
    void show(std::unique_ptr<Session> next, const Target& target, bool remember);
    void watchRecording();

    ui::MainWindow& m_window;
    QSettings& m_settings;
    Target m_target;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ConnectAttempt> m_attempt;
    QPointer<ui::ConnectDialog> m_dialog;
    /// The saved layout has been put on the window (the first session did it).
    bool m_layoutShown = false;
};

/// A first start shows the demo stand: chamber pressure and thrust, then temperatures.
void showDemoPlots(ui::MainWindow& window);

} // namespace sightline::app
