#pragma once

// A TCP link between a client and a cluster that a test controls: cut it (a network outage
// while the cluster keeps recording), restore it on the same port, or slip whole WebSocket
// messages into the cluster's `frame/stream` replies (a hostile or broken cluster).

#include <QHostAddress>
#include <QMetaObject>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

namespace sightline::test {

/// The size of the WebSocket frame at the start of `bytes` (RFC 6455 §5.2); 0 while its
/// header is incomplete.
inline qsizetype webSocketFrameSize(const QByteArray& bytes)
{
    if (bytes.size() < 2)
        return 0;
    const auto byte = [&](int i) { return static_cast<quint64>(static_cast<quint8>(bytes[i])); };
    const quint64 length7 = byte(1) & 0x7F;
    qsizetype header = 2;
    quint64 length = length7;
    if (length7 == 126) {
        if (bytes.size() < 4)
            return 0;
        length = byte(2) << 8 | byte(3);
        header = 4;
    } else if (length7 == 127) {
        if (bytes.size() < 10)
            return 0;
        length = 0;
        for (int i = 2; i < 10; ++i)
            length = length << 8 | byte(i);
        header = 10;
    }
    if ((byte(1) & 0x80) != 0)
        header += 4; // masked
    return header + static_cast<qsizetype>(length);
}

/// One unmasked binary WebSocket message, as a server sends it.
inline QByteArray webSocketMessage(const QByteArray& payload)
{
    QByteArray frame(1, char(0x82));
    const auto size = static_cast<quint64>(payload.size());
    if (size < 126) {
        frame.append(char(size));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xFF));
    }
    return frame + payload;
}

/// A TCP link from the client to the cluster that a test can cut (a network outage while the
/// cluster keeps recording) and restore on the same port, and that can slip whole WebSocket
/// messages into the cluster's `frame/stream` replies. Lives on the thread that makes it.
class CuttableLink : public QObject
{
public:
    explicit CuttableLink(quint16 upstream)
        : m_upstream(upstream)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* client = m_server.nextPendingConnection())
                pipe(client);
        });
        m_server.listen(QHostAddress::LocalHost, 0);
        m_port = m_server.serverPort();
    }

    quint16 port() const { return m_port; }

    void cut()
    {
        m_server.close();
        for (const auto& pipe : std::exchange(m_pipes, {})) {
            pipe->client->abort();
            pipe->upstream->abort();
            pipe->client->deleteLater();
            pipe->upstream->deleteLater();
        }
    }

    void restore() { m_server.listen(QHostAddress::LocalHost, m_port); }

    /// Sends `payload` as one message to the client of every `frame/stream` connection,
    /// between two of the cluster's messages.
    void inject(const QByteArray& payload)
    {
        for (const auto& pipe : m_pipes) {
            if (!pipe->stream)
                continue;
            pipe->pending.push_back(webSocketMessage(payload));
            if (!pipe->inMessage)
                flushPending(*pipe);
        }
    }

private:
    enum class Mode { Http, WebSocket, Raw };
    struct Pipe
    {
        QTcpSocket* client = nullptr;
        QTcpSocket* upstream = nullptr;
        QByteArray toClient;
        Mode mode = Mode::Http;
        bool sawRequest = false;
        bool stream = false;
        /// Inside a fragmented message: nothing may be slipped in now.
        bool inMessage = false;
        std::vector<QByteArray> pending;
    };

    void pipe(QTcpSocket* client)
    {
        auto pipe = std::make_shared<Pipe>();
        pipe->client = client;
        client->setParent(this);
        pipe->upstream = new QTcpSocket(this);
        pipe->upstream->connectToHost(QHostAddress::LocalHost, m_upstream);
        m_pipes.push_back(pipe);
        Pipe* p = pipe.get();
        connect(client, &QTcpSocket::readyRead, this, [p] {
            const QByteArray bytes = p->client->readAll();
            if (!std::exchange(p->sawRequest, true))
                p->stream = bytes.startsWith("GET /api/v1/frame/stream");
            p->upstream->write(bytes);
        });
        connect(pipe->upstream, &QTcpSocket::readyRead, this, [this, p] {
            p->toClient += p->upstream->readAll();
            forward(*p);
        });
        connect(client, &QTcpSocket::disconnected, p->upstream, &QTcpSocket::disconnectFromHost);
        connect(pipe->upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
    }

    /// Passes the cluster's bytes on; after a 101 upgrade only whole WebSocket frames.
    void forward(Pipe& pipe)
    {
        while (true) {
            if (pipe.mode == Mode::Raw) {
                pipe.client->write(std::exchange(pipe.toClient, {}));
                return;
            }
            if (pipe.mode == Mode::Http) {
                const qsizetype end = pipe.toClient.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QByteArray head = pipe.toClient.left(end + 4);
                pipe.client->write(head);
                pipe.toClient.remove(0, head.size());
                pipe.mode = head.startsWith("HTTP/1.1 101") ? Mode::WebSocket : Mode::Raw;
                continue;
            }
            const qsizetype size = webSocketFrameSize(pipe.toClient);
            if (size == 0 || pipe.toClient.size() < size)
                return;
            const auto first = static_cast<quint8>(pipe.toClient[0]);
            if ((first & 0x0F) < 8) // not a control frame
                pipe.inMessage = (first & 0x80) == 0;
            pipe.client->write(pipe.toClient.left(size));
            pipe.toClient.remove(0, size);
            if (!pipe.inMessage)
                flushPending(pipe);
        }
    }

    static void flushPending(Pipe& pipe)
    {
        for (const QByteArray& message : std::exchange(pipe.pending, {}))
            pipe.client->write(message);
    }

    QTcpServer m_server;
    const quint16 m_upstream;
    std::atomic<quint16> m_port = 0;
    std::vector<std::shared_ptr<Pipe>> m_pipes;
};

/// Owns a `T` made, used and destroyed on its own thread, so a test thread blocked in
/// Streamer::open (which waits for the streamer's worker) does not stall it.
template <typename T> class OnOwnThread
{
public:
    template <typename... Args> explicit OnOwnThread(Args... args)
    {
        m_thread.setObjectName(QStringLiteral("test-link"));
        m_context.moveToThread(&m_thread);
        m_thread.start();
        run([&] { m_object = std::make_unique<T>(args...); });
    }
    ~OnOwnThread()
    {
        run([this] { m_object.reset(); });
        m_thread.quit();
        m_thread.wait();
    }
    /// Runs `work` with the object on its thread and waits for it.
    template <typename Work> void operator()(Work work)
    {
        run([&] { work(*m_object); });
    }
    T* operator->() const { return m_object.get(); }

private:
    template <typename Work> void run(Work work)
    {
        QMetaObject::invokeMethod(&m_context, work, Qt::BlockingQueuedConnection);
    }

    QThread m_thread;
    QObject m_context;
    std::unique_ptr<T> m_object;
};

} // namespace sightline::test
