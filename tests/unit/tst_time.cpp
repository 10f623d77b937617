#include "core/telem/time.h"
#include "core/telem/time_axis.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace sightline::core;

class TestTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spanConstructors()
    {
        QCOMPARE(TimeSpan::microseconds(3).nanoseconds(), 3'000);
        QCOMPARE(TimeSpan::milliseconds(2).nanoseconds(), 2'000'000);
        QCOMPARE(TimeSpan::seconds(1).nanoseconds(), 1'000'000'000);
        QCOMPARE(TimeSpan::hours(1), TimeSpan::minutes(60));
        QCOMPARE(TimeSpan::fromSeconds(1.5), TimeSpan::milliseconds(1500));
        QCOMPARE(TimeSpan::fromSeconds(1e30), TimeSpan::Max);
        QCOMPARE(TimeSpan::Auto.nanoseconds(), -1);
    }

    void arithmeticSaturates()
    {
        QCOMPARE(TimeStamp::Max + TimeSpan::seconds(1), TimeStamp::Max);
        QCOMPARE((TimeStamp { INT64_MIN } - TimeSpan::seconds(1)).nanoseconds(), INT64_MIN);
        QCOMPARE(TimeSpan::Max * 2, TimeSpan::Max);
        QCOMPARE((TimeSpan::Max * -2).nanoseconds(), INT64_MIN);
        QCOMPARE(TimeStamp { 10 } - TimeStamp { 4 }, TimeSpan { 6 });
        QCOMPARE(TimeStamp { 10 } + TimeSpan { -4 }, TimeStamp { 6 });
        QCOMPARE(TimeStamp::Max - TimeStamp { -1 }, TimeSpan::Max);
        QVERIFY(TimeStamp { 1 } < TimeStamp { 2 });
    }

    void spanHumanString_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        QTest::newRow("ns") << qint64(7) << u"7 ns"_s;
        QTest::newRow("us") << qint64(12'000) << u"12 µs"_s;
        QTest::newRow("fractional us") << qint64(1'500) << u"1.5 µs"_s;
        QTest::newRow("ms") << qint64(250'000'000) << u"250 ms"_s;
        QTest::newRow("s") << qint64(1'500'000'000) << u"1.5 s"_s;
        QTest::newRow("minutes") << qint64(TimeSpan::seconds(125).nanoseconds()) << u"2m 5s"_s;
        QTest::newRow("hours") << qint64((TimeSpan::hours(2) + TimeSpan::seconds(3)).nanoseconds())
                               << u"2h 3s"_s;
        QTest::newRow("days") << qint64(TimeSpan::hours(49).nanoseconds()) << u"2d 1h"_s;
        QTest::newRow("negative") << qint64(-250'000'000) << u"-250 ms"_s;
        QTest::newRow("zero") << qint64(0) << u"0 ns"_s;
    }
    void spanHumanString()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(TimeSpan { ns }.toHumanString(), text);
    }

    void isoRoundTrip_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("iso");
        QTest::newRow("epoch") << qint64(0) << u"1970-01-01T00:00:00Z"_s;
        QTest::newRow("nanoseconds")
            << qint64(1'763'906'334'123'456'789) << u"2025-11-23T13:58:54.123456789Z"_s;
        QTest::newRow("milliseconds")
            << qint64(1'763'906'334'120'000'000) << u"2025-11-23T13:58:54.12Z"_s;
        QTest::newRow("one ns before epoch") << qint64(-1) << u"1969-12-31T23:59:59.999999999Z"_s;
        QTest::newRow("max") << qint64(INT64_MAX) << u"2262-04-11T23:47:16.854775807Z"_s;
    }
    void isoRoundTrip()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, iso);
        QCOMPARE(TimeStamp { ns }.toIsoString(), iso);
        QCOMPARE(TimeStamp::fromIsoString(iso), std::optional(TimeStamp { ns }));
    }

    void isoParsesOffsetsAndRejectsGarbage_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plus offset") << u"1970-01-01T02:00:00+02:00"_s << qint64(0) << true;
        QTest::newRow("minus offset compact")
            << u"1969-12-31T23:00:00.5-0100"_s << qint64(500'000'000) << true;
        QTest::newRow("space separator")
            << u"1970-01-01 00:00:01Z"_s << qint64(1'000'000'000) << true;
        QTest::newRow("no zone") << u"1970-01-01T00:00:00"_s << qint64(0) << false;
        QTest::newRow("bad month") << u"1970-13-01T00:00:00Z"_s << qint64(0) << false;
        QTest::newRow("ten fraction digits")
            << u"1970-01-01T00:00:00.1234567890Z"_s << qint64(0) << false;
        QTest::newRow("empty") << QString() << qint64(0) << false;
    }
    void isoParsesOffsetsAndRejectsGarbage()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        QFETCH(bool, valid);
        const auto parsed = TimeStamp::fromIsoString(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(parsed->nanoseconds(), ns);
    }

    void dateTimeConversion()
    {
        const QDateTime dt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
        QCOMPARE(TimeStamp::fromDateTime(dt),
            std::optional(TimeStamp { 1'700'000'000'123'000'000 }));
        QCOMPARE(TimeStamp { 1'700'000'000'123'999'999 }.toDateTime(), dt);
        QCOMPARE(TimeStamp { -1 }.toDateTime().toMSecsSinceEpoch(), -1);
        QVERIFY(!TimeStamp::fromDateTime(QDateTime()).has_value());
    }

    void humanStampShowsZone()
    {
        const TimeStamp t { 1'500'000'000'000'000'000 + 123'456'789 };
        QCOMPARE(t.toHumanString(QTimeZone::utc(), 6), u"2017-07-14 02:40:00.123456 UTC"_s);
        QCOMPARE(t.toHumanString(QTimeZone::utc(), 0), u"2017-07-14 02:40:00 UTC"_s);
        const QTimeZone plusTwo(2 * 3600);
        QVERIFY(t.toHumanString(plusTwo, 3).startsWith(u"2017-07-14 04:40:00.123 "_s));
    }

    void fixedIsoHasEveryDigit()
    {
        QCOMPARE(TimeStamp(1'500'000'000'000'000'000).toFixedIsoString(),
            u"2017-07-14T02:40:00.000000000Z"_s);
        QCOMPARE(TimeStamp(1'500'000'000'123'400'000).toFixedIsoString(),
            u"2017-07-14T02:40:00.123400000Z"_s);
        QCOMPARE(TimeStamp::fromIsoString(TimeStamp(1'500'000'000'000'000'007).toFixedIsoString()),
            std::optional(TimeStamp(1'500'000'000'000'000'007)));
    }

    void humanRange_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<QString>("human");
        // 2026-12-07 11:12:02.447775733 UTC
        const qint64 t = 1'796'641'922'447'775'733LL;
        QTest::newRow("seconds: milliseconds, one date")
            << t << t + 7'310'165'736LL
            << QStringLiteral("2026-12-07 11:12:02.447 → 11:12:09.757 UTC (7.31 s)");
        QTest::newRow("minutes: whole seconds")
            << t << t + 600'000'000'000LL
            << QStringLiteral("2026-12-07 11:12:02 → 11:22:02 UTC (10m)");
        QTest::newRow("milliseconds: microseconds")
            << t << t + 2'500'000LL
            << QStringLiteral("2026-12-07 11:12:02.447775 → 11:12:02.450275 UTC (2.5 ms)");
        QTest::newRow("past midnight: both dates")
            << t << t + 86'400'000'000'000LL
            << QStringLiteral("2026-12-07 11:12:02 → 2026-12-08 11:12:02 UTC (1d)");
    }

    void humanRange()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(QString, human);
        const TimeRange range { TimeStamp(start), TimeStamp(end) };
        QCOMPARE(range.toHumanString(QTimeZone::utc()), human);
    }

    void nowIsRecent()
    {
        const TimeStamp now = TimeStamp::now();
        const auto fromQt = TimeStamp::fromDateTime(QDateTime::currentDateTimeUtc());
        QVERIFY((now - *fromQt).abs() < TimeSpan::seconds(5));
    }

    void rangeContains_data()
    {
        QTest::addColumn<qint64>("t");
        QTest::addColumn<bool>("inside");
        QTest::newRow("start is inclusive") << qint64(10) << true;
        QTest::newRow("middle") << qint64(15) << true;
        QTest::newRow("last ns") << qint64(19) << true;
        QTest::newRow("end is exclusive") << qint64(20) << false;
        QTest::newRow("before") << qint64(9) << false;
    }
    void rangeContains()
    {
        QFETCH(qint64, t);
        QFETCH(bool, inside);
        QCOMPARE((TimeRange { TimeStamp { 10 }, TimeStamp { 20 } }.contains(TimeStamp { t })),
            inside);
    }

    void rangeOverlapAndIntersection_data()
    {
        QTest::addColumn<qint64>("s");
        QTest::addColumn<qint64>("e");
        QTest::addColumn<bool>("overlaps");
        QTest::addColumn<qint64>("is");
        QTest::addColumn<qint64>("ie");
        QTest::newRow("touching end")
            << qint64(20) << qint64(30) << false << qint64(0) << qint64(0);
        QTest::newRow("touching start")
            << qint64(0) << qint64(10) << false << qint64(0) << qint64(0);
        QTest::newRow("one ns shared")
            << qint64(19) << qint64(30) << true << qint64(19) << qint64(20);
        QTest::newRow("inside") << qint64(12) << qint64(14) << true << qint64(12) << qint64(14);
        QTest::newRow("covering") << qint64(0) << qint64(99) << true << qint64(10) << qint64(20);
        QTest::newRow("empty inside")
            << qint64(15) << qint64(15) << false << qint64(0) << qint64(0);
    }
    void rangeOverlapAndIntersection()
    {
        QFETCH(qint64, s);
        QFETCH(qint64, e);
        QFETCH(bool, overlaps);
        QFETCH(qint64, is);
        QFETCH(qint64, ie);
        const TimeRange base { TimeStamp { 10 }, TimeStamp { 20 } };
        const TimeRange other { TimeStamp { s }, TimeStamp { e } };
        QCOMPARE(base.overlaps(other), overlaps);
        QCOMPARE(other.overlaps(base), overlaps);
        const auto shared = base.intersection(other);
        QCOMPARE(shared.has_value(), overlaps);
        if (overlaps)
            QCOMPARE(*shared, (TimeRange { TimeStamp { is }, TimeStamp { ie } }));
    }

    void rangeBoundByAndValidity()
    {
        const TimeRange bound { TimeStamp { 10 }, TimeStamp { 20 } };
        QCOMPARE((TimeRange { TimeStamp { 5 }, TimeStamp { 15 } }.boundBy(bound)),
            (TimeRange { TimeStamp { 10 }, TimeStamp { 15 } }));
        QCOMPARE((TimeRange { TimeStamp { 25 }, TimeStamp { 30 } }.boundBy(bound)),
            (TimeRange { TimeStamp { 20 }, TimeStamp { 20 } }));
        QVERIFY((TimeRange { TimeStamp { 1 }, TimeStamp { 1 } }.isValid()));
        QVERIFY((TimeRange { TimeStamp { 1 }, TimeStamp { 1 } }.isEmpty()));
        QVERIFY(!(TimeRange { TimeStamp { 2 }, TimeStamp { 1 } }.isValid()));
        QCOMPARE((TimeRange { TimeStamp { 2 }, TimeStamp { 1 } }.normalized()),
            (TimeRange { TimeStamp { 1 }, TimeStamp { 2 } }));
        QCOMPARE(bound.span(), TimeSpan { 10 });
        QVERIFY(bound.contains(TimeRange { TimeStamp { 10 }, TimeStamp { 20 } }));
        QVERIFY(!bound.contains(TimeRange { TimeStamp { 10 }, TimeStamp { 21 } }));
        QCOMPARE(TimeRange::max().end, TimeStamp::Max);
    }

    void rate()
    {
        const Rate kHz(1000);
        QCOMPARE(kHz.period(), TimeSpan::milliseconds(1));
        QCOMPARE(kHz.sampleCount(TimeSpan::seconds(10)), 10'000);
        QCOMPARE(kHz.spanOf(500), TimeSpan::milliseconds(500));
        QCOMPARE(Rate(3).sampleCount(TimeSpan::seconds(1)), 3);
        QVERIFY(!Rate(0).isValid());
        QCOMPARE(Rate(0).period(), TimeSpan::Zero);
    }
    /// Keys are seconds from the origin, exact to the nanosecond near it and without
    /// overflow far from it; back to time they round as asked.
    void timeAxisMapsTimeToKeysAndBack()
    {
        const TimeStamp origin(1'700'000'000'123'456'789);
        const TimeAxis axis(origin);
        QCOMPARE(axis.keyOf(origin), 0.0);
        QCOMPARE(axis.keyOf(origin + TimeSpan::milliseconds(1500)), 1.5);
        QCOMPARE(axis.keyOf(origin - TimeSpan(1)), -1e-9);
        // Every nanosecond of a minute either side comes back as itself.
        for (const std::int64_t ns : { std::int64_t(1),
                 std::int64_t(-7),
                 std::int64_t(59'999'999'999),
                 std::int64_t(-60'000'000'000),
                 std::int64_t(123'456'789) })
            QCOMPARE(axis.timeOf(axis.keyOf(origin + TimeSpan(ns))), origin + TimeSpan(ns));
        // The ends of the int64 range: no overflow either way.
        QCOMPARE(axis.keyOf(TimeStamp::Max), double(INT64_MAX - origin.nanoseconds()) / 1e9);
        QCOMPARE(TimeAxis(TimeStamp::Max).keyOf(TimeStamp(INT64_MIN)), -double(UINT64_MAX) / 1e9);
        QCOMPARE(axis.timeOf(1e30), TimeStamp::Max);
        QCOMPARE(axis.timeOf(-1e30), TimeStamp(origin.nanoseconds() + INT64_MIN)); // in range
        QCOMPARE(TimeAxis(TimeStamp(-5)).timeOf(-1e30), TimeStamp(INT64_MIN));
        QCOMPARE(axis.timeOf(std::nan("")), origin);
        // Rounding between two nanoseconds.
        const double between = axis.keyOf(origin + TimeSpan(10)) + 0.4e-9;
        QCOMPARE(axis.timeOf(between, TimeAxis::Rounding::Down), origin + TimeSpan(10));
        QCOMPARE(axis.timeOf(between, TimeAxis::Rounding::Nearest), origin + TimeSpan(10));
        QCOMPARE(axis.timeOf(between, TimeAxis::Rounding::Up), origin + TimeSpan(11));
    }

    /// Across a width, the shown range's start is pixel 0 and its end the width.
    void timeAxisMapsTimeToPixelsAndBack()
    {
        const TimeStamp start(1'700'000'000'000'000'000);
        const TimeAxis axis(TimeRange { start, start + TimeSpan::seconds(10) }, 1000);
        QCOMPARE(axis.origin(), start);
        QCOMPARE(axis.pixelOf(start), 0.0);
        QCOMPARE(axis.pixelOf(start + TimeSpan::seconds(10)), 1000.0);
        QCOMPARE(axis.pixelOf(start + TimeSpan::milliseconds(2500)), 250.0);
        QCOMPARE(axis.pixelOf(start - TimeSpan::seconds(1)), -100.0);
        QCOMPARE(axis.timeAtPixel(250), start + TimeSpan::milliseconds(2500));
        QCOMPARE(axis.timeAtPixel(0.5), start + TimeSpan::milliseconds(5));
        for (int x = 0; x <= 1000; x += 37)
            QCOMPARE(axis.pixelOf(axis.timeAtPixel(x)), double(x));
        // Nothing shown: no pixels.
        QCOMPARE(TimeAxis(start).pixelOf(start + TimeSpan::seconds(1)), 0.0);
        QCOMPARE(TimeAxis(start).timeAtPixel(10), start);
        QCOMPARE(TimeAxis(TimeRange { start, start }, 100).pixelOf(start), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestTime)
#include "tst_time.moc"
