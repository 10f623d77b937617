#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

class QThread;

namespace sightline::core::feed {

/// One-shot work (a read, a scan, an export) on worker threads for an object that lives on
/// the GUI thread, with what each job's results may do decided in one place:
/// - `Latest`: a new job replaces the one before (it is told to stop and nothing more of it
///   is delivered); `Every`: jobs run side by side until cancelled.
/// - A job's results reach the owner's thread through `Job::post` and are dropped when the
///   job was cancelled or replaced by the time they arrive.
/// - The destructor stops every job and joins its thread, so nothing runs once the owner is
///   gone: declare it after the members the jobs' deliveries use (it is destroyed first).
/// Work must copy what it uses (a shared connection, the request) and check `stopped()`
/// between steps. GUI-thread (owner's thread) only, apart from `Job`.
class BackgroundJobs : public QObject
{
    Q_OBJECT

public:
    enum class Policy { Latest, Every };

    /// What a job's work is given on its worker thread.
    class Job
    {
    public:
        /// Cancelled, replaced by a newer job (`Latest`), or shutting down.
        [[nodiscard]] bool stopped() const;
        /// Runs `deliver` on the owner's thread, unless the job is stopped by then.
        void post(std::function<void()> deliver) const;
        [[nodiscard]] quint64 id() const { return m_id; }

    private:
        friend class BackgroundJobs;
        struct Shared;
        Job(std::shared_ptr<const Shared> shared, BackgroundJobs* owner, quint64 id);

        std::shared_ptr<const Shared> m_shared;
        BackgroundJobs* m_owner;
        quint64 m_id;
    };

    explicit BackgroundJobs(Policy policy, QString threadName, QObject* parent = nullptr);
    ~BackgroundJobs() override;

    /// Runs `work` on a new worker thread; returns the job's id (never 0).
    quint64 start(std::function<void(const Job&)> work);
    /// Stops every job started so far; their remaining results are dropped.
    void cancel();
    /// The job `id` is neither cancelled nor replaced.
    [[nodiscard]] bool current(quint64 id) const;
    /// Worker threads still running (a stopped job's too, until its work returns).
    [[nodiscard]] int running() const { return static_cast<int>(m_threads.size()); }

private:
    std::shared_ptr<Job::Shared> m_shared;
    Policy m_policy;
    QString m_threadName;
    quint64 m_lastId = 0;
    std::vector<QThread*> m_threads;
};

/// What Job shares with its BackgroundJobs: every job with an id up to `stoppedThrough` is
/// stopped.
struct BackgroundJobs::Job::Shared
{
    std::atomic<quint64> stoppedThrough { 0 };
};

/// Debug builds: asserts the caller runs on the application's (GUI) thread.
void assertGuiThread(const char* where);

} // namespace sightline::core::feed

#ifndef NDEBUG
#define SIGHTLINE_ASSERT_GUI_THREAD() ::sightline::core::feed::assertGuiThread(Q_FUNC_INFO)
#else
#define SIGHTLINE_ASSERT_GUI_THREAD() ((void)0)
#endif
