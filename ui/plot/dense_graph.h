#pragma once

#include <QPointer>
#include <qcustomplot.h>

#include <algorithm>

namespace sightline::ui {

class TraceCanvas;

/// A QCPGraph that draws dense lines (more points than the pixel columns they span, as M4
/// views of long ranges are) as one filled run of pixels per column instead of a polyline. A noisy
/// trace's polyline zigzags up and down every column several times, and QPainter strokes every
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

    /// The density rule: more points than the pixel columns they span (at most the plot's
    /// `columns`), so a trace covering part of the plot (a window still filling) is dense by
    /// its own width. Dense traces are drawn as column runs, never antialiased.
    [[nodiscard]] static bool isDense(qsizetype points, double spannedColumns, double columns)
    {
        return static_cast<double>(points) > std::min(spannedColumns, columns);
    }

    /// Lets `canvas` draw this trace while it is dense (see TraceCanvas); nullptr: always
    /// draws itself.
    void setCanvas(TraceCanvas* canvas);
    [[nodiscard]] TraceCanvas* canvas() const;
    /// Sets `painter` up as draw() would (pen, antialiasing) and says whether the trace is
    /// drawn as column runs straight from its data: dense, on plain linear axes.
    [[nodiscard]] bool drawsColumnsFromData(QCPPainter& painter) const;
    /// Draws the column runs of the points from the last one before `fromKey` on (a
    /// painter set up by drawsColumnsFromData): the columns right of that point's get
    /// exactly what draw() gives them, columns left of it get part of a segment at most.
    void drawColumnsFrom(QCPPainter& painter, double fromKey) const;

protected:
    void draw(QCPPainter* painter) override;
    void drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const override;

private:
    /// Dense: more points than the pixel columns they span (`spanPixels`, from the first
    /// to the last), so a trace that covers only part of the plot (a window still filling)
    /// is dense by its own width.
    [[nodiscard]] bool drawsAsColumns(
        const QCPPainter& painter, qsizetype points, double spanPixels) const;
    [[nodiscard]] bool drawsFromData() const;
    /// Fills the columns the polyline through `count` points (`pointAt(i)`, in pixels) covers.
    template <typename PointAt>
    void drawColumns(QCPPainter& painter, qsizetype count, PointAt pointAt) const;

    bool m_pixelsFromData = true;
    QPointer<TraceCanvas> m_canvas;
};

} // namespace sightline::ui
