// libFuzzer target: the binary frame decoder (protocol §4.5) on untrusted bytes.
// Properties checked beyond "no crash, no out-of-bounds read":
//  - a decoded frame never holds more sample bytes than the input had;
//  - a frame that decodes under the current key set re-encodes and decodes to the same frame.

#include "core/codec/byte_io.h"
#include "core/codec/frame_codec.h"
#include "core/codec/framer_message.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace sightline::core;
using namespace sightline::core::codec;

namespace {

FrameCodec makeCodec()
{
    FrameCodec codec;
    codec.update(std::vector<KeyType> { { 1, DataType::Float64 }, { 2, DataType::Float32 } });
    codec.update(std::vector<KeyType> { { 5, DataType::String }, { 6, DataType::Uint8 } });
    codec.update(std::vector<KeyType> { { 1048577, DataType::Timestamp },
        { 1048578, DataType::Int16 },
        { 1048579, DataType::Json } });
    return codec;
}

void require(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const FrameCodec codec = makeCodec();
    QByteArrayView bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    // Inputs starting with a framer prefix exercise the message split too.
    if (auto message = splitFramerMessage(bytes); message && message->prefix == FramerPrefix::Frame)
        bytes = message->body;

    const auto frame = codec.decode(bytes);
    if (!frame)
        return 0;
    require(frame->byteSize() <= size);
    for (const Series& series : frame->series())
        require(series.dataType().isValid());
    if (loadLE<std::uint32_t>(bytes.data() + 1) == codec.seqNum()) {
        const auto encoded = codec.encode(*frame);
        require(encoded.has_value());
        const auto again = codec.decode(*encoded);
        require(again.has_value());
        require(again->byteSize() == frame->byteSize());
        require(again->size() == frame->size());
    }
    return 0;
}
