#include "ui/ranges/range_workflow.h"

#include "core/client/connection.h"
#include "core/feed/range_follower.h"
#include "ui/ranges/compare_window.h"
#include "ui/ranges/range_dialog.h"
#include "ui/ranges/ranges_panel.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QTimer>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace sightline::ui {

RangeWorkflow::RangeWorkflow(QMainWindow* window, RangeWorkflowHooks hooks)
    : QObject(window)
    , m_window(window)
    , m_hooks(std::move(hooks))
{
    m_panel = new RangesPanel(window);
    m_dock = new QDockWidget(tr("Ranges"), window);
    m_dock->setObjectName(u"rangesDock"_s);
    m_dock->setWidget(m_panel);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    connect(m_panel, &RangesPanel::openRequested, this, &RangeWorkflow::open);
    connect(m_panel, &RangesPanel::editRequested, this, &RangeWorkflow::edit);
    connect(m_panel, &RangesPanel::deleteRequested, this, [this](const auto& range) {
        remove(range);
    });
    connect(m_panel, &RangesPanel::createRequested, this, &RangeWorkflow::createFromSelection);
    connect(m_panel, &RangesPanel::compareRequested, this, &RangeWorkflow::compare);
    connect(m_panel, &RangesPanel::exportRequested, this, [this](const auto& range) {
        exportRange(range);
    });
    createActions(window);
    m_extendTimer = new QTimer(this);
    m_extendTimer->setInterval(ExtendMilliseconds);
    connect(m_extendTimer, &QTimer::timeout, this, &RangeWorkflow::extendRun);
    updateActions();
}

RangeWorkflow::~RangeWorkflow() = default;

void RangeWorkflow::createActions(QMainWindow* window)
{
    QMenu* menu = window->menuBar()->addMenu(tr("&Ranges"));
    QToolBar* bar = window->addToolBar(tr("Ranges"));
    bar->setObjectName(u"rangesToolBar"_s);
    m_start = menu->addAction(tr("&Start range"));
    m_start->setShortcut(Qt::CTRL | Qt::Key_R);
    m_start->setToolTip(tr("Mark a run from now (Ctrl+R); it grows on the live plots"));
    connect(m_start, &QAction::triggered, this, &RangeWorkflow::startRun);
    m_end = menu->addAction(tr("&End range"));
    m_end->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_R);
    connect(m_end, &QAction::triggered, this, &RangeWorkflow::endRun);
    m_create = menu->addAction(tr("&New range over the selection…"));
    m_create->setShortcut(Qt::CTRL | Qt::ALT | Qt::Key_R);
    connect(m_create, &QAction::triggered, this, &RangeWorkflow::createFromSelection);
    menu->addSeparator();
    m_previous = menu->addAction(tr("&Previous range"));
    m_previous->setShortcut(Qt::Key_BracketLeft);
    connect(m_previous, &QAction::triggered, this, [this] { step(-1); });
    m_next = menu->addAction(tr("Ne&xt range"));
    m_next->setShortcut(Qt::Key_BracketRight);
    connect(m_next, &QAction::triggered, this, [this] { step(+1); });
    menu->addSeparator();
    m_showBands = menu->addAction(tr("Show ranges on the &plots"));
    m_showBands->setCheckable(true);
    m_showBands->setChecked(true);
    connect(m_showBands, &QAction::toggled, this, &RangeWorkflow::updateBands);
    menu->addAction(m_dock->toggleViewAction());
    bar->addAction(m_start);
    bar->addAction(m_end);
    bar->addAction(m_create);
}

void RangeWorkflow::attach(std::shared_ptr<core::client::Connection> connection)
{
    detach();
    m_connection = std::move(connection);
    m_editor = std::make_unique<RangeEditor>(m_connection);
    m_marker = std::make_unique<RunMarker>(m_connection);
    m_follower = std::make_unique<core::feed::RangeFollower>(m_connection);
    connect(m_follower.get(),
        &core::feed::RangeFollower::rangesRead,
        this,
        &RangeWorkflow::onRangesRead);
    connect(m_follower.get(),
        &core::feed::RangeFollower::readFailed,
        this,
        [this](const QString& message) {
            m_panel->setStatus(tr("Cannot read the ranges: %1").arg(message), true);
        });
    connect(m_follower.get(), &core::feed::RangeFollower::followingLive, this, [this](bool live) {
        m_panel->setStatus(live ? tr("Following the cluster's ranges live")
                                : tr("Reading the cluster's ranges every %1 s")
                                      .arg(core::feed::RangeFollower::PollMilliseconds / 1000));
    });
    m_follower->start();
    updateActions();
}

void RangeWorkflow::detach()
{
    m_follower.reset();
    m_marker.reset();
    m_editor.reset();
    m_connection.reset();
    m_ranges.clear();
    m_opened.reset();
    m_panel->setRanges({}, {});
    updateBands();
    updateActions();
}

void RangeWorkflow::setTimeZone(const QTimeZone& zone)
{
    m_zone = zone;
    m_panel->setTimeZone(zone);
}

const std::optional<core::Range>& RangeWorkflow::openRun() const
{
    static const std::optional<core::Range> none;
    return m_marker ? m_marker->open() : none;
}

void RangeWorkflow::onRangesRead(const std::vector<core::client::LabelledRange>& ranges,
    const std::vector<core::Label>& labels)
{
    m_ranges = ranges;
    m_panel->setRanges(ranges, labels);
    updateBands();
    Q_EMIT rangesShown();
}

void RangeWorkflow::startRun()
{
    if (!m_marker)
        return;
    auto started = m_marker->start(core::TimeStamp::now());
    if (!started)
        return report(started.error(), tr("start a range"));
    if (m_hooks.tell)
        m_hooks.tell(tr("Marking '%1' (end it with Ctrl+Shift+R)").arg(started->name));
    m_follower->refresh();
    updateBands();
    updateActions();
}

void RangeWorkflow::extendRun()
{
    if (!m_marker || !m_marker->open())
        return;
    if (auto extended = m_marker->extend(core::TimeStamp::now()); !extended)
        report(extended.error(), tr("store the open range's end"));
}

void RangeWorkflow::endRun()
{
    if (!m_marker || !m_marker->open())
        return;
    auto ended = m_marker->end(core::TimeStamp::now());
    if (!ended)
        return report(ended.error(), tr("end the range"));
    if (m_hooks.tell)
        m_hooks.tell(
            tr("'%1' marked: %2")
                .arg(ended->name, (ended->timeRange.end - ended->timeRange.start).toHumanString()));
    m_follower->refresh();
    updateBands();
    updateActions();
}

void RangeWorkflow::createFromSelection()
{
    if (!m_editor)
        return;
    RangeEdit initial;
    initial.timeRange = m_hooks.selection ? m_hooks.selection() : core::TimeRange {};
    initial.color = core::Color { 33, 150, 243, 1 };
    if (const auto* parent = m_panel->selected())
        if (parent->range.timeRange.start <= initial.timeRange.start
            && initial.timeRange.end <= parent->range.timeRange.end)
            initial.parent = parent->range.key; // a part of the selected range
    runDialog(initial);
}

void RangeWorkflow::open(const core::client::LabelledRange& range)
{
    m_opened = range.range.key;
    m_panel->select(range.range.key);
    if (m_hooks.openInHistory)
        m_hooks.openInHistory(windowFor(range.range.timeRange));
    updateActions();
}

void RangeWorkflow::edit(const core::client::LabelledRange& range)
{
    if (!m_editor)
        return;
    auto initial = m_editor->editOf(range);
    if (!initial)
        return report(initial.error(), tr("read the range"));
    runDialog(*initial);
}

void RangeWorkflow::runDialog(const RangeEdit& initial)
{
    std::vector<core::Range> ranges;
    for (const auto& entry : m_ranges)
        ranges.push_back(entry.range);
    RangeDialog dialog(initial, m_panel->labels(), m_zone, ranges, m_window);
    if (dialog.exec() != QDialog::Accepted || !m_editor)
        return;
    auto applied = m_editor->apply(dialog.edit());
    if (!applied)
        return report(applied.error(), tr("save the range"));
    m_follower->refresh();
}

void RangeWorkflow::remove(const core::client::LabelledRange& asked, bool confirm)
{
    if (!m_editor)
        return;
    // A copy: the list may be read again while the question is open.
    const core::client::LabelledRange range = asked;
    if (confirm
        && QMessageBox::question(m_window,
               tr("Delete range"),
               tr("Delete the range '%1' and the ranges inside it? The recorded data stays.")
                   .arg(range.range.name))
            != QMessageBox::Yes)
        return;
    if (auto removed = m_editor->remove(range.range.key); !removed)
        return report(removed.error(), tr("delete the range"));
    m_follower->refresh();
}

void RangeWorkflow::step(int direction)
{
    std::optional<core::client::LabelledRange> next;
    if (m_opened)
        next = m_panel->neighbour(*m_opened, direction);
    else if (!m_ranges.empty()) // nothing open yet: start from the newest
        next = m_panel->model()->ranges().front();
    if (next)
        open(*next);
}

CompareWindow* RangeWorkflow::compare(const std::vector<core::client::LabelledRange>& ranges)
{
    if (!m_connection || ranges.size() < 2)
        return nullptr;
    auto* window = new CompareWindow(m_connection,
        ranges,
        m_hooks.comparableChannels ? m_hooks.comparableChannels() : std::vector<core::Channel> {},
        m_hooks.historyCache,
        m_window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    m_compares.emplace_back(window);
    std::erase_if(m_compares, [](const auto& kept) { return kept.isNull(); });
    window->show();
    const auto plotted
        = m_hooks.plottedChannels ? m_hooks.plottedChannels() : std::vector<core::ChannelKey> {};
    if (!plotted.empty())
        window->compare(plotted);
    return window;
}

void RangeWorkflow::exportRange(const core::client::LabelledRange& asked, QString file)
{
    const core::client::LabelledRange range = asked; // the dialog below runs an event loop
    if (file.isEmpty())
        file = QFileDialog::getSaveFileName(m_window,
            tr("Export '%1' as CSV").arg(range.range.name),
            range.range.name + u".csv"_s,
            tr("CSV files (*.csv)"));
    if (file.isEmpty() || !m_hooks.exportCsv)
        return;
    m_hooks.exportCsv(file, range.range.timeRange);
}

core::TimeRange RangeWorkflow::windowFor(const core::TimeRange& range)
{
    const core::TimeSpan length = range.end - range.start;
    const core::TimeSpan margin
        = std::max(core::TimeSpan(length.nanoseconds() / 20), core::TimeSpan::milliseconds(500));
    return core::TimeRange { range.start - margin, range.end + margin };
}

std::vector<RangeBand> RangeWorkflow::bandsFor(
    const std::vector<core::client::LabelledRange>& ranges,
    const std::optional<core::Range>& openRun)
{
    std::vector<RangeBand> bands;
    for (const auto& entry : ranges) {
        if (openRun && entry.range.key == openRun->key)
            continue; // drawn as the open run below
        const core::Range& range = entry.range;
        const QColor color = range.color && range.color->a > 0
            ? QColor(range.color->r, range.color->g, range.color->b)
            : QColor(120, 120, 120);
        bands.push_back({ range.key, range.name, range.timeRange, color, false });
    }
    if (openRun)
        bands.push_back({ openRun->key,
            openRun->name,
            openRun->timeRange,
            QColor(openRun->color ? QColor(openRun->color->r, openRun->color->g, openRun->color->b)
                                  : QColor(255, 152, 0)),
            true });
    return bands;
}

void RangeWorkflow::updateBands()
{
    const std::vector<RangeBand> bands
        = m_showBands->isChecked() ? bandsFor(m_ranges, openRun()) : std::vector<RangeBand> {};
    if (m_hooks.showLiveBands)
        m_hooks.showLiveBands(bands);
    if (m_hooks.showHistoryBands)
        m_hooks.showHistoryBands(bands);
}

void RangeWorkflow::updateActions()
{
    const bool connected = m_connection != nullptr;
    const bool running = openRun().has_value();
    m_panel->setOpenRun(running ? std::optional(openRun()->key) : std::nullopt);
    if (running && !m_extendTimer->isActive())
        m_extendTimer->start();
    else if (!running)
        m_extendTimer->stop();
    m_start->setEnabled(connected && !running);
    m_end->setEnabled(connected && running);
    m_create->setEnabled(connected);
}

void RangeWorkflow::report(const core::Error& error, const QString& doing)
{
    const QString text = tr("Could not %1: %2").arg(doing, error.message);
    m_panel->setStatus(text, true);
    if (m_hooks.tell)
        m_hooks.tell(text);
}

} // namespace sightline::ui
