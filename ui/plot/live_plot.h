#pragma once

#include "core/decimate/m4.h"
#include "core/store/live_store.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QToolButton;

namespace sightline::ui {

class TimeTicker;

/// One live plot: a time window of the plotted channels, redrawn by the plot clock from the
/// live buffers with M4 decimation per pixel column. It follows live until the user zooms,
/// pans or hovers; then it freezes the view (buffering continues), shows a "not following
/// live" cue and a Jump-to-live button (also the End key). The Y axis autoscales from the
/// visible samples with hysteresis unless the user fixed it. The legend shows current
/// values; hovering shows each channel's last sample at or before the cursor.
/// GUI thread only.
class LivePlot : public QWidget
{
    Q_OBJECT

public:
    /// The windows offered (custom ones are kept too).
    static const std::vector<core::TimeSpan>& standardWindows();

    explicit LivePlot(QWidget* parent = nullptr);
    ~LivePlot() override;

    void addChannel(const core::Channel& channel);
    void removeChannel(core::ChannelKey key);
    [[nodiscard]] std::vector<core::ChannelKey> channelKeys() const;
    [[nodiscard]] bool hasChannel(core::ChannelKey key) const;

    void setWindow(core::TimeSpan window);
    [[nodiscard]] core::TimeSpan window() const { return m_window; }
    [[nodiscard]] bool followingLive() const { return m_following; }
    void jumpToLive();
    /// Stops following live (as a zoom or pan does).
    void freeze();
    /// Fixes the Y range (nullopt: autoscale).
    void setManualYRange(std::optional<std::pair<double, double>> range);

    /// Draws `key` against the right Y axis (else the left).
    void setChannelOnRightAxis(core::ChannelKey key, bool right);
    [[nodiscard]] bool isOnRightAxis(core::ChannelKey key) const;

    /// Redraws from the buffers; `now` is the live edge.
    void refresh(const core::store::LiveStore& store, core::TimeStamp now);

    [[nodiscard]] QCustomPlot* plot() const { return m_plot; }
    /// Points drawn for `key` at the last refresh (for tests and the status bar).
    [[nodiscard]] qsizetype pointCount(core::ChannelKey key) const;
    /// The text of the hover readout (empty when not hovering).
    [[nodiscard]] QString readoutText() const;
    /// Shows the readout at a time (as hovering there does).
    void showReadoutAt(core::TimeStamp at, const core::store::LiveStore& store);

Q_SIGNALS:
    void channelsDropped(const std::vector<sightline::core::ChannelKey>& keys);
    void windowChanged(sightline::core::TimeSpan window);
    void closeRequested();
    void channelRemoveRequested(sightline::core::ChannelKey key);
    void activated();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct Trace
    {
        core::Channel channel;
        QCPGraph* graph = nullptr;
        core::decimate::PlotPoints points;
    };
    void setupToolbar();
    void showContextMenu(const QPoint& at);
    void updateFollowCue();
    void autoscale();
    void updateReadout(double key);
    [[nodiscard]] core::TimeStamp keyToTime(double key) const;
    [[nodiscard]] double timeToKey(core::TimeStamp t) const;

    QCustomPlot* m_plot = nullptr;
    QComboBox* m_windowBox = nullptr;
    QPushButton* m_liveButton = nullptr;
    QLabel* m_cue = nullptr;
    QToolButton* m_closeButton = nullptr;
    QSharedPointer<TimeTicker> m_ticker;
    QCPItemStraightLine* m_cursorLine = nullptr;
    QCPItemText* m_readout = nullptr;

    std::vector<Trace> m_traces;
    core::TimeSpan m_window = core::TimeSpan::seconds(30);
    std::int64_t m_origin = 0;
    bool m_following = true;
    std::optional<std::pair<double, double>> m_manualY;
    const core::store::LiveStore* m_lastStore = nullptr;
    std::optional<double> m_hoverKey;
};

} // namespace sightline::ui
