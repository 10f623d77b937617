#include "core/server/certificates.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    /// unique_ptr deleter calling an OpenSSL `*_free` function.
    template <auto Free> struct Freer
    {
        template <typename T> void operator()(T* p) const { Free(p); }
    };
    template <typename T, auto Free> using Owned = std::unique_ptr<T, Freer<Free>>;

    using Bio = Owned<BIO, BIO_free_all>;
    using BigNum = Owned<BIGNUM, BN_free>;
    using Certificate = Owned<X509, X509_free>;
    using Extension = Owned<X509_EXTENSION, X509_EXTENSION_free>;
    using GeneralName = Owned<GENERAL_NAME, GENERAL_NAME_free>;
    using GeneralNames = Owned<GENERAL_NAMES, GENERAL_NAMES_free>;
    using Ia5String = Owned<ASN1_IA5STRING, ASN1_IA5STRING_free>;
    using Key = Owned<EVP_PKEY, EVP_PKEY_free>;
    using KeyContext = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
    using OctetString = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;

    constexpr int CaValidDays = 10 * 365;
    constexpr int NodeValidDays = 365;
    constexpr long BackdateSeconds = 24 * 60 * 60;
    constexpr int MaxCommonNameLength = 64; // ub-common-name, RFC 5280

    constexpr QFile::Permissions KeyPermissions = QFile::ReadOwner | QFile::WriteOwner;
    constexpr QFile::Permissions CertificatePermissions
        = KeyPermissions | QFile::ReadGroup | QFile::ReadOther;
    constexpr QFile::Permissions DirectoryPermissions = KeyPermissions | QFile::ExeOwner;

    /// Drains OpenSSL's error queue into one line (`PEM routines: no start line; ...`).
    QString openSslReason()
    {
        QStringList reasons;
        while (const unsigned long code = ERR_get_error()) {
            const char* library = ERR_lib_error_string(code);
            const char* reason = ERR_reason_error_string(code);
            if (reason) {
                reasons << (library ? QString::fromUtf8(library) + u": "_s : QString())
                        + QString::fromUtf8(reason);
            } else {
                char buffer[256];
                ERR_error_string_n(code, buffer, sizeof buffer);
                reasons << QString::fromUtf8(buffer);
            }
        }
        reasons.removeDuplicates();
        return reasons.isEmpty() ? u"unknown OpenSSL error"_s : reasons.join(u"; "_s);
    }

    tl::unexpected<Error> tlsError(const QString& message) { return fail(errors::Tls, message); }

    tl::unexpected<Error> openSslError(const QString& what, const QString& path)
    {
        return tlsError(what + u' ' + path + u": "_s + openSslReason());
    }

    /// The subjectAltName entries of a node certificate, in order and without duplicates.
    struct AltNames
    {
        QList<QByteArray> dns;
        QList<QByteArray> ips; // 4 or 16 bytes, network order

        [[nodiscard]] Result<void> add(const QString& host);
    };

    Result<void> AltNames::add(const QString& entry)
    {
        QString host = entry.trimmed();
        if (host.startsWith(u'[')) { // [v6] or [v6]:port
            const qsizetype close = host.indexOf(u']');
            if (close < 0)
                return tlsError(u"invalid host '%1': missing ']'"_s.arg(entry));
            host = host.mid(1, close - 1);
        } else if (host.count(u':') == 1) { // name:port or v4:port
            host.truncate(host.indexOf(u':'));
        }
        if (host.isEmpty())
            return {};
        const QByteArray utf8 = host.section(u'%', 0, 0).toUtf8(); // without a v6 zone
        if (const OctetString ip { a2i_IPADDRESS(utf8.constData()) }) {
            const QByteArray octets(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ip.get())),
                ASN1_STRING_length(ip.get()));
            if (octets.count('\0') != octets.size() && !ips.contains(octets))
                ips << octets;
            return {};
        }
        ERR_clear_error(); // a2i_IPADDRESS queues an error for names
        QByteArray name = QUrl::toAce(host);
        if (name.endsWith('.'))
            name.chop(1);
        const bool wildcard = name.startsWith("*.");
        const bool valid = !name.isEmpty() && name.size() <= 253
            && std::all_of(name.cbegin() + (wildcard ? 2 : 0), name.cend(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                       || c == '-' || c == '.' || c == '_';
               });
        if (!valid)
            return tlsError(u"invalid host name '%1'"_s.arg(entry));
        name = name.toLower();
        if (!dns.contains(name))
            dns << name;
        return {};
    }

    Result<AltNames> altNamesFor(const QStringList& hosts)
    {
        AltNames names;
        for (const QString& host : hosts) {
            if (auto added = names.add(host); !added)
                return tl::unexpected(added.error());
        }
        for (const QString& host : { u"localhost"_s, u"127.0.0.1"_s, u"::1"_s }) {
            if (auto added = names.add(host); !added)
                return tl::unexpected(added.error());
        }
        return names;
    }

    /// Creates the directory holding `path` when it is missing, its last level 0700.
    Result<void> ensureDirectoryOf(const QString& path)
    {
        const QString directory = QFileInfo(path).absolutePath();
        if (QFileInfo(directory).isDir())
            return {};
        QFileInfo existing(directory);
        while (!existing.exists() && !existing.isRoot())
            existing.setFile(existing.absolutePath());
        if (!existing.isDir()) {
            return tlsError(u"cannot create directory %1: %2 is not a directory"_s.arg(directory,
                existing.absoluteFilePath()));
        }
        errno = 0;
        if (!QDir().mkpath(QFileInfo(directory).absolutePath())
            || !QDir().mkdir(directory, DirectoryPermissions)) {
            const QString reason = errno ? qt_error_string(errno) : u"unknown error"_s;
            return tlsError(u"cannot create directory %1: %2"_s.arg(directory, reason));
        }
        if (!QFile::setPermissions(directory, DirectoryPermissions))
            return tlsError(u"cannot set permissions of directory %1"_s.arg(directory));
        return {};
    }

    /// The contents of a PEM file.
    Result<QByteArray> readPem(const QString& path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return tlsError(u"cannot read %1: %2"_s.arg(path, file.errorString()));
        QByteArray bytes = file.readAll();
        if (file.error() != QFileDevice::NoError)
            return tlsError(u"cannot read %1: %2"_s.arg(path, file.errorString()));
        if (!bytes.contains("-----BEGIN "))
            return tlsError(u"cannot load %1: not a PEM file"_s.arg(path));
        return bytes;
    }

    /// Writes a file that must not exist yet, with `permissions` from its creation on.
    Result<void> writeNewFile(
        const QString& path, const QByteArray& bytes, QFile::Permissions permissions)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, permissions))
            return tlsError(u"cannot create %1: %2"_s.arg(path, file.errorString()));
        const bool written = file.setPermissions(permissions) // not narrowed by the umask
            && file.write(bytes) == bytes.size() && file.flush();
        if (!written) {
            const QString reason = file.errorString();
            file.close();
            file.remove();
            return tlsError(u"cannot write %1: %2"_s.arg(path, reason));
        }
        file.close();
        return {};
    }

    /// Declines to decrypt: an encrypted key is an error, never a terminal prompt.
    int noPassphrase(char*, int, int, void*) { return 0; }

    Result<Key> readKey(const QString& path)
    {
        const auto bytes = readPem(path);
        if (!bytes)
            return tl::unexpected(bytes.error());
        if (bytes->contains("ENCRYPTED"))
            return tlsError(u"cannot load private key %1: it is encrypted"_s.arg(path));
        const Bio bio { BIO_new_mem_buf(bytes->constData(), static_cast<int>(bytes->size())) };
        Key key { bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr)
                      : nullptr };
        if (!key)
            return openSslError(u"cannot load private key"_s, path);
        return key;
    }

    Result<Certificate> readCertificate(const QString& path)
    {
        const auto bytes = readPem(path);
        if (!bytes)
            return tl::unexpected(bytes.error());
        const Bio bio { BIO_new_mem_buf(bytes->constData(), static_cast<int>(bytes->size())) };
        Certificate certificate { bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)
                                      : nullptr };
        if (!certificate)
            return openSslError(u"cannot load certificate"_s, path);
        return certificate;
    }

    /// PEM text produced by `write(BIO*)`, or empty when it fails.
    template <typename Write> QByteArray toPem(Write write)
    {
        const Bio bio { BIO_new(BIO_s_mem()) };
        if (!bio || write(bio.get()) != 1)
            return {};
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        return QByteArray(data, static_cast<qsizetype>(size));
    }

    Result<void> writeKey(const QString& path, EVP_PKEY* key)
    {
        const QByteArray pem = toPem([key](BIO* bio) { // PKCS#8, unencrypted
            return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        });
        if (pem.isEmpty())
            return openSslError(u"cannot encode private key"_s, path);
        return writeNewFile(path, pem, KeyPermissions);
    }

    Result<void> writeCertificate(const QString& path, X509* certificate)
    {
        const QByteArray pem
            = toPem([certificate](BIO* bio) { return PEM_write_bio_X509(bio, certificate); });
        if (pem.isEmpty())
            return openSslError(u"cannot encode certificate"_s, path);
        return writeNewFile(path, pem, CertificatePermissions);
    }

    Key generateKey()
    {
        const KeyContext context { EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr) };
        EVP_PKEY* key = nullptr;
        if (!context || EVP_PKEY_keygen_init(context.get()) <= 0
            || EVP_PKEY_CTX_set_group_name(context.get(), "P-256") <= 0
            || EVP_PKEY_generate(context.get(), &key) <= 0)
            return nullptr;
        return Key { key };
    }

    /// A key read from `path`, or a new one written there when the file does not exist.
    Result<Key> loadOrCreateKey(const QString& path)
    {
        if (QFileInfo::exists(path))
            return readKey(path);
        Key key = generateKey();
        if (!key)
            return openSslError(u"cannot generate key"_s, path);
        if (auto written = writeKey(path, key.get()); !written)
            return tl::unexpected(written.error());
        return key;
    }

    /// Adds an extension given in OpenSSL's configuration syntax (`critical,CA:TRUE`).
    bool addExtension(X509* certificate, X509* issuer, int nid, const char* value)
    {
        X509V3_CTX context;
        X509V3_set_ctx_nodb(&context);
        X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
        const Extension extension { X509V3_EXT_nconf_nid(nullptr, &context, nid, value) };
        return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
    }

    /// An unsigned v3 certificate of `key` with a random 127-bit serial, valid from a day ago
    /// for `days`; its issuer is `issuer`'s subject, or its own when `issuer` is null.
    Certificate newCertificate(EVP_PKEY* key, const QString& commonName, int days, X509* issuer)
    {
        Certificate certificate { X509_new() };
        unsigned char serial[16];
        if (!certificate || RAND_bytes(serial, sizeof serial) != 1)
            return nullptr;
        serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and never shortened to zero
        const BigNum serialNumber { BN_bin2bn(serial, sizeof serial, nullptr) };
        X509_NAME* subject = X509_get_subject_name(certificate.get());
        const QByteArray name = commonName.toUtf8();
        const auto text = reinterpret_cast<const unsigned char*>(name.constData());
        const auto organization = reinterpret_cast<const unsigned char*>("Sightline");
        const bool ok = X509_set_version(certificate.get(), X509_VERSION_3) == 1 && serialNumber
            && BN_to_ASN1_INTEGER(serialNumber.get(), X509_get_serialNumber(certificate.get()))
            && X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -BackdateSeconds)
            && X509_time_adj_ex(X509_getm_notAfter(certificate.get()), days, 0, nullptr)
            && X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, organization, -1, -1, 0)
            && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, text, -1, -1, 0)
            && X509_set_issuer_name(certificate.get(),
                   issuer ? X509_get_subject_name(issuer) : subject)
                == 1
            && X509_set_pubkey(certificate.get(), key) == 1;
        return ok ? std::move(certificate) : nullptr;
    }

    Certificate newCaCertificate(EVP_PKEY* key)
    {
        Certificate certificate = newCertificate(key, u"Sightline CA"_s, CaValidDays, nullptr);
        X509* self = certificate.get();
        const bool ok = self
            && addExtension(self, self, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && addExtension(self, self, NID_key_usage, "critical,keyCertSign,cRLSign")
            && addExtension(self, self, NID_subject_key_identifier, "hash")
            && X509_sign(self, key, EVP_sha256()) > 0;
        return ok ? std::move(certificate) : nullptr;
    }

    bool addAltNames(X509* certificate, const AltNames& altNames)
    {
        const GeneralNames names { GENERAL_NAMES_new() };
        if (!names)
            return false;
        const auto push = [&names](int type, ASN1_STRING* value) {
            GeneralName name { GENERAL_NAME_new() };
            if (!name) {
                ASN1_STRING_free(value);
                return false;
            }
            GENERAL_NAME_set0_value(name.get(), type, value); // takes `value`
            if (sk_GENERAL_NAME_push(names.get(), name.get()) <= 0)
                return false;
            name.release(); // now owned by `names`
            return true;
        };
        for (const QByteArray& dns : altNames.dns) {
            Ia5String value { ASN1_IA5STRING_new() };
            if (!value || ASN1_STRING_set(value.get(), dns.constData(), int(dns.size())) != 1
                || !push(GEN_DNS, value.release()))
                return false;
        }
        for (const QByteArray& ip : altNames.ips) {
            OctetString value { ASN1_OCTET_STRING_new() };
            if (!value
                || ASN1_OCTET_STRING_set(value.get(),
                       reinterpret_cast<const unsigned char*>(ip.constData()),
                       int(ip.size()))
                    != 1
                || !push(GEN_IPADD, value.release()))
                return false;
        }
        return X509_add1_ext_i2d(certificate, NID_subject_alt_name, names.get(), 0, 0) == 1;
    }

    Certificate newNodeCertificate(
        EVP_PKEY* key, const AltNames& altNames, X509* ca, EVP_PKEY* caKey)
    {
        const QString first
            = altNames.dns.isEmpty() ? u"localhost"_s : QString::fromLatin1(altNames.dns.first());
        Certificate certificate = newCertificate(key,
            first.size() <= MaxCommonNameLength ? first : u"localhost"_s,
            NodeValidDays,
            ca);
        X509* node = certificate.get();
        const bool ok = node && addExtension(node, ca, NID_basic_constraints, "CA:FALSE")
            && addExtension(node, ca, NID_key_usage, "critical,digitalSignature,keyAgreement")
            && addExtension(node, ca, NID_ext_key_usage, "serverAuth,clientAuth")
            && addExtension(node, ca, NID_subject_key_identifier, "hash")
            && addExtension(node, ca, NID_authority_key_identifier, "keyid,issuer")
            && addAltNames(node, altNames) && X509_sign(node, caKey, EVP_sha256()) > 0;
        return ok ? std::move(certificate) : nullptr;
    }

} // namespace

CertificateFiles defaultCertificateFiles(const QString& certsDir)
{
    const QDir dir(QFileInfo(certsDir).absoluteFilePath());
    return CertificateFiles {
        .caCert = dir.absoluteFilePath(u"ca.crt"_s),
        .caKey = dir.absoluteFilePath(u"ca.key"_s),
        .nodeCert = dir.absoluteFilePath(u"node.crt"_s),
        .nodeKey = dir.absoluteFilePath(u"node.key"_s),
    };
}

Result<void> ensureAutoCertificates(const CertificateFiles& files, const QStringList& hosts)
{
    ERR_clear_error();
    const auto altNames = altNamesFor(hosts);
    if (!altNames)
        return tl::unexpected(altNames.error());
    for (const QString* path : { &files.caCert, &files.caKey, &files.nodeCert, &files.nodeKey }) {
        if (auto created = ensureDirectoryOf(*path); !created)
            return created;
    }

    Key caKey;
    Certificate caCert;
    if (!QFileInfo::exists(files.caCert)) {
        auto key = loadOrCreateKey(files.caKey);
        if (!key)
            return tl::unexpected(key.error());
        caKey = std::move(*key);
        caCert = newCaCertificate(caKey.get());
        if (!caCert)
            return openSslError(u"cannot create CA certificate"_s, files.caCert);
        if (auto written = writeCertificate(files.caCert, caCert.get()); !written)
            return written;
    }

    if (QFileInfo::exists(files.nodeCert)) {
        if (!QFileInfo::exists(files.nodeKey))
            return tlsError(u"%1 exists but its key %2 does not; remove %1 to issue a new one"_s
                                .arg(files.nodeCert, files.nodeKey));
        return {};
    }
    if (!caKey) {
        if (!QFileInfo::exists(files.caKey))
            return tlsError(u"cannot issue %1: the CA key %2 does not exist"_s.arg(files.nodeCert,
                files.caKey));
        auto key = readKey(files.caKey);
        if (!key)
            return tl::unexpected(key.error());
        caKey = std::move(*key);
    }
    if (!caCert) {
        auto certificate = readCertificate(files.caCert);
        if (!certificate)
            return tl::unexpected(certificate.error());
        caCert = std::move(*certificate);
    }
    if (X509_check_private_key(caCert.get(), caKey.get()) != 1)
        return openSslError(u"CA key %1 does not match"_s.arg(files.caKey), files.caCert);

    const auto nodeKey = loadOrCreateKey(files.nodeKey);
    if (!nodeKey)
        return tl::unexpected(nodeKey.error());
    const Certificate nodeCert
        = newNodeCertificate(nodeKey->get(), *altNames, caCert.get(), caKey.get());
    if (!nodeCert)
        return openSslError(u"cannot create node certificate"_s, files.nodeCert);
    return writeCertificate(files.nodeCert, nodeCert.get());
}

} // namespace sightline::core::server
