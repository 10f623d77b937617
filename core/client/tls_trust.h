#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

namespace sightline::core::client {

/// Whom a client trusts on a TLS connection: the system's CAs, the CAs of a file the user
/// gave (a Synnax Core's `ca.crt` from --auto-cert, say), and one certificate the user chose
/// to trust by its SHA-256 fingerprint. The host name is always verified against the
/// certificate (a pinned certificate stands in only for a missing chain of trust).
class TlsTrust
{
public:
    /// Reads `caFile` (PEM; empty for none); `pinnedSha256` is a fingerprint as
    /// fingerprint() writes it (empty for none). A `sightline.tls` error names an unreadable
    /// or empty CA file.
    [[nodiscard]] static Result<TlsTrust> load(const QString& caFile, const QString& pinnedSha256);
    TlsTrust() = default;

    /// For QNetworkRequest and QWebSocket: TLS 1.2 or later, the CAs above.
    [[nodiscard]] QSslConfiguration configuration() const;
    /// Whether the handshake may go on despite `errors`: each is a missing chain of trust
    /// (unknown issuer, self-signed) and a certificate of the peer's `chain` (its own or its
    /// CA's) is the pinned one.
    [[nodiscard]] bool accepts(const QList<QSslError>& errors,
        const QList<QSslCertificate>& chain) const;

    /// "AB:12:…": a certificate's SHA-256 fingerprint, as users compare it.
    [[nodiscard]] static QString fingerprint(const QSslCertificate& certificate);
    /// Why a handshake was refused, for a user: the errors, and the fingerprint of the peer's
    /// certificate (`peer`) when it is the chain of trust that failed.
    [[nodiscard]] static QString describe(const QList<QSslError>& errors,
        const QSslCertificate& peer);
    /// True when every error is a missing chain of trust (what "trust this certificate"
    /// can overcome; a wrong host name or an expired certificate cannot be).
    [[nodiscard]] static bool onlyTrustErrors(const QList<QSslError>& errors);

private:
    QList<QSslCertificate> m_authorities;
    QString m_pinned;
};

} // namespace sightline::core::client
