#include "core/server/storage/read_pool.h"

#include "core/server/storage/database.h"
#include "core/server/storage/sample_store.h"
#include "core/server/worker_thread.h"

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
    pool->m_thread = std::make_unique<WorkerThread>(QStringLiteral("cluster-reads"));
    return pool;
}

ReadPool::~ReadPool() = default;

void ReadPool::run(
    QObject* receiver, std::function<void(SampleStore&)> work, std::function<void()> done)
{
    m_thread->run(
        receiver,
        [this, work = std::move(work)] { work(*m_store); },
        std::move(done));
}

} // namespace sightline::core::server
