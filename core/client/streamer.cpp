#include "core/client/streamer.h"

#include "core/client/framer_stream.h"

#include <QJsonArray>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QThread>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    constexpr TimeSpan OpenTimeout = TimeSpan::seconds(5);
    /// How long a waiting receive sleeps before looking at commands again (wake() cuts it).
    constexpr TimeSpan PollInterval = TimeSpan::seconds(1);

    /// Errors that no retry will fix.
    bool isPermanent(const Error& error)
    {
        return error.matches(errors::InvalidCredentials) || error.matches(errors::NotFound)
            || error.matches(errors::Validation) || error.matches(errors::Decode)
            || error.matches(errors::Protocol);
    }

    std::vector<ChannelKey> keysOf(const std::vector<Channel>& channels)
    {
        std::vector<ChannelKey> keys;
        for (const Channel& channel : channels)
            keys.push_back(channel.key);
        return keys;
    }

    std::vector<codec::KeyType> keyTypes(const std::vector<Channel>& channels)
    {
        std::vector<codec::KeyType> types;
        for (const Channel& channel : channels)
            types.push_back({ channel.key, channel.dataType });
        return types;
    }

} // namespace

Result<std::unique_ptr<Streamer>> Streamer::open(std::shared_ptr<Connection> connection,
    StreamerConfig config)
{
    qRegisterMetaType<StreamerState>();
    auto channels = connection->resolve(config.channels);
    if (!channels)
        return tl::unexpected(channels.error());
    std::unique_ptr<Streamer> streamer(
        new Streamer(std::move(connection), std::move(config), std::move(*channels)));
    streamer->m_thread = QThread::create([s = streamer.get()] { s->run(); });
    streamer->m_thread->setObjectName(u"sightline-streamer"_s);
    streamer->m_thread->start();
    QMutexLocker lock(&streamer->m_mutex);
    while (!streamer->m_opened && !streamer->m_failure)
        streamer->m_changed.wait(&streamer->m_mutex);
    if (!streamer->m_opened) {
        const Error failure = *streamer->m_failure;
        lock.unlock();
        streamer->close();
        return tl::unexpected(failure);
    }
    return streamer;
}

Streamer::Streamer(
    std::shared_ptr<Connection> connection, StreamerConfig config, std::vector<Channel> channels)
    : m_connection(std::move(connection))
    , m_config(std::move(config))
    , m_channels(std::move(channels))
{
}

Streamer::~Streamer() { close(); }

void Streamer::close()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        if (m_stream != nullptr)
            m_stream->wake();
        m_changed.wakeAll();
    }
    if (m_thread != nullptr) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        setState(StreamerState::Closed);
    }
}

bool Streamer::stopping() const
{
    QMutexLocker lock(&m_mutex);
    return m_stopping;
}

StreamerState Streamer::state() const
{
    QMutexLocker lock(&m_mutex);
    return m_state;
}

std::vector<Channel> Streamer::channels() const
{
    QMutexLocker lock(&m_mutex);
    return m_channels;
}

std::uint64_t Streamer::droppedFrames() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

void Streamer::setState(StreamerState state, const QString& detail)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_state == state || m_state == StreamerState::Closed)
            return;
        m_state = state;
        m_changed.wakeAll();
    }
    Q_EMIT stateChanged(state, detail);
}

Result<void> Streamer::setChannels(std::vector<ChannelRef> channels)
{
    auto resolved = m_connection->resolve(channels);
    if (!resolved)
        return tl::unexpected(resolved.error());
    QMutexLocker lock(&m_mutex);
    if (keysOf(*resolved) == keysOf(m_channels))
        return {};
    m_channels = std::move(*resolved);
    m_channelsChanged = true;
    // Frames already queued for dropped channels are no longer wanted.
    const std::vector<ChannelKey> keep = keysOf(m_channels);
    std::deque<Frame> kept;
    m_queuedBytes = 0;
    for (Frame& frame : m_frames) {
        Frame filtered = frame.filtered(keep);
        if (!filtered.empty()) {
            m_queuedBytes += filtered.byteSize();
            kept.push_back(std::move(filtered));
        }
    }
    m_frames = std::move(kept);
    if (m_stream != nullptr)
        m_stream->wake();
    return {};
}

Result<Frame> Streamer::read()
{
    while (true) {
        auto frame = read(TimeSpan::seconds(3600));
        if (!frame)
            return tl::unexpected(frame.error());
        if (*frame)
            return std::move(**frame);
    }
}

Result<std::optional<Frame>> Streamer::read(TimeSpan timeout)
{
    QMutexLocker lock(&m_mutex);
    QDeadlineTimer deadline(std::max<std::int64_t>(0, timeout.nanoseconds() / 1'000'000));
    while (m_frames.empty()) {
        if (m_failure)
            return tl::unexpected(*m_failure);
        if (m_stopping || m_state == StreamerState::Closed)
            return fail(errors::Eof, u"the streamer is closed"_s);
        if (!m_changed.wait(&m_mutex, deadline))
            return std::optional<Frame> {};
    }
    Frame frame = std::move(m_frames.front());
    m_frames.pop_front();
    m_queuedBytes -= std::min(m_queuedBytes, frame.byteSize());
    return std::optional<Frame>(std::move(frame));
}

std::vector<Frame> Streamer::takeAll()
{
    QMutexLocker lock(&m_mutex);
    std::vector<Frame> frames(std::make_move_iterator(m_frames.begin()),
        std::make_move_iterator(m_frames.end()));
    m_frames.clear();
    m_queuedBytes = 0;
    return frames;
}

void Streamer::enqueue(Frame frame)
{
    bool wasEmpty = false;
    {
        QMutexLocker lock(&m_mutex);
        frame = frame.filtered(keysOf(m_channels));
        if (frame.empty())
            return;
        wasEmpty = m_frames.empty();
        m_queuedBytes += frame.byteSize();
        m_frames.push_back(std::move(frame));
        while (m_queuedBytes > m_config.maxQueuedBytes && m_frames.size() > 1) {
            m_queuedBytes -= std::min(m_queuedBytes, m_frames.front().byteSize());
            m_frames.pop_front();
            ++m_dropped;
        }
        m_changed.wakeAll();
    }
    if (wasEmpty)
        Q_EMIT framesAvailable();
}

QJsonObject Streamer::request(const std::vector<Channel>& channels) const
{
    QJsonArray keys;
    for (const Channel& channel : channels)
        keys.append(static_cast<qint64>(channel.key));
    QJsonArray excluded;
    for (const std::uint32_t group : m_config.excludeGroups)
        excluded.append(static_cast<qint64>(group));
    return QJsonObject { { u"keys"_s, keys },
        { u"downsample_factor"_s, static_cast<qint64>(m_config.downsampleFactor) },
        { u"throttle_rate"_s, m_config.throttleRate },
        { u"exclude_groups"_s, excluded } };
}

bool Streamer::sleepUnlessStopped(TimeSpan span)
{
    QMutexLocker lock(&m_mutex);
    QDeadlineTimer deadline(span.nanoseconds() / 1'000'000);
    while (!m_stopping)
        if (!m_changed.wait(&m_mutex, deadline))
            break;
    return !m_stopping;
}

Error Streamer::streamOnce(bool& everConnected)
{
    auto opened = FramerStream::open(*m_connection, u"frame/stream", OpenTimeout);
    if (!opened)
        return opened.error();
    std::unique_ptr<FramerStream> stream = std::move(*opened);
    std::vector<Channel> channels;
    {
        QMutexLocker lock(&m_mutex);
        if (m_stopping)
            return Error { errors::Eof, u"EOF"_s };
        m_stream = stream.get();
        channels = m_channels;
        m_channelsChanged = false;
    }
    const auto detach = qScopeGuard([&] {
        QMutexLocker lock(&m_mutex);
        m_stream = nullptr;
    });
    if (!channels.empty())
        stream->codec().update(keyTypes(channels));
    if (auto sent = stream->sendRequest(request(channels)); !sent)
        return sent.error();
    // Exactly one response acknowledges the subscription; its contents do not matter.
    auto ack = stream->receive(OpenTimeout);
    if (!ack)
        return ack.error();
    if (!*ack)
        return Error { errors::Unreachable, u"the cluster did not acknowledge the stream"_s };
    everConnected = true;
    {
        QMutexLocker lock(&m_mutex);
        m_opened = true;
        m_changed.wakeAll();
    }
    setState(StreamerState::Connected);

    while (true) {
        bool update = false;
        {
            QMutexLocker lock(&m_mutex);
            if (m_stopping)
                break;
            if (m_channelsChanged) {
                channels = m_channels;
                m_channelsChanged = false;
                update = true;
            }
        }
        if (update) {
            if (!channels.empty())
                stream->codec().update(keyTypes(channels));
            if (auto sent = stream->sendRequest(request(channels)); !sent)
                return sent.error();
        }
        auto message = stream->receive(PollInterval);
        if (!message)
            return message.error();
        if (*message && (*message)->frame)
            enqueue(std::move(*(*message)->frame));
    }
    // Stopping: end the stream politely and wait briefly for the cluster's EOF.
    stream->closeSend();
    for (int i = 0; i < 50; ++i) {
        auto message = stream->receive(TimeSpan::milliseconds(100));
        if (!message)
            break;
    }
    return Error { errors::Eof, u"EOF"_s };
}

void Streamer::run()
{
    int failures = 0;
    bool everConnected = false;
    while (!stopping()) {
        bool connected = false;
        const Error ended = streamOnce(connected);
        if (connected) {
            everConnected = true;
            failures = 0;
        }
        if (stopping())
            break;
        if (!everConnected || isPermanent(ended)) {
            // The first open failed, or no retry can help: report once and stop.
            {
                QMutexLocker lock(&m_mutex);
                m_failure = ended;
                m_changed.wakeAll();
            }
            setState(StreamerState::Failed, ended.toString());
            return;
        }
        setState(StreamerState::Reconnecting, ended.toString());
        const double growth = std::pow(2.0, std::min(failures, 16));
        const double base = static_cast<double>(m_config.reconnectBase.nanoseconds()) * growth;
        const double capped
            = std::min(base, static_cast<double>(m_config.reconnectCap.nanoseconds()));
        const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
        ++failures;
        if (!sleepUnlessStopped(TimeSpan(static_cast<std::int64_t>(capped * jitter))))
            break;
    }
}

} // namespace sightline::core::client
