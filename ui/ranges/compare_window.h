#pragma once

#include "core/client/range_client.h"
#include "core/error.h"
#include "core/feed/background_jobs.h"
#include "core/store/run_overlay.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace sightline::core::client {
class Connection;
} // namespace sightline::core::client

namespace sightline::ui {

class OverlayCursors;

/// Compare runs: the chosen channels of two or more ranges drawn on one time axis of seconds
/// from each run's own start, or from an event (a channel crossing a threshold), each trace
/// named "range · channel" (the range's colour, one line style per channel), with a legend
/// and export to PNG, SVG or PDF. What the history cache holds is drawn from memory; the rest
/// is read through the iterator on a worker thread and cached for the history pane and the
/// next comparison. GUI thread only.
class CompareWindow : public QWidget
{
    Q_OBJECT

public:
    /// The history cache shared with the history pane (null when there is none, then reads
    /// are not cached), asked for at each comparison.
    using CacheAccess = std::function<core::store::HistoryCache*()>;

    CompareWindow(std::shared_ptr<core::client::Connection> connection,
        std::vector<core::client::LabelledRange> ranges,
        std::vector<core::Channel> channels,
        CacheAccess cache = {},
        QWidget* parent = nullptr);
    ~CompareWindow() override;

    /// Which channels to draw (of those offered), and where time zero is; then reads.
    void compare(const std::vector<core::ChannelKey>& channels,
        const core::store::RunAlignment& alignment = {});
    [[nodiscard]] const std::vector<core::store::OverlayTrace>& traces() const { return m_traces; }
    [[nodiscard]] bool reading() const { return m_reading; }
    /// Samples the last comparison read from the cluster and took from the cache.
    [[nodiscard]] std::size_t samplesRead() const { return m_samplesRead; }
    [[nodiscard]] std::size_t samplesCached() const { return m_samplesCached; }
    /// PNG, SVG or PDF by the file's suffix.
    [[nodiscard]] core::Result<void> exportImage(const QString& file);
    [[nodiscard]] QCustomPlot* plot() const { return m_plot; }
    [[nodiscard]] QListWidget* channelList() const { return m_channelList; }
    /// Narrows the channel list to names containing its text (ticked channels stay).
    [[nodiscard]] QLineEdit* channelSearch() const { return m_channelSearch; }
    /// The hover readout and the A/B cursors with their statistics.
    [[nodiscard]] OverlayCursors* cursors() const { return m_cursors; }
    [[nodiscard]] QLabel* readout() const { return m_readout; }
    [[nodiscard]] QLabel* statistics() const { return m_statistics; }

Q_SIGNALS:
    /// The traces are drawn (or the read failed: `problem` says why).
    void compared(const QString& problem);

private:
    void compareChosen();
    void draw(const std::vector<core::store::RunSamples>& runs,
        const std::vector<core::ChannelKey>& drawn);
    [[nodiscard]] core::store::RunAlignment chosenAlignment() const;

    std::shared_ptr<core::client::Connection> m_connection;
    CacheAccess m_cache;
    std::vector<core::client::LabelledRange> m_ranges;
    std::vector<core::Channel> m_channels;
    core::store::RunAlignment m_alignment;
    std::vector<core::store::OverlayTrace> m_traces;
    QListWidget* m_channelList = nullptr;
    QLineEdit* m_channelSearch = nullptr;
    QComboBox* m_alignBy = nullptr;
    QComboBox* m_eventChannel = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QCheckBox* m_falling = nullptr;
    QCustomPlot* m_plot = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_readout = nullptr;
    QLabel* m_statistics = nullptr;
    OverlayCursors* m_cursors = nullptr;
    bool m_reading = false;
    std::size_t m_samplesRead = 0;
    std::size_t m_samplesCached = 0;
    /// The latest comparison's read (an older one delivers nowhere); last, so its thread is
    /// joined before the widgets it draws into go.
    core::feed::BackgroundJobs m_reads { core::feed::BackgroundJobs::Policy::Latest,
        QStringLiteral("sightline-compare") };
};

} // namespace sightline::ui
