// The app's connection life, driven as a user does: the real embedded cluster on loopback,
// the real main window and Connect dialog offscreen, other clusters and a black-hole
// listener on loopback.

#include "core/client/iterator.h"
#include "core/server/embedded_cluster.h"
#include "ui/plot/live_plot.h"
#include "ui/shell/main_window.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslCertificate>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "session_controller.h"

using namespace Qt::StringLiterals;
using namespace sightline;
using namespace sightline::core;
using app::SessionController;

namespace {

/// A port where nothing listens (bound, then released).
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

/// The longest gap between consecutive recorded stamps of the fast stand in [from, to).
Result<TimeSpan> longestRecordedGap(client::Connection& connection, TimeStamp from, TimeStamp to)
{
    auto iterator = client::Iterator::open(connection,
        { .bounds = TimeRange { from, to }, .channels = { u"stand_time_fast"_s } });
    if (!iterator)
        return tl::unexpected(iterator.error());
    if (auto first = (*iterator)->seekFirst(); !first)
        return tl::unexpected(first.error());
    std::vector<std::int64_t> stamps;
    while (true) {
        auto more = (*iterator)->next(TimeSpan::seconds(5));
        if (!more)
            return tl::unexpected(more.error());
        if (!*more)
            break;
        for (const Series& series : (*iterator)->value().series()) {
            const auto values = series.values<std::int64_t>();
            stamps.insert(stamps.end(), values.begin(), values.end());
        }
    }
    if (stamps.size() < 2)
        return fail(u"test"_s, u"nothing recorded"_s);
    std::int64_t longest = 0;
    for (std::size_t i = 1; i < stamps.size(); ++i)
        longest = std::max(longest, stamps[i] - stamps[i - 1]);
    // The recording must also cover the whole interval, not just be dense where it exists.
    longest = std::max(
        { longest, stamps.front() - from.nanoseconds(), to.nanoseconds() - stamps.back() });
    return TimeSpan(longest);
}

} // namespace

class TestSessionController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    app::Target embeddedTarget(const QString& name)
    {
        app::Target target;
        target.embedded = true;
        target.dataDir = m_dir.filePath(name);
        return target;
    }

    static void fillAndConnect(ui::ConnectDialog& dialog, quint16 port, int timeoutSeconds)
    {
        dialog.hostEdit()->setText(u"127.0.0.1"_s);
        dialog.portBox()->setValue(port);
        dialog.timeoutBox()->setValue(timeoutSeconds);
        QTest::mouseClick(dialog.findChild<QPushButton*>(u"connectButton"_s), Qt::LeftButton);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void aBlackHoleConnectIsCancelledAndTimesOutWhileTheEmbeddedClusterRecords()
    {
        QSettings settings(m_dir.filePath(u"blackhole.ini"_s), QSettings::IniFormat);
        ui::MainWindow window;
        SessionController sessions(window, settings);
        QVERIFY(sessions.start(embeddedTarget(u"blackhole"_s),
            SessionController::OnStartFailure::OfferChoice));
        window.resize(900, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QRect geometry = window.geometry();
        const int plots = static_cast<int>(window.plots().size());
        app::Session* embedded = sessions.session();
        QVERIFY(embedded && embedded->embedded());
        const TimeStamp before = TimeStamp::now();

        QTcpServer blackHole; // accepts (the kernel does) and never answers
        QVERIFY(blackHole.listen(QHostAddress::LocalHost, 0));
        sessions.openConnectDialog();
        QPointer<ui::ConnectDialog> dialog = sessions.dialog();
        QVERIFY(dialog && dialog->isVisible());
        QSignalSpy ended(&sessions, &SessionController::attemptEnded);

        // 1. Cancelled: the UI keeps running meanwhile, Cancel ends it at once.
        fillAndConnect(*dialog, blackHole.serverPort(), 30);
        QVERIFY(dialog->connecting());
        QElapsedTimer responsive;
        responsive.start();
        QTest::qWait(1500); // the event loop runs: the attempt is on a worker thread
        QVERIFY(responsive.elapsed() < 2500);
        QVERIFY(sessions.connecting());
        QElapsedTimer cancelling;
        cancelling.start();
        QTest::mouseClick(dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel),
            Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 2000);
        QVERIFY(cancelling.elapsed() < 1000);
        QCOMPARE(ended.at(0).at(0).toBool(), false);
        QVERIFY(dialog && dialog->isVisible()); // still open for another try
        QVERIFY(!dialog->connecting());
        QVERIFY2(dialog->problemText().contains(u"cancelled"_s), qPrintable(dialog->problemText()));

        // 2. Timed out: the message says so, with the time waited.
        fillAndConnect(*dialog, blackHole.serverPort(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 5000);
        QVERIFY2(dialog->problemText().contains(u"timed out after 1 s"_s),
            qPrintable(dialog->problemText()));
        QVERIFY(!dialog->problemText().contains(u"Operation canceled"_s));

        // The embedded cluster was never stopped: same session, same window, and the record
        // has no gap across both attempts.
        QCOMPARE(sessions.session(), embedded);
        QCOMPARE(window.geometry(), geometry);
        QCOMPARE(static_cast<int>(window.plots().size()), plots);
        QTest::qWait(300);
        const auto gap = longestRecordedGap(*embedded->feed().sharedConnection(),
            before,
            TimeStamp::now() - TimeSpan::milliseconds(200));
        QVERIFY2(gap, gap ? "" : qPrintable(gap.error().message));
        QVERIFY2(*gap < TimeSpan::milliseconds(250),
            qPrintable(u"longest gap %1 ms"_s.arg(gap->nanoseconds() / 1'000'000)));
        // Nothing that failed was saved.
        ui::ConnectDialog reopened(settings);
        QCOMPARE(reopened.savedBox()->count(), 1);
    }

    void switchingToAnotherClusterKeepsThePlotsAndTheWindow()
    {
        server::EmbeddedCluster other; // "another cluster" on loopback
        server::ClusterConfig config;
        config.dataDir = m_dir.filePath(u"other"_s);
        const auto otherPort = other.start(config);
        QVERIFY(otherPort);

        QSettings settings(m_dir.filePath(u"switch.ini"_s), QSettings::IniFormat);
        ui::MainWindow window;
        SessionController sessions(window, settings);
        QVERIFY(sessions.start(embeddedTarget(u"switch"_s),
            SessionController::OnStartFailure::OfferChoice));
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QRect geometry = window.geometry();
        const int plots = static_cast<int>(window.plots().size());
        QVERIFY(plots >= 1);
        const quint16 embeddedPort = sessions.session()->embeddedPort();

        QSignalSpy changed(&sessions, &SessionController::sessionChanged);
        sessions.openConnectDialog();
        fillAndConnect(*sessions.dialog(), *otherPort, 10);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QVERIFY(!sessions.session()->embedded());
        QVERIFY(sessions.dialog() == nullptr || !sessions.dialog()->isVisible());
        QCOMPARE(window.geometry(), geometry);
        QCOMPARE(static_cast<int>(window.plots().size()), plots); // carried over by name
        QVERIFY(!window.plots().front()->channelKeys().empty());
        ui::ConnectDialog reopened(settings); // the connection that worked is saved, first
        QCOMPARE(reopened.savedBox()->itemText(1), u"127.0.0.1:%1"_s.arg(*otherPort));

        // And back to the embedded cluster: on the same data directory.
        sessions.openConnectDialog();
        QTest::mouseClick(sessions.dialog()->findChild<QPushButton*>(u"embeddedButton"_s),
            Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000);
        QVERIFY(sessions.session()->embedded());
        QCOMPARE(sessions.target().dataDir, m_dir.filePath(u"switch"_s));
        QCOMPARE(sessions.session()->embeddedPort(), embeddedPort); // free again: reused
    }

    void anUntrustedCertificateCanBeTrustedFromTheDialogAndIsRemembered()
    {
        server::EmbeddedCluster secure; // a TLS cluster as `--auto-cert` makes it
        server::ClusterConfig config;
        config.dataDir = m_dir.filePath(u"tls-data"_s);
        config.simulator->tick = core::TimeSpan::milliseconds(20);
        config.tls = server::TlsConfig { .files
            = server::defaultCertificateFiles(m_dir.filePath(u"tls-certs"_s)),
            .autoCert = true,
            .hosts = {} };
        const auto port = secure.start(config);
        QVERIFY(port);

        QSettings settings(m_dir.filePath(u"tls.ini"_s), QSettings::IniFormat);
        ui::MainWindow window;
        SessionController sessions(window, settings);
        QVERIFY(sessions.start(embeddedTarget(u"tls-embedded"_s),
            SessionController::OnStartFailure::OfferChoice));
        window.show();
        QSignalSpy ended(&sessions, &SessionController::attemptEnded);
        sessions.openConnectDialog();
        QPointer<ui::ConnectDialog> dialog = sessions.dialog();
        dialog->secureBox()->setChecked(true);
        fillAndConnect(*dialog, *port, 10);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
        QVERIFY2(dialog->problemText().contains(u"not trusted"_s),
            qPrintable(dialog->problemText()));
        QVERIFY(dialog->trustBox()->isVisible());
        const QString fingerprint = client::TlsTrust::fingerprint(
            QSslCertificate::fromPath(config.tls->files.nodeCert).front());
        QVERIFY2(dialog->trustBox()->text().contains(fingerprint),
            qPrintable(dialog->trustBox()->text()));
        QVERIFY(sessions.session()->embedded()); // still recording

        dialog->trustBox()->setChecked(true);
        QTest::mouseClick(dialog->findChild<QPushButton*>(u"connectButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 10000);
        QVERIFY(ended.at(1).at(0).toBool());
        QVERIFY(!sessions.session()->embedded());
        QCOMPARE(sessions.session()->description(), u"127.0.0.1:%1 (TLS)"_s.arg(*port));

        // Remembered with the connection: the next start trusts it again.
        client::ConnectionConfig next;
        next.host = u"127.0.0.1"_s;
        next.port = *port;
        next.secure = true;
        next = app::withRemembered(settings, next);
        QCOMPARE(next.trustedCertificate, fingerprint);
        QVERIFY(client::Connection(next).login());
    }

    void theEmbeddedClusterHasThisInstallationsOwnPassword()
    {
        QSettings settings(m_dir.filePath(u"password.ini"_s), QSettings::IniFormat);
        const QString password = app::embeddedClusterPassword(settings);
        QVERIFY(password.size() >= 32);
        QCOMPARE(app::embeddedClusterPassword(settings), password); // kept, not remade
        QCOMPARE(QFile::permissions(settings.fileName()),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);

        app::Target target = embeddedTarget(u"password"_s);
        target.embeddedPassword = password;
        auto session = app::Session::open(target);
        QVERIFY2(session, session ? "" : qPrintable(session.error().message));
        // Synnax's default credentials, which any local process could try, do not log in.
        client::ConnectionConfig intruder;
        intruder.port = (*session)->embeddedPort();
        auto refused = client::Connection(intruder).login();
        QVERIFY(!refused);
        QCOMPARE(refused.error().type, errors::InvalidCredentials);
        intruder.password = password;
        QVERIFY(client::Connection(intruder).login());
    }

    void startingWithAnUnreachableClusterKeepsTheWindowOpenAndOffersTheChoice()
    {
        QSettings settings(m_dir.filePath(u"unreachable.ini"_s), QSettings::IniFormat);
        ui::MainWindow window;
        SessionController sessions(window, settings);
        app::Target target = embeddedTarget(u"unreachable"_s);
        target.embedded = false;
        target.connection.port = closedPort();
        QSignalSpy ended(&sessions, &SessionController::attemptEnded);
        QVERIFY(sessions.start(target, SessionController::OnStartFailure::OfferChoice));
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
        QVERIFY(window.isVisible());
        QVERIFY(sessions.session() == nullptr);
        QPointer<ui::ConnectDialog> dialog = sessions.dialog();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY2(dialog->problemText().contains(u"refused"_s), qPrintable(dialog->problemText()));
        QCOMPARE(dialog->portBox()->value(), int(target.connection.port)); // to fix and retry
        // The embedded cluster is one click away.
        QSignalSpy changed(&sessions, &SessionController::sessionChanged);
        QTest::mouseClick(dialog->findChild<QPushButton*>(u"embeddedButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QVERIFY(sessions.session()->embedded());
        QVERIFY(!window.plots().empty());
    }
};

QTEST_MAIN(TestSessionController)
#include "tst_session_controller.moc"
