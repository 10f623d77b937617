// The history reader headless, against the embedded cluster on loopback: reads deliver
// every sample of a range in chunks from worker threads, a newer request silences an older
// one, overview scans fold every sample, and the extent is found. (Also run under TSan.)
#include "core/client/connection.h"
#include "core/client/writer.h"
#include "core/feed/history_reader.h"
#include "core/server/embedded_cluster.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::store;
using namespace sightline::core::feed;
using sightline::core::server::ClusterConfig;
using sightline::core::server::EmbeddedCluster;

namespace {

constexpr std::int64_t First = 1'000'000'000'000;
constexpr std::int64_t Period = 1'000'000; // 1 kHz
constexpr std::size_t Samples = 250'000;

} // namespace

class TestHistoryReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    EmbeddedCluster m_cluster;
    std::shared_ptr<client::Connection> m_connection;
    Channel m_index;
    Channel m_data;

    TimeRange written() const
    {
        return { TimeStamp(First),
            TimeStamp(First + static_cast<std::int64_t>(Samples - 1) * Period + 1) };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator.reset();
        QVERIFY(m_cluster.start(config));
        client::ConnectionConfig connection;
        connection.port = m_cluster.port();
        m_connection = std::make_shared<client::Connection>(connection);
        Channel index;
        index.name = u"time"_s;
        index.dataType = DataType::Timestamp;
        index.isIndex = true;
        m_index = m_connection->createChannels({ index })->at(0);
        Channel data;
        data.name = u"pressure"_s;
        data.dataType = DataType::Float64;
        data.index = m_index.key;
        m_data = m_connection->createChannels({ data })->at(0);
        auto writer = client::Writer::open(*m_connection,
            { .start = TimeStamp(First), .channels = { m_index.key, m_data.key } });
        QVERIFY(writer);
        for (std::size_t from = 0; from < Samples; from += 50'000) {
            std::vector<TimeStamp> stamps;
            std::vector<double> values;
            for (std::size_t i = from; i < from + 50'000; ++i) {
                stamps.emplace_back(First + static_cast<std::int64_t>(i) * Period);
                values.push_back(static_cast<double>(i % 1000));
            }
            Frame frame;
            frame.add(m_index.key, Series::fromTimeStamps(stamps));
            frame.add(m_data.key, Series::fromValues<double>(values));
            QVERIFY((*writer)->write(frame));
        }
        QVERIFY((*writer)->commit());
        QVERIFY((*writer)->close());
    }

    void readDeliversEverySampleOfTheRangeInChunks()
    {
        HistoryReader reader(m_connection);
        std::vector<std::int64_t> stamps;
        int chunks = 0;
        connect(&reader, &HistoryReader::chunkRead, this, [&](quint64, const HistoryChunk& c) {
            ++chunks;
            stamps.insert(stamps.end(), c.stamps.begin(), c.stamps.end());
        });
        QSignalSpy finished(&reader, &HistoryReader::finished);
        QSignalSpy failed(&reader, &HistoryReader::failed);
        reader.read({ m_data }, { .range = written(), .chunkSize = 40'000 });
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(stamps.size(), Samples);
        QVERIFY(std::is_sorted(stamps.begin(), stamps.end()));
        QVERIFY2(chunks >= 7, qPrintable(QString::number(chunks)));
    }

    void aNewerReadSilencesTheOlderOne()
    {
        HistoryReader reader(m_connection);
        QList<quint64> delivered;
        connect(&reader, &HistoryReader::chunkRead, this, [&](quint64 id, const HistoryChunk&) {
            delivered.append(id);
        });
        QSignalSpy finished(&reader, &HistoryReader::finished);
        const quint64 first = reader.read({ m_data }, { .range = written(), .chunkSize = 10'000 });
        const quint64 second = reader.read({ m_data },
            { .range = { TimeStamp(First), TimeStamp(First + 1000 * Period) } });
        QTRY_VERIFY_WITH_TIMEOUT(!reader.busy(), 20000);
        QVERIFY(!delivered.isEmpty());
        QVERIFY(!delivered.contains(first));
        QVERIFY(delivered.contains(second));
    }

    void overviewScanFoldsEverySample()
    {
        HistoryReader reader(m_connection);
        Overview last;
        double fraction = 0;
        connect(&reader,
            &HistoryReader::overviewRead,
            this,
            [&](quint64, const HistoryReader::Overviews& overviews, double f) {
                last = overviews.at(m_data.key);
                fraction = f;
            });
        QSignalSpy finished(&reader, &HistoryReader::finished);
        reader.scanOverview({ m_data }, { { m_data.key, Overview(written(), 100) } }, written());
        QVERIFY(finished.wait(20000));
        QCOMPARE(fraction, 1.0);
        QCOMPARE(last.buckets(), 100);
        for (int b = 0; b < last.buckets(); ++b) {
            QVERIFY(!last.isEmpty(b));
            QCOMPARE(last.min(b), 0.0);
        }
    }

    void aFailedReadSaysWhyWithATypedError()
    {
        HistoryReader reader(m_connection);
        Channel missing = m_data;
        missing.key = 987654;
        missing.index = 987653;
        QSignalSpy failed(&reader, &HistoryReader::failed);
        QSignalSpy finished(&reader, &HistoryReader::finished);
        reader.read({ missing }, { .range = written() });
        QVERIFY(failed.wait(20000));
        const auto error = failed.front().at(1).value<Error>();
        QVERIFY2(error.matches(errors::Query), qPrintable(error.toString()));
        QCOMPARE(finished.size(), 0);
    }

    void extentIsFirstToLastSample()
    {
        const auto extent = HistoryReader::extent(*m_connection, { m_data });
        QVERIFY(extent && *extent);
        QCOMPARE(**extent, written());
    }
};

QTEST_GUILESS_MAIN(TestHistoryReader)
#include "tst_history_reader.moc"
