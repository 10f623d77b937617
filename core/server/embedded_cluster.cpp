#include "core/server/embedded_cluster.h"

#include "core/thread_handoff.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

EmbeddedCluster::EmbeddedCluster() = default;

EmbeddedCluster::~EmbeddedCluster() { stop(); }

Result<quint16> EmbeddedCluster::start(ClusterConfig config)
{
    if (m_cluster != nullptr)
        return m_port;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"sightline-cluster"_s);
    m_thread->start();
    // A context object living on the cluster's thread, so work can be queued there.
    m_context = new QObject();
    m_context->moveToThread(m_thread.get());
    Result<quint16> started = fail(errors::Unknown, QString());
    runOnThreadOf(m_context, [&] {
        auto cluster = Cluster::start(std::move(config));
        if (!cluster) {
            started = tl::unexpected(cluster.error());
            return;
        }
        m_cluster = cluster->release();
        started = m_cluster->port();
    });
    if (!started) {
        stop();
        return started;
    }
    m_port = *started;
    return started;
}

void EmbeddedCluster::run(const std::function<void(Cluster&)>& work)
{
    if (m_cluster == nullptr)
        return;
    runOnThreadOf(m_cluster, [&] { work(*m_cluster); });
}

void EmbeddedCluster::stop()
{
    if (!m_thread)
        return;
    if (m_cluster != nullptr) {
        Cluster* cluster = m_cluster;
        m_cluster = nullptr;
        runOnThreadOf(cluster, [cluster] {
            cluster->shutdown(TimeSpan::milliseconds(250));
            delete cluster;
        });
    }
    QObject* context = std::exchange(m_context, nullptr);
    runOnThreadOf(context, [context] { delete context; });
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_port = 0;
}

} // namespace sightline::core::server
