#include "ui/history/history_plot.h"

#include "core/store/history_cache.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/dense_graph.h"
#include "ui/plot/legend_area.h"
#include "ui/plot/opaque_plot.h"
#include "ui/plot/plot_style.h"
#include "ui/plot/time_ticker.h"

#include <QLabel>
#include <QMenu>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using sightline::core::TimeRange;
using sightline::core::TimeSpan;
using sightline::core::TimeStamp;

namespace sightline::ui {

namespace {
    /// Fewer points than one per this many pixel columns: samples are marked.
    constexpr qsizetype SparsePixelsPerPoint = 8;
} // namespace

HistoryPlot::HistoryPlot(QWidget* parent)
    : QWidget(parent)
    , m_plot(new OpaquePlot(this))
    , m_bands(std::make_unique<RangeBands>(m_plot))
    , m_legendArea(new LegendArea(2, this))
    , m_legend(m_legendArea->strip())
    , m_stats(new QLabel(this))
    , m_ticker(new TimeTicker())
{
    m_plot->xAxis->setTicker(m_ticker);
    m_plot->xAxis->setLabel(
        tr("Time (%1)").arg(m_ticker->zone().abbreviation(QDateTime::currentDateTime())));
    m_plot->xAxis->grid()->setZeroLinePen(Qt::NoPen);
    showAxis(*m_plot->xAxis2, false);
    showAxis(*m_plot->yAxis2, false); // shown while a channel uses it
    m_plot->legend->setVisible(false); // the legend strip above the plot replaces it
    m_plot->setAutoAddPlottableToLegend(false); // hidden, its items were still laid out
    connect(m_legend, &LegendStrip::entryClicked, this, [this](quint32 key) {
        for (std::size_t i = 0; i < m_channels.size(); ++i)
            if (m_channels[i].key == key) {
                QCPGraph* graph = m_plot->graph(static_cast<int>(i));
                graph->setVisible(!graph->visible());
                m_legend->setHidden(key, !graph->visible());
            }
        autoscale();
        m_plot->present();
    });
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &HistoryPlot::showContextMenu);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setMinimumHeight(160);
    for (QCPItemStraightLine** line : { &m_lineA, &m_lineB }) {
        *line = new QCPItemStraightLine(m_plot);
        (*line)->setPen(
            QPen(line == &m_lineA ? QColor(0, 140, 70) : QColor(170, 0, 120), 1.5, Qt::DashLine));
        (*line)->setVisible(false);
    }
    m_hoverLine = new QCPItemStraightLine(m_plot);
    m_hoverLine->setPen(QPen(QColor(120, 120, 120), 1, Qt::DotLine));
    m_hoverLine->setVisible(false);
    m_readout = addReadoutBox(m_plot);
    m_stats->setObjectName(u"cursorStats"_s);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stats->setVisible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_legendArea);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_stats);
}

HistoryPlot::~HistoryPlot() = default;

void HistoryPlot::setChannels(std::vector<core::Channel> channels)
{
    m_plot->clearGraphs();
    m_channels = std::move(channels);
    m_points.assign(m_channels.size(), {});
    for (std::size_t i = 0; i < m_channels.size(); ++i) {
        auto* graph = new DenseGraph(m_plot->xAxis, m_plot->yAxis); // the plot owns it
        graph->setName(m_channels[i].name);
    }
    applyColors();
}

void HistoryPlot::applyColors()
{
    for (std::size_t i = 0; i < m_channels.size(); ++i)
        m_plot->graph(static_cast<int>(i))
            ->setPen(tracePen(channelColor(m_colors, m_channels[i].name, i)));
    updateLegendEntries();
}

void HistoryPlot::updateLegendEntries()
{
    std::vector<LegendEntry> entries;
    for (std::size_t i = 0; i < m_channels.size(); ++i) {
        const QCPGraph* graph = m_plot->graph(static_cast<int>(i));
        entries.push_back(LegendEntry { m_channels[i].key,
            m_channels[i].name,
            formatValue(std::numeric_limits<double>::quiet_NaN()),
            graph->valueAxis() == m_plot->yAxis2 ? u"R1"_s : u"L1"_s,
            graph->pen().color(),
            !graph->visible(),
            false });
    }
    m_legendArea->setEntries(entries);
}

void HistoryPlot::setColors(ChannelColors* colors)
{
    if (m_colors != nullptr)
        disconnect(m_colors, nullptr, this, nullptr);
    m_colors = colors;
    if (m_colors != nullptr)
        connect(m_colors, &ChannelColors::colorChanged, this, [this] {
            applyColors();
            m_plot->present();
        });
    applyColors();
}

void HistoryPlot::setTheme(const PlotTheme& theme)
{
    m_theme = theme;
    applyTheme(*m_plot, theme);
    applyTheme(*m_readout, theme);
    m_hoverLine->setPen(QPen(theme.cursor, 1, Qt::DotLine));
    m_plot->present();
}

void HistoryPlot::setRangeBands(std::vector<RangeBand> bands)
{
    m_bands->set(std::move(bands));
    m_bands->place([this](TimeStamp t) { return m_axis.keyOf(t); }, TimeStamp::now());
    m_plot->present();
}

void HistoryPlot::refresh(core::store::HistoryCache& cache, TimeRange window)
{
    m_cache = &cache;
    if (window.isEmpty())
        return;
    // The origin follows the window so keys stay small (exact at any zoom).
    m_axis = core::TimeAxis(window.start);
    m_window = window;
    m_ticker->setAxis(m_axis);
    const int columns = std::max(1, m_plot->axisRect()->width());
    for (std::size_t i = 0; i < m_channels.size(); ++i) {
        core::decimate::PlotPoints& points = m_points[i];
        // A step over five typical ones is a gap in the recording: the line breaks there.
        const auto step = cache.typicalStep(m_channels[i].key);
        cache.view(m_channels[i].key,
            window.start.nanoseconds(),
            window.end.nanoseconds(),
            columns,
            m_axis.origin().nanoseconds(),
            step ? 5 * std::max<std::int64_t>(*step, 1)
                 : std::numeric_limits<std::int64_t>::max() / 4,
            points);
        QCPGraph* graph = m_plot->graph(static_cast<int>(i));
        graph->setData(points.keys, points.values, true);
        graph->setAntialiased(points.keys.size() < columns);
        // Zoomed in to a few samples: mark each one, so single samples can be told apart.
        const bool few = points.keys.size() * SparsePixelsPerPoint < columns;
        if ((graph->scatterStyle().shape() == QCPScatterStyle::ssDisc) != few)
            graph->setScatterStyle(
                few ? QCPScatterStyle(QCPScatterStyle::ssDisc, 5) : QCPScatterStyle());
    }
    m_plot->xAxis->setRange(0, m_axis.keyOf(window.end));
    m_bands->place([this](TimeStamp t) { return m_axis.keyOf(t); }, TimeStamp::now());
    autoscale();
    updateLegend();
    if (m_hover && !window.contains(*m_hover))
        setHover(std::nullopt); // the window moved away from where the mouse was
    for (auto [line, at] : { std::pair { m_lineA, m_a }, std::pair { m_lineB, m_b } }) {
        line->setVisible(at.has_value());
        if (at) {
            line->point1->setCoords(m_axis.keyOf(*at), 0);
            line->point2->setCoords(m_axis.keyOf(*at), 1);
        }
    }
    updateStats(cache);
    m_plot->present();
}

void HistoryPlot::autoscale()
{
    for (QCPAxis* axis : { m_plot->yAxis, m_plot->yAxis2 }) {
        // Only what lies in the window: M4 adds the samples just outside it.
        const AxisData drawn = dataOn(*m_plot, axis, QCPRange(0, m_axis.keyOf(m_window.end)));
        if (axis == m_plot->yAxis2) {
            showAxis(*axis, drawn.used); // an unused right axis is hidden
            if (!drawn.used)
                continue;
        }
        if (drawn.values) {
            const double margin = std::max(1e-9, drawn.values->size() * 0.06);
            axis->setRange(drawn.values->lower - margin, drawn.values->upper + margin);
        }
    }
}

void HistoryPlot::updateLegend()
{
    if (m_cache == nullptr)
        return;
    // The value held at the hover cursor, or else at the end of the window.
    const TimeStamp at = m_hover ? *m_hover : m_window.end - TimeSpan(1);
    for (std::size_t i = 0; i < m_channels.size(); ++i) {
        const auto held = m_cache->atOrBefore(m_channels[i].key, at);
        const double value = held ? held->value : std::numeric_limits<double>::quiet_NaN();
        m_legend->setValue(m_channels[i].key, formatValue(value), false);
    }
}

void HistoryPlot::setChannelOnRightAxis(core::ChannelKey key, bool right)
{
    for (std::size_t i = 0; i < m_channels.size(); ++i)
        if (m_channels[i].key == key)
            m_plot->graph(static_cast<int>(i))
                ->setValueAxis(right ? m_plot->yAxis2 : m_plot->yAxis);
    updateLegendEntries();
    autoscale();
    m_plot->present();
}

bool HistoryPlot::isOnRightAxis(core::ChannelKey key) const
{
    for (std::size_t i = 0; i < m_channels.size(); ++i)
        if (m_channels[i].key == key)
            return m_plot->graph(static_cast<int>(i))->valueAxis() == m_plot->yAxis2;
    return false;
}

void HistoryPlot::showContextMenu(const QPoint& at)
{
    QMenu menu(this);
    for (const core::Channel& channel : m_channels) {
        const core::ChannelKey key = channel.key;
        const bool right = isOnRightAxis(key);
        menu.addAction(right ? tr("Move %1 to the left axis").arg(channel.name)
                             : tr("Move %1 to the right axis").arg(channel.name),
            this,
            [this, key, right] { setChannelOnRightAxis(key, !right); });
    }
    if (!menu.isEmpty())
        menu.exec(m_plot->mapToGlobal(at));
}

const core::decimate::PlotPoints* HistoryPlot::points(core::ChannelKey key) const
{
    for (std::size_t i = 0; i < m_channels.size(); ++i)
        if (m_channels[i].key == key)
            return &m_points[i];
    return nullptr;
}

void HistoryPlot::setCursors(std::optional<TimeStamp> a, std::optional<TimeStamp> b)
{
    m_a = a;
    m_b = b;
    if (m_cache != nullptr)
        updateStats(*m_cache);
}

QString HistoryPlot::statsText() const
{
    return m_stats->isVisible() ? m_stats->text() : QString();
}

void HistoryPlot::updateStats(core::store::HistoryCache& cache)
{
    // Only while the window shows some of A–B: statistics of what is out of sight would
    // read as if they were about what is shown.
    const bool inSight = m_a && m_b && !m_window.isEmpty() && std::max(*m_a, *m_b) >= m_window.start
        && std::min(*m_a, *m_b) < m_window.end;
    if (!inSight || m_channels.empty()) {
        m_stats->setVisible(false);
        m_stats->clear();
        return;
    }
    const TimeRange between { std::min(*m_a, *m_b), std::max(*m_a, *m_b) };
    const double dt = static_cast<double>(between.span().nanoseconds()) / 1e9;
    QStringList lines { tr("A→B  Δt = %1 s").arg(formatValue(dt)) };
    for (const core::Channel& channel : m_channels) {
        const auto a = cache.atOrBefore(channel.key, *m_a);
        const auto b = cache.atOrBefore(channel.key, *m_b);
        const auto stats = cache.stats(channel.key, between);
        const double dy = a && b ? b->value - a->value : std::numeric_limits<double>::quiet_NaN();
        QString line = tr("%1: Δy = %2, slope = %3 /s")
                           .arg(channel.name, formatValue(dy), formatValue(dt > 0 ? dy / dt : NAN));
        if (stats)
            line += tr(", min %1, max %2, mean %3, count %4")
                        .arg(formatValue(stats->min),
                            formatValue(stats->max),
                            formatValue(stats->mean))
                        .arg(stats->count);
        else
            line += tr(", no samples between the cursors");
        lines << line;
    }
    m_stats->setText(lines.join(u'\n'));
    m_stats->setVisible(true);
}

void HistoryPlot::setHover(std::optional<TimeStamp> at)
{
    m_hover = at;
    updateLegend();
    m_hoverLine->setVisible(at.has_value());
    m_readout->setVisible(at.has_value() && m_cache != nullptr);
    if (at) {
        m_hoverLine->point1->setCoords(m_axis.keyOf(*at), 0);
        m_hoverLine->point2->setCoords(m_axis.keyOf(*at), 1);
        if (m_cache != nullptr) {
            QStringList lines { m_ticker->label(m_axis.keyOf(*at), 3) };
            for (const core::Channel& channel : m_channels)
                // Sample and hold: the last sample at or before the cursor, with its time.
                if (const auto held = m_cache->atOrBefore(channel.key, *at))
                    lines << readoutLine(channel.name,
                        held->value,
                        m_ticker->label(m_axis.keyOf(held->stamp), 3));
            m_readout->setText(lines.join(u'\n'));
        }
    }
    m_plot->present();
}

QString HistoryPlot::readoutText() const
{
    return m_readout->visible() ? m_readout->text() : QString();
}

void HistoryPlot::setExportDecorations(const QString& title)
{
    for (QCPLayoutElement* element : m_exportElements)
        m_plot->plotLayout()->remove(element);
    m_exportElements.clear();
    m_plot->plotLayout()->simplify();
    const bool exporting = !title.isEmpty();
    m_hoverLine->setVisible(!exporting && m_hover.has_value());
    m_readout->setVisible(!exporting && m_hover.has_value() && m_cache != nullptr);
    if (exporting) {
        m_plot->plotLayout()->insertRow(0);
        const QColor text = m_theme.foreground.isValid() ? m_theme.foreground : QColor(Qt::black);
        auto* heading = new QCPTextElement(m_plot, title, QFont(font().family(), 10));
        heading->setTextColor(text); // readable on a dark theme's background too
        m_plot->plotLayout()->addElement(0, 0, heading);
        m_exportElements.push_back(heading);
        if (const QString stats = statsText(); !stats.isEmpty()) {
            const int row = m_plot->plotLayout()->rowCount();
            m_plot->plotLayout()->insertRow(row);
            auto* footer = new QCPTextElement(m_plot, stats, QFont(font().family(), 8));
            footer->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
            footer->setTextColor(text);
            m_plot->plotLayout()->addElement(row, 0, footer);
            m_exportElements.push_back(footer);
        }
    }
    m_plot->present();
}

bool HistoryPlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::MouseButtonPress) {
        const auto* press = static_cast<QMouseEvent*>(event);
        if (press->button() == Qt::LeftButton
            && m_plot->axisRect()->rect().contains(press->pos())) {
            const TimeStamp at = m_axis.timeOf(m_plot->xAxis->pixelToCoord(press->pos().x()));
            if (press->modifiers().testFlag(Qt::ShiftModifier))
                m_b = at;
            else
                m_a = at;
            Q_EMIT cursorsMoved(m_a, m_b);
        }
    }
    if (watched == m_plot && event->type() == QEvent::MouseMove) {
        const auto* move = static_cast<QMouseEvent*>(event);
        Q_EMIT hovered(m_axis.timeOf(m_plot->xAxis->pixelToCoord(move->pos().x())));
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace sightline::ui
