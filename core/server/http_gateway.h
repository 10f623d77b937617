#pragma once

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>

#include <deque>
#include <memory>

namespace sightline::core::server {

class UnaryApi;
class WorkerThread;

/// The cluster's HTTP front door: `POST /api/v1/<target>` with `Content-Type:
/// application/json` goes to the UnaryApi; success is 200 with the JSON response, a failure
/// 400 with Synnax's `{"type","data"}` error payload (protocol §1.2). Another content type is
/// 415, an unknown path 404, another method 405. Lives on the cluster's thread; the calls
/// themselves (JSON parsing, the API, encoding the response) run in order on a thread of
/// their own ("cluster-unary"), so a heavy one (creating 50,000 channels) never holds up the
/// live streams the cluster's thread relays. Destroy it only after UnaryApi::closeCalls().
class HttpGateway : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit HttpGateway(UnaryApi& api, QObject* parent = nullptr);
    ~HttpGateway() override;

    /// Largest request body accepted (bigger ones get 413).
    static constexpr qsizetype MaxBodyBytes = 16 * 1024 * 1024;
    /// Failed logins a peer address may make per minute before logins from it are refused
    /// until the minute has passed (guessing passwords at thousands a second).
    static constexpr int MaxFailedLoginsPerMinute = 10;

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    /// Failed logins per peer address over the last minute (oldest first, ms since epoch).
    [[nodiscard]] bool loginsBlocked(const QHostAddress& peer);
    void recordFailedLogin(const QHostAddress& peer);

    UnaryApi& m_api;
    QHash<QHostAddress, std::deque<qint64>> m_failedLogins;
    std::unique_ptr<WorkerThread> m_calls;
};

} // namespace sightline::core::server
