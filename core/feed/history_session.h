#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/feed/background_jobs.h"
#include "core/feed/history_reader.h"
#include "core/store/history_cache.h"
#include "core/store/overview.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace sightline::core::feed {

/// Everything the history pane does that is not drawing: the recorded extent (found, then
/// followed while recording goes on), the scrub window over it, the history cache and the
/// reads of what it lacks (a newer window cancels an older read), the per-channel overview
/// of the whole extent, stepping by iterator chunk, and playback at a speed, with loop.
/// Headless: the pane is layout and wiring over it, and tests drive it without widgets.
/// GUI thread only (asserted in debug builds); reads run on worker threads.
class HistorySession : public QObject
{
    Q_OBJECT

public:
    /// Buckets of the overview over the whole extent.
    static constexpr int OverviewBuckets = 1024;
    /// The shortest window (1 µs).
    static constexpr TimeSpan MinimumWindow = TimeSpan(1000);

    /// `window` at least MinimumWindow long and inside `extent` (when known), keeping its
    /// span when the extent allows: the one rule for the session and the timeline.
    [[nodiscard]] static TimeRange clampWindow(TimeRange window, std::optional<TimeRange> extent);

    explicit HistorySession(QObject* parent = nullptr);
    ~HistorySession() override;

    /// Reads from `connection` from now on (forgets everything cached from another one).
    void attach(std::shared_ptr<client::Connection> connection);
    void detach();
    [[nodiscard]] const std::shared_ptr<client::Connection>& connection() const
    {
        return m_connection;
    }
    /// The channels shown (duplicates dropped; order kept): what is read and overviewed.
    void setChannels(const std::vector<Channel>& channels);
    [[nodiscard]] const std::vector<Channel>& channels() const { return m_channels; }

    /// Finds the recorded extent on a worker thread, then shows its last minute (or all of it
    /// when shorter; a window asked for meanwhile wins) and scans the overview.
    void loadExtent();
    /// Finds the extent again, keeping the window, or moving it along when it was at the end;
    /// the overview scans only what was added. Skipped while a scan or a look is running.
    void refreshExtent();
    /// Refreshes the extent every few seconds while on (the pane is shown).
    void setFollowing(bool on);
    [[nodiscard]] std::optional<TimeRange> extent() const { return m_extent; }

    /// Moves the window (clamped to the extent, at least MinimumWindow long) and reads what
    /// the cache lacks of it; a window asked for before the extent is known is kept for then.
    void setWindow(TimeRange window);
    [[nodiscard]] TimeRange window() const { return m_window; }
    /// Moves the window by one iterator chunk of the first channel (+1 forward, −1 back),
    /// keeping its length: the chunk comes into view at the window's edge. Reads the chunk
    /// first when the cache cannot tell where it ends.
    void stepByChunk(int direction);
    void setChunkSize(std::int64_t samples) { m_chunkSize = std::max<std::int64_t>(1, samples); }
    [[nodiscard]] std::int64_t chunkSize() const { return m_chunkSize; }

    /// Moves the window along at `speed` × real time (0.1–100), from where it is.
    void play(double speed);
    void pause();
    [[nodiscard]] bool playing() const;
    void setSpeed(double speed) { m_speed = speed; }
    [[nodiscard]] double speed() const { return m_speed; }
    /// At the end, start again from the extent's start (else stop at the end).
    void setLoop(bool loop) { m_loop = loop; }
    [[nodiscard]] bool loops() const { return m_loop; }

    [[nodiscard]] store::HistoryCache& cache() { return *m_cache; }
    [[nodiscard]] const store::HistoryCache& cache() const { return *m_cache; }
    [[nodiscard]] HistoryReader* reader() const { return m_reader.get(); }
    /// The cache's memory budget, at least 64 MiB.
    void setCacheBudget(std::size_t bytes);
    /// A read for the window is running.
    [[nodiscard]] bool reading() const { return m_readId != 0; }
    void cancelRead();

    /// The envelope of `key` over the extent: the overview scan so far joined with what is
    /// cached. Empty (no buckets) when the extent is unknown or the channel not shown.
    [[nodiscard]] store::Overview overview(ChannelKey key) const;

Q_SIGNALS:
    /// The extent was found or changed (nullopt: nothing recorded, or detached).
    void extentChanged(std::optional<sightline::core::TimeRange> extent);
    /// loadExtent() finished: the extent, or nullopt when nothing is recorded or it failed.
    void extentLoaded(std::optional<sightline::core::TimeRange> extent);
    void extentFailed(const sightline::core::Error& error);
    /// The window moved (set, stepped, played, followed, clamped).
    void windowChanged(sightline::core::TimeRange window);
    /// What the window needs is cached and a read for it (if any) finished: the plots show it.
    void windowShown(sightline::core::TimeRange window);
    /// The cache took in newly read samples (at most about 30 times a second).
    void cacheChanged();
    /// The overview of some channel changed (while reading, at most 4 times a second).
    void overviewChanged();
    /// A read for the window started (true) or ended (false).
    void readingChanged(bool reading);
    void readProgress(double fraction);
    void readFailed(const sightline::core::Error& error);
    void playingChanged(bool playing);

private:
    using Overviews = HistoryReader::Overviews;

    void fetchExtent(bool keepWindow);
    void applyExtent(const Result<std::optional<TimeRange>>& extent);
    void extendExtent(TimeRange extent);
    void setExtent(std::optional<TimeRange> extent);
    /// The window shown at first: the extent's last minute, or all of it when shorter.
    [[nodiscard]] static TimeRange lastMinuteOf(TimeRange extent);
    /// Scans `scan` into the overviews, on top of m_overviewBase.
    void scanOverview(TimeRange scan);
    void fetchMissing();
    void startRead(const ReadRequest& request);
    void endRead();
    void onChunk(quint64 id, const HistoryChunk& chunk);
    void onReadEnded(quint64 id, const std::optional<Error>& error);
    /// The next chunk beyond the window (+1 forward, −1 back) as the cache can tell it, as
    /// Iterator next()/prev() would give it; the window itself when nothing lies beyond;
    /// nullopt when the chunk is not all cached.
    [[nodiscard]] std::optional<TimeRange> chunkStep(int direction) const;
    /// The window of today's length that ends at `chunk`'s end (forward) or starts at its
    /// start (back).
    [[nodiscard]] TimeRange windowShowing(TimeRange chunk, int direction) const;
    void advancePlayback();

    std::shared_ptr<client::Connection> m_connection;
    std::vector<Channel> m_channels;
    std::unique_ptr<store::HistoryCache> m_cache;
    std::unique_ptr<HistoryReader> m_reader;
    /// Scans the whole extent for the overview, apart from m_reader so scrubs never cancel it.
    std::unique_ptr<HistoryReader> m_overviewReader;
    Overviews m_scanned; ///< what the overview scan has folded in so far
    Overviews m_overviewBase; ///< scanned before the scan in progress began
    bool m_scanning = false;
    std::optional<TimeRange> m_extent;
    TimeRange m_window;
    /// A window set before the extent was known, shown once it is.
    std::optional<TimeRange> m_askedWindow;
    std::optional<TimeRange> m_lastWindow; ///< the window last read for
    quint64 m_readId = 0;
    std::optional<int> m_pendingStep; ///< a chunk step waiting for its chunk to be read
    bool m_extentBusy = false;
    std::int64_t m_chunkSize = 100'000;
    double m_speed = 1;
    bool m_loop = false;
    QElapsedTimer m_playClock;
    QTimer* m_playTimer;
    QTimer* m_followTimer;
    QTimer* m_cacheChangedTimer;
    QTimer* m_overviewChangedTimer;
    BackgroundJobs m_extentJobs; ///< last: joined before anything its deliveries use goes
};

} // namespace sightline::core::feed
