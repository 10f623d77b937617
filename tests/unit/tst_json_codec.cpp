#include "core/codec/json_values.h"
#include "core/codec/telem_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::codec;

namespace {
QJsonValue parse(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object().value(u"v");
}
} // namespace

class TestJsonCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void int64Values_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("value");
        QTest::newRow("string") << QByteArray(R"({"v":"1000000000"})") << true
                                << qint64(1'000'000'000);
        QTest::newRow("negative string") << QByteArray(R"({"v":"-1"})") << true << qint64(-1);
        QTest::newRow("max string")
            << QByteArray(R"({"v":"9223372036854775807"})") << true << qint64(INT64_MAX);
        QTest::newRow("number") << QByteArray(R"({"v":1234})") << true << qint64(1234);
        QTest::newRow("large exact number") << QByteArray(R"({"v":1763906334123456789})") << true
                                            << qint64(1'763'906'334'123'456'789);
        QTest::newRow("fraction") << QByteArray(R"({"v":1.5})") << false << qint64(0);
        QTest::newRow("overflow string")
            << QByteArray(R"({"v":"9223372036854775808"})") << false << qint64(0);
        QTest::newRow("iso string is not accepted")
            << QByteArray(R"({"v":"2026-01-01T00:00:00Z"})") << false << qint64(0);
        QTest::newRow("bool") << QByteArray(R"({"v":true})") << false << qint64(0);
        QTest::newRow("missing") << QByteArray(R"({})") << false << qint64(0);
    }
    void int64Values()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        QFETCH(qint64, value);
        const auto parsed = timeStampFromJson(parse(json.constData()), u"time");
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(parsed->nanoseconds(), value);
        else
            QVERIFY(parsed.error().message.startsWith(u"time must be"_s));
    }

    void sixtyFourBitValuesAreWrittenAsStrings()
    {
        QCOMPARE(toJson(TimeStamp { INT64_MAX }), QJsonValue(u"9223372036854775807"_s));
        QCOMPARE(toJson(TimeSpan::Auto), QJsonValue(u"-1"_s));
        QCOMPARE(uint64ToJson(UINT64_MAX), QJsonValue(u"18446744073709551615"_s));
        QCOMPARE(*uint64FromJson(QJsonValue(u"18446744073709551615"_s), u"a"), UINT64_MAX);
        QVERIFY(!uint64FromJson(QJsonValue(u"-1"_s), u"a").has_value());
        QVERIFY(!uint32FromJson(QJsonValue(4294967296.0), u"k").has_value());
        QCOMPARE(*uint32FromJson(QJsonValue(u"1048577"_s), u"k"), 1048577U);
        QCOMPARE(toJson(TimeRange::max()),
            (QJsonObject { { u"start"_s, u"0"_s }, { u"end"_s, u"9223372036854775807"_s } }));
        QCOMPARE(timeStampFromJson(QJsonObject { { u"value"_s, u"5"_s } }, u"t")->nanoseconds(), 5);
    }

    void seriesJson()
    {
        Series series = Series::fromValues<double>({ 1, 2, 3 });
        series.setTimeRange({ TimeStamp { 1'000'000'000 }, TimeStamp { 6'000'000'000 } });
        series.setAlignment((std::uint64_t { 1 } << 32) | 5);
        const QJsonObject json = toJson(series);
        QCOMPARE(json.value(u"data_type").toString(), u"float64"_s);
        QCOMPARE(json.value(u"alignment").toString(), u"4294967301"_s);
        QCOMPARE(json.value(u"time_range").toObject().value(u"start").toString(), u"1000000000"_s);
        QCOMPARE(json.value(u"data").toString(), u"AAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhA"_s);
        QCOMPARE(*seriesFromJson(json), series);
    }

    void seriesJsonAcceptsWhatGoSends_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("samples");
        QTest::newRow("numeric alignment")
            << QByteArray(R"({"v":{"data_type":"uint8","data":"AQI=","alignment":7}})") << true
            << 2;
        QTest::newRow("null data")
            << QByteArray(R"({"v":{"data_type":"float32","data":null}})") << true << 0;
        QTest::newRow("absent data") << QByteArray(R"({"v":{"data_type":"float32"}})") << true << 0;
        QTest::newRow("strings") << QByteArray(R"({"v":{"data_type":"string","data":"AQAAAGE="}})")
                                 << true << 1;
        QTest::newRow("bad base64")
            << QByteArray(R"({"v":{"data_type":"uint8","data":"*"}})") << false << 0;
        QTest::newRow("partial sample")
            << QByteArray(R"({"v":{"data_type":"float32","data":"AQI="}})") << false << 0;
        QTest::newRow("unknown type")
            << QByteArray(R"({"v":{"data_type":"float128","data":""}})") << false << 0;
        QTest::newRow("not an object") << QByteArray(R"({"v":[1]})") << false << 0;
    }
    void seriesJsonAcceptsWhatGoSends()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        QFETCH(int, samples);
        const auto series = seriesFromJson(parse(json.constData()));
        QCOMPARE(series.has_value(), valid);
        if (valid)
            QCOMPARE(series->size(), std::size_t(samples));
        else
            QVERIFY(series.error().matches(errors::Validation));
    }

    void frameJson()
    {
        Frame frame;
        frame.add(1048577, Series::fromValues<double>({ 1.5 }));
        frame.add(1048578, Series::fromStrings({ u"hi"_s }));
        const QJsonObject json = toJson(frame);
        QCOMPARE(json.value(u"keys").toArray(), (QJsonArray { 1048577, 1048578 }));
        QCOMPARE(*frameFromJson(json), frame);
        QVERIFY(frameFromJson(
            QJsonObject { { u"keys"_s, QJsonValue::Null }, { u"series"_s, QJsonValue::Null } })
                    ->empty());
        QVERIFY(frameFromJson(QJsonValue::Null)->empty());
        const auto mismatch = frameFromJson(QJsonObject { { u"keys"_s, QJsonArray { 1 } } });
        QVERIFY(!mismatch.has_value());
        QVERIFY(mismatch.error().message.contains(u"1 keys but 0 series"_s));
    }

    void channelRecordRoundTrip()
    {
        Channel channel;
        channel.key = 1048578;
        channel.name = u"pressure_a"_s;
        channel.leaseholder = 1;
        channel.dataType = DataType::Float32;
        channel.index = 1048577;
        channel.alias = u"PT-101"_s;
        channel.concurrency = 1;
        channel.operations = { { u"avg"_s, 1048579, TimeSpan::seconds(1) } };
        channel.status = QJsonObject { { u"variant"_s, u"success"_s } };
        const QJsonObject json = toJson(channel);
        for (const char* field : { "key",
                 "name",
                 "leaseholder",
                 "data_type",
                 "is_index",
                 "index",
                 "alias",
                 "virtual",
                 "internal",
                 "expression",
                 "operations",
                 "concurrency",
                 "status" })
            QVERIFY2(json.contains(QLatin1StringView(field)), field);
        QCOMPARE(*channelFromJson(json), channel);
        Channel plain = channel;
        plain.status.reset();
        QVERIFY(!toJson(plain).contains(u"status"));
    }

    void channelTextIsTheSameRecord()
    {
        Channel channel;
        channel.key = 1048578;
        channel.name = u"pressure_a"_s;
        channel.leaseholder = 1;
        channel.dataType = DataType::Float32;
        channel.index = 1048577;
        channel.alias = u"PT-101 \"main\" \\ tank\n\t\u0001 \u00b0C"_s;
        channel.expression = u"return a * 2"_s;
        channel.concurrency = 1;
        channel.internal = true;
        channel.operations = { { u"avg"_s, 1048579, TimeSpan::seconds(1) } };
        channel.status = QJsonObject { { u"variant"_s, u"success"_s } };
        Channel plain;
        plain.key = 7;
        plain.name = u"t"_s;
        plain.dataType = DataType::Timestamp;
        plain.isIndex = true;
        plain.isVirtual = true;
        for (const Channel& c : { channel, plain }) {
            QJsonParseError error;
            const QJsonDocument text = QJsonDocument::fromJson(toJsonText(c), &error);
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
            QCOMPARE(text.object(), toJson(c));
        }
        // The bulk form (text parsed once) equals the one built object by object.
        std::vector<Channel> many(100, channel);
        QJsonArray expected;
        for (const Channel& c : many)
            expected.append(toJson(c));
        QCOMPARE(toJson(many), expected);
    }

    void channelFromWhatTheTypeScriptClientSends()
    {
        // protocol §1.3: a create request as the official client sends it.
        const QByteArray json = R"({"v":{"name":"data_a","data_type":"float64","index":1048577,
            "virtual":false,"internal":false,"expression":"","concurrency":0}})";
        const auto channel = channelFromJson(parse(json.constData()));
        QVERIFY(channel.has_value());
        QCOMPARE(channel->key, 0U);
        QCOMPARE(channel->index, 1048577U);
        QCOMPARE(channel->dataType, DataType(DataType::Float64));
        QVERIFY(!channel->isIndex);
    }

    void channelErrorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("no name") << QByteArray(R"({"v":{"data_type":"float64"}})") << u"name"_s;
        QTest::newRow("bad type") << QByteArray(R"({"v":{"name":"a","data_type":"x"}})")
                                  << u"data_type"_s;
        QTest::newRow("bad key") << QByteArray(R"({"v":{"key":-1,"name":"a","data_type":"int8"}})")
                                 << u"key"_s;
        QTest::newRow("bad flag") << QByteArray(
            R"({"v":{"name":"a","data_type":"int8","is_index":"yes"}})")
                                  << u"is_index"_s;
        QTest::newRow("leaseholder range")
            << QByteArray(R"({"v":{"name":"a","data_type":"int8","leaseholder":5000}})")
            << u"leaseholder"_s;
    }
    void channelErrorsNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const auto channel = channelFromJson(parse(json.constData()));
        QVERIFY(!channel.has_value());
        QVERIFY(channel.error().matches(errors::Validation));
        QVERIFY2(channel.error().message.startsWith(field), qPrintable(channel.error().message));
    }

    void channelNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << u"pressure_1"_s << true;
        QTest::newRow("underscore start") << u"_x"_s << true;
        QTest::newRow("digit start") << u"1x"_s << false;
        QTest::newRow("dash") << u"a-b"_s << false;
        QTest::newRow("space") << u"a b"_s << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("unicode") << u"druck_ü"_s << false;
    }
    void channelNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidChannelName(name), valid);
    }
};

QTEST_APPLESS_MAIN(TestJsonCodec)
#include "tst_json_codec.moc"
