#pragma once

#include "core/decimate/m4.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"
#include "core/telem/time_axis.h"
#include "ui/plot/opaque_plot.h"
#include "ui/plot/plot_style.h"
#include "ui/plot/range_bands.h"

#include <QWidget>

#include <optional>
#include <vector>

class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QLabel;

namespace sightline::core::store {
class HistoryCache;
}

namespace sightline::ui {

class ChannelColors;
class LegendArea;
class LegendStrip;
class TimeTicker;

/// A plot of recorded data for the history pane: draws the scrub window of its channels
/// from the history cache (M4 columns from the min/max pyramid), with a hover readout and
/// A/B cursors whose statistics (Δt, Δy, slope, min/max/mean/count between them) are shown
/// per channel. Plots of one pane share the window, so their x-axes are linked.
/// GUI thread only.
class HistoryPlot : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryPlot(QWidget* parent = nullptr);
    ~HistoryPlot() override;

    /// Where trace colours come from (the app's one colour per channel).
    void setColors(ChannelColors* colors);
    /// Colours the plot, its legend, readout and cursors from a theme.
    void setTheme(const PlotTheme& theme);
    void setChannels(std::vector<core::Channel> channels);
    [[nodiscard]] const std::vector<core::Channel>& channels() const { return m_channels; }
    /// Redraws `window` from the cache.
    void refresh(core::store::HistoryCache& cache, core::TimeRange window);

    /// Shows the A/B cursors at these times (nullopt hides them).
    void setCursors(std::optional<core::TimeStamp> a, std::optional<core::TimeStamp> b);
    [[nodiscard]] std::optional<core::TimeStamp> cursorA() const { return m_a; }
    [[nodiscard]] std::optional<core::TimeStamp> cursorB() const { return m_b; }
    /// The statistics text between the cursors (empty without both).
    [[nodiscard]] QString statsText() const;
    /// Points drawn for a channel at the last refresh.
    [[nodiscard]] const core::decimate::PlotPoints* points(core::ChannelKey key) const;

    [[nodiscard]] OpaquePlot* plot() const { return m_plot; }
    /// The ranges drawn over the traces.
    [[nodiscard]] RangeBands& rangeBands() { return *m_bands; }
    /// Draws these ranges (placed for the window shown now).
    void setRangeBands(std::vector<RangeBand> bands);
    /// The legend strip above the plot (never over the data); a click hides a trace.
    [[nodiscard]] LegendStrip* legend() const { return m_legend; }
    /// Shows the shared hover cursor and its sample-and-hold readout at `at` (nullopt hides).
    void setHover(std::optional<core::TimeStamp> at);
    /// Draws `key` against the right Y axis (else the left); each axis scales to its own.
    void setChannelOnRightAxis(core::ChannelKey key, bool right);
    [[nodiscard]] bool isOnRightAxis(core::ChannelKey key) const;
    [[nodiscard]] QString readoutText() const;
    /// Dresses the plot for an export: `title` (the time range) above it, the A–B statistics
    /// under it, the hover cursor and readout (where the mouse happened to be) left out.
    /// An empty title undoes it all.
    void setExportDecorations(const QString& title);

Q_SIGNALS:
    /// The user placed a cursor (A with the left button, B with Shift+left).
    void cursorsMoved(std::optional<sightline::core::TimeStamp> a,
        std::optional<sightline::core::TimeStamp> b);
    void hovered(sightline::core::TimeStamp at);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateStats(core::store::HistoryCache& cache);
    void autoscale();
    /// Legend entries: each channel's name and its value at the hover cursor or window end.
    void updateLegend();
    void showContextMenu(const QPoint& at);

    void updateLegendEntries();
    /// Trace pens (and legend swatches) from the app's channel colours.
    void applyColors();

    OpaquePlot* m_plot = nullptr;
    std::unique_ptr<RangeBands> m_bands;
    LegendArea* m_legendArea = nullptr;
    LegendStrip* m_legend = nullptr;
    QLabel* m_stats = nullptr;
    QSharedPointer<TimeTicker> m_ticker;
    QCPItemStraightLine* m_lineA = nullptr;
    QCPItemStraightLine* m_lineB = nullptr;
    QCPItemStraightLine* m_hoverLine = nullptr;
    QCPItemText* m_readout = nullptr;
    std::vector<core::Channel> m_channels;
    std::vector<core::decimate::PlotPoints> m_points;
    core::TimeAxis m_axis; ///< keys: seconds from the window's start
    std::optional<core::TimeStamp> m_a;
    std::optional<core::TimeStamp> m_b;
    std::optional<core::TimeStamp> m_hover;
    core::TimeRange m_window;
    core::store::HistoryCache* m_cache = nullptr;
    ChannelColors* m_colors = nullptr;
    PlotTheme m_theme;
    std::vector<QCPLayoutElement*> m_exportElements; ///< setExportDecorations' rows
};

} // namespace sightline::ui
