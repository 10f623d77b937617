#include "core/telem/data_type.h"

#include <QTest>

using namespace Qt::StringLiterals;
using sightline::core::DataType;

Q_DECLARE_METATYPE(DataType)

class TestDataType : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySynnaxType_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<DataType>("type");
        QTest::addColumn<int>("density");
        QTest::addColumn<bool>("variable");
        QTest::addColumn<bool>("numeric");
        QTest::newRow("float64") << u"float64"_s << DataType(DataType::Float64) << 8 << false
                                 << true;
        QTest::newRow("float32") << u"float32"_s << DataType(DataType::Float32) << 4 << false
                                 << true;
        QTest::newRow("int64") << u"int64"_s << DataType(DataType::Int64) << 8 << false << true;
        QTest::newRow("int32") << u"int32"_s << DataType(DataType::Int32) << 4 << false << true;
        QTest::newRow("int16") << u"int16"_s << DataType(DataType::Int16) << 2 << false << true;
        QTest::newRow("int8") << u"int8"_s << DataType(DataType::Int8) << 1 << false << true;
        QTest::newRow("uint64") << u"uint64"_s << DataType(DataType::Uint64) << 8 << false << true;
        QTest::newRow("uint32") << u"uint32"_s << DataType(DataType::Uint32) << 4 << false << true;
        QTest::newRow("uint16") << u"uint16"_s << DataType(DataType::Uint16) << 2 << false << true;
        QTest::newRow("uint8") << u"uint8"_s << DataType(DataType::Uint8) << 1 << false << true;
        QTest::newRow("timestamp")
            << u"timestamp"_s << DataType(DataType::Timestamp) << 8 << false << true;
        QTest::newRow("uuid") << u"uuid"_s << DataType(DataType::Uuid) << 16 << false << false;
        QTest::newRow("string") << u"string"_s << DataType(DataType::String) << 0 << true << false;
        QTest::newRow("json") << u"json"_s << DataType(DataType::Json) << 0 << true << false;
        QTest::newRow("bytes") << u"bytes"_s << DataType(DataType::Bytes) << 0 << true << false;
    }
    void everySynnaxType()
    {
        QFETCH(QString, name);
        QFETCH(DataType, type);
        QFETCH(int, density);
        QFETCH(bool, variable);
        QFETCH(bool, numeric);
        QCOMPARE(DataType::fromName(name), std::optional(type));
        QCOMPARE(type.name(), name);
        QCOMPARE(type.density(), density);
        QCOMPARE(type.isVariable(), variable);
        QCOMPARE(type.isNumeric(), numeric);
        QVERIFY(type.isValid());
    }

    void unknownNamesAreRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("unknown") << u"unknown"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("boolean is not a Synnax type") << u"boolean"_s;
        QTest::newRow("case matters") << u"Float64"_s;
    }
    void unknownNamesAreRejected()
    {
        QFETCH(QString, name);
        QVERIFY(!DataType::fromName(name).has_value());
    }

    void int64AndTimestampAreCompatible()
    {
        QVERIFY(DataType(DataType::Int64).isCompatibleWith(DataType::Timestamp));
        QVERIFY(DataType(DataType::Timestamp).isCompatibleWith(DataType::Int64));
        QVERIFY(!DataType(DataType::Uint64).isCompatibleWith(DataType::Int64));
        QVERIFY(!DataType(DataType::Float64).isCompatibleWith(DataType::Int64));
        QVERIFY(!DataType().isValid());
        QCOMPARE(DataType().name(), u"unknown"_s);
    }
};

QTEST_APPLESS_MAIN(TestDataType)
#include "tst_data_type.moc"
