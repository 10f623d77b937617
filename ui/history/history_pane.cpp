#include "ui/history/history_pane.h"

#include "core/store/history_cache.h"
#include "ui/history/history_export.h"
#include "ui/history/history_plot.h"
#include "ui/history/timeline.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/plot_style.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using sightline::core::TimeRange;
using sightline::core::TimeStamp;

namespace sightline::ui {

namespace {
    const double Speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100 };
} // namespace

HistoryPane::HistoryPane(QWidget* parent)
    : QWidget(parent)
    , m_timeline(new Timeline(this))
    , m_status(new QLabel(this))
    , m_cacheUsage(new QLabel(this))
    , m_budget(new QComboBox(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
    , m_playButton(new QPushButton(tr("Play"), this))
    , m_speed(new QComboBox(this))
    , m_loopBox(new QCheckBox(tr("Loop"), this))
{
    auto* load = new QPushButton(tr("Load recorded range"), this);
    load->setObjectName(u"loadHistory"_s);
    connect(load, &QPushButton::clicked, this, [this] {
        m_status->setText(tr("Finding the recorded range…"));
        m_session.loadExtent();
    });
    m_playButton->setObjectName(u"play"_s);
    m_playButton->setCheckable(true);
    connect(m_playButton, &QPushButton::toggled, this, [this](bool on) {
        if (on)
            m_session.play(Speeds[m_speed->currentIndex()]);
        else
            m_session.pause();
    });
    for (const double speed : Speeds)
        m_speed->addItem(u"%1×"_s.arg(speed));
    m_speed->setCurrentIndex(3);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_session.setSpeed(Speeds[i]);
    });
    connect(m_loopBox, &QCheckBox::toggled, &m_session, &core::feed::HistorySession::setLoop);
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
        m_session.cancelRead();
        cancelExport();
        showProgress(false);
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

    connect(m_timeline,
        &Timeline::windowChanged,
        &m_session,
        &core::feed::HistorySession::setWindow);
    connect(m_timeline,
        &Timeline::chunkStepRequested,
        &m_session,
        &core::feed::HistorySession::stepByChunk);
    wireSession();
    connect(&m_csv, &core::feed::CsvFileExporter::progress, this, &HistoryPane::setProgress);
    connect(&m_csv, &core::feed::CsvFileExporter::finished, this, [this](const QString& file) {
        showProgress(false);
        m_status->setText(tr("Exported %1").arg(file));
        Q_EMIT exportFinished(file, QString());
    });
    connect(&m_csv,
        &core::feed::CsvFileExporter::failed,
        this,
        [this](const QString& file, const core::Error& error) {
            showProgress(false);
            m_status->setText(error.message);
            Q_EMIT exportFinished(file, error.message);
        });
}

HistoryPane::~HistoryPane() { cancelExport(); }

void HistoryPane::wireSession()
{
    using core::feed::HistorySession;
    connect(&m_session, &HistorySession::extentChanged, this, [this](auto extent) {
        m_timeline->setExtent(extent);
    });
    connect(&m_session, &HistorySession::extentLoaded, this, [this](auto extent) {
        if (extent)
            m_status->clear();
        else if (m_session.connection())
            m_status->setText(tr("Nothing recorded for these channels yet"));
    });
    connect(&m_session, &HistorySession::extentFailed, this, [this](const core::Error& error) {
        m_status->setText(tr("Cannot read the recorded range: %1").arg(error.message));
    });
    connect(&m_session, &HistorySession::windowChanged, this, [this](TimeRange window) {
        m_timeline->setWindow(window);
        redraw();
    });
    connect(&m_session, &HistorySession::cacheChanged, this, &HistoryPane::redraw);
    connect(&m_session, &HistorySession::overviewChanged, this, &HistoryPane::updateOverview);
    connect(&m_session, &HistorySession::readingChanged, this, [this](bool reading) {
        if (m_csv.running())
            return; // the export's progress stays
        showProgress(reading);
        m_status->setText(reading ? tr("Reading…") : QString());
    });
    connect(&m_session, &HistorySession::readProgress, this, [this](double fraction) {
        if (!m_csv.running())
            setProgress(fraction);
    });
    connect(&m_session, &HistorySession::readFailed, this, [this](const core::Error& error) {
        m_status->setText(tr("Read failed: %1").arg(error.message));
    });
    connect(&m_session, &HistorySession::playingChanged, this, [this](bool playing) {
        const QSignalBlocker quiet(m_playButton); // reflect the state without re-entering
        m_playButton->setChecked(playing);
        m_playButton->setText(playing ? tr("Pause") : tr("Play"));
    });
}

void HistoryPane::attach(std::shared_ptr<core::client::Connection> connection)
{
    cancelExport();
    m_session.attach(std::move(connection));
}

void HistoryPane::detach()
{
    cancelExport();
    m_session.detach();
}

void HistoryPane::setPlots(const std::vector<std::vector<core::Channel>>& plots,
    const std::vector<std::vector<int>>& axes)
{
    for (HistoryPlot* plot : m_plots)
        delete plot;
    m_plots.clear();
    std::vector<core::Channel> all;
    for (const auto& channels : plots) {
        auto* plot = new HistoryPlot(this);
        plot->plot()->setFocusPolicy(Qt::ClickFocus); // clicked, its unused keys step the window
        plot->setColors(m_colors);
        if (m_theme)
            plot->setTheme(*m_theme);
        plot->setChannels(channels);
        if (const std::size_t i = m_plots.size(); i < axes.size())
            for (std::size_t j = 0; j < channels.size() && j < axes[i].size(); ++j)
                if (axes[i][j] % 2 == 1) // R1 and R2: the right side, as on the live plot
                    plot->setChannelOnRightAxis(channels[j].key, true);
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
        all.insert(all.end(), channels.begin(), channels.end());
    }
    m_session.setChannels(all);
}

void HistoryPane::setColors(ChannelColors* colors)
{
    m_colors = colors;
    for (HistoryPlot* plot : m_plots)
        plot->setColors(colors);
    updateOverview();
}

void HistoryPane::setTheme(const PlotTheme& theme)
{
    m_theme = theme;
    for (HistoryPlot* plot : m_plots)
        plot->setTheme(theme);
}

void HistoryPane::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_session.setFollowing(true);
}

void HistoryPane::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_session.setFollowing(false);
}

void HistoryPane::keyPressEvent(QKeyEvent* event)
{
    if (m_timeline->stepByKey(*event))
        event->accept();
    else
        QWidget::keyPressEvent(event);
}

void HistoryPane::setProgress(double fraction)
{
    const int value = static_cast<int>(fraction * 1000);
    if (value == m_progress->value())
        return;
    // QProgressBar::setValue repaints at once, and a synchronous paint paints every widget
    // of the window waiting to be painted (the plots a partial read just changed), inside
    // the delivery of the read's chunk: the GUI thread's longest stalls while reading. With
    // updates off it only asks for a paint (turning them on again does), done with the
    // window's next one.
    m_progress->setUpdatesEnabled(false);
    m_progress->setValue(value);
    m_progress->setUpdatesEnabled(true);
}

void HistoryPane::showProgress(bool visible)
{
    if (visible)
        m_progress->setValue(0);
    m_progress->setVisible(visible);
    m_cancel->setVisible(visible);
}

void HistoryPane::setCacheBudget(std::size_t bytes)
{
    m_session.setCacheBudget(bytes);
    bytes = m_session.cache().budgetBytes();
    const QVariant budgetItem = QVariant::fromValue<qulonglong>(bytes);
    if (m_budget->findData(budgetItem) < 0) // a budget from settings or code that the list lacks
        m_budget->addItem(tr("%1 cache").arg(formatBytes(bytes)), budgetItem);
    m_budget->setCurrentIndex(m_budget->findData(budgetItem));
    updateCacheUsage();
}

void HistoryPane::updateCacheUsage()
{
    const core::store::HistoryCache& cache = m_session.cache();
    m_cacheUsage->setText(
        tr("cache %1 of %2")
            .arg(formatBytes(cache.memoryBytes()), formatBytes(cache.budgetBytes())));
}

void HistoryPane::redraw()
{
    updateCacheUsage();
    for (HistoryPlot* plot : m_plots)
        plot->refresh(m_session.cache(), m_session.window());
}

void HistoryPane::updateOverview()
{
    std::vector<Timeline::Envelope> envelopes;
    for (const core::Channel& channel : m_session.channels()) {
        const core::store::Overview overview = m_session.overview(channel.key);
        Timeline::Envelope envelope;
        envelope.color
            = m_colors != nullptr ? m_colors->colorFor(channel.name) : QColor(43, 108, 176);
        for (int b = 0; b < overview.buckets(); ++b)
            if (!overview.isEmpty(b))
                envelope.buckets.push_back({ overview.startOf(b),
                    b + 1 < overview.buckets() ? overview.startOf(b + 1) : overview.range().end,
                    overview.min(b),
                    overview.max(b) });
        if (!envelope.buckets.empty())
            envelopes.push_back(std::move(envelope));
    }
    m_timeline->setOverview(std::move(envelopes));
}

TimeRange HistoryPane::selection() const
{
    if (!m_plots.empty() && m_plots.front()->cursorA() && m_plots.front()->cursorB()) {
        const TimeStamp a = *m_plots.front()->cursorA();
        const TimeStamp b = *m_plots.front()->cursorB();
        return { std::min(a, b), std::max(a, b) };
    }
    return m_session.window();
}

void HistoryPane::setRangeBands(std::vector<RangeBand> bands)
{
    m_rangeBands = std::move(bands);
    m_timeline->setRangeBands(m_rangeBands);
    for (HistoryPlot* plot : m_plots)
        plot->setRangeBands(m_rangeBands);
}

core::Result<void> HistoryPane::exportImage(const QString& file,
    std::optional<std::size_t> onlyPlot)
{
    if (onlyPlot && *onlyPlot >= m_plots.size())
        return core::fail(u"sightline.export"_s,
            tr("There is no history plot %1").arg(*onlyPlot + 1));
    const std::vector<HistoryPlot*> plots
        = onlyPlot ? std::vector<HistoryPlot*> { m_plots[*onlyPlot] } : m_plots;
    return history_export::writeImage(plots,
        file,
        m_session.window().toHumanString(QTimeZone::utc()));
}

void HistoryPane::exportCsv(
    const QString& file, std::vector<core::Channel> channels, std::optional<TimeRange> over)
{
    if (!m_session.connection()) { // said, not silently skipped
        const QString error = tr("Cannot export %1: not connected to a cluster").arg(file);
        m_status->setText(error);
        Q_EMIT exportFinished(file, error);
        return;
    }
    if (channels.empty())
        channels = m_session.channels();
    showProgress(true);
    m_status->setText(tr("Exporting…"));
    m_csv.start(m_session.connection(),
        { over.value_or(selection()), std::move(channels), m_session.chunkSize() },
        file);
}

void HistoryPane::cancelExport() { m_csv.cancel(); }

void HistoryPane::chooseExport()
{
    QMenu menu(this);
    const auto image = [this](const QString& suffix, std::optional<std::size_t> plot) {
        const QString file = history_export::chooseFile(this,
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
        const auto chosen = history_export::chooseChannels(this, m_session.channels());
        if (!chosen)
            return;
        const QString file = history_export::chooseFile(this,
            tr("Export CSV"),
            u"history.csv"_s,
            tr("CSV files (*.csv)"));
        if (!file.isEmpty())
            exportCsv(file, *chosen);
    });
    menu.exec(QCursor::pos());
}

} // namespace sightline::ui
