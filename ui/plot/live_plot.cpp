#include "ui/plot/live_plot.h"

#include "ui/models/channel_model.h"
#include "ui/plot/dense_graph.h"
#include "ui/plot/plot_style.h"
#include "ui/plot/time_ticker.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
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

    QString windowName(TimeSpan span)
    {
        const std::int64_t s = span.nanoseconds() / 1'000'000'000;
        if (s % 60 == 0 && s >= 60)
            return LivePlot::tr("%1 min").arg(s / 60);
        return LivePlot::tr("%1 s").arg(s);
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
    , m_plot(new QCustomPlot(this))
    , m_ticker(new TimeTicker())
{
    m_origin = TimeStamp::now().nanoseconds() / 1'000'000'000 * 1'000'000'000;
    m_ticker->setOrigin(m_origin);
    setAcceptDrops(true);
    setupToolbar();

    m_plot->xAxis->setTicker(m_ticker);
    m_plot->xAxis->setLabel(
        tr("Time (%1)").arg(m_ticker->zone().abbreviation(QDateTime::currentDateTime())));
    m_plot->xAxis->grid()->setZeroLinePen(Qt::NoPen); // key 0 is just the origin
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setTickLabels(true);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &LivePlot::showContextMenu);

    m_cursorLine = new QCPItemStraightLine(m_plot);
    m_cursorLine->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    m_cursorLine->setVisible(false);
    m_readout = addReadoutBox(m_plot);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* bar = new QHBoxLayout();
    bar->setContentsMargins(4, 2, 4, 0);
    bar->addWidget(new QLabel(tr("Window"), this));
    bar->addWidget(m_windowBox);
    bar->addStretch(1);
    bar->addWidget(m_cue);
    bar->addWidget(m_liveButton);
    bar->addWidget(m_closeButton);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    updateFollowCue();
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
    m_cue->setStyleSheet(u"color: #b35c00; font-weight: bold;"_s);
    m_liveButton = new QPushButton(tr("Jump to live"), this);
    m_liveButton->setObjectName(u"jumpToLive"_s);
    m_liveButton->setToolTip(tr("Follow live data again (End)"));
    connect(m_liveButton, &QPushButton::clicked, this, &LivePlot::jumpToLive);
    m_closeButton = new QToolButton(this);
    m_closeButton->setText(u"✕"_s);
    m_closeButton->setToolTip(tr("Remove this plot"));
    m_closeButton->setAutoRaise(true);
    connect(m_closeButton, &QToolButton::clicked, this, &LivePlot::closeRequested);
}

void LivePlot::addChannel(const core::Channel& channel)
{
    if (hasChannel(channel.key))
        return;
    Trace trace;
    trace.channel = channel;
    trace.graph = new DenseGraph(m_plot->xAxis, m_plot->yAxis); // the plot owns it
    trace.graph->setName(channel.name);
    trace.graph->setPen(tracePen(m_traces.size()));
    // M4 already left at most four points a column; DenseGraph fills each column's run.
    trace.graph->setAdaptiveSampling(false);
    m_traces.push_back(std::move(trace));
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
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

std::vector<core::ChannelKey> LivePlot::channelKeys() const
{
    std::vector<core::ChannelKey> keys;
    for (const Trace& trace : m_traces)
        keys.push_back(trace.channel.key);
    return keys;
}

bool LivePlot::hasChannel(core::ChannelKey key) const
{
    return std::any_of(m_traces.begin(), m_traces.end(), [key](const Trace& t) {
        return t.channel.key == key;
    });
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
        m_plot->xAxis->setRange(end - static_cast<double>(window.nanoseconds()) / 1e9, end);
    }
}

void LivePlot::jumpToLive()
{
    m_following = true;
    m_hoverKey.reset();
    m_cursorLine->setVisible(false);
    m_readout->setVisible(false);
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
    m_manualY = range;
    if (range)
        m_plot->yAxis->setRange(range->first, range->second);
}

void LivePlot::updateFollowCue()
{
    m_cue->setVisible(!m_following);
    m_liveButton->setEnabled(!m_following);
}

TimeStamp LivePlot::keyToTime(double key) const
{
    return TimeStamp(m_origin + static_cast<std::int64_t>(std::llround(key * 1e9)));
}

double LivePlot::timeToKey(TimeStamp t) const
{
    return static_cast<double>(t.nanoseconds() - m_origin) / 1e9;
}

void LivePlot::refresh(const core::store::LiveStore& store, TimeStamp now)
{
    m_lastStore = &store;
    if (m_following)
        m_plot->xAxis->setRange(timeToKey(now - m_window), timeToKey(now));
    const QCPRange view = m_plot->xAxis->range();
    const std::int64_t start = keyToTime(view.lower).nanoseconds();
    const std::int64_t end = keyToTime(view.upper).nanoseconds();
    const int columns = std::max(1, m_plot->axisRect()->width());
    for (Trace& trace : m_traces) {
        const core::ChannelKey key = trace.channel.key;
        store.decimate(key,
            start,
            end,
            columns,
            m_origin,
            5 * store.nominalPeriod(key),
            trace.points);
        trace.graph->setData(trace.points.keys, trace.points.values, true);
        // Dense traces are already one column per pixel: antialiasing them only costs time.
        trace.graph->setAntialiased(trace.points.keys.size() < columns);
        const auto newest = store.latest(key);
        const double latest = newest ? newest->value : std::numeric_limits<double>::quiet_NaN();
        const QString name = u"%1  %2"_s.arg(trace.channel.name, formatValue(latest));
        if (trace.graph->name() != name)
            trace.graph->setName(name);
    }
    if (!m_manualY)
        autoscale();
    if (m_hoverKey)
        updateReadout(*m_hoverKey);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LivePlot::autoscale()
{
    for (QCPAxis* axis : { m_plot->yAxis, m_plot->yAxis2 }) {
        const AxisData drawn = dataOn(*m_plot, axis);
        if (!drawn.used && axis == m_plot->yAxis2) {
            axis->setRange(m_plot->yAxis->range()); // an unused right axis mirrors the left
            continue;
        }
        if (!drawn.values)
            continue;
        double low = drawn.values->lower;
        double high = drawn.values->upper;
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
            axis->setRange(low - margin, high + margin);
    }
}

void LivePlot::setChannelOnRightAxis(core::ChannelKey key, bool right)
{
    for (Trace& trace : m_traces)
        if (trace.channel.key == key)
            trace.graph->setValueAxis(right ? m_plot->yAxis2 : m_plot->yAxis);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool LivePlot::isOnRightAxis(core::ChannelKey key) const
{
    for (const Trace& trace : m_traces)
        if (trace.channel.key == key)
            return trace.graph->valueAxis() == m_plot->yAxis2;
    return false;
}

void LivePlot::showContextMenu(const QPoint& at)
{
    QMenu menu(this);
    for (const Trace& trace : m_traces) {
        const core::ChannelKey key = trace.channel.key;
        QMenu* sub = menu.addMenu(trace.channel.name);
        const bool right = isOnRightAxis(key);
        sub->addAction(right ? tr("Move to the left axis") : tr("Move to the right axis"),
            this,
            [this, key, right] { setChannelOnRightAxis(key, !right); });
        sub->addAction(tr("Remove from this plot"), this, [this, key] {
            Q_EMIT channelRemoveRequested(key);
        });
    }
    if (!m_traces.empty())
        menu.addSeparator();
    QAction* autoY
        = menu.addAction(tr("Autoscale Y"), this, [this] { setManualYRange(std::nullopt); });
    autoY->setCheckable(true);
    autoY->setChecked(!m_manualY);
    menu.addAction(tr("Fix Y range to the current view"), this, [this] {
        const QCPRange range = m_plot->yAxis->range();
        setManualYRange(std::pair { range.lower, range.upper });
    });
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
    menu.exec(m_plot->mapToGlobal(at));
}

qsizetype LivePlot::pointCount(core::ChannelKey key) const
{
    for (const Trace& trace : m_traces)
        if (trace.channel.key == key)
            return trace.points.keys.size();
    return 0;
}

QString LivePlot::readoutText() const
{
    return m_readout->visible() ? m_readout->text() : QString();
}

void LivePlot::showReadoutAt(TimeStamp at, const core::store::LiveStore& store)
{
    m_lastStore = &store;
    freeze();
    m_hoverKey = timeToKey(at);
    updateReadout(*m_hoverKey);
}

void LivePlot::updateReadout(double key)
{
    if (m_lastStore == nullptr)
        return;
    const TimeStamp at = keyToTime(key);
    QStringList lines { m_ticker->label(key, 3) };
    for (const Trace& trace : m_traces) {
        // Sample and hold: the last sample at or before the cursor, with its own time.
        const auto held = m_lastStore->atOrBefore(trace.channel.key, at);
        if (!held)
            continue;
        lines << readoutLine(trace.channel.name,
            held->value,
            m_ticker->label(timeToKey(held->stamp), 3));
    }
    m_readout->setText(lines.join(u'\n'));
    m_readout->setVisible(true);
    m_cursorLine->point1->setCoords(key, 0);
    m_cursorLine->point2->setCoords(key, 1);
    m_cursorLine->setVisible(true);
}

bool LivePlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot) {
        switch (event->type()) {
        case QEvent::MouseButtonPress:
            Q_EMIT activated();
            if (static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton)
                freeze(); // panning inspects: stop following
            break;
        case QEvent::Wheel:
            Q_EMIT activated();
            freeze(); // zooming inspects: stop following
            break;
        case QEvent::MouseMove: {
            const auto* move = static_cast<QMouseEvent*>(event);
            if (m_plot->axisRect()->rect().contains(move->pos())) {
                freeze();
                m_hoverKey = m_plot->xAxis->pixelToCoord(move->pos().x());
                updateReadout(*m_hoverKey);
                m_plot->replot(QCustomPlot::rpQueuedReplot);
            }
            break;
        }
        case QEvent::KeyPress:
            if (static_cast<QKeyEvent*>(event)->key() == Qt::Key_End)
                jumpToLive();
            break;
        default:
            break;
        }
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
    Q_EMIT channelsDropped(keys);
}

} // namespace sightline::ui
