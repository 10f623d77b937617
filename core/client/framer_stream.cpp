#include "core/client/framer_stream.h"

#include "core/client/connection.h"
#include "core/codec/framer_message.h"
#include "core/socket_options.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    /// Messages larger than this from the cluster end the stream (iterator chunks of 100k
    /// samples × many channels stay well below).
    constexpr quint64 MaxIncomingMessageBytes = 512ull * 1024 * 1024;

    /// The local event loop a stream on this thread is waiting in (to quit it early).
    thread_local QEventLoop* tCurrentLoop = nullptr;

    int milliseconds(TimeSpan span)
    {
        return static_cast<int>(
            std::clamp<std::int64_t>(span.nanoseconds() / 1'000'000, 0, INT32_MAX));
    }

    /// Runs a local event loop until `done()` holds, `timeout` passes, or `quit` is asked.
    template <typename Done> void waitFor(Done done, TimeSpan timeout, QEventLoop*& current)
    {
        if (done())
            return;
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(milliseconds(timeout));
        current = &loop;
        while (!done() && deadline.isActive())
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        current = nullptr;
    }

} // namespace

FramerStream::FramerStream() = default;

FramerStream::~FramerStream()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

Result<std::unique_ptr<FramerStream>> FramerStream::open(
    Connection& connection, QStringView target, TimeSpan timeout)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto token = connection.token();
        if (!token)
            return tl::unexpected(token.error());
        QUrl url = connection.url(target, true);
        QUrlQuery query;
        query.addQueryItem(u"freighterctxContent-Type"_s, u"application/vnd.synnax.frame"_s);
        query.addQueryItem(u"freighterctxAuthorization"_s, u"Bearer "_s + *token);
        url.setQuery(query);

        std::unique_ptr<FramerStream> stream(new FramerStream());
        if (auto connected = stream->connectSocket(url, connection.tlsTrust(), timeout); !connected)
            return tl::unexpected(connected.error());
        // The first message is `open`, or a close carrying why the stream was refused.
        auto first = stream->receive(timeout);
        if (first && *first)
            return fail(errors::Protocol, u"the cluster sent data before opening the stream"_s);
        if (first)
            return fail(errors::Unreachable,
                u"the cluster did not open %1 within %2"_s.arg(target).arg(
                    timeout.toHumanString()));
        if (first.error().type == u"sightline.opened"_s) {
            stream->m_opened = true;
            return stream;
        }
        const bool tokenError = first.error().matches(errors::InvalidToken)
            || first.error().matches(errors::ExpiredToken);
        if (!tokenError || attempt == 1)
            return tl::unexpected(first.error());
        connection.invalidateToken(*token);
    }
    return fail(errors::Unknown, u"unreachable"_s);
}

Result<void> FramerStream::connectSocket(
    const QUrl& url, const Result<TlsTrust>& trust, TimeSpan timeout)
{
    const bool secure = url.scheme() == u"wss"_s;
    if (secure && !trust)
        return tl::unexpected(trust.error());
    m_socket = std::make_unique<QWebSocket>();
    m_socket->setMaxAllowedIncomingMessageSize(MaxIncomingMessageBytes);
    QList<QSslError> refused;
    QSslCertificate refusedPeer;
    QMetaObject::Connection sslWatch; // refers to locals: disconnected below
    if (secure) {
        m_socket->setSslConfiguration(trust->configuration());
        sslWatch = connect(m_socket.get(),
            &QWebSocket::sslErrors,
            this,
            [this, &trust, &refused, &refusedPeer](const QList<QSslError>& errors) {
                const QSslConfiguration peer = m_socket->sslConfiguration();
                if (trust->accepts(errors, peer.peerCertificateChain())) {
                    m_socket->ignoreSslErrors();
                    return;
                }
                refused = errors;
                refusedPeer = peer.peerCertificate();
            });
    }
    bool connected = false;
    connect(m_socket.get(), &QWebSocket::connected, this, [this, &connected] {
        connected = true;
        sendWithoutDelay(*m_socket);
    });
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& m) {
        m_inbox.enqueue(m);
        if (tCurrentLoop != nullptr)
            tCurrentLoop->quit();
    });
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, [this](const QString& m) {
        m_inbox.enqueue(m.toUtf8());
        if (tCurrentLoop != nullptr)
            tCurrentLoop->quit();
    });
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] {
        m_disconnected = true;
        if (tCurrentLoop != nullptr)
            tCurrentLoop->quit();
    });
    m_socket->open(url);
    waitFor([&] { return connected || m_disconnected; }, timeout, tCurrentLoop);
    disconnect(sslWatch);
    if (connected)
        return {};
    const QString reason
        = refused.isEmpty() ? m_socket->errorString() : TlsTrust::describe(refused, refusedPeer);
    m_socket->abort();
    return fail(refused.isEmpty() ? errors::Unreachable : errors::Tls,
        u"cannot open a stream to %1:%2: %3"_s.arg(url.host()).arg(url.port()).arg(reason));
}

Result<void> FramerStream::sendRequest(const QJsonObject& payload, bool prefixed)
{
    if (m_disconnected || m_closeSent)
        return fail(errors::StreamClosed, u"the stream is closed"_s);
    const codec::Envelope envelope = codec::Envelope::data(payload);
    m_socket->sendBinaryMessage(
        prefixed ? codec::encodeJsonFramerMessage(envelope) : codec::encodeEnvelope(envelope));
    m_socket->flush(); // out now, not when this thread next runs its event loop
    return {};
}

Result<void> FramerStream::sendFrame(const Frame& frame)
{
    if (m_disconnected || m_closeSent)
        return fail(errors::StreamClosed, u"the stream is closed"_s);
    auto encoded = m_codec.encode(frame, { .allowAllChannelsPresent = false, .withPrefix = true });
    if (!encoded)
        return tl::unexpected(encoded.error());
    m_socket->sendBinaryMessage(*encoded);
    m_socket->flush();
    return {};
}

void FramerStream::closeSend(bool prefixed)
{
    if (m_closeSent || m_disconnected)
        return;
    m_closeSent = true;
    const QByteArray close = R"({"type":"close"})";
    m_socket->sendBinaryMessage(prefixed ? QByteArray(1, char(0xFE)) + close : close);
    m_socket->flush();
}

void FramerStream::wake()
{
    m_woken = true;
    QMetaObject::invokeMethod(
        this,
        [] {
            if (tCurrentLoop != nullptr)
                tCurrentLoop->quit();
        },
        Qt::QueuedConnection);
}

bool FramerStream::hasQueued()
{
    QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
    return !m_inbox.isEmpty();
}

Error FramerStream::endedError() const
{
    if (m_ended)
        return *m_ended;
    const auto code = m_socket->closeCode();
    if (code == QWebSocketProtocol::CloseCodeNormal)
        return Error { errors::Eof, u"EOF"_s };
    return Error { errors::StreamClosed,
        u"the stream to the cluster was lost (%1)"_s.arg(m_socket->closeReason().isEmpty()
                ? m_socket->errorString()
                : m_socket->closeReason()) };
}

Result<std::optional<StreamMessage>> FramerStream::receive(TimeSpan timeout)
{
    if (m_ended && m_inbox.isEmpty())
        return tl::unexpected(*m_ended);
    waitFor([this] { return !m_inbox.isEmpty() || m_disconnected || m_woken; },
        timeout,
        tCurrentLoop);
    m_woken = false;
    if (m_inbox.isEmpty()) {
        if (m_disconnected) {
            m_ended = endedError();
            return tl::unexpected(*m_ended);
        }
        return std::optional<StreamMessage> {};
    }
    auto message = decode(m_inbox.dequeue());
    if (!message)
        return tl::unexpected(message.error());
    return std::optional<StreamMessage>(std::move(*message));
}

Result<StreamMessage> FramerStream::decode(const QByteArray& raw)
{
    QByteArrayView body = raw;
    const auto prefix = raw.isEmpty() ? 0 : static_cast<std::uint8_t>(raw.front());
    if (prefix == 0xFF) {
        auto frame = m_codec.decode(body.sliced(1));
        if (!frame)
            return tl::unexpected(frame.error());
        return StreamMessage { std::move(*frame), {} };
    }
    if (prefix == 0xFE)
        body = body.sliced(1);
    auto envelope = codec::decodeEnvelope(body);
    if (!envelope)
        return tl::unexpected(envelope.error());
    switch (envelope->type) {
    case codec::Envelope::Type::Open:
        if (m_opened) {
            m_ended = Error { errors::Protocol, u"the cluster opened the stream twice"_s };
            return tl::unexpected(*m_ended);
        }
        // Reported to open() as a pseudo-error so one path handles first messages.
        return fail(u"sightline.opened"_s, QString());
    case codec::Envelope::Type::Close:
        m_ended = envelope->error.value_or(Error { errors::Eof, u"EOF"_s });
        return tl::unexpected(*m_ended);
    case codec::Envelope::Type::Data:
        break;
    }
    if (!envelope->payload.isObject())
        return StreamMessage { std::nullopt, QJsonObject {} };
    return StreamMessage { std::nullopt, envelope->payload.toObject() };
}

} // namespace sightline::core::client
