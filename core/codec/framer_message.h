#pragma once

#include "core/codec/envelope.h"
#include "core/error.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>

namespace sightline::core::codec {

/// Messages of the `application/vnd.synnax.frame` content type (protocol §1.6) start with a
/// prefix byte: 0xFE before a JSON envelope, 0xFF before a binary frame.
enum class FramerPrefix : std::uint8_t {
    Json = 0xFE,
    Frame = 0xFF,
};

/// A framer message split into its kind and its body (the bytes after the prefix).
struct FramerMessage
{
    FramerPrefix prefix = FramerPrefix::Json;
    QByteArrayView body;
};

/// Splits a message; an empty message or an unknown prefix byte is a sightline.decode error.
[[nodiscard]] Result<FramerMessage> splitFramerMessage(QByteArrayView message);

/// 0xFE followed by the envelope's JSON.
[[nodiscard]] QByteArray encodeJsonFramerMessage(const Envelope& envelope);

} // namespace sightline::core::codec
