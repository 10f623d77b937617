#pragma once

#include <QAbstractHttpServer>

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

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    UnaryApi& m_api;
    std::unique_ptr<WorkerThread> m_calls;
};

} // namespace sightline::core::server
