#include "core/codec/frame_codec.h"

#include "core/codec/byte_io.h"

#include <algorithm>
#include <limits>
#include <numeric>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

namespace {

    constexpr std::size_t TimeRangeBytes = 16;
    constexpr std::size_t AlignmentBytes = 8;

    tl::unexpected<Error> invalid(const QString& message)
    {
        return fail(errors::Validation, u"frame codec: "_s + message);
    }

    /// Bounds-checked cursor over untrusted bytes.
    class Reader
    {
    public:
        explicit Reader(QByteArrayView bytes)
            : m_data(reinterpret_cast<const std::byte*>(bytes.data()))
            , m_size(static_cast<std::size_t>(bytes.size()))
        {
        }
        [[nodiscard]] std::size_t remaining() const { return m_size - m_at; }
        [[nodiscard]] bool has(std::size_t n) const { return remaining() >= n; }
        template <typename T> T read()
        {
            const T value = loadLE<T>(m_data + m_at);
            m_at += sizeof(T);
            return value;
        }
        QByteArrayView take(std::size_t n)
        {
            const QByteArrayView view(reinterpret_cast<const char*>(m_data + m_at),
                static_cast<qsizetype>(n));
            m_at += n;
            return view;
        }

    private:
        const std::byte* m_data;
        std::size_t m_size;
        std::size_t m_at = 0;
    };

    /// Which header fields a frame shares across its series.
    struct Layout
    {
        std::uint8_t flags = 0;
        std::uint32_t sharedLength = 0;
        TimeRange sharedRange;
        std::uint64_t sharedAlignment = 0;

        [[nodiscard]] bool has(std::uint8_t flag) const { return (flags & flag) != 0; }
    };

    /// Bytes of one series on the wire: a sample count for fixed types, a byte size for variable.
    std::uint64_t lengthField(const Series& series)
    {
        return series.dataType().isVariable() ? series.byteSize() : series.size();
    }

    /// The most compact header for the series in `order` (sorted by key) under a key set.
    Layout chooseLayout(const Frame& frame,
        const std::vector<std::size_t>& order,
        const std::vector<ChannelKey>& stateKeys,
        bool stateHasVariable,
        bool allowAllPresent)
    {
        Layout layout;
        layout.flags = FrameFlags::EqualTimeRanges | FrameFlags::EqualAlignments;
        if (!stateHasVariable)
            layout.flags |= FrameFlags::EqualLengths;
        if (!order.empty()) {
            const Series& first = frame.seriesAt(order.front());
            layout.sharedLength = static_cast<std::uint32_t>(first.size());
            layout.sharedRange = first.timeRange();
            layout.sharedAlignment = first.alignment();
        }
        for (std::size_t i : order) {
            const Series& s = frame.seriesAt(i);
            if (s.size() != layout.sharedLength)
                layout.flags &= ~FrameFlags::EqualLengths;
            if (s.timeRange() != layout.sharedRange)
                layout.flags &= ~FrameFlags::EqualTimeRanges;
            if (s.alignment() != layout.sharedAlignment)
                layout.flags &= ~FrameFlags::EqualAlignments;
        }
        if (layout.has(FrameFlags::EqualTimeRanges) && layout.sharedRange.isZero())
            layout.flags |= FrameFlags::TimeRangesZero;
        if (layout.has(FrameFlags::EqualAlignments) && layout.sharedAlignment == 0)
            layout.flags |= FrameFlags::ZeroAlignments;
        bool oneEach = allowAllPresent && order.size() == stateKeys.size();
        for (std::size_t n = 0; oneEach && n < order.size(); ++n)
            oneEach = frame.keyAt(order[n]) == stateKeys[n];
        if (oneEach)
            layout.flags |= FrameFlags::AllChannelsPresent;
        return layout;
    }

} // namespace

const DataType* FrameCodec::State::typeOf(ChannelKey key) const
{
    const auto it = std::lower_bound(keys.begin(), keys.end(), key);
    if (it == keys.end() || *it != key)
        return nullptr;
    return &types[static_cast<std::size_t>(it - keys.begin())];
}

std::uint32_t FrameCodec::update(std::span<const KeyType> keys)
{
    std::vector<KeyType> sorted(keys.begin(), keys.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const KeyType& a, const KeyType& b) {
        return a.key < b.key;
    });
    State state;
    for (const KeyType& entry : sorted) {
        if (!state.keys.empty() && state.keys.back() == entry.key)
            continue;
        state.keys.push_back(entry.key);
        state.types.push_back(entry.dataType);
        state.hasVariable = state.hasVariable || entry.dataType.isVariable();
    }
    ++m_seqNum;
    m_states[m_seqNum] = std::move(state);
    while (m_states.size() > MaxRetainedStates)
        m_states.erase(m_states.begin());
    return m_seqNum;
}

bool FrameCodec::hasKey(ChannelKey key) const
{
    const State* state = stateFor(m_seqNum);
    return state != nullptr && state->typeOf(key) != nullptr;
}

const FrameCodec::State* FrameCodec::stateFor(std::uint32_t seqNum) const
{
    const auto it = m_states.find(seqNum);
    return it == m_states.end() ? nullptr : &it->second;
}

Result<QByteArray> FrameCodec::encode(const Frame& frame, const FrameEncodeOptions& options) const
{
    QByteArray out;
    if (auto ok = encodeInto(frame, out, options); !ok)
        return tl::unexpected(ok.error());
    return out;
}

Result<void> FrameCodec::encodeInto(
    const Frame& frame, QByteArray& out, const FrameEncodeOptions& options) const
{
    const State* state = stateFor(m_seqNum);
    if (state == nullptr)
        return invalid(u"cannot encode before the codec has a key set"_s);

    // Series in key order, then alignment, as Synnax's encoder writes them.
    std::vector<std::size_t> order(frame.size());
    std::iota(order.begin(), order.end(), std::size_t { 0 });
    std::stable_sort(order.begin(), order.end(), [&frame](std::size_t a, std::size_t b) {
        if (frame.keyAt(a) != frame.keyAt(b))
            return frame.keyAt(a) < frame.keyAt(b);
        return frame.seriesAt(a).alignment() < frame.seriesAt(b).alignment();
    });

    for (std::size_t i : order) {
        const DataType* type = state->typeOf(frame.keyAt(i));
        if (type == nullptr)
            return invalid(u"channel %1 is not in the codec's key set"_s.arg(frame.keyAt(i)));
        if (!type->isCompatibleWith(frame.seriesAt(i).dataType()))
            return invalid(u"channel %1 is %2 but the series is %3"_s.arg(frame.keyAt(i))
                               .arg(type->name(), frame.seriesAt(i).dataType().name()));
        if (lengthField(frame.seriesAt(i)) > std::numeric_limits<std::uint32_t>::max())
            return invalid(
                u"series of channel %1 is too large for one frame"_s.arg(frame.keyAt(i)));
    }

    const Layout layout = chooseLayout(frame,
        order,
        state->keys,
        state->hasVariable,
        options.allowAllChannelsPresent);
    const bool keyed = !layout.has(FrameFlags::AllChannelsPresent);
    const bool perLength = !layout.has(FrameFlags::EqualLengths);
    const bool perRange = !layout.has(FrameFlags::EqualTimeRanges);
    const bool perAlignment = !layout.has(FrameFlags::EqualAlignments);
    std::size_t size = (options.withPrefix ? 1 : 0) + 1 + 4;
    if (!perLength)
        size += 4;
    if (layout.has(FrameFlags::EqualTimeRanges) && !layout.has(FrameFlags::TimeRangesZero))
        size += TimeRangeBytes;
    if (layout.has(FrameFlags::EqualAlignments) && !layout.has(FrameFlags::ZeroAlignments))
        size += AlignmentBytes;
    const std::size_t perSeries = (keyed ? 4 : 0) + (perLength ? 4 : 0)
        + (perRange ? TimeRangeBytes : 0) + (perAlignment ? AlignmentBytes : 0);
    size += perSeries * order.size() + frame.byteSize();

    out.resize(static_cast<qsizetype>(size));
    auto* at = reinterpret_cast<std::byte*>(out.data());
    const auto put = [&at](auto value) {
        storeLE(at, value);
        at += sizeof(value);
    };
    if (options.withPrefix)
        put(std::uint8_t { 0xFF });
    put(layout.flags);
    put(m_seqNum);
    if (!perLength)
        put(layout.sharedLength);
    if (layout.has(FrameFlags::EqualTimeRanges) && !layout.has(FrameFlags::TimeRangesZero)) {
        put(layout.sharedRange.start.nanoseconds());
        put(layout.sharedRange.end.nanoseconds());
    }
    if (layout.has(FrameFlags::EqualAlignments) && !layout.has(FrameFlags::ZeroAlignments))
        put(layout.sharedAlignment);
    for (std::size_t i : order) {
        const Series& s = frame.seriesAt(i);
        if (keyed)
            put(frame.keyAt(i));
        if (perLength)
            put(static_cast<std::uint32_t>(lengthField(s)));
        if (s.byteSize() > 0)
            std::memcpy(at, s.bytes().data(), s.byteSize());
        at += s.byteSize();
        if (perRange) {
            put(s.timeRange().start.nanoseconds());
            put(s.timeRange().end.nanoseconds());
        }
        if (perAlignment)
            put(s.alignment());
    }
    return {};
}

Result<Frame> FrameCodec::decode(QByteArrayView bytes) const
{
    Reader in(bytes);
    if (!in.has(5))
        return invalid(u"frame header is truncated (%1 bytes)"_s.arg(bytes.size()));
    Layout layout;
    layout.flags = in.read<std::uint8_t>();
    const auto seqNum = in.read<std::uint32_t>();
    if ((layout.flags & ~FrameFlags::Known) != 0)
        return invalid(u"unknown flag bits 0x%1"_s.arg(layout.flags, 2, 16, QChar(u'0')));
    if (layout.has(FrameFlags::TimeRangesZero) && !layout.has(FrameFlags::EqualTimeRanges))
        return invalid(u"zero time ranges flagged without equal time ranges"_s);
    if (layout.has(FrameFlags::ZeroAlignments) && !layout.has(FrameFlags::EqualAlignments))
        return invalid(u"zero alignments flagged without equal alignments"_s);
    const State* state = stateFor(seqNum);
    if (state == nullptr)
        return invalid(u"unknown sequence number %1"_s.arg(seqNum));
    if (layout.has(FrameFlags::EqualLengths) && state->hasVariable)
        return invalid(u"equal lengths flagged for a key set with variable-density channels"_s);
    if (layout.has(FrameFlags::EqualLengths)) {
        if (!in.has(4))
            return invalid(u"frame header is truncated"_s);
        layout.sharedLength = in.read<std::uint32_t>();
    }
    if (layout.has(FrameFlags::EqualTimeRanges) && !layout.has(FrameFlags::TimeRangesZero)) {
        if (!in.has(TimeRangeBytes))
            return invalid(u"frame header is truncated"_s);
        layout.sharedRange.start = TimeStamp { in.read<std::int64_t>() };
        layout.sharedRange.end = TimeStamp { in.read<std::int64_t>() };
    }
    if (layout.has(FrameFlags::EqualAlignments) && !layout.has(FrameFlags::ZeroAlignments)) {
        if (!in.has(AlignmentBytes))
            return invalid(u"frame header is truncated"_s);
        layout.sharedAlignment = in.read<std::uint64_t>();
    }

    Frame frame;
    const auto readSeries = [&](ChannelKey key, DataType type) -> Result<void> {
        std::uint32_t length = layout.sharedLength;
        if (!layout.has(FrameFlags::EqualLengths)) {
            if (!in.has(4))
                return invalid(u"series length of channel %1 is truncated"_s.arg(key));
            length = in.read<std::uint32_t>();
        }
        const std::uint64_t byteCount = type.isVariable()
            ? length
            : std::uint64_t { length } * static_cast<std::uint64_t>(type.density());
        if (byteCount > in.remaining())
            return invalid(
                u"series of channel %1 claims %2 bytes but %3 remain"_s.arg(key).arg(byteCount).arg(
                    in.remaining()));
        const QByteArrayView data = in.take(static_cast<std::size_t>(byteCount));
        TimeRange range = layout.sharedRange;
        if (!layout.has(FrameFlags::EqualTimeRanges)) {
            if (!in.has(TimeRangeBytes))
                return invalid(u"time range of channel %1 is truncated"_s.arg(key));
            range.start = TimeStamp { in.read<std::int64_t>() };
            range.end = TimeStamp { in.read<std::int64_t>() };
        }
        std::uint64_t alignment = layout.sharedAlignment;
        if (!layout.has(FrameFlags::EqualAlignments)) {
            if (!in.has(AlignmentBytes))
                return invalid(u"alignment of channel %1 is truncated"_s.arg(key));
            alignment = in.read<std::uint64_t>();
        }
        auto series = Series::fromBytes(type, data, range, alignment);
        if (!series)
            return invalid(u"channel %1: %2"_s.arg(key).arg(series.error().message));
        frame.add(key, std::move(*series));
        return {};
    };

    if (layout.has(FrameFlags::AllChannelsPresent)) {
        for (std::size_t i = 0; i < state->keys.size(); ++i) {
            if (auto ok = readSeries(state->keys[i], state->types[i]); !ok)
                return tl::unexpected(ok.error());
        }
        if (in.remaining() != 0)
            return invalid(u"%1 bytes left after the last channel"_s.arg(in.remaining()));
        return frame;
    }
    while (in.remaining() > 0) {
        if (!in.has(4))
            return invalid(u"channel key is truncated"_s);
        const auto key = in.read<ChannelKey>();
        const DataType* type = state->typeOf(key);
        if (type == nullptr)
            return invalid(u"channel %1 is not in key set %2"_s.arg(key).arg(seqNum));
        if (auto ok = readSeries(key, *type); !ok)
            return tl::unexpected(ok.error());
    }
    return frame;
}

} // namespace sightline::core::codec
