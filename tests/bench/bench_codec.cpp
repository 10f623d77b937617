// Frame codec throughput: encode and decode of 1 and 64 channels × 1 k and 100 k float32 and
// float64 samples, beside a plain memcpy of the same bytes in the same run (the ceiling).
// Usage: bench_codec [--quick]

#include "core/allocator_tuning.h"
#include "core/codec/frame_codec.h"

#include <cstring>
#include <string>
#include <vector>

#include "support/bench_report.h"

using namespace sightline::core;
using namespace sightline::core::codec;
using sightline::bench::keep;
using sightline::bench::report;
using sightline::bench::secondsPerRun;

namespace {

struct Case
{
    DataType type;
    int channels;
    int samples;

    [[nodiscard]] std::string name() const
    {
        const std::string typeName = type == DataType(DataType::Float32) ? "f32" : "f64";
        const std::string count
            = samples >= 1000 ? std::to_string(samples / 1000) + "k" : std::to_string(samples);
        return typeName + "x" + std::to_string(channels) + "." + count;
    }
};

Frame makeFrame(const Case& c, std::vector<KeyType>& keys)
{
    Frame frame;
    for (int ch = 0; ch < c.channels; ++ch) {
        const auto key = static_cast<ChannelKey>((1U << 20) + 2 + ch);
        keys.push_back({ key, c.type });
        QByteArray raw(c.samples * c.type.density(), Qt::Uninitialized);
        for (qsizetype i = 0; i < raw.size(); ++i)
            raw[i] = static_cast<char>(i * 31 + ch);
        Series series = *Series::fromBytes(c.type, raw);
        series.setTimeRange({ TimeStamp { 1'000 }, TimeStamp { 2'000 } });
        frame.add(key, std::move(series));
    }
    return frame;
}

void runCase(const Case& c, double minSeconds)
{
    std::vector<KeyType> keys;
    const Frame frame = makeFrame(c, keys);
    FrameCodec codec;
    codec.update(keys);
    const QByteArray encoded = *codec.encode(frame);
    const double bytes = static_cast<double>(frame.byteSize());
    const double samples = static_cast<double>(frame.sampleCount());

    QByteArray reused;
    const double encodeSeconds = secondsPerRun(
        [&] {
            keep(codec.encodeInto(frame, reused));
            keep(reused);
        },
        minSeconds);
    const double encodeFreshSeconds = secondsPerRun([&] { keep(codec.encode(frame)); }, minSeconds);
    const double decodeSeconds = secondsPerRun([&] { keep(codec.decode(encoded)); }, minSeconds);
    std::vector<char> target(static_cast<std::size_t>(encoded.size()));
    const double memcpySeconds = secondsPerRun(
        [&] {
            std::memcpy(target.data(), encoded.constData(), target.size());
            keep(target);
        },
        minSeconds);

    const std::string name = c.name();
    report("codec.encode." + name, bytes / encodeSeconds / 1e9, "GB/s");
    report("codec.encode." + name + ".samples", samples / encodeSeconds, "samples/s");
    report("codec.encode_new_buffer." + name, bytes / encodeFreshSeconds / 1e9, "GB/s");
    report("codec.decode." + name, bytes / decodeSeconds / 1e9, "GB/s");
    report("codec.decode." + name + ".samples", samples / decodeSeconds, "samples/s");
    report("codec.memcpy." + name, bytes / memcpySeconds / 1e9, "GB/s");
    report("codec.decode_vs_memcpy." + name, memcpySeconds / decodeSeconds, "x");
    report("codec.encode_vs_memcpy." + name, memcpySeconds / encodeSeconds, "x");
}

} // namespace

int main(int argc, char* argv[])
{
    sightline::core::tuneAllocator(); // as the app runs
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const double minSeconds = quick ? 0.001 : 0.25;
    for (const DataType type : { DataType(DataType::Float32), DataType(DataType::Float64) }) {
        for (const int channels : { 1, 64 }) {
            for (const int samples : { 1'000, 100'000 })
                runCase({ type, channels, samples }, minSeconds);
        }
    }
    return 0;
}
