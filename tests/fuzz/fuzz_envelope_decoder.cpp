// libFuzzer target: the WebSocket envelope decoder and the JSON payloads inside it (frames,
// channel records, error payloads). Properties: no crash; a decoded envelope re-encodes to
// JSON that decodes to the same message type.

#include "core/codec/envelope.h"
#include "core/codec/error_codec.h"
#include "core/codec/telem_json.h"

#include <QJsonObject>

#include <cstdint>
#include <cstdlib>

using namespace sightline::core;
using namespace sightline::core::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto envelope = decodeEnvelope(bytes);
    if (!envelope)
        return 0;
    const QJsonObject payload = envelope->payload.toObject();
    (void)frameFromJson(payload.value(QLatin1StringView("frame")));
    (void)channelsFromJson(payload.value(QLatin1StringView("channels")));
    (void)decodeErrorPayload(payload.value(QLatin1StringView("err")));
    (void)seriesFromJson(payload.value(QLatin1StringView("series")));

    const auto again = decodeEnvelope(encodeEnvelope(*envelope));
    if (!again || again->type != envelope->type)
        std::abort();
    return 0;
}
