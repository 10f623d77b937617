#pragma once

#include "core/error.h"
#include "core/telem/time.h"

#include <QByteArray>
#include <QString>

namespace sightline::core::server {

/// Issues and verifies signed, expiring bearer tokens: `base64url(claims).base64url(HMAC-SHA256)`.
/// Tokens are URL-safe (they travel in WebSocket query strings). Thread-safe (immutable).
class TokenIssuer
{
public:
    static constexpr TimeSpan DefaultLifetime = TimeSpan::hours(24);

    /// `secret` signs tokens; keep it at least 32 random bytes.
    explicit TokenIssuer(QByteArray secret, TimeSpan lifetime = DefaultLifetime);

    /// A token for `username` valid from `now` for the lifetime.
    [[nodiscard]] QString issue(const QString& username, TimeStamp now) const;
    /// The username a token was issued to; `sy.auth.invalid_token` when it is malformed or its
    /// signature is wrong, `sy.auth.expired_token` when it has expired.
    [[nodiscard]] Result<QString> verify(QStringView token, TimeStamp now) const;

    /// 32 random bytes from the system's secure generator.
    [[nodiscard]] static QByteArray randomSecret();

private:
    [[nodiscard]] QByteArray sign(const QByteArray& claims) const;

    QByteArray m_secret;
    TimeSpan m_lifetime;
};

/// The token of an `Authorization: Bearer <token>` header; `sy.auth` when absent or malformed.
[[nodiscard]] Result<QString> bearerToken(QStringView header);

/// Compares two byte strings in time independent of where they differ.
[[nodiscard]] bool constantTimeEquals(const QByteArray& a, const QByteArray& b);

} // namespace sightline::core::server
