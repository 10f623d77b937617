#include "ui/shell/main_window.h"

#include "core/store/live_feed.h"
#include "sightline/version.h"
#include "ui/channels/channel_picker.h"
#include "ui/history/history_pane.h"
#include "ui/history/timeline.h"
#include "ui/models/channel_model.h"
#include "ui/plot/live_plot.h"
#include "ui/plot/plot_style.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyleFactory>
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

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_channels(new ChannelModel(this))
{
    setupUi();
    createActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::setupUi()
{
    setWindowTitle(tr("Sightline"));
    setObjectName(u"mainWindow"_s);
    resize(1400, 860);

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
    m_historyDock = new QDockWidget(tr("History"), this);
    m_historyDock->setObjectName(u"historyDock"_s);
    m_historyDock->setWidget(m_history);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    m_historyDock->hide();
    connect(m_historyDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !m_history->timeline()->extent())
            m_history->loadExtent();
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
    m_rateLabel->setToolTip(tr("Samples received per second"));
    m_ageLabel->setToolTip(
        tr("Age of the newest sample when it was drawn (network, cluster and clock skew)"));
    m_memoryLabel->setToolTip(tr("Memory held by the live buffers"));
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addWidget(m_stateLabel);
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

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* connectAction = file->addAction(tr("&Connect to a cluster…"));
    connectAction->setShortcut(QKeySequence::Open);
    connect(connectAction, &QAction::triggered, this, &MainWindow::connectRequested);
    QAction* exportAction = file->addAction(tr("&Export…"));
    exportAction->setEnabled(false);
    exportAction->setToolTip(tr("Export arrives with the history pane"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* addPlotAction = view->addAction(tr("&Add plot"));
    addPlotAction->setShortcut(QKeySequence::New);
    connect(addPlotAction, &QAction::triggered, this, [this] { setCurrentPlot(addPlot()); });
    QAction* removePlotAction = view->addAction(tr("&Remove plot"));
    removePlotAction->setShortcut(QKeySequence::Close);
    connect(removePlotAction, &QAction::triggered, this, [this] {
        if (plots().size() > 1)
            removePlot(currentPlot());
    });
    QAction* live = view->addAction(tr("&Jump to live"));
    live->setShortcut(Qt::Key_End);
    connect(live, &QAction::triggered, this, [this] {
        for (LivePlot* plot : plots())
            plot->jumpToLive();
    });
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    m_historyDock->toggleViewAction()->setShortcut(Qt::CTRL | Qt::Key_H);
    view->addSeparator();
    QAction* dark = view->addAction(tr("&Dark theme"));
    dark->setCheckable(true);
    connect(dark, &QAction::toggled, this, &MainWindow::setDarkTheme);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Sightline"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::attach(core::store::LiveFeed* feed, std::vector<core::Channel> channels)
{
    m_feed = feed;
    m_channels->setChannels(std::move(channels));
    m_history->attach(m_feed->sharedConnection());
    connect(m_feed, &core::store::LiveFeed::stateChanged, this, &MainWindow::onStreamState);
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
    m_clock->stop();
    m_statusTimer->stop();
    if (m_feed != nullptr)
        disconnect(m_feed, nullptr, this, nullptr);
    m_feed = nullptr;
}

void MainWindow::setConnectionText(const QString& text) { m_connectionLabel->setText(text); }

void MainWindow::showProblem(const QString& text) { statusBar()->showMessage(text); }

LivePlot* MainWindow::addPlot()
{
    auto* plot = new LivePlot(m_plotArea);
    plot->setObjectName(u"livePlot%1"_s.arg(m_plotArea->count() + 1));
    m_plotArea->addWidget(plot);
    connect(plot, &LivePlot::activated, this, [this, plot] { setCurrentPlot(plot); });
    connect(plot,
        &LivePlot::channelsDropped,
        this,
        [this, plot](const std::vector<ChannelKey>& keys) { addChannelsToPlot(plot, keys); });
    connect(plot, &LivePlot::windowChanged, this, &MainWindow::syncFeed);
    connect(plot, &LivePlot::channelRemoveRequested, this, [this, plot](ChannelKey key) {
        removeChannelFromPlot(plot, key);
    });
    connect(plot, &LivePlot::closeRequested, this, [this, plot] {
        if (plots().size() > 1)
            removePlot(plot);
    });
    if (m_current == nullptr)
        m_current = plot;
    return plot;
}

void MainWindow::removePlot(LivePlot* plot)
{
    if (plot == nullptr)
        return;
    if (m_current == plot)
        m_current = nullptr;
    plot->hide();
    plot->deleteLater();
    plot->setParent(nullptr);
    if (m_current == nullptr && !plots().empty())
        m_current = plots().front();
    syncFeed();
    updatePickerChecks();
}

std::vector<LivePlot*> MainWindow::plots() const
{
    std::vector<LivePlot*> out;
    for (int i = 0; i < m_plotArea->count(); ++i)
        if (auto* plot = qobject_cast<LivePlot*>(m_plotArea->widget(i)))
            out.push_back(plot);
    return out;
}

LivePlot* MainWindow::currentPlot() const
{
    return m_current != nullptr ? m_current : (plots().empty() ? nullptr : plots().front());
}

void MainWindow::setCurrentPlot(LivePlot* plot)
{
    m_current = plot;
    updatePickerChecks();
}

void MainWindow::addChannelsToPlot(LivePlot* plot, const std::vector<ChannelKey>& keys)
{
    if (plot == nullptr)
        return;
    for (const ChannelKey key : keys)
        if (const core::Channel* channel = m_channels->find(key))
            if (!channel->isIndex && !channel->isVirtual && channel->dataType.isNumeric())
                plot->addChannel(*channel);
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
    for (LivePlot* plot : plots()) {
        perPlot.emplace_back();
        for (const ChannelKey key : plot->channelKeys())
            if (const core::Channel* channel = m_channels->find(key))
                perPlot.back().push_back(*channel);
        longest = std::max(longest, plot->window());
        for (const ChannelKey key : plot->channelKeys())
            if (seen.insert(key).second)
                if (const core::Channel* channel = m_channels->find(key))
                    wanted.push_back(*channel);
    }
    m_history->setPlots(perPlot);
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
    // Rates of streamed channels, measured from their newest samples.
    for (const ChannelKey key : m_feed->streamedKeys()) {
        const core::store::LiveStore& store = m_feed->store();
        if (store.sampleCount(key) >= 3)
            m_channels->setRate(key, 1e9 / static_cast<double>(store.nominalPeriod(key)));
    }
}

void MainWindow::onStreamState(core::client::StreamerState state, const QString& detail)
{
    m_stateLabel->setText(describeState(state));
    m_stateLabel->setToolTip(detail);
    if (state == core::client::StreamerState::Failed)
        statusBar()->showMessage(tr("The live stream stopped: %1").arg(detail));
}

void MainWindow::showHistory(bool shown) { m_historyDock->setVisible(shown); }

void MainWindow::saveSettings(QSettings& settings) const
{
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/dark"_s, m_dark);
    settings.beginWriteArray(u"plots"_s);
    int i = 0;
    for (LivePlot* plot : plots()) {
        settings.setArrayIndex(i++);
        QStringList names;
        for (const ChannelKey key : plot->channelKeys())
            if (const core::Channel* channel = m_channels->find(key))
                names << channel->name;
        settings.setValue(u"channels"_s, names);
        QStringList right;
        for (const ChannelKey key : plot->channelKeys())
            if (plot->isOnRightAxis(key))
                if (const core::Channel* channel = m_channels->find(key))
                    right << channel->name;
        settings.setValue(u"rightAxis"_s, right);
        settings.setValue(u"windowNs"_s,
            QVariant::fromValue<qlonglong>(plot->window().nanoseconds()));
    }
    settings.endArray();
    settings.setValue(u"window/splitter"_s, m_plotArea->saveState());
    settings.setValue(u"history/cacheBudgetBytes"_s,
        QVariant::fromValue<qulonglong>(m_history->cacheBudget()));
}

bool MainWindow::restoreSettings(QSettings& settings)
{
    if (const QVariant budget = settings.value(u"history/cacheBudgetBytes"_s); budget.isValid())
        m_history->setCacheBudget(budget.toULongLong());
    QStringList missing;
    const int count = settings.beginReadArray(u"plots"_s);
    if (count > 0) // the saved plots replace whatever is shown
        for (LivePlot* plot : plots()) {
            plot->setParent(nullptr);
            delete plot;
        }
    m_current = nullptr;
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        LivePlot* plot = addPlot();
        const qlonglong window = settings.value(u"windowNs"_s).toLongLong();
        if (window > 0)
            plot->setWindow(TimeSpan(window));
        std::vector<ChannelKey> keys;
        for (const QString& name : settings.value(u"channels"_s).toStringList()) {
            const auto& all = m_channels->channels();
            const auto found = std::find_if(all.begin(), all.end(), [&](const core::Channel& c) {
                return c.name == name;
            });
            if (found == all.end())
                missing << name;
            else
                keys.push_back(found->key);
        }
        const QStringList right = settings.value(u"rightAxis"_s).toStringList();
        for (const ChannelKey key : keys)
            if (const core::Channel* channel = m_channels->find(key)) {
                plot->addChannel(*channel);
                plot->setChannelOnRightAxis(key, right.contains(channel->name));
            }
    }
    settings.endArray();
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_plotArea->restoreState(settings.value(u"window/splitter"_s).toByteArray());
    setDarkTheme(settings.value(u"window/dark"_s, false).toBool());
    if (count > 0)
        setCurrentPlot(plots().front());
    syncFeed();
    if (!missing.isEmpty())
        showProblem(
            tr("Not on this cluster any more, so not plotted: %1").arg(missing.join(u", "_s)));
    return count > 0;
}

void MainWindow::setDarkTheme(bool dark)
{
    m_dark = dark;
    QPalette palette = QApplication::style()->standardPalette();
    if (dark) {
        palette.setColor(QPalette::Window, QColor(37, 37, 40));
        palette.setColor(QPalette::WindowText, QColor(220, 220, 220));
        palette.setColor(QPalette::Base, QColor(28, 28, 30));
        palette.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
        palette.setColor(QPalette::Text, QColor(220, 220, 220));
        palette.setColor(QPalette::Button, QColor(50, 50, 54));
        palette.setColor(QPalette::ButtonText, QColor(220, 220, 220));
        palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    }
    QApplication::setPalette(palette);
    const QColor background = dark ? QColor(28, 28, 30) : QColor(Qt::white);
    const QColor foreground = dark ? QColor(210, 210, 210) : QColor(Qt::black);
    for (LivePlot* plot : plots()) {
        QCustomPlot* p = plot->plot();
        p->setBackground(background);
        for (QCPAxis* axis : { p->xAxis, p->yAxis, p->yAxis2 }) {
            axis->setBasePen(QPen(foreground));
            axis->setTickPen(QPen(foreground));
            axis->setSubTickPen(QPen(foreground));
            axis->setTickLabelColor(foreground);
            axis->setLabelColor(foreground);
        }
        p->legend->setBrush(dark ? QColor(40, 40, 44, 220) : QColor(255, 255, 255, 200));
        p->legend->setTextColor(foreground);
        p->replot(QCustomPlot::rpQueuedReplot);
    }
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
