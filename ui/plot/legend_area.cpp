#include "ui/plot/legend_area.h"

#include <QResizeEvent>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::ui {

LegendArea::LegendArea(int maxRows, QWidget* parent)
    : QScrollArea(parent)
    , m_strip(new LegendStrip(this))
    , m_maxRows(std::max(1, maxRows))
{
    m_strip->setObjectName(u"legendStrip"_s);
    setWidget(m_strip);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVisible(false);
}

void LegendArea::setEntries(const std::vector<LegendEntry>& entries)
{
    m_strip->setEntries(entries);
    setVisible(!entries.empty());
    fitHeight();
}

void LegendArea::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    if (event->size().width() != event->oldSize().width())
        fitHeight(); // rows wrap differently at another width
}

void LegendArea::fitHeight()
{
    const int width = std::max(50, viewport()->width());
    setFixedHeight(std::min(m_strip->heightForWidth(width), m_strip->heightForRows(m_maxRows)));
}

} // namespace sightline::ui
