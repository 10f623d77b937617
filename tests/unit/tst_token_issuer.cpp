#include "core/server/token_issuer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

namespace {
const QStringList Users { u"synnax"_s };
}

class TestTokenIssuer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuedTokensVerifyUntilTheyExpire()
    {
        const TokenIssuer issuer(TokenIssuer::randomSecret(), Users, TimeSpan::minutes(10));
        const TimeStamp now { 1'000'000'000'000 };
        const QString token = issuer.issue(u"synnax"_s, now);
        QCOMPARE(issuer.verify(token, now + TimeSpan::minutes(9)), Result<QString>(u"synnax"_s));
        const auto expired = issuer.verify(token, now + TimeSpan::minutes(10));
        QVERIFY(!expired.has_value());
        QCOMPARE(expired.error().type, errors::ExpiredToken);
    }

    void aTokenForAUserThatDoesNotExistIsInvalid()
    {
        // Minted with the cluster's own secret (as a copied database would allow): still
        // refused, because no such user exists.
        const QByteArray secret = TokenIssuer::randomSecret();
        const TokenIssuer cluster(secret, Users);
        const TokenIssuer forger(secret, QStringList { u"intruder"_s });
        const auto verified
            = cluster.verify(forger.issue(u"intruder"_s, TimeStamp::now()), TimeStamp::now());
        QVERIFY(!verified);
        QCOMPARE(verified.error().type, errors::InvalidToken);
    }

    void aTokenValidForLongerThanOneLifetimeIsInvalid()
    {
        const QByteArray secret = TokenIssuer::randomSecret();
        const TokenIssuer cluster(secret, Users, TimeSpan::hours(24));
        const TokenIssuer forger(secret, Users, TimeSpan::hours(24 * 365 * 31));
        const TimeStamp now = TimeStamp::now();
        const auto verified = cluster.verify(forger.issue(u"synnax"_s, now), now);
        QVERIFY(!verified);
        QCOMPARE(verified.error().type, errors::InvalidToken);
        QVERIFY(cluster.verify(cluster.issue(u"synnax"_s, now), now)); // ours still verify
    }

    void tokensAreUrlSafe()
    {
        const TokenIssuer issuer(TokenIssuer::randomSecret(), Users);
        const QString token = issuer.issue(u"synnax"_s, TimeStamp::now());
        for (QChar c : token)
            QVERIFY2(c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.',
                qPrintable(token));
    }

    void forgedOrForeignTokensAreInvalid_data()
    {
        QTest::addColumn<QString>("token");
        const TokenIssuer other(TokenIssuer::randomSecret(), Users);
        const QString foreign = other.issue(u"synnax"_s, TimeStamp::now());
        QTest::newRow("other secret") << foreign;
        QTest::newRow("empty") << QString();
        QTest::newRow("no signature") << foreign.section(u'.', 0, 0);
        QTest::newRow("garbage") << u"not.a-token"_s;
        QString tampered = foreign;
        tampered[2] = tampered[2] == u'A' ? u'B' : u'A';
        QTest::newRow("tampered claims") << tampered;
    }
    void forgedOrForeignTokensAreInvalid()
    {
        QFETCH(QString, token);
        const TokenIssuer issuer(TokenIssuer::randomSecret(), Users);
        const auto verified = issuer.verify(token, TimeStamp::now());
        QVERIFY(!verified.has_value());
        QCOMPARE(verified.error().type, errors::InvalidToken);
    }

    void bearerHeaders_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("token");
        QTest::newRow("bearer") << u"Bearer abc.def"_s << true << u"abc.def"_s;
        QTest::newRow("missing") << QString() << false << QString();
        QTest::newRow("basic") << u"Basic abc"_s << false << QString();
        QTest::newRow("bearer only") << u"Bearer "_s << false << QString();
    }
    void bearerHeaders()
    {
        QFETCH(QString, header);
        QFETCH(bool, valid);
        QFETCH(QString, token);
        const auto parsed = bearerToken(header);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, token);
        else
            QCOMPARE(parsed.error().type, errors::Auth);
    }

    void constantTimeComparison()
    {
        QVERIFY(constantTimeEquals("abc", "abc"));
        QVERIFY(!constantTimeEquals("abc", "abd"));
        QVERIFY(!constantTimeEquals("abc", "ab"));
    }
};

QTEST_APPLESS_MAIN(TestTokenIssuer)
#include "tst_token_issuer.moc"
