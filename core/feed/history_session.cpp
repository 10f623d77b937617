#include "core/feed/history_session.h"

#include "core/telem/time_axis.h"

#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace sightline::core::feed {

namespace {
    constexpr int CacheChangedMs = 33; ///< partial results drawn at most ~30 times a second
    /// The overview grows with what is read at most 4 times a second: redrawing the strip on
    /// every partial result kept the GUI thread up to 6 ms longer in a paint during reads.
    constexpr int OverviewChangedMs = 250;
    constexpr int PlaybackMs = 33;
    constexpr int FollowMs = 3000; ///< how often a followed extent is looked for again
} // namespace

HistorySession::HistorySession(QObject* parent)
    : QObject(parent)
    , m_cache(std::make_unique<store::HistoryCache>())
    , m_playTimer(new QTimer(this))
    , m_followTimer(new QTimer(this))
    , m_cacheChangedTimer(new QTimer(this))
    , m_overviewChangedTimer(new QTimer(this))
    , m_extentJobs(BackgroundJobs::Policy::Latest, u"sightline-history-extent"_s)
{
    m_playTimer->setInterval(PlaybackMs);
    connect(m_playTimer, &QTimer::timeout, this, &HistorySession::advancePlayback);
    m_followTimer->setInterval(FollowMs);
    connect(m_followTimer, &QTimer::timeout, this, &HistorySession::refreshExtent);
    m_cacheChangedTimer->setSingleShot(true);
    m_cacheChangedTimer->setInterval(CacheChangedMs);
    connect(m_cacheChangedTimer, &QTimer::timeout, this, &HistorySession::cacheChanged);
    m_overviewChangedTimer->setSingleShot(true);
    m_overviewChangedTimer->setInterval(OverviewChangedMs);
    // The envelope of what has been read grew too.
    connect(m_overviewChangedTimer, &QTimer::timeout, this, &HistorySession::overviewChanged);
}

HistorySession::~HistorySession() = default;

void HistorySession::attach(std::shared_ptr<client::Connection> connection)
{
    SIGHTLINE_ASSERT_GUI_THREAD();
    detach();
    m_connection = std::move(connection);
    m_reader = std::make_unique<HistoryReader>(m_connection);
    connect(m_reader.get(), &HistoryReader::chunkRead, this, &HistorySession::onChunk);
    connect(m_reader.get(), &HistoryReader::finished, this, [this](quint64 id) {
        onReadEnded(id, std::nullopt);
    });
    connect(m_reader.get(), &HistoryReader::failed, this, [this](quint64 id, const Error& error) {
        onReadEnded(id, error);
    });
    connect(m_reader.get(), &HistoryReader::progress, this, [this](quint64 id, double fraction) {
        if (id == m_readId)
            Q_EMIT readProgress(fraction);
    });
    m_overviewReader = std::make_unique<HistoryReader>(m_connection);
    connect(m_overviewReader.get(),
        &HistoryReader::overviewRead,
        this,
        [this](quint64, const Overviews& scanned, double) {
            for (const auto& [key, overview] : scanned) {
                const auto base = m_overviewBase.find(key);
                if (base == m_overviewBase.end() || base->second.range() != overview.range())
                    continue; // the extent changed since the scan began
                store::Overview merged = base->second;
                merged.merge(overview);
                m_scanned[key] = std::move(merged);
            }
            Q_EMIT overviewChanged();
        });
    const auto scanEnded = [this] { m_scanning = false; };
    connect(m_overviewReader.get(), &HistoryReader::finished, this, scanEnded);
    connect(m_overviewReader.get(), &HistoryReader::failed, this, scanEnded);
}

void HistorySession::detach()
{
    SIGHTLINE_ASSERT_GUI_THREAD();
    pause();
    m_extentJobs.cancel();
    m_extentBusy = false;
    m_reader.reset();
    m_overviewReader.reset();
    m_scanned.clear();
    m_overviewBase.clear();
    m_scanning = false;
    m_connection.reset();
    m_cache->clear();
    m_readId = 0;
    m_pendingStep.reset();
    m_lastWindow.reset();
    setExtent(std::nullopt);
}

void HistorySession::setChannels(const std::vector<Channel>& channels)
{
    m_channels.clear();
    for (const Channel& channel : channels)
        if (std::none_of(m_channels.begin(), m_channels.end(), [&](const Channel& c) {
                return c.key == channel.key;
            }))
            m_channels.push_back(channel);
}

void HistorySession::loadExtent()
{
    if (m_connection)
        fetchExtent(false);
}

void HistorySession::refreshExtent()
{
    if (!m_connection || !m_extent || m_scanning || m_extentBusy)
        return;
    fetchExtent(true);
}

void HistorySession::setFollowing(bool on)
{
    if (on)
        m_followTimer->start();
    else
        m_followTimer->stop();
}

void HistorySession::fetchExtent(bool keepWindow)
{
    // A few iterator calls: on a worker, so a slow network never freezes the window.
    m_extentBusy = true;
    m_extentJobs.start([this, connection = m_connection, channels = m_channels, keepWindow](
                           const BackgroundJobs::Job& job) {
        auto extent = HistoryReader::extent(*connection, channels);
        job.post([this, extent, keepWindow] {
            m_extentBusy = false;
            if (keepWindow && extent && *extent && m_extent)
                extendExtent(**extent);
            else
                applyExtent(extent);
        });
    });
}

TimeRange HistorySession::lastMinuteOf(TimeRange extent)
{
    const TimeSpan minute = TimeSpan::minutes(1);
    return extent.span() > minute ? TimeRange { extent.end - minute, extent.end } : extent;
}

void HistorySession::setExtent(std::optional<TimeRange> extent)
{
    m_extent = extent;
    Q_EMIT extentChanged(m_extent);
}

void HistorySession::applyExtent(const Result<std::optional<TimeRange>>& extent)
{
    if (!extent) {
        Q_EMIT extentLoaded(std::nullopt);
        Q_EMIT extentFailed(extent.error());
        return;
    }
    setExtent(*extent);
    if (!*extent) {
        Q_EMIT extentLoaded(std::nullopt);
        return;
    }
    const TimeRange all = **extent;
    // A window asked for meanwhile (a range opened) wins over the last minute.
    setWindow(std::exchange(m_askedWindow, std::nullopt).value_or(lastMinuteOf(all)));
    // The overview: at once from whatever is cached, then from a scan of everything.
    m_overviewBase.clear();
    for (const Channel& channel : m_channels)
        m_overviewBase.emplace(channel.key, store::Overview(all, OverviewBuckets));
    m_scanned = m_overviewBase;
    Q_EMIT overviewChanged();
    scanOverview(all);
    Q_EMIT extentLoaded(all);
}

void HistorySession::extendExtent(TimeRange extent)
{
    const TimeRange old = *m_extent;
    if (extent == old)
        return;
    const bool following = m_window.end >= old.end;
    // Everything was shown (a recording younger than a minute): it still is, up to a minute.
    const bool showingAll = m_window == old;
    const TimeRange window = m_window;
    setExtent(extent);
    // What was scanned, on the wider buckets; then only the new part is read.
    for (auto& [key, overview] : m_scanned)
        overview = overview.rebucketed(extent);
    m_overviewBase = m_scanned;
    if (extent.end > old.end)
        scanOverview({ std::max(old.end, extent.start), extent.end });
    if (showingAll)
        setWindow(lastMinuteOf(extent));
    else
        setWindow(following ? TimeRange { extent.end - window.span(), extent.end } : window);
    Q_EMIT overviewChanged();
}

void HistorySession::scanOverview(TimeRange scan)
{
    if (!m_overviewReader || m_overviewBase.empty())
        return;
    m_scanning = true;
    m_overviewReader->scanOverview(m_channels, m_overviewBase, scan);
}

store::Overview HistorySession::overview(ChannelKey key) const
{
    const auto scanned = m_scanned.find(key);
    if (!m_extent || scanned == m_scanned.end())
        return {};
    // What is cached, from the pyramid (cheap), on the scan's buckets.
    const TimeRange extent = *m_extent;
    decimate::PlotPoints points;
    m_cache->view(key,
        extent.start.nanoseconds(),
        extent.end.nanoseconds(),
        OverviewBuckets,
        extent.start.nanoseconds(), // the keys' origin
        std::numeric_limits<std::int64_t>::max() / 4,
        points);
    std::vector<std::int64_t> stamps;
    std::vector<double> values;
    stamps.reserve(std::size_t(points.keys.size()));
    values.reserve(std::size_t(points.keys.size()));
    const TimeAxis axis(extent.start); // the keys' origin, as asked of the view above
    for (qsizetype i = 0; i < points.keys.size(); ++i) {
        stamps.push_back(axis.timeOf(points.keys[i]).nanoseconds());
        values.push_back(points.values[i]);
    }
    store::Overview overview(extent, OverviewBuckets);
    overview.add(stamps, values);
    if (scanned->second.range() == extent)
        overview.merge(scanned->second);
    return overview;
}

TimeRange HistorySession::clampWindow(TimeRange window, std::optional<TimeRange> extent)
{
    if (window.span() < MinimumWindow)
        window.end = window.start + MinimumWindow;
    if (extent) {
        const TimeSpan span = std::min(window.span(), extent->span());
        if (window.start < extent->start)
            window = { extent->start, extent->start + span };
        if (window.end > extent->end)
            window = { extent->end - span, extent->end };
    }
    return window;
}

void HistorySession::setWindow(TimeRange window)
{
    SIGHTLINE_ASSERT_GUI_THREAD();
    if (!m_extent) // asked for before the extent is known: kept for then
        m_askedWindow = window;
    m_window = clampWindow(window, m_extent);
    Q_EMIT windowChanged(m_window);
    fetchMissing();
}

void HistorySession::fetchMissing()
{
    if (!m_reader)
        return;
    std::optional<TimeRange> needed;
    for (const Channel& channel : m_channels)
        for (const TimeRange& gap : m_cache->missing(channel.key, m_window))
            needed = needed
                ? TimeRange { std::min(needed->start, gap.start), std::max(needed->end, gap.end) }
                : gap;
    // A window moving left reads backward, so what lies nearest the last view comes first.
    const bool backward = m_lastWindow && m_window.start < m_lastWindow->start;
    m_lastWindow = m_window;
    m_pendingStep.reset(); // the window moved: a step waiting for a read is no longer wanted
    if (!needed) {
        if (m_readId != 0) // a read for an older window is still going: no longer wanted
            m_reader->cancel();
        endRead();
        Q_EMIT windowShown(m_window);
        return;
    }
    startRead({ .range = *needed,
        .chunkSize = m_chunkSize,
        .direction = backward ? ReadDirection::Backward : ReadDirection::Forward });
}

void HistorySession::startRead(const ReadRequest& request)
{
    const bool was = reading();
    m_readId = m_reader->read(m_channels, request);
    if (!was)
        Q_EMIT readingChanged(true);
    Q_EMIT readProgress(0);
}

void HistorySession::endRead()
{
    const bool was = reading();
    m_readId = 0;
    if (was)
        Q_EMIT readingChanged(false);
}

void HistorySession::cancelRead()
{
    if (m_reader)
        m_reader->cancel();
    m_pendingStep.reset();
    endRead();
}

void HistorySession::onChunk(quint64 id, const HistoryChunk& chunk)
{
    if (id != m_readId)
        return; // stale: a newer request replaced it
    m_cache->insert(chunk.key, chunk.covered, chunk.stamps, chunk.values, chunk.prepared);
    if (!m_cacheChangedTimer->isActive())
        m_cacheChangedTimer->start();
    if (!m_overviewChangedTimer->isActive())
        m_overviewChangedTimer->start();
}

void HistorySession::onReadEnded(quint64 id, const std::optional<Error>& error)
{
    if (id != m_readId)
        return;
    endRead();
    m_cacheChangedTimer->stop();
    m_overviewChangedTimer->stop();
    Q_EMIT cacheChanged();
    Q_EMIT overviewChanged();
    if (error)
        Q_EMIT readFailed(*error);
    if (const auto step = std::exchange(m_pendingStep, std::nullopt); step && !error) {
        // The chunk beyond the window is cached now: take the step.
        if (const auto chunk = chunkStep(*step)) {
            if (*chunk != m_window)
                setWindow(windowShowing(*chunk, *step));
            else
                Q_EMIT windowShown(m_window);
            return;
        }
    }
    if (!error)
        Q_EMIT windowShown(m_window);
}

void HistorySession::setCacheBudget(std::size_t bytes)
{
    m_cache->setBudgetBytes(std::max<std::size_t>(bytes, std::size_t(64) << 20));
    Q_EMIT cacheChanged();
}

void HistorySession::stepByChunk(int direction)
{
    if (m_channels.empty() || !m_extent || !m_reader)
        return;
    if (const auto chunk = chunkStep(direction)) {
        if (*chunk != m_window)
            setWindow(windowShowing(*chunk, direction));
        return;
    }
    // The cache cannot tell where the chunk ends: read it (one iterator call), then step.
    const bool forward = direction > 0;
    startRead({ .range = forward ? TimeRange { m_window.end, m_extent->end }
                                 : TimeRange { m_extent->start, m_window.start },
        .chunkSize = m_chunkSize,
        .direction = forward ? ReadDirection::Forward : ReadDirection::Backward,
        .maxChunks = 1 });
    m_pendingStep = direction;
}

TimeRange HistorySession::windowShowing(TimeRange chunk, int direction) const
{
    const TimeSpan length = m_window.span();
    return direction > 0 ? TimeRange { chunk.end - length, chunk.end }
                         : TimeRange { chunk.start, chunk.start + length };
}

std::optional<TimeRange> HistorySession::chunkStep(int direction) const
{
    if (m_channels.empty() || !m_extent)
        return std::nullopt;
    const ChannelKey key = m_channels.front().key;
    const TimeRange window = m_window;
    const auto count = [&](TimeRange range) {
        const auto stats = m_cache->stats(key, range);
        return stats ? static_cast<std::int64_t>(stats->count) : 0;
    };
    // The cached run of time next to the window, on the side of the step: its samples are
    // all the samples there are in it.
    std::optional<TimeRange> run;
    for (const TimeRange& covered : m_cache->covered(key))
        if (direction > 0 ? covered.start <= window.end && window.end < covered.end
                          : covered.start < window.start && window.start <= covered.end)
            run = direction > 0 ? TimeRange { window.end, covered.end }
                                : TimeRange { covered.start, window.start };
    const bool atEdge
        = direction > 0 ? window.end >= m_extent->end : window.start <= m_extent->start;
    if (!run)
        return atEdge ? std::optional(window) : std::nullopt; // nothing beyond, or unknown
    const std::int64_t available = count(*run);
    const bool reachesEdge
        = direction > 0 ? run->end >= m_extent->end : run->start <= m_extent->start;
    if (available < m_chunkSize && !reachesEdge)
        return std::nullopt; // the chunk may end beyond what is cached
    if (available == 0)
        return window; // nothing recorded beyond the window
    // As Iterator next()/prev() by chunk size: the next `chunkSize` samples after the window
    // (view = [old end, last + 1 ns)) or the `chunkSize` samples before it.
    const std::int64_t wanted = std::min(m_chunkSize, available);
    if (direction > 0) {
        std::int64_t low = window.end.nanoseconds();
        std::int64_t high = run->end.nanoseconds();
        while (low < high) { // smallest t with count([end, t)) >= wanted
            const std::int64_t mid = low + (high - low) / 2;
            if (count({ window.end, TimeStamp(mid) }) >= wanted)
                high = mid;
            else
                low = mid + 1;
        }
        return TimeRange { window.end, TimeStamp(low) };
    }
    std::int64_t low = run->start.nanoseconds();
    std::int64_t high = window.start.nanoseconds();
    while (low < high) { // largest t with count([t, start)) >= wanted
        const std::int64_t mid = low + (high - low + 1) / 2;
        if (count({ TimeStamp(mid), window.start }) >= wanted)
            low = mid;
        else
            high = mid - 1;
    }
    return TimeRange { TimeStamp(low), window.start };
}

void HistorySession::play(double speed)
{
    m_speed = speed;
    m_playClock.start();
    const bool was = playing();
    m_playTimer->start();
    if (!was)
        Q_EMIT playingChanged(true);
}

void HistorySession::pause()
{
    if (!playing())
        return;
    m_playTimer->stop();
    Q_EMIT playingChanged(false);
}

bool HistorySession::playing() const { return m_playTimer->isActive(); }

void HistorySession::advancePlayback()
{
    const qint64 elapsed = m_playClock.restart(); // wall time since the last step
    if (!m_extent)
        return;
    const TimeRange window = m_window;
    const TimeSpan step(static_cast<std::int64_t>(static_cast<double>(elapsed) * 1e6 * m_speed));
    if (window.end + step > m_extent->end) {
        if (!m_loop) {
            setWindow({ m_extent->end - window.span(), m_extent->end });
            pause();
            return;
        }
        setWindow({ m_extent->start, m_extent->start + window.span() });
        return;
    }
    setWindow({ window.start + step, window.end + step });
}

} // namespace sightline::core::feed
