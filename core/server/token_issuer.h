#pragma once

#include "core/error.h"
#include "core/telem/time.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace sightline::core::server {

/// Who a verified token speaks for, and until when.
struct TokenGrant
{
    QString user;
    TimeStamp expires;
};

/// Issues and verifies signed, expiring bearer tokens: `base64url(claims).base64url(HMAC-SHA256)`.
/// Tokens are URL-safe (they travel in WebSocket query strings). A token verifies only when
/// its subject is a user of the cluster and it expires no later than one lifetime from now (a
/// token minted with a stolen secret for an unknown user, or valid for years, is refused).
/// Thread-safe (immutable).
class TokenIssuer
{
public:
    static constexpr TimeSpan DefaultLifetime = TimeSpan::hours(24);

    /// `secret` signs tokens; keep it at least 32 random bytes. `users` are the subjects a
    /// token may name.
    TokenIssuer(QByteArray secret, QStringList users, TimeSpan lifetime = DefaultLifetime);

    /// A token for `username` valid from `now` for the lifetime.
    [[nodiscard]] QString issue(const QString& username, TimeStamp now) const;
    /// The username a token was issued to; `sy.auth.invalid_token` when it is malformed, its
    /// signature is wrong, its subject is no user or it expires too far ahead,
    /// `sy.auth.expired_token` when it has expired.
    [[nodiscard]] Result<QString> verify(QStringView token, TimeStamp now) const;
    /// As verify(), with the token's expiry (a stream ends when its token does).
    [[nodiscard]] Result<TokenGrant> grant(QStringView token, TimeStamp now) const;

    /// 32 random bytes from the system's secure generator.
    [[nodiscard]] static QByteArray randomSecret();

private:
    [[nodiscard]] QByteArray sign(const QByteArray& claims) const;

    QByteArray m_secret;
    QStringList m_users;
    TimeSpan m_lifetime;
};

/// The token of an `Authorization: Bearer <token>` header; `sy.auth` when absent or malformed.
[[nodiscard]] Result<QString> bearerToken(QStringView header);

/// Compares two byte strings in time independent of where they differ.
[[nodiscard]] bool constantTimeEquals(const QByteArray& a, const QByteArray& b);

} // namespace sightline::core::server
