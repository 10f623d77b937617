#include "core/server/worker_thread.h"

#include "core/thread_handoff.h"

#include <QPointer>
#include <QThread>

namespace sightline::core::server {

WorkerThread::WorkerThread(const QString& name)
    : m_thread(std::make_unique<QThread>())
    , m_jobs(new QObject())
{
    m_thread->setObjectName(name);
    m_jobs->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_jobs, &QObject::deleteLater);
    m_thread->start();
}

WorkerThread::~WorkerThread()
{
    m_thread->quit(); // after the jobs already queued
    m_thread->wait();
}

void WorkerThread::run(QObject* receiver, std::function<void()> work, std::function<void()> done)
{
    QPointer<QObject> alive(receiver);
    // One token per job orders the poster, the job and the delivery for TSan.
    auto token = std::make_shared<char>();
    handOver(token.get());
    QMetaObject::invokeMethod(m_jobs,
        [this, alive, token, work = std::move(work), done = std::move(done)]() mutable {
            takeOver(token.get());
            work();
            handOver(token.get());
            QMetaObject::invokeMethod(this, [alive, token, done = std::move(done)] {
                takeOver(token.get());
                if (alive)
                    done();
            });
        });
}

} // namespace sightline::core::server
