#pragma once

#include <qcustomplot.h>

namespace sightline::ui {

/// A QCPGraph that draws dense lines (more points than pixel columns, as M4 views of long
/// ranges are) as one filled run of pixels per column instead of a polyline. A noisy trace's
/// polyline zigzags up and down every column several times, and QPainter strokes every
/// segment: most of a dense frame's time went there. The runs cover the pixels the aliased
/// polyline covers, each once; on linear axes their pixel coordinates come straight from the
/// data, without QCPGraph's per-point coordToPixel and line list. Sparse lines, wide or dashed
/// pens, antialiased lines and vertical key axes are drawn by QCPGraph as usual.
class DenseGraph : public QCPGraph
{
public:
    DenseGraph(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// Dense lines on plain linear axes take their pixel coordinates straight from the data
    /// (true, the default) instead of through QCPGraph's line list (false: for tests that
    /// compare the two, which must draw the same pixels).
    void setPixelsFromData(bool fromData) { m_pixelsFromData = fromData; }

protected:
    void draw(QCPPainter* painter) override;
    void drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const override;

private:
    [[nodiscard]] bool drawsAsColumns(const QCPPainter& painter, qsizetype points) const;
    [[nodiscard]] bool drawsFromData() const;
    /// Fills the columns the polyline through `count` points (`pointAt(i)`, in pixels) covers.
    template <typename PointAt>
    void drawColumns(QCPPainter& painter, qsizetype count, PointAt pointAt) const;

    bool m_pixelsFromData = true;
};

} // namespace sightline::ui
