#include "ui/shell/connect_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {
    const QString Group = u"connections"_s;

    QString nameOf(const QString& host, int port) { return u"%1:%2"_s.arg(host).arg(port); }
} // namespace

ConnectDialog::ConnectDialog(QSettings& settings, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_saved(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_user(new QLineEdit(u"synnax"_s, this))
    , m_password(new QLineEdit(u"seldon"_s, this)) // Synnax's default, as --password
    , m_secure(new QCheckBox(tr("Use TLS (https/wss)"), this))
    , m_remember(
          new QCheckBox(tr("Remember password (stored in plain text in your settings)"), this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Connect to a Synnax cluster"));
    m_port->setRange(1, 65535);
    m_port->setValue(9090);
    m_host->setPlaceholderText(tr("e.g. 10.0.0.5 or synnax.local"));
    m_password->setEchoMode(QLineEdit::Password);
    m_problem->setStyleSheet(u"color: #b00020;"_s);

    m_saved->addItem(tr("New connection"));
    const int count = m_settings.beginReadArray(Group);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        m_saved->addItem(m_settings.value(u"name"_s).toString());
    }
    m_settings.endArray();
    connect(m_saved, &QComboBox::currentIndexChanged, this, &ConnectDialog::loadSaved);

    auto* form = new QFormLayout();
    form->addRow(tr("Saved"), m_saved);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_secure);
    form->addRow(QString(), m_remember);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* connectButton = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(u"connectButton"_s);
    QPushButton* embedded
        = buttons->addButton(tr("Use the embedded cluster"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(connectButton, &QPushButton::clicked, this, [this] {
        validate();
        if (!m_problem->text().isEmpty())
            return;
        m_embedded = false;
        accept(); // saved by the caller once the connection works
    });
    connect(embedded, &QPushButton::clicked, this, [this] {
        m_embedded = true;
        accept();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    if (count > 0)
        m_saved->setCurrentIndex(1);
}

void ConnectDialog::loadSaved(int index)
{
    if (index <= 0)
        return;
    m_settings.beginReadArray(Group);
    m_settings.setArrayIndex(index - 1);
    m_host->setText(m_settings.value(u"host"_s).toString());
    m_port->setValue(m_settings.value(u"port"_s, 9090).toInt());
    m_user->setText(m_settings.value(u"user"_s).toString());
    m_secure->setChecked(m_settings.value(u"secure"_s).toBool());
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
    return choice;
}

void ConnectDialog::saveConnection()
{
    struct Saved
    {
        QString name, host, user;
        int port;
        bool secure;
        std::optional<QString> password;
    };
    std::vector<Saved> saved;
    const int count = m_settings.beginReadArray(Group);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        Saved entry { m_settings.value(u"name"_s).toString(),
            m_settings.value(u"host"_s).toString(),
            m_settings.value(u"user"_s).toString(),
            m_settings.value(u"port"_s).toInt(),
            m_settings.value(u"secure"_s).toBool(),
            std::nullopt };
        if (m_settings.contains(u"password"_s))
            entry.password = m_settings.value(u"password"_s).toString();
        saved.push_back(entry);
    }
    m_settings.endArray();
    const ConnectionChoice c = choice();
    const QString name = nameOf(c.config.host, c.config.port);
    std::erase_if(saved, [&](const Saved& s) { return s.name == name; });
    saved.insert(saved.begin(),
        Saved { name,
            c.config.host,
            c.config.username,
            c.config.port,
            c.config.secure,
            m_remember->isChecked() ? std::optional(c.config.password) : std::nullopt });
    m_settings.remove(Group);
    m_settings.beginWriteArray(Group);
    for (int i = 0; i < static_cast<int>(saved.size()); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(u"name"_s, saved[i].name);
        m_settings.setValue(u"host"_s, saved[i].host);
        m_settings.setValue(u"port"_s, saved[i].port);
        m_settings.setValue(u"user"_s, saved[i].user);
        m_settings.setValue(u"secure"_s, saved[i].secure);
        if (saved[i].password)
            m_settings.setValue(u"password"_s, *saved[i].password);
    }
    m_settings.endArray();
}

} // namespace sightline::ui
