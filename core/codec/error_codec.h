#pragma once

#include "core/error.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace sightline::core::codec {

/// Error payloads on the wire (protocol §1.4): `{"type": string, "data": string}`,
/// with type `nil` for "no error".

/// `{"type":"nil","data":""}` for nullopt, else `{"type":…,"data":…}`. Never emits an empty
/// type (the TypeScript client reads `""` as an unknown error).
[[nodiscard]] QJsonObject encodeErrorPayload(const std::optional<Error>& error);

/// nullopt for a missing/null payload, type `nil`, or `""` with empty data (Go's nil);
/// an Error otherwise. A payload that is not `{type: string, data: string}` is reported as a
/// `sightline.decode` error in the outer Result.
[[nodiscard]] Result<std::optional<Error>> decodeErrorPayload(const QJsonValue& payload);

/// The details carried by `sy.validation.path` errors: the field path and the inner error.
struct PathErrorDetails
{
    QStringList path;
    Error inner;
};
/// Builds a `sy.validation.path` error whose data is `{"path":[…],"error":{type,data}}`.
[[nodiscard]] Error makePathError(const QStringList& path, const Error& inner);
/// Reads the details of a `sy.validation.path` error; nullopt when its data is not that JSON.
[[nodiscard]] std::optional<PathErrorDetails> parsePathError(const Error& error);

} // namespace sightline::core::codec
