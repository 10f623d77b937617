#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>

#include <optional>

namespace sightline::core::codec {

/// One WebSocket stream message (protocol §1.5): `{"type": "open"|"data"|"close",
/// "payload": …, "error": {type, data}}`.
struct Envelope
{
    enum class Type { Open, Data, Close };

    Type type = Type::Data;
    /// Always written (as null when undefined): the TypeScript client rejects a missing payload.
    QJsonValue payload;
    /// For Close: the reason (nullopt is written as `freighter.eof`, the normal end).
    /// Ignored for Open and Data, as Synnax's clients ignore it.
    std::optional<Error> error;

    static Envelope open() { return { Type::Open, QJsonValue::Null, std::nullopt }; }
    static Envelope data(QJsonValue payload)
    {
        return { Type::Data, std::move(payload), std::nullopt };
    }
    static Envelope close(std::optional<Error> reason = std::nullopt)
    {
        return { Type::Close, QJsonValue::Null, std::move(reason) };
    }
};

/// Compact JSON of the envelope. A close always carries an error (EOF when none is set).
[[nodiscard]] QByteArray encodeEnvelope(const Envelope& envelope);

/// Parses one envelope from untrusted bytes. A missing payload reads as null (clients send
/// `{"type":"close"}`); a close without an error, or with a nil one, reads as EOF.
[[nodiscard]] Result<Envelope> decodeEnvelope(QByteArrayView bytes);

} // namespace sightline::core::codec
