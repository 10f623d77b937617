#include "core/client/tls_trust.h"

#include <QCryptographicHash>
#include <QFile>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    bool isTrustError(QSslError::SslError error)
    {
        switch (error) {
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::CertificateUntrusted:
            return true;
        default:
            return false;
        }
    }

} // namespace

Result<TlsTrust> TlsTrust::load(const QString& caFile, const QString& pinnedSha256)
{
    TlsTrust trust;
    trust.m_pinned = pinnedSha256.trimmed().toUpper();
    if (caFile.isEmpty())
        return trust;
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly))
        return fail(errors::Tls,
            u"cannot read the CA certificate %1: %2"_s.arg(caFile, file.errorString()));
    trust.m_authorities = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (trust.m_authorities.isEmpty())
        return fail(errors::Tls,
            u"%1 holds no PEM certificate (expected a CA such as a Synnax Core's ca.crt)"_s.arg(
                caFile));
    return trust;
}

QSslConfiguration TlsTrust::configuration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    if (!m_authorities.isEmpty())
        configuration.addCaCertificates(m_authorities);
    return configuration;
}

bool TlsTrust::onlyTrustErrors(const QList<QSslError>& errors)
{
    return !errors.isEmpty() && std::all_of(errors.begin(), errors.end(), [](const QSslError& e) {
        return isTrustError(e.error());
    });
}

bool TlsTrust::accepts(const QList<QSslError>& errors, const QList<QSslCertificate>& chain) const
{
    if (m_pinned.isEmpty() || !onlyTrustErrors(errors))
        return false;
    return std::any_of(chain.begin(), chain.end(), [this](const QSslCertificate& certificate) {
        return fingerprint(certificate) == m_pinned;
    });
}

QString TlsTrust::fingerprint(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString TlsTrust::describe(const QList<QSslError>& errors, const QSslCertificate& peer)
{
    QStringList reasons;
    for (const QSslError& error : errors)
        reasons.append(error.errorString());
    reasons.removeDuplicates();
    QString text = reasons.join(u"; "_s);
    if (onlyTrustErrors(errors)) {
        text = u"the cluster's certificate is not trusted (%1)"_s.arg(text);
        if (!peer.isNull())
            text += u". Its SHA-256 fingerprint is %1: give its CA file, or trust this "
                    u"certificate if the fingerprint is the one its administrator gave you"_s.arg(
                        fingerprint(peer));
    }
    return text;
}

} // namespace sightline::core::client
