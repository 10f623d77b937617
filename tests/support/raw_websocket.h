#pragma once

// A WebSocket client written on a raw TCP socket, for what Qt's own client will not do:
// send unmasked frames, never answer pings, stop reading while the cluster keeps sending.

#include <QHostAddress>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#include <memory>

#include "support/cluster_test_client.h"

namespace sightline::test {

/// One final binary frame as a client sends it (payloads under 64 KiB): masked with a random
/// key, or, breaking RFC 6455 on purpose, not.
inline QByteArray clientFrame(const QByteArray& payload, bool masked = true)
{
    QByteArray frame;
    frame.append(char(0x82));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        frame.append(char(maskBit | char(payload.size())));
    } else {
        frame.append(char(maskBit | 126));
        frame.append(char((payload.size() >> 8) & 0xff));
        frame.append(char(payload.size() & 0xff));
    }
    QByteArray body = payload;
    if (masked) {
        const quint32 key = QRandomGenerator::global()->generate();
        const char mask[4] = { char(key >> 24), char(key >> 16), char(key >> 8), char(key) };
        frame.append(mask, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ mask[i % 4]);
    }
    return frame + body;
}

class RawWebSocket
{
public:
    /// Plain; with `trusted` certificates, over TLS trusting them.
    explicit RawWebSocket(const QList<QSslCertificate>& trusted = {})
    {
        if (trusted.isEmpty()) {
            m_socket = std::make_unique<QTcpSocket>();
        } else {
            auto secure = std::make_unique<QSslSocket>();
            QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
            configuration.setCaCertificates(trusted);
            secure->setSslConfiguration(configuration);
            m_socket = std::move(secure);
        }
        QObject::connect(m_socket.get(), &QTcpSocket::readyRead, [this] {
            if (m_reading)
                m_received += m_socket->readAll();
        });
        QObject::connect(m_socket.get(), &QTcpSocket::disconnected, [this] { m_closed = true; });
    }

    /// Connects (from `from` when given: another loopback address is another peer) and
    /// upgrades to `/api/v1/<path>` with a JSON stream. False when the upgrade failed.
    bool open(quint16 port,
        const QString& path,
        const QString& token,
        const QHostAddress& from = QHostAddress())
    {
        if (!from.isNull())
            m_socket->bind(from);
        auto* secure = qobject_cast<QSslSocket*>(m_socket.get());
        if (secure != nullptr)
            secure->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        else
            m_socket->connectToHost(QHostAddress::LocalHost, port);
        if (!waitUntil([&] {
                return m_closed
                    || (secure != nullptr ? secure->isEncrypted()
                                          : m_socket->state() == QAbstractSocket::ConnectedState);
            }))
            return false;
        m_socket->write("GET /api/v1/" + path.toLatin1()
            + "?freighterctxContent-Type=application/json&freighterctxAuthorization=Bearer%20"
            + token.toLatin1()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!waitUntil([this] { return m_received.contains("\r\n\r\n") || m_closed; }))
            return false;
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        if (end < 0 || !m_received.startsWith("HTTP/1.1 101"))
            return false;
        m_received.remove(0, end + 4);
        return true;
    }

    /// Sends one final binary frame; unmasked breaks RFC 6455 on purpose.
    void sendFrame(const QByteArray& payload, bool masked = true)
    {
        m_socket->write(clientFrame(payload, masked));
    }

    /// Stops reading: the kernel's small receive buffer fills and the cluster's sends back up.
    void stall()
    {
        m_reading = false;
        m_socket->setReadBufferSize(1);
        m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    }

    bool waitClosed(int timeoutMs)
    {
        return waitUntil([this] { return m_closed; }, timeoutMs);
    }
    bool waitForBytes(const QByteArray& text, int timeoutMs)
    {
        return waitUntil([&] { return m_received.contains(text) || m_closed; }, timeoutMs)
            && m_received.contains(text);
    }

    /// The code of the close frame the cluster sent, 0 when none arrived.
    [[nodiscard]] int closeCode() const
    {
        qsizetype at = 0;
        while (at + 2 <= m_received.size()) {
            const int opcode = m_received[at] & 0x0f;
            qint64 length = m_received[at + 1] & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                length = (quint8(m_received[at + 2]) << 8) | quint8(m_received[at + 3]);
                header = 4;
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; ++i)
                    length = (length << 8) | quint8(m_received[at + 2 + i]);
                header = 10;
            }
            if (opcode == 0x8 && length >= 2 && at + header + 2 <= m_received.size())
                return (quint8(m_received[at + header]) << 8) | quint8(m_received[at + header + 1]);
            at += header + length;
        }
        return 0;
    }

    [[nodiscard]] const QByteArray& received() const { return m_received; }
    [[nodiscard]] bool closed() const { return m_closed; }

private:
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_received;
    bool m_reading = true;
    bool m_closed = false;
};

} // namespace sightline::test
