#pragma once

#include "core/client/range_client.h"
#include "core/telem/channel.h"
#include "ui/plot/range_bands.h"
#include "ui/ranges/range_editor.h"

#include <QObject>
#include <QPointer>
#include <QTimeZone>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QTimer;
class QToolBar;

namespace sightline::core::store {
class HistoryCache;
} // namespace sightline::core::store

namespace sightline::core::feed {
class RangeFollower;
} // namespace sightline::core::feed

namespace sightline::ui {

class CompareWindow;
class RangesPanel;

/// What the range workflow needs of the window around it.
struct RangeWorkflowHooks
{
    /// Shows the history pane over `window`.
    std::function<void(core::TimeRange window)> openInHistory;
    /// Where a new range goes: the history pane's A–B selection, or its window.
    std::function<core::TimeRange()> selection;
    /// The channels a comparison can draw, and those plotted now (ticked first).
    std::function<std::vector<core::Channel>()> comparableChannels;
    std::function<std::vector<core::ChannelKey>()> plottedChannels;
    /// The history pane's cache, which comparisons read from and fill (null: none).
    std::function<core::store::HistoryCache*()> historyCache;
    /// Draws these range bands on the live plots and on the history plots.
    std::function<void(const std::vector<RangeBand>&)> showLiveBands;
    std::function<void(const std::vector<RangeBand>&)> showHistoryBands;
    /// Exports the plotted channels over `range` to CSV (streamed, as the history export).
    std::function<void(const QString& file, core::TimeRange range)> exportCsv;
    /// A message for the status bar.
    std::function<void(const QString&)> tell;
};

/// Ranges in the app: the Ranges dock (kept live by a RangeFollower), the Ranges menu and
/// toolbar (start and end a run while live, a new range over the selection, open, edit,
/// delete, step to the next or previous range, compare), range bands on the plots, and the
/// compare windows. Wiring between the window and the non-widget pieces (RangeFollower,
/// RangeEditor, RunMarker, RangeListModel, run_overlay). GUI thread only.
class RangeWorkflow : public QObject
{
    Q_OBJECT

public:
    RangeWorkflow(QMainWindow* window, RangeWorkflowHooks hooks);
    ~RangeWorkflow() override;

    /// Follows the ranges of the cluster behind `connection` (forgets the previous one).
    void attach(std::shared_ptr<core::client::Connection> connection);
    void detach();
    void setTimeZone(const QTimeZone& zone);

    [[nodiscard]] RangesPanel* panel() const { return m_panel; }
    [[nodiscard]] QDockWidget* dock() const { return m_dock; }
    [[nodiscard]] QAction* startAction() const { return m_start; }
    [[nodiscard]] QAction* endAction() const { return m_end; }
    [[nodiscard]] QAction* bandsAction() const { return m_showBands; }
    /// How often an open run's end is stored while it runs.
    static constexpr int ExtendMilliseconds = 5000;
    /// Stores the open run's end as now (the timer does it every ExtendMilliseconds).
    void extendRun();
    [[nodiscard]] const std::optional<core::Range>& openRun() const;
    /// The range open in the history pane, if any.
    [[nodiscard]] const std::optional<QUuid>& opened() const { return m_opened; }
    [[nodiscard]] const std::vector<QPointer<CompareWindow>>& compareWindows() const
    {
        return m_compares;
    }

    /// The actions, callable directly (tests and the menu alike).
    void startRun();
    void endRun();
    /// Asks for a new range over the selection (a dialog).
    void createFromSelection();
    void open(const core::client::LabelledRange& range);
    void edit(const core::client::LabelledRange& range);
    /// Deletes after asking (unless `confirm` is false).
    void remove(const core::client::LabelledRange& range, bool confirm = true);
    /// Opens the range after (+1) or before (−1) the one open now.
    void step(int direction);
    CompareWindow* compare(const std::vector<core::client::LabelledRange>& ranges);
    /// Exports the plotted channels over the range to `file` (asks for one when empty).
    void exportRange(const core::client::LabelledRange& range, QString file = {});

    /// The history window that shows `range`: its span with 5 % on either side (at least
    /// 1 s for a range that has no length).
    [[nodiscard]] static core::TimeRange windowFor(const core::TimeRange& range);
    /// The bands for these ranges (and the open run).
    [[nodiscard]] static std::vector<RangeBand> bandsFor(
        const std::vector<core::client::LabelledRange>& ranges,
        const std::optional<core::Range>& openRun);

Q_SIGNALS:
    /// The range list was read again (tests wait on it).
    void rangesShown();

private:
    void createActions(QMainWindow* window);
    void onRangesRead(const std::vector<core::client::LabelledRange>& ranges,
        const std::vector<core::Label>& labels);
    void updateBands();
    void updateActions();
    /// Runs `edit` through a dialog (nullopt when cancelled), then applies it.
    void runDialog(const RangeEdit& initial);
    void report(const core::Error& error, const QString& doing);

    QMainWindow* m_window;
    RangeWorkflowHooks m_hooks;
    RangesPanel* m_panel = nullptr;
    QDockWidget* m_dock = nullptr;
    QAction* m_start = nullptr;
    QAction* m_end = nullptr;
    QAction* m_create = nullptr;
    QAction* m_next = nullptr;
    QAction* m_previous = nullptr;
    QAction* m_showBands = nullptr;
    std::shared_ptr<core::client::Connection> m_connection;
    std::unique_ptr<core::feed::RangeFollower> m_follower;
    std::unique_ptr<RangeEditor> m_editor;
    std::unique_ptr<RunMarker> m_marker;
    std::vector<core::client::LabelledRange> m_ranges;
    std::optional<QUuid> m_opened;
    std::vector<QPointer<CompareWindow>> m_compares;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    /// While a run is open: its end follows the present on the cluster every few seconds.
    QTimer* m_extendTimer = nullptr;
};

} // namespace sightline::ui
