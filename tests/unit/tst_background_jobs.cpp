// BackgroundJobs: work runs off the calling thread, results arrive on it, a replaced or
// cancelled job delivers nothing, `Every` jobs run side by side, and the destructor stops
// and joins every job.

#include "core/feed/background_jobs.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using sightline::core::feed::BackgroundJobs;

class TestBackgroundJobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workRunsOffThreadAndDeliversOnTheOwnersThread()
    {
        BackgroundJobs jobs(BackgroundJobs::Policy::Latest, QStringLiteral("test-job"));
        QThread* worker = nullptr;
        QThread* delivered = nullptr;
        QString name;
        jobs.start([&](const BackgroundJobs::Job& job) {
            worker = QThread::currentThread();
            name = worker->objectName();
            job.post([&] { delivered = QThread::currentThread(); });
        });
        QTRY_VERIFY(delivered != nullptr);
        QVERIFY(worker != QThread::currentThread());
        QCOMPARE(delivered, QThread::currentThread());
        QCOMPARE(name, QStringLiteral("test-job"));
        QTRY_COMPARE(jobs.running(), 0);
    }

    void aNewerJobReplacesTheOlder()
    {
        BackgroundJobs jobs(BackgroundJobs::Policy::Latest, QStringLiteral("test-job"));
        QSemaphore release;
        std::atomic<bool> firstSawStop = false;
        std::vector<int> delivered;
        const quint64 first = jobs.start([&](const BackgroundJobs::Job& job) {
            release.acquire();
            firstSawStop = job.stopped();
            job.post([&] { delivered.push_back(1); });
        });
        const quint64 second = jobs.start(
            [&](const BackgroundJobs::Job& job) { job.post([&] { delivered.push_back(2); }); });
        QVERIFY(!jobs.current(first));
        QVERIFY(jobs.current(second));
        release.release();
        QTRY_COMPARE(jobs.running(), 0);
        QCoreApplication::processEvents();
        QVERIFY(firstSawStop);
        QCOMPARE(delivered, std::vector<int> { 2 });
    }

    void everyJobRunsUntilCancelled()
    {
        BackgroundJobs jobs(BackgroundJobs::Policy::Every, QStringLiteral("test-job"));
        int delivered = 0;
        for (int i = 0; i < 3; ++i)
            jobs.start([&](const BackgroundJobs::Job& job) { job.post([&] { ++delivered; }); });
        QTRY_COMPARE(delivered, 3);
        QSemaphore release;
        const quint64 held = jobs.start([&](const BackgroundJobs::Job& job) {
            release.acquire();
            job.post([&] { ++delivered; });
        });
        jobs.cancel();
        QVERIFY(!jobs.current(held));
        release.release();
        QTRY_COMPARE(jobs.running(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(delivered, 3); // the cancelled job's result was dropped
        jobs.start([&](const BackgroundJobs::Job& job) { job.post([&] { ++delivered; }); });
        QTRY_COMPARE(delivered, 4); // jobs after a cancel run as usual
    }

    void aResultQueuedBeforeTheCancelIsDroppedToo()
    {
        BackgroundJobs jobs(BackgroundJobs::Policy::Latest, QStringLiteral("test-job"));
        std::atomic<bool> posted = false;
        bool delivered = false;
        jobs.start([&](const BackgroundJobs::Job& job) {
            job.post([&] { delivered = true; });
            posted = true;
        });
        while (!posted.load()) // queued, not yet delivered: no event is processed meanwhile
            QThread::msleep(1);
        jobs.cancel();
        QTRY_COMPARE(jobs.running(), 0);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }

    void destructionStopsAndJoinsEveryJob()
    {
        auto finished = std::make_shared<std::atomic<int>>(0);
        auto jobs = std::make_unique<BackgroundJobs>(BackgroundJobs::Policy::Every,
            QStringLiteral("test-job"));
        for (int i = 0; i < 2; ++i)
            jobs->start([finished](const BackgroundJobs::Job& job) {
                while (!job.stopped()) // until told to stop
                    QThread::msleep(5);
                QThread::msleep(50); // and a little longer: the destructor must wait
                ++*finished;
            });
        QTest::qWait(20);
        jobs.reset();
        QCOMPARE(finished->load(), 2);
    }
};

QTEST_MAIN(TestBackgroundJobs)
#include "tst_background_jobs.moc"
