#include "core/server/storage/checkpointer.h"

#include "core/server/storage/database.h"
#include "core/server/worker_thread.h"

namespace sightline::core::server {

Result<std::unique_ptr<Checkpointer>> Checkpointer::open(const QString& path)
{
    std::unique_ptr<Checkpointer> checkpointer(new Checkpointer());
    auto database = Database::open(path);
    if (!database)
        return tl::unexpected(database.error());
    checkpointer->m_database = std::move(*database);
    checkpointer->m_thread = std::make_unique<WorkerThread>(QStringLiteral("cluster-checkpoint"));
    return checkpointer;
}

Checkpointer::~Checkpointer() = default;

void Checkpointer::request()
{
    if (m_pending.exchange(true))
        return;
    m_thread->run(
        nullptr,
        [this] {
            m_pending = false; // a commit from here on asks again
            // A failed checkpoint leaves the log longer; the next request retries.
            (void)m_database->checkpoint();
        },
        [] {});
}

} // namespace sightline::core::server
