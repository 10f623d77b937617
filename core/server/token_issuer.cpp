#include "core/server/token_issuer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

    tl::unexpected<Error> invalidToken() { return fail(errors::InvalidToken, u"invalid token"_s); }

} // namespace

TokenIssuer::TokenIssuer(QByteArray secret, QStringList users, TimeSpan lifetime)
    : m_secret(std::move(secret))
    , m_users(std::move(users))
    , m_lifetime(lifetime)
{
}

QString TokenIssuer::issue(const QString& username, TimeStamp now) const
{
    const QJsonObject claims {
        { u"sub"_s, username },
        { u"exp"_s, QString::number((now + m_lifetime).nanoseconds()) },
    };
    const QByteArray encoded
        = QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(Base64Url);
    return QString::fromLatin1(encoded + '.' + sign(encoded).toBase64(Base64Url));
}

Result<QString> TokenIssuer::verify(QStringView token, TimeStamp now) const
{
    auto granted = grant(token, now);
    if (!granted)
        return tl::unexpected(granted.error());
    return granted->user;
}

Result<TokenGrant> TokenIssuer::grant(QStringView token, TimeStamp now) const
{
    const QByteArray bytes = token.toLatin1();
    const qsizetype dot = bytes.indexOf('.');
    if (dot <= 0)
        return invalidToken();
    const QByteArray encoded = bytes.left(dot);
    const auto signature = QByteArray::fromBase64Encoding(bytes.mid(dot + 1),
        Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || !constantTimeEquals(*signature, sign(encoded)))
        return invalidToken();
    const auto claimsJson = QByteArray::fromBase64Encoding(encoded, Base64Url);
    const QJsonObject claims = QJsonDocument::fromJson(*claimsJson).object();
    bool ok = false;
    const qint64 expires = claims.value(u"exp").toString().toLongLong(&ok);
    if (!ok || !claims.value(u"sub").isString())
        return invalidToken();
    if (now >= TimeStamp { expires })
        return fail(errors::ExpiredToken, u"token expired"_s);
    // Ours expire one lifetime after they were issued; later is a token we never issued
    // (a few minutes' slack for a clock stepped back).
    if (TimeStamp { expires } > now + m_lifetime + TimeSpan::minutes(5))
        return invalidToken();
    const QString subject = claims.value(u"sub").toString();
    if (!m_users.contains(subject))
        return invalidToken();
    return TokenGrant { subject, TimeStamp { expires } };
}

QByteArray TokenIssuer::randomSecret()
{
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(secret.data()), 8);
    return secret;
}

QByteArray TokenIssuer::sign(const QByteArray& claims) const
{
    return QMessageAuthenticationCode::hash(claims, m_secret, QCryptographicHash::Sha256);
}

Result<QString> bearerToken(QStringView header)
{
    if (header.isEmpty())
        return fail(errors::Auth, u"no authentication token provided"_s);
    constexpr QStringView prefix = u"Bearer ";
    if (!header.startsWith(prefix) || header.size() == prefix.size())
        return fail(errors::Auth, u"invalid authorization header: expected 'Bearer <token>'"_s);
    return header.mid(prefix.size()).trimmed().toString();
}

bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace sightline::core::server
