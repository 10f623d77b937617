#include "core/telem/frame.h"

#include <QTest>

using namespace sightline::core;

class TestFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parallelKeysAndRepeatedKeys()
    {
        Frame frame;
        frame.add(1, Series::fromValues<double>({ 1, 2 }));
        frame.add(2, Series::fromValues<float>({ 9 }));
        frame.add(1, Series::fromValues<double>({ 3 }));
        QCOMPARE(frame.size(), std::size_t(3));
        QCOMPARE(frame.uniqueKeys(), (std::vector<ChannelKey> { 1, 2 }));
        QCOMPARE(frame.seriesOf(1).size(), std::size_t(2));
        QVERIFY(frame.contains(2));
        QVERIFY(!frame.contains(3));
        QCOMPARE(frame.sampleCount(), std::size_t(4));
        QCOMPARE(frame.byteSize(), std::size_t(28));
    }

    void concatenatesPerChannel()
    {
        Frame frame;
        Series first = Series::fromValues<double>({ 1, 2 });
        first.setTimeRange({ TimeStamp { 0 }, TimeStamp { 2 } });
        Series second = Series::fromValues<double>({ 3 });
        second.setTimeRange({ TimeStamp { 2 }, TimeStamp { 3 } });
        frame.add(7, first);
        frame.add(8, Series::fromValues<float>({ 5 }));
        frame.add(7, second);
        const auto joined = frame.concatenated(7);
        QVERIFY(joined.has_value());
        const auto values = joined->values<double>();
        QCOMPARE(std::vector<double>(values.begin(), values.end()),
            (std::vector<double> { 1, 2, 3 }));
        QCOMPARE(joined->timeRange(), (TimeRange { TimeStamp { 0 }, TimeStamp { 3 } }));
        QVERIFY(frame.concatenated(99)->empty());

        frame.add(7, Series::fromValues<float>({ 1 }));
        QVERIFY(!frame.concatenated(7).has_value());
    }

    void filterKeepsOrder()
    {
        Frame frame;
        frame.add(1, Series::fromValues<std::uint8_t>({ 1 }));
        frame.add(2, Series::fromValues<std::uint8_t>({ 2 }));
        frame.add(3, Series::fromValues<std::uint8_t>({ 3 }));
        frame.add(1, Series::fromValues<std::uint8_t>({ 4 }));
        const std::vector<ChannelKey> keep { 3, 1 };
        const Frame kept = frame.filtered(keep);
        QCOMPARE(kept.keys(), (std::vector<ChannelKey> { 1, 3, 1 }));
        QCOMPARE(kept.seriesAt(2).values<std::uint8_t>()[0], std::uint8_t(4));
        QVERIFY(frame.filtered({}).empty());
    }
};

QTEST_APPLESS_MAIN(TestFrame)
#include "tst_frame.moc"
