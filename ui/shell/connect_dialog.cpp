#include "ui/shell/connect_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {
    const QString Group = u"connections"_s;

    QString nameOf(const QString& host, int port) { return u"%1:%2"_s.arg(host).arg(port); }

    /// One saved connection: its settings keys (name, host, port, user, secure, and password,
    /// caCert, trustedCertificate when set).
    using SavedEntry = QMap<QString, QVariant>;

    std::vector<SavedEntry> readSaved(QSettings& settings)
    {
        std::vector<SavedEntry> saved;
        const int count = settings.beginReadArray(Group);
        for (int i = 0; i < count; ++i) {
            settings.setArrayIndex(i);
            SavedEntry entry;
            for (const QString& key : settings.childKeys())
                entry.insert(key, settings.value(key));
            saved.push_back(entry);
        }
        settings.endArray();
        return saved;
    }

    void writeSaved(QSettings& settings, const std::vector<SavedEntry>& saved)
    {
        settings.remove(Group);
        settings.beginWriteArray(Group);
        for (int i = 0; i < static_cast<int>(saved.size()); ++i) {
            settings.setArrayIndex(i);
            for (auto it = saved[i].cbegin(); it != saved[i].cend(); ++it)
                settings.setValue(it.key(), it.value());
        }
        settings.endArray();
    }
} // namespace

ConnectDialog::ConnectDialog(QSettings& settings, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_saved(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_timeout(new QSpinBox(this))
    , m_user(new QLineEdit(u"synnax"_s, this))
    , m_password(new QLineEdit(u"seldon"_s, this)) // Synnax's default, as --password
    , m_secure(new QCheckBox(tr("Use TLS (https/wss)"), this))
    , m_remember(
          new QCheckBox(tr("Remember password (stored in plain text in your settings)"), this))
    , m_caCert(new QLineEdit(this))
    , m_browseCa(new QPushButton(tr("Browse…"), this))
    , m_trust(new QCheckBox(this))
    , m_problem(new QLabel(this))
    , m_progressText(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_forget(new QPushButton(tr("Forget"), this))
{
    setWindowTitle(tr("Connect to a Synnax cluster"));
    m_port->setRange(1, 65535);
    m_port->setValue(9090);
    m_timeout->setRange(1, 300);
    m_timeout->setValue(10);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("How long to wait for the cluster to answer"));
    m_host->setPlaceholderText(tr("e.g. 10.0.0.5 or synnax.local"));
    m_password->setEchoMode(QLineEdit::Password);
    m_problem->setStyleSheet(u"color: #b00020;"_s);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 0); // busy: an attempt has no measurable progress
    m_progress->setVisible(false);
    m_progressText->setVisible(false);
    m_forget->setObjectName(u"forgetButton"_s);
    m_caCert->setPlaceholderText(tr("optional: the cluster's ca.crt (system CAs are trusted)"));
    m_caCert->setToolTip(tr("A Synnax Core started with --auto-cert writes ca.crt into its "
                            "certs directory: copy it here and pick it"));
    m_trust->setVisible(false);
    const auto showTlsFields = [this](bool secure) {
        m_caCert->setEnabled(secure);
        m_browseCa->setEnabled(secure);
    };
    connect(m_secure, &QCheckBox::toggled, this, showTlsFields);
    showTlsFields(false);
    connect(m_browseCa, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this,
            tr("CA certificate"),
            m_caCert->text(),
            tr("PEM certificates (*.crt *.pem);;All files (*)"));
        if (!file.isEmpty())
            m_caCert->setText(file);
    });
    m_forget->setToolTip(tr("Delete this saved connection"));

    m_saved->addItem(tr("New connection"));
    const int count = m_settings.beginReadArray(Group);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        m_saved->addItem(m_settings.value(u"name"_s).toString());
    }
    m_settings.endArray();
    connect(m_saved, &QComboBox::currentIndexChanged, this, &ConnectDialog::loadSaved);
    connect(m_forget, &QPushButton::clicked, this, &ConnectDialog::forgetSaved);

    auto* savedRow = new QHBoxLayout();
    savedRow->addWidget(m_saved, 1);
    savedRow->addWidget(m_forget);
    auto* form = new QFormLayout();
    form->addRow(tr("Saved"), savedRow);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(tr("Timeout"), m_timeout);
    form->addRow(QString(), m_secure);
    auto* caRow = new QHBoxLayout();
    caRow->addWidget(m_caCert, 1);
    caRow->addWidget(m_browseCa);
    form->addRow(tr("CA certificate"), caRow);
    form->addRow(QString(), m_trust);
    form->addRow(QString(), m_remember);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* connectButton = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(u"connectButton"_s);
    QPushButton* embedded
        = buttons->addButton(tr("Use the embedded cluster"), QDialogButtonBox::ActionRole);
    embedded->setObjectName(u"embeddedButton"_s);
    m_choiceButtons = { connectButton, embedded };
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(connectButton, &QPushButton::clicked, this, [this] { choose(false); });
    connect(embedded, &QPushButton::clicked, this, [this] { choose(true); });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progressText);
    layout->addWidget(m_progress);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    if (count > 0)
        m_saved->setCurrentIndex(1);
    m_forget->setEnabled(m_saved->currentIndex() > 0);
}

void ConnectDialog::choose(bool embedded)
{
    if (!embedded) {
        validate();
        if (!m_problem->text().isEmpty())
            return;
    }
    m_embedded = embedded;
    Q_EMIT connectChosen(choice()); // saved by the caller once the connection works
}

void ConnectDialog::reject()
{
    if (m_connecting) {
        Q_EMIT cancelRequested(); // the attempt ends; the dialog stays for another try
        return;
    }
    QDialog::reject();
}

void ConnectDialog::setFieldsEnabled(bool enabled)
{
    for (QWidget* field : std::initializer_list<QWidget*> { m_saved,
             m_forget,
             m_host,
             m_port,
             m_timeout,
             m_user,
             m_password,
             m_secure,
             m_remember,
             m_trust })
        field->setEnabled(enabled);
    m_caCert->setEnabled(enabled && m_secure->isChecked());
    m_browseCa->setEnabled(enabled && m_secure->isChecked());
    for (QPushButton* button : m_choiceButtons)
        button->setEnabled(enabled);
    if (enabled)
        m_forget->setEnabled(m_saved->currentIndex() > 0);
}

void ConnectDialog::setConnecting(const QString& what)
{
    m_connecting = true;
    setFieldsEnabled(false);
    m_problem->clear();
    m_progressText->setText(what);
    m_progressText->setVisible(true);
    m_progress->setVisible(true);
}

void ConnectDialog::showFailure(const QString& why, const QString& untrustedFingerprint)
{
    m_offeredFingerprint = untrustedFingerprint;
    m_trust->setChecked(false);
    m_trust->setVisible(!untrustedFingerprint.isEmpty());
    m_trust->setText(tr("Trust this certificate (SHA-256 %1)").arg(untrustedFingerprint));
    m_connecting = false;
    setFieldsEnabled(true);
    m_progressText->setVisible(false);
    m_progress->setVisible(false);
    m_problem->setText(why);
}

QString ConnectDialog::problemText() const { return m_problem->text(); }

void ConnectDialog::setChoice(const core::client::ConnectionConfig& config)
{
    m_saved->setCurrentIndex(0);
    m_host->setText(config.host);
    m_port->setValue(config.port);
    m_user->setText(config.username);
    m_password->setText(config.password);
    m_secure->setChecked(config.secure);
    m_caCert->setText(config.caCertFile);
    m_trustedFingerprint = config.trustedCertificate;
    m_timeout->setValue(
        static_cast<int>(std::max<std::int64_t>(1, config.timeout.nanoseconds() / 1'000'000'000)));
}

void ConnectDialog::forgetSaved()
{
    const int index = m_saved->currentIndex();
    if (index <= 0)
        return;
    std::vector<SavedEntry> saved = readSaved(m_settings);
    if (index - 1 < static_cast<int>(saved.size()))
        saved.erase(saved.begin() + (index - 1));
    writeSaved(m_settings, saved);
    m_saved->removeItem(index);
    m_saved->setCurrentIndex(m_saved->count() > 1 ? 1 : 0);
    m_forget->setEnabled(m_saved->currentIndex() > 0);
}

void ConnectDialog::loadSaved(int index)
{
    m_forget->setEnabled(index > 0);
    if (index <= 0)
        return;
    m_settings.beginReadArray(Group);
    m_settings.setArrayIndex(index - 1);
    m_host->setText(m_settings.value(u"host"_s).toString());
    m_port->setValue(m_settings.value(u"port"_s, 9090).toInt());
    m_user->setText(m_settings.value(u"user"_s).toString());
    m_secure->setChecked(m_settings.value(u"secure"_s).toBool());
    m_caCert->setText(m_settings.value(u"caCert"_s).toString());
    m_trustedFingerprint = m_settings.value(u"trustedCertificate"_s).toString();
    const bool remembered = m_settings.contains(u"password"_s);
    m_password->setText(remembered ? m_settings.value(u"password"_s).toString() : QString());
    m_remember->setChecked(remembered);
    m_settings.endArray();
}

void ConnectDialog::validate()
{
    QString problem;
    if (m_host->text().trimmed().isEmpty())
        problem = tr("Enter the cluster's host name or address.");
    else if (m_user->text().trimmed().isEmpty())
        problem = tr("Enter a user name.");
    m_problem->setText(problem);
}

ConnectionChoice ConnectDialog::choice() const
{
    ConnectionChoice choice;
    choice.embedded = m_embedded;
    choice.config.host = m_host->text().trimmed();
    choice.config.port = static_cast<quint16>(m_port->value());
    choice.config.username = m_user->text().trimmed();
    choice.config.password = m_password->text();
    choice.config.secure = m_secure->isChecked();
    choice.config.timeout = core::TimeSpan::seconds(m_timeout->value());
    if (choice.config.secure) {
        choice.config.caCertFile = m_caCert->text().trimmed();
        choice.config.trustedCertificate = m_trust->isVisible() && m_trust->isChecked()
            ? m_offeredFingerprint
            : m_trustedFingerprint;
    }
    return choice;
}

void ConnectDialog::saveConnection()
{
    const ConnectionChoice c = choice();
    const QString name = nameOf(c.config.host, c.config.port);
    std::vector<SavedEntry> saved = readSaved(m_settings);
    std::erase_if(saved, [&](const SavedEntry& s) { return s.value(u"name"_s) == name; });
    SavedEntry entry { { u"name"_s, name },
        { u"host"_s, c.config.host },
        { u"port"_s, c.config.port },
        { u"user"_s, c.config.username },
        { u"secure"_s, c.config.secure } };
    if (m_remember->isChecked())
        entry.insert(u"password"_s, c.config.password);
    if (!c.config.caCertFile.isEmpty())
        entry.insert(u"caCert"_s, c.config.caCertFile);
    if (!c.config.trustedCertificate.isEmpty())
        entry.insert(u"trustedCertificate"_s, c.config.trustedCertificate);
    saved.insert(saved.begin(), entry); // newest first
    writeSaved(m_settings, saved);
}

} // namespace sightline::ui
