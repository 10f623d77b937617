#pragma once

#include <qcustomplot.h>

namespace sightline::ui {

/// A QCPGraph that draws dense lines (more points than pixel columns, as M4 views of long
/// ranges are) as one filled run of pixels per column instead of a polyline. A noisy trace's
/// polyline zigzags up and down every column several times, and QPainter strokes every
/// segment: most of a dense frame's time went there. The runs cover the pixels the aliased
/// polyline covers, each once. Sparse lines, wide or dashed pens, antialiased lines and
/// vertical key axes are drawn by QCPGraph as usual.
class DenseGraph : public QCPGraph
{
public:
    DenseGraph(QCPAxis* keyAxis, QCPAxis* valueAxis);

protected:
    void drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const override;

private:
    [[nodiscard]] bool drawsAsColumns(const QCPPainter& painter,
        const QVector<QPointF>& lines) const;
};

} // namespace sightline::ui
