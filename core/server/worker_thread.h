#pragma once

#include <QObject>

#include <functional>
#include <memory>

class QThread;

namespace sightline::core::server {

/// A named thread that runs jobs one at a time, in the order given, and hands each back to
/// the thread that owns this object. Created and destroyed on that thread; destruction runs
/// the jobs already queued, then joins the thread.
class WorkerThread : public QObject
{
    Q_OBJECT

public:
    explicit WorkerThread(const QString& name);
    ~WorkerThread() override;

    /// Runs `work()` on the worker thread, then `done()` on this object's thread — unless
    /// `receiver` was destroyed meanwhile or is null (then `done` is dropped; `work` still
    /// runs). May be called from any thread.
    void run(QObject* receiver, std::function<void()> work, std::function<void()> done);

private:
    std::unique_ptr<QThread> m_thread;
    /// Lives on the worker thread; the jobs are queued calls on it.
    QObject* m_jobs = nullptr;
};

} // namespace sightline::core::server
