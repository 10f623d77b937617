#include "core/store/history_reader.h"

#include "core/client/iterator.h"

#include <QPointer>
#include <QThread>

#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace sightline::core::store {

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
    , m_current(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<HistoryChunk>();
}

HistoryReader::~HistoryReader() { cancel(); }

void HistoryReader::cancel() { m_current->store(0); }

quint64 HistoryReader::read(
    const std::vector<Channel>& channels, TimeRange range, std::int64_t chunkSize)
{
    const quint64 id = ++m_requests;
    m_current->store(id);
    std::vector<Channel> data;
    std::vector<client::ChannelRef> refs;
    std::set<ChannelKey> keys;
    for (const Channel& channel : channels) {
        if (channel.isIndex || channel.isVirtual || channel.index == 0)
            continue;
        data.push_back(channel);
        keys.insert(channel.key);
        keys.insert(channel.index);
    }
    for (const ChannelKey key : keys)
        refs.emplace_back(key);
    QPointer<HistoryReader> self(this);
    auto current = m_current;
    auto connection = m_connection;
    ++m_running;
    QThread* worker = QThread::create(
        [self, current, connection, data, refs, range, chunkSize, id] {
            const auto post = [&](auto&& deliver) {
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, current, id, deliver = std::move(deliver)]() mutable {
                        if (self && current->load() == id)
                            deliver(*self);
                    },
                    Qt::QueuedConnection);
            };
            const auto finish = [&](const QString& error) {
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, current, id, error] {
                        if (!self)
                            return;
                        --self->m_running;
                        if (current->load() == id)
                            Q_EMIT self->finished(id, error);
                    },
                    Qt::QueuedConnection);
            };
            auto iterator = client::Iterator::open(*connection,
                { .bounds = range,
                    .channels = refs,
                    .chunkSize = chunkSize,
                    .downsampleFactor = 1 });
            if (!iterator) {
                finish(iterator.error().message);
                return;
            }
            std::map<ChannelKey, TimeStamp> coveredUntil;
            for (const Channel& channel : data)
                coveredUntil[channel.key] = range.start;
            auto more = (*iterator)->seekGE(range.start);
            while (more && *more && current->load() == id) {
                more = (*iterator)->next();
                if (!more)
                    break;
                for (HistoryChunk& chunk : chunksOf((*iterator)->value(), data)) {
                    if (chunk.stamps.empty())
                        continue;
                    const TimeStamp until(chunk.stamps.back() + 1);
                    chunk.covered = { coveredUntil[chunk.key], until };
                    coveredUntil[chunk.key] = until;
                    const double fraction = static_cast<double>((until - range.start).nanoseconds())
                        / static_cast<double>(
                            std::max<std::int64_t>(1, range.span().nanoseconds()));
                    post([chunk = std::move(chunk), fraction, id](HistoryReader& reader) {
                        Q_EMIT reader.chunkRead(id, chunk);
                        Q_EMIT reader.progress(id, std::min(1.0, fraction));
                    });
                }
            }
            if (!more) {
                finish(more.error().message);
                return;
            }
            if (current->load() == id)
                // The rest of the range holds no samples: it is covered too.
                for (const Channel& channel : data)
                    if (coveredUntil[channel.key] < range.end)
                        post(
                            [chunk = HistoryChunk { channel.key,
                                 { coveredUntil[channel.key], range.end },
                                 {},
                                 {} },
                                id](HistoryReader& reader) { Q_EMIT reader.chunkRead(id, chunk); });
            (void)(*iterator)->close();
            finish(QString());
        });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
    return id;
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

} // namespace sightline::core::store
