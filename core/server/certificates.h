#pragma once

#include "core/error.h"

#include <QString>
#include <QStringList>

namespace sightline::core::server {

/// The four PEM files of a node's TLS identity: a CA and a node certificate it signed.
struct CertificateFiles
{
    QString caCert;
    QString caKey;
    QString nodeCert;
    QString nodeKey;
};

/// Synnax's default names inside `certsDir`: `ca.crt`, `ca.key`, `node.crt`, `node.key`
/// (absolute paths; a relative `certsDir` is resolved against the working directory).
[[nodiscard]] CertificateFiles defaultCertificateFiles(const QString& certsDir);

/// Synnax's `--auto-cert`: makes sure `files` hold a self-signed CA and a node certificate signed
/// by it, creating only what is missing so that a restart reuses the same identity.
///
/// Creates the directory of each file (the last level 0700 when it is new). Keys are EC P-256 in
/// PKCS#8 PEM, written 0600; certificates are X.509 v3 signed with ECDSA-SHA256, the CA valid for
/// 10 years, the node certificate for 1 year (both back-dated by a day for clock skew). The node
/// certificate is for TLS servers and clients and names `hosts` plus `localhost`, `127.0.0.1`
/// and `::1` as subjectAltName entries: IP addresses as IP entries, anything else as an
/// (IDNA-encoded) DNS name. A host may carry a port (`host:9090`, `[::1]:9090`), which is
/// ignored; unspecified addresses (`0.0.0.0`, `::`) and empty entries are skipped.
///
/// A missing certificate whose key exists is issued for that key. An existing node certificate
/// and key are kept even when the CA's key is missing. Nothing is ever overwritten.
/// Errors are `sightline.tls`, naming the file and the OS or OpenSSL reason: an unwritable or
/// unreadable file, a file that does not parse, a certificate whose key is missing or does not
/// match, a node certificate to issue without the CA's key, or an invalid host name.
[[nodiscard]] Result<void> ensureAutoCertificates(const CertificateFiles& files,
    const QStringList& hosts);

} // namespace sightline::core::server
