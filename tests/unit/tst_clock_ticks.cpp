#include "ui/plot/clock_ticks.h"
#include "ui/plot/time_ticker.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>
#include <qcustomplot.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;
using sightline::ui::clockLabel;
using sightline::ui::ClockTicks;
using sightline::ui::clockTicks;
using sightline::ui::TimeTicker;

namespace {

constexpr std::int64_t Us = 1'000;
constexpr std::int64_t Ms = 1'000'000;
constexpr std::int64_t S = 1'000'000'000;
constexpr std::int64_t Min = 60 * S;
constexpr std::int64_t H = 60 * Min;
constexpr std::int64_t D = 24 * H;
constexpr std::int64_t Int64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t Int64Min = std::numeric_limits<std::int64_t>::min();

/// The steps the user story allows up to a week, ascending (written out, not taken from the code).
std::vector<std::int64_t> allowedSteps()
{
    std::vector<std::int64_t> steps;
    for (std::int64_t decade = 1; decade <= 100 * Ms; decade *= 10) {
        steps.insert(steps.end(), { decade, 2 * decade, 5 * decade });
    }
    steps.insert(steps.end(), { S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S });
    steps.insert(steps.end(), { Min, 2 * Min, 5 * Min, 10 * Min, 15 * Min, 30 * Min });
    steps.insert(steps.end(), { H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D });
    return steps;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

std::int64_t floorMod(std::int64_t a, std::int64_t b) // b > 0; no overflow near INT64_MIN
{
    const std::int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/// (ns + offsetNs) mod stepNs, without overflow.
std::uint64_t localPhase(std::int64_t ns, std::int64_t offsetNs, std::int64_t stepNs)
{
    const auto sum = static_cast<std::uint64_t>(floorMod(ns, stepNs))
        + static_cast<std::uint64_t>(floorMod(offsetNs, stepNs));
    return sum % static_cast<std::uint64_t>(stepNs);
}

/// How many multiples of stepNs lie in the local window [startNs, endNs] + offsetNs.
std::int64_t multiplesIn(
    std::int64_t startNs, std::int64_t endNs, std::int64_t offsetNs, std::int64_t stepNs)
{
    return floorDiv(endNs + offsetNs, stepNs) - floorDiv(startNs + offsetNs - 1, stepNs);
}

/// 2026-03-14 12:34:56.789123456 UTC plus 7 ns.
std::int64_t awkwardStart()
{
    const QDateTime at(QDate(2026, 3, 14), QTime(12, 34, 56), QTimeZone::utc());
    return at.toSecsSinceEpoch() * S + 789'123'456 + 7;
}

int expectedDigits(std::int64_t stepNs)
{
    if (stepNs >= S)
        return 0;
    int digits = 9;
    for (std::int64_t s = stepNs; s % 10 == 0; s /= 10)
        --digits;
    return digits;
}

/// The label worked out by hand for a fixed-offset zone.
QString expectedLabel(std::int64_t ns, std::int64_t offsetNs, std::int64_t stepNs, int digits)
{
    const std::int64_t local = ns + offsetNs;
    if (stepNs >= D)
        return QDate(1970, 1, 1).addDays(floorDiv(local, D)).toString(Qt::ISODate);
    const std::int64_t ofDay = floorMod(local, D);
    const auto two = [](std::int64_t v) { return u"%1"_s.arg(v, 2, 10, QChar(u'0')); };
    QString text = two(ofDay / H) + u':' + two(ofDay / Min % 60);
    if (stepNs >= Min)
        return text;
    text += u':' + two(ofDay / S % 60);
    if (digits > 0) {
        const QString nine = u"%1"_s.arg(floorMod(local, S), 9, 10, QChar(u'0'));
        text += u'.' + nine.left(digits);
    }
    return text;
}

QTimeZone zoneAt(int offsetSeconds)
{
    return offsetSeconds == 0 ? QTimeZone::utc() : QTimeZone(offsetSeconds);
}

QTime localTime(std::int64_t ns, const QTimeZone& zone)
{
    return QDateTime::fromMSecsSinceEpoch(floorDiv(ns, Ms), zone).time();
}

void verifyStrictlyIncreasingIn(const ClockTicks& ticks, std::int64_t startNs, std::int64_t endNs)
{
    for (std::size_t i = 0; i < ticks.ticksNs.size(); ++i) {
        QVERIFY(ticks.ticksNs[i] >= startNs && ticks.ticksNs[i] <= endNs);
        if (i > 0)
            QVERIFY(ticks.ticksNs[i] > ticks.ticksNs[i - 1]);
    }
}

} // namespace

/// clockTicks and clockLabel, and TimeTicker's use of them.
class TestClockTicks : public QObject
{
    Q_OBJECT

private slots:
    void windows_data();
    void windows();
    void exactWindowPicksStep_data();
    void exactWindowPicksStep();
    void halfSecondLabels();
    void twoSecondWindowWithSixTicksPicks500ms();
    void halfHourZoneHourTicksAtLocalHour();
    void quarterHourZoneTicksAtLocalQuarters();
    void exactNanosecondLabel();
    void labelsBefore1970_data();
    void labelsBefore1970();
    void startAfterEndGivesNoTicks();
    void startEqualsEnd();
    void extremes_data();
    void extremes();
    void dstHoursBerlin_data();
    void dstHoursBerlin();
    void midnightSkippedByDst();
    void tickerLabelsFromExactTicks_data();
    void tickerLabelsFromExactTicks();
};

void TestClockTicks::windows_data()
{
    QTest::addColumn<qint64>("windowNs");
    QTest::addColumn<int>("offsetSeconds");
    QTest::addColumn<int>("maxTicks");
    const struct
    {
        const char* name;
        std::int64_t windowNs;
    } windows[] = {
        { "1 us", Us },
        { "37 us", 37 * Us },
        { "1 ms", Ms },
        { "10 ms", 10 * Ms },
        { "250 ms", 250 * Ms },
        { "1 s", S },
        { "2.5 s", 2500 * Ms },
        { "10 s", 10 * S },
        { "30 s", 30 * S },
        { "1 min", Min },
        { "5 min", 5 * Min },
        { "30 min", 30 * Min },
        { "1 h", H },
        { "6 h", 6 * H },
        { "1 day", D },
        { "10 days", 10 * D },
    };
    for (const auto& window : windows) {
        QTest::addRow("%s UTC", window.name) << qint64 { window.windowNs } << 0 << 8;
        QTest::addRow("%s +05:45", window.name)
            << qint64 { window.windowNs } << 5 * 3600 + 2700 << 6;
    }
}

void TestClockTicks::windows()
{
    QFETCH(qint64, windowNs);
    QFETCH(int, offsetSeconds);
    QFETCH(int, maxTicks);
    const QTimeZone zone = zoneAt(offsetSeconds);
    const std::int64_t offsetNs = std::int64_t { offsetSeconds } * S;
    const std::int64_t start = awkwardStart();
    const std::int64_t end = start + windowNs;

    const ClockTicks ticks = clockTicks(start, end, maxTicks, zone);

    const std::vector<std::int64_t> steps = allowedSteps();
    const auto step = std::find(steps.cbegin(), steps.cend(), ticks.stepNs);
    QVERIFY2(step != steps.cend(), qPrintable(u"step %1 ns is not allowed"_s.arg(ticks.stepNs)));
    const auto count = static_cast<std::int64_t>(ticks.ticksNs.size());
    QVERIFY2(count >= 2 && count <= maxTicks, qPrintable(u"%1 ticks"_s.arg(count)));
    QCOMPARE(count, multiplesIn(start, end, offsetNs, ticks.stepNs));
    if (step != steps.cbegin()) {
        const std::int64_t smaller = *(step - 1);
        QVERIFY2(multiplesIn(start, end, offsetNs, smaller) > maxTicks,
            qPrintable(u"step %1 ns would do too"_s.arg(smaller)));
    }
    verifyStrictlyIncreasingIn(ticks, start, end);
    for (std::size_t i = 0; i < ticks.ticksNs.size(); ++i) {
        QCOMPARE(localPhase(ticks.ticksNs[i], offsetNs, ticks.stepNs), 0U);
        if (i > 0)
            QCOMPARE(ticks.ticksNs[i] - ticks.ticksNs[i - 1], ticks.stepNs);
    }
    QCOMPARE(ticks.fractionDigits, expectedDigits(ticks.stepNs));
    for (const std::int64_t tick : ticks.ticksNs) {
        QCOMPARE(clockLabel(tick, ticks, zone),
            expectedLabel(tick, offsetNs, ticks.stepNs, ticks.fractionDigits));
    }
}

void TestClockTicks::exactWindowPicksStep_data()
{
    QTest::addColumn<qint64>("stepNs");
    QTest::addColumn<int>("digits");
    QTest::newRow("1 ns") << qint64 { 1 } << 9;
    QTest::newRow("100 ns") << qint64 { 100 } << 7;
    QTest::newRow("5 us") << qint64 { 5 * Us } << 6;
    QTest::newRow("20 ms") << qint64 { 20 * Ms } << 2;
    QTest::newRow("500 ms") << qint64 { 500 * Ms } << 1;
    QTest::newRow("2 s") << qint64 { 2 * S } << 0;
    QTest::newRow("15 s") << qint64 { 15 * S } << 0;
    QTest::newRow("15 min") << qint64 { 15 * Min } << 0;
    QTest::newRow("3 h") << qint64 { 3 * H } << 0;
    QTest::newRow("2 days") << qint64 { 2 * D } << 0;
}

void TestClockTicks::exactWindowPicksStep()
{
    QFETCH(qint64, stepNs);
    QFETCH(int, digits);
    // Eight ticks exactly; the next smaller allowed step would give at least eleven.
    const std::int64_t start = 20'000 * D;
    const ClockTicks ticks = clockTicks(start, start + 7 * stepNs, 8, QTimeZone::utc());
    QCOMPARE(ticks.stepNs, stepNs);
    QCOMPARE(ticks.fractionDigits, digits);
    QCOMPARE(ticks.ticksNs.size(), 8U);
    QCOMPARE(ticks.ticksNs.front(), start);
}

void TestClockTicks::halfSecondLabels()
{
    const std::int64_t noon
        = QDateTime(QDate(2026, 3, 14), QTime(12, 0), QTimeZone::utc()).toSecsSinceEpoch() * S;
    const ClockTicks ticks = clockTicks(noon + 1, noon + 3 * S, 8, QTimeZone::utc());
    QCOMPARE(ticks.stepNs, 500 * Ms);
    QCOMPARE(ticks.fractionDigits, 1);
    QStringList labels;
    for (const std::int64_t tick : ticks.ticksNs)
        labels << clockLabel(tick, ticks, QTimeZone::utc());
    const QStringList expected { u"12:00:00.5"_s,
        u"12:00:01.0"_s,
        u"12:00:01.5"_s,
        u"12:00:02.0"_s,
        u"12:00:02.5"_s,
        u"12:00:03.0"_s };
    QCOMPARE(labels, expected);
}

void TestClockTicks::twoSecondWindowWithSixTicksPicks500ms()
{
    const std::int64_t start = awkwardStart();
    const ClockTicks ticks = clockTicks(start, start + 2 * S, 6, QTimeZone::utc());
    QCOMPARE(ticks.stepNs, 500 * Ms);
    QCOMPARE(ticks.ticksNs.size(), 4U);
}

void TestClockTicks::halfHourZoneHourTicksAtLocalHour()
{
    const QTimeZone zone(5 * 3600 + 1800);
    const std::int64_t start = awkwardStart();
    const ClockTicks ticks = clockTicks(start, start + 6 * H, 8, zone);
    QCOMPARE(ticks.stepNs, H);
    QVERIFY(ticks.ticksNs.size() >= 6);
    for (const std::int64_t tick : ticks.ticksNs) {
        QCOMPARE(localTime(tick, zone).minute(), 0);
        QCOMPARE(localTime(tick, QTimeZone::utc()).minute(), 30);
        QCOMPARE(floorMod(tick, S), 0);
        QVERIFY(clockLabel(tick, ticks, zone).endsWith(u":00"_s));
    }
}

void TestClockTicks::quarterHourZoneTicksAtLocalQuarters()
{
    const QTimeZone zone(5 * 3600 + 45 * 60);
    const std::int64_t start = awkwardStart();
    const ClockTicks ticks = clockTicks(start, start + H, 5, zone);
    QCOMPARE(ticks.stepNs, 15 * Min);
    for (const std::int64_t tick : ticks.ticksNs) {
        QCOMPARE(localTime(tick, zone).minute() % 15, 0);
        QCOMPARE(localTime(tick, zone).second(), 0);
    }
}

void TestClockTicks::exactNanosecondLabel()
{
    ClockTicks ticks;
    ticks.stepNs = 1;
    ticks.fractionDigits = 9;
    const QString label
        = clockLabel(1'000'000'000'000'000'000 + 123'456'789, ticks, QTimeZone::utc());
    QVERIFY2(label.endsWith(u".123456789"_s), qPrintable(label));
    QCOMPARE(label, u"01:46:40.123456789"_s);
}

void TestClockTicks::labelsBefore1970_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<qint64>("stepNs");
    QTest::addColumn<int>("digits");
    QTest::addColumn<QString>("expected");
    QTest::newRow("-1 ns") << qint64 { -1 } << qint64 { 1 } << 9 << u"23:59:59.999999999"_s;
    QTest::newRow("-1.5 s") << qint64 { -1500 * Ms } << qint64 { 500 * Ms } << 1 << u"23:59:58.5"_s;
    QTest::newRow("-2 s whole") << qint64 { -2 * S } << qint64 { S } << 0 << u"23:59:58"_s;
    QTest::newRow("-61 s minute") << qint64 { -61 * S } << qint64 { Min } << 0 << u"23:58"_s;
    QTest::newRow("-1 ns day") << qint64 { -1 } << qint64 { D } << 0 << u"1969-12-31"_s;
    QTest::newRow("1900") << qint64 { -2'208'988'800 * S + 250 * Ms } << qint64 { 50 * Ms } << 2
                          << u"00:00:00.25"_s;
}

void TestClockTicks::labelsBefore1970()
{
    QFETCH(qint64, ns);
    QFETCH(qint64, stepNs);
    QFETCH(int, digits);
    QFETCH(QString, expected);
    ClockTicks ticks;
    ticks.stepNs = stepNs;
    ticks.fractionDigits = digits;
    QCOMPARE(clockLabel(ns, ticks, QTimeZone::utc()), expected);
}

void TestClockTicks::startAfterEndGivesNoTicks()
{
    const std::int64_t start = awkwardStart();
    QVERIFY(clockTicks(start, start - 1, 8, QTimeZone::utc()).ticksNs.empty());
    QVERIFY(clockTicks(Int64Max, Int64Min, 8, QTimeZone::utc()).ticksNs.empty());
}

void TestClockTicks::startEqualsEnd()
{
    for (const std::int64_t at : { std::int64_t { 0 }, awkwardStart(), Int64Min, Int64Max }) {
        const ClockTicks ticks = clockTicks(at, at, 8, QTimeZone(5 * 3600 + 2700));
        QVERIFY(ticks.ticksNs.size() <= 1);
        if (!ticks.ticksNs.empty())
            QCOMPARE(ticks.ticksNs.front(), at);
    }
}

void TestClockTicks::extremes_data()
{
    QTest::addColumn<qint64>("startNs");
    QTest::addColumn<qint64>("endNs");
    QTest::addColumn<int>("offsetSeconds");
    QTest::addColumn<int>("maxTicks");
    QTest::newRow("all of int64, UTC") << qint64 { Int64Min } << qint64 { Int64Max } << 0 << 8;
    QTest::newRow("all of int64, +05:45")
        << qint64 { Int64Min } << qint64 { Int64Max } << 5 * 3600 + 2700 << 8;
    QTest::newRow("top, +05:45") << qint64 { Int64Max - 1000 } << qint64 { Int64Max }
                                 << 5 * 3600 + 2700 << 8;
    QTest::newRow("top day, +14:00")
        << qint64 { Int64Max - 3 * D } << qint64 { Int64Max } << 14 * 3600 << 8;
    QTest::newRow("bottom, -12:00")
        << qint64 { Int64Min } << qint64 { Int64Min + 1000 } << -12 * 3600 << 8;
    QTest::newRow("bottom day, -12:00")
        << qint64 { Int64Min } << qint64 { Int64Min + 3 * D } << -12 * 3600 << 8;
    QTest::newRow("maxTicks below 2") << qint64 { 0 } << qint64 { S } << 0 << -5;
    QTest::newRow("huge maxTicks")
        << qint64 { 0 } << qint64 { S } << 0 << std::numeric_limits<int>::max();
}

void TestClockTicks::extremes()
{
    QFETCH(qint64, startNs);
    QFETCH(qint64, endNs);
    QFETCH(int, offsetSeconds);
    QFETCH(int, maxTicks);
    const ClockTicks ticks = clockTicks(startNs, endNs, maxTicks, zoneAt(offsetSeconds));
    QVERIFY(ticks.stepNs > 0);
    QVERIFY(!ticks.ticksNs.empty());
    QVERIFY(ticks.ticksNs.size() <= static_cast<std::size_t>(std::clamp(maxTicks, 2, 10'000)));
    verifyStrictlyIncreasingIn(ticks, startNs, endNs);
    for (const std::int64_t tick : ticks.ticksNs)
        QCOMPARE(localPhase(tick, std::int64_t { offsetSeconds } * S, ticks.stepNs), 0U);
}

void TestClockTicks::dstHoursBerlin_data()
{
    QTest::addColumn<QDateTime>("fromUtc");
    QTest::addColumn<int>("expectedTicks");
    QTest::addColumn<int>("ticksAtTwo");
    // 22:00:00.000000001 UTC + 7 h. In spring 02:00 CET jumps to 03:00 CEST (no local 02:00);
    // in autumn 03:00 CEST falls back to 02:00 CET (local 02:00 twice).
    QTest::newRow("spring forward")
        << QDateTime(QDate(2026, 3, 28), QTime(22, 0), QTimeZone::utc()) << 7 << 0;
    QTest::newRow("fall back") << QDateTime(QDate(2026, 10, 24), QTime(22, 0), QTimeZone::utc())
                               << 7 << 2;
}

void TestClockTicks::dstHoursBerlin()
{
    QFETCH(QDateTime, fromUtc);
    QFETCH(int, expectedTicks);
    QFETCH(int, ticksAtTwo);
    const QTimeZone zone("Europe/Berlin");
    if (!zone.isValid())
        QSKIP("no Europe/Berlin time zone data");
    const std::int64_t start = fromUtc.toSecsSinceEpoch() * S + 1;
    const ClockTicks ticks = clockTicks(start, start + 7 * H, 10, zone);
    QCOMPARE(ticks.stepNs, H);
    QCOMPARE(static_cast<int>(ticks.ticksNs.size()), expectedTicks);
    verifyStrictlyIncreasingIn(ticks, start, start + 7 * H);
    int seen = 0;
    for (const std::int64_t tick : ticks.ticksNs) {
        QCOMPARE(localTime(tick, zone).minute(), 0);
        seen += localTime(tick, zone).hour() == 2 ? 1 : 0;
    }
    QCOMPARE(seen, ticksAtTwo);
}

void TestClockTicks::midnightSkippedByDst()
{
    // Chile moves its clocks from 00:00 to 01:00 on 2026-09-06: that day has no local midnight.
    const QTimeZone zone("America/Santiago");
    if (!zone.isValid())
        QSKIP("no America/Santiago time zone data");
    const std::int64_t start
        = QDateTime(QDate(2026, 9, 1), QTime(12, 0), QTimeZone::utc()).toSecsSinceEpoch() * S;
    const ClockTicks ticks = clockTicks(start, start + 10 * D, 12, zone);
    QCOMPARE(ticks.stepNs, D);
    verifyStrictlyIncreasingIn(ticks, start, start + 10 * D);
    QStringList labels;
    for (const std::int64_t tick : ticks.ticksNs)
        labels << clockLabel(tick, ticks, zone);
    QStringList expected;
    for (int day = 2; day <= 11; ++day)
        expected << QDate(2026, 9, day).toString(Qt::ISODate);
    QCOMPARE(labels, expected);
}

void TestClockTicks::tickerLabelsFromExactTicks_data()
{
    QTest::addColumn<qint64>("originNs");
    QTest::addColumn<double>("lower");
    QTest::addColumn<double>("upper");
    QTest::newRow("2.5 s near origin") << qint64 { awkwardStart() } << 0.0 << 2.5;
    QTest::newRow("1 min before origin") << qint64 { awkwardStart() } << -60.0 << 0.0;
    // Keys near 1e9 s are only good to ~119 ns: labels from doubles would be wrong here.
    QTest::newRow("2 us far from origin") << qint64 { 0 } << 1e9 << 1e9 + 2e-6;
    QTest::newRow("1954") << qint64 { -500'000'000'000'000'000 } << -0.75 << 0.75;
    QTest::newRow("10 days") << qint64 { awkwardStart() } << 0.0 << 10.0 * 86400;
}

void TestClockTicks::tickerLabelsFromExactTicks()
{
    QFETCH(qint64, originNs);
    QFETCH(double, lower);
    QFETCH(double, upper);
    const QTimeZone zone(5 * 3600 + 1800);
    TimeTicker ticker(sightline::core::TimeAxis(sightline::core::TimeStamp(originNs)), zone);
    QVector<double> keys;
    QVector<double> subKeys;
    QVector<QString> labels;
    const QCPRange range(lower, upper);
    ticker.generate(range, QLocale::c(), QChar(u'g'), 6, keys, &subKeys, &labels);

    const ClockTicks& ticks = ticker.lastTicks();
    QVERIFY(keys.size() >= 2);
    QCOMPARE(static_cast<std::size_t>(keys.size()), ticks.ticksNs.size());
    QCOMPARE(labels.size(), keys.size());
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const std::int64_t tick = ticks.ticksNs[static_cast<std::size_t>(i)];
        QCOMPARE(labels[i], clockLabel(tick, ticks, zone));
        QVERIFY(keys[i] >= lower && keys[i] <= upper);
        const double expectedKey = static_cast<double>(tick - originNs) / 1e9;
        QVERIFY(std::abs(keys[i] - expectedKey) <= 1e-15 * std::max(1.0, std::abs(expectedKey)));
    }
    QVERIFY(std::is_sorted(subKeys.cbegin(), subKeys.cend()));
    for (const double sub : subKeys) {
        QVERIFY(sub >= lower && sub <= upper);
        QVERIFY(!keys.contains(sub));
    }
    QVERIFY(!subKeys.isEmpty());
}

QTEST_APPLESS_MAIN(TestClockTicks)
#include "tst_clock_ticks.moc"
