#include "core/client/streamer.h"

#include "core/client/framer_stream.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStreamer, "sightline.core.client.streamer")

namespace sightline::core::client {

namespace {

    constexpr TimeSpan OpenTimeout = TimeSpan::seconds(5);
    /// How long a waiting receive sleeps before looking at commands again (wake() cuts it).
    constexpr TimeSpan PollInterval = TimeSpan::seconds(1);
    /// How often a probe looks whether the streamer is stopping.
    constexpr int ProbeStopCheckMs = 50;

    bool isTokenError(const Error& error)
    {
        return error.matches(errors::InvalidToken) || error.matches(errors::ExpiredToken);
    }

    /// Errors no retry can fix: the cluster refused who we are, or a channel is gone. A token
    /// error on a stream that was open is not one: re-opening logs in again.
    bool isFinal(const Error& error, bool wasOpen)
    {
        if (wasOpen && isTokenError(error))
            return false;
        return error.matches(errors::Auth) || error.matches(errors::NotFound);
    }

    /// The connection went away (as opposed to the cluster refusing or breaking the stream).
    bool isLoss(const Error& error)
    {
        return error.matches(errors::Eof) || error.matches(errors::StreamClosed)
            || error.matches(errors::Unreachable);
    }

    TimeSpan jittered(double nanoseconds)
    {
        const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
        return TimeSpan(static_cast<std::int64_t>(nanoseconds * jitter));
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

namespace detail {

    /// The pauses of one outage under a ReconnectPolicy: fast probes, then slower ones; a
    /// doubling pause before each re-open after a failed one.
    class ReconnectSchedule
    {
    public:
        explicit ReconnectSchedule(const ReconnectPolicy& policy)
            : m_policy(policy)
            , m_slowProbe(static_cast<double>(policy.probeInterval.nanoseconds()))
        {
            m_outage.start();
        }

        /// How the last attempt ended: `wasOpen` restarts the outage clock (fast probes);
        /// `stayedOpen` forgets earlier failed re-opens; unless it then was merely `lost`, the
        /// attempt counts as one more failed re-open.
        void attemptEnded(bool wasOpen, bool stayedOpen, bool lost)
        {
            if (wasOpen) {
                m_outage.start();
                m_slowProbe = static_cast<double>(m_policy.probeInterval.nanoseconds());
            }
            if (stayedOpen)
                m_reopenFailures = 0;
            if (!stayedOpen || !lost)
                ++m_reopenFailures;
        }
        /// The cluster does not listen: how it refused before says nothing about its restart.
        void probeFailed() { m_reopenFailures = 0; }

        [[nodiscard]] TimeSpan reopenDelay() const
        {
            if (m_reopenFailures == 0)
                return TimeSpan(0);
            const double growth = std::pow(2.0, std::min(m_reopenFailures - 1, 16));
            return jittered(
                std::min(static_cast<double>(m_policy.reopenBase.nanoseconds()) * growth,
                    static_cast<double>(m_policy.reopenCap.nanoseconds())));
        }

        [[nodiscard]] TimeSpan nextProbeDelay()
        {
            if (m_outage.nsecsElapsed() < m_policy.fastProbeWindow.nanoseconds())
                return jittered(static_cast<double>(m_policy.probeInterval.nanoseconds()));
            m_slowProbe = std::min(m_slowProbe * m_policy.probeGrowth,
                static_cast<double>(m_policy.probeIntervalCap.nanoseconds()));
            return jittered(m_slowProbe);
        }

    private:
        const ReconnectPolicy& m_policy;
        QElapsedTimer m_outage;
        double m_slowProbe;
        int m_reopenFailures = 0;
    };

} // namespace detail

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
    std::unique_lock lock(streamer->m_mutex);
    while (!streamer->m_opened && !streamer->m_failure)
        streamer->m_changed.wait(lock);
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
        std::unique_lock lock(m_mutex);
        m_stopping = true;
        if (m_stream != nullptr)
            m_stream->wake();
        m_changed.notify_all();
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
    std::unique_lock lock(m_mutex);
    return m_stopping;
}

StreamerState Streamer::state() const
{
    std::unique_lock lock(m_mutex);
    return m_state;
}

std::vector<Channel> Streamer::channels() const
{
    std::unique_lock lock(m_mutex);
    return m_channels;
}

std::uint64_t Streamer::droppedFrames() const
{
    std::unique_lock lock(m_mutex);
    return m_dropped;
}

SkippedFrames Streamer::skippedFrames() const
{
    std::unique_lock lock(m_mutex);
    return m_skipped;
}

void Streamer::setState(StreamerState state, const QString& detail)
{
    {
        std::unique_lock lock(m_mutex);
        if (m_state == state || m_state == StreamerState::Closed)
            return;
        m_state = state;
        m_changed.notify_all();
    }
    Q_EMIT stateChanged(state, detail);
}

Result<void> Streamer::setChannels(std::vector<ChannelRef> channels)
{
    auto resolved = m_connection->resolve(channels);
    if (!resolved)
        return tl::unexpected(resolved.error());
    std::unique_lock lock(m_mutex);
    if (keysOf(*resolved) == keysOf(m_channels))
        return {};
    m_channels = std::move(*resolved);
    m_channelsChanged = true;
    // Frames already queued for dropped channels are no longer wanted.
    const std::vector<ChannelKey> keep = keysOf(m_channels);
    std::deque<Queued> kept;
    m_queuedBytes = 0;
    for (Queued& queued : m_frames) {
        Frame filtered = queued.frame.filtered(keep);
        if (!filtered.empty()) {
            m_queuedBytes += filtered.byteSize();
            kept.push_back({ std::move(filtered), queued.arrivedNs });
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
    std::unique_lock lock(m_mutex);
    const auto deadline = std::chrono::steady_clock::now()
        + std::chrono::nanoseconds(std::max<std::int64_t>(0, timeout.nanoseconds()));
    while (m_frames.empty()) {
        if (m_failure)
            return tl::unexpected(*m_failure);
        if (m_stopping || m_state == StreamerState::Closed)
            return fail(errors::Eof, u"the streamer is closed"_s);
        if (m_changed.wait_until(lock, deadline) == std::cv_status::timeout)
            return std::optional<Frame> {};
    }
    Frame frame = std::move(m_frames.front().frame);
    m_frames.pop_front();
    m_queuedBytes -= std::min(m_queuedBytes, frame.byteSize());
    return std::optional<Frame>(std::move(frame));
}

std::vector<Frame> Streamer::takeAll(std::vector<std::int64_t>* arrivals)
{
    std::unique_lock lock(m_mutex);
    std::vector<Frame> frames;
    frames.reserve(m_frames.size());
    for (Queued& queued : m_frames) {
        frames.push_back(std::move(queued.frame));
        if (arrivals != nullptr)
            arrivals->push_back(queued.arrivedNs);
    }
    m_frames.clear();
    m_queuedBytes = 0;
    return frames;
}

void Streamer::enqueue(Frame frame)
{
    bool wasEmpty = false;
    {
        std::unique_lock lock(m_mutex);
        frame = frame.filtered(keysOf(m_channels));
        if (frame.empty())
            return;
        wasEmpty = m_frames.empty();
        m_queuedBytes += frame.byteSize();
        const auto arrived = std::chrono::steady_clock::now().time_since_epoch();
        m_frames.push_back({ std::move(frame),
            std::chrono::duration_cast<std::chrono::nanoseconds>(arrived).count() });
        while (m_queuedBytes > m_config.maxQueuedBytes && m_frames.size() > 1) {
            m_queuedBytes -= std::min(m_queuedBytes, m_frames.front().frame.byteSize());
            m_frames.pop_front();
            ++m_dropped;
        }
        m_changed.notify_all();
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
    std::unique_lock lock(m_mutex);
    const auto deadline = std::chrono::steady_clock::now()
        + std::chrono::nanoseconds(std::max<std::int64_t>(0, span.nanoseconds()));
    while (!m_stopping)
        if (m_changed.wait_until(lock, deadline) == std::cv_status::timeout)
            break;
    return !m_stopping;
}

Result<std::unique_ptr<FramerStream>> Streamer::subscribe()
{
    auto opened = FramerStream::open(*m_connection, u"frame/stream", OpenTimeout);
    if (!opened)
        return opened;
    std::unique_ptr<FramerStream> stream = std::move(*opened);
    std::vector<Channel> channels;
    {
        std::unique_lock lock(m_mutex);
        if (m_stopping)
            return fail(errors::Eof, u"EOF"_s);
        m_stream = stream.get();
        channels = m_channels;
        m_channelsChanged = false;
    }
    // Unregistered before the stream is destroyed on failure (close() may wake it).
    auto unregister = qScopeGuard([&] {
        std::unique_lock lock(m_mutex);
        m_stream = nullptr;
    });
    if (!channels.empty())
        stream->codec().update(keyTypes(channels));
    if (auto sent = stream->sendRequest(request(channels)); !sent)
        return tl::unexpected(sent.error());
    // Exactly one response acknowledges the subscription; its contents do not matter (one
    // that does not even decode is counted and taken as the acknowledgement).
    auto ack = stream->receive(OpenTimeout);
    if (!ack && stream->ended())
        return tl::unexpected(ack.error());
    std::uint32_t inARow = 0;
    if (!ack)
        (void)skip(ack.error(), inARow);
    else if (!*ack)
        return fail(errors::Unreachable, u"the cluster did not acknowledge the stream"_s);
    unregister.dismiss();
    return stream;
}

Error Streamer::pump(FramerStream& stream)
{
    std::uint32_t inARow = 0;
    while (true) {
        std::optional<std::vector<Channel>> update;
        {
            std::unique_lock lock(m_mutex);
            if (m_stopping)
                return Error { errors::Eof, u"EOF"_s };
            if (std::exchange(m_channelsChanged, false))
                update = m_channels;
        }
        if (update) {
            if (!update->empty())
                stream.codec().update(keyTypes(*update));
            if (auto sent = stream.sendRequest(request(*update)); !sent)
                return sent.error();
        }
        auto message = stream.receive(PollInterval);
        if (!message && stream.ended())
            return message.error();
        if (!message) {
            if (auto broken = skip(message.error(), inARow))
                return *broken;
            continue;
        }
        if (!*message)
            continue;
        inARow = 0;
        if ((*message)->frame)
            enqueue(std::move(*(*message)->frame));
    }
}

std::optional<Error> Streamer::skip(const Error& reason, std::uint32_t& inARow)
{
    {
        std::unique_lock lock(m_mutex);
        ++m_skipped.count;
        m_skipped.lastReason = reason;
    }
    qCDebug(lcStreamer) << "skipped a message that does not decode:" << reason.toString();
    if (++inARow < m_config.maxUndecodableInARow)
        return std::nullopt;
    qCWarning(lcStreamer) << inARow << "messages in a row did not decode; re-opening the stream";
    return Error { errors::Protocol,
        u"%1 messages in a row did not decode (the last: %2)"_s.arg(inARow).arg(reason.message) };
}

Error Streamer::streamOnce(QElapsedTimer& openSince)
{
    auto subscribed = subscribe();
    const auto detach = qScopeGuard([&] {
        std::unique_lock lock(m_mutex);
        m_stream = nullptr;
    });
    if (!subscribed)
        return subscribed.error();
    FramerStream& stream = **subscribed;
    openSince.start();
    {
        std::unique_lock lock(m_mutex);
        m_opened = true;
        m_changed.notify_all();
    }
    setState(StreamerState::Connected);
    const Error ended = pump(stream);
    if (!stopping())
        return ended;
    // Stopping: end the stream politely and wait briefly for the cluster's EOF.
    stream.closeSend();
    for (int i = 0; i < 50; ++i)
        if (!stream.receive(TimeSpan::milliseconds(100)) && stream.ended())
            break;
    return ended;
}

bool Streamer::clusterListens() const
{
    const ConnectionConfig& config = m_connection->config();
    QTcpSocket socket;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::connected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QElapsedTimer waited;
    waited.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (stopping() || waited.nsecsElapsed() >= m_config.reconnect.probeTimeout.nanoseconds())
            loop.quit();
    });
    check.start(ProbeStopCheckMs);
    socket.connectToHost(config.host, config.port);
    if (socket.state() != QAbstractSocket::ConnectedState
        && socket.state() != QAbstractSocket::UnconnectedState)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    const bool listens = socket.state() == QAbstractSocket::ConnectedState;
    socket.abort();
    return listens;
}

bool Streamer::awaitCluster(detail::ReconnectSchedule& schedule)
{
    // Probe first: a cluster that went away is re-opened as soon as it listens again. Only
    // one that still listens (it refused or dropped the stream while up) waits out the
    // re-open pause. Pausing before the probe let the pause outlast a short outage, so the
    // failed probe that forgets earlier failures never came, and the pause doubled with
    // each restart (to 15 s, under load, in the restart stress test).
    if (clusterListens())
        return sleepUnlessStopped(schedule.reopenDelay());
    do {
        schedule.probeFailed();
        if (!sleepUnlessStopped(schedule.nextProbeDelay()))
            return false;
    } while (!clusterListens());
    return !stopping();
}

void Streamer::giveUp(const Error& error)
{
    {
        // Failure and state change together: read() returning the error implies Failed.
        std::unique_lock lock(m_mutex);
        m_failure = error;
        m_state = StreamerState::Failed;
        m_changed.notify_all();
    }
    Q_EMIT stateChanged(StreamerState::Failed, error.toString());
}

void Streamer::run()
{
    detail::ReconnectSchedule schedule(m_config.reconnect);
    bool everConnected = false;
    while (!stopping()) {
        QElapsedTimer openSince;
        const Error ended = streamOnce(openSince);
        const bool wasOpen = openSince.isValid();
        everConnected = everConnected || wasOpen;
        if (stopping())
            break;
        if (!everConnected || isFinal(ended, wasOpen)) {
            // The first open failed, or no retry can help: report once and stop.
            giveUp(ended);
            return;
        }
        const bool stayedOpen
            = wasOpen && openSince.nsecsElapsed() >= m_config.reconnect.stableAfter.nanoseconds();
        schedule.attemptEnded(wasOpen, stayedOpen, isLoss(ended));
        setState(StreamerState::Reconnecting, ended.toString());
        if (!awaitCluster(schedule))
            break;
    }
}

} // namespace sightline::core::client
