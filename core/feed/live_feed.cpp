#include "core/feed/live_feed.h"

#include "core/client/iterator.h"

#include <algorithm>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::core::feed {

LiveFeed::LiveFeed(std::shared_ptr<client::Connection> connection, QObject* parent)
    : QObject(parent)
    , m_connection(std::move(connection))
{
    m_clock.start();
}

LiveFeed::~LiveFeed()
{
    if (m_streamer)
        m_streamer->close();
}

Result<void> LiveFeed::start()
{
    auto streamer = client::Streamer::open(m_connection, {});
    if (!streamer)
        return tl::unexpected(streamer.error());
    m_streamer = std::move(*streamer);
    m_skippedSeen = 0;
    connect(m_streamer.get(),
        &client::Streamer::framesAvailable,
        this,
        &LiveFeed::drain,
        Qt::QueuedConnection);
    connect(
        m_streamer.get(),
        &client::Streamer::stateChanged,
        this,
        [this](client::StreamerState state, const QString& detail) {
            if (state == client::StreamerState::Reconnecting)
                m_outage = true;
            else if (state == client::StreamerState::Connected && m_outage) {
                m_outage = false;
                fillOutage();
            }
            Q_EMIT stateChanged(state, detail);
        },
        Qt::QueuedConnection);
    return {};
}

Result<void> LiveFeed::setChannels(const std::vector<Channel>& data, TimeSpan span)
{
    if (!m_streamer)
        return fail(errors::StreamClosed, u"the live feed is not started"_s);
    std::set<ChannelKey> keys;
    std::vector<ChannelKey> indexKeys;
    for (const Channel& channel : data) {
        keys.insert(channel.key);
        if (channel.index != 0 && !channel.isIndex)
            indexKeys.push_back(channel.index);
    }
    keys.insert(indexKeys.begin(), indexKeys.end());
    std::vector<client::ChannelRef> refs(keys.begin(), keys.end());
    auto resolved = m_connection->resolve(refs);
    if (!resolved)
        return tl::unexpected(resolved.error());
    if (auto set = m_streamer->setChannels(refs); !set)
        return set;
    m_store.setWantedSpan(span);
    m_store.track(*resolved);
    std::vector<Channel> added;
    for (const Channel& channel : data)
        if (std::none_of(m_data.begin(), m_data.end(), [&](const Channel& c) {
                return c.key == channel.key;
            }))
            added.push_back(channel);
    for (const Channel& channel : m_data)
        if (!keys.contains(channel.key))
            m_store.forget(channel.key);
    m_data = data;
    for (const Channel& channel : added)
        backfill(channel, span);
    return {};
}

void LiveFeed::backfill(const Channel& channel, TimeSpan span)
{
    if (channel.isVirtual || channel.isIndex || span.nanoseconds() <= 0)
        return;
    const TimeStamp now = TimeStamp::now();
    const auto oldest = m_store.oldest(channel.key);
    const TimeStamp end = oldest ? oldest->stamp : now;
    const TimeRange range { now - span, end };
    m_backfills.start([this, connection = m_connection, channel, range](
                          const BackgroundJobs::Job& job) {
        auto frame = client::read(*connection, range, { channel.key, channel.index });
        if (!frame || job.stopped())
            return;
        auto stamps = frame->concatenated(channel.index);
        auto values = frame->concatenated(channel.key);
        if (!stamps || !values || stamps->size() != values->size())
            return;
        job.post(
            [this, key = channel.key, stamps = std::move(*stamps), values = std::move(*values)] {
                const std::size_t taken = m_store.backfill(key, stamps, values);
                Q_EMIT backfilled(key, static_cast<qsizetype>(taken));
            });
    });
}

void LiveFeed::fillOutage()
{
    const std::int64_t newest = m_store.newestStamp();
    if (newest == 0 || m_data.empty())
        return;
    // Live frames wait until the history of the outage is in front of them.
    m_filling = true;
    std::vector<client::ChannelRef> refs;
    for (const Channel& channel : m_data) {
        refs.emplace_back(channel.key);
        refs.emplace_back(channel.index);
    }
    const TimeRange outage { TimeStamp(newest + 1), TimeStamp::now() };
    m_outageFill.start(
        [this, connection = m_connection, refs, outage](const BackgroundJobs::Job& job) {
            auto frame = client::read(*connection, outage, refs);
            job.post([this, frame = std::move(frame)] {
                std::size_t filled = 0;
                if (frame)
                    filled = m_store.ingest(*frame);
                else
                    m_store.markGapEverywhere(); // no line across what we could not read
                m_filling = false;
                for (const Frame& held : std::exchange(m_held, {}))
                    m_storedTotal += m_store.ingest(held);
                Q_EMIT outageFilled(static_cast<qsizetype>(filled));
            });
        });
}

void LiveFeed::drain()
{
    if (!m_streamer)
        return;
    std::size_t stored = 0;
    for (Frame& frame : m_streamer->takeAll(m_recordArrivals ? &m_arrivals : nullptr)) {
        if (m_filling)
            m_held.push_back(std::move(frame));
        else
            stored += m_store.ingest(frame);
    }
    m_storedTotal += stored;
    const qint64 now = m_clock.elapsed();
    m_recent.emplace_back(now, stored);
    while (!m_recent.empty() && now - m_recent.front().first > 2000)
        m_recent.pop_front();
    noticeSkipped();
}

void LiveFeed::noticeSkipped()
{
    const client::SkippedFrames skipped = m_streamer->skippedFrames();
    if (skipped.count == m_skippedSeen)
        return;
    m_skippedSeen = skipped.count;
    Q_EMIT framesSkipped(skipped);
}

client::SkippedFrames LiveFeed::skippedFrames() const
{
    return m_streamer ? m_streamer->skippedFrames() : client::SkippedFrames {};
}

double LiveFeed::samplesPerSecond() const
{
    if (m_recent.size() < 2)
        return 0;
    std::size_t total = 0;
    for (std::size_t i = 1; i < m_recent.size(); ++i)
        total += m_recent[i].second;
    const double seconds
        = static_cast<double>(m_recent.back().first - m_recent.front().first) / 1000.0;
    return seconds > 0 ? static_cast<double>(total) / seconds : 0;
}

std::vector<ChannelKey> LiveFeed::streamedKeys() const
{
    std::vector<ChannelKey> keys;
    if (m_streamer)
        for (const Channel& channel : m_streamer->channels())
            keys.push_back(channel.key);
    return keys;
}

client::StreamerState LiveFeed::state() const
{
    return m_streamer ? m_streamer->state() : client::StreamerState::Closed;
}

} // namespace sightline::core::feed
