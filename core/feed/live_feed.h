#pragma once

#include "core/client/connection.h"
#include "core/client/streamer.h"
#include "core/error.h"
#include "core/feed/background_jobs.h"
#include "core/store/live_store.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace sightline::core::feed {

/// Feeds the live buffers: one Streamer whose channel set is the plotted data channels plus
/// their index channels, changed with the streamer's update (never a reconnect). Channels
/// newly added are backfilled from history on a worker thread, then continue live; after a
/// reconnect, what was written during the outage is read from history too.
/// GUI thread (the buffers are read by the plots there); the streamer works on its own.
class LiveFeed : public QObject
{
    Q_OBJECT

public:
    explicit LiveFeed(std::shared_ptr<client::Connection> connection, QObject* parent = nullptr);
    ~LiveFeed() override;

    /// Opens the stream (with no channels yet).
    [[nodiscard]] Result<void> start();
    /// Shows these data channels over `span` (the widest plot window): newly added ones are
    /// backfilled over it, and the buffers grow to hold it (store::LiveStore::setWantedSpan).
    [[nodiscard]] Result<void> setChannels(const std::vector<Channel>& data, TimeSpan span);
    /// Moves frames that arrived into the buffers (also done on framesAvailable).
    void drain();

    [[nodiscard]] const store::LiveStore& store() const { return m_store; }
    [[nodiscard]] store::LiveStore& store() { return m_store; }
    [[nodiscard]] std::vector<ChannelKey> streamedKeys() const;
    [[nodiscard]] client::StreamerState state() const;
    /// Keeps, from now on, when each frame drain() takes was decoded on the streamer's
    /// thread (steady clock ns), for receive-to-pixels latency; takeArrivals() hands them over.
    void recordArrivals() { m_recordArrivals = true; }
    [[nodiscard]] std::vector<std::int64_t> takeArrivals() { return std::exchange(m_arrivals, {}); }
    /// Data samples stored since start().
    [[nodiscard]] std::uint64_t storedSamples() const { return m_storedTotal; }
    /// Frames the streamer let go because they were not read in time, since start().
    [[nodiscard]] std::uint64_t droppedFrames() const
    {
        return m_streamer ? m_streamer->droppedFrames() : 0;
    }
    /// Data samples stored per second, over the last second or so.
    [[nodiscard]] double samplesPerSecond() const;
    /// Messages the stream skipped because they did not decode, since start(), and why the
    /// latest was skipped (zero before start()).
    [[nodiscard]] client::SkippedFrames skippedFrames() const;
    [[nodiscard]] const client::Connection& connection() const { return *m_connection; }
    [[nodiscard]] std::shared_ptr<client::Connection> sharedConnection() const
    {
        return m_connection;
    }

Q_SIGNALS:
    void stateChanged(sightline::core::client::StreamerState state, const QString& detail);
    /// After a reconnect, what was written while the stream was down was read from history
    /// and put before the new live samples (`samples` data samples; 0 when none or it failed,
    /// and then the outage is drawn as a gap).
    void outageFilled(qsizetype samples);
    /// History for `key` arrived and was put in front of the live samples.
    void backfilled(sightline::core::ChannelKey key, qsizetype samples);
    /// More messages were skipped since the last drain() (checked there, so at most once
    /// per drain): `total` is skippedFrames().
    void framesSkipped(const sightline::core::client::SkippedFrames& total);

private:
    void backfill(const Channel& channel, TimeSpan span);
    void fillOutage();
    void noticeSkipped();

    std::shared_ptr<client::Connection> m_connection;
    std::unique_ptr<client::Streamer> m_streamer;
    store::LiveStore m_store;
    std::vector<Channel> m_data;
    /// (time, samples) for the rate figure.
    std::deque<std::pair<qint64, std::size_t>> m_recent;
    QElapsedTimer m_clock;
    /// The stream was lost; on reconnecting, the gap is read from history.
    bool m_outage = false;
    /// Reading the outage: live frames are held back meanwhile, to keep time order.
    bool m_filling = false;
    std::vector<Frame> m_held;
    bool m_recordArrivals = false;
    std::vector<std::int64_t> m_arrivals;
    std::uint64_t m_storedTotal = 0;
    /// skippedFrames().count when framesSkipped was last emitted.
    std::uint64_t m_skippedSeen = 0;
    // Last, so their threads are joined before anything their deliveries touch goes.
    BackgroundJobs m_backfills { BackgroundJobs::Policy::Every,
        QStringLiteral("sightline-backfill") };
    BackgroundJobs m_outageFill { BackgroundJobs::Policy::Latest,
        QStringLiteral("sightline-outage-fill") };
};

} // namespace sightline::core::feed
