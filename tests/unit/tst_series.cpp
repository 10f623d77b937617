#include "core/telem/series.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace sightline::core;

class TestSeries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typedAccessDoesNotCopy()
    {
        const Series s = Series::fromValues<double>({ 1.0, 2.0, 3.0 });
        QCOMPARE(s.dataType(), DataType(DataType::Float64));
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s.byteSize(), std::size_t(24));
        const auto values = s.values<double>();
        QCOMPARE(values.size(), std::size_t(3));
        QCOMPARE(values[2], 3.0);
        QCOMPARE(static_cast<const void*>(values.data()),
            static_cast<const void*>(s.bytes().data()));
    }

    void typedAccessChecksType()
    {
        const Series s = Series::fromValues<float>({ 1.0F });
        QVERIFY(s.values<double>().empty());
        QVERIFY(s.values<std::int32_t>().empty());
        QCOMPARE(s.values<float>().size(), std::size_t(1));
        const Series stamps
            = Series::fromTimeStamps(std::vector { TimeStamp { 5 }, TimeStamp { 9 } });
        QCOMPARE(stamps.dataType(), DataType(DataType::Timestamp));
        QCOMPARE(stamps.values<std::int64_t>()[1], std::int64_t(9));
    }

    void valueAsDouble_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<double>("expected");
        QTest::newRow("int8 -1") << int(DataType::Int8) << QByteArray("\xff", 1) << -1.0;
        QTest::newRow("uint8 255") << int(DataType::Uint8) << QByteArray("\xff", 1) << 255.0;
        QTest::newRow("int16 -2") << int(DataType::Int16) << QByteArray("\xfe\xff", 2) << -2.0;
        QTest::newRow("uint16") << int(DataType::Uint16) << QByteArray("\x01\x01", 2) << 257.0;
        QTest::newRow("int32") << int(DataType::Int32) << QByteArray("\xff\xff\xff\xff", 4) << -1.0;
        QTest::newRow("uint32") << int(DataType::Uint32) << QByteArray("\x00\x00\x01\x00", 4)
                                << 65536.0;
        QTest::newRow("float32 1.5")
            << int(DataType::Float32) << QByteArray("\x00\x00\xc0\x3f", 4) << 1.5;
        QTest::newRow("float64 1.0")
            << int(DataType::Float64) << QByteArray("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8) << 1.0;
        QTest::newRow("int64 -3") << int(DataType::Int64)
                                  << QByteArray("\xfd\xff\xff\xff\xff\xff\xff\xff", 8) << -3.0;
        QTest::newRow("uint64 2^32")
            << int(DataType::Uint64) << QByteArray("\x00\x00\x00\x00\x01\x00\x00\x00", 8)
            << 4294967296.0;
        QTest::newRow("timestamp 7")
            << int(DataType::Timestamp) << QByteArray("\x07\x00\x00\x00\x00\x00\x00\x00", 8) << 7.0;
    }
    void valueAsDouble()
    {
        QFETCH(int, typeId);
        QFETCH(QByteArray, bytes);
        QFETCH(double, expected);
        const auto s = Series::fromBytes(DataType(static_cast<DataType::Id>(typeId)), bytes);
        QVERIFY(s.has_value());
        QCOMPARE(s->size(), std::size_t(1));
        QCOMPARE(s->valueAsDouble(0), expected);
        QVERIFY(std::isnan(s->valueAsDouble(1)));
    }

    void variableDensitySamples()
    {
        const Series s = Series::fromStrings({ u"a"_s, QString(), u"line\nbreak ✓"_s });
        QCOMPARE(s.dataType(), DataType(DataType::String));
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s.stringAt(0), u"a"_s);
        QCOMPARE(s.stringAt(1), QString());
        QCOMPARE(s.stringAt(2), u"line\nbreak ✓"_s);
        // Wire form: u32 LE length, then bytes, per sample.
        QCOMPARE(s.byteSize(), std::size_t(4 + 1 + 4 + 0 + 4 + 14));
        QCOMPARE(s.sampleBytes(0), QByteArrayView("a"));
        QVERIFY(std::isnan(s.valueAsDouble(0)));
    }

    void fromBytesValidates_data()
    {
        QTest::addColumn<int>("typeId");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("float64 whole") << int(DataType::Float64) << QByteArray(16, '\0') << true;
        QTest::newRow("float64 partial") << int(DataType::Float64) << QByteArray(12, '\0') << false;
        QTest::newRow("unknown type") << int(DataType::Unknown) << QByteArray() << false;
        QTest::newRow("string ok")
            << int(DataType::String) << QByteArray("\x02\x00\x00\x00hi", 6) << true;
        QTest::newRow("string overrun")
            << int(DataType::String) << QByteArray("\x05\x00\x00\x00hi", 6) << false;
        QTest::newRow("string short prefix")
            << int(DataType::Json) << QByteArray("\x01\x00", 2) << false;
        QTest::newRow("huge length")
            << int(DataType::Bytes) << QByteArray("\xff\xff\xff\xff", 4) << false;
        QTest::newRow("empty string series") << int(DataType::String) << QByteArray() << true;
    }
    void fromBytesValidates()
    {
        QFETCH(int, typeId);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        const auto s = Series::fromBytes(DataType(static_cast<DataType::Id>(typeId)), bytes);
        QCOMPARE(s.has_value(), valid);
        if (!valid)
            QVERIFY(s.error().matches(errors::Validation));
    }

    void appendJoinsSamplesAndRanges()
    {
        Series a = Series::fromValues<float>({ 1, 2 });
        a.setTimeRange({ TimeStamp { 10 }, TimeStamp { 20 } });
        a.setAlignment(5);
        Series b = Series::fromValues<float>({ 3 });
        b.setTimeRange({ TimeStamp { 20 }, TimeStamp { 30 } });
        QVERIFY(a.append(b).has_value());
        QCOMPARE(a.size(), std::size_t(3));
        QCOMPARE(a.values<float>()[2], 3.0F);
        QCOMPARE(a.timeRange(), (TimeRange { TimeStamp { 10 }, TimeStamp { 30 } }));
        QCOMPARE(a.alignment(), std::uint64_t(5));
        const auto mismatch = a.append(Series::fromValues<double>({ 1.0 }));
        QVERIFY(!mismatch.has_value());
        QCOMPARE(a.size(), std::size_t(3));

        Series strings = Series::fromStrings({ u"x"_s });
        QVERIFY(strings.append(Series::fromStrings({ u"yz"_s })).has_value());
        QCOMPARE(strings.size(), std::size_t(2));
        QCOMPARE(strings.stringAt(1), u"yz"_s);

        Series empty;
        QVERIFY(empty.append(b).has_value());
        QCOMPARE(empty, b);
    }
};

QTEST_APPLESS_MAIN(TestSeries)
#include "tst_series.moc"
