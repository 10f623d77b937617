#include "core/store/overview.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;
using sightline::core::TimeRange;
using sightline::core::TimeStamp;
using sightline::core::store::Overview;

class TestOverview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketsTileTheRange_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<int>("buckets");
        QTest::newRow("even") << qint64(1'024'000) << 1024;
        QTest::newRow("uneven") << qint64(1'000'003) << 1024;
        QTest::newRow("a year in ns") << qint64(31'536'000'000'000'000) << 1000;
        QTest::newRow("fewer ns than buckets") << qint64(7) << 16;
    }

    void bucketsTileTheRange()
    {
        // Stamps before a bucket's start lie in earlier buckets, those from it on in it or
        // later (with fewer ns than buckets, some buckets hold no instant at all).
        QFETCH(qint64, span);
        QFETCH(int, buckets);
        const std::int64_t start = 1'700'000'000'000'000'000;
        const Overview overview({ TimeStamp(start), TimeStamp(start + span) }, buckets);
        QCOMPARE(overview.startOf(0), TimeStamp(start));
        for (int b = 1; b < buckets; ++b) {
            const std::int64_t first = overview.startOf(b).nanoseconds();
            QVERIFY(first >= overview.startOf(b - 1).nanoseconds());
            if (first < start + span)
                QVERIFY(overview.bucketOf(first) >= b);
            QVERIFY(overview.bucketOf(first - 1) < b);
            if (span >= buckets) // every bucket holds an instant: its start
                QCOMPARE(overview.bucketOf(first), b);
        }
        if (span >= buckets)
            QCOMPARE(overview.bucketOf(start + span - 1), buckets - 1);
    }

    void foldsEverySampleIntoItsBucket_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 10; ++seed)
            QTest::newRow(qPrintable(u"seed %1"_s.arg(seed))) << seed;
    }

    void foldsEverySampleIntoItsBucket()
    {
        // Random ascending stamps (some outside the range), NaNs, added in random pieces; each
        // bucket must equal the min and max of exactly its samples.
        QFETCH(int, seed);
        QRandomGenerator random { quint32(seed) };
        const std::int64_t start = 1'000'000;
        const std::int64_t span = random.bounded(1000, 10'000'000);
        const int buckets = random.bounded(1, 2000);
        std::vector<std::int64_t> stamps;
        std::vector<double> values;
        std::int64_t t = start - random.bounded(0, 1000);
        while (t < start + span + 1000) {
            stamps.push_back(t);
            values.push_back(random.bounded(50) == 0 ? std::nan("") : random.generateDouble());
            t += random.bounded(qint64(1), qint64(3 * span / 1000 + 2));
        }
        Overview overview({ TimeStamp(start), TimeStamp(start + span) }, buckets);
        for (std::size_t from = 0; from < stamps.size();) {
            const std::size_t count
                = std::min<std::size_t>(stamps.size() - from, std::size_t(random.bounded(1, 700)));
            overview.add(std::span(stamps).subspan(from, count),
                std::span(values).subspan(from, count));
            from += count;
        }
        std::vector<double> low(std::size_t(buckets), std::numeric_limits<double>::infinity());
        std::vector<double> high(std::size_t(buckets), -std::numeric_limits<double>::infinity());
        for (std::size_t i = 0; i < stamps.size(); ++i) {
            if (stamps[i] < start || stamps[i] >= start + span || std::isnan(values[i]))
                continue;
            // The bucket by its definition: floor((t - start) × buckets / span).
            const auto b
                = std::size_t((long double)(stamps[i] - start) * buckets / (long double)span);
            low[b] = std::min(low[b], values[i]);
            high[b] = std::max(high[b], values[i]);
        }
        for (int b = 0; b < buckets; ++b) {
            QCOMPARE(overview.isEmpty(b), low[std::size_t(b)] > high[std::size_t(b)]);
            if (!overview.isEmpty(b)) {
                QCOMPARE(overview.min(b), low[std::size_t(b)]);
                QCOMPARE(overview.max(b), high[std::size_t(b)]);
            }
        }
    }

    void rebucketedStaysAnEnvelope()
    {
        // Every sample's bucket on the wider range keeps its value inside its envelope, and
        // no bucket takes values from further than its neighbours.
        QRandomGenerator random { 21u };
        const TimeRange narrow { TimeStamp(1000), TimeStamp(1'001'000) };
        const TimeRange wide { TimeStamp(1000), TimeStamp(1'731'000) };
        Overview before(narrow, 300);
        Overview exact(wide, 300);
        std::int64_t t = 1000;
        while (t < 1'001'000) {
            const std::vector<std::int64_t> stamp { t };
            const std::vector<double> value { random.generateDouble() * 100 };
            before.add(stamp, value);
            exact.add(stamp, value);
            t += random.bounded(1, 5000);
        }
        const Overview after = before.rebucketed(wide);
        QCOMPARE(after.range(), wide);
        QCOMPARE(after.buckets(), 300);
        for (int b = 0; b < 300; ++b) {
            if (!exact.isEmpty(b)) {
                QVERIFY(!after.isEmpty(b));
                QVERIFY(after.min(b) <= exact.min(b));
                QVERIFY(after.max(b) >= exact.max(b));
            }
            if (after.isEmpty(b))
                continue;
            double low = std::numeric_limits<double>::infinity();
            double high = -low;
            for (int n = std::max(0, b - 1); n <= std::min(299, b + 1); ++n)
                if (!exact.isEmpty(n)) {
                    low = std::min(low, exact.min(n));
                    high = std::max(high, exact.max(n));
                }
            QVERIFY(after.min(b) >= low);
            QVERIFY(after.max(b) <= high);
        }
    }

    void mergeJoinsEnvelopes()
    {
        const TimeRange range { TimeStamp(0), TimeStamp(100) };
        Overview a(range, 10);
        Overview b(range, 10);
        a.add(std::vector<std::int64_t> { 5, 15 }, std::vector { 1.0, 2.0 });
        b.add(std::vector<std::int64_t> { 6, 95 }, std::vector { -1.0, 7.0 });
        a.merge(b);
        QCOMPARE(a.min(0), -1.0);
        QCOMPARE(a.max(0), 1.0);
        QCOMPARE(a.min(1), 2.0);
        QCOMPARE(a.max(9), 7.0);
        QVERIFY(a.isEmpty(5));
        Overview other({ TimeStamp(0), TimeStamp(50) }, 10);
        other.add(std::vector<std::int64_t> { 25 }, std::vector { 100.0 });
        a.merge(other); // another range: ignored
        QCOMPARE(a.max(5), -std::numeric_limits<double>::infinity());
    }
};

QTEST_GUILESS_MAIN(TestOverview)
#include "tst_overview.moc"
