#include "core/codec/envelope.h"
#include "core/codec/error_codec.h"
#include "core/codec/framer_message.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::codec;

namespace {
QJsonObject parse(const QByteArray& json) { return QJsonDocument::fromJson(json).object(); }
} // namespace

class TestEnvelope : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openCarriesNullPayload()
    {
        // Rule 7/8: the first message is {"type":"open","payload":null}; payload is mandatory.
        QCOMPARE(encodeEnvelope(Envelope::open()), QByteArray(R"({"payload":null,"type":"open"})"));
    }

    void normalCloseCarriesEof()
    {
        const QJsonObject close = parse(encodeEnvelope(Envelope::close()));
        QCOMPARE(close.value(u"type").toString(), u"close"_s);
        QVERIFY(close.contains(u"payload"));
        QVERIFY(close.value(u"payload").isNull());
        QCOMPARE(close.value(u"error").toObject().value(u"type").toString(), u"freighter.eof"_s);
        QCOMPARE(close.value(u"error").toObject().value(u"data").toString(), u"EOF"_s);
    }

    void errorCloseCarriesTypedError()
    {
        const Error denied { errors::InvalidToken, u"token expired"_s };
        const QJsonObject close = parse(encodeEnvelope(Envelope::close(denied)));
        QCOMPARE(close.value(u"error").toObject().value(u"type").toString(),
            u"sy.auth.invalid_token"_s);
        const auto decoded = decodeEnvelope(encodeEnvelope(Envelope::close(denied)));
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->error, std::optional(denied));
    }

    void dataPayloadRoundTrips()
    {
        const QJsonObject payload { { u"keys"_s, QJsonArray { 1, 2 } } };
        const auto decoded = decodeEnvelope(encodeEnvelope(Envelope::data(payload)));
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->type, Envelope::Type::Data);
        QCOMPARE(decoded->payload.toObject(), payload);
        QVERIFY(!decoded->error.has_value());
    }

    void decodesWhatClientsSend_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("errorType");
        QTest::newRow("client close has no payload")
            << QByteArray(R"({"type":"close"})") << int(Envelope::Type::Close)
            << u"freighter.eof"_s;
        QTest::newRow("go open has empty error")
            << QByteArray(R"({"type":"open","payload":{},"error":{"type":"","data":""}})")
            << int(Envelope::Type::Open) << QString();
        QTest::newRow("nil close is eof")
            << QByteArray(R"({"type":"close","payload":null,"error":{"type":"nil","data":""}})")
            << int(Envelope::Type::Close) << u"freighter.eof"_s;
        QTest::newRow("auth close") << QByteArray(
            R"({"type":"close","payload":null,"error":{"type":"sy.auth","data":"no token"}})")
                                    << int(Envelope::Type::Close) << u"sy.auth"_s;
    }
    void decodesWhatClientsSend()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, type);
        QFETCH(QString, errorType);
        const auto decoded = decodeEnvelope(json);
        QVERIFY2(decoded.has_value(), qPrintable(decoded ? QString() : decoded.error().toString()));
        QCOMPARE(int(decoded->type), type);
        QCOMPARE(decoded->error ? decoded->error->type : QString(), errorType);
    }

    void malformedIsATypedError_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("{nope");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no type") << QByteArray(R"({"payload":null})");
        QTest::newRow("unknown type") << QByteArray(R"({"type":"ping","payload":null})");
        QTest::newRow("numeric type") << QByteArray(R"({"type":1,"payload":null})");
        QTest::newRow("close error not object") << QByteArray(R"({"type":"close","error":"x"})");
        QTest::newRow("close error no type")
            << QByteArray(R"({"type":"close","error":{"data":"x"}})");
        QTest::newRow("truncated") << QByteArray(R"({"type":"data","payload":{"a":)");
    }
    void malformedIsATypedError()
    {
        QFETCH(QByteArray, json);
        const auto decoded = decodeEnvelope(json);
        QVERIFY(!decoded.has_value());
        QVERIFY(decoded.error().matches(errors::Decode));
        QVERIFY(!decoded.error().message.isEmpty());
    }

    void errorPayloads()
    {
        QCOMPARE(encodeErrorPayload(std::nullopt),
            (QJsonObject { { u"type"_s, u"nil"_s }, { u"data"_s, u""_s } }));
        // Never emit an empty type: the TypeScript client reads it as an unknown error.
        QCOMPARE(encodeErrorPayload(Error { QString(), u"boom"_s }).value(u"type").toString(),
            u"unknown"_s);
        const auto decoded
            = decodeErrorPayload(QJsonObject { { u"type"_s, u"sy.query.not_found"_s },
                { u"data"_s, u"channels with keys [5678] not found"_s } });
        QVERIFY(decoded.has_value() && decoded->has_value());
        QVERIFY((*decoded)->matches(errors::Query));
    }

    void pathErrorRoundTrips()
    {
        const Error inner { errors::Validation, u"name must be unique"_s };
        const Error path = makePathError({ u"channels"_s, u"0"_s, u"name"_s }, inner);
        QVERIFY(path.matches(errors::Validation));
        const auto details = parsePathError(path);
        QVERIFY(details.has_value());
        QCOMPARE(details->path, (QStringList { u"channels"_s, u"0"_s, u"name"_s }));
        QCOMPARE(details->inner, inner);
        QVERIFY(!parsePathError(inner).has_value());
    }

    void framerPrefixes()
    {
        const QByteArray json = encodeJsonFramerMessage(Envelope::open());
        QCOMPARE(static_cast<std::uint8_t>(json.front()), std::uint8_t(0xFE));
        const auto split = splitFramerMessage(json);
        QVERIFY(split.has_value());
        QCOMPARE(split->prefix, FramerPrefix::Json);
        QCOMPARE(split->body.toByteArray(), encodeEnvelope(Envelope::open()));
        const auto frame = splitFramerMessage(QByteArray("\xff\x00", 2));
        QVERIFY(frame.has_value());
        QCOMPARE(frame->prefix, FramerPrefix::Frame);
        QCOMPARE(frame->body.size(), 1);
        QVERIFY(!splitFramerMessage(QByteArray("{}")).has_value());
        QVERIFY(!splitFramerMessage(QByteArray()).has_value());
    }
};

QTEST_APPLESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
