#include "core/server/storage/read_pool.h"

#include "core/server/storage/database.h"
#include "core/server/storage/sample_store.h"
#include "core/thread_handoff.h"

#include <QThread>

namespace sightline::core::server {

Result<std::unique_ptr<ReadPool>> ReadPool::open(const QString& path)
{
    std::unique_ptr<ReadPool> pool(new ReadPool());
    auto database = Database::openReader(path);
    if (!database)
        return tl::unexpected(database.error());
    pool->m_database = std::move(*database);
    auto store = SampleStore::openReader(*pool->m_database);
    if (!store)
        return tl::unexpected(store.error());
    pool->m_store = std::move(*store);
    pool->m_thread = std::make_unique<QThread>();
    pool->m_thread->setObjectName(QStringLiteral("cluster-reads"));
    pool->m_worker = new QObject();
    pool->m_worker->moveToThread(pool->m_thread.get());
    QObject::connect(pool->m_thread.get(),
        &QThread::finished,
        pool->m_worker,
        &QObject::deleteLater);
    pool->m_thread->start();
    return pool;
}

ReadPool::~ReadPool()
{
    if (!m_thread)
        return;
    m_thread->quit(); // after the reads already queued
    m_thread->wait();
    m_store.reset();
    m_database.reset();
}

void ReadPool::run(
    QObject* receiver, std::function<void(SampleStore&)> work, std::function<void()> done)
{
    QPointer<QObject> alive(receiver);
    // One token per read orders the poster, the read and the delivery for TSan.
    auto token = std::make_shared<char>();
    handOver(token.get());
    QMetaObject::invokeMethod(m_worker,
        [this, alive, token, work = std::move(work), done = std::move(done)]() mutable {
            takeOver(token.get());
            work(*m_store);
            handOver(token.get());
            QMetaObject::invokeMethod(this, [alive, token, done = std::move(done)] {
                takeOver(token.get());
                if (alive)
                    done();
            });
        });
}

} // namespace sightline::core::server
