#include "ui/plot/range_bands.h"

#include <qcustomplot.h>

namespace sightline::ui {

RangeBands::RangeBands(QCustomPlot* plot)
    : m_plot(plot)
{
}

void RangeBands::set(std::vector<RangeBand> bands)
{
    if (bands == m_bands)
        return;
    for (QCPItemRect* rect : m_rects)
        m_plot->removeItem(rect);
    for (QCPItemText* label : m_labels)
        m_plot->removeItem(label);
    m_rects.clear();
    m_labels.clear();
    m_bands = std::move(bands);
    QCPLayer* under = m_plot->layer(QStringLiteral("grid"));
    for (const RangeBand& band : m_bands) {
        auto* rect = new QCPItemRect(m_plot);
        auto* label = new QCPItemText(m_plot);
        if (under != nullptr) {
            rect->setLayer(under);
            label->setLayer(under);
        }
        QColor fill = band.color.isValid() ? band.color : QColor(255, 152, 0);
        fill.setAlpha(band.open ? 60 : 40);
        QColor edge = fill;
        edge.setAlpha(160);
        rect->setBrush(fill);
        rect->setPen(QPen(edge, 1, band.open ? Qt::DashLine : Qt::SolidLine));
        // Time in plot keys, height as a share of the axis rect: full height at any zoom.
        for (QCPItemPosition* corner : { rect->topLeft, rect->bottomRight }) {
            corner->setTypeX(QCPItemPosition::ptPlotCoords);
            corner->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setText(band.open ? band.name + QStringLiteral(" ●") : band.name);
        edge.setAlpha(255);
        label->setColor(edge);
        label->setPadding(QMargins(3, 2, 3, 2));
        label->setClipToAxisRect(true);
        rect->setVisible(m_visible);
        label->setVisible(m_visible);
        m_rects.push_back(rect);
        m_labels.push_back(label);
    }
}

void RangeBands::setVisible(bool visible)
{
    m_visible = visible;
    for (QCPItemRect* rect : m_rects)
        rect->setVisible(visible);
    for (QCPItemText* label : m_labels)
        label->setVisible(visible);
}

void RangeBands::place(const std::function<double(core::TimeStamp)>& keyOf, core::TimeStamp now)
{
    const QCPRange view = m_plot->xAxis->range();
    for (std::size_t i = 0; i < m_bands.size(); ++i) {
        const RangeBand& band = m_bands[i];
        const double start = keyOf(band.range.start);
        const double end = keyOf(band.open ? std::max(now, band.range.start) : band.range.end);
        m_rects[i]->topLeft->setCoords(start, 0);
        m_rects[i]->bottomRight->setCoords(end, 1);
        // The name at the band's left edge, or at the view's when the band began before it.
        m_labels[i]->position->setCoords(std::max(start, view.lower), 0);
        m_labels[i]->setVisible(m_visible && end >= view.lower && start <= view.upper);
    }
}

} // namespace sightline::ui
