// The embedded cluster's own threads: the worker threads (unary calls, reads, checkpoints),
// calls back onto the cluster's thread, and the channel registry used from two threads.

#include "core/server/channel_registry.h"
#include "core/server/storage/checkpointer.h"
#include "core/server/storage/database.h"
#include "core/server/thread_call.h"
#include "core/server/worker_thread.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

namespace {

Channel indexChannel(const QString& name)
{
    Channel c;
    c.name = name;
    c.dataType = DataType::Timestamp;
    c.isIndex = true;
    return c;
}

} // namespace

class TestClusterThreads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threadCallRunsOnTheOwningThread()
    {
        ThreadCall owner;
        QThread* ranOn = nullptr;
        std::atomic<bool> done = false;
        Result<void> result;
        std::thread caller([&] {
            result = owner.call([&]() -> Result<void> {
                ranOn = QThread::currentThread();
                return fail(u"test.marker"_s, u"from the owner"_s);
            });
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 5000); // spins this thread's event loop
        caller.join();
        QCOMPARE(ranOn, QThread::currentThread());
        QVERIFY(!result);
        QCOMPARE(result.error().type, u"test.marker"_s); // the work's own result comes back
    }

    void closeReleasesAWaitingCallerWithoutRunningIt()
    {
        ThreadCall owner;
        std::atomic<bool> queued = false;
        std::atomic<bool> ran = false;
        Result<void> result;
        std::thread caller([&] {
            queued = true;
            result = owner.call([&]() -> Result<void> {
                ran = true;
                return {};
            });
        });
        while (!queued)
            std::this_thread::yield();
        QThread::msleep(50); // the call is queued for this thread, which does not run it
        owner.close();
        caller.join(); // would hang if close() did not release it
        QVERIFY(!ran);
        QVERIFY(!result);
        QCOMPARE(result.error().type, u"sightline.shutdown"_s);
        // Later calls fail at once, from any thread.
        bool ranAfter = false;
        const auto after = owner.call([&]() -> Result<void> {
            ranAfter = true;
            return {};
        });
        QVERIFY(!after);
        QVERIFY(!ranAfter);
    }

    void workerRunsJobsInOrderOffThisThreadAndDeliversBack()
    {
        WorkerThread worker(u"test-worker"_s);
        QObject receiver;
        std::vector<int> order;
        std::vector<int> delivered;
        QString ranOn;
        for (int i = 0; i < 5; ++i)
            worker.run(
                &receiver,
                [&, i] {
                    order.push_back(i);
                    ranOn = QThread::currentThread()->objectName();
                },
                [&, i] { delivered.push_back(i); });
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), std::size_t { 5 }, 5000);
        QCOMPARE(order, (std::vector<int> { 0, 1, 2, 3, 4 }));
        QCOMPARE(delivered, order);
        QCOMPARE(ranOn, u"test-worker"_s);
    }

    void workerDropsTheDeliveryWhenTheReceiverIsGone()
    {
        WorkerThread worker(u"test-worker"_s);
        auto receiver = std::make_unique<QObject>();
        std::atomic<bool> worked = false;
        bool delivered = false;
        worker.run(
            receiver.get(),
            [&] { worked = true; },
            [&] { delivered = true; });
        receiver.reset();
        QTRY_VERIFY_WITH_TIMEOUT(worked.load(), 5000);
        QTest::qWait(50); // the delivery, had it been made, would have arrived by now
        QVERIFY(!delivered);
    }

    void checkpointsMoveTheLogIntoTheDatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cluster.db"_s);
        auto database = std::move(*Database::open(path));
        auto checkpointer = std::move(*Checkpointer::open(path));
        database->checkpointIn(*checkpointer);
        QVERIFY(database->exec("CREATE TABLE blobs (value BLOB)"));
        const qint64 before = QFileInfo(path).size();
        const QByteArray blob(8 * 1024 * 1024, 'x'); // ~2,000 pages: past the threshold
        auto insert = database->prepare("INSERT INTO blobs (value) VALUES (?)");
        QVERIFY(insert);
        QVERIFY(insert->bind(1, blob).run());
        // Done by the checkpoint thread: the committing connection no longer does it.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > before + blob.size(), 5000);
    }

    void registryChangesWhileAnotherThreadReads()
    {
        QTemporaryDir dir;
        auto database = std::move(*Database::open(dir.filePath(u"cluster.db"_s)));
        auto registry = std::move(*ChannelRegistry::open(*database));
        constexpr int Batches = 50;
        std::atomic<bool> written = false;
        std::thread writer([&] {
            for (int b = 0; b < Batches; ++b) {
                std::vector<Channel> batch;
                for (int i = 0; i < 20; ++i)
                    batch.push_back(indexChannel(u"time_%1_%2"_s.arg(b).arg(i)));
                QVERIFY(registry->create(std::move(batch)));
                if (b % 2 == 0)
                    QVERIFY(registry->rename(std::vector<ChannelKey> { registry->all().back().key },
                        QStringList { u"renamed_%1"_s.arg(b) }));
            }
            written = true;
        });
        std::size_t seen = 0;
        while (!written) {
            const std::vector<Channel> all = registry->all();
            QVERIFY(all.size() % 20 == 0); // a batch appears all at once
            for (const Channel& channel : all) // every record whole
                QVERIFY(channel.isIndex && !channel.name.isEmpty());
            QVERIFY(all.size() >= seen);
            seen = all.size();
            (void)registry->search(u"time"_s);
        }
        writer.join();
        QCOMPARE(registry->all().size(), std::size_t { Batches * 20 });
        QCOMPARE(registry->retrieveByNames({ u"renamed_0"_s }).size(), std::size_t { 1 });
    }
};

QTEST_GUILESS_MAIN(TestClusterThreads)
#include "tst_cluster_threads.moc"
