#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

#include <tl/expected.hpp>

namespace sightline::core {

/// A typed error as Synnax spells it: a hierarchical, dot-separated type and a message.
/// Types from the cluster keep Synnax's strings (`sy.query.not_found`); errors that only the
/// client can raise live under `sightline.`.
struct Error
{
    QString type;
    QString message;

    /// True when this error's type is `prefix` or a descendant of it
    /// (`sy.query.not_found` matches `sy.query` and `sy` but not `sy.que`).
    [[nodiscard]] bool matches(QStringView prefix) const;
    /// `type: message`, for logs and error messages.
    [[nodiscard]] QString toString() const;

    friend bool operator==(const Error&, const Error&) = default;
};

template <typename T> using Result = tl::expected<T, Error>;

/// Builds an unexpected Error for `return fail(...)` in functions returning Result<T>.
[[nodiscard]] inline tl::unexpected<Error> fail(QString type, QString message)
{
    return tl::unexpected<Error> { Error { std::move(type), std::move(message) } };
}

/// Error type strings used on the wire by Synnax, and the client-side ones of Sightline.
namespace errors {
    inline const QString Nil = QStringLiteral("nil");
    inline const QString Unknown = QStringLiteral("unknown");
    inline const QString Eof = QStringLiteral("freighter.eof");
    inline const QString StreamClosed = QStringLiteral("freighter.stream_closed");
    inline const QString Unreachable = QStringLiteral("freighter.unreachable");
    inline const QString Validation = QStringLiteral("sy.validation");
    inline const QString ValidationPath = QStringLiteral("sy.validation.path");
    inline const QString Auth = QStringLiteral("sy.auth");
    inline const QString InvalidCredentials = QStringLiteral("sy.auth.invalid-credentials");
    inline const QString InvalidToken = QStringLiteral("sy.auth.invalid_token");
    inline const QString ExpiredToken = QStringLiteral("sy.auth.expired_token");
    inline const QString Query = QStringLiteral("sy.query");
    inline const QString NotFound = QStringLiteral("sy.query.not_found");
    inline const QString MultipleResults = QStringLiteral("sy.query.multiple_results");
    inline const QString UniqueViolation = QStringLiteral("sy.query.unique_violation");
    inline const QString InvalidParameters = QStringLiteral("sy.query.invalid_parameters");
    inline const QString Control = QStringLiteral("sy.control");
    inline const QString Unauthorized = QStringLiteral("sy.control.unauthorized");
    inline const QString Route = QStringLiteral("sy.route");
    inline const QString Unexpected = QStringLiteral("sy.unexpected");
    inline const QString Contiguity = QStringLiteral("sy.contiguity");
    /// The cluster's storage failed (disk full, I/O error, a corrupt file). A subtype of
    /// `sy.unexpected`, so Synnax clients, matching by prefix, see an UnexpectedError.
    inline const QString Storage = QStringLiteral("sy.unexpected.storage");
    /// Bytes from the network that do not decode (client-side).
    inline const QString Decode = QStringLiteral("sightline.decode");
    /// Bytes that decode but break the protocol's rules (client-side).
    inline const QString Protocol = QStringLiteral("sightline.protocol");
    /// Certificates and keys that cannot be created, read or used, and TLS connections that
    /// fail (Sightline's own).
    inline const QString Tls = QStringLiteral("sightline.tls");
    /// The caller cancelled the call (client-side).
    inline const QString Cancelled = QStringLiteral("sightline.cancelled");
    /// A value the caller passed that cannot be encoded (client-side).
    inline const QString Encode = QStringLiteral("sightline.encode");
} // namespace errors

} // namespace sightline::core

Q_DECLARE_METATYPE(sightline::core::Error)
