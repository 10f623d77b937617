#pragma once

#include "core/client/connection.h"
#include "core/feed/csv_export.h"
#include "core/feed/history_session.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"
#include "ui/plot/plot_style.h"
#include "ui/plot/range_bands.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace sightline::ui {

class ChannelColors;
class HistoryPlot;
class Timeline;

/// The history pane: layout and wiring over a HistorySession (which holds the extent, the
/// window, the cache, the reads, chunk stepping and playback). It shows a timeline with one
/// overview envelope per channel, the history plots (linked hover and A/B cursors), the
/// playback controls, the cache's use and budget, progress of reads and exports, and offers
/// export (PNG/SVG/PDF of the plots with the time range on them, CSV streamed through the
/// iterator). The stepping keys work wherever the focus is in the pane. GUI thread only.
class HistoryPane : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryPane(QWidget* parent = nullptr);
    ~HistoryPane() override;

    [[nodiscard]] core::feed::HistorySession& session() { return m_session; }
    [[nodiscard]] const core::feed::HistorySession& session() const { return m_session; }

    /// Connects to a cluster (forgets everything cached from another one).
    void attach(std::shared_ptr<core::client::Connection> connection);
    void detach();
    /// One history plot per entry, showing those channels; `axes` (parallel, optional) gives
    /// each channel's live-plot Y axis: those on a right axis (R1, R2) go on the right.
    void setPlots(const std::vector<std::vector<core::Channel>>& plots,
        const std::vector<std::vector<int>>& axes = {});
    /// The app's channel colours and theme, for the plots made now and later.
    void setColors(ChannelColors* colors);
    void setTheme(const PlotTheme& theme);
    /// The ranges every history plot draws (those made later too).
    void setRangeBands(std::vector<RangeBand> bands);
    /// The history cache's memory budget (at least 64 MiB), shown beside what it holds.
    void setCacheBudget(std::size_t bytes);

    /// The A–B selection when both cursors are set, else the window.
    [[nodiscard]] core::TimeRange selection() const;

    /// Writes the history plots (stacked), or only plot `onlyPlot`, as PNG, SVG or PDF (by the
    /// file's suffix), with the time range written on them.
    [[nodiscard]] core::Result<void> exportImage(const QString& file,
        std::optional<std::size_t> onlyPlot = std::nullopt);
    /// Starts a CSV export of `channels` (all plotted ones when empty) over `over`, or else
    /// the A–B selection, or else the window.
    void exportCsv(const QString& file,
        std::vector<core::Channel> channels = {},
        std::optional<core::TimeRange> over = std::nullopt);
    void cancelExport();

    [[nodiscard]] std::vector<HistoryPlot*> plots() const { return m_plots; }
    [[nodiscard]] Timeline* timeline() const { return m_timeline; }

Q_SIGNALS:
    /// A CSV export ended: complete (error empty) or not.
    void exportFinished(const QString& file, const QString& error);
    void backToLiveRequested();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    /// The timeline's stepping keys from anywhere in the pane (a plot clicked last).
    void keyPressEvent(QKeyEvent* event) override;

private:
    void wireSession();
    void redraw();
    void updateOverview();
    void updateCacheUsage();
    /// Shows how far a read or an export got (0…1), painted with the window's next paint.
    void setProgress(double fraction);
    void showProgress(bool visible);
    void chooseExport();

    core::feed::HistorySession m_session;
    core::feed::CsvFileExporter m_csv;
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
    ChannelColors* m_colors = nullptr;
    std::optional<PlotTheme> m_theme;
    std::vector<RangeBand> m_rangeBands;
};

} // namespace sightline::ui
