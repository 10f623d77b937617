#pragma once

#include <QAbstractSocket>
#include <QWebSocket>

namespace sightline::core {

/// Sends what is written at once, without Nagle's algorithm: the last segment of a large
/// message otherwise waits for the peer's delayed ACK (40 ms on Linux), which stalled one
/// iterator round trip in three. Returns whether the option took.
inline bool sendWithoutDelay(QAbstractSocket& socket)
{
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return socket.socketOption(QAbstractSocket::LowDelayOption).toInt() == 1;
}

/// The same for a client WebSocket, which has no option for it: it is set on the TCP socket
/// the WebSocket owns (its child). Call once it is connected.
inline bool sendWithoutDelay(QWebSocket& socket)
{
    auto* tcp = socket.findChild<QAbstractSocket*>();
    return tcp != nullptr && sendWithoutDelay(*tcp);
}

} // namespace sightline::core
