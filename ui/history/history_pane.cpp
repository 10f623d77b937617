#include "ui/history/history_pane.h"

#include "core/store/csv_export.h"
#include "core/store/history_cache.h"
#include "core/store/history_reader.h"
#include "ui/history/history_plot.h"
#include "ui/history/timeline.h"
#include "ui/plot/plot_style.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPdfWriter>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSvgGenerator>
#include <QThread>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using sightline::core::TimeRange;
using sightline::core::TimeSpan;
using sightline::core::TimeStamp;

namespace sightline::ui {

namespace {
    const double Speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100 };
    constexpr int RedrawMs = 33;
    constexpr int FollowMs = 3000; ///< how often a shown pane looks for newly recorded data
} // namespace

HistoryPane::HistoryPane(QWidget* parent)
    : QWidget(parent)
    , m_cache(std::make_unique<core::store::HistoryCache>())
    , m_timeline(new Timeline(this))
    , m_status(new QLabel(this))
    , m_cacheUsage(new QLabel(this))
    , m_budget(new QComboBox(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
    , m_playButton(new QPushButton(tr("Play"), this))
    , m_speed(new QComboBox(this))
    , m_loopBox(new QCheckBox(tr("Loop"), this))
    , m_playTimer(new QTimer(this))
    , m_redrawTimer(new QTimer(this))
    , m_followTimer(new QTimer(this))
{
    m_followTimer->setInterval(FollowMs);
    connect(m_followTimer, &QTimer::timeout, this, &HistoryPane::refreshExtent);
    auto* load = new QPushButton(tr("Load recorded range"), this);
    load->setObjectName(u"loadHistory"_s);
    connect(load, &QPushButton::clicked, this, &HistoryPane::loadExtent);
    m_playButton->setObjectName(u"play"_s);
    m_playButton->setCheckable(true);
    connect(m_playButton, &QPushButton::toggled, this, [this](bool on) {
        if (on)
            play(Speeds[m_speed->currentIndex()]);
        else
            pause();
    });
    for (const double speed : Speeds)
        m_speed->addItem(u"%1×"_s.arg(speed));
    m_speed->setCurrentIndex(3);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_speedFactor = Speeds[i];
    });
    connect(m_loopBox, &QCheckBox::toggled, this, &HistoryPane::setLoop);
    auto* exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setObjectName(u"exportHistory"_s);
    connect(exportButton, &QPushButton::clicked, this, &HistoryPane::chooseExport);
    auto* live = new QPushButton(tr("Back to live"), this);
    connect(live, &QPushButton::clicked, this, &HistoryPane::backToLiveRequested);
    m_cacheUsage->setObjectName(u"cacheUsage"_s);
    m_budget->setObjectName(u"cacheBudget"_s);
    m_budget->setToolTip(tr("Memory the history cache may use; beyond it the least recently "
                            "viewed ranges are dropped and read again when needed"));
    for (const int gib : { 1, 2, 4, 8, 16, 32 })
        m_budget->addItem(tr("%1 GiB cache").arg(gib),
            QVariant::fromValue<qulonglong>(qulonglong(gib) << 30));
    m_budget->setCurrentIndex(m_budget->findData(
        QVariant::fromValue<qulonglong>(core::store::HistoryCache::DefaultBudgetBytes)));
    connect(m_budget, &QComboBox::activated, this, [this](int i) {
        setCacheBudget(m_budget->itemData(i).toULongLong());
    });
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    m_cancel->setText(u"✕"_s);
    m_cancel->setToolTip(tr("Cancel"));
    m_cancel->setVisible(false);
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        if (m_reader)
            m_reader->cancel();
        cancelExport();
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        m_status->setText(tr("Cancelled"));
    });

    auto* bar = new QHBoxLayout();
    bar->addWidget(load);
    bar->addWidget(m_playButton);
    bar->addWidget(m_speed);
    bar->addWidget(m_loopBox);
    bar->addWidget(exportButton);
    bar->addWidget(live);
    bar->addStretch(1);
    bar->addWidget(m_status);
    bar->addWidget(m_cacheUsage);
    bar->addWidget(m_budget);
    bar->addWidget(m_progress);
    bar->addWidget(m_cancel);
    m_plotLayout = new QVBoxLayout();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_timeline);
    layout->addLayout(m_plotLayout, 1);
    setFocusProxy(m_timeline); // focused (a range opened), the keys step the window

    connect(m_timeline, &Timeline::windowChanged, this, &HistoryPane::onWindowChanged);
    connect(m_timeline, &Timeline::chunkStepRequested, this, &HistoryPane::stepByChunk);
    m_playTimer->setInterval(RedrawMs);
    connect(m_playTimer, &QTimer::timeout, this, &HistoryPane::advancePlayback);
    m_redrawTimer->setSingleShot(true);
    m_redrawTimer->setInterval(RedrawMs);
    connect(m_redrawTimer, &QTimer::timeout, this, [this] {
        redraw();
        updateOverview(); // the cache grew: so does the envelope of what has been read
    });
}

HistoryPane::~HistoryPane() { cancelExport(); }

void HistoryPane::attach(std::shared_ptr<core::client::Connection> connection)
{
    detach();
    m_connection = std::move(connection);
    m_reader = std::make_unique<core::store::HistoryReader>(m_connection);
    connect(m_reader.get(), &core::store::HistoryReader::chunkRead, this, &HistoryPane::onChunk);
    connect(m_reader.get(),
        &core::store::HistoryReader::finished,
        this,
        &HistoryPane::onReadFinished);
    connect(m_reader.get(),
        &core::store::HistoryReader::progress,
        this,
        [this](quint64 id, double fraction) {
            if (id == m_readId)
                m_progress->setValue(static_cast<int>(fraction * 1000));
        });
    m_overviewReader = std::make_unique<core::store::HistoryReader>(m_connection);
    connect(m_overviewReader.get(),
        &core::store::HistoryReader::overviewRead,
        this,
        [this](quint64, const core::store::Overview& scanned, double) {
            if (scanned.range() != m_overviewBase.range())
                return;
            m_scanned = m_overviewBase;
            m_scanned.merge(scanned);
            updateOverview();
        });
    connect(m_overviewReader.get(),
        &core::store::HistoryReader::finished,
        this,
        [this](quint64, const QString&) { m_scanning = false; });
}

void HistoryPane::detach()
{
    pause();
    cancelExport();
    m_reader.reset();
    m_overviewReader.reset();
    m_scanned = {};
    m_overviewBase = {};
    m_scanning = false;
    m_connection.reset();
    m_cache->clear();
    m_timeline->setExtent(std::nullopt);
}

std::vector<core::Channel> HistoryPane::allChannels() const
{
    std::vector<core::Channel> all;
    for (const HistoryPlot* plot : m_plots)
        for (const core::Channel& channel : plot->channels())
            if (std::none_of(all.begin(), all.end(), [&](const core::Channel& c) {
                    return c.key == channel.key;
                }))
                all.push_back(channel);
    return all;
}

void HistoryPane::setPlots(const std::vector<std::vector<core::Channel>>& plots)
{
    for (HistoryPlot* plot : m_plots)
        delete plot;
    m_plots.clear();
    for (const auto& channels : plots) {
        auto* plot = new HistoryPlot(this);
        plot->plot()->setFocusPolicy(Qt::ClickFocus); // clicked, its unused keys step the window
        plot->setColors(m_colors);
        if (m_theme)
            plot->setTheme(*m_theme);
        plot->setChannels(channels);
        connect(plot, &HistoryPlot::cursorsMoved, this, [this](auto a, auto b) {
            for (HistoryPlot* other : m_plots) // one pair of cursors shared by every plot
                other->setCursors(a, b);
            redraw();
        });
        connect(plot, &HistoryPlot::hovered, this, [this](TimeStamp at) {
            for (HistoryPlot* other : m_plots) // one cursor across the linked plots
                other->setHover(at);
        });
        m_plotLayout->addWidget(plot, 1);
        plot->setRangeBands(m_rangeBands);
        m_plots.push_back(plot);
    }
}

void HistoryPane::setColors(ChannelColors* colors)
{
    m_colors = colors;
    for (HistoryPlot* plot : m_plots)
        plot->setColors(colors);
}

void HistoryPane::setTheme(const PlotTheme& theme)
{
    m_theme = theme;
    for (HistoryPlot* plot : m_plots)
        plot->setTheme(theme);
}

void HistoryPane::loadExtent()
{
    if (!m_connection)
        return;
    m_status->setText(tr("Finding the recorded range…"));
    fetchExtent(false);
}

void HistoryPane::refreshExtent()
{
    if (!m_connection || !m_timeline->extent() || m_scanning || m_extentBusy)
        return;
    fetchExtent(true);
}

void HistoryPane::fetchExtent(bool keepWindow)
{
    // A few iterator calls: on a worker, so a slow network never freezes the window. Workers
    // post their results to the application object (the GUI thread), where `self` is checked:
    // reading the pane's pointer on the worker raced with the pane's destruction.
    const quint64 request = ++m_extentRequest;
    m_extentBusy = true;
    QPointer<HistoryPane> self(this);
    auto connection = m_connection;
    const std::vector<core::Channel> channels = allChannels();
    QThread* worker = QThread::create([self, connection, channels, request, keepWindow] {
        auto extent = core::store::HistoryReader::extent(*connection, channels);
        QMetaObject::invokeMethod(qApp, [self, request, extent, keepWindow] {
            if (!self || request != self->m_extentRequest)
                return;
            self->m_extentBusy = false;
            if (keepWindow && extent && *extent && self->m_timeline->extent())
                self->extendExtent(**extent);
            else
                self->applyExtent(extent);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void HistoryPane::applyExtent(const core::Result<std::optional<TimeRange>>& extent)
{
    if (!extent) {
        m_status->setText(tr("Cannot read the recorded range: %1").arg(extent.error().message));
        Q_EMIT extentLoaded(std::nullopt);
        return;
    }
    m_timeline->setExtent(*extent);
    if (!*extent) {
        m_status->setText(tr("Nothing recorded for these channels yet"));
        Q_EMIT extentLoaded(std::nullopt);
        return;
    }
    m_status->clear();
    const TimeRange all = **extent;
    const TimeSpan lastMinute = TimeSpan::minutes(1);
    // A window asked for meanwhile (a range opened) wins over the last minute.
    setWindow(
        std::exchange(m_askedWindow, std::nullopt)
            .value_or(all.span() > lastMinute ? TimeRange { all.end - lastMinute, all.end } : all));
    // The overview: at once from whatever is cached, then from a scan of everything.
    m_overviewBase = core::store::Overview(all, OverviewBuckets);
    m_scanned = m_overviewBase;
    updateOverview();
    scanOverview(all);
    Q_EMIT extentLoaded(all);
}

void HistoryPane::extendExtent(TimeRange extent)
{
    const TimeRange old = *m_timeline->extent();
    if (extent == old)
        return;
    const TimeRange window = m_timeline->window();
    const bool following = window.end >= old.end;
    m_timeline->setExtent(extent);
    // What was scanned, on the wider buckets; then only the new part is read.
    m_overviewBase = m_scanned.rebucketed(extent);
    m_scanned = m_overviewBase;
    if (extent.end > old.end)
        scanOverview({ std::max(old.end, extent.start), extent.end });
    if (following)
        setWindow({ extent.end - window.span(), extent.end });
    else
        setWindow(window); // clamped to the extent if it shrank
    updateOverview();
}

void HistoryPane::scanOverview(TimeRange scan)
{
    if (!m_overviewReader || allChannels().empty())
        return;
    m_scanning = true;
    m_overviewReader->scanOverview(allChannels().front(), m_overviewBase, scan);
}

void HistoryPane::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_followTimer->start();
}

void HistoryPane::keyPressEvent(QKeyEvent* event)
{
    if (m_timeline->stepByKey(*event))
        event->accept();
    else
        QWidget::keyPressEvent(event);
}

void HistoryPane::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_followTimer->stop();
}

void HistoryPane::setWindow(TimeRange window)
{
    if (!m_timeline->extent()) // asked for before the recorded range is known: kept for then
        m_askedWindow = window;
    m_timeline->setWindow(window);
    onWindowChanged(m_timeline->window());
}

TimeRange HistoryPane::window() const { return m_timeline->window(); }

bool HistoryPane::reading() const { return m_readId != 0; }

void HistoryPane::onWindowChanged(TimeRange)
{
    fetchMissing();
    redraw();
}

void HistoryPane::fetchMissing()
{
    if (!m_reader)
        return;
    const TimeRange window = m_timeline->window();
    std::optional<TimeRange> needed;
    for (const core::Channel& channel : allChannels())
        for (const TimeRange& gap : m_cache->missing(channel.key, window))
            needed = needed
                ? TimeRange { std::min(needed->start, gap.start), std::max(needed->end, gap.end) }
                : gap;
    // A window moving left reads backward, so what lies nearest the last view comes first.
    const bool backward = m_lastWindow && window.start < m_lastWindow->start;
    m_lastWindow = window;
    m_pendingStep.reset(); // the window moved: a step waiting for a read is no longer wanted
    if (!needed) {
        if (m_readId != 0) // a read for an older window is still going: it is no longer wanted
            m_reader->cancel();
        m_readId = 0;
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        Q_EMIT windowShown(window);
        return;
    }
    startRead({ .range = *needed,
        .chunkSize = m_chunkSize,
        .direction
        = backward ? core::store::ReadDirection::Backward : core::store::ReadDirection::Forward });
}

void HistoryPane::startRead(const core::store::ReadRequest& request)
{
    m_readId = m_reader->read(allChannels(), request);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
    m_status->setText(tr("Reading…"));
}

void HistoryPane::onChunk(quint64 id, const core::store::HistoryChunk& chunk)
{
    if (id != m_readId)
        return; // stale: a newer request replaced it
    m_cache->insert(chunk.key, chunk.covered, chunk.stamps, chunk.values);
    if (!m_redrawTimer->isActive())
        m_redrawTimer->start(); // partial results, drawn at most ~30 times a second
}

void HistoryPane::onReadFinished(quint64 id, const QString& error)
{
    if (id != m_readId)
        return;
    m_readId = 0;
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_status->setText(error.isEmpty() ? QString() : tr("Read failed: %1").arg(error));
    redraw();
    updateOverview();
    if (m_pendingStep) { // the chunk beyond the window is cached now: take the step
        const int direction = *m_pendingStep;
        m_pendingStep.reset();
        if (const auto chunk = chunkStep(direction); chunk && error.isEmpty()) {
            if (*chunk != m_timeline->window())
                setWindow(windowShowing(*chunk, direction));
            else
                Q_EMIT windowShown(m_timeline->window());
            return;
        }
    }
    if (error.isEmpty())
        Q_EMIT windowShown(m_timeline->window());
}

void HistoryPane::setCacheBudget(std::size_t bytes)
{
    bytes = std::max<std::size_t>(bytes, std::size_t(64) << 20);
    m_cache->setBudgetBytes(bytes);
    const int item = m_budget->findData(QVariant::fromValue<qulonglong>(bytes));
    if (item < 0) // a budget from settings or code that the list lacks
        m_budget->addItem(tr("%1 cache").arg(formatBytes(bytes)),
            QVariant::fromValue<qulonglong>(bytes));
    m_budget->setCurrentIndex(m_budget->findData(QVariant::fromValue<qulonglong>(bytes)));
    updateCacheUsage();
}

std::size_t HistoryPane::cacheBudget() const { return m_cache->budgetBytes(); }

void HistoryPane::updateCacheUsage()
{
    m_cacheUsage->setText(
        tr("cache %1 of %2")
            .arg(formatBytes(m_cache->memoryBytes()), formatBytes(m_cache->budgetBytes())));
}

void HistoryPane::redraw()
{
    updateCacheUsage();
    const TimeRange window = m_timeline->window();
    for (HistoryPlot* plot : m_plots)
        plot->refresh(*m_cache, window);
}

core::store::Overview HistoryPane::overview() const
{
    const auto extent = m_timeline->extent();
    const std::vector<core::Channel> channels = allChannels();
    if (!extent || channels.empty())
        return {};
    // What is cached, from the pyramid (cheap), on the scan's buckets.
    core::decimate::PlotPoints points;
    m_cache->view(channels.front().key,
        extent->start.nanoseconds(),
        extent->end.nanoseconds(),
        OverviewBuckets,
        extent->start.nanoseconds(),
        std::numeric_limits<std::int64_t>::max() / 4,
        points);
    std::vector<std::int64_t> stamps;
    std::vector<double> values;
    for (qsizetype i = 0; i < points.keys.size(); ++i) {
        stamps.push_back(extent->start.nanoseconds()
            + static_cast<std::int64_t>(std::llround(points.keys[i] * 1e9)));
        values.push_back(points.values[i]);
    }
    core::store::Overview overview(*extent, OverviewBuckets);
    overview.add(stamps, values);
    overview.merge(m_scanned);
    return overview;
}

void HistoryPane::updateOverview()
{
    const core::store::Overview all = overview();
    std::vector<Timeline::Bucket> buckets;
    for (int b = 0; b < all.buckets(); ++b)
        if (!all.isEmpty(b))
            buckets.push_back({ all.startOf(b),
                b + 1 < all.buckets() ? all.startOf(b + 1) : all.range().end,
                all.min(b),
                all.max(b) });
    m_timeline->setOverview(std::move(buckets));
}

void HistoryPane::stepByChunk(int direction)
{
    const std::vector<core::Channel> channels = allChannels();
    const auto extent = m_timeline->extent();
    if (channels.empty() || !extent || !m_reader)
        return;
    if (const auto chunk = chunkStep(direction)) {
        if (*chunk != m_timeline->window())
            setWindow(windowShowing(*chunk, direction));
        return;
    }
    // The cache cannot tell where the chunk ends: read it (one iterator call), then step.
    const TimeRange window = m_timeline->window();
    const bool forward = direction > 0;
    startRead({ .range = forward ? TimeRange { window.end, extent->end }
                                 : TimeRange { extent->start, window.start },
        .chunkSize = m_chunkSize,
        .direction
        = forward ? core::store::ReadDirection::Forward : core::store::ReadDirection::Backward,
        .maxChunks = 1 });
    m_pendingStep = direction;
}

TimeRange HistoryPane::windowShowing(TimeRange chunk, int direction) const
{
    const core::TimeSpan length = m_timeline->window().span();
    return direction > 0 ? TimeRange { chunk.end - length, chunk.end }
                         : TimeRange { chunk.start, chunk.start + length };
}

std::optional<TimeRange> HistoryPane::chunkStep(int direction) const
{
    const std::vector<core::Channel> channels = allChannels();
    const auto extent = m_timeline->extent();
    if (channels.empty() || !extent)
        return std::nullopt;
    const core::ChannelKey key = channels.front().key;
    const TimeRange window = m_timeline->window();
    const auto count = [&](TimeRange range) {
        const auto stats = m_cache->stats(key, range);
        return stats ? static_cast<std::int64_t>(stats->count) : 0;
    };
    // The cached run of time next to the window, on the side of the step: its samples are
    // all the samples there are in it.
    std::optional<TimeRange> run;
    for (const TimeRange& covered : m_cache->covered(key))
        if (direction > 0 ? covered.start <= window.end && window.end < covered.end
                          : covered.start < window.start && window.start <= covered.end)
            run = direction > 0 ? TimeRange { window.end, covered.end }
                                : TimeRange { covered.start, window.start };
    const bool atEdge = direction > 0 ? window.end >= extent->end : window.start <= extent->start;
    if (!run)
        return atEdge ? std::optional(window) : std::nullopt; // nothing beyond, or unknown
    const std::int64_t available = count(*run);
    const bool reachesEdge = direction > 0 ? run->end >= extent->end : run->start <= extent->start;
    if (available < m_chunkSize && !reachesEdge)
        return std::nullopt; // the chunk may end beyond what is cached
    if (available == 0)
        return window; // nothing recorded beyond the window
    // As Iterator next()/prev() by chunk size: the next `chunkSize` samples after the window
    // (view = [old end, last + 1 ns)) or the `chunkSize` samples before it.
    const std::int64_t wanted = std::min(m_chunkSize, available);
    if (direction > 0) {
        std::int64_t low = window.end.nanoseconds();
        std::int64_t high = run->end.nanoseconds();
        while (low < high) { // smallest t with count([end, t)) >= wanted
            const std::int64_t mid = low + (high - low) / 2;
            if (count({ window.end, TimeStamp(mid) }) >= wanted)
                high = mid;
            else
                low = mid + 1;
        }
        return TimeRange { window.end, TimeStamp(low) };
    }
    std::int64_t low = run->start.nanoseconds();
    std::int64_t high = window.start.nanoseconds();
    while (low < high) { // largest t with count([t, start)) >= wanted
        const std::int64_t mid = low + (high - low + 1) / 2;
        if (count({ TimeStamp(mid), window.start }) >= wanted)
            low = mid;
        else
            high = mid - 1;
    }
    return TimeRange { TimeStamp(low), window.start };
}

void HistoryPane::play(double speed)
{
    m_speedFactor = speed;
    m_playClock.start();
    m_playTimer->start();
    const QSignalBlocker quiet(m_playButton); // reflect the state without re-entering play()
    m_playButton->setChecked(true);
    m_playButton->setText(tr("Pause"));
}

void HistoryPane::pause()
{
    m_playTimer->stop();
    const QSignalBlocker quiet(m_playButton);
    m_playButton->setChecked(false);
    m_playButton->setText(tr("Play"));
}

bool HistoryPane::playing() const { return m_playTimer->isActive(); }

void HistoryPane::advancePlayback()
{
    const qint64 elapsed = m_playClock.restart(); // wall time since the last step
    const auto extent = m_timeline->extent();
    if (!extent)
        return;
    const TimeRange window = m_timeline->window();
    const TimeSpan step(
        static_cast<std::int64_t>(static_cast<double>(elapsed) * 1e6 * m_speedFactor));
    if (window.end + step > extent->end) {
        if (!m_loop) {
            setWindow({ extent->end - window.span(), extent->end });
            pause();
            return;
        }
        setWindow({ extent->start, extent->start + window.span() });
        return;
    }
    setWindow({ window.start + step, window.end + step });
}

bool HistoryPane::writePdfPages(const QString& file,
    const QString& title,
    const std::vector<HistoryPlot*>& plots,
    QSize plotSize)
{
    // One plot a page: the local paper size in landscape, the plot scaled to fit its margins.
    QPdfWriter pdf(file);
    pdf.setTitle(title);
    pdf.setResolution(72); // one unit a point
    const bool letter = QLocale::system().measurementSystem() == QLocale::ImperialUSSystem;
    pdf.setPageLayout(QPageLayout(QPageSize(letter ? QPageSize::Letter : QPageSize::A4),
        QPageLayout::Landscape,
        QMarginsF(28, 28, 28, 28),
        QPageLayout::Point));
    const QRect page = pdf.pageLayout().paintRectPixels(pdf.resolution());
    const double scale = std::min(double(page.width()) / plotSize.width(),
        double(page.height()) / plotSize.height());
    QCPPainter painter;
    if (!painter.begin(&pdf))
        return false;
    for (std::size_t i = 0; i < plots.size(); ++i) {
        if (i > 0 && !pdf.newPage())
            return false;
        painter.save();
        painter.scale(scale, scale);
        plots[i]->plot()->toPainter(&painter, plotSize.width(), plotSize.height());
        painter.restore();
    }
    return painter.end();
}

core::Result<void> HistoryPane::exportImage(const QString& file,
    std::optional<std::size_t> onlyPlot)
{
    if (onlyPlot && *onlyPlot >= m_plots.size())
        return core::fail(u"sightline.export"_s,
            tr("There is no history plot %1").arg(*onlyPlot + 1));
    const std::vector<HistoryPlot*> plots
        = onlyPlot ? std::vector<HistoryPlot*> { m_plots[*onlyPlot] } : m_plots;
    if (plots.empty())
        return core::fail(u"sightline.export"_s, tr("There is no history plot to export"));
    const TimeRange window = m_timeline->window();
    const QString title = window.toHumanString(QTimeZone::utc());
    for (HistoryPlot* plot : plots) {
        plot->setExportDecorations(title);
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    const int width = std::max(800, plots.front()->width());
    const int each = std::max(300, plots.front()->height());
    const int height = each * static_cast<int>(plots.size());
    // Vector formats: every plot painted in turn onto one page.
    const auto paintAll = [&](QPaintDevice& device) {
        QCPPainter painter;
        if (!painter.begin(&device))
            return false;
        for (std::size_t i = 0; i < plots.size(); ++i) {
            painter.save();
            painter.translate(0, each * static_cast<double>(i));
            plots[i]->plot()->toPainter(&painter, width, each);
            painter.restore();
        }
        return painter.end();
    };
    bool ok = false;
    if (file.endsWith(u".pdf"_s, Qt::CaseInsensitive)) {
        ok = writePdfPages(file, title, plots, QSize(width, each));
    } else if (file.endsWith(u".svg"_s, Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setTitle(title);
        svg.setSize(QSize(width, height));
        svg.setViewBox(QRect(0, 0, width, height));
        ok = paintAll(svg) && QFileInfo(file).size() > 0;
    } else {
        QImage image(width, height, QImage::Format_ARGB32);
        image.fill(Qt::white);
        for (std::size_t i = 0; i < plots.size(); ++i) {
            const QPixmap part = plots[i]->plot()->toPixmap(width, each);
            QPainter painter(&image);
            painter.drawPixmap(0, each * static_cast<int>(i), part);
        }
        ok = image.save(file);
    }
    for (HistoryPlot* plot : plots) {
        plot->setExportDecorations(QString());
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    if (!ok)
        return core::fail(u"sightline.export"_s, tr("Cannot write %1").arg(file));
    return {};
}

TimeRange HistoryPane::selection() const
{
    if (!m_plots.empty() && m_plots.front()->cursorA() && m_plots.front()->cursorB()) {
        const TimeStamp a = *m_plots.front()->cursorA();
        const TimeStamp b = *m_plots.front()->cursorB();
        return { std::min(a, b), std::max(a, b) };
    }
    return m_timeline->window();
}

void HistoryPane::setRangeBands(std::vector<RangeBand> bands)
{
    m_rangeBands = std::move(bands);
    m_timeline->setRangeBands(m_rangeBands);
    for (HistoryPlot* plot : m_plots)
        plot->setRangeBands(m_rangeBands);
}

void HistoryPane::exportCsv(
    const QString& file, std::vector<core::Channel> channels, std::optional<TimeRange> over)
{
    if (!m_connection)
        return;
    if (channels.empty())
        channels = allChannels();
    const TimeRange range = over.value_or(selection());
    cancelExport();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_exportCancel = cancel;
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
    m_status->setText(tr("Exporting…"));
    QPointer<HistoryPane> self(this);
    auto connection = m_connection;
    const core::store::CsvExport request { range, channels, m_chunkSize };
    QThread* worker = QThread::create([self, connection, request, file, cancel] {
        QFile out(file);
        QString error;
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            error = tr("Cannot write %1: %2").arg(file, out.errorString());
        } else {
            auto rows = core::store::exportCsv(*connection, request, out, [&](double fraction) {
                QMetaObject::invokeMethod(qApp, [self, fraction] {
                    if (self)
                        self->m_progress->setValue(static_cast<int>(fraction * 1000));
                });
                return !cancel->load();
            });
            if (!rows)
                error = rows.error().message;
            // Flush and close before reporting, so the file is complete when we say so.
            out.close();
            if (error.isEmpty() && out.error() != QFileDevice::NoError)
                error = tr("Cannot write %1: %2").arg(file, out.errorString());
        }
        QMetaObject::invokeMethod(qApp, [self, file, error] {
            if (!self)
                return;
            self->m_progress->setVisible(false);
            self->m_cancel->setVisible(false);
            self->m_status->setText(error.isEmpty() ? tr("Exported %1").arg(file) : error);
            Q_EMIT self->exportFinished(file, error);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void HistoryPane::cancelExport()
{
    if (m_exportCancel)
        m_exportCancel->store(true);
    m_exportCancel.reset();
}

void HistoryPane::chooseExport()
{
    QMenu menu(this);
    const auto image = [this](const QString& suffix, std::optional<std::size_t> plot) {
        const QString file = QFileDialog::getSaveFileName(this,
            tr("Export %1").arg(suffix.toUpper()),
            u"history.%1"_s.arg(suffix),
            tr("%1 files (*.%2)").arg(suffix.toUpper(), suffix));
        if (!file.isEmpty())
            if (auto done = exportImage(file, plot); !done)
                m_status->setText(done.error().message);
    };
    for (const QString& suffix : { u"png"_s, u"svg"_s, u"pdf"_s }) {
        menu.addAction(tr("All plots as %1…").arg(suffix.toUpper()), this, [image, suffix] {
            image(suffix, std::nullopt);
        });
        if (m_plots.size() > 1)
            for (std::size_t i = 0; i < m_plots.size(); ++i)
                menu.addAction(tr("Plot %1 as %2…").arg(i + 1).arg(suffix.toUpper()),
                    this,
                    [image, suffix, i] { image(suffix, i); });
    }
    menu.addSeparator();
    menu.addAction(tr("Window (or A–B) as CSV…"), this, [this] {
        // Which channels: all of the plotted ones are ticked to start with.
        QDialog dialog(this);
        dialog.setWindowTitle(tr("Export CSV"));
        auto* list = new QListWidget(&dialog);
        for (const core::Channel& channel : allChannels()) {
            auto* item = new QListWidgetItem(channel.name, list);
            item->setData(Qt::UserRole, QVariant::fromValue(static_cast<quint32>(channel.key)));
            item->setCheckState(Qt::Checked);
        }
        auto* buttons
            = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
        connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        auto* layout = new QVBoxLayout(&dialog);
        layout->addWidget(new QLabel(tr("Channels to export:"), &dialog));
        layout->addWidget(list);
        layout->addWidget(buttons);
        if (dialog.exec() != QDialog::Accepted)
            return;
        std::vector<core::Channel> chosen;
        for (const core::Channel& channel : allChannels())
            for (int row = 0; row < list->count(); ++row)
                if (list->item(row)->checkState() == Qt::Checked
                    && list->item(row)->data(Qt::UserRole).toUInt() == channel.key)
                    chosen.push_back(channel);
        if (chosen.empty())
            return;
        const QString file = QFileDialog::getSaveFileName(this,
            tr("Export CSV"),
            u"history.csv"_s,
            tr("CSV files (*.csv)"));
        if (!file.isEmpty())
            exportCsv(file, chosen);
    });
    menu.exec(QCursor::pos());
}

} // namespace sightline::ui
