#pragma once

#include "core/client/connection.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;

namespace sightline::ui {

/// Where the user chose to connect.
struct ConnectionChoice
{
    /// The embedded local cluster instead of `config`.
    bool embedded = false;
    core::client::ConnectionConfig config;
};

/// File > Connect…: host, port, user, password and TLS for a Synnax cluster, or the embedded
/// cluster. Connect does not close the dialog: it emits connectChosen, and the caller tries
/// the connection in the background, showing setConnecting() (progress, Cancel stops the
/// attempt) and then either closes the dialog (accept()) or shows showFailure(). Connections
/// are saved by name in the settings, newest first (Forget deletes one); a password is saved
/// only when the user ticks "Remember password" (and then in plain text, which the dialog
/// says). GUI thread only.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(QSettings& settings, QWidget* parent = nullptr);

    [[nodiscard]] ConnectionChoice choice() const;
    /// Saves the entered connection under its name; the caller does so only once the
    /// connection worked, so a failed address is never offered again.
    void saveConnection();
    /// Fills the fields (e.g. with an address that failed at start-up).
    void setChoice(const core::client::ConnectionConfig& config);

    /// While an attempt runs: the fields are locked, `what` ("Connecting to …") shows with a
    /// busy bar, and Cancel emits cancelRequested instead of closing.
    void setConnecting(const QString& what);
    /// The attempt failed: the fields unlock and `why` shows. `untrustedFingerprint` (the
    /// SHA-256 of a certificate refused for want of trust) offers "Trust this certificate".
    void showFailure(const QString& why, const QString& untrustedFingerprint = QString());
    [[nodiscard]] bool connecting() const { return m_connecting; }
    [[nodiscard]] QString problemText() const;

    [[nodiscard]] QLineEdit* hostEdit() const { return m_host; }
    [[nodiscard]] QSpinBox* portBox() const { return m_port; }
    [[nodiscard]] QSpinBox* timeoutBox() const { return m_timeout; }
    [[nodiscard]] QLineEdit* userEdit() const { return m_user; }
    [[nodiscard]] QLineEdit* passwordEdit() const { return m_password; }
    [[nodiscard]] QCheckBox* rememberBox() const { return m_remember; }
    [[nodiscard]] QLineEdit* caCertEdit() const { return m_caCert; }
    [[nodiscard]] QCheckBox* trustBox() const { return m_trust; }
    [[nodiscard]] QCheckBox* secureBox() const { return m_secure; }
    [[nodiscard]] QComboBox* savedBox() const { return m_saved; }

Q_SIGNALS:
    /// Connect (or "Use the embedded cluster") was pressed with valid fields.
    void connectChosen(const sightline::ui::ConnectionChoice& choice);
    /// Cancel was pressed while an attempt runs.
    void cancelRequested();

protected:
    void reject() override;

private:
    void loadSaved(int index);
    void forgetSaved();
    void validate();
    void setFieldsEnabled(bool enabled);
    void choose(bool embedded);

    QSettings& m_settings;
    QComboBox* m_saved = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    /// Longest wait for one call, in seconds.
    QSpinBox* m_timeout = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QCheckBox* m_secure = nullptr;
    QCheckBox* m_remember = nullptr;
    /// With TLS: a CA file to trust besides the system's.
    QLineEdit* m_caCert = nullptr;
    QPushButton* m_browseCa = nullptr;
    /// Shown after an untrusted certificate: pins its fingerprint.
    QCheckBox* m_trust = nullptr;
    QString m_offeredFingerprint;
    /// The fingerprint trusted for the loaded saved connection.
    QString m_trustedFingerprint;
    QLabel* m_problem = nullptr;
    QLabel* m_progressText = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_forget = nullptr;
    QList<QPushButton*> m_choiceButtons;
    bool m_embedded = false;
    bool m_connecting = false;
};

} // namespace sightline::ui
