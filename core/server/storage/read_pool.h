#pragma once

#include "core/error.h"

#include <QObject>

#include <functional>
#include <memory>

namespace sightline::core::server {

class Database;
class SampleStore;
class WorkerThread;

/// Stored-sample reads off the cluster's thread, so a long read (an iterator chunk of
/// hundreds of megabytes) never holds up the live frames that thread relays. One read
/// thread with its own read-only connection to the database (WAL: it sees every committed
/// write and never blocks the writer). Created and destroyed on the cluster's thread;
/// destruction waits for the read in progress.
class ReadPool
{
public:
    /// Opens the read connection to the database file at `path`.
    [[nodiscard]] static Result<std::unique_ptr<ReadPool>> open(const QString& path);
    ~ReadPool();

    /// Runs `work(store)` on the read thread, then `done()` on the thread that created the
    /// pool — unless `receiver` was destroyed meanwhile. Reads run one at a time, in order.
    void run(QObject* receiver, std::function<void(SampleStore&)> work, std::function<void()> done);

    /// The read connection's store, for objects (iterators) that then use it only inside
    /// `work`.
    [[nodiscard]] SampleStore& store() { return *m_store; }

private:
    ReadPool() = default;

    std::unique_ptr<Database> m_database;
    std::unique_ptr<SampleStore> m_store;
    /// Declared last: destroyed (joined) first, before the store its reads use.
    std::unique_ptr<WorkerThread> m_thread;
};

} // namespace sightline::core::server
