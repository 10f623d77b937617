#pragma once

#include "core/client/connection.h"
#include "core/store/overview.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"
#include "ui/plot/plot_style.h"
#include "ui/plot/range_bands.h"

#include <QElapsedTimer>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace sightline::core::store {
class HistoryCache;
class HistoryReader;
struct HistoryChunk;
struct ReadRequest;
} // namespace sightline::core::store

namespace sightline::ui {

class ChannelColors;
class HistoryPlot;
class Timeline;

/// The history pane: a timeline of everything recorded for the plotted channels, a scrub
/// window the plots follow, stepping by span or by iterator chunk, playback at 0.1×–100×
/// with loop, A/B cursors with statistics, and export (PNG/PDF of the plots with the time
/// range written on them, CSV streamed through the iterator). Reads run on worker threads;
/// data already read is answered from the cache without touching the network.
/// GUI thread only.
class HistoryPane : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryPane(QWidget* parent = nullptr);
    ~HistoryPane() override;

    /// Connects to a cluster (forgets everything cached from another one).
    void attach(std::shared_ptr<core::client::Connection> connection);
    void detach();
    /// One history plot per entry, showing those channels.
    void setPlots(const std::vector<std::vector<core::Channel>>& plots);
    /// The app's channel colours and theme, for the plots made now and later.
    void setColors(ChannelColors* colors);
    void setTheme(const PlotTheme& theme);
    /// Finds the recorded extent on a worker thread, then shows its last minute (or all of it
    /// when shorter) and emits extentLoaded.
    void loadExtent();
    /// Finds the recorded range again (every few seconds while the pane is shown), keeping
    /// the window, or moving it along if it was at the end; the overview scans only what was
    /// added. Waits while an overview scan is still running.
    void refreshExtent();

    void setWindow(core::TimeRange window);
    [[nodiscard]] core::TimeRange window() const;
    /// The A–B selection when both cursors are set, else the window.
    [[nodiscard]] core::TimeRange selection() const;
    /// The ranges every history plot draws (those made later too).
    void setRangeBands(std::vector<RangeBand> bands);
    /// Moves the window by one iterator chunk of the first channel (+1 forward, −1 back),
    /// keeping its length: the chunk comes into view at the window's edge.
    void stepByChunk(int direction);
    void setChunkSize(std::int64_t samples) { m_chunkSize = samples; }
    [[nodiscard]] std::int64_t chunkSize() const { return m_chunkSize; }

    void play(double speed);
    void pause();
    [[nodiscard]] bool playing() const;
    void setLoop(bool loop) { m_loop = loop; }

    /// Writes the history plots (stacked), or only plot `onlyPlot`, as PNG, SVG or PDF (by the
    /// file's suffix), with the time range written on them.
    [[nodiscard]] core::Result<void> exportImage(const QString& file,
        std::optional<std::size_t> onlyPlot = std::nullopt);
    /// Starts a CSV export of `channels` (all plotted ones when empty) over `over`, or else
    /// the window, or the A–B selection when both cursors are set.
    void exportCsv(const QString& file,
        std::vector<core::Channel> channels = {},
        std::optional<core::TimeRange> over = std::nullopt);
    void cancelExport();

    [[nodiscard]] core::store::HistoryCache& cache() { return *m_cache; }
    [[nodiscard]] core::store::HistoryReader* reader() const { return m_reader.get(); }
    /// The history cache's memory budget: what it may hold before it drops the least
    /// recently used ranges (shown beside what it holds). At least 64 MiB.
    void setCacheBudget(std::size_t bytes);
    [[nodiscard]] std::size_t cacheBudget() const;
    /// Buckets of the timeline's overview (over the whole extent).
    static constexpr int OverviewBuckets = 1024;
    /// The overview the timeline shows: the scan so far joined with what is cached.
    [[nodiscard]] core::store::Overview overview() const;
    [[nodiscard]] std::vector<HistoryPlot*> plots() const { return m_plots; }
    [[nodiscard]] Timeline* timeline() const { return m_timeline; }
    [[nodiscard]] bool reading() const;

Q_SIGNALS:
    /// A read for the window finished and the plots show it.
    void windowShown(sightline::core::TimeRange window);
    void exportFinished(const QString& file, const QString& error);
    void backToLiveRequested();
    /// loadExtent() finished: the extent, or nullopt when nothing is recorded or it failed.
    void extentLoaded(std::optional<sightline::core::TimeRange> extent);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    /// The timeline's stepping keys from anywhere in the pane (a plot clicked last).
    void keyPressEvent(QKeyEvent* event) override;

private:
    /// The plots as PDF pages, one a page (paper size, landscape); false when not written.
    [[nodiscard]] static bool writePdfPages(const QString& file,
        const QString& title,
        const std::vector<HistoryPlot*>& plots,
        QSize plotSize);
    void onWindowChanged(core::TimeRange window);
    void fetchExtent(bool keepWindow);
    void applyExtent(const core::Result<std::optional<core::TimeRange>>& extent);
    void extendExtent(core::TimeRange extent);
    /// Scans `scan` into the overview of the extent, on top of m_overviewBase.
    void scanOverview(core::TimeRange scan);
    void fetchMissing();
    void startRead(const core::store::ReadRequest& request);
    /// The next chunk beyond the window (+1 forward, -1 back) as the cache can tell it, as
    /// Iterator next()/prev() would give it; the window itself when nothing lies beyond;
    /// nullopt when the chunk is not all cached.
    [[nodiscard]] std::optional<core::TimeRange> chunkStep(int direction) const;
    /// The window of today's length that ends at `chunk`'s end (forward) or starts at its
    /// start (back).
    [[nodiscard]] core::TimeRange windowShowing(core::TimeRange chunk, int direction) const;
    void onChunk(quint64 id, const core::store::HistoryChunk& chunk);
    void onReadFinished(quint64 id, const QString& error);
    void redraw();
    void updateOverview();
    void updateCacheUsage();
    void advancePlayback();
    [[nodiscard]] std::vector<core::Channel> allChannels() const;
    void chooseExport();

    std::shared_ptr<core::client::Connection> m_connection;
    std::unique_ptr<core::store::HistoryCache> m_cache;
    std::unique_ptr<core::store::HistoryReader> m_reader;
    /// Scans the whole extent for the timeline's overview, apart from m_reader so scrubs
    /// never cancel it.
    std::unique_ptr<core::store::HistoryReader> m_overviewReader;
    core::store::Overview m_scanned; ///< what the overview scan has folded in so far
    core::store::Overview m_overviewBase; ///< scanned before the scan in progress began
    bool m_scanning = false; ///< an overview scan is running
    Timeline* m_timeline = nullptr;
    QVBoxLayout* m_plotLayout = nullptr;
    std::vector<HistoryPlot*> m_plots;
    QLabel* m_status = nullptr;
    QLabel* m_cacheUsage = nullptr; ///< "cache 120 MiB of 2 GiB"
    QComboBox* m_budget = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QPushButton* m_playButton = nullptr;
    QComboBox* m_speed = nullptr;
    QCheckBox* m_loopBox = nullptr;
    QTimer* m_playTimer = nullptr;
    QTimer* m_redrawTimer = nullptr;
    QTimer* m_followTimer = nullptr; ///< refreshes the extent while the pane is shown
    quint64 m_readId = 0;
    std::optional<int> m_pendingStep; ///< a chunk step waiting for its chunk to be read
    std::optional<core::TimeRange> m_lastWindow; ///< the window last asked for
    quint64 m_extentRequest = 0;
    bool m_extentBusy = false; ///< an extent request is on its way
    std::int64_t m_chunkSize = 100'000;
    double m_speedFactor = 1;
    bool m_loop = false;
    QElapsedTimer m_playClock;
    std::shared_ptr<std::atomic<bool>> m_exportCancel;
    ChannelColors* m_colors = nullptr;
    std::optional<PlotTheme> m_theme;
    std::vector<RangeBand> m_rangeBands;
    /// A window set before the recorded range was known, shown once it is.
    std::optional<core::TimeRange> m_askedWindow;
};

} // namespace sightline::ui
