#pragma once

#include "core/client/streamer.h"
#include "core/telem/channel.h"

#include <QMainWindow>

#include <vector>

class QDockWidget;
class QLabel;
class QSettings;
class QSplitter;
class QTimer;

namespace sightline::core::store {
class LiveFeed;
}

namespace sightline::ui {

class ChannelModel;
class ChannelPicker;
class HistoryPane;
class LivePlot;

/// The application's main window: channel picker dock, plot area, history dock, status bar
/// and menus. Wiring only: plots draw themselves, the live feed streams, the picker filters.
/// One plot clock (~60 Hz) redraws every plot. GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Connects the window to a live feed and the cluster's channels.
    void attach(core::store::LiveFeed* feed, std::vector<core::Channel> channels);
    /// Lets go of the live feed (before it is destroyed, e.g. to connect elsewhere).
    void detach();
    /// Tells the user about a problem in the status bar (kept until the next message).
    void showProblem(const QString& text);
    /// Shows where we are connected (e.g. "Embedded cluster 127.0.0.1:41231").
    void setConnectionText(const QString& text);

    LivePlot* addPlot();
    void removePlot(LivePlot* plot);
    [[nodiscard]] std::vector<LivePlot*> plots() const;
    /// The plot the picker ticks into (the last one clicked, else the first).
    [[nodiscard]] LivePlot* currentPlot() const;
    void setCurrentPlot(LivePlot* plot);
    /// Adds channels (by key) to a plot and updates the stream.
    void addChannelsToPlot(LivePlot* plot, const std::vector<core::ChannelKey>& keys);
    void removeChannelFromPlot(LivePlot* plot, core::ChannelKey key);

    /// Window layout, plots, their channels (by name) and windows.
    void saveSettings(QSettings& settings) const;
    /// Restores what saveSettings wrote; false when there was nothing to restore.
    bool restoreSettings(QSettings& settings);

    [[nodiscard]] ChannelModel& channelModel() { return *m_channels; }
    [[nodiscard]] ChannelPicker* picker() const { return m_picker; }
    [[nodiscard]] HistoryPane* history() const { return m_history; }
    /// Shows or hides the history pane (View › History); shown, it loads the recorded range.
    void showHistory(bool shown);
    /// One tick of the plot clock (public so tests can drive it).
    void refreshPlots();
    void setDarkTheme(bool dark);

Q_SIGNALS:
    /// The user asked to connect elsewhere (File > Connect…).
    void connectRequested();

private:
    void setupUi();
    void createActions();
    void syncFeed();
    void updateStatus();
    void showAbout();
    void onChannelToggled(core::ChannelKey key, bool checked);
    void updatePickerChecks();
    void onStreamState(core::client::StreamerState state, const QString& detail);

    ChannelModel* m_channels = nullptr;
    ChannelPicker* m_picker = nullptr;
    HistoryPane* m_history = nullptr;
    QDockWidget* m_historyDock = nullptr;
    QSplitter* m_plotArea = nullptr;
    LivePlot* m_current = nullptr;
    core::store::LiveFeed* m_feed = nullptr;
    QTimer* m_clock = nullptr;
    QTimer* m_statusTimer = nullptr;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_stateLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_ageLabel = nullptr;
    QLabel* m_memoryLabel = nullptr;
    bool m_dark = false;
};

} // namespace sightline::ui
