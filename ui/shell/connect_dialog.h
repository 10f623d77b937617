#pragma once

#include "core/client/connection.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
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
/// cluster. Connections are saved by name in the settings; a password is saved only when the
/// user ticks "Remember password" (and then in plain text, which the dialog says).
/// GUI thread only.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(QSettings& settings, QWidget* parent = nullptr);

    [[nodiscard]] ConnectionChoice choice() const;
    /// Saves the entered connection under its name; the caller does so only once the
    /// connection worked, so a failed address is never offered again.
    void saveConnection();

    [[nodiscard]] QLineEdit* hostEdit() const { return m_host; }
    [[nodiscard]] QSpinBox* portBox() const { return m_port; }
    [[nodiscard]] QLineEdit* userEdit() const { return m_user; }
    [[nodiscard]] QLineEdit* passwordEdit() const { return m_password; }
    [[nodiscard]] QCheckBox* rememberBox() const { return m_remember; }
    [[nodiscard]] QComboBox* savedBox() const { return m_saved; }

private:
    void loadSaved(int index);
    void validate();

    QSettings& m_settings;
    QComboBox* m_saved = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QCheckBox* m_secure = nullptr;
    QCheckBox* m_remember = nullptr;
    QLabel* m_problem = nullptr;
    bool m_embedded = false;
};

} // namespace sightline::ui
