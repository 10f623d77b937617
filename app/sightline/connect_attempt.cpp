#include "connect_attempt.h"

#include "core/thread_handoff.h"

namespace sightline::app {

ConnectAttempt::ConnectAttempt(core::client::ConnectionConfig config, Done done, QObject* parent)
    : QObject(parent)
    , m_connection(std::make_shared<core::client::Connection>(std::move(config)))
{
    core::handOver(this);
    m_worker = std::thread([this, connection = m_connection, done = std::move(done)] {
        core::takeOver(this);
        auto outcome = std::make_shared<core::Result<Reached>>(reach(connection));
        core::handOver(outcome.get());
        // Posted to this object: dropped if it is destroyed first (it joins this thread
        // before, so `this` is valid while posting).
        QMetaObject::invokeMethod(this, [outcome, done] {
            core::takeOver(outcome.get());
            done(std::move(*outcome));
        });
    });
}

ConnectAttempt::~ConnectAttempt()
{
    cancel();
    m_worker.join();
}

void ConnectAttempt::cancel() { m_connection->cancel(); }

const core::client::ConnectionConfig& ConnectAttempt::config() const
{
    return m_connection->config();
}

} // namespace sightline::app

namespace sightline::app {

QSslCertificate ConnectAttempt::untrustedCertificate() const
{
    return m_connection->untrustedCertificate();
}

} // namespace sightline::app
