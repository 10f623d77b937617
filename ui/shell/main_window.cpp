#include "ui/shell/main_window.h"

#include "core/feed/live_feed.h"
#include "sightline/version.h"
#include "ui/channels/channel_picker.h"
#include "ui/history/history_pane.h"
#include "ui/history/timeline.h"
#include "ui/models/channel_model.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/live_plot.h"
#include "ui/plot/plot_style.h"
#include "ui/ranges/range_workflow.h"
#include "ui/shell/layout_file.h"
#include "ui/shell/layout_files.h"
#include "ui/shell/shortcut_guard.h"
#include "ui/shell/shortcuts_dialog.h"
#include "ui/shell/theme.h"
#include "ui/shell/workspaces_dialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <qcustomplot.h>

#include <set>

using namespace Qt::StringLiterals;
using sightline::core::ChannelKey;
using sightline::core::TimeSpan;

namespace sightline::ui {

namespace {

    /// The plot clock: one redraw of every plot per display frame.
    constexpr int PlotClockMs = 16;
    /// The first window's size when the screen has room for it.
    constexpr QSize PreferredSize(1400, 860);

    QString describeState(core::client::StreamerState state)
    {
        switch (state) {
        case core::client::StreamerState::Connecting:
            return MainWindow::tr("Connecting…");
        case core::client::StreamerState::Connected:
            return MainWindow::tr("Live");
        case core::client::StreamerState::Reconnecting:
            return MainWindow::tr("Reconnecting…");
        case core::client::StreamerState::Failed:
            return MainWindow::tr("Stream failed");
        case core::client::StreamerState::Closed:
            return MainWindow::tr("Closed");
        }
        return {};
    }

    QString themeName(MainWindow::Theme theme)
    {
        switch (theme) {
        case MainWindow::Theme::Light:
            return u"light"_s;
        case MainWindow::Theme::Dark:
            return u"dark"_s;
        case MainWindow::Theme::System:
            break;
        }
        return u"system"_s;
    }

    MainWindow::Theme themeNamed(const QString& name)
    {
        if (name == u"dark"_s)
            return MainWindow::Theme::Dark;
        return name == u"light"_s ? MainWindow::Theme::Light : MainWindow::Theme::System;
    }

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_channels(new ChannelModel(this))
    , m_colors(new ChannelColors(this))
    , m_shortcutGuard(new ShortcutGuard(this))
{
    rememberSystemTheme();
    qApp->installEventFilter(m_shortcutGuard);
    setupUi();
    createActions();
    applyTheme();
}

MainWindow::~MainWindow()
{
    qApp->removeEventFilter(m_shortcutGuard);
    disconnect(m_historyDock, nullptr, this, nullptr); // it reports hiding while we go
}

void MainWindow::setupUi()
{
    setWindowTitle(tr("Sightline"));
    setObjectName(u"mainWindow"_s);
    fitToScreen();

    m_plotArea = new QSplitter(Qt::Vertical, this);
    m_plotArea->setObjectName(u"plotArea"_s);
    m_plotArea->setChildrenCollapsible(false);
    setCentralWidget(m_plotArea);

    m_picker = new ChannelPicker(*m_channels, this);
    auto* pickerDock = new QDockWidget(tr("Channels"), this);
    pickerDock->setObjectName(u"channelsDock"_s);
    pickerDock->setWidget(m_picker);
    addDockWidget(Qt::LeftDockWidgetArea, pickerDock);
    connect(m_channels, &ChannelModel::checkToggled, this, &MainWindow::onChannelToggled);

    m_history = new HistoryPane(this);
    m_history->setColors(m_colors);
    m_historyDock = new QDockWidget(tr("History"), this);
    m_historyDock->setObjectName(u"historyDock"_s);
    m_historyDock->setWidget(m_history);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    m_historyDock->hide();
    connect(m_historyDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        for (QAction* action : m_historyActions)
            action->setEnabled(visible);
        if (visible && !m_history->timeline()->extent())
            m_history->session().loadExtent();
    });
    connect(m_history, &HistoryPane::backToLiveRequested, this, [this] {
        m_historyDock->hide();
        for (LivePlot* plot : plots())
            plot->jumpToLive();
    });

    m_connectionLabel = new QLabel(tr("Not connected"), this);
    m_stateLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    m_ageLabel = new QLabel(this);
    m_memoryLabel = new QLabel(this);
    m_dataProblemLabel = new QLabel(this);
    m_dataProblemLabel->setObjectName(u"dataProblemLabel"_s);
    m_dataProblemLabel->hide();
    m_rateLabel->setToolTip(tr("Samples received per second"));
    m_ageLabel->setToolTip(
        tr("Age of the newest sample when it was drawn (network, cluster and clock skew)"));
    m_memoryLabel->setToolTip(tr("Memory held by the live buffers"));
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addWidget(m_stateLabel);
    statusBar()->addPermanentWidget(m_dataProblemLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_ageLabel);
    statusBar()->addPermanentWidget(m_memoryLabel);

    m_clock = new QTimer(this);
    m_clock->setTimerType(Qt::PreciseTimer);
    m_clock->setInterval(PlotClockMs);
    connect(m_clock, &QTimer::timeout, this, &MainWindow::refreshPlots);
    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(500);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
}

void MainWindow::fitToScreen()
{
    // The first window fits the screen it opens on (with QT_SCALE_FACTOR=2 a 1920×1080
    // screen has 960×540 logical pixels).
    const QScreen* shown = screen() != nullptr ? screen() : QGuiApplication::primaryScreen();
    if (shown == nullptr) {
        resize(PreferredSize);
        return;
    }
    const QRect available = shown->availableGeometry();
    const QSize size = PreferredSize.boundedTo(available.size() * 0.92);
    resize(size);
    move(available.center() - QPoint(size.width() / 2, size.height() / 2));
}

void MainWindow::createRangeWorkflow()
{
    RangeWorkflowHooks hooks;
    hooks.openInHistory = [this](core::TimeRange window) {
        m_historyDock->show();
        m_history->session().setWindow(window);
        m_history->setFocus(); // ←/→, PgUp/PgDn step through it at once
    };
    hooks.selection = [this] { return m_history->selection(); };
    hooks.comparableChannels = [this] {
        std::vector<core::Channel> numeric;
        for (const core::Channel& channel : m_channels->channels())
            if (!channel.isIndex && channel.dataType.isNumeric())
                numeric.push_back(channel);
        return numeric;
    };
    hooks.historyCache = [history = QPointer<HistoryPane>(m_history)] {
        return history ? &history->session().cache() : nullptr;
    };
    hooks.plottedChannels = [this] {
        return currentPlot() ? currentPlot()->channelKeys() : std::vector<ChannelKey> {};
    };
    hooks.showLiveBands = [this](const std::vector<RangeBand>& bands) {
        m_liveBands = bands;
        for (LivePlot* plot : plots())
            plot->rangeBands().set(bands);
    };
    hooks.showHistoryBands
        = [this](const std::vector<RangeBand>& bands) { m_history->setRangeBands(bands); };
    hooks.exportCsv = [this](const QString& file, core::TimeRange range) {
        m_historyDock->show(); // its progress and cancel are there
        m_history->exportCsv(file, {}, range);
    };
    hooks.tell = [this](const QString& text) { statusBar()->showMessage(text, 8000); };
    m_ranges = new RangeWorkflow(this, std::move(hooks));
    // A tab beside the channel picker: the plots keep their width.
    if (auto* channels = findChild<QDockWidget*>(u"channelsDock"_s)) {
        tabifyDockWidget(channels, m_ranges->dock());
        channels->raise();
    }
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* connectAction = file->addAction(tr("&Connect to a cluster…"));
    connectAction->setShortcut(QKeySequence::Open);
    connect(connectAction, &QAction::triggered, this, &MainWindow::connectRequested);
    file->addSeparator();
    m_layoutFiles = new LayoutFiles(*this, this);
    m_layoutFiles->addActions(*file);
    QAction* workspaces = file->addAction(tr("&Workspaces on the cluster…"));
    connect(workspaces, &QAction::triggered, this, &MainWindow::showWorkspaces);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    createViewActions(menuBar()->addMenu(tr("&View")));
    createHistoryActions();
    createRangeWorkflow(); // its menu after History, its dock tabbed with the channels

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"));
    keys->setShortcut(QKeySequence::HelpContents);
    connect(keys, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction* about = help->addAction(tr("&About Sightline"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createViewActions(QMenu* view)
{
    QAction* addPlotAction = view->addAction(tr("&Add plot below"));
    addPlotAction->setShortcut(QKeySequence::New);
    connect(addPlotAction, &QAction::triggered, this, [this] { setCurrentPlot(addPlot()); });
    QAction* besideAction = view->addAction(tr("Add plot &beside"));
    besideAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
    connect(besideAction, &QAction::triggered, this, [this] {
        setCurrentPlot(addPlotBeside(currentPlot()));
    });
    m_removePlotAction = view->addAction(tr("&Remove plot"));
    m_removePlotAction->setShortcut(QKeySequence::Close);
    connect(m_removePlotAction, &QAction::triggered, this, [this] { removePlot(currentPlot()); });
    view->addSeparator();
    QAction* live = view->addAction(tr("&Jump to live"));
    live->setObjectName(u"jumpToLiveAction"_s);
    live->setShortcut(Qt::Key_End);
    connect(live, &QAction::triggered, this, [this] {
        for (LivePlot* plot : plots())
            plot->jumpToLive();
    });
    m_undoZoomAction = view->addAction(tr("&Undo zoom"));
    m_undoZoomAction->setObjectName(u"undoZoomAction"_s);
    m_undoZoomAction->setShortcut(Qt::Key_Backspace);
    connect(m_undoZoomAction, &QAction::triggered, this, [this] {
        if (LivePlot* plot = currentPlot())
            plot->undoZoom();
    });
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    m_historyDock->toggleViewAction()->setShortcut(Qt::CTRL | Qt::Key_H);
    view->addSeparator();
    QMenu* themes = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const std::pair<Theme, QString> choices[] = { { Theme::System, tr("Follow the &desktop") },
        { Theme::Light, tr("&Light") },
        { Theme::Dark, tr("&Dark") } };
    for (const auto& [theme, name] : choices) {
        QAction* choice = themes->addAction(name);
        choice->setCheckable(true);
        choice->setChecked(theme == m_theme);
        choice->setData(static_cast<int>(theme));
        m_themeGroup->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, theme = theme] { setTheme(theme); });
    }
}

void MainWindow::createHistoryActions()
{
    QMenu* menu = menuBar()->addMenu(tr("Hi&story"));
    const auto add = [&](const QString& name, QKeySequence keys, auto slot) {
        QAction* action = menu->addAction(name);
        action->setShortcut(keys);
        action->setEnabled(false); // while the history pane is shown
        connect(action, &QAction::triggered, this, slot);
        m_historyActions << action;
    };
    const auto step
        = [this](Timeline::Step s) { return [this, s] { m_history->timeline()->step(s); }; };
    add(tr("Step &back"), QKeySequence(Qt::Key_Left), step(Timeline::Step::Back));
    add(tr("Step &forward"), QKeySequence(Qt::Key_Right), step(Timeline::Step::Forward));
    add(tr("&Page back"), QKeySequence(Qt::Key_PageUp), step(Timeline::Step::PageBack));
    add(tr("Page f&orward"), QKeySequence(Qt::Key_PageDown), step(Timeline::Step::PageForward));
    add(tr("Previous iterator &chunk"), QKeySequence(Qt::CTRL | Qt::Key_Left), [this] {
        m_history->session().stepByChunk(-1);
    });
    add(tr("Next iterator c&hunk"), QKeySequence(Qt::CTRL | Qt::Key_Right), [this] {
        m_history->session().stepByChunk(+1);
    });
    add(tr("To the &start"), QKeySequence(Qt::CTRL | Qt::Key_Home), step(Timeline::Step::ToStart));
    add(tr("To the &end"), QKeySequence(Qt::CTRL | Qt::Key_End), step(Timeline::Step::ToEnd));
}

void MainWindow::attach(core::feed::LiveFeed* feed, std::vector<core::Channel> channels)
{
    m_feed = feed;
    m_channels->setChannels(std::move(channels));
    m_history->attach(m_feed->sharedConnection());
    m_ranges->attach(m_feed->sharedConnection());
    connect(m_feed, &core::feed::LiveFeed::stateChanged, this, &MainWindow::onStreamState);
    onStreamState(m_feed->state(), {});
    if (plots().empty())
        setCurrentPlot(addPlot());
    syncFeed();
    m_clock->start();
    m_statusTimer->start();
}

void MainWindow::detach()
{
    m_history->detach();
    m_ranges->detach();
    m_clock->stop();
    m_statusTimer->stop();
    if (m_feed != nullptr)
        disconnect(m_feed, nullptr, this, nullptr);
    m_feed = nullptr;
}

void MainWindow::setConnectionText(const QString& text) { m_connectionLabel->setText(text); }

void MainWindow::showProblem(const QString& text) { statusBar()->showMessage(text); }

void MainWindow::setRecordingProblem(const QString& reason)
{
    m_recordingProblem = reason;
    if (m_feed != nullptr)
        showDataProblems();
}

QSplitter* MainWindow::insertRow(int index)
{
    auto* row = new QSplitter(Qt::Horizontal);
    row->setChildrenCollapsible(false);
    m_plotArea->insertWidget(index, row);
    return row;
}

LivePlot* MainWindow::createPlot(QSplitter* row, int index)
{
    auto* plot = new LivePlot();
    plot->setObjectName(u"livePlot%1"_s.arg(plots().size() + 1));
    plot->setColors(m_colors);
    plot->setTheme(PlotTheme::fromPalette(QApplication::palette()));
    plot->rangeBands().set(m_liveBands);
    row->insertWidget(index, plot);
    connect(plot, &LivePlot::activated, this, [this, plot] { setCurrentPlot(plot); });
    connect(plot,
        &LivePlot::channelsDropped,
        this,
        [this, plot](const std::vector<ChannelKey>& keys, int axis) {
            addChannelsToPlot(plot, keys, axis);
        });
    connect(plot, &LivePlot::windowChanged, this, &MainWindow::syncFeed);
    connect(plot, &LivePlot::channelAxisChanged, this, &MainWindow::syncFeed); // history too
    connect(plot, &LivePlot::channelRemoveRequested, this, [this, plot](ChannelKey key) {
        removeChannelFromPlot(plot, key);
    });
    connect(plot, &LivePlot::closeRequested, this, [this, plot] { removePlot(plot); });
    connect(plot, &LivePlot::splitRequested, this, [this, plot](bool beside) {
        setCurrentPlot(beside ? addPlotBeside(plot) : addPlot());
    });
    if (m_current == nullptr)
        m_current = plot;
    updatePlotChrome();
    return plot;
}

LivePlot* MainWindow::addPlot() { return createPlot(insertRow(m_plotArea->count()), 0); }

LivePlot* MainWindow::addPlotBeside(LivePlot* neighbour)
{
    auto* row
        = neighbour != nullptr ? qobject_cast<QSplitter*>(neighbour->parentWidget()) : nullptr;
    if (row == nullptr)
        return addPlot();
    return createPlot(row, row->indexOf(neighbour) + 1);
}

void MainWindow::removePlot(LivePlot* plot)
{
    if (plot == nullptr || plots().size() <= 1)
        return; // the last plot stays (its remove action is disabled)
    if (m_current == plot)
        m_current = nullptr;
    QWidget* row = plot->parentWidget();
    plot->hide();
    plot->setParent(nullptr);
    plot->deleteLater();
    if (auto* splitter = qobject_cast<QSplitter*>(row); splitter && splitter->count() == 0)
        delete splitter;
    if (m_current == nullptr && !plots().empty())
        m_current = plots().front();
    syncFeed();
    updatePickerChecks();
    updatePlotChrome();
}

std::vector<LivePlot*> MainWindow::plots() const
{
    std::vector<LivePlot*> out;
    for (int r = 0; r < m_plotArea->count(); ++r)
        if (auto* row = qobject_cast<QSplitter*>(m_plotArea->widget(r)))
            for (int i = 0; i < row->count(); ++i)
                if (auto* plot = qobject_cast<LivePlot*>(row->widget(i)))
                    out.push_back(plot);
    return out;
}

int MainWindow::rowOf(const LivePlot* plot) const
{
    for (int r = 0; r < m_plotArea->count(); ++r)
        if (m_plotArea->widget(r) == plot->parentWidget())
            return r;
    return -1;
}

LivePlot* MainWindow::currentPlot() const
{
    return m_current != nullptr ? m_current : (plots().empty() ? nullptr : plots().front());
}

void MainWindow::setCurrentPlot(LivePlot* plot)
{
    m_current = plot;
    updatePickerChecks();
    updatePlotChrome();
}

void MainWindow::updatePlotChrome()
{
    const std::vector<LivePlot*> all = plots();
    const LivePlot* current = currentPlot();
    for (LivePlot* plot : all) {
        plot->setCurrent(all.size() > 1 && plot == current); // one plot needs no marking
        plot->setRemovable(all.size() > 1);
    }
    if (m_removePlotAction != nullptr)
        m_removePlotAction->setEnabled(all.size() > 1);
}

void MainWindow::addChannelsToPlot(LivePlot* plot, const std::vector<ChannelKey>& keys, int axis)
{
    if (plot == nullptr)
        return;
    for (const ChannelKey key : keys)
        if (const core::Channel* channel = m_channels->find(key))
            if (!channel->isIndex && !channel->isVirtual && channel->dataType.isNumeric())
                plot->addChannel(*channel, axis);
    syncFeed();
    updatePickerChecks();
}

void MainWindow::removeChannelFromPlot(LivePlot* plot, ChannelKey key)
{
    if (plot == nullptr)
        return;
    plot->removeChannel(key);
    syncFeed();
    updatePickerChecks();
}

void MainWindow::onChannelToggled(ChannelKey key, bool checked)
{
    LivePlot* plot = currentPlot();
    if (plot == nullptr)
        plot = addPlot();
    if (checked)
        addChannelsToPlot(plot, { key });
    else
        removeChannelFromPlot(plot, key);
}

void MainWindow::updatePickerChecks()
{
    std::set<ChannelKey> checked;
    if (LivePlot* plot = currentPlot())
        for (const ChannelKey key : plot->channelKeys())
            checked.insert(key);
    m_channels->setChecked(checked);
}

void MainWindow::syncFeed()
{
    if (m_feed == nullptr)
        return;
    std::vector<core::Channel> wanted;
    std::set<ChannelKey> seen;
    TimeSpan longest = TimeSpan::seconds(0);
    std::vector<std::vector<core::Channel>> perPlot;
    std::vector<std::vector<int>> axes; // each channel's Y axis, for the history plots
    for (LivePlot* plot : plots()) {
        perPlot.emplace_back();
        axes.emplace_back();
        for (const ChannelKey key : plot->channelKeys())
            if (const core::Channel* channel = m_channels->find(key)) {
                perPlot.back().push_back(*channel);
                axes.back().push_back(plot->channelAxis(key));
            }
        longest = std::max(longest, plot->window());
        for (const ChannelKey key : plot->channelKeys())
            if (seen.insert(key).second)
                if (const core::Channel* channel = m_channels->find(key))
                    wanted.push_back(*channel);
    }
    m_history->setPlots(perPlot, axes);
    if (auto set = m_feed->setChannels(wanted, longest); !set)
        statusBar()->showMessage(tr("Cannot stream those channels: %1").arg(set.error().message),
            8000);
}

void MainWindow::refreshPlots()
{
    if (m_feed == nullptr)
        return;
    m_feed->drain();
    const core::TimeStamp now = core::TimeStamp::now();
    for (LivePlot* plot : plots())
        plot->refresh(m_feed->store(), now);
}

void MainWindow::updateStatus()
{
    if (m_feed == nullptr)
        return;
    m_rateLabel->setText(tr("%L1 samples/s").arg(m_feed->samplesPerSecond(), 0, 'f', 0));
    const std::int64_t newest = m_feed->store().newestStamp();
    if (newest > 0) {
        const double ageMs
            = static_cast<double>(core::TimeStamp::now().nanoseconds() - newest) / 1e6;
        m_ageLabel->setText(tr("age %1 ms").arg(ageMs, 0, 'f', 0));
    } else {
        m_ageLabel->setText(tr("no data yet"));
    }
    m_memoryLabel->setText(tr("buffers %1").arg(formatBytes(m_feed->store().memoryBytes())));
    showDataProblems();
    // Rates of streamed channels, measured from their newest samples.
    for (const ChannelKey key : m_feed->streamedKeys()) {
        const core::store::LiveStore& store = m_feed->store();
        if (store.sampleCount(key) >= 3)
            m_channels->setRate(key, 1e9 / static_cast<double>(store.nominalPeriod(key)));
    }
}

void MainWindow::showDataProblems()
{
    const core::store::TimeOrderAnomalies& time = m_feed->store().anomalies();
    QStringList problems;
    QStringList details;
    if (time.any()) {
        problems << tr("time went back %n time(s)", nullptr, static_cast<int>(time.timeResets));
        details << tr("Samples arrived out of time order (a clock set back, or a stray "
                      "future timestamp) %n time(s); %1 held samples after the new ones were "
                      "dropped so live data keeps showing. Last: from %2 back to %3.",
            nullptr,
            static_cast<int>(time.timeResets))
                       .arg(time.discardedSamples)
                       .arg(time.lastResetFrom.toIsoString(), time.lastResetTo.toIsoString());
    }
    if (!m_recordingProblem.isEmpty()) {
        problems << tr("not recording");
        details << tr("The cluster cannot store what it streams (%1). Live data goes on; "
                      "recording resumes when the disk has room.")
                       .arg(m_recordingProblem);
    }
    const core::client::SkippedFrames skipped = m_feed->skippedFrames();
    if (skipped.count > 0) {
        problems << tr("%n frame(s) skipped", nullptr, static_cast<int>(skipped.count));
        details << tr("The cluster sent %n message(s) that could not be decoded; they were "
                      "skipped and streaming went on. Last: %1",
            nullptr,
            static_cast<int>(skipped.count))
                       .arg(skipped.lastReason.toString());
    }
    for (const LivePlot* plot : plots())
        if (const QString note = plot->shortWindowNote(); !note.isEmpty()) {
            problems << tr("window shortened");
            details << tr("%1 (memory budget %2).")
                           .arg(note, formatBytes(m_feed->store().budgetBytes()));
            break;
        }
    m_dataProblemLabel->setVisible(!problems.isEmpty());
    m_dataProblemLabel->setText(u"⚠ "_s + problems.join(u", "_s));
    m_dataProblemLabel->setToolTip(details.join(u"\n"_s));
}

void MainWindow::onStreamState(core::client::StreamerState state, const QString& detail)
{
    m_stateLabel->setText(describeState(state));
    m_stateLabel->setToolTip(detail);
    if (state == core::client::StreamerState::Failed)
        statusBar()->showMessage(tr("The live stream stopped: %1").arg(detail));
}

void MainWindow::showHistory(bool shown) { m_historyDock->setVisible(shown); }

WorkspacesDialog* MainWindow::showWorkspaces()
{
    if (m_feed == nullptr) {
        showProblem(tr("Not connected to a cluster: no workspaces to show"));
        return nullptr;
    }
    auto* dialog = new WorkspacesDialog(*this, m_feed->sharedConnection(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

// --- layout files -----------------------------------------------------------------------

LayoutFile MainWindow::currentLayout() const
{
    LayoutFile layout;
    for (LivePlot* plot : plots()) {
        PlotLayout one = plot->layout();
        one.row = rowOf(plot);
        for (const QString& name : one.channels)
            layout.colors.insert(name, m_colors->colorFor(name));
        layout.plots.push_back(std::move(one));
    }
    layout.theme = themeName(m_theme);
    layout.historyShown = m_historyDock->isVisible();
    if (m_history->session().extent())
        layout.historyWindow = m_history->session().window();
    return layout;
}

QStringList MainWindow::applyLayout(const LayoutFile& layout)
{
    for (auto it = layout.colors.begin(); it != layout.colors.end(); ++it)
        m_colors->setColor(it.key(), it.value());
    QStringList missing;
    if (!layout.plots.empty()) {
        m_current = nullptr;
        while (m_plotArea->count() > 0)
            delete m_plotArea->widget(0);
        restorePlots(layout.plots, missing);
        setCurrentPlot(plots().front());
    }
    if (!layout.theme.isEmpty())
        setTheme(themeNamed(layout.theme));
    showHistory(layout.historyShown);
    if (layout.historyWindow)
        m_history->session().setWindow(*layout.historyWindow);
    syncFeed();
    return missing;
}

// --- settings ---------------------------------------------------------------------------

void MainWindow::saveSettings(QSettings& settings) const
{
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/theme"_s, themeName(m_theme));
    settings.remove(u"window/dark"_s);
    settings.remove(u"plots"_s); // the layout before plots were saved as JSON
    QJsonArray layouts;
    for (LivePlot* plot : plots()) {
        PlotLayout layout = plot->layout();
        layout.row = rowOf(plot);
        layouts.append(layout.toJson());
    }
    settings.setValue(u"layout/plots"_s, QJsonDocument(layouts).toJson(QJsonDocument::Compact));
    QVariantList rows;
    for (int r = 0; r < m_plotArea->count(); ++r)
        if (auto* row = qobject_cast<QSplitter*>(m_plotArea->widget(r)))
            rows << row->saveState();
    settings.setValue(u"window/rowSplitters"_s, rows);
    settings.setValue(u"window/splitter"_s, m_plotArea->saveState());
    settings.setValue(u"history/cacheBudgetBytes"_s,
        QVariant::fromValue<qulonglong>(m_history->session().cache().budgetBytes()));
    m_colors->save(settings);
}

std::vector<ChannelKey> MainWindow::keysNamed(const QStringList& names, QStringList& missing) const
{
    std::vector<ChannelKey> keys;
    const auto& all = m_channels->channels();
    for (const QString& name : names) {
        const auto found = std::find_if(all.begin(), all.end(), [&](const core::Channel& c) {
            return c.name == name;
        });
        if (found == all.end())
            missing << name;
        else
            keys.push_back(found->key);
    }
    return keys;
}

void MainWindow::restorePlots(const std::vector<PlotLayout>& layouts, QStringList& missing)
{
    int lastRow = -1;
    QSplitter* row = nullptr;
    for (const PlotLayout& layout : layouts) {
        if (row == nullptr || layout.row != lastRow)
            row = insertRow(m_plotArea->count());
        lastRow = layout.row;
        LivePlot* plot = createPlot(row, row->count());
        const std::vector<ChannelKey> keys = keysNamed(layout.channels, missing);
        for (const ChannelKey key : keys)
            if (const core::Channel* channel = m_channels->find(key))
                plot->addChannel(*channel);
        plot->applyLayout(layout);
    }
}

void MainWindow::restoreLegacyPlots(QSettings& settings, QStringList& missing)
{
    const int count = settings.beginReadArray(u"plots"_s);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        LivePlot* plot = addPlot();
        const qlonglong window = settings.value(u"windowNs"_s).toLongLong();
        if (window > 0)
            plot->setWindow(TimeSpan(window));
        const QStringList right = settings.value(u"rightAxis"_s).toStringList();
        for (const ChannelKey key :
            keysNamed(settings.value(u"channels"_s).toStringList(), missing))
            if (const core::Channel* channel = m_channels->find(key))
                plot->addChannel(*channel, right.contains(channel->name) ? 1 : 0);
    }
    settings.endArray();
}

bool MainWindow::restoreSettings(QSettings& settings)
{
    if (const QVariant budget = settings.value(u"history/cacheBudgetBytes"_s); budget.isValid())
        m_history->setCacheBudget(budget.toULongLong());
    m_colors->load(settings);
    const QByteArray json = settings.value(u"layout/plots"_s).toByteArray();
    const bool saved = !QJsonDocument::fromJson(json).array().isEmpty();
    // Plots saved before layouts were JSON: an array `plots/N/…`.
    const bool legacy = !saved && settings.childGroups().contains(u"plots"_s);
    if (saved || legacy) { // the saved plots replace whatever is shown
        m_current = nullptr;
        while (m_plotArea->count() > 0)
            delete m_plotArea->widget(0);
    }
    QStringList missing;
    if (saved) {
        std::vector<PlotLayout> layouts;
        for (const QJsonValue& value : QJsonDocument::fromJson(json).array())
            layouts.push_back(PlotLayout::fromJson(value.toObject()));
        restorePlots(layouts, missing);
    } else if (legacy)
        restoreLegacyPlots(settings, missing);
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_plotArea->restoreState(settings.value(u"window/splitter"_s).toByteArray());
    const QVariantList rows = settings.value(u"window/rowSplitters"_s).toList();
    for (int r = 0; r < m_plotArea->count() && r < rows.size(); ++r)
        if (auto* row = qobject_cast<QSplitter*>(m_plotArea->widget(r)))
            row->restoreState(rows[r].toByteArray());
    restoreTheme(settings);
    if (saved || legacy)
        setCurrentPlot(plots().front());
    syncFeed();
    if (!missing.isEmpty())
        showProblem(
            tr("Not on this cluster any more, so not plotted: %1").arg(missing.join(u", "_s)));
    return saved || legacy;
}

// --- theme ------------------------------------------------------------------------------

void MainWindow::restoreTheme(QSettings& settings)
{
    const QString theme = settings.value(u"window/theme"_s).toString();
    if (theme.isEmpty() && settings.contains(u"window/dark"_s)) // before themes had names
        setTheme(settings.value(u"window/dark"_s).toBool() ? Theme::Dark : Theme::System);
    else
        setTheme(themeNamed(theme));
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    for (QAction* choice : m_themeGroup->actions())
        choice->setChecked(choice->data().toInt() == static_cast<int>(theme));
    applyTheme();
}

void MainWindow::applyTheme()
{
    m_dark = m_theme == Theme::Dark || (m_theme == Theme::System && systemThemeIsDark());
    applyApplicationPalette(m_theme == Theme::System
            ? PaletteChoice::System
            : (m_dark ? PaletteChoice::Dark : PaletteChoice::Light));
    const PlotTheme plotTheme = PlotTheme::fromPalette(QApplication::palette());
    for (LivePlot* plot : plots())
        plot->setTheme(plotTheme);
    m_history->setTheme(plotTheme);
}

void MainWindow::changeEvent(QEvent* event)
{
    // The desktop switched its colour scheme: follow it when asked to.
    if (event->type() == QEvent::ThemeChange && m_theme == Theme::System)
        applyTheme();
    QMainWindow::changeEvent(event);
}

// --- help -------------------------------------------------------------------------------

QList<QAction*> MainWindow::shortcutActions() const
{
    QList<QAction*> actions;
    const std::function<void(const QMenu*)> collect = [&](const QMenu* menu) {
        for (QAction* action : menu->actions()) {
            if (action->menu() != nullptr)
                collect(action->menu());
            else if (!action->shortcut().isEmpty())
                actions << action;
        }
    };
    for (QAction* top : menuBar()->actions())
        if (top->menu() != nullptr)
            collect(top->menu());
    return actions;
}

QList<QPair<QString, QString>> MainWindow::shortcutTable() const
{
    QList<QPair<QString, QString>> rows;
    for (QAction* action : shortcutActions())
        rows.append(
            { action->text().remove(u'&'), action->shortcut().toString(QKeySequence::NativeText) });
    return rows;
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(shortcutTable(), this);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this,
        tr("About Sightline"),
        tr("<h3>Sightline %1</h3><p>Live plots and history for Synnax clusters.</p>"
           "<p>Synnax protocol %2 · Qt %3 · QCustomPlot 2.1</p>"
           "<p>Licensed under the GNU GPL, version 3 or later.</p>")
            .arg(QString::fromLatin1(sightline::VersionString),
                QString::fromLatin1(sightline::SynnaxProtocolVersion),
                QString::fromLatin1(qVersion())));
}

} // namespace sightline::ui
