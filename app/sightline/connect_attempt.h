#pragma once

#include "core/client/connection.h"

#include <QObject>

#include <functional>
#include <memory>
#include <thread>

#include "session.h"

namespace sightline::app {

/// One try at a remote cluster, off the GUI thread: reach() runs on a worker thread while the
/// current session (an embedded cluster recording, say) and the window keep running; the
/// outcome is delivered on the GUI thread. cancel() ends it within ~50 ms with a
/// `sightline.cancelled` error. Destroying it cancels and joins the worker. GUI thread only.
class ConnectAttempt : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(core::Result<Reached>)>;

    /// Starts at once; `done` is called once, on this object's thread, unless it is destroyed
    /// first.
    ConnectAttempt(core::client::ConnectionConfig config, Done done, QObject* parent = nullptr);
    ~ConnectAttempt() override;

    void cancel();
    [[nodiscard]] const core::client::ConnectionConfig& config() const;
    /// After a refused handshake: the certificate no CA vouched for (null otherwise).
    [[nodiscard]] QSslCertificate untrustedCertificate() const;

private:
    std::shared_ptr<core::client::Connection> m_connection;
    std::thread m_worker;
};

} // namespace sightline::app
