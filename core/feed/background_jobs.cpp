#include "core/feed/background_jobs.h"

#include <QCoreApplication>
#include <QThread>

#include <algorithm>

namespace sightline::core::feed {

BackgroundJobs::Job::Job(std::shared_ptr<const Shared> shared, BackgroundJobs* owner, quint64 id)
    : m_shared(std::move(shared))
    , m_owner(owner)
    , m_id(id)
{
}

bool BackgroundJobs::Job::stopped() const { return m_id <= m_shared->stoppedThrough.load(); }

void BackgroundJobs::Job::post(std::function<void()> deliver) const
{
    // Queued to the owner, which outlives the job's thread (its destructor joins it); the
    // check runs on the owner's thread, where jobs are cancelled and replaced.
    QMetaObject::invokeMethod(
        m_owner,
        [shared = m_shared, id = m_id, deliver = std::move(deliver)] {
            if (id > shared->stoppedThrough.load())
                deliver();
        },
        Qt::QueuedConnection);
}

BackgroundJobs::BackgroundJobs(Policy policy, QString threadName, QObject* parent)
    : QObject(parent)
    , m_shared(std::make_shared<Job::Shared>())
    , m_policy(policy)
    , m_threadName(std::move(threadName))
{
}

BackgroundJobs::~BackgroundJobs()
{
    m_shared->stoppedThrough.store(std::numeric_limits<quint64>::max());
    for (QThread* thread : m_threads) {
        thread->wait();
        delete thread;
    }
}

quint64 BackgroundJobs::start(std::function<void(const Job&)> work)
{
    SIGHTLINE_ASSERT_GUI_THREAD();
    const quint64 id = ++m_lastId;
    if (m_policy == Policy::Latest)
        m_shared->stoppedThrough.store(id - 1);
    QThread* thread
        = QThread::create([job = Job(m_shared, this, id), work = std::move(work)] { work(job); });
    thread->setObjectName(m_threadName);
    connect(thread, &QThread::finished, this, [this, thread] {
        const auto it = std::find(m_threads.begin(), m_threads.end(), thread);
        if (it == m_threads.end())
            return;
        m_threads.erase(it);
        thread->wait();
        delete thread;
    });
    m_threads.push_back(thread);
    thread->start();
    return id;
}

void BackgroundJobs::cancel() { m_shared->stoppedThrough.store(m_lastId); }

bool BackgroundJobs::current(quint64 id) const
{
    return id != 0 && id > m_shared->stoppedThrough.load();
}

void assertGuiThread(const char* where)
{
    const QCoreApplication* app = QCoreApplication::instance();
    if (app != nullptr && QThread::currentThread() != app->thread())
        qFatal("%s: called off the GUI thread", where);
}

} // namespace sightline::core::feed
