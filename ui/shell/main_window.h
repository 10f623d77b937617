#pragma once

#include "core/client/streamer.h"
#include "core/telem/channel.h"
#include "ui/plot/range_bands.h"

#include <QMainWindow>

#include <vector>

class QActionGroup;
class QDockWidget;
class QLabel;
class QSettings;
class QSplitter;
class QTimer;

namespace sightline::core::feed {
class LiveFeed;
}

namespace sightline::ui {

class ChannelColors;
class ChannelModel;
class ChannelPicker;
class HistoryPane;
class LivePlot;
class RangeWorkflow;
class ShortcutGuard;
class LayoutFiles;
class WorkspacesDialog;
struct PlotLayout;
struct LayoutFile;

/// The application's main window: channel picker dock, plot area (rows of plots, side by
/// side within a row), history dock, status bar and menus. Wiring only: plots draw
/// themselves, the live feed streams, the picker filters. One plot clock (~60 Hz) redraws
/// every plot. Its shortcuts work whatever widget has focus. GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /// The colour scheme: the desktop's (default), or a fixed light or dark one.
    enum class Theme { System, Light, Dark };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Connects the window to a live feed and the cluster's channels.
    void attach(core::feed::LiveFeed* feed, std::vector<core::Channel> channels);
    /// Lets go of the live feed (before it is destroyed, e.g. to connect elsewhere).
    void detach();
    /// Tells the user about a problem in the status bar (kept until the next message).
    void showProblem(const QString& text);
    /// Why the cluster cannot store what it streams (a full disk); empty once it can again.
    /// Shown with the other data problems in the status bar.
    void setRecordingProblem(const QString& reason);
    /// Shows where we are connected (e.g. "Embedded cluster 127.0.0.1:41231").
    void setConnectionText(const QString& text);

    /// A new plot in a new row below the others.
    LivePlot* addPlot();
    /// A new plot beside `neighbour`, in its row.
    LivePlot* addPlotBeside(LivePlot* neighbour);
    /// Removes a plot; the last one stays (its remove action is disabled).
    void removePlot(LivePlot* plot);
    /// The plots row by row, left to right.
    [[nodiscard]] std::vector<LivePlot*> plots() const;
    /// The row a plot sits in (0 = top).
    [[nodiscard]] int rowOf(const LivePlot* plot) const;
    /// The plot the picker ticks into (the last one clicked, else the first); it is framed.
    [[nodiscard]] LivePlot* currentPlot() const;
    void setCurrentPlot(LivePlot* plot);
    /// Adds channels (by key) to a plot on Y axis `axis` and updates the stream.
    void addChannelsToPlot(LivePlot* plot, const std::vector<core::ChannelKey>& keys, int axis = 0);
    void removeChannelFromPlot(LivePlot* plot, core::ChannelKey key);

    /// Window layout, plots (channels by name, axes, limits, windows), colours, theme.
    void saveSettings(QSettings& settings) const;
    /// Restores what saveSettings wrote; false when there was nothing to restore.
    bool restoreSettings(QSettings& settings);

    /// What is shown, as a layout file holds it (plots by channel name, colours, theme,
    /// history pane).
    [[nodiscard]] LayoutFile currentLayout() const;
    /// Shows `layout` in place of the plots (and colours, theme, history pane) shown now.
    /// Returns the channel names it plots that this cluster lacks (not plotted).
    QStringList applyLayout(const LayoutFile& layout);
    /// File › Workspaces on the cluster… (a dialog that deletes itself when closed); null when
    /// not connected.
    WorkspacesDialog* showWorkspaces();
    /// File › Open layout / Save layout / Recent layouts.
    [[nodiscard]] LayoutFiles& layoutFiles() { return *m_layoutFiles; }

    [[nodiscard]] ChannelModel& channelModel() { return *m_channels; }
    [[nodiscard]] ChannelColors& colors() { return *m_colors; }
    [[nodiscard]] ChannelPicker* picker() const { return m_picker; }
    [[nodiscard]] HistoryPane* history() const { return m_history; }
    /// Shows or hides the history pane (View › History); shown, it loads the recorded range.
    void showHistory(bool shown);
    [[nodiscard]] RangeWorkflow* ranges() const { return m_ranges; }
    /// One tick of the plot clock (public so tests can drive it).
    void refreshPlots();
    void setTheme(Theme theme);
    [[nodiscard]] Theme theme() const { return m_theme; }
    /// Whether the palette in use is dark.
    [[nodiscard]] bool isDark() const { return m_dark; }
    /// Every action with a keyboard shortcut (what Help › Keyboard shortcuts lists).
    [[nodiscard]] QList<QAction*> shortcutActions() const;
    /// The rows of Help › Keyboard shortcuts: action name, keys.
    [[nodiscard]] QList<QPair<QString, QString>> shortcutTable() const;

Q_SIGNALS:
    /// The user asked to connect elsewhere (File > Connect…).
    void connectRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void setupUi();
    void createRangeWorkflow();
    void createActions();
    void createViewActions(QMenu* view);
    void createHistoryActions();
    void syncFeed();
    void updateStatus();
    void showDataProblems();

    void updatePlotChrome();
    void showAbout();
    void showShortcuts();
    void onChannelToggled(core::ChannelKey key, bool checked);
    void updatePickerChecks();
    void onStreamState(core::client::StreamerState state, const QString& detail);
    void applyTheme();
    void fitToScreen();
    LivePlot* createPlot(QSplitter* row, int index);
    QSplitter* insertRow(int index);
    void restoreLegacyPlots(QSettings& settings, QStringList& missing);
    void restoreTheme(QSettings& settings);
    void restorePlots(const std::vector<PlotLayout>& layouts, QStringList& missing);
    std::vector<core::ChannelKey> keysNamed(const QStringList& names, QStringList& missing) const;

    ChannelModel* m_channels = nullptr;
    ChannelColors* m_colors = nullptr;
    LayoutFiles* m_layoutFiles = nullptr;
    ChannelPicker* m_picker = nullptr;
    HistoryPane* m_history = nullptr;
    QDockWidget* m_historyDock = nullptr;
    RangeWorkflow* m_ranges = nullptr;
    /// What the live plots draw of the ranges (plots added later draw them too).
    std::vector<RangeBand> m_liveBands;
    QSplitter* m_plotArea = nullptr;
    LivePlot* m_current = nullptr;
    core::feed::LiveFeed* m_feed = nullptr;
    ShortcutGuard* m_shortcutGuard = nullptr;
    QTimer* m_clock = nullptr;
    QTimer* m_statusTimer = nullptr;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_stateLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_ageLabel = nullptr;
    QLabel* m_memoryLabel = nullptr;
    /// Shown while the live data had problems: samples out of time order, frames skipped.
    QLabel* m_dataProblemLabel = nullptr;
    QString m_recordingProblem;
    QAction* m_removePlotAction = nullptr;
    QAction* m_undoZoomAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QList<QAction*> m_historyActions;
    Theme m_theme = Theme::System;
    bool m_dark = false;
};

} // namespace sightline::ui
