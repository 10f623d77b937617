#include "ui/plot/limit_line_items.h"

#include <qcustomplot.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::ui {

LimitLineItems::LimitLineItems(QCustomPlot* plot)
    : m_plot(plot)
{
}

void LimitLineItems::resize(std::size_t count)
{
    while (m_lines.size() > count) {
        m_plot->removeItem(m_lines.back());
        m_plot->removeItem(m_labels.back());
        m_lines.pop_back();
        m_labels.pop_back();
    }
    while (m_lines.size() < count) {
        auto* line = new QCPItemStraightLine(m_plot);
        auto* label = new QCPItemText(m_plot);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setTypeY(QCPItemPosition::ptPlotCoords);
        label->setPadding(QMargins(2, 0, 2, 1));
        m_lines.push_back(line);
        m_labels.push_back(label);
    }
    m_axisOf.resize(count, nullptr);
    m_values.resize(count, 0);
}

void LimitLineItems::sync(const std::vector<LimitLine>& limits,
    const Axes& axes,
    const PlotTheme& theme,
    const std::vector<bool>& exceeded)
{
    resize(limits.size());
    for (std::size_t i = 0; i < limits.size(); ++i) {
        const LimitLine& limit = limits[i];
        QCPAxis* axis = axes[static_cast<std::size_t>(limit.axis)];
        const bool warn = i < exceeded.size() && exceeded[i];
        const QColor color
            = warn ? theme.warning : (limit.color.isValid() ? limit.color : theme.limit);
        QCPItemStraightLine* line = m_lines[i];
        line->point1->setAxes(m_plot->xAxis, axis);
        line->point2->setAxes(m_plot->xAxis, axis);
        line->point1->setAxisRect(m_plot->axisRect());
        line->point2->setAxisRect(m_plot->axisRect());
        line->point1->setTypeX(QCPItemPosition::ptAxisRectRatio);
        line->point2->setTypeX(QCPItemPosition::ptAxisRectRatio);
        line->point1->setCoords(0, limit.value);
        line->point2->setCoords(1, limit.value);
        line->setPen(QPen(color, warn ? 2 : 1.5, limit.style));
        line->setVisible(axis->visible());
        QCPItemText* label = m_labels[i];
        label->position->setAxes(m_plot->xAxis, axis);
        label->position->setAxisRect(m_plot->axisRect());
        label->position->setCoords(0.995, limit.value);
        const QString arrow = limit.kind == LimitLine::Kind::Upper ? u"▲ "_s : u"▼ "_s;
        label->setText(
            arrow + (limit.label.isEmpty() ? QString::number(limit.value, 'g', 6) : limit.label));
        label->setColor(color);
        QFont font = label->font();
        font.setBold(warn);
        label->setFont(font);
        label->setVisible(axis->visible());
        m_axisOf[i] = axis;
        m_values[i] = limit.value;
    }
}

std::optional<int> LimitLineItems::hitTest(QPointF pos, double tolerancePx) const
{
    if (!m_plot->axisRect()->rect().contains(pos.toPoint()))
        return std::nullopt;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        if (m_axisOf[i] == nullptr || !m_axisOf[i]->visible())
            continue;
        if (std::abs(m_axisOf[i]->coordToPixel(m_values[i]) - pos.y()) <= tolerancePx)
            return static_cast<int>(i);
    }
    return std::nullopt;
}

const QCPItemText* LimitLineItems::label(int i) const
{
    return i >= 0 && i < static_cast<int>(m_labels.size()) ? m_labels[static_cast<std::size_t>(i)]
                                                           : nullptr;
}

const QCPItemStraightLine* LimitLineItems::line(int i) const
{
    return i >= 0 && i < static_cast<int>(m_lines.size()) ? m_lines[static_cast<std::size_t>(i)]
                                                          : nullptr;
}

} // namespace sightline::ui
