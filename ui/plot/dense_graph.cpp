#include "ui/plot/dense_graph.h"

#include "ui/plot/trace_canvas.h"

#include <QPaintEngine>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <limits>
#include <optional>
#include <span>

namespace sightline::ui {

namespace {

    /// Pixel coordinates beyond this are clamped (far off-screen; keeps int conversions safe).
    constexpr double FarOff = 1e6;

    /// floor() for |v| ≤ FarOff, without the library call (most of the loop's time).
    int floorOf(double v)
    {
        const int i = static_cast<int>(v);
        return i - (v < static_cast<double>(i) ? 1 : 0);
    }

    /// The pixels behind a painter, when runs can be written into them directly: a 32-bit
    /// raster image (what a QPixmap is on the raster backends), no transform beyond a shift,
    /// an opaque colour. Writing a run's pixels costs a store each; filling it as a 1-px
    /// rectangle went through QPainter's span machinery per row (most of a dense frame).
    struct PixelTarget
    {
        uchar* bits = nullptr;
        qsizetype stride = 0;
        QRect clip; ///< in device pixels
        QPoint shift; ///< logical to device
        quint32 pixel = 0;
    };

    std::optional<PixelTarget> pixelTargetOf(QCPPainter& painter, const QColor& color)
    {
        QPaintEngine* engine = painter.paintEngine();
        if (engine == nullptr || engine->type() != QPaintEngine::Raster || color.alpha() != 255)
            return std::nullopt;
        QPaintDevice* device = engine->paintDevice();
        if (device == nullptr || device->devType() != QInternal::Image)
            return std::nullopt;
        auto* image = static_cast<QImage*>(device);
        const QTransform transform = painter.deviceTransform();
        if (transform.type() > QTransform::TxTranslate
            || (image->format() != QImage::Format_ARGB32_Premultiplied
                && image->format() != QImage::Format_RGB32
                && image->format() != QImage::Format_ARGB32))
            return std::nullopt;
        PixelTarget target;
        // constBits: bits() would detach the image the painter is drawing on.
        target.bits = const_cast<uchar*>(image->constBits());
        target.stride = image->bytesPerLine();
        target.shift = QPoint(qRound(transform.dx()), qRound(transform.dy()));
        target.clip = image->rect();
        if (painter.hasClipping())
            target.clip &= painter.clipBoundingRect().toAlignedRect().translated(target.shift);
        target.pixel = color.rgba(); // opaque: premultiplied and plain are the same
        return target;
    }

    /// Collects the vertical run of pixels a polyline covers in one column at a time, and
    /// writes them into the image behind the painter, or, where that cannot be, fills all
    /// runs at once (one call: per-call overhead dominated filling them one by one).
    ///
    /// Runs are written a strip of StripColumns columns at a time (a cache line of pixels).
    /// Where the strip's runs overlap (a noisy or wide trace: every column tall), row by row
    /// over the strip: written column by column, a tall run touched a page per row, a TLB
    /// miss each, 16 times per cache line. Thin runs (a line) are written column by column.
    class ColumnRuns
    {
    public:
        ColumnRuns(QCPPainter& painter, const QColor& color)
            : m_painter(painter)
            , m_color(color)
            , m_target(pixelTargetOf(painter, color))
        {
        }
        ~ColumnRuns()
        {
            endColumn();
            writeStrip();
            if (m_runs.isEmpty())
                return;
            m_painter.save();
            m_painter.setPen(Qt::NoPen);
            m_painter.setBrush(m_color);
            m_painter.drawRects(m_runs);
            m_painter.restore();
        }
        ColumnRuns(const ColumnRuns&) = delete;
        ColumnRuns& operator=(const ColumnRuns&) = delete;

        /// Covers pixel rows `y0`…`y1` (either order) of column `column`.
        void cover(int column, double y0, double y1)
        {
            if (column != m_column) {
                endColumn();
                m_column = column;
                m_top = INT_MAX;
                m_bottom = INT_MIN;
            }
            m_top = std::min(m_top, floorOf(std::min(y0, y1) + 0.5));
            m_bottom = std::max(m_bottom, floorOf(std::max(y0, y1) + 0.5));
        }

    private:
        static constexpr int StripColumns = 16;

        /// A run in device pixels, clipped: rows top…bottom of column x.
        struct Run
        {
            int x;
            int top;
            int bottom;
        };

        void endColumn()
        {
            if (m_column != INT_MIN && m_top <= m_bottom) {
                if (m_target)
                    addToStrip(*m_target);
                else
                    m_runs.push_back(QRect(m_column, m_top, 1, m_bottom - m_top + 1));
            }
            m_column = INT_MIN;
        }

        void addToStrip(const PixelTarget& target)
        {
            const int x = m_column + target.shift.x();
            if (x < target.clip.left() || x > target.clip.right())
                return;
            const int top = std::max(m_top + target.shift.y(), target.clip.top());
            const int bottom = std::min(m_bottom + target.shift.y(), target.clip.bottom());
            if (top > bottom)
                return;
            if (m_stripCount > 0
                && (x / StripColumns != m_strip[0].x / StripColumns
                    || m_stripCount == m_strip.size()))
                writeStrip();
            m_strip[m_stripCount++] = { x, top, bottom };
        }

        void writeStrip()
        {
            if (m_stripCount == 0)
                return;
            const PixelTarget& target = *m_target;
            const std::span<const Run> runs(m_strip.data(), m_stripCount);
            m_stripCount = 0;
            int top = INT_MAX;
            int bottom = INT_MIN;
            qsizetype covered = 0; // pixels the runs cover
            for (const Run& run : runs) {
                top = std::min(top, run.top);
                bottom = std::max(bottom, run.bottom);
                covered += run.bottom - run.top + 1;
            }
            const qsizetype rows = bottom - top + 1;
            if (2 * covered < rows * qsizetype(runs.size())) { // thin: column by column
                for (const Run& run : runs) {
                    uchar* row
                        = target.bits + qsizetype(run.top) * target.stride + qsizetype(run.x) * 4;
                    for (int y = run.top; y <= run.bottom; ++y, row += target.stride)
                        *reinterpret_cast<quint32*>(row) = target.pixel;
                }
                return;
            }
            uchar* row = target.bits + qsizetype(top) * target.stride;
            for (int y = top; y <= bottom; ++y, row += target.stride) {
                auto* pixels = reinterpret_cast<quint32*>(row);
                for (const Run& run : runs)
                    if (y >= run.top && y <= run.bottom)
                        pixels[run.x] = target.pixel;
            }
        }

        QCPPainter& m_painter;
        QColor m_color;
        std::optional<PixelTarget> m_target;
        QVector<QRect> m_runs;
        int m_column = INT_MIN;
        int m_top = INT_MAX;
        int m_bottom = INT_MIN;
        /// Runs of the strip being collected (a column may come twice: both are kept).
        std::array<Run, 2 * StripColumns> m_strip {};
        std::size_t m_stripCount = 0;
    };

    bool isFinite(const QPointF& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }

} // namespace

DenseGraph::DenseGraph(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPGraph(keyAxis, valueAxis)
{
}

bool DenseGraph::drawsAsColumns(
    const QCPPainter& painter, qsizetype points, double spanPixels) const
{
    const QPen pen = painter.pen();
    const QCPAxis* key = keyAxis();
    return key != nullptr && key->orientation() == Qt::Horizontal && mLineStyle == lsLine
        && pen.style() == Qt::SolidLine
        && (pen.isCosmetic() ? pen.widthF() <= 1 : pen.widthF() == 0)
        && !painter.testRenderHint(QPainter::Antialiasing)
        && isDense(points, spanPixels, key->axisRect()->width());
}

void DenseGraph::drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const
{
    applyDefaultAntialiasingHint(painter);
    if (painter->pen().style() == Qt::NoPen || painter->pen().color().alpha() == 0)
        return;
    const double span = lines.isEmpty() ? 0.0 : std::abs(lines.last().x() - lines.first().x());
    if (!drawsAsColumns(*painter, lines.size(), span)) {
        QCPGraph::drawLinePlot(painter, lines);
        return;
    }
    drawColumns(*painter, lines.size(), [&](qsizetype i) { return lines[i]; });
}

template <typename PointAt>
void DenseGraph::drawColumns(QCPPainter& painter, qsizetype count, PointAt pointAt) const
{
    // Each column gets the part of every segment that crosses it.
    ColumnRuns runs(painter, painter.pen().color());
    QPointF previous = count > 0 ? pointAt(0) : QPointF();
    for (qsizetype i = 1; i < count; ++i) {
        const QPointF current = pointAt(i);
        QPointF a = previous;
        QPointF b = current;
        previous = current;
        if (!isFinite(a) || !isFinite(b))
            continue;
        if (a.x() > b.x())
            std::swap(a, b);
        if (b.x() - a.x() > 4096 || std::abs(a.x()) > FarOff || std::abs(b.x()) > FarOff) {
            painter.drawLine(a, b); // off-screen or absurd: let QPainter clip it
            continue;
        }
        const double ay = std::clamp(a.y(), -FarOff, FarOff);
        const double by = std::clamp(b.y(), -FarOff, FarOff);
        const int first = floorOf(a.x());
        const int last = floorOf(b.x());
        if (first == last) { // the common case: within one column
            runs.cover(first, ay, by);
            continue;
        }
        const double slope = (by - ay) / (b.x() - a.x());
        for (int column = first; column <= last; ++column) {
            const double x0 = std::clamp(double(column), a.x(), b.x());
            const double x1 = std::clamp(double(column + 1), a.x(), b.x());
            runs.cover(column, ay + (x0 - a.x()) * slope, ay + (x1 - a.x()) * slope);
        }
    }
}

bool DenseGraph::drawsFromData() const
{
    const QCPAxis* key = keyAxis();
    const QCPAxis* value = valueAxis();
    return m_pixelsFromData && key != nullptr && value != nullptr
        && key->axisType() == QCPAxis::atBottom && value->orientation() == Qt::Vertical
        && key->scaleType() == QCPAxis::stLinear && value->scaleType() == QCPAxis::stLinear
        && !key->rangeReversed() && !value->rangeReversed() && key->range().size() > 0
        && value->range().size() > 0 && mLineStyle == lsLine && mScatterStyle.isNone()
        && mBrush.style() == Qt::NoBrush && mChannelFillGraph.isNull() && selection().isEmpty();
}

void DenseGraph::setCanvas(TraceCanvas* canvas) { m_canvas = canvas; }

TraceCanvas* DenseGraph::canvas() const { return m_canvas; }

bool DenseGraph::drawsColumnsFromData(QCPPainter& painter) const
{
    if (!drawsFromData() || mDataContainer->isEmpty())
        return false;
    painter.setPen(mPen);
    painter.setBrush(Qt::NoBrush);
    applyDefaultAntialiasingHint(&painter);
    QCPGraphDataContainer::const_iterator begin;
    QCPGraphDataContainer::const_iterator end;
    getVisibleDataBounds(begin, end, QCPDataRange(0, dataCount()));
    if (begin == end)
        return false;
    const QCPAxis* key = keyAxis();
    const double span
        = ((end - 1)->key - begin->key) / key->range().size() * key->axisRect()->width();
    return painter.pen().style() != Qt::NoPen && painter.pen().color().alpha() != 0
        && drawsAsColumns(painter, end - begin, span);
}

void DenseGraph::drawColumnsFrom(QCPPainter& painter, double fromKey) const
{
    QCPGraphDataContainer::const_iterator begin;
    QCPGraphDataContainer::const_iterator end;
    getVisibleDataBounds(begin, end, QCPDataRange(0, dataCount()));
    begin = std::max(begin, mDataContainer->findBegin(fromKey, true));
    if (begin >= end)
        return;
    // What QCPAxis::coordToPixel computes for linear axes, in the same order of operations
    // (the same pixels), without a call and a branch per coordinate.
    const QCPAxis* key = keyAxis();
    const QCPAxis* value = valueAxis();
    const QRect keyRect = key->axisRect()->rect();
    const QRect valueRect = value->axisRect()->rect();
    const double keyLower = key->range().lower;
    const double keySize = key->range().size();
    const double valueLower = value->range().lower;
    const double valueSize = value->range().size();
    const double left = keyRect.left();
    const double width = keyRect.width();
    const double bottom = valueRect.bottom();
    const double height = valueRect.height();
    drawColumns(painter, end - begin, [&](qsizetype i) {
        const QCPGraphData& point = *(begin + i);
        return QPointF((point.key - keyLower) / keySize * width + left,
            bottom - (point.value - valueLower) / valueSize * height);
    });
}

void DenseGraph::draw(QCPPainter* painter)
{
    if (m_canvas != nullptr && m_canvas->drew(this))
        return;
    if (!drawsColumnsFromData(*painter)) {
        QCPGraph::draw(painter);
        return;
    }
    drawColumnsFrom(*painter, -std::numeric_limits<double>::infinity());
}

} // namespace sightline::ui
