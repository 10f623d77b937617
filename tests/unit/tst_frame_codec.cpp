#include "core/codec/byte_io.h"
#include "core/codec/frame_codec.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::codec;

namespace {

QByteArray hex(const char* text) { return QByteArray::fromHex(QByteArray(text).replace(' ', "")); }

Series floats64(
    std::initializer_list<double> values, TimeRange range = {}, std::uint64_t alignment = 0)
{
    Series s = Series::fromValues<double>(values);
    s.setTimeRange(range);
    s.setAlignment(alignment);
    return s;
}

TimeRange seconds(std::int64_t from, std::int64_t to)
{
    return { TimeStamp {} + TimeSpan::seconds(from), TimeStamp {} + TimeSpan::seconds(to) };
}

FrameCodec codecFor(std::vector<KeyType> keys)
{
    FrameCodec codec;
    codec.update(keys);
    return codec;
}

/// Frames compare after the encoder's canonical order (by key, then alignment).
Frame sortedByKey(const Frame& frame)
{
    std::vector<std::size_t> order(frame.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (frame.keyAt(a) != frame.keyAt(b))
            return frame.keyAt(a) < frame.keyAt(b);
        return frame.seriesAt(a).alignment() < frame.seriesAt(b).alignment();
    });
    Frame out;
    for (std::size_t i : order)
        out.add(frame.keyAt(i), frame.seriesAt(i));
    return out;
}

/// An independent writer of the §4.5 layout with explicitly chosen flags, so the decoder is
/// tested on every header combination, including ones our encoder would not pick.
QByteArray referenceEncode(const Frame& frame, std::uint8_t flags, std::uint32_t seq)
{
    QByteArray out;
    const auto put = [&out](auto value) {
        char bytes[sizeof(value)];
        storeLE(bytes, value);
        out.append(bytes, sizeof(value));
    };
    const bool all = flags & 0x01, trZero = flags & 0x02, eqTr = flags & 0x04, eqLen = flags & 0x08,
               eqAl = flags & 0x10, zeroAl = flags & 0x20;
    put(flags);
    put(seq);
    const Series& first = frame.seriesAt(0);
    if (eqLen)
        put(static_cast<std::uint32_t>(first.size()));
    if (eqTr && !trZero) {
        put(first.timeRange().start.nanoseconds());
        put(first.timeRange().end.nanoseconds());
    }
    if (eqAl && !zeroAl)
        put(first.alignment());
    for (std::size_t i = 0; i < frame.size(); ++i) {
        const Series& s = frame.seriesAt(i);
        if (!all)
            put(frame.keyAt(i));
        if (!eqLen)
            put(static_cast<std::uint32_t>(s.dataType().isVariable() ? s.byteSize() : s.size()));
        out.append(reinterpret_cast<const char*>(s.bytes().data()), qsizetype(s.byteSize()));
        if (!eqTr) {
            put(s.timeRange().start.nanoseconds());
            put(s.timeRange().end.nanoseconds());
        }
        if (!eqAl)
            put(s.alignment());
    }
    return out;
}

/// A frame on keys 1 and 2 whose series satisfy `flags` (equal fields equal, zero fields zero).
Frame frameFitting(std::uint8_t flags)
{
    const bool trZero = flags & 0x02, eqTr = flags & 0x04, eqLen = flags & 0x08,
               eqAl = flags & 0x10, zeroAl = flags & 0x20;
    const TimeRange shared = trZero ? TimeRange {} : seconds(1, 6);
    const std::uint64_t sharedAlignment = zeroAl ? 0 : (std::uint64_t { 3 } << 32) | 7;
    Frame frame;
    frame.add(1, floats64({ 1, 2, 3 }, shared, sharedAlignment));
    frame.add(2,
        floats64(eqLen ? std::initializer_list<double> { 4, 5, 6 }
                       : std::initializer_list<double> { 4 },
            eqTr ? shared : seconds(7, 9),
            eqAl ? sharedAlignment : 99));
    return frame;
}

} // namespace

class TestFrameCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesTheTypeScriptWriteBytes()
    {
        // protocol §4.5: 3 × float64 on one channel, flags 0x3D, as the official client writes.
        const FrameCodec codec = codecFor({ { 1048577, DataType::Float64 } });
        const QByteArray bytes = hex("3d 01000000 03000000 0000000000000000 0000000000000000"
                                     "000000000000f03f 0000000000000040 0000000000000840");
        const auto frame = codec.decode(bytes);
        QVERIFY2(frame.has_value(), qPrintable(frame ? QString() : frame.error().toString()));
        QCOMPARE(frame->keys(), (std::vector<ChannelKey> { 1048577 }));
        const auto values = frame->seriesAt(0).values<double>();
        QCOMPARE(std::vector<double>(values.begin(), values.end()),
            (std::vector<double> { 1, 2, 3 }));
        QVERIFY(frame->seriesAt(0).timeRange().isZero());
    }

    void encodesExactlyTheTypeScriptBytesWhenAllPresentIsAllowed()
    {
        // The same write with a 1 s → 6 s time range: byte-identical to the official encoder.
        const FrameCodec codec = codecFor({ { 1048577, DataType::Float64 } });
        Frame frame;
        frame.add(1048577, floats64({ 1, 2, 3 }, seconds(1, 6)));
        const auto bytes
            = codec.encode(frame, { .allowAllChannelsPresent = true, .withPrefix = true });
        QVERIFY(bytes.has_value());
        QCOMPARE(bytes->toHex(' '),
            hex("ff 3d 01000000 03000000 00ca9a3b00000000 00bca06501000000"
                "000000000000f03f 0000000000000040 0000000000000840")
                .toHex(' '));
    }

    void towardClientsKeysAreAlwaysExplicit()
    {
        // Keys 9 and 10 sort differently as strings: the TS decoder would swap them under
        // ALL_CHANNELS_PRESENT, so the default encoding writes every key.
        const FrameCodec codec = codecFor({ { 9, DataType::Float64 }, { 10, DataType::Float64 } });
        Frame frame;
        frame.add(10, floats64({ 10 }));
        frame.add(9, floats64({ 9 }));
        const auto bytes = codec.encode(frame);
        QVERIFY(bytes.has_value());
        const auto flags = static_cast<std::uint8_t>(bytes->at(0));
        QCOMPARE(flags & FrameFlags::AllChannelsPresent, 0);
        QCOMPARE(flags, std::uint8_t(0x3E));
        QCOMPARE(bytes->toHex(' '),
            hex("3e 01000000 01000000 09000000 0000000000002240 0a000000 0000000000002440")
                .toHex(' '));
        const auto decoded = codec.decode(*bytes);
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, sortedByKey(frame));
    }

    void encoderPicksCompactFlags_data()
    {
        QTest::addColumn<int>("wanted");
        // Every header our encoder can choose (bit 0 only when allowed).
        for (int flags = 0; flags < 64; ++flags) {
            if (((flags & 0x02) && !(flags & 0x04)) || ((flags & 0x20) && !(flags & 0x10)))
                continue;
            QTest::addRow("flags 0x%02x", flags) << flags;
        }
    }
    void encoderPicksCompactFlags()
    {
        QFETCH(int, wanted);
        const Frame frame = frameFitting(std::uint8_t(wanted));
        const FrameCodec codec = codecFor({ { 1, DataType::Float64 }, { 2, DataType::Float64 } });
        const auto bytes = codec.encode(frame, { .allowAllChannelsPresent = (wanted & 0x01) != 0 });
        QVERIFY(bytes.has_value());
        // The encoder sets every "equal"/"zero" flag the data allows: when the frame fits
        // `wanted`, it may compress further (e.g. equal ranges that also happen to be zero).
        const auto flags = static_cast<std::uint8_t>(bytes->at(0));
        QCOMPARE(flags & wanted, wanted);
        const auto decoded = codec.decode(*bytes);
        QVERIFY2(decoded.has_value(), qPrintable(decoded ? QString() : decoded.error().toString()));
        QCOMPARE(*decoded, frame);
    }

    void decoderReadsEveryFlagCombination_data()
    {
        QTest::addColumn<int>("flags");
        QTest::addColumn<bool>("valid");
        for (int flags = 0; flags < 64; ++flags) {
            const bool valid
                = !((flags & 0x02) && !(flags & 0x04)) && !((flags & 0x20) && !(flags & 0x10));
            QTest::addRow("flags 0x%02x", flags) << flags << valid;
        }
    }
    void decoderReadsEveryFlagCombination()
    {
        QFETCH(int, flags);
        QFETCH(bool, valid);
        const Frame frame = frameFitting(std::uint8_t(flags));
        const FrameCodec codec = codecFor({ { 1, DataType::Float64 }, { 2, DataType::Float64 } });
        const auto decoded = codec.decode(referenceEncode(frame, std::uint8_t(flags), 1));
        QCOMPARE(decoded.has_value(), valid);
        if (valid)
            QCOMPARE(*decoded, frame);
        else
            QVERIFY(decoded.error().matches(errors::Validation));
    }

    void everyDataTypeRoundTrips_data()
    {
        QTest::addColumn<int>("typeId");
        for (int id = int(DataType::Float64); id <= int(DataType::Bytes); ++id)
            QTest::addRow("%s", qPrintable(DataType(static_cast<DataType::Id>(id)).name())) << id;
    }
    void everyDataTypeRoundTrips()
    {
        QFETCH(int, typeId);
        const DataType type(static_cast<DataType::Id>(typeId));
        Series series;
        if (type.isVariable()) {
            series = Series::fromStrings({ u"{\"a\":1}"_s, QString(), u"line\nbreak"_s }, type);
        } else {
            QByteArray raw(type.density() * 5, '\0');
            for (qsizetype i = 0; i < raw.size(); ++i)
                raw[i] = char(i * 37 + typeId);
            series = *Series::fromBytes(type, raw, seconds(2, 3), 42);
        }
        FrameCodec codec = codecFor({ { 5, type }, { 6, DataType::Uint8 } });
        Frame frame;
        frame.add(5, series);
        frame.add(6, Series::fromValues<std::uint8_t>({ 1, 0, 1 }));
        for (bool allPresent : { false, true }) {
            const auto bytes = codec.encode(frame, { .allowAllChannelsPresent = allPresent });
            QVERIFY(bytes.has_value());
            if (type.isVariable())
                QCOMPARE(bytes->at(0) & FrameFlags::EqualLengths, 0);
            const auto decoded = codec.decode(*bytes);
            QVERIFY2(decoded.has_value(),
                qPrintable(decoded ? QString() : decoded.error().toString()));
            QCOMPARE(*decoded, frame);
        }
    }

    void repeatedKeysAndEmptyFrames()
    {
        const FrameCodec codec = codecFor({ { 1, DataType::Float64 }, { 2, DataType::Float64 } });
        Frame frame;
        frame.add(1, floats64({ 1 }, {}, 10));
        frame.add(1, floats64({ 2, 3 }, {}, 11));
        const auto decoded
            = codec.decode(*codec.encode(frame, { .allowAllChannelsPresent = true }));
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, frame);
        const auto empty = codec.decode(*codec.encode(Frame {}));
        QVERIFY(empty.has_value());
        QVERIFY(empty->empty());
    }

    void seqNumsStayInLockstep()
    {
        FrameCodec client;
        FrameCodec server;
        QCOMPARE(client.seqNum(), 0U);
        const std::vector<KeyType> first { { 1, DataType::Float64 } };
        const std::vector<KeyType> second { { 2, DataType::Float32 }, { 1, DataType::Float64 } };
        QCOMPARE(client.update(first), 1U);
        QCOMPARE(server.update(first), 1U);
        Frame oldFrame;
        oldFrame.add(1, floats64({ 1 }));
        const QByteArray inFlight = *server.encode(oldFrame);
        QCOMPARE(client.update(second), 2U);
        QCOMPARE(server.update(second), 2U);
        // A frame sent under the old key set still decodes after the update.
        QCOMPARE(*client.decode(inFlight), oldFrame);
        Frame newFrame;
        newFrame.add(2, Series::fromValues<float>({ 2 }));
        const QByteArray current = *server.encode(newFrame);
        QCOMPARE(loadLE<std::uint32_t>(current.constData() + 1), 2U);
        QCOMPARE(*client.decode(current), newFrame);
        QVERIFY(client.hasKey(2));
        QVERIFY(!client.hasKey(3));
    }

    void oldStatesAreBounded()
    {
        FrameCodec codec;
        const std::vector<KeyType> keys { { 1, DataType::Uint8 } };
        codec.update(keys);
        Frame frame;
        frame.add(1, Series::fromValues<std::uint8_t>({ 1 }));
        const QByteArray first = *codec.encode(frame);
        for (std::size_t i = 0; i < FrameCodec::MaxRetainedStates; ++i)
            codec.update(keys);
        const auto decoded = codec.decode(first);
        QVERIFY(!decoded.has_value());
        QVERIFY(decoded.error().message.contains(u"unknown sequence number 1"_s));
    }

    void encodeIntoReusesTheBuffer()
    {
        const FrameCodec codec = codecFor({ { 1, DataType::Float64 } });
        Frame big;
        big.add(1, floats64({ 1, 2, 3, 4, 5, 6, 7, 8 }));
        Frame small;
        small.add(1, floats64({ 9 }));
        QByteArray out;
        QVERIFY(codec.encodeInto(big, out).has_value());
        QCOMPARE(out, *codec.encode(big));
        const char* storage = out.constData();
        QVERIFY(codec.encodeInto(small, out).has_value());
        QCOMPARE(out, *codec.encode(small));
        QCOMPARE(out.constData(), storage);
        Frame stranger;
        stranger.add(2, floats64({ 1 }));
        QVERIFY(!codec.encodeInto(stranger, out).has_value());
        QCOMPARE(out, *codec.encode(small));
    }

    void encodeErrors()
    {
        FrameCodec none;
        Frame frame;
        frame.add(1, floats64({ 1 }));
        QVERIFY(!none.encode(frame).has_value());
        const FrameCodec codec = codecFor({ { 1, DataType::Float32 } });
        QVERIFY(codec.encode(frame).error().message.contains(u"float32"_s));
        Frame stranger;
        stranger.add(7, Series::fromValues<float>({ 1 }));
        QVERIFY(codec.encode(stranger).error().matches(errors::Validation));
        const FrameCodec stamps = codecFor({ { 1, DataType::Timestamp } });
        Frame ints;
        ints.add(1, Series::fromValues<std::int64_t>({ 5 }));
        QVERIFY(stamps.encode(ints).has_value());
    }

    void untrustedBytesGiveTypedErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("header only flags") << hex("00");
        QTest::newRow("unknown seq") << hex("00 09000000");
        QTest::newRow("unknown flag bits") << hex("40 01000000");
        QTest::newRow("zero ranges without equal ranges") << hex("02 01000000");
        QTest::newRow("zero alignments without equal alignments") << hex("20 01000000");
        QTest::newRow("equal lengths truncated") << hex("3e 01000000 0100");
        QTest::newRow("unknown key") << hex("36 01000000 63000000 00000000");
        QTest::newRow("truncated key") << hex("36 01000000 0100");
        QTest::newRow("oversize length") << hex("36 01000000 01000000 ffffffff 00");
        QTest::newRow("length past end") << hex("36 01000000 01000000 02000000 0000000000000000");
        QTest::newRow("trailing bytes after all channels")
            << hex("3f 01000000 01000000 000000000000f03f 01000000 000000000000f03f ff");
        QTest::newRow("missing channel under all present") << hex("3f 01000000 01000000");
        QTest::newRow("truncated time range") << hex("32 01000000 01000000 00000000 0000");
        QTest::newRow("truncated alignment") << hex("26 01000000 01000000 00000000 00");
        QTest::newRow("variable with equal lengths") << hex("3e 02000000 00000000");
        QTest::newRow("variable sample overruns")
            << hex("36 02000000 05000000 05000000 0900000000");
    }
    void untrustedBytesGiveTypedErrors()
    {
        QFETCH(QByteArray, bytes);
        FrameCodec codec;
        codec.update(std::vector<KeyType> { { 1, DataType::Float64 }, { 2, DataType::Float64 } });
        codec.update(std::vector<KeyType> { { 5, DataType::String } });
        const auto decoded = codec.decode(bytes);
        QVERIFY(!decoded.has_value());
        QVERIFY(decoded.error().matches(errors::Validation));
    }

    void everyTruncationIsAnErrorNotACrash()
    {
        const FrameCodec codec = codecFor({ { 1, DataType::Float64 }, { 2, DataType::String } });
        Frame frame;
        frame.add(1, floats64({ 1, 2 }, seconds(1, 2), 3));
        frame.add(2, Series::fromStrings({ u"ab"_s, u"c"_s }));
        const QByteArray whole = *codec.encode(frame);
        QVERIFY(codec.decode(whole).has_value());
        int errors = 0;
        for (qsizetype cut = 0; cut < whole.size(); ++cut) {
            const auto decoded = codec.decode(QByteArrayView(whole).first(cut));
            // A keyed frame cut exactly between series is a valid, shorter frame.
            if (!decoded.has_value())
                ++errors;
            else
                QVERIFY(decoded->size() < frame.size());
        }
        QVERIFY(errors >= whole.size() - 2);
    }
};

QTEST_APPLESS_MAIN(TestFrameCodec)
#include "tst_frame_codec.moc"
