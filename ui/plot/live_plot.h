#pragma once

#include "core/decimate/m4.h"
#include "core/store/live_store.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"
#include "core/telem/time_axis.h"
#include "ui/plot/opaque_plot.h"
#include "ui/plot/plot_layout.h"
#include "ui/plot/plot_style.h"
#include "ui/plot/range_bands.h"

#include <QElapsedTimer>
#include <QWidget>

#include <array>
#include <memory>
#include <optional>
#include <vector>

class QCPAxis;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPRange;
class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QToolButton;

namespace sightline::ui {

class ChannelColors;
class DenseGraph;
class LegendArea;
class LegendStrip;
class LimitLineItems;
class TimeTicker;
class TraceCanvas;

/// One live plot: a time window of the plotted channels, redrawn by the plot clock from the
/// live buffers with M4 decimation per pixel column, on up to four Y axes (L1, R1, L2, R2).
/// It follows live until the user zooms or pans (wheel, drag, Shift+drag box zoom, Ctrl+wheel
/// for Y); hovering, clicking and menus never stop it. Then the view freezes (buffering
/// continues), a "not following live" cue and Jump to live appear, and each zoom can be
/// undone. Each Y axis autoscales from the visible samples with hysteresis unless the user
/// fixed its range. A legend strip above the plot (never over the data) shows current values
/// and toggles traces; limit lines turn the warning colour while a trace is beyond them.
/// GUI thread only.
class LivePlot : public QWidget
{
    Q_OBJECT

public:
    /// The windows offered (custom ones are kept too).
    static const std::vector<core::TimeSpan>& standardWindows();

    explicit LivePlot(QWidget* parent = nullptr);
    ~LivePlot() override;

    /// Where trace colours come from (one colour per channel across the app); without one,
    /// the palette in order.
    void setColors(ChannelColors* colors);
    void setTheme(const PlotTheme& theme);
    /// Marks this plot as the one the picker ticks into.
    void setCurrent(bool current);
    [[nodiscard]] bool isCurrent() const { return m_current; }
    /// Whether the plot may be removed (the last one may not); the close button follows it.
    void setRemovable(bool removable);

    void addChannel(const core::Channel& channel, int axis = 0);
    void removeChannel(core::ChannelKey key);
    [[nodiscard]] std::vector<core::ChannelKey> channelKeys() const;
    /// While following live: the note shown when the buffers hold less than the window
    /// (empty when they hold it all).
    [[nodiscard]] QString shortWindowNote() const;
    [[nodiscard]] bool hasChannel(core::ChannelKey key) const;

    void setWindow(core::TimeSpan window);
    [[nodiscard]] core::TimeSpan window() const { return m_window; }
    [[nodiscard]] bool followingLive() const { return m_following; }
    void jumpToLive();
    /// Stops following live (as a zoom or pan does).
    void freeze();
    /// Fixes the range of the first Y axis (nullopt: autoscale).
    void setManualYRange(std::optional<std::pair<double, double>> range);

    /// Moves a channel's trace to Y axis `axis` (0–3: L1, R1, L2, R2).
    void setChannelAxis(core::ChannelKey key, int axis);
    [[nodiscard]] int channelAxis(core::ChannelKey key) const;
    /// Draws `key` against the first right Y axis (else the first left one).
    void setChannelOnRightAxis(core::ChannelKey key, bool right);
    [[nodiscard]] bool isOnRightAxis(core::ChannelKey key) const;
    [[nodiscard]] QCPAxis* yAxis(int axis) const;
    /// The user's label and range of an axis; an empty label shows its channels' names.
    void setAxisSettings(int axis, const AxisSettings& settings);
    [[nodiscard]] const AxisSettings& axisSettings(int axis) const;
    /// The label shown on an axis (the user's, else its channels' names).
    [[nodiscard]] QString axisLabel(int axis) const;

    /// Shows or hides a trace (the legend toggles it); hidden traces do not autoscale.
    void setTraceVisible(core::ChannelKey key, bool visible);
    [[nodiscard]] bool isTraceVisible(core::ChannelKey key) const;
    [[nodiscard]] QColor traceColor(core::ChannelKey key) const;

    void addLimitLine(const LimitLine& limit);
    void setLimitLine(int index, const LimitLine& limit);
    void removeLimitLine(int index);
    [[nodiscard]] const std::vector<LimitLine>& limitLines() const { return m_limits; }
    /// Whether a visible trace on its axis is beyond limit `index` at the last refresh.
    [[nodiscard]] bool isLimitExceeded(int index) const;
    /// Whether the channel's value at the last refresh is beyond a limit on its axis.
    [[nodiscard]] bool isBeyondLimit(core::ChannelKey key) const;

    /// Goes back to the view before the last zoom or pan (following live again if it was).
    void undoZoom();
    [[nodiscard]] bool canUndoZoom() const { return !m_undo.empty(); }

    /// What the user arranged, by channel name.
    [[nodiscard]] PlotLayout layout() const;
    /// Applies axes, hidden traces, limits and window of a layout to the channels already
    /// added (by name); `layout.channels` not on the plot are ignored.
    void applyLayout(const PlotLayout& layout);

    /// Redraws from the buffers; `now` is the live edge.
    void refresh(const core::store::LiveStore& store, core::TimeStamp now);

    [[nodiscard]] OpaquePlot* plot() const { return m_plot; }
    /// The ranges drawn over the traces (an open one grows with the present).
    [[nodiscard]] RangeBands& rangeBands() { return *m_bands; }
    [[nodiscard]] LegendStrip* legend() const { return m_legend; }
    [[nodiscard]] const LimitLineItems& limitItems() const { return *m_limitItems; }
    /// Points drawn for `key` at the last refresh (for tests and the status bar).
    [[nodiscard]] qsizetype pointCount(core::ChannelKey key) const;
    /// The text of the hover readout (empty when not hovering).
    [[nodiscard]] QString readoutText() const;
    /// Shows the readout at a time (as hovering there does, without stopping following).
    void showReadoutAt(core::TimeStamp at, const core::store::LiveStore& store);
    /// Whether the "drop or tick channels here" hint shows.
    [[nodiscard]] bool showsEmptyHint() const;

Q_SIGNALS:
    void channelsDropped(const std::vector<sightline::core::ChannelKey>& keys, int axis);
    void windowChanged(sightline::core::TimeSpan window);
    /// A channel moved to another Y axis.
    void channelAxisChanged(sightline::core::ChannelKey key, int axis);
    void closeRequested();
    void channelRemoveRequested(sightline::core::ChannelKey key);
    void activated();
    /// The user asked for another plot beside (true) or below (false) this one.
    void splitRequested(bool beside);
    void undoAvailable(bool available);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    struct Trace
    {
        core::Channel channel;
        DenseGraph* graph = nullptr;
        core::decimate::PlotPoints points; ///< patched by `columns` from frame to frame
        /// The lowest and highest of `points` (for autoscaling).
        std::optional<std::pair<double, double>> valueBounds;
        /// The decimated columns kept from frame to frame (see core::store::LiveColumns).
        core::store::LiveColumns columns;
        /// Lines break where samples lie further apart (ns): five sample periods, kept while
        /// the measured period stays near, so that jitter does not recompute every column.
        std::int64_t gapAfter = 0;
        int axis = 0;
        double shownValue = 0;
        bool beyond = false;
        /// What the legend shows: `beyond`, and whether there is a value.
        bool shownBeyond = false;
        bool shownAny = false;
    };
    /// When the legend's values are brought up to date (see updateLimits()).
    enum class LegendValues { Now, WhenDue };
    /// What a frame shows besides the traces and the axes' labels (updateAxes() redraws for
    /// those): a frame with no trace changed and none of this changed is not drawn again.
    struct Drawn
    {
        QCPRange x;
        std::array<QCPRange, MaxYAxes> y;
        QString readout;
        bool readoutVisible = false;
        QString note;
        bool noteVisible = false;
        std::vector<bool> limitsExceeded;

        friend bool operator==(const Drawn&, const Drawn&) = default;
    };
    /// A view to go back to: the x range, whether it followed live, the fixed Y ranges.
    struct View
    {
        double xLower = 0;
        double xUpper = 0;
        bool following = true;
        std::array<std::optional<std::pair<double, double>>, MaxYAxes> yRanges;
    };

    void setupToolbar();
    void setupPlot();
    void showContextMenu(const QPoint& at);
    void addAxisMenu(QMenu& menu);
    void addLimitMenu(QMenu& menu, const QPoint& at);
    void editAxis(int axis);
    void updateFollowCue();
    void updateAxes();
    void updateLegendEntries();
    /// Checks the traces against the limits and shows the values in the legend: `WhenDue`,
    /// while following live, a value changes at most every LegendValueMs (the first value
    /// and a crossing of a limit show at once).
    void updateLimits(LegendValues values = LegendValues::Now);
    void autoscale();
    /// Brings the trace's graph data to its points; only those from `changed` on (see
    /// core::store::LiveColumns::writePoints) are written again.
    static void syncGraph(Trace& trace, std::optional<double> changed);
    void updateShortWindowNote(const core::store::LiveStore& store);
    void updateReadout();
    void hideReadout();
    [[nodiscard]] Drawn drawn() const;
    /// The trace's gap threshold for the store's current sample period (see Trace::gapAfter).
    [[nodiscard]] static std::int64_t gapAfterFor(const Trace& trace, std::int64_t period);
    void setRangeQuietly(QCPAxis* axis, double lower, double upper);
    void onXRangeChanged();
    void onYRangeChanged(int axis);
    void beginUserChange(bool grouped);
    void commitUserChange();
    [[nodiscard]] View currentView() const;
    [[nodiscard]] QColor colorFor(const core::Channel& channel) const;
    [[nodiscard]] int axisAt(const QPoint& pos) const;
    [[nodiscard]] Trace* traceOf(core::ChannelKey key);
    [[nodiscard]] const Trace* traceOf(core::ChannelKey key) const;

    OpaquePlot* m_plot = nullptr;
    std::unique_ptr<RangeBands> m_bands;
    LegendArea* m_legendArea = nullptr;
    LegendStrip* m_legend = nullptr;
    QComboBox* m_windowBox = nullptr;
    QPushButton* m_liveButton = nullptr;
    QToolButton* m_undoButton = nullptr;
    QLabel* m_cue = nullptr;
    QToolButton* m_closeButton = nullptr;
    QSharedPointer<TimeTicker> m_ticker;
    TraceCanvas* m_canvas = nullptr; ///< owned by m_plot; draws the dense traces
    QCPItemStraightLine* m_cursorLine = nullptr;
    QCPItemText* m_readout = nullptr;
    QCPItemText* m_emptyHint = nullptr;
    /// Says so when the live buffers hold less than the window (the rest was let go).
    QCPItemText* m_shortWindowNote = nullptr;
    QString m_shortWindowText; ///< the note's sentence, without the warning sign
    std::unique_ptr<LimitLineItems> m_limitItems;
    std::array<QCPAxis*, MaxYAxes> m_yAxes {};
    std::array<AxisSettings, MaxYAxes> m_axisSettings;

    std::vector<Trace> m_traces;
    std::vector<LimitLine> m_limits;
    std::vector<bool> m_limitExceeded;
    std::optional<int> m_draggedLimit;
    std::vector<View> m_undo;
    std::optional<View> m_pendingUndo;
    QElapsedTimer m_lastWheel;
    /// When the legend's values last changed together.
    QElapsedTimer m_legendValuesShown;
    ChannelColors* m_colors = nullptr;
    PlotTheme m_theme;
    core::TimeSpan m_window = core::TimeSpan::seconds(30);
    core::TimeAxis m_axis; ///< keys: seconds from a whole second near the plot's creation
    bool m_following = true;
    bool m_current = false;
    bool m_applyingRange = false;
    int m_labelledHeightPx = -1;
    const core::store::LiveStore* m_lastStore = nullptr;
    std::optional<int> m_hoverPx;
    std::optional<core::TimeStamp> m_readoutAt;
    Drawn m_drawn; ///< as of the last replot by refresh()
};

} // namespace sightline::ui
