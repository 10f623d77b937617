#include "ui/plot/live_plot.h"

#include "ui/models/channel_model.h"
#include "ui/plot/axis_dialog.h"
#include "ui/plot/channel_colors.h"
#include "ui/plot/dense_graph.h"
#include "ui/plot/legend_area.h"
#include "ui/plot/limit_line_dialog.h"
#include "ui/plot/limit_line_items.h"
#include "ui/plot/opaque_plot.h"
#include "ui/plot/time_ticker.h"
#include "ui/plot/trace_canvas.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using sightline::core::TimeSpan;
using sightline::core::TimeStamp;

namespace sightline::ui {

namespace {

    /// Wheel steps closer together than this are one zoom to undo.
    constexpr qint64 WheelGestureMs = 700;
    /// How close (pixels) the mouse must be to a limit line to grab it.
    constexpr double LimitGrabPx = 5;
    /// The legend strip shows at most this many rows before it scrolls.
    constexpr int LegendRows = 3;
    /// While following live, the legend's values change at most this often: digits that
    /// change 60 times a second cannot be read (instruments show 2 to 10 readings a second),
    /// and their text was a tenth of a busy frame.
    constexpr qint64 LegendValueMs = 100;
    /// Undo keeps this many views.
    constexpr std::size_t UndoDepth = 50;
    /// The drawing area is never shorter than this, so tick labels never overlap.
    constexpr int MinimumPlotHeight = 140;

    QString windowName(TimeSpan span)
    {
        const std::int64_t s = span.nanoseconds() / 1'000'000'000;
        if (s % 60 == 0 && s >= 60)
            return LivePlot::tr("%1 min").arg(s / 60);
        return LivePlot::tr("%1 s").arg(s);
    }

    QString elided(const QString& text, int length)
    {
        return text.size() <= length ? text : text.left(length - 1) + u'…';
    }

} // namespace

const std::vector<TimeSpan>& LivePlot::standardWindows()
{
    static const std::vector<TimeSpan> windows { TimeSpan::seconds(10),
        TimeSpan::seconds(30),
        TimeSpan::minutes(1),
        TimeSpan::minutes(5),
        TimeSpan::minutes(15),
        TimeSpan::minutes(30) };
    return windows;
}

LivePlot::LivePlot(QWidget* parent)
    : QWidget(parent)
    , m_plot(new OpaquePlot(this))
    , m_bands(std::make_unique<RangeBands>(m_plot))
    , m_legendArea(new LegendArea(LegendRows, this))
    , m_legend(m_legendArea->strip())
    , m_ticker(new TimeTicker())
    , m_limitItems(std::make_unique<LimitLineItems>(m_plot))
    , m_theme(PlotTheme::fromPalette(palette()))
{
    m_axis
        = core::TimeAxis(TimeStamp(TimeStamp::now().nanoseconds() / 1'000'000'000 * 1'000'000'000));
    m_ticker->setAxis(m_axis);
    setAcceptDrops(true);
    m_plot->setMinimumHeight(MinimumPlotHeight);
    setupToolbar();
    setupPlot();

    connect(m_legend, &LegendStrip::entryClicked, this, [this](quint32 key) {
        setTraceVisible(key, !isTraceVisible(key));
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2); // room for the current-plot frame
    layout->setSpacing(1);
    auto* bar = new QHBoxLayout();
    bar->setContentsMargins(4, 0, 4, 0);
    bar->addWidget(new QLabel(tr("Window"), this));
    bar->addWidget(m_windowBox);
    bar->addStretch(1);
    bar->addWidget(m_cue);
    bar->addWidget(m_liveButton);
    bar->addWidget(m_undoButton);
    bar->addWidget(m_closeButton);
    layout->addLayout(bar);
    layout->addWidget(m_legendArea);
    layout->addWidget(m_plot, 1);
    setTheme(m_theme);
    updateFollowCue();
    updateAxes();
}

LivePlot::~LivePlot() = default;

void LivePlot::setupToolbar()
{
    m_windowBox = new QComboBox(this);
    m_windowBox->setObjectName(u"windowBox"_s);
    for (const TimeSpan span : standardWindows())
        m_windowBox->addItem(windowName(span), QVariant::fromValue<qlonglong>(span.nanoseconds()));
    m_windowBox->setCurrentIndex(1);
    connect(m_windowBox, &QComboBox::activated, this, [this](int index) {
        setWindow(TimeSpan(m_windowBox->itemData(index).toLongLong()));
        Q_EMIT windowChanged(m_window);
    });
    m_cue = new QLabel(tr("Not following live"), this);
    m_cue->setObjectName(u"notFollowingCue"_s);
    m_liveButton = new QPushButton(tr("Jump to live"), this);
    m_liveButton->setObjectName(u"jumpToLive"_s);
    m_liveButton->setToolTip(tr("Follow live data again (End)"));
    connect(m_liveButton, &QPushButton::clicked, this, &LivePlot::jumpToLive);
    m_undoButton = new QToolButton(this);
    m_undoButton->setObjectName(u"undoZoom"_s);
    m_undoButton->setText(u"↶"_s);
    m_undoButton->setToolTip(tr("Undo the last zoom or pan (Backspace)"));
    m_undoButton->setAutoRaise(true);
    m_undoButton->setEnabled(false);
    connect(m_undoButton, &QToolButton::clicked, this, &LivePlot::undoZoom);
    m_closeButton = new QToolButton(this);
    m_closeButton->setObjectName(u"removePlot"_s);
    m_closeButton->setText(u"✕"_s);
    m_closeButton->setToolTip(tr("Remove this plot"));
    m_closeButton->setAutoRaise(true);
    connect(m_closeButton, &QToolButton::clicked, this, &LivePlot::closeRequested);
}

void LivePlot::setupPlot()
{
    m_canvas = new TraceCanvas(m_plot); // before any trace: the canvas lies below them
    QCPAxisRect* rect = m_plot->axisRect();
    m_yAxes = { m_plot->yAxis,
        m_plot->yAxis2,
        rect->addAxis(QCPAxis::atLeft),
        rect->addAxis(QCPAxis::atRight) };
    for (int axis = 0; axis < MaxYAxes; ++axis) {
        QCPAxis* y = m_yAxes[static_cast<std::size_t>(axis)];
        showAxis(*y, axis == 0); // the others while a channel uses them (updateAxes)
        y->grid()->setVisible(axis == 0);
        connect(y, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this, axis] {
            onYRangeChanged(axis);
        });
    }
    showAxis(*m_plot->xAxis2, false);
    m_plot->xAxis->setTicker(m_ticker);
    m_plot->xAxis->setLabel(
        tr("Time (%1)").arg(m_ticker->zone().abbreviation(QDateTime::currentDateTime())));
    connect(m_plot->xAxis,
        qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
        this,
        &LivePlot::onXRangeChanged);
    m_plot->legend->setVisible(false); // the legend strip above the plot replaces it
    m_plot->setAutoAddPlottableToLegend(false); // hidden, its items were still laid out
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    rect->setRangeDragAxes({ m_plot->xAxis }, {});
    m_plot->setSelectionRectMode(QCP::srmNone);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &LivePlot::showContextMenu);

    m_cursorLine = new QCPItemStraightLine(m_plot);
    m_cursorLine->setLayer(overlayLayer(m_plot));
    m_cursorLine->setVisible(false);
    m_readout = addReadoutBox(m_plot);
    m_readout->position->setType(QCPItemPosition::ptAbsolute);
    m_emptyHint = new QCPItemText(m_plot);
    m_emptyHint->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyHint->position->setCoords(0.5, 0.5);
    m_emptyHint->setText(tr("Drop or tick channels here"));
    QFont hintFont = m_emptyHint->font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.3);
    m_emptyHint->setFont(hintFont);

    m_shortWindowNote = new QCPItemText(m_plot);
    m_shortWindowNote->setLayer(overlayLayer(m_plot));
    m_shortWindowNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_shortWindowNote->position->setCoords(0.01, 0.02);
    m_shortWindowNote->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_shortWindowNote->setVisible(false);
}

void LivePlot::setColors(ChannelColors* colors)
{
    if (m_colors != nullptr)
        disconnect(m_colors, nullptr, this, nullptr);
    m_colors = colors;
    if (m_colors != nullptr)
        connect(m_colors, &ChannelColors::colorChanged, this, [this](const QString& name) {
            for (Trace& trace : m_traces)
                if (trace.channel.name == name)
                    trace.graph->setPen(tracePen(colorFor(trace.channel)));
            updateAxes();
            m_plot->present();
        });
    for (Trace& trace : m_traces)
        trace.graph->setPen(tracePen(colorFor(trace.channel)));
    updateAxes();
}

QColor LivePlot::colorFor(const core::Channel& channel) const
{
    const auto at = std::find_if(m_traces.begin(), m_traces.end(), [&](const Trace& t) {
        return t.channel.key == channel.key;
    });
    return channelColor(m_colors, channel.name, static_cast<std::size_t>(at - m_traces.begin()));
}

void LivePlot::setTheme(const PlotTheme& theme)
{
    m_theme = theme;
    applyTheme(*m_plot, theme);
    applyTheme(*m_readout, theme);
    m_cursorLine->setPen(QPen(theme.cursor, 1, Qt::DashLine));
    m_emptyHint->setColor(theme.hint);
    m_shortWindowNote->setColor(theme.hint);
    m_legend->setWarningColor(theme.warning);
    m_cue->setStyleSheet(u"color: %1; font-weight: bold;"_s.arg(theme.warning.name()));
    updateAxes();
    updateLimits();
    m_plot->present();
}

void LivePlot::setCurrent(bool current)
{
    if (m_current == current)
        return;
    m_current = current;
    update();
}

void LivePlot::setRemovable(bool removable)
{
    m_closeButton->setEnabled(removable);
    m_closeButton->setToolTip(
        removable ? tr("Remove this plot") : tr("The last plot cannot be removed"));
}

void LivePlot::paintEvent(QPaintEvent* event)
{
    QWidget::paintEvent(event);
    if (!m_current)
        return;
    QPainter painter(this);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
    painter.drawRect(rect().adjusted(1, 1, -1, -1));
}

void LivePlot::addChannel(const core::Channel& channel, int axis)
{
    if (hasChannel(channel.key)) {
        setChannelAxis(channel.key, axis);
        return;
    }
    Trace trace;
    trace.channel = channel;
    trace.axis = std::clamp(axis, 0, MaxYAxes - 1);
    // The plot owns the graph. M4 already left at most four points a column; DenseGraph
    // fills each column's run.
    trace.graph = new DenseGraph(m_plot->xAxis, m_yAxes[static_cast<std::size_t>(trace.axis)]);
    trace.graph->setName(channel.name);
    trace.graph->setAdaptiveSampling(false);
    trace.graph->setCanvas(m_canvas);
    trace.shownValue = std::numeric_limits<double>::quiet_NaN();
    m_traces.push_back(std::move(trace));
    m_traces.back().graph->setPen(tracePen(colorFor(channel)));
    updateAxes();
}

void LivePlot::removeChannel(core::ChannelKey key)
{
    const auto found = std::find_if(m_traces.begin(), m_traces.end(), [key](const Trace& t) {
        return t.channel.key == key;
    });
    if (found == m_traces.end())
        return;
    m_plot->removeGraph(found->graph);
    m_traces.erase(found);
    updateAxes();
    updateLimits();
    m_plot->present();
}

std::vector<core::ChannelKey> LivePlot::channelKeys() const
{
    std::vector<core::ChannelKey> keys;
    for (const Trace& trace : m_traces)
        keys.push_back(trace.channel.key);
    return keys;
}

bool LivePlot::hasChannel(core::ChannelKey key) const { return traceOf(key) != nullptr; }

LivePlot::Trace* LivePlot::traceOf(core::ChannelKey key)
{
    for (Trace& trace : m_traces)
        if (trace.channel.key == key)
            return &trace;
    return nullptr;
}

const LivePlot::Trace* LivePlot::traceOf(core::ChannelKey key) const
{
    for (const Trace& trace : m_traces)
        if (trace.channel.key == key)
            return &trace;
    return nullptr;
}

void LivePlot::setWindow(TimeSpan window)
{
    if (window.nanoseconds() <= 0)
        return;
    m_window = window;
    int index = m_windowBox->findData(QVariant::fromValue<qlonglong>(window.nanoseconds()));
    if (index < 0) {
        m_windowBox->addItem(windowName(window),
            QVariant::fromValue<qlonglong>(window.nanoseconds()));
        index = m_windowBox->count() - 1;
    }
    m_windowBox->setCurrentIndex(index);
    if (!m_following) {
        const double end = m_plot->xAxis->range().upper;
        setRangeQuietly(m_plot->xAxis, end - static_cast<double>(window.nanoseconds()) / 1e9, end);
    }
}

void LivePlot::jumpToLive()
{
    m_following = true;
    updateFollowCue();
}

void LivePlot::freeze()
{
    if (!m_following)
        return;
    m_following = false;
    updateFollowCue();
}

void LivePlot::setManualYRange(std::optional<std::pair<double, double>> range)
{
    AxisSettings settings = m_axisSettings[0];
    settings.range = range;
    setAxisSettings(0, settings);
}

void LivePlot::updateFollowCue()
{
    m_cue->setVisible(!m_following);
    m_liveButton->setEnabled(!m_following);
}

void LivePlot::setRangeQuietly(QCPAxis* axis, double lower, double upper)
{
    m_applyingRange = true;
    axis->setRange(lower, upper);
    m_applyingRange = false;
}

// --- axes -------------------------------------------------------------------------------

QCPAxis* LivePlot::yAxis(int axis) const
{
    return axis >= 0 && axis < MaxYAxes ? m_yAxes[static_cast<std::size_t>(axis)] : nullptr;
}

void LivePlot::setChannelAxis(core::ChannelKey key, int axis)
{
    Trace* trace = traceOf(key);
    if (trace == nullptr || axis < 0 || axis >= MaxYAxes)
        return;
    const bool moved = trace->axis != axis;
    trace->axis = axis;
    trace->graph->setValueAxis(m_yAxes[static_cast<std::size_t>(axis)]);
    updateAxes();
    updateLimits();
    m_plot->present();
    if (moved)
        Q_EMIT channelAxisChanged(key, axis);
}

int LivePlot::channelAxis(core::ChannelKey key) const
{
    const Trace* trace = traceOf(key);
    return trace != nullptr ? trace->axis : 0;
}

void LivePlot::setChannelOnRightAxis(core::ChannelKey key, bool right)
{
    setChannelAxis(key, right ? 1 : 0);
}

bool LivePlot::isOnRightAxis(core::ChannelKey key) const { return channelAxis(key) % 2 == 1; }

void LivePlot::setAxisSettings(int axis, const AxisSettings& settings)
{
    if (axis < 0 || axis >= MaxYAxes)
        return;
    m_axisSettings[static_cast<std::size_t>(axis)] = settings;
    if (settings.range)
        setRangeQuietly(m_yAxes[static_cast<std::size_t>(axis)],
            settings.range->first,
            settings.range->second);
    updateAxes();
    m_plot->present();
}

const AxisSettings& LivePlot::axisSettings(int axis) const
{
    return m_axisSettings[static_cast<std::size_t>(std::clamp(axis, 0, MaxYAxes - 1))];
}

QString LivePlot::axisLabel(int axis) const
{
    const QString& chosen = axisSettings(axis).label;
    if (!chosen.isEmpty())
        return chosen;
    QStringList names;
    for (const Trace& trace : m_traces)
        if (trace.axis == axis)
            names << trace.channel.name;
    return elided(names.join(u", "_s), 60);
}

void LivePlot::updateAxes()
{
    std::vector<QCPAxis*> zoomed;
    for (int axis = 0; axis < MaxYAxes; ++axis) {
        QCPAxis* y = m_yAxes[static_cast<std::size_t>(axis)];
        const auto first = std::find_if(m_traces.begin(), m_traces.end(), [axis](const Trace& t) {
            return t.axis == axis;
        });
        const bool used = first != m_traces.end();
        showAxis(*y, used || (axis == 0 && m_traces.empty()));
        if (!y->visible())
            continue;
        zoomed.push_back(y);
        // As much of the label as the axis is long (a list of channels can be longer).
        const int lengthPx = std::max(80, m_plot->axisRect()->height() - 8);
        y->setLabel(
            QFontMetrics(y->labelFont()).elidedText(axisLabel(axis), Qt::ElideRight, lengthPx));
        // Colour-coded: an axis takes the colour of its (first) trace.
        const QColor color = used ? colorFor(first->channel) : m_theme.foreground;
        y->setBasePen(QPen(color, used ? 2 : 1));
        y->setTickPen(QPen(color));
        y->setSubTickPen(QPen(color));
        y->setTickLabelColor(used ? color : m_theme.foreground);
        y->setLabelColor(used ? color : m_theme.foreground);
    }
    m_plot->axisRect()->setRangeZoomAxes({ m_plot->xAxis }, QList(zoomed.begin(), zoomed.end()));
    m_emptyHint->setVisible(m_traces.empty());
    updateLegendEntries();
    m_plot->present(); // refresh() redraws only what it changed
}

int LivePlot::axisAt(const QPoint& pos) const
{
    const QPoint inPlot = m_plot->mapFrom(this, pos);
    for (int axis = 0; axis < MaxYAxes; ++axis) {
        QCPAxis* y = m_yAxes[static_cast<std::size_t>(axis)];
        if (y->visible() && y->selectTest(inPlot, false) >= 0)
            return axis;
    }
    // Outside the axes: the first axis of that side.
    if (inPlot.x() > m_plot->axisRect()->rect().right())
        return 1;
    return 0;
}

// --- traces, legend, limits -------------------------------------------------------------

void LivePlot::setTraceVisible(core::ChannelKey key, bool visible)
{
    Trace* trace = traceOf(key);
    if (trace == nullptr)
        return;
    trace->graph->setVisible(visible);
    m_legend->setHidden(key, !visible);
    updateLimits();
    m_plot->present();
}

bool LivePlot::isTraceVisible(core::ChannelKey key) const
{
    const Trace* trace = traceOf(key);
    return trace != nullptr && trace->graph->visible();
}

QColor LivePlot::traceColor(core::ChannelKey key) const
{
    const Trace* trace = traceOf(key);
    return trace != nullptr ? trace->graph->pen().color() : QColor();
}

void LivePlot::updateLegendEntries()
{
    std::vector<LegendEntry> entries;
    for (const Trace& trace : m_traces)
        entries.push_back(LegendEntry { trace.channel.key,
            trace.channel.name,
            formatValue(trace.shownValue),
            axisTag(trace.axis),
            trace.graph->pen().color(),
            !trace.graph->visible(),
            trace.beyond });
    m_legendArea->setEntries(entries);
}

void LivePlot::addLimitLine(const LimitLine& limit)
{
    m_limits.push_back(limit);
    m_limits.back().axis = std::clamp(limit.axis, 0, MaxYAxes - 1);
    updateLimits();
    m_plot->present();
}

void LivePlot::setLimitLine(int index, const LimitLine& limit)
{
    if (index < 0 || index >= static_cast<int>(m_limits.size()))
        return;
    m_limits[static_cast<std::size_t>(index)] = limit;
    updateLimits();
    m_plot->present();
}

void LivePlot::removeLimitLine(int index)
{
    if (index < 0 || index >= static_cast<int>(m_limits.size()))
        return;
    m_limits.erase(m_limits.begin() + index);
    updateLimits();
    m_plot->present();
}

bool LivePlot::isLimitExceeded(int index) const
{
    return index >= 0 && index < static_cast<int>(m_limitExceeded.size())
        && m_limitExceeded[static_cast<std::size_t>(index)];
}

bool LivePlot::isBeyondLimit(core::ChannelKey key) const
{
    const Trace* trace = traceOf(key);
    return trace != nullptr && trace->beyond;
}

void LivePlot::updateLimits(LegendValues values)
{
    m_limitExceeded.assign(m_limits.size(), false);
    for (Trace& trace : m_traces) {
        trace.beyond = false;
        if (!trace.graph->visible())
            continue;
        for (std::size_t i = 0; i < m_limits.size(); ++i)
            if (m_limits[i].axis == trace.axis && m_limits[i].isExceededBy(trace.shownValue)) {
                trace.beyond = true;
                m_limitExceeded[i] = true;
            }
    }
    m_limitItems->sync(m_limits, m_yAxes, m_theme, m_limitExceeded);
    const bool due = values == LegendValues::Now || !m_legendValuesShown.isValid()
        || m_legendValuesShown.elapsed() >= LegendValueMs;
    for (Trace& trace : m_traces) {
        const bool any = !std::isnan(trace.shownValue);
        if (!due && trace.beyond == trace.shownBeyond && any == trace.shownAny)
            continue;
        m_legend->setValue(trace.channel.key, formatValue(trace.shownValue), trace.beyond);
        trace.shownBeyond = trace.beyond;
        trace.shownAny = any;
    }
    if (due)
        m_legendValuesShown.restart();
}

// --- drawing ----------------------------------------------------------------------------

void LivePlot::refresh(const core::store::LiveStore& store, TimeStamp now)
{
    m_lastStore = &store;
    const int columns = std::max(1, m_plot->axisRect()->width());
    std::int64_t start = 0;
    std::int64_t end = 0;
    if (m_following) {
        // The view ends on the column grid just after now: it moves by whole columns, so the
        // columns already decimated stay where they are (LiveColumns) and match the pixels.
        const std::int64_t width
            = core::store::LiveColumns::widthFor(m_window.nanoseconds(), columns);
        end = (now.nanoseconds() / width + 1) * width;
        start = end - width * columns;
        setRangeQuietly(m_plot->xAxis,
            m_axis.keyOf(TimeStamp(start)),
            m_axis.keyOf(TimeStamp(end)));
    } else {
        const QCPRange view = m_plot->xAxis->range();
        start = m_axis.timeOf(view.lower).nanoseconds();
        end = m_axis.timeOf(view.upper).nanoseconds();
    }
    m_bands->place([this](TimeStamp t) { return m_axis.keyOf(t); }, now);
    if (m_plot->axisRect()->height() != m_labelledHeightPx) { // labels elide to the new height
        m_labelledHeightPx = m_plot->axisRect()->height();
        updateAxes();
    }
    bool tracesChanged = false;
    for (Trace& trace : m_traces) {
        const core::ChannelKey key = trace.channel.key;
        trace.gapAfter = gapAfterFor(trace, store.nominalPeriod(key));
        std::optional<double> changed;
        if (store.decimateLive(key,
                start,
                end,
                columns,
                m_axis.origin().nanoseconds(),
                trace.gapAfter,
                trace.columns,
                trace.points,
                &changed)) {
            if (changed)
                m_canvas->markChanged(trace.graph, *changed);
            trace.valueBounds = core::decimate::valueBounds(trace.points);
            syncGraph(trace, changed);
            // Dense traces are already one column per pixel: antialiasing them only costs time.
            const auto& keys = trace.points.keys;
            const double spanned = keys.size() < 2
                ? 0.0
                : (keys.back() - keys.front()) * 1e9 / static_cast<double>(end - start) * columns;
            trace.graph->setAntialiased(!DenseGraph::isDense(keys.size(), spanned, columns));
            tracesChanged = true;
        }
        // The value shown and checked against limits: the newest while following, else the
        // sample held at the end of the view.
        const auto held = m_following ? store.latest(key) : store.atOrBefore(key, TimeStamp(end));
        trace.shownValue = held ? held->value : std::numeric_limits<double>::quiet_NaN();
    }
    updateShortWindowNote(store);
    updateLimits(m_following ? LegendValues::WhenDue : LegendValues::Now);
    autoscale();
    updateReadout();
    Drawn state = drawn();
    if (!tracesChanged && state == m_drawn)
        return; // nothing new to show: the last frame stands
    m_drawn = std::move(state);
    m_plot->present();
}

std::int64_t LivePlot::gapAfterFor(const Trace& trace, std::int64_t period)
{
    const std::int64_t wanted = 5 * period;
    const std::int64_t held = trace.gapAfter;
    if (held > 0 && wanted <= held + held / 2 && wanted >= held - held / 3)
        return held;
    return wanted;
}

LivePlot::Drawn LivePlot::drawn() const
{
    Drawn state;
    state.x = m_plot->xAxis->range();
    for (std::size_t i = 0; i < m_yAxes.size(); ++i)
        state.y[i] = m_yAxes[i]->range();
    state.readoutVisible = m_readout->visible();
    if (state.readoutVisible)
        state.readout = m_readout->text();
    state.noteVisible = m_shortWindowNote->visible();
    if (state.noteVisible)
        state.note = m_shortWindowText;
    state.limitsExceeded = m_limitExceeded;
    return state;
}

void LivePlot::updateShortWindowNote(const core::store::LiveStore& store)
{
    std::optional<TimeSpan> shortest;
    if (m_following)
        for (const Trace& trace : m_traces)
            if (const auto held = store.windowShortfall(trace.channel.key, m_window))
                shortest = shortest ? std::min(*shortest, *held) : *held;
    m_shortWindowNote->setVisible(shortest.has_value());
    if (!shortest)
        return;
    const double heldSeconds = static_cast<double>(shortest->nanoseconds()) / 1e9;
    const double windowSeconds = static_cast<double>(m_window.nanoseconds()) / 1e9;
    m_shortWindowText = tr("Showing the last %1 s of the %2 s window: the live buffers "
                           "cannot hold more at this rate")
                            .arg(heldSeconds, 0, 'g', 3)
                            .arg(windowSeconds, 0, 'g', 3);
    m_shortWindowNote->setText(u"⚠ "_s + m_shortWindowText);
}

QString LivePlot::shortWindowNote() const
{
    return m_shortWindowNote->visible() ? m_shortWindowText : QString();
}

void LivePlot::autoscale()
{
    for (int index = 0; index < MaxYAxes; ++index) {
        QCPAxis* axis = m_yAxes[static_cast<std::size_t>(index)];
        if (!axis->visible() || m_axisSettings[static_cast<std::size_t>(index)].range)
            continue;
        std::optional<std::pair<double, double>> bounds;
        for (const Trace& trace : m_traces)
            if (trace.axis == index && trace.graph->visible() && trace.valueBounds)
                bounds = bounds ? std::pair { std::min(bounds->first, trace.valueBounds->first),
                    std::max(bounds->second, trace.valueBounds->second) }
                                : trace.valueBounds;
        if (!bounds)
            continue;
        double low = bounds->first;
        double high = bounds->second;
        if (high - low < 1e-12) {
            low -= 1;
            high += 1;
        }
        const QCPRange current = axis->range();
        const double margin = (high - low) * 0.08;
        const bool outside = low < current.lower || high > current.upper;
        // Shrink only when the data uses less than 40 % of the axis (hysteresis: no jitter).
        const bool tooLoose = (high - low) < 0.4 * current.size();
        if (outside || tooLoose)
            setRangeQuietly(axis, low - margin, high + margin);
    }
}

void LivePlot::syncGraph(Trace& trace, std::optional<double> changed)
{
    QCPGraphDataContainer& data = *trace.graph->data();
    const QList<double>& keys = trace.points.keys;
    const QList<double>& values = trace.points.values;
    if (keys.isEmpty() || data.isEmpty() || (changed && std::isinf(*changed))) {
        trace.graph->setData(keys, values, true);
        return;
    }
    data.removeBefore(keys.front()); // the view moved on
    if (changed) {
        data.removeAfter(std::nextafter(*changed, -std::numeric_limits<double>::infinity()));
        const qsizetype from = std::lower_bound(keys.begin(), keys.end(), *changed) - keys.begin();
        QVector<QCPGraphData> tail;
        tail.reserve(keys.size() - from);
        for (qsizetype i = from; i < keys.size(); ++i)
            tail.append(QCPGraphData(keys[i], values[i]));
        data.add(tail, true);
    }
    Q_ASSERT(data.size() == keys.size());
}

qsizetype LivePlot::pointCount(core::ChannelKey key) const
{
    const Trace* trace = traceOf(key);
    return trace != nullptr ? trace->points.keys.size() : 0;
}

bool LivePlot::showsEmptyHint() const { return m_emptyHint->visible(); }

// --- readout ----------------------------------------------------------------------------

QString LivePlot::readoutText() const
{
    return m_readout->visible() ? m_readout->text() : QString();
}

void LivePlot::showReadoutAt(TimeStamp at, const core::store::LiveStore& store)
{
    m_lastStore = &store;
    m_readoutAt = at;
    updateReadout();
}

void LivePlot::hideReadout()
{
    m_hoverPx.reset();
    m_readoutAt.reset();
    m_readout->setVisible(false);
    m_cursorLine->setVisible(false);
}

void LivePlot::updateReadout()
{
    if (m_lastStore == nullptr || (!m_hoverPx && !m_readoutAt))
        return;
    const double key
        = m_readoutAt ? m_axis.keyOf(*m_readoutAt) : m_plot->xAxis->pixelToCoord(*m_hoverPx);
    const TimeStamp at = m_axis.timeOf(key);
    QStringList lines;
    for (const Trace& trace : m_traces) {
        if (!trace.graph->visible())
            continue;
        // Sample and hold: the last sample at or before the cursor, with its own time.
        const auto held = m_lastStore->atOrBefore(trace.channel.key, at);
        if (held)
            lines << readoutLine(trace.channel.name,
                held->value,
                m_ticker->label(m_axis.keyOf(held->stamp), 3));
    }
    // Never clipped: as many lines as the plot's height holds, then how many more there are.
    const QFontMetrics metrics(m_readout->font());
    const QRect area = m_plot->axisRect()->rect();
    const int room = std::max(2, (m_plot->height() - area.top() - 12) / metrics.lineSpacing() - 1);
    if (lines.size() > room) {
        const qsizetype more = lines.size() - (room - 1);
        lines = lines.mid(0, room - 1);
        lines << tr("… %n more", nullptr, static_cast<int>(more));
    }
    lines.prepend(m_ticker->label(key, 3));
    m_readout->setText(lines.join(u'\n'));
    // Beside the cursor, on whichever side has room.
    const double x = m_plot->xAxis->coordToPixel(key);
    const int width = m_readout->padding().left() + m_readout->padding().right()
        + metrics.boundingRect(QRect(0, 0, 10'000, 10'000), 0, m_readout->text()).width();
    const bool right = x + 12 + width <= m_plot->width();
    m_readout->setPositionAlignment(Qt::AlignTop | (right ? Qt::AlignLeft : Qt::AlignRight));
    m_readout->position->setCoords(
        std::clamp(right ? x + 10 : x - 10, 0.0, static_cast<double>(m_plot->width())),
        area.top() + 4);
    m_readout->setVisible(true);
    m_cursorLine->point1->setCoords(key, 0);
    m_cursorLine->point2->setCoords(key, 1);
    m_cursorLine->setVisible(true);
}

// --- zoom, pan and undo -----------------------------------------------------------------

LivePlot::View LivePlot::currentView() const
{
    View view;
    view.xLower = m_plot->xAxis->range().lower;
    view.xUpper = m_plot->xAxis->range().upper;
    view.following = m_following;
    for (std::size_t i = 0; i < m_axisSettings.size(); ++i)
        view.yRanges[i] = m_axisSettings[i].range;
    return view;
}

void LivePlot::beginUserChange(bool grouped)
{
    const bool sameGesture
        = grouped && m_lastWheel.isValid() && m_lastWheel.elapsed() < WheelGestureMs;
    if (!sameGesture)
        m_pendingUndo = currentView();
}

void LivePlot::commitUserChange()
{
    if (!m_pendingUndo)
        return;
    m_undo.push_back(*m_pendingUndo);
    if (m_undo.size() > UndoDepth)
        m_undo.erase(m_undo.begin());
    m_pendingUndo.reset();
    m_undoButton->setEnabled(true);
    Q_EMIT undoAvailable(true);
}

void LivePlot::onXRangeChanged()
{
    if (m_applyingRange)
        return;
    commitUserChange();
    freeze(); // a zoom or pan of time inspects: stop following
}

void LivePlot::onYRangeChanged(int axis)
{
    if (m_applyingRange)
        return;
    commitUserChange();
    const QCPRange range = m_yAxes[static_cast<std::size_t>(axis)]->range();
    m_axisSettings[static_cast<std::size_t>(axis)].range = std::pair { range.lower, range.upper };
}

void LivePlot::undoZoom()
{
    if (m_undo.empty())
        return;
    const View view = m_undo.back();
    m_undo.pop_back();
    m_pendingUndo.reset();
    setRangeQuietly(m_plot->xAxis, view.xLower, view.xUpper);
    for (std::size_t i = 0; i < view.yRanges.size(); ++i) {
        m_axisSettings[i].range = view.yRanges[i];
        if (view.yRanges[i])
            setRangeQuietly(m_yAxes[i], view.yRanges[i]->first, view.yRanges[i]->second);
    }
    m_following = view.following;
    updateFollowCue();
    m_undoButton->setEnabled(!m_undo.empty());
    Q_EMIT undoAvailable(!m_undo.empty());
    if (m_lastStore != nullptr && !m_following)
        refresh(*m_lastStore, TimeStamp::now());
    m_plot->present();
}

// --- layout -----------------------------------------------------------------------------

PlotLayout LivePlot::layout() const
{
    PlotLayout layout;
    for (const Trace& trace : m_traces) {
        layout.channels << trace.channel.name;
        layout.channelAxes.push_back(trace.axis);
        if (!trace.graph->visible())
            layout.hidden << trace.channel.name;
    }
    layout.axes = m_axisSettings;
    layout.limits = m_limits;
    layout.windowNs = m_window.nanoseconds();
    return layout;
}

void LivePlot::applyLayout(const PlotLayout& layout)
{
    for (qsizetype i = 0; i < layout.channels.size(); ++i)
        for (Trace& trace : m_traces)
            if (trace.channel.name == layout.channels[i]) {
                if (i < static_cast<qsizetype>(layout.channelAxes.size()))
                    setChannelAxis(trace.channel.key,
                        layout.channelAxes[static_cast<std::size_t>(i)]);
                setTraceVisible(trace.channel.key, !layout.hidden.contains(trace.channel.name));
            }
    for (int axis = 0; axis < MaxYAxes; ++axis)
        setAxisSettings(axis, layout.axes[static_cast<std::size_t>(axis)]);
    m_limits.clear();
    for (const LimitLine& limit : layout.limits)
        addLimitLine(limit);
    if (layout.windowNs > 0)
        setWindow(TimeSpan(layout.windowNs));
}

// --- menus ------------------------------------------------------------------------------

void LivePlot::showContextMenu(const QPoint& at)
{
    Q_EMIT activated();
    QMenu menu(this);
    addLimitMenu(menu, at);
    for (const Trace& trace : m_traces) {
        const core::ChannelKey key = trace.channel.key;
        const QString name = trace.channel.name;
        QMenu* sub = menu.addMenu(u"%1  (%2)"_s.arg(name, axisTag(trace.axis)));
        sub->addAction(trace.graph->visible() ? tr("Hide") : tr("Show"), this, [this, key] {
            setTraceVisible(key, !isTraceVisible(key));
        });
        QMenu* axes = sub->addMenu(tr("Move to axis"));
        for (int axis = 0; axis < MaxYAxes; ++axis) {
            QAction* move = axes->addAction(axisTag(axis), this, [this, key, axis] {
                setChannelAxis(key, axis);
            });
            move->setCheckable(true);
            move->setChecked(axis == trace.axis);
        }
        sub->addAction(tr("Colour…"), this, [this, name] {
            const QColor picked
                = QColorDialog::getColor(m_colors ? m_colors->colorFor(name) : QColor(),
                    this,
                    tr("Colour of %1").arg(name));
            if (picked.isValid() && m_colors != nullptr)
                m_colors->setColor(name, picked);
        });
        sub->addAction(tr("Remove from this plot"), this, [this, key] {
            Q_EMIT channelRemoveRequested(key);
        });
    }
    if (!m_traces.empty())
        menu.addSeparator();
    addAxisMenu(menu);
    menu.addAction(tr("Undo zoom"), this, &LivePlot::undoZoom)->setEnabled(canUndoZoom());
    menu.addAction(tr("Custom window…"), this, [this] {
        bool ok = false;
        const double seconds = QInputDialog::getDouble(this,
            tr("Custom window"),
            tr("Seconds shown:"),
            static_cast<double>(m_window.nanoseconds()) / 1e9,
            0.1,
            24 * 3600,
            1,
            &ok);
        if (ok) {
            setWindow(TimeSpan::fromSeconds(seconds));
            Q_EMIT windowChanged(m_window);
        }
    });
    menu.addSeparator();
    menu.addAction(tr("Split: new plot beside"), this, [this] { Q_EMIT splitRequested(true); });
    menu.addAction(tr("Split: new plot below"), this, [this] { Q_EMIT splitRequested(false); });
    menu.exec(m_plot->mapToGlobal(at));
}

void LivePlot::addLimitMenu(QMenu& menu, const QPoint& at)
{
    QStringList axisNames;
    for (int axis = 0; axis < MaxYAxes; ++axis)
        axisNames << u"%1 %2"_s.arg(axisTag(axis), axisLabel(axis));
    if (const auto hit = m_limitItems->hitTest(at, LimitGrabPx)) {
        const int index = *hit;
        menu.addAction(tr("Edit limit line…"), this, [this, index, axisNames] {
            if (const auto edited
                = LimitLineDialog::edit(this, m_limits[static_cast<std::size_t>(index)], axisNames))
                setLimitLine(index, *edited);
        });
        menu.addAction(tr("Remove limit line"), this, [this, index] { removeLimitLine(index); });
        menu.addSeparator();
    }
    QMenu* limits = menu.addMenu(tr("Add limit line"));
    for (int axis = 0; axis < MaxYAxes; ++axis) {
        QCPAxis* y = m_yAxes[static_cast<std::size_t>(axis)];
        if (!y->visible())
            continue;
        const double value = y->pixelToCoord(at.y());
        const double rounded = QString::number(value, 'g', 4).toDouble();
        limits->addAction(tr("Upper limit on %1 at %2").arg(axisTag(axis), formatValue(rounded)),
            this,
            [this, axis, rounded] {
                addLimitLine(
                    LimitLine { rounded, {}, {}, Qt::DashLine, axis, LimitLine::Kind::Upper });
            });
        limits->addAction(tr("Lower limit on %1 at %2").arg(axisTag(axis), formatValue(rounded)),
            this,
            [this, axis, rounded] {
                addLimitLine(
                    LimitLine { rounded, {}, {}, Qt::DashLine, axis, LimitLine::Kind::Lower });
            });
    }
    limits->addSeparator();
    limits->addAction(tr("Typed value…"), this, [this, axisNames] {
        LimitLine initial;
        initial.value = m_yAxes[0]->range().center();
        if (const auto added = LimitLineDialog::edit(this, initial, axisNames))
            addLimitLine(*added);
    });
}

void LivePlot::addAxisMenu(QMenu& menu)
{
    for (int axis = 0; axis < MaxYAxes; ++axis)
        if (m_yAxes[static_cast<std::size_t>(axis)]->visible())
            menu.addAction(tr("Axis %1: label and range…").arg(axisTag(axis)), this, [this, axis] {
                editAxis(axis);
            });
    menu.addAction(tr("Autoscale every Y axis"), this, [this] {
        for (int axis = 0; axis < MaxYAxes; ++axis) {
            AxisSettings settings = axisSettings(axis);
            settings.range.reset();
            setAxisSettings(axis, settings);
        }
    });
}

void LivePlot::editAxis(int axis)
{
    QStringList names;
    for (const Trace& trace : m_traces)
        if (trace.axis == axis)
            names << trace.channel.name;
    const QCPRange range = m_yAxes[static_cast<std::size_t>(axis)]->range();
    if (const auto edited = AxisDialog::edit(this,
            axisSettings(axis),
            names.join(u", "_s),
            { range.lower, range.upper }))
        setAxisSettings(axis, *edited);
}

// --- events -----------------------------------------------------------------------------

bool LivePlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        const auto* press = static_cast<QMouseEvent*>(event);
        Q_EMIT activated();
        if (press->button() != Qt::LeftButton)
            break;
        if (const auto hit = m_limitItems->hitTest(press->position(), LimitGrabPx)) {
            m_draggedLimit = *hit;
            return true; // the plot must not start panning
        }
        // Shift+drag draws a box to zoom into; a plain drag pans. Either stops following
        // only once the view really moves (a click alone changes nothing).
        m_plot->setSelectionRectMode(
            press->modifiers().testFlag(Qt::ShiftModifier) ? QCP::srmZoom : QCP::srmNone);
        beginUserChange(false);
        break;
    }
    case QEvent::MouseMove: {
        const auto* move = static_cast<QMouseEvent*>(event);
        if (m_draggedLimit) {
            LimitLine& limit = m_limits[static_cast<std::size_t>(*m_draggedLimit)];
            limit.value
                = m_yAxes[static_cast<std::size_t>(limit.axis)]->pixelToCoord(move->position().y());
            updateLimits();
            m_plot->present();
            return true;
        }
        const bool nearLimit = m_limitItems->hitTest(move->position(), LimitGrabPx).has_value();
        m_plot->setCursor(nearLimit ? Qt::SizeVerCursor : Qt::ArrowCursor);
        if (m_plot->axisRect()->rect().contains(move->position().toPoint())) {
            m_readoutAt.reset();
            m_hoverPx = static_cast<int>(move->position().x());
            updateReadout();
        } else {
            hideReadout();
        }
        m_plot->present();
        break;
    }
    case QEvent::MouseButtonRelease:
        m_pendingUndo.reset();
        if (m_draggedLimit) {
            m_draggedLimit.reset();
            return true;
        }
        break;
    case QEvent::Wheel: {
        Q_EMIT activated();
        const bool vertical
            = static_cast<QWheelEvent*>(event)->modifiers().testFlag(Qt::ControlModifier);
        m_plot->axisRect()->setRangeZoom(vertical ? Qt::Vertical : Qt::Horizontal);
        beginUserChange(true);
        m_lastWheel.start();
        break;
    }
    case QEvent::Leave:
        hideReadout();
        m_plot->present();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void LivePlot::dragEnterEvent(QDragEnterEvent* event)
{
    if (!ChannelModel::keysFromMime(event->mimeData()).empty())
        event->acceptProposedAction();
}

void LivePlot::dropEvent(QDropEvent* event)
{
    const auto keys = ChannelModel::keysFromMime(event->mimeData());
    if (keys.empty())
        return;
    event->acceptProposedAction();
    Q_EMIT activated();
    Q_EMIT channelsDropped(keys, axisAt(event->position().toPoint()));
}

} // namespace sightline::ui
