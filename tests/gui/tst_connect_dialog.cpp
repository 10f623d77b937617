// File > Connect…: saved connections, passwords kept only when the user opts in, and
// clear problems for incomplete input.

#include "ui/shell/connect_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using sightline::ui::ConnectDialog;

class TestConnectDialog : public QObject
{
    Q_OBJECT

private:
    static void fill(ConnectDialog& dialog,
        const QString& host,
        int port,
        const QString& password,
        bool remember)
    {
        dialog.hostEdit()->setText(host);
        dialog.portBox()->setValue(port);
        dialog.userEdit()->setText(u"operator"_s);
        dialog.passwordEdit()->setText(password);
        dialog.rememberBox()->setChecked(remember);
    }

private Q_SLOTS:
    void passwordIsNotSavedUnlessTheUserOptsIn()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        {
            ConnectDialog dialog(settings);
            fill(dialog, u"stand-a"_s, 9091, u"secret-a"_s, false);
            dialog.saveConnection();
        }
        settings.sync();
        QFile file(dir.filePath(u"s.ini"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(written.contains("stand-a"));
        QVERIFY(!written.contains("secret-a"));

        {
            ConnectDialog dialog(settings);
            fill(dialog, u"stand-b"_s, 9092, u"secret-b"_s, true);
            dialog.saveConnection();
        }
        ConnectDialog reopened(settings);
        QCOMPARE(reopened.savedBox()->count(), 3); // "New connection" + two saved, newest first
        QCOMPARE(reopened.savedBox()->itemText(1), u"stand-b:9092"_s);
        QCOMPARE(reopened.hostEdit()->text(), u"stand-b"_s);
        QCOMPARE(reopened.passwordEdit()->text(), u"secret-b"_s);
        reopened.savedBox()->setCurrentIndex(2);
        QCOMPARE(reopened.hostEdit()->text(), u"stand-a"_s);
        QCOMPARE(reopened.portBox()->value(), 9091);
        QVERIFY(reopened.passwordEdit()->text().isEmpty());
        QVERIFY(!reopened.rememberBox()->isChecked());
    }

    void anEmptyHostIsExplainedAndNotAccepted()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        ConnectDialog dialog(settings);
        dialog.show();
        dialog.hostEdit()->clear();
        auto* connectButton = dialog.findChild<QPushButton*>(u"connectButton"_s);
        QVERIFY(connectButton);
        QTest::mouseClick(connectButton, Qt::LeftButton);
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.result() != QDialog::Accepted);
        bool explained = false;
        for (QLabel* label : dialog.findChildren<QLabel*>())
            explained = explained || label->text().contains(u"host"_s);
        QVERIFY(explained);
    }

    void connectingSavesNothingUntilTheConnectionWorked()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        {
            ConnectDialog dialog(settings);
            dialog.show();
            // A fresh dialog offers Synnax's default credentials, as the command line does.
            QCOMPARE(dialog.userEdit()->text(), u"synnax"_s);
            QCOMPARE(dialog.passwordEdit()->text(), u"seldon"_s);
            dialog.hostEdit()->setText(u"unreachable.example"_s);
            QSignalSpy chosen(&dialog, &ConnectDialog::connectChosen);
            auto* connectButton = dialog.findChild<QPushButton*>(u"connectButton"_s);
            QTest::mouseClick(connectButton, Qt::LeftButton);
            QCOMPARE(chosen.count(), 1); // the caller tries it; the dialog stays open meanwhile
            QVERIFY(dialog.isVisible());
        }
        // The app saves it only after the connection worked; here it never did.
        ConnectDialog reopened(settings);
        QCOMPARE(reopened.savedBox()->count(), 1); // only "New connection"
    }

    void choiceCarriesEverythingEntered()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        ConnectDialog dialog(settings);
        fill(dialog, u" 10.0.0.5 "_s, 9443, u"pw"_s, false);
        const auto choice = dialog.choice();
        QVERIFY(!choice.embedded);
        QCOMPARE(choice.config.host, u"10.0.0.5"_s);
        QCOMPARE(choice.config.port, quint16(9443));
        QCOMPARE(choice.config.username, u"operator"_s);
        QCOMPARE(choice.config.password, u"pw"_s);
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connect_dialog.moc"
