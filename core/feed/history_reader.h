#pragma once

#include "core/client/connection.h"
#include "core/feed/background_jobs.h"
#include "core/store/history_cache.h"
#include "core/store/overview.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace sightline::core::feed {

/// Samples of one data channel read from history, with the time range they cover completely
/// (every sample of the channel in `covered` is in `stamps`).
struct HistoryChunk
{
    ChannelKey key = 0;
    TimeRange covered;
    std::vector<std::int64_t> stamps;
    std::vector<double> values;
    /// The samples' history-cache pyramid, built on the reader's thread (HistoryCache::insert
    /// takes it instead of building it); null when they are not valid cache input.
    store::PreparedSamples prepared;
};

enum class ReadDirection { Forward, Backward };

/// What to read: a range, by iterator chunks of `chunkSize` samples, from its start forward
/// (seekGE + next) or from its end backward (seekLast + prev, what is nearest a view moving
/// left comes first), at most `maxChunks` iterator calls (0: the whole range).
struct ReadRequest
{
    TimeRange range;
    std::int64_t chunkSize = 100'000;
    ReadDirection direction = ReadDirection::Forward;
    int maxChunks = 0;
};

/// Reads recorded ranges through the cluster's iterator on worker threads, so the GUI never
/// waits: seekGE(start) then next() by chunk size, each chunk posted back as it arrives
/// (partial results and progress). Every request has an id; a newer request cancels the
/// older one between chunks, and results of a cancelled request are never delivered.
/// Lives on the GUI thread; signals arrive there.
class HistoryReader : public QObject
{
    Q_OBJECT

public:
    explicit HistoryReader(std::shared_ptr<client::Connection> connection,
        QObject* parent = nullptr);
    ~HistoryReader() override;

    /// Starts reading `channels` (data channels; their indexes are added) as `request` asks;
    /// cancels any read in progress. Returns the request id.
    quint64 read(const std::vector<Channel>& channels, ReadRequest request);
    /// Per data channel, an envelope over one range and buckets.
    using Overviews = std::map<ChannelKey, store::Overview>;
    /// Scans the channels of `into` (data channels) over `scan` in one pass on a worker
    /// thread, folding every sample into a copy of each channel's envelope without keeping
    /// them: a true overview of a range of any length. Posts the overviews so far about every
    /// 100 ms (overviewRead), then all of them with fraction 1, then finished. Cancels any
    /// request in progress, as read().
    quint64 scanOverview(
        const std::vector<Channel>& channels, const Overviews& into, TimeRange scan);
    /// Stops the read in progress (its remaining results are dropped).
    void cancel();
    [[nodiscard]] bool busy() const { return m_jobs.running() > 0; }
    /// Requests started so far (tests use it to prove cache hits read nothing).
    [[nodiscard]] quint64 requestCount() const { return m_requests; }

    /// The extent of recorded data of `channels` (first sample to last sample + 1 ns);
    /// blocks the calling thread (a few small iterator calls).
    [[nodiscard]] static Result<std::optional<TimeRange>> extent(client::Connection& connection,
        const std::vector<Channel>& channels);

Q_SIGNALS:
    void chunkRead(quint64 id, const sightline::core::feed::HistoryChunk& chunk);
    /// Fraction of the range read so far (0..1).
    void progress(quint64 id, double fraction);
    /// The overview of a scanOverview request so far, and the fraction of its range scanned.
    void overviewRead(quint64 id,
        const sightline::core::feed::HistoryReader::Overviews& overviews,
        double fraction);
    /// The read ended, complete.
    void finished(quint64 id);
    /// The read ended with an error (what was read before it was delivered).
    void failed(quint64 id, const sightline::core::Error& error);

private:
    /// Samples per iterator call when scanning: 1e6 was slower than 1e5 (12 MB messages cost
    /// more to assemble than the round trips they save).
    static constexpr std::int64_t ScanChunkSize = 100'000;
    /// Chunks of a read posted to the reader's thread and not yet taken, at most.
    static constexpr int MaxChunksWaiting = 4;

    /// What a request's work gets on its worker thread.
    struct Worker
    {
        client::Connection& connection;
        std::function<bool()> stopped; ///< a newer request or cancel() replaced this one
        /// Runs `deliver` on the reader's thread, unless the request was replaced by then.
        std::function<void(std::function<void(HistoryReader&)>)> post;
        quint64 id;
    };
    /// Starts a request: runs `work(const Worker&)` (returns its error, if any) on a worker
    /// thread, then emits finished or failed. Returns the request id.
    template <typename Work> quint64 startWorker(Work work);

    std::shared_ptr<client::Connection> m_connection;
    quint64 m_requests = 0;
    BackgroundJobs m_jobs; ///< last: its threads are joined before the rest goes
};

} // namespace sightline::core::feed

Q_DECLARE_METATYPE(sightline::core::feed::HistoryChunk)
Q_DECLARE_METATYPE(sightline::core::store::Overview)
Q_DECLARE_METATYPE(sightline::core::feed::HistoryReader::Overviews)
