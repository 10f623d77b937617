#include "core/server/stream_sessions.h"

#include "core/codec/envelope.h"
#include "core/codec/error_codec.h"
#include "core/codec/framer_commands.h"
#include "core/codec/framer_message.h"
#include "core/codec/json_values.h"
#include "core/codec/telem_json.h"
#include "core/server/backlog_budget.h"
#include "core/server/channel_registry.h"
#include "core/server/storage/read_pool.h"

#include <QJsonArray>

#include <algorithm>
#include <climits>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    /// A JSON field that may be absent: `fallback` then, else read by `read`.
    template <typename Read, typename Fallback>
    auto optionalField(const QJsonObject& object, QStringView key, Read read, Fallback fallback)
        -> decltype(read(QJsonValue(), key))
    {
        using Value = typename decltype(read(QJsonValue(), key))::value_type;
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return Value(fallback);
        return read(value, key);
    }

    Result<std::vector<std::uint32_t>> uint32ArrayFromJson(const QJsonValue& value,
        QStringView what)
    {
        if (value.isUndefined() || value.isNull())
            return std::vector<std::uint32_t> {};
        return codec::arrayFromJson(value, what, [what](const QJsonValue& item) {
            return codec::uint32FromJson(item, what);
        });
    }

    Result<std::vector<Authority>> authoritiesFromJson(const QJsonValue& value)
    {
        auto values = uint32ArrayFromJson(value, u"authorities");
        if (!values)
            return tl::unexpected(values.error());
        std::vector<Authority> authorities;
        for (const std::uint32_t a : *values) {
            if (a > 255)
                return fail(errors::Validation, u"authority %1 is above 255"_s.arg(a));
            authorities.push_back(static_cast<Authority>(a));
        }
        return authorities;
    }

    Result<int> commandOf(const QJsonObject& payload, int last)
    {
        auto command = optionalField(payload, u"command", codec::uint32FromJson, 0);
        if (!command)
            return tl::unexpected(command.error());
        if (*command > std::uint32_t(last))
            return fail(errors::Validation, u"unknown command %1"_s.arg(*command));
        return static_cast<int>(*command);
    }

    /// `frame` as frames of at most `maxBytes` sample bytes each (a series longer than that
    /// is sliced; a variable-density one travels whole), in the same order.
    std::vector<Frame> splitFrame(const Frame& frame, std::size_t maxBytes)
    {
        std::vector<Frame> parts(1);
        std::size_t bytesInLast = 0;
        const auto add = [&](ChannelKey key, Series series) {
            if (bytesInLast > 0 && bytesInLast + series.byteSize() > maxBytes) {
                parts.emplace_back();
                bytesInLast = 0;
            }
            bytesInLast += series.byteSize();
            parts.back().add(key, std::move(series));
        };
        for (std::size_t i = 0; i < frame.size(); ++i) {
            const Series& series = frame.seriesAt(i);
            const int density = series.dataType().density();
            if (density <= 0 || series.byteSize() <= maxBytes) {
                add(frame.keyAt(i), series);
                continue;
            }
            const std::size_t perPart = std::max<std::size_t>(1, maxBytes / density);
            for (std::size_t first = 0; first < series.size(); first += perPart)
                add(frame.keyAt(i), series.slice(first, first + perPart));
        }
        return parts;
    }

} // namespace

// ---- StreamSession -----------------------------------------------------------------------

StreamSession::StreamSession(std::unique_ptr<QWebSocket> socket,
    StreamEncoding encoding,
    const StreamContext& context,
    std::optional<TimeStamp> tokenExpires)
    : m_socket(std::move(socket))
    , m_encoding(encoding)
    , m_context(context)
{
    m_socket->setParent(nullptr);
    m_socket->setMaxAllowedIncomingMessageSize(MaxIncomingMessageBytes);
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] {
        m_finished = true;
        deleteLater();
    });
    connect(m_socket.get(), &QWebSocket::bytesWritten, this, [this] {
        updateBacklog();
        if (!m_finished)
            handleWritten();
    });
    connect(m_socket.get(), &QWebSocket::pong, this, [this] { m_sinceHeard.restart(); });
    m_sinceHeard.start();
    m_liveness.setInterval(std::max<qint64>(1, m_context.idle.nanoseconds() / 3'000'000));
    connect(&m_liveness, &QTimer::timeout, this, &StreamSession::checkLiveness);
    m_tokenExpiry.setSingleShot(true);
    connect(&m_tokenExpiry, &QTimer::timeout, this, [this] {
        finish(Error { errors::ExpiredToken,
            u"the stream's token expired: log in again and reopen the stream"_s });
    });
    if (tokenExpires) {
        const qint64 untilExpiry = (*tokenExpires - TimeStamp::now()).nanoseconds() / 1'000'000;
        m_tokenExpiry.start(static_cast<int>(std::clamp<qint64>(untilExpiry, 0, INT_MAX)));
    }
}

qint64 StreamSession::bufferedBytes() const { return m_socket->bytesToWrite(); }

StreamSession::~StreamSession() { m_context.liveBacklog.release(this); }

void StreamSession::start()
{
    connect(m_socket.get(),
        &QWebSocket::binaryMessageReceived,
        this,
        &StreamSession::handleMessage);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        handleMessage(text.toUtf8());
    });
    m_liveness.start();
    const codec::Envelope open = codec::Envelope::open();
    send(m_encoding == StreamEncoding::Framer ? codec::encodeJsonFramerMessage(open)
                                              : codec::encodeEnvelope(open));
}

void StreamSession::finish(std::optional<Error> error)
{
    if (m_finished)
        return;
    const codec::Envelope close = codec::Envelope::close(std::move(error));
    send(m_encoding == StreamEncoding::Framer ? codec::encodeJsonFramerMessage(close)
                                              : codec::encodeEnvelope(close));
    stopTimers();
    m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    // A client that does not read its close would keep the socket (and what waits in it).
    QTimer::singleShot(CloseGraceMs, m_socket.get(), &QWebSocket::abort);
}

void StreamSession::stopTimers()
{
    m_finished = true;
    m_liveness.stop();
    m_tokenExpiry.stop();
}

void StreamSession::drop()
{
    stopTimers();
    m_context.liveBacklog.release(this);
    m_socket->abort();
}

void StreamSession::checkLiveness()
{
    if (m_finished)
        return;
    if (m_sinceHeard.hasExpired(m_context.idle.nanoseconds() / 1'000'000)) {
        finish(Error { errors::Unexpected,
            u"nothing arrived from the client for %1 s, not even a pong"_s.arg(
                m_context.idle.nanoseconds() / 1'000'000'000) });
        return;
    }
    if (m_sinceHeard.hasExpired(m_liveness.interval()))
        m_socket->ping();
}

void StreamSession::updateBacklog()
{
    if (!m_chargesLiveBacklog || m_finished)
        return;
    StreamSession* furthestBehind = m_context.liveBacklog.charge(this, m_socket->bytesToWrite());
    if (furthestBehind != nullptr)
        furthestBehind->drop();
}

void StreamSession::send(const QByteArray& bytes)
{
    if (m_finished)
        return;
    if (m_socket->bytesToWrite() + bytes.size() > m_context.maxBacklogBytes) {
        // A consumer this slow would hold the cluster's memory hostage: drop it.
        drop();
        return;
    }
    m_socket->sendBinaryMessage(bytes);
    updateBacklog();
}

void StreamSession::sendData(const QJsonObject& payload)
{
    const codec::Envelope data = codec::Envelope::data(payload);
    send(m_encoding == StreamEncoding::Framer ? codec::encodeJsonFramerMessage(data)
                                              : codec::encodeEnvelope(data));
}

void StreamSession::sendFrame(const Frame& frame, QJsonObject payload)
{
    if (m_encoding == StreamEncoding::Framer) {
        const codec::FrameEncodeOptions options { .allowAllChannelsPresent = false,
            .withPrefix = true };
        if (auto encoded = m_codec.encodeInto(frame, m_encodeBuffer, options)) {
            send(m_encodeBuffer);
            return;
        }
        // A frame the codec's key set cannot describe travels as JSON instead.
    }
    payload.insert(u"frame"_s, codec::toJson(frame));
    sendData(payload);
}

void StreamSession::updateCodec(const std::vector<Channel>& channels)
{
    std::vector<codec::KeyType> keys;
    keys.reserve(channels.size());
    for (const Channel& channel : channels)
        keys.push_back({ channel.key, channel.dataType });
    if (!keys.empty())
        m_codec.update(keys);
}

void StreamSession::handleBinaryFrame(QByteArrayView)
{
    finish(Error { errors::Validation, u"this stream does not accept binary frames"_s });
}

void StreamSession::handleMessage(const QByteArray& message)
{
    if (m_finished)
        return;
    QByteArrayView body = message;
    m_sinceHeard.restart();
    if (!message.isEmpty() && static_cast<std::uint8_t>(message.front()) == 0xFF) {
        handleBinaryFrame(body.sliced(1));
        return;
    }
    if (!message.isEmpty() && static_cast<std::uint8_t>(message.front()) == 0xFE)
        body = body.sliced(1);
    auto envelope = codec::decodeEnvelope(body);
    if (!envelope) {
        finish(Error { errors::Validation, envelope.error().message });
        return;
    }
    switch (envelope->type) {
    case codec::Envelope::Type::Close:
        handleClientClose();
        return;
    case codec::Envelope::Type::Open:
        finish(Error { errors::Validation, u"a client may not send an open message"_s });
        return;
    case codec::Envelope::Type::Data:
        if (!envelope->payload.isObject()) {
            finish(Error { errors::Validation, u"a request payload must be a JSON object"_s });
            return;
        }
        handleRequest(envelope->payload.toObject());
        return;
    }
}

// ---- StreamerSession ---------------------------------------------------------------------

StreamerSession::StreamerSession(std::unique_ptr<QWebSocket> socket,
    StreamEncoding encoding,
    const StreamContext& context,
    std::optional<TimeStamp> tokenExpires)
    : StreamSession(std::move(socket), encoding, context, tokenExpires)
{
    chargeLiveBacklog();
}

StreamerSession::~StreamerSession() { framer().relay().unsubscribe(this); }

void StreamerSession::handleRequest(const QJsonObject& payload)
{
    auto keys = codec::keysFromJson(payload.value(u"keys"));
    auto downsample = optionalField(payload, u"downsample_factor", codec::int64FromJson, 1);
    auto rate = payload.value(u"throttle_rate").toDouble(0);
    auto excluded = uint32ArrayFromJson(payload.value(u"exclude_groups"), u"exclude_groups");
    std::optional<Error> error;
    if (!keys)
        error = keys.error();
    else if (!downsample)
        error = downsample.error();
    else if (!excluded)
        error = excluded.error();
    else if (!std::isfinite(rate) || rate < 0)
        error = Error { errors::Validation, u"throttle_rate must be zero or positive"_s };
    auto channels = keys ? framer().channels().retrieveByKeys(*keys)
                         : Result<std::vector<Channel>>(tl::unexpected(*error));
    if (!error && !channels)
        error = channels.error();
    if (error) {
        finish(error);
        return;
    }
    setKeys(*keys);
    setExcludedGroups({ excluded->begin(), excluded->end() });
    m_downsample = static_cast<std::size_t>(std::max<std::int64_t>(1, *downsample));
    m_throttle.stop();
    if (rate > 0) {
        m_throttle.setInterval(std::max(1, static_cast<int>(1000.0 / rate)));
        connect(&m_throttle,
            &QTimer::timeout,
            this,
            &StreamerSession::flushThrottled,
            Qt::UniqueConnection);
        m_throttle.start();
    }
    updateCodec(*channels);
    if (m_subscribed)
        return; // an update: replaced silently (protocol §5.6)
    framer().relay().subscribe(this);
    m_subscribed = true;
    sendData(QJsonObject { { u"frame"_s, codec::toJson(Frame {}) } });
}

void StreamerSession::deliver(const Frame& frame)
{
    Frame out;
    for (std::size_t i = 0; i < frame.size(); ++i)
        out.add(frame.keyAt(i), frame.seriesAt(i).downsampled(m_downsample));
    if (m_throttle.isActive()) {
        for (std::size_t i = 0; i < out.size(); ++i)
            m_pending.add(out.keyAt(i), out.seriesAt(i));
        return;
    }
    sendFrame(out, QJsonObject {});
}

void StreamerSession::flushThrottled()
{
    if (m_pending.empty())
        return;
    // One merged frame per period: each channel's series joined.
    Frame merged;
    for (const ChannelKey key : m_pending.uniqueKeys()) {
        auto joined = m_pending.concatenated(key);
        if (joined)
            merged.add(key, std::move(*joined));
    }
    m_pending = Frame {};
    sendFrame(merged, QJsonObject {});
}

void StreamerSession::handleClientClose()
{
    framer().relay().unsubscribe(this);
    m_throttle.stop();
    finish();
}

// ---- IteratorSession ---------------------------------------------------------------------

using namespace codec; // the framer command numbers

void IteratorSession::handleRequest(const QJsonObject& payload)
{
    if (m_reply || m_reading) {
        m_waitingRequests.push_back(payload);
        return;
    }
    auto command = commandOf(payload, IteratorError);
    if (!command) {
        finish(command.error());
        return;
    }
    if (!m_iterator) {
        if (*command != IteratorOpen) {
            finish(Error { errors::Validation, u"the iterator must be opened first"_s });
            return;
        }
        open(payload);
        return;
    }
    if (*command == IteratorOpen) {
        finish(Error { errors::Validation, u"the iterator is already open"_s });
        return;
    }
    if (*command == IteratorError) {
        acknowledge(*command, !m_error, m_error);
        return;
    }
    ReadPool* pool = framer().readPool();
    if (pool == nullptr) {
        deliver(*command, run(*m_iterator, m_error.has_value(), *command, payload));
        return;
    }
    // Off the cluster's thread: live frames keep flowing while the store is read.
    m_reading = true;
    auto result = std::make_shared<Result<IteratorStep>>(IteratorStep {});
    pool->run(
        this,
        [iterator = m_iterator, errored = m_error.has_value(), command = *command, payload, result](
            SampleStore&) { *result = run(*iterator, errored, command, payload); },
        [this, command = *command, result] {
            m_reading = false;
            deliver(command, std::move(*result));
        });
}

void IteratorSession::deliver(int command, Result<IteratorStep> step)
{
    if (!step) {
        if (step.error().matches(errors::Storage))
            m_error = step.error();
        acknowledge(command, false, step.error());
        sendReply(); // then the requests that waited
        return;
    }
    m_reply = Reply { command,
        step->ok,
        std::deque<Frame>(std::make_move_iterator(step->frames.begin()),
            std::make_move_iterator(step->frames.end())) };
    sendReply();
}

void IteratorSession::handleWritten()
{
    if (m_reply)
        sendReply();
}

void IteratorSession::sendReply()
{
    while (m_reply && !finished()) {
        if (m_reply->frames.empty()) {
            const Reply done = std::move(*m_reply);
            m_reply.reset();
            acknowledge(done.command, done.ok);
            break;
        }
        if (bufferedBytes() >= SendWindowBytes)
            return; // handleWritten resumes once the socket drains
        // Split when it is its turn, so a reply is never copied whole at once.
        if (m_reply->frames.front().byteSize() > MaxReplyMessageBytes) {
            std::vector<Frame> parts = splitFrame(m_reply->frames.front(), MaxReplyMessageBytes);
            m_reply->frames.pop_front();
            m_reply->frames.insert(m_reply->frames.begin(),
                std::make_move_iterator(parts.begin()),
                std::make_move_iterator(parts.end()));
        }
        sendFrame(m_reply->frames.front(),
            QJsonObject { { u"variant"_s, IteratorDataVariant },
                { u"ack"_s, false },
                { u"command"_s, m_reply->command } });
        m_reply->frames.pop_front();
    }
    while (!m_reply && !m_reading && !m_waitingRequests.empty() && !finished()) {
        const QJsonObject next = std::move(m_waitingRequests.front());
        m_waitingRequests.pop_front();
        handleRequest(next);
    }
}

Result<std::unique_ptr<FrameIterator>> IteratorSession::openIterator(IteratorConfig config)
{
    ReadPool* pool = framer().readPool();
    if (pool == nullptr)
        return FrameIterator::open(framer(), std::move(config));
    auto channels = framer().channels().retrieveByKeys(config.keys);
    if (!channels)
        return tl::unexpected(channels.error());
    return FrameIterator::open(pool->store(), std::move(*channels), std::move(config));
}

void IteratorSession::open(const QJsonObject& payload)
{
    IteratorConfig config;
    auto keys = codec::keysFromJson(payload.value(u"keys"));
    auto bounds = optionalField(payload, u"bounds", codec::timeRangeFromJson, TimeRange::max());
    auto chunkSize = optionalField(payload, u"chunk_size", codec::int64FromJson, 100'000);
    auto downsample = optionalField(payload, u"downsample_factor", codec::int64FromJson, 1);
    Result<std::unique_ptr<FrameIterator>> iterator = fail(errors::Validation, QString());
    if (!keys)
        iterator = tl::unexpected(keys.error());
    else if (!bounds)
        iterator = tl::unexpected(bounds.error());
    else if (!chunkSize)
        iterator = tl::unexpected(chunkSize.error());
    else if (!downsample)
        iterator = tl::unexpected(downsample.error());
    else
        iterator = openIterator({ .keys = *keys,
            .bounds = *bounds,
            .chunkSize = *chunkSize,
            .downsampleFactor = *downsample });
    if (!iterator) {
        finish(iterator.error());
        return;
    }
    m_iterator = std::move(*iterator);
    if (auto channels = framer().channels().retrieveByKeys(*keys))
        updateCodec(*channels);
    acknowledge(IteratorOpen, true);
}

Result<IteratorStep> IteratorSession::run(
    FrameIterator& iterator, bool errored, int command, const QJsonObject& payload)
{
    const auto seek = [](Result<bool> found) -> Result<IteratorStep> {
        if (!found)
            return tl::unexpected(found.error());
        return IteratorStep { *found, {} };
    };
    const auto span = [&]() {
        return optionalField(payload, u"span", codec::timeSpanFromJson, FrameIterator::AutoSpan);
    };
    const auto stamp
        = [&]() { return codec::timeStampFromJson(payload.value(u"stamp"), u"stamp"); };
    switch (command) {
    case IteratorNext:
    case IteratorPrev: {
        auto by = span();
        if (!by)
            return tl::unexpected(by.error());
        return command == IteratorNext ? iterator.next(*by) : iterator.prev(*by);
    }
    case IteratorSeekFirst:
        return seek(iterator.seekFirst());
    case IteratorSeekLast:
        return seek(iterator.seekLast());
    case IteratorSeekLE:
    case IteratorSeekGE: {
        auto at = stamp();
        if (!at)
            return tl::unexpected(at.error());
        return seek(command == IteratorSeekLE ? iterator.seekLE(*at) : iterator.seekGE(*at));
    }
    default:
        return IteratorStep { iterator.valid() && !errored, {} };
    }
}

void IteratorSession::acknowledge(int command, bool ok, const std::optional<Error>& error)
{
    QJsonObject ack { { u"variant"_s, IteratorAckVariant },
        { u"ack"_s, ok },
        { u"command"_s, command } };
    if (error)
        ack.insert(u"error"_s, codec::encodeErrorPayload(error));
    sendData(ack);
}

// ---- WriterSession -----------------------------------------------------------------------

namespace {
    Result<WriterConfig> writerConfigFromJson(const QJsonObject& config)
    {
        WriterConfig out;
        auto start = optionalField(config, u"start", codec::timeStampFromJson, TimeStamp());
        auto keys = codec::keysFromJson(config.value(u"keys"));
        auto authorities = authoritiesFromJson(config.value(u"authorities"));
        auto mode = optionalField(config, u"mode", codec::uint32FromJson, 1);
        auto errOnUnauthorized = codec::optionalBool(config, u"err_on_unauthorized", false);
        auto autoCommit = codec::optionalBool(config, u"enable_auto_commit", false);
        if (!start)
            return tl::unexpected(start.error());
        if (!keys)
            return tl::unexpected(keys.error());
        if (!authorities)
            return tl::unexpected(authorities.error());
        if (!mode)
            return tl::unexpected(mode.error());
        if (!errOnUnauthorized)
            return tl::unexpected(errOnUnauthorized.error());
        if (!autoCommit)
            return tl::unexpected(autoCommit.error());
        if (*mode < 1 || *mode > 3)
            return fail(errors::Validation, u"unknown writer mode %1"_s.arg(*mode));
        auto autoIndex = codec::optionalBool(config, u"auto_index", false);
        if (!autoIndex)
            return tl::unexpected(autoIndex.error());
        const QJsonObject subject = config.value(u"control_subject").toObject();
        out.start = *start;
        out.keys = std::move(*keys);
        out.authorities = std::move(*authorities);
        out.mode = static_cast<WriterMode>(*mode);
        out.errOnUnauthorized = *errOnUnauthorized;
        out.enableAutoCommit = *autoCommit;
        out.autoIndex = *autoIndex;
        out.subject.key = subject.value(u"key").toString();
        out.subject.name = subject.value(u"name").toString();
        out.subject.group = static_cast<std::uint32_t>(
            std::clamp(subject.value(u"group").toDouble(0), 0.0, 4294967295.0));
        return out;
    }
} // namespace

void WriterSession::handleRequest(const QJsonObject& payload)
{
    auto command = commandOf(payload, WriterSetAuthority);
    if (!command) {
        finish(command.error());
        return;
    }
    if (*command == WriterOpen) {
        if (m_writer) {
            respond(WriterOpen,
                TimeStamp(),
                Error { errors::Validation, u"the writer is already open"_s });
            return;
        }
        open(payload.value(u"config").toObject());
        return;
    }
    if (!m_writer) {
        finish(Error { errors::Validation, u"the writer must be opened first"_s });
        return;
    }
    switch (*command) {
    case WriterWrite:
        write(codec::frameFromJson(payload.value(u"frame")));
        return;
    case WriterCommit: {
        if (m_writeError) {
            respond(WriterCommit, m_writer->end(), m_writeError);
            return;
        }
        auto end = m_writer->commit();
        respond(WriterCommit,
            end.value_or(m_writer->end()),
            end ? std::nullopt : std::optional(end.error()));
        return;
    }
    case WriterSetAuthority: {
        const QJsonObject config = payload.value(u"config").toObject();
        auto keys = codec::keysFromJson(config.value(u"keys"));
        auto authorities = authoritiesFromJson(config.value(u"authorities"));
        Result<void> set = !keys ? Result<void>(tl::unexpected(keys.error()))
            : !authorities       ? Result<void>(tl::unexpected(authorities.error()))
                                 : m_writer->setAuthority(*keys, *authorities);
        respond(WriterSetAuthority,
            m_writer->end(),
            set ? std::nullopt : std::optional(set.error()));
        return;
    }
    default:
        return;
    }
}

void WriterSession::open(const QJsonObject& config)
{
    auto parsed = writerConfigFromJson(config);
    // The frames come encoded over the channels the client asked for (auto_index may add
    // their indexes to the writer itself).
    const std::vector<ChannelKey> asked = parsed ? parsed->keys : std::vector<ChannelKey> {};
    auto writer = parsed ? FrameWriter::open(framer(), std::move(*parsed))
                         : Result<std::unique_ptr<FrameWriter>>(tl::unexpected(parsed.error()));
    if (!writer) {
        respond(WriterOpen, TimeStamp(), writer.error());
        finish(writer.error());
        return;
    }
    m_writer = std::move(*writer);
    if (auto channels = framer().channels().retrieveByKeys(asked))
        updateCodec(*channels);
    respond(WriterOpen, m_writer->end(), std::nullopt);
}

void WriterSession::handleBinaryFrame(QByteArrayView bytes)
{
    if (!m_writer) {
        finish(Error { errors::Validation, u"the writer must be opened first"_s });
        return;
    }
    write(codec().decode(bytes));
}

void WriterSession::write(const Result<Frame>& frame)
{
    if (m_writeError)
        return;
    const Result<void> written
        = frame ? m_writer->write(*frame) : Result<void>(tl::unexpected(frame.error()));
    if (written)
        return;
    m_writeError = written.error();
    respond(WriterWrite, TimeStamp(), m_writeError);
}

void WriterSession::respond(int command, TimeStamp end, const std::optional<Error>& error)
{
    sendData(QJsonObject { { u"command"_s, command },
        { u"end"_s, codec::toJson(end) },
        { u"err"_s, codec::encodeErrorPayload(error) },
        { u"authorized"_s, m_writer && m_writer->authorized() } });
}

void WriterSession::handleClientClose()
{
    m_writer.reset(); // releases control; uncommitted samples are dropped, as in Synnax
    finish();
}

} // namespace sightline::core::server
