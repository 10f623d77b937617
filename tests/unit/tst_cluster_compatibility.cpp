// What the app warns about after connecting: a Synnax version this build does not speak, a
// clock far off ours. And that a TLS trust pin never excuses more than a missing chain.

#include "core/client/connection.h"
#include "core/client/tls_trust.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::client;

class TestClusterCompatibility : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theSameMajorMinorIsCompatible()
    {
        QVERIFY(!versionWarning(u"0.56.2"_s));
        QVERIFY(!versionWarning(u"0.56.0-rc1"_s));
        QVERIFY(!versionWarning(QString())); // unknown: no reason to warn
    }

    void anotherMinorOrMajorIsWarnedAbout()
    {
        const auto older = versionWarning(u"0.45.1"_s);
        QVERIFY(older);
        QVERIFY2(older->contains(u"0.45.1"_s) && older->contains(u"0.56"_s), qPrintable(*older));
        QVERIFY(versionWarning(u"1.56.0"_s));
        QVERIFY(versionWarning(u"0.57.0"_s));
    }

    void aClockMoreThanASecondOffIsWarnedAbout()
    {
        QVERIFY(!clockSkewWarning(TimeSpan::milliseconds(900)));
        QVERIFY(!clockSkewWarning(TimeSpan::milliseconds(-900)));
        const auto ahead = clockSkewWarning(TimeSpan::milliseconds(2500));
        QVERIFY(ahead);
        QVERIFY2(ahead->contains(u"2.5 s ahead"_s), qPrintable(*ahead));
        const auto behind = clockSkewWarning(TimeSpan::seconds(-90));
        QVERIFY(behind);
        QVERIFY2(behind->contains(u"90.0 s behind"_s), qPrintable(*behind));
    }

    void onlyAMissingChainOfTrustCanBePinnedAway()
    {
        QVERIFY(TlsTrust::onlyTrustErrors({ QSslError(QSslError::SelfSignedCertificateInChain) }));
        QVERIFY(!TlsTrust::onlyTrustErrors({ QSslError(QSslError::HostNameMismatch) }));
        QVERIFY(!TlsTrust::onlyTrustErrors({ QSslError(QSslError::SelfSignedCertificate),
            QSslError(QSslError::CertificateExpired) }));
        QVERIFY(!TlsTrust::onlyTrustErrors({}));
    }
};

QTEST_GUILESS_MAIN(TestClusterCompatibility)
#include "tst_cluster_compatibility.moc"
