#pragma once

#include "core/error.h"
#include "core/server/cluster.h"

#include <functional>
#include <memory>

class QObject;
class QThread;

namespace sightline::core::server {

/// A Cluster on its own thread, so the thread that starts it (the GUI, a test) never serves
/// network traffic or disk writes. start() blocks until the cluster listens or fails.
/// Threads: start(), stop() and port() from the owning thread.
class EmbeddedCluster
{
public:
    EmbeddedCluster();
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster&) = delete;
    EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

    /// Starts the cluster; its errors are Cluster::start's.
    [[nodiscard]] Result<quint16> start(ClusterConfig config);
    /// Stops the cluster and its thread (closing every stream). Safe to call twice.
    void stop();
    [[nodiscard]] bool running() const { return m_cluster != nullptr; }
    [[nodiscard]] quint16 port() const { return m_port; }
    /// Runs `work` on the cluster's thread with the cluster and waits for it.
    void run(const std::function<void(Cluster&)>& work);

private:
    std::unique_ptr<QThread> m_thread;
    QObject* m_context = nullptr;
    Cluster* m_cluster = nullptr;
    quint16 m_port = 0;
};

} // namespace sightline::core::server
