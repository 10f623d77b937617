#include "core/codec/framer_message.h"

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

Result<FramerMessage> splitFramerMessage(QByteArrayView message)
{
    if (message.isEmpty())
        return fail(errors::Decode, u"empty framer message"_s);
    const auto prefix = static_cast<std::uint8_t>(message.front());
    if (prefix != static_cast<std::uint8_t>(FramerPrefix::Json)
        && prefix != static_cast<std::uint8_t>(FramerPrefix::Frame))
        return fail(errors::Decode,
            u"framer message starts with 0x%1, not 0xFE or 0xFF"_s.arg(prefix, 2, 16, QChar(u'0')));
    return FramerMessage { static_cast<FramerPrefix>(prefix), message.sliced(1) };
}

QByteArray encodeJsonFramerMessage(const Envelope& envelope)
{
    QByteArray out;
    const QByteArray json = encodeEnvelope(envelope);
    out.reserve(json.size() + 1);
    out.append(static_cast<char>(FramerPrefix::Json));
    out.append(json);
    return out;
}

} // namespace sightline::core::codec
