#include "core/store/live_buffer.h"
#include "core/store/live_store.h"
#include "core/telem/channel.h"
#include "core/telem/frame.h"

#include <QTest>

#include <algorithm>
#include <cstdint>
#include <vector>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::core::store::LiveBuffer;

namespace {

/// A sample's value derived from its stamp, so a misplaced value is noticed.
double valueFor(std::int64_t stamp) { return static_cast<double>(stamp) * 0.5 + 0.25; }

/// `count` stamps first, first + step, …
std::vector<std::int64_t> stampRun(std::int64_t first, std::size_t count, std::int64_t step = 1)
{
    std::vector<std::int64_t> stamps(count);
    for (std::size_t i = 0; i < count; ++i)
        stamps[i] = first + static_cast<std::int64_t>(i) * step;
    return stamps;
}

std::vector<double> valuesFor(const std::vector<std::int64_t>& stamps)
{
    std::vector<double> values(stamps.size());
    std::transform(stamps.begin(), stamps.end(), values.begin(), valueFor);
    return values;
}

std::size_t appendStamps(LiveBuffer& buffer, const std::vector<std::int64_t>& stamps)
{
    return buffer.append(stamps, valuesFor(stamps));
}

std::size_t prependStamps(LiveBuffer& buffer, const std::vector<std::int64_t>& stamps)
{
    return buffer.prepend(stamps, valuesFor(stamps));
}

QList<qint64> stampsOf(const LiveBuffer& buffer)
{
    QList<qint64> stamps;
    for (std::size_t i = 0; i < buffer.size(); ++i)
        stamps.append(buffer.stampAt(i));
    return stamps;
}

QList<double> valuesOf(const LiveBuffer& buffer)
{
    QList<double> values;
    for (std::size_t i = 0; i < buffer.size(); ++i)
        values.append(buffer.valueAt(i));
    return values;
}

QList<bool> gapsOf(const LiveBuffer& buffer)
{
    QList<bool> gaps;
    for (std::size_t i = 0; i < buffer.size(); ++i)
        gaps.append(buffer.gapBefore(i));
    return gaps;
}

/// True when the buffer holds exactly the stamps `first, first + 1, …` with their values.
bool holdsRun(const LiveBuffer& buffer, std::int64_t first, std::size_t count)
{
    if (buffer.size() != count)
        return false;
    for (std::size_t i = 0; i < count; ++i) {
        const std::int64_t stamp = first + static_cast<std::int64_t>(i);
        if (buffer.stampAt(i) != stamp || buffer.valueAt(i) != valueFor(stamp))
            return false;
    }
    return true;
}

} // namespace

class TestLiveBuffer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendKeepsOrder_data()
    {
        QTest::addColumn<QList<qint64>>("input");
        QTest::addColumn<QList<qint64>>("held");
        QTest::newRow("increasing") << QList<qint64> { 1, 2, 3 } << QList<qint64> { 1, 2, 3 };
        QTest::newRow("negative stamps")
            << QList<qint64> { -9, -1, 0, 4 } << QList<qint64> { -9, -1, 0, 4 };
        QTest::newRow("repeat dropped")
            << QList<qint64> { 1, 2, 2, 3 } << QList<qint64> { 1, 2, 3 };
        QTest::newRow("older dropped")
            << QList<qint64> { 5, 3, 6, 4, 7 } << QList<qint64> { 5, 6, 7 };
        QTest::newRow("all equal") << QList<qint64> { 4, 4, 4 } << QList<qint64> { 4 };
        QTest::newRow("decreasing") << QList<qint64> { 9, 8, 7 } << QList<qint64> { 9 };
        QTest::newRow("empty") << QList<qint64> {} << QList<qint64> {};
    }
    void appendKeepsOrder()
    {
        QFETCH(QList<qint64>, input);
        QFETCH(QList<qint64>, held);
        LiveBuffer buffer(16);
        const std::vector<std::int64_t> stamps(input.begin(), input.end());
        // Each input sample's value is unique, so a dropped repeat cannot replace the first.
        std::vector<double> values(stamps.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<double>(stamps[i]) * 10 + static_cast<double>(i) / 100;
        QCOMPARE(buffer.append(stamps, values), std::size_t(held.size()));
        QCOMPARE(stampsOf(buffer), held);
        for (std::size_t i = 0; i < buffer.size(); ++i) {
            const auto from = std::find(stamps.begin(), stamps.end(), buffer.stampAt(i));
            QCOMPARE(buffer.valueAt(i), values[std::size_t(from - stamps.begin())]);
        }
    }

    void appendDropsSamplesNotAfterTheNewest()
    {
        LiveBuffer buffer(8);
        QCOMPARE(appendStamps(buffer, { 10, 20, 30 }), std::size_t(3));
        QCOMPARE(appendStamps(buffer, { 5, 30 }), std::size_t(0));
        QCOMPARE(appendStamps(buffer, { 25, 31, 31, 40 }), std::size_t(2));
        QCOMPARE(stampsOf(buffer), (QList<qint64> { 10, 20, 30, 31, 40 }));
        QCOMPARE(valuesOf(buffer).last(), valueFor(40));
    }

    void appendTakesTheShorterSpan()
    {
        LiveBuffer buffer(8);
        const std::vector<std::int64_t> stamps { 1, 2, 3 };
        const std::vector<double> values { 7.0, 8.0 };
        QCOMPARE(buffer.append(stamps, values), std::size_t(2));
        QCOMPARE(valuesOf(buffer), (QList<double> { 7.0, 8.0 }));
    }

    void wrapAroundKeepsTheNewest_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<int>("total");
        QTest::newRow("cap 7, chunks of 3") << 7 << 3 << 100;
        QTest::newRow("cap 8, chunks of 8") << 8 << 8 << 64;
        QTest::newRow("chunks larger than cap") << 5 << 12 << 61;
        QTest::newRow("cap 1") << 1 << 1 << 10;
        QTest::newRow("cap 1, chunks of 4") << 1 << 4 << 17;
        QTest::newRow("cap 1000, chunks of 37") << 1000 << 37 << 10000;
    }
    void wrapAroundKeepsTheNewest()
    {
        QFETCH(int, capacity);
        QFETCH(int, chunk);
        QFETCH(int, total);
        LiveBuffer buffer { std::size_t(capacity) };
        const std::int64_t first = 1000;
        for (int done = 0; done < total; done += chunk) {
            const int count = std::min(chunk, total - done);
            QCOMPARE(appendStamps(buffer, stampRun(first + done, std::size_t(count))),
                std::size_t(count));
            const int held = std::min(done + count, capacity);
            QCOMPARE(buffer.capacity(), std::size_t(capacity));
            QVERIFY2(holdsRun(buffer, first + done + count - held, std::size_t(held)),
                qPrintable(u"after %1 samples"_s.arg(done + count)));
        }
    }

    void prepend_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<QList<qint64>>("appended");
        QTest::addColumn<QList<qint64>>("prepended");
        QTest::addColumn<int>("taken");
        QTest::addColumn<QList<qint64>>("held");
        QTest::newRow("into empty")
            << 5 << QList<qint64> {} << QList<qint64> { 1, 2, 3 } << 3 << QList<qint64> { 1, 2, 3 };
        QTest::newRow("into empty, too many")
            << 3 << QList<qint64> {} << QList<qint64> { 1, 2, 3, 4, 5 } << 3
            << QList<qint64> { 3, 4, 5 };
        QTest::newRow("older, with room")
            << 6 << QList<qint64> { 10, 11 } << QList<qint64> { 4, 5, 6 } << 3
            << QList<qint64> { 4, 5, 6, 10, 11 };
        QTest::newRow("only while there is room")
            << 5 << QList<qint64> { 10, 11, 12 } << QList<qint64> { 1, 2, 3, 4, 5, 6, 7, 8, 9 } << 2
            << QList<qint64> { 8, 9, 10, 11, 12 };
        QTest::newRow("full") << 3 << QList<qint64> { 10, 11, 12 } << QList<qint64> { 1, 2 } << 0
                              << QList<qint64> { 10, 11, 12 };
        QTest::newRow("only older")
            << 8 << QList<qint64> { 10, 11, 12 } << QList<qint64> { 5, 10, 11, 15 } << 1
            << QList<qint64> { 5, 10, 11, 12 };
        QTest::newRow("none older") << 8 << QList<qint64> { 10, 11 } << QList<qint64> { 10, 12 }
                                    << 0 << QList<qint64> { 10, 11 };
        QTest::newRow("unordered input keeps order")
            << 8 << QList<qint64> { 10 } << QList<qint64> { 3, 1, 2 } << 2
            << QList<qint64> { 1, 2, 10 };
    }
    void prepend()
    {
        QFETCH(int, capacity);
        QFETCH(QList<qint64>, appended);
        QFETCH(QList<qint64>, prepended);
        QFETCH(int, taken);
        QFETCH(QList<qint64>, held);
        LiveBuffer buffer { std::size_t(capacity) };
        appendStamps(buffer, { appended.begin(), appended.end() });
        QCOMPARE(prependStamps(buffer, { prepended.begin(), prepended.end() }), std::size_t(taken));
        QCOMPARE(stampsOf(buffer), held);
        QList<double> values;
        for (const qint64 stamp : held)
            values.append(valueFor(stamp));
        QCOMPARE(valuesOf(buffer), values);
        QVERIFY(!gapsOf(buffer).contains(true));
    }

    void prependThenAppendWrapsAround()
    {
        LiveBuffer buffer(4);
        appendStamps(buffer, { 10, 11 });
        QCOMPARE(prependStamps(buffer, { 8, 9 }), std::size_t(2));
        QVERIFY(holdsRun(buffer, 8, 4));
        QCOMPARE(appendStamps(buffer, stampRun(12, 7)), std::size_t(7));
        QVERIFY(holdsRun(buffer, 15, 4));
        QCOMPARE(prependStamps(buffer, { 1 }), std::size_t(0));
    }

    void lowerBound_data()
    {
        QTest::addColumn<int>("appended");
        QTest::addColumn<qint64>("stamp");
        QTest::addColumn<int>("index");
        // Capacity 4, stamps 10, 20, … : 4 appended hold 10..40, 6 hold 30..60 (wrapped).
        QTest::newRow("before first") << 4 << qint64(5) << 0;
        QTest::newRow("at first") << 4 << qint64(10) << 0;
        QTest::newRow("between") << 4 << qint64(15) << 1;
        QTest::newRow("at middle") << 4 << qint64(30) << 2;
        QTest::newRow("at last") << 4 << qint64(40) << 3;
        QTest::newRow("after last") << 4 << qint64(41) << 4;
        QTest::newRow("wrapped, before first") << 6 << qint64(20) << 0;
        QTest::newRow("wrapped, at first") << 6 << qint64(30) << 0;
        QTest::newRow("wrapped, between") << 6 << qint64(41) << 2;
        QTest::newRow("wrapped, at wrap point") << 6 << qint64(50) << 2;
        QTest::newRow("wrapped, at last") << 6 << qint64(60) << 3;
        QTest::newRow("wrapped, after last") << 6 << qint64(61) << 4;
        QTest::newRow("empty") << 0 << qint64(10) << 0;
    }
    void lowerBound()
    {
        QFETCH(int, appended);
        QFETCH(qint64, stamp);
        QFETCH(int, index);
        LiveBuffer buffer(4);
        appendStamps(buffer, stampRun(10, std::size_t(appended), 10));
        QCOMPARE(buffer.lowerBound(stamp), std::size_t(index));
    }

    void lowerBoundMatchesStdAfterManyWraps()
    {
        LiveBuffer buffer(13);
        appendStamps(buffer, stampRun(0, 100, 3));
        const QList<qint64> stamps = stampsOf(buffer);
        for (qint64 stamp = stamps.first() - 2; stamp <= stamps.last() + 2; ++stamp) {
            const auto expected = std::lower_bound(stamps.begin(), stamps.end(), stamp);
            QCOMPARE(buffer.lowerBound(stamp), std::size_t(expected - stamps.begin()));
        }
    }

    void markGapFlagsTheNextSampleOnly()
    {
        LiveBuffer buffer(16);
        appendStamps(buffer, { 1, 2 });
        buffer.markGap();
        appendStamps(buffer, { 3, 4 });
        buffer.markGap();
        buffer.markGap();
        appendStamps(buffer, { 5 });
        appendStamps(buffer, { 6 });
        QCOMPARE(gapsOf(buffer), (QList<bool> { false, false, true, false, true, false }));
    }

    void markGapSurvivesADroppedSample()
    {
        LiveBuffer buffer(16);
        appendStamps(buffer, { 1, 2 });
        buffer.markGap();
        QCOMPARE(appendStamps(buffer, { 2 }), std::size_t(0));
        appendStamps(buffer, { 3, 4 });
        QCOMPARE(gapsOf(buffer), (QList<bool> { false, false, true, false }));
    }

    void gapFlagsMoveWithTheirSamples()
    {
        LiveBuffer buffer(4);
        appendStamps(buffer, { 1, 2, 3 });
        buffer.markGap();
        appendStamps(buffer, { 4, 5 });
        QCOMPARE(stampsOf(buffer), (QList<qint64> { 2, 3, 4, 5 }));
        QCOMPARE(gapsOf(buffer), (QList<bool> { false, false, true, false }));
        // Overwriting the flagged slot clears the flag.
        appendStamps(buffer, stampRun(6, 4));
        QCOMPARE(gapsOf(buffer), (QList<bool> { false, false, false, false }));
    }

    void memoryIsAllocatedOnce()
    {
        LiveBuffer buffer(100);
        const std::size_t bytes = buffer.memoryBytes();
        QCOMPARE(bytes, std::size_t(100 * (8 + 8 + 1)));
        QCOMPARE(buffer.capacity(), std::size_t(100));
        prependStamps(buffer, stampRun(-50, 50));
        for (int round = 0; round < 30; ++round)
            appendStamps(buffer, stampRun(round * 1000, 77));
        QCOMPARE(buffer.size(), std::size_t(100));
        QCOMPARE(buffer.capacity(), std::size_t(100));
        QCOMPARE(buffer.memoryBytes(), bytes);
    }

    void zeroCapacityHoldsOne()
    {
        LiveBuffer buffer(0);
        QCOMPARE(buffer.capacity(), std::size_t(1));
        appendStamps(buffer, { 1, 2, 3 });
        QVERIFY(holdsRun(buffer, 3, 1));
    }
};

QTEST_APPLESS_MAIN(TestLiveBuffer)
#include "tst_live_buffer.moc"
