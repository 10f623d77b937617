#include "core/feed/history_reader.h"

#include "core/client/iterator.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::core::feed {

namespace {

    /// Splits an iterator frame into per-data-channel chunks, each data series paired with
    /// its index series.
    std::vector<HistoryChunk> chunksOf(const Frame& frame, const std::vector<Channel>& channels)
    {
        std::vector<HistoryChunk> out;
        for (const Channel& channel : channels) {
            HistoryChunk chunk;
            chunk.key = channel.key;
            for (const Series* values : frame.seriesOf(channel.key)) {
                const Series* stamps = frame.timestampsFor(channel.index, *values);
                if (stamps == nullptr)
                    continue;
                const auto t = stamps->values<std::int64_t>();
                chunk.stamps.insert(chunk.stamps.end(), t.begin(), t.end());
                const std::vector<double> converted = values->toDoubles();
                chunk.values.insert(chunk.values.end(), converted.begin(), converted.end());
            }
            out.push_back(std::move(chunk));
        }
        return out;
    }

} // namespace

HistoryReader::HistoryReader(std::shared_ptr<client::Connection> connection, QObject* parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_jobs(BackgroundJobs::Policy::Latest, u"sightline-history-read"_s)
{
    qRegisterMetaType<HistoryChunk>();
    qRegisterMetaType<store::Overview>();
    qRegisterMetaType<Overviews>();
}

HistoryReader::~HistoryReader() = default;

void HistoryReader::cancel() { m_jobs.cancel(); }

namespace {

    /// The data channels of a request worth reading, and what the iterator must open for
    /// them (they and their indexes).
    struct ReadPlan
    {
        std::vector<Channel> data;
        std::vector<client::ChannelRef> refs;
    };

    ReadPlan readPlan(const std::vector<Channel>& channels)
    {
        std::vector<Channel> data;
        std::set<ChannelKey> keys;
        for (const Channel& channel : channels) {
            if (channel.isIndex || channel.isVirtual || channel.index == 0)
                continue;
            data.push_back(channel);
            keys.insert(channel.key);
            keys.insert(channel.index);
        }
        return { data, std::vector<client::ChannelRef>(keys.begin(), keys.end()) };
    }

    /// Reads `data` over `read.range` chunk by chunk on the calling thread, from its start
    /// forward or from its end backward, handing `sink` each channel's chunk with the time it
    /// covers; once the iterator is exhausted, also the empty rest of the range. Stops after
    /// `read.maxChunks` iterator calls (0: no limit) or when `stopped()`. Returns the error,
    /// if any.
    template <typename Stopped, typename Sink>
    std::optional<Error> iterate(client::Connection& connection,
        const std::vector<Channel>& data,
        const std::vector<client::ChannelRef>& refs,
        const ReadRequest& read,
        Stopped stopped,
        Sink sink)
    {
        const TimeRange range = read.range;
        const bool forward = read.direction == ReadDirection::Forward;
        auto iterator = client::Iterator::open(connection,
            { .bounds = range,
                .channels = refs,
                .chunkSize = read.chunkSize,
                .downsampleFactor = 1 });
        if (!iterator)
            return iterator.error();
        // Per channel, the end of the range read so far: covered up to (forward) or from it.
        std::map<ChannelKey, TimeStamp> reached;
        for (const Channel& channel : data)
            reached[channel.key] = forward ? range.start : range.end;
        auto more = forward ? (*iterator)->seekGE(range.start) : (*iterator)->seekLast();
        int calls = 0;
        while (more && *more && !stopped() && (read.maxChunks == 0 || calls < read.maxChunks)) {
            more = forward ? (*iterator)->next() : (*iterator)->prev();
            ++calls;
            if (!more)
                break;
            for (HistoryChunk& chunk : chunksOf((*iterator)->value(), data)) {
                if (chunk.stamps.empty())
                    continue;
                TimeStamp& edge = reached[chunk.key];
                if (forward) {
                    const TimeStamp until(chunk.stamps.back() + 1);
                    chunk.covered = { edge, until };
                    edge = until;
                } else {
                    const TimeStamp from(chunk.stamps.front());
                    chunk.covered = { from, edge };
                    edge = from;
                }
                sink(std::move(chunk));
            }
        }
        if (!more)
            return more.error();
        const bool exhausted = !*more;
        if (exhausted && !stopped())
            for (const Channel& channel : data) { // the rest of the range holds no samples
                const TimeStamp edge = reached[channel.key];
                const TimeRange rest
                    = forward ? TimeRange { edge, range.end } : TimeRange { range.start, edge };
                if (!rest.isEmpty())
                    sink(HistoryChunk { channel.key, rest, {}, {}, {} });
            }
        (void)(*iterator)->close();
        return {};
    }

    double fractionOf(TimeRange range, TimeStamp until)
    {
        const double done = static_cast<double>((until - range.start).nanoseconds());
        return std::clamp(done
                / static_cast<double>(std::max<std::int64_t>(1, range.span().nanoseconds())),
            0.0,
            1.0);
    }

} // namespace

template <typename Work> quint64 HistoryReader::startWorker(Work work)
{
    ++m_requests;
    QPointer<HistoryReader> self(this);
    return m_jobs.start(
        [self, connection = m_connection, work = std::move(work)](const BackgroundJobs::Job& job) {
            const Worker context {
                .connection = *connection,
                .stopped = [&job] { return job.stopped(); },
                .post =
                    [&job, self](std::function<void(HistoryReader&)> deliver) {
                        job.post([self, deliver = std::move(deliver)] { deliver(*self); });
                    },
                .id = job.id(),
            };
            const std::optional<Error> error = work(context);
            job.post([self, id = job.id(), error] {
                if (error)
                    Q_EMIT self->failed(id, *error);
                else
                    Q_EMIT self->finished(id);
            });
        });
}

quint64 HistoryReader::read(const std::vector<Channel>& channels, ReadRequest request)
{
    return startWorker([plan = readPlan(channels), request](const Worker& worker) {
        // Chunks posted and not yet taken: the reader waits while there are too many, so a
        // GUI thread busy elsewhere never has a backlog to work through at once (nor does
        // memory fill with chunks it has not taken).
        auto waiting = std::make_shared<std::atomic<int>>(0);
        return iterate(worker.connection,
            plan.data,
            plan.refs,
            request,
            worker.stopped,
            [&](HistoryChunk&& chunk) {
                const TimeRange range = request.range;
                const double fraction = request.direction == ReadDirection::Forward
                    ? fractionOf(range, chunk.covered.end)
                    : 1.0 - fractionOf(range, chunk.covered.start);
                // The cache's pyramid is built here, not on the thread that inserts it.
                chunk.prepared
                    = store::HistoryCache::prepare(chunk.covered, chunk.stamps, chunk.values);
                while (waiting->load() >= MaxChunksWaiting && !worker.stopped())
                    QThread::msleep(1);
                ++*waiting;
                const quint64 id = worker.id;
                worker.post(
                    [chunk = std::move(chunk), fraction, id, waiting](HistoryReader& reader) {
                        --*waiting;
                        Q_EMIT reader.chunkRead(id, chunk);
                        Q_EMIT reader.progress(id, fraction);
                    });
            });
    });
}

quint64 HistoryReader::scanOverview(
    const std::vector<Channel>& channels, const Overviews& into, TimeRange scan)
{
    std::vector<Channel> scanned;
    for (const Channel& channel : channels)
        if (into.contains(channel.key))
            scanned.push_back(channel);
    return startWorker([plan = readPlan(scanned), into, scan](const Worker& worker) {
        constexpr qint64 PostEveryMs = 100;
        Overviews overviews = into;
        QElapsedTimer sincePost;
        sincePost.start();
        const quint64 id = worker.id;
        const auto post = [&](double fraction) {
            worker.post([overviews, fraction, id](HistoryReader& reader) {
                Q_EMIT reader.overviewRead(id, overviews, fraction);
            });
            sincePost.restart();
        };
        const std::optional<Error> error = iterate(worker.connection,
            plan.data,
            plan.refs,
            ReadRequest { .range = scan, .chunkSize = ScanChunkSize },
            worker.stopped,
            [&](HistoryChunk&& chunk) {
                overviews.at(chunk.key).add(chunk.stamps, chunk.values);
                if (sincePost.elapsed() >= PostEveryMs)
                    post(fractionOf(scan, chunk.covered.end));
            });
        if (!error)
            post(1.0);
        return error;
    });
}

Result<std::optional<TimeRange>> HistoryReader::extent(client::Connection& connection,
    const std::vector<Channel>& channels)
{
    std::vector<client::ChannelRef> refs;
    std::set<ChannelKey> keys;
    for (const Channel& channel : channels)
        if (!channel.isVirtual && channel.index != 0)
            keys.insert(channel.index);
    for (const ChannelKey key : keys)
        refs.emplace_back(key);
    if (refs.empty())
        return std::optional<TimeRange> {};
    auto iterator = client::Iterator::open(connection, { .channels = refs, .chunkSize = 1 });
    if (!iterator)
        return tl::unexpected(iterator.error());
    std::optional<std::int64_t> first;
    std::optional<std::int64_t> last;
    const auto collect = [&](const Frame& frame) {
        for (const ChannelKey key : keys)
            for (const Series* series : frame.seriesOf(key)) {
                const auto t = series->values<std::int64_t>();
                if (t.empty())
                    continue;
                first = first ? std::min(*first, t.front()) : t.front();
                last = last ? std::max(*last, t.back()) : t.back();
            }
    };
    auto found = (*iterator)->seekFirst();
    if (found && *found && (*iterator)->next())
        collect((*iterator)->value());
    found = (*iterator)->seekLast();
    if (found && *found && (*iterator)->prev())
        collect((*iterator)->value());
    (void)(*iterator)->close();
    if (!found)
        return tl::unexpected(found.error());
    if (!first || !last)
        return std::optional<TimeRange> {};
    return std::optional<TimeRange>(TimeRange { TimeStamp(*first), TimeStamp(*last + 1) });
}

} // namespace sightline::core::feed
