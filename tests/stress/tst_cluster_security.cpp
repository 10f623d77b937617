// The token-forgery attack an independent stress run made, and what stops it: the data
// directory is private to its owner (another local user cannot copy the database holding
// the token secret), and a token minted with that secret anyway — for a user that does not
// exist, or valid for decades — is refused by the unary API and by the streams.

#include "core/server/embedded_cluster.h"
#include "core/server/storage/database.h"
#include "core/server/token_issuer.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include "support/cluster_test_client.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;
using sightline::test::StreamClient;
using sightline::test::UnaryCaller;

namespace {

int modeOf(const QString& path)
{
    struct stat info
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

/// Every entry of `dir` whose mode is not owner-only, as "name 644".
QStringList readableByOthers(const QString& dir)
{
    QStringList open;
    if (modeOf(dir) != 0700)
        open.append(u". %1"_s.arg(modeOf(dir), 0, 8));
    for (const QFileInfo& file : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden))
        if (modeOf(file.absoluteFilePath()) != 0600)
            open.append(u"%1 %2"_s.arg(file.fileName()).arg(modeOf(file.absoluteFilePath()), 0, 8));
    return open;
}

} // namespace

class TestClusterSecurity : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString dataDir() const { return m_dir.filePath(u"data"_s); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void theDataDirectoryAndEveryFileInItArePrivate()
    {
        // As an older version left it: world-readable directory and database.
        QVERIFY(QDir().mkpath(dataDir()));
        ::chmod(QFile::encodeName(dataDir()).constData(), 0755);
        {
            EmbeddedCluster cluster;
            ClusterConfig config;
            config.dataDir = dataDir();
            config.simulator->tick = TimeSpan::milliseconds(10);
            QVERIFY(cluster.start(config));
            QTest::qWait(300); // the stand writes: the write-ahead log exists
            QVERIFY(QFileInfo::exists(QDir(dataDir()).filePath(u"cluster.db-wal"_s)));
            QVERIFY2(readableByOthers(dataDir()).isEmpty(),
                qPrintable(readableByOthers(dataDir()).join(u", "_s)));
        }
        for (const QFileInfo& file : QDir(dataDir()).entryInfoList(QDir::Files))
            ::chmod(QFile::encodeName(file.absoluteFilePath()).constData(), 0644);
        ::chmod(QFile::encodeName(dataDir()).constData(), 0755);
        EmbeddedCluster reopened; // an upgrade tightens what was left open
        ClusterConfig config;
        config.dataDir = dataDir();
        config.simulator.reset();
        QVERIFY(reopened.start(config));
        QVERIFY2(readableByOthers(dataDir()).isEmpty(),
            qPrintable(readableByOthers(dataDir()).join(u", "_s)));
    }

    void anotherLocalUserCannotCopyTheDatabase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to act as another user (setpriv)");
        QProcess copy;
        copy.start(u"setpriv"_s,
            { u"--reuid=nobody"_s,
                u"--regid=nogroup"_s,
                u"--clear-groups"_s,
                u"cat"_s,
                QDir(dataDir()).filePath(u"cluster.db"_s) });
        QVERIFY(copy.waitForFinished(10000));
        if (copy.exitCode() == 127 || copy.error() == QProcess::FailedToStart)
            QSKIP("setpriv is not available");
        QVERIFY2(copy.exitCode() != 0, "nobody read the cluster's database");
        QVERIFY(copy.readAllStandardOutput().isEmpty());
        QVERIFY2(copy.readAllStandardError().contains("Permission denied"),
            "refused for its permissions");
    }

    void aTokenMintedWithTheSecretIsRefusedUnlessItIsOneTheClusterWouldIssue()
    {
        EmbeddedCluster cluster;
        ClusterConfig config;
        config.dataDir = m_dir.filePath(u"forgery"_s);
        config.simulator.reset();
        const auto port = cluster.start(config);
        QVERIFY(port);
        // The attacker's copy of the database (made here as its owner).
        const QString copy = m_dir.filePath(u"stolen.db"_s);
        for (const QString& suffix : { u""_s, u"-wal"_s })
            QFile::copy(QDir(config.dataDir).filePath(u"cluster.db"_s + suffix), copy + suffix);
        auto stolen = Database::open(copy);
        QVERIFY(stolen);
        auto select = (*stolen)->prepare("SELECT value FROM settings WHERE key = 'token_secret'");
        QVERIFY(select);
        QVERIFY(*select->step());
        const QByteArray secret = select->blobAt(0);
        QVERIFY(secret.size() >= 32);

        const TimeStamp now = TimeStamp::now();
        const QString unknownUser = TokenIssuer(secret, { u"nobody"_s }).issue(u"nobody"_s, now);
        const QString thirtyOneYears
            = TokenIssuer(secret, { u"synnax"_s }, TimeSpan::hours(24 * 365 * 31))
                  .issue(u"synnax"_s, now);
        for (const QString& forged : { unknownUser, thirtyOneYears }) {
            UnaryCaller unary(*port);
            unary.setToken(forged);
            const auto reply = unary.post(u"channel/retrieve"_s, QJsonObject {});
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.body.value(u"type").toString(), errors::InvalidToken);
            StreamClient stream;
            QVERIFY(stream.connect(*port, u"frame/stream"_s, forged));
            const auto first = stream.next(5000);
            QVERIFY(first && first->envelope);
            QCOMPARE(first->envelope->type, codec::Envelope::Type::Close);
            QVERIFY(first->envelope->error);
            QCOMPARE(first->envelope->error->type, errors::InvalidToken);
        }
        // The cluster's own tokens still work.
        UnaryCaller unary(*port);
        QVERIFY(!unary.login().isEmpty());
        QCOMPARE(unary.post(u"channel/retrieve"_s, QJsonObject {}).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestClusterSecurity)
#include "tst_cluster_security.moc"
