// libFuzzer target: what the app does with a streamed message from a cluster it cannot
// trust. The bytes go through the framer split and the binary frame decoder, then into the
// live store (out-of-order, repeated and absurd timestamps, mismatched lengths, unknown
// keys) — several messages per input, so ring wrap and time resets are reached.
// Properties beyond "no crash, no out-of-bounds access": every channel's samples stay in
// strictly increasing time order, and no channel holds more than its ring.

#include "core/codec/frame_codec.h"
#include "core/codec/framer_message.h"
#include "core/store/live_store.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace sightline::core;
using namespace sightline::core::codec;

namespace {

constexpr ChannelKey Index = 1048577;
constexpr ChannelKey Data = 1048578;
constexpr ChannelKey Small = 1048579;
constexpr std::size_t MaxSamples = 64;

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::vector<Channel> channels()
{
    Channel index;
    index.key = Index;
    index.name = QStringLiteral("time");
    index.dataType = DataType::Timestamp;
    index.isIndex = true;
    index.index = Index;
    Channel data;
    data.key = Data;
    data.name = QStringLiteral("pressure");
    data.dataType = DataType::Float64;
    data.index = Index;
    Channel small = data;
    small.key = Small;
    small.name = QStringLiteral("valve");
    small.dataType = DataType::Int16;
    return { index, data, small };
}

void checkOrdered(const store::LiveStore& live, ChannelKey key)
{
    const std::size_t count = live.sampleCount(key);
    require(count <= MaxSamples);
    if (count == 0)
        return;
    const auto oldest = live.oldest(key);
    const auto latest = live.latest(key);
    require(oldest && latest);
    require(count == 1 ? oldest->stamp == latest->stamp : oldest->stamp < latest->stamp);
    require(live.newestStamp() >= latest->stamp.nanoseconds());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FrameCodec codec;
    codec.update(std::vector<KeyType> { { Index, DataType::Timestamp },
        { Data, DataType::Float64 },
        { Small, DataType::Int16 } });
    store::LiveStore live(1u << 20, MaxSamples);
    live.track(channels());
    // Messages are separated by the bytes "\xff\xfe\xfd" so one input is a stream of them.
    const QByteArrayView all(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    qsizetype from = 0;
    while (from <= all.size()) {
        qsizetype to = QByteArrayView(all).sliced(from).indexOf(QByteArrayView("\xff\xfe\xfd"));
        to = to < 0 ? all.size() : from + to;
        QByteArrayView bytes = all.sliced(from, to - from);
        from = to + 3;
        if (auto message = splitFramerMessage(bytes);
            message && message->prefix == FramerPrefix::Frame)
            bytes = message->body;
        const auto frame = codec.decode(bytes);
        if (!frame)
            continue;
        live.ingest(*frame);
        for (const ChannelKey key : { Data, Small })
            checkOrdered(live, key);
    }
    return 0;
}
