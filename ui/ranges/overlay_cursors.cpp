#include "ui/ranges/overlay_cursors.h"

#include "core/store/overlay_stats.h"

#include <QLabel>
#include <QMouseEvent>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    QString number(std::optional<double> value)
    {
        return value ? QString::number(*value, 'g', 6) : u"–"_s;
    }

    QCPItemStraightLine* verticalLine(QCustomPlot* plot, const QPen& pen)
    {
        auto* line = new QCPItemStraightLine(plot);
        line->setPen(pen);
        line->setVisible(false);
        line->setLayer(u"overlay"_s);
        return line;
    }

    void place(QCPItemStraightLine* line, std::optional<double> second)
    {
        line->setVisible(second.has_value());
        if (second) {
            line->point1->setCoords(*second, 0);
            line->point2->setCoords(*second, 1);
        }
    }

} // namespace

OverlayCursors::OverlayCursors(QCustomPlot* plot, QLabel* readout, QLabel* stats)
    : QObject(plot)
    , m_plot(plot)
    , m_readout(readout)
    , m_stats(stats)
    , m_hoverLine(verticalLine(plot, QPen(QColor(120, 120, 120), 1, Qt::DotLine)))
    , m_lineA(verticalLine(plot, QPen(QColor(0, 120, 215), 1.5, Qt::DashLine)))
    , m_lineB(verticalLine(plot, QPen(QColor(215, 80, 0), 1.5, Qt::DashLine)))
{
    plot->setMouseTracking(true);
    plot->installEventFilter(this);
}

void OverlayCursors::setTraces(const std::vector<core::store::OverlayTrace>* traces)
{
    m_traces = traces;
    update();
}

void OverlayCursors::setHover(std::optional<double> second)
{
    m_hover = second;
    update();
}

void OverlayCursors::setCursors(std::optional<double> a, std::optional<double> b)
{
    m_a = a;
    m_b = b;
    update();
}

double OverlayCursors::secondAt(int x) const { return m_plot->xAxis->pixelToCoord(x); }

bool OverlayCursors::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_plot)
        return false;
    if (event->type() == QEvent::MouseMove) {
        const auto* move = static_cast<QMouseEvent*>(event);
        setHover(m_plot->axisRect()->rect().contains(move->pos())
                ? std::optional(secondAt(move->pos().x()))
                : std::nullopt);
    } else if (event->type() == QEvent::Leave) {
        setHover(std::nullopt);
    } else if (event->type() == QEvent::MouseButtonPress) {
        const auto* press = static_cast<QMouseEvent*>(event);
        if (press->button() == Qt::LeftButton
            && m_plot->axisRect()->rect().contains(press->pos())) {
            const double at = secondAt(press->pos().x());
            if (press->modifiers().testFlag(Qt::ShiftModifier))
                setCursors(m_a, at);
            else
                setCursors(at, m_b);
        }
    }
    return false;
}

void OverlayCursors::update()
{
    place(m_hoverLine, m_hover);
    place(m_lineA, m_a);
    place(m_lineB, m_b);
    const std::vector<core::store::OverlayTrace> none;
    const auto& traces = m_traces != nullptr ? *m_traces : none;
    const std::optional<double> at = m_hover ? m_hover : m_a;
    if (at && !traces.empty()) {
        QStringList values;
        for (const auto& trace : traces)
            values.append(u"%1 = %2"_s.arg(trace.name, number(core::store::valueAt(trace, *at))));
        m_readout->setText(
            tr("t = %1 s   %2").arg(QString::number(*at, 'f', 3), values.join(u"   "_s)));
    } else {
        m_readout->setText(tr("Click for cursor A, Shift+click for B"));
    }
    if (m_a && m_b && !traces.empty()) {
        const double dt = *m_b - *m_a;
        QStringList lines { tr("A→B  Δt = %1 s").arg(QString::number(dt, 'g', 6)) };
        for (const auto& trace : traces) {
            const auto stats = core::store::cursorStats(trace, *m_a, *m_b);
            const QString dy = stats.atA && stats.atB ? number(*stats.atB - *stats.atA) : u"–"_s;
            QString line = tr("%1: A %2, B %3, Δy %4")
                               .arg(trace.name, number(stats.atA), number(stats.atB), dy);
            line += stats.count > 0
                ? tr(", min %1, max %2, mean %3, count %4")
                      .arg(number(stats.min), number(stats.max), number(stats.mean))
                      .arg(stats.count)
                : tr(", no samples between the cursors");
            lines << line;
        }
        m_stats->setText(lines.join(u'\n'));
        m_stats->setVisible(true);
    } else {
        m_stats->clear();
        m_stats->setVisible(false);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace sightline::ui
