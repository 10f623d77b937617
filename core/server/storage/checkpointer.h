#pragma once

#include "core/error.h"

#include <atomic>
#include <memory>

namespace sightline::core::server {

class Database;
class WorkerThread;

/// Runs the database's write-ahead-log checkpoints on a thread of its own
/// ("cluster-checkpoint") with a connection of its own, so the connections that commit
/// (the store's, the registry's) never copy the log into the database themselves. Passive
/// checkpoints: they never wait for readers or block writers. Created and destroyed on the
/// cluster's thread; request() from any thread.
class Checkpointer
{
public:
    /// Opens the checkpoint connection to the database file at `path`.
    [[nodiscard]] static Result<std::unique_ptr<Checkpointer>> open(const QString& path);
    ~Checkpointer();

    /// Asks for a checkpoint; requests made while one is pending are one request.
    void request();

private:
    Checkpointer() = default;

    std::unique_ptr<Database> m_database;
    std::atomic<bool> m_pending = false;
    /// Declared last: joined first, before the connection it uses closes.
    std::unique_ptr<WorkerThread> m_thread;
};

} // namespace sightline::core::server
