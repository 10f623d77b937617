#include "ui/plot/trace_canvas.h"

#include "ui/plot/dense_graph.h"
#include "ui/plot/opaque_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace sightline::ui {

namespace {

    /// Tolerances when telling a scroll by whole pixels from any other change of the key
    /// range (the live view's range is computed afresh each frame, so it is not bit-equal).
    constexpr double RelativeSizeTolerance = 1e-9;
    constexpr double PixelTolerance = 1e-6;
    /// Columns at the right edge where a horizontal line's end is drawn.
    constexpr int LineEndColumns = 2;

} // namespace

TraceCanvas::TraceCanvas(QCustomPlot* plot)
    : QCPLayerable(plot)
{
    setLayer(QLatin1String("main"));
    if (auto* opaque = dynamic_cast<OpaquePlot*>(plot))
        opaque->setCover(this);
}

bool TraceCanvas::canBeOpaque(double devicePixelRatio) const
{
    const auto* opaque = dynamic_cast<const OpaquePlot*>(mParentPlot);
    if (opaque == nullptr || !opaque->hasOpaqueBackground() || mLayer == nullptr
        || devicePixelRatio != std::round(devicePixelRatio))
        return false;
    const auto solid
        = [](const QPen& pen) { return pen.style() == Qt::SolidLine || pen.style() == Qt::NoPen; };
    // Below the canvas: what looks the same wherever the image is scrolled to.
    const auto scrollsWithTheKeys = [&](const QCPLayerable* child) {
        if (!child->realVisibility() || dynamic_cast<const QCPLayout*>(child) != nullptr)
            return true;
        if (const auto* rect = dynamic_cast<const QCPAxisRect*>(child))
            return rect->background().isNull() && rect->backgroundBrush().style() == Qt::NoBrush;
        const auto* grid = dynamic_cast<const QCPGrid*>(child);
        if (grid == nullptr)
            return false; // items (range bands) and anything else: not known to
        for (const QCPAxis* axis : mParentPlot->axisRect()->axes())
            if (axis->grid() == grid && axis->orientation() == Qt::Horizontal)
                return true; // vertical lines, drawn bottom to top
        return solid(grid->pen()) && solid(grid->zeroLinePen())
            && (!grid->subGridVisible() || solid(grid->subGridPen()));
    };
    for (const QCPLayer* below : layersBelow())
        for (const QCPLayerable* child : below->children())
            if (!scrollsWithTheKeys(child))
                return false;
    // Before the canvas on its layer only layouts, which draw nothing (an axis rect's inset).
    for (const QCPLayerable* child : mLayer->children()) {
        if (child == this)
            return true;
        if (dynamic_cast<const QCPLayout*>(child) == nullptr)
            return false;
    }
    return false;
}

std::vector<QCPLayer*> TraceCanvas::layersBelow() const
{
    std::vector<QCPLayer*> layers;
    for (int i = 0; i < mLayer->index(); ++i)
        if (QCPLayer* below = mParentPlot->layer(i); below->visible())
            layers.push_back(below);
    return layers;
}

void TraceCanvas::drawBackdrop(QCPPainter& painter) const
{
    for (QCPLayer* below : layersBelow())
        OpaquePlot::drawLayer(*below, painter);
}

void TraceCanvas::fillPromised(QCPPainter& painter, QRect area) const
{
    const auto* opaque = dynamic_cast<const OpaquePlot*>(mParentPlot);
    painter.save();
    painter.setClipRect(area);
    painter.fillRect(area, opaque->backgroundBrush().color());
    drawBackdrop(painter);
    painter.restore();
}

std::optional<QRect> TraceCanvas::promiseOpaqueArea()
{
    m_promised.reset();
    // Whether this frame can be opaque too is known only when it is drawn: if not, draw()
    // paints the area itself (fillPromised).
    if (m_valid && m_drawn.opaque()
        && mParentPlot->bufferDevicePixelRatio() == m_drawn.devicePixelRatio
        && mParentPlot->axisRect()->rect() == m_drawn.area)
        m_promised = m_drawn.area;
    return m_promised;
}

void TraceCanvas::markChanged(const DenseGraph* graph, double key)
{
    const auto [at, inserted] = m_changedFrom.try_emplace(graph, key);
    if (!inserted)
        at->second = std::min(at->second, key);
}

bool TraceCanvas::drew(const DenseGraph* graph) const
{
    return std::find(m_drewThisFrame.begin(), m_drewThisFrame.end(), graph)
        != m_drewThisFrame.end();
}

void TraceCanvas::applyDefaultAntialiasingHint(QCPPainter* painter) const
{
    painter->setAntialiasing(false);
}

bool TraceCanvas::drawsOnScreen(const QCPPainter& painter)
{
    return !painter.modes().testFlag(QCPPainter::pmNoCaching)
        && !painter.modes().testFlag(QCPPainter::pmVectorized);
}

std::vector<DenseGraph*> TraceCanvas::tracesToDraw(QCPPainter& painter) const
{
    std::vector<DenseGraph*> traces;
    const QCPAxis* keyAxis = nullptr;
    for (int i = 0; i < mParentPlot->graphCount(); ++i) {
        auto* graph = dynamic_cast<DenseGraph*>(mParentPlot->graph(i));
        if (graph == nullptr || graph->canvas() != this || !graph->realVisibility())
            continue;
        painter.save();
        const bool columns = graph->drawsColumnsFromData(painter);
        painter.restore();
        if (!columns)
            continue;
        if (keyAxis != nullptr && graph->keyAxis() != keyAxis)
            return {}; // traces over different key axes: each draws itself
        keyAxis = graph->keyAxis();
        traces.push_back(graph);
    }
    return traces;
}

TraceCanvas::Scene TraceCanvas::sceneOf(const std::vector<DenseGraph*>& traces) const
{
    Scene scene;
    const QCPAxis* keyAxis = traces.front()->keyAxis();
    scene.area = keyAxis->axisRect()->rect();
    scene.devicePixelRatio = mParentPlot->bufferDevicePixelRatio();
    scene.keys = keyAxis->range();
    for (const DenseGraph* graph : traces)
        scene.traces.push_back(TraceLook { graph,
            graph->valueAxis()->range(),
            graph->pen().color().rgba(),
            graph->pen().widthF() });
    if (!canBeOpaque(scene.devicePixelRatio))
        return scene;
    scene.background
        = static_cast<const OpaquePlot*>(mParentPlot)->backgroundBrush().color().rgba();
    for (const QCPLayer* below : layersBelow())
        for (const QCPLayerable* child : below->children())
            if (child->realVisibility())
                scene.backdrop.push_back(child);
    for (const QCPAxis* axis : keyAxis->axisRect()->axes())
        if (axis != keyAxis)
            scene.otherAxes.push_back(axis->range());
    return scene;
}

std::optional<int> TraceCanvas::firstColumnToRedraw(const Scene& scene,
    const std::vector<DenseGraph*>& traces) const
{
    if (!m_valid || scene.area != m_drawn.area || scene.devicePixelRatio != m_drawn.devicePixelRatio
        || scene.traces != m_drawn.traces || scene.background != m_drawn.background
        || scene.backdrop != m_drawn.backdrop || scene.otherAxes != m_drawn.otherAxes
        || scene.devicePixelRatio != std::round(scene.devicePixelRatio))
        return std::nullopt;
    const double size = scene.keys.size();
    const double width = scene.area.width();
    if (size <= 0 || std::abs(size - m_drawn.keys.size()) > RelativeSizeTolerance * size)
        return std::nullopt;
    const double shift = (scene.keys.lower - m_drawn.keys.lower) / size * width;
    const double whole = std::round(shift);
    if (std::abs(shift - whole) > PixelTolerance || whole < 0 || whole >= width)
        return std::nullopt;
    int column = static_cast<int>(width - whole);
    // Grid lines end at the right edge with pixels drawn unlike those further along a line:
    // the columns that held those ends are drawn again as they scroll in.
    if (scene.opaque() && whole > 0)
        column = std::max(0, column - LineEndColumns);
    for (const DenseGraph* graph : traces) {
        const auto changed = m_changedFrom.find(graph);
        if (changed == m_changedFrom.end() || graph->data()->isEmpty())
            continue;
        // The point before the first changed one: its segment into the change is redrawn.
        const auto before = graph->data()->findBegin(changed->second, true);
        const double x = (before->key - scene.keys.lower) / size * width;
        column = std::min(column, static_cast<int>(std::clamp(std::floor(x), 0.0, width)));
    }
    return column;
}

template <typename F> void TraceCanvas::forEachPiece(int from, int width, F&& f) const
{
    const int wrap = width - m_offset; // columns [0, wrap) lie at [m_offset, width)
    if (from < wrap)
        f(from, wrap, m_offset);
    if (std::max(from, wrap) < width)
        f(std::max(from, wrap), width, m_offset - width);
}

void TraceCanvas::redrawFrom(int column, const Scene& scene, const std::vector<DenseGraph*>& traces)
{
    const int width = scene.area.width();
    m_lastDrawnColumns = std::max(0, width - column);
    if (column >= width)
        return;
    const int ratio = static_cast<int>(std::lround(scene.devicePixelRatio));
    forEachPiece(column, width, [&](int first, int last, int shift) {
        if (!scene.opaque()) { // cleared to transparent
            for (int y = 0; y < m_image.height(); ++y) {
                auto* row = reinterpret_cast<QRgb*>(m_image.scanLine(y));
                std::fill(row + (first + shift) * ratio, row + (last + shift) * ratio, QRgb(0));
            }
            return;
        }
        // The layers below, drawn into an image of these columns and a few either side (they
        // set clip rectangles of their own, so a clip would not keep them in the piece; and
        // a line ending on an image's last pixel is drawn differently), then copied in.
        constexpr int Margin = 4;
        QImage piece((last - first + 2 * Margin) * ratio, m_image.height(), m_image.format());
        piece.setDevicePixelRatio(scene.devicePixelRatio);
        piece.fill(scene.background);
        {
            QCPPainter below(&piece);
            below.translate(Margin - (scene.area.left() + first), -scene.area.top());
            drawBackdrop(below);
        }
        for (int y = 0; y < m_image.height(); ++y)
            std::copy_n(reinterpret_cast<const QRgb*>(piece.constScanLine(y)) + Margin * ratio,
                (last - first) * ratio,
                reinterpret_cast<QRgb*>(m_image.scanLine(y)) + (first + shift) * ratio);
    });
    QCPPainter painter(&m_image);
    forEachPiece(column, width, [&](int first, int last, int shift) {
        painter.resetTransform();
        painter.translate(shift - scene.area.left(), -scene.area.top());
        painter.setClipRect(
            QRect(scene.area.left() + first, scene.area.top(), last - first, scene.area.height()));
        // From one column further left: a point that rounding puts just right of the
        // piece's edge still gets the segment that comes into it.
        const double fromKey = first > 0
            ? scene.keys.lower + (first - 1) * scene.keys.size() / width
            : -std::numeric_limits<double>::infinity();
        for (const DenseGraph* graph : traces) {
            painter.save();
            (void)graph->drawsColumnsFromData(painter); // sets the pen and antialiasing up
            graph->drawColumnsFrom(painter, fromKey);
            painter.restore();
        }
    });
}

void TraceCanvas::draw(QCPPainter* painter)
{
    m_drewThisFrame.clear();
    const std::optional<QRect> promised = std::exchange(m_promised, std::nullopt);
    if (!drawsOnScreen(*painter))
        return;
    const std::vector<DenseGraph*> traces = tracesToDraw(*painter);
    const Scene scene = traces.empty() ? Scene {} : sceneOf(traces);
    if (promised && (scene.area != *promised || !scene.opaque()))
        fillPromised(*painter, *promised); // the buffer was not cleared there
    if (traces.empty()) {
        m_valid = false;
        return;
    }
    if (scene.area.isEmpty())
        return;
    const int width = scene.area.width();
    std::optional<int> column = firstColumnToRedraw(scene, traces);
    if (column) { // the image is a ring of columns: scrolling moves where it starts
        const auto shift = static_cast<int>(
            std::lround((scene.keys.lower - m_drawn.keys.lower) / scene.keys.size() * width));
        m_offset = (m_offset + shift) % width;
    } else {
        const QSize deviceSize = (QSizeF(scene.area.size()) * scene.devicePixelRatio).toSize();
        if (m_image.size() != deviceSize)
            m_image = QImage(deviceSize, QImage::Format_ARGB32_Premultiplied);
        m_image.setDevicePixelRatio(scene.devicePixelRatio);
        m_offset = 0;
        column = 0;
    }
    redrawFrom(*column, scene, traces);
    m_changedFrom.clear();
    m_drawn = scene;
    m_valid = true;
    const double ratio = scene.devicePixelRatio;
    painter->save();
    if (scene.opaque()) // the image is the whole area: a copy, nothing to blend
        painter->setCompositionMode(QPainter::CompositionMode_Source);
    forEachPiece(0, width, [&](int first, int last, int shift) {
        painter->drawImage(QPointF(scene.area.left() + first, scene.area.top()),
            m_image,
            QRectF((first + shift) * ratio, 0, (last - first) * ratio, m_image.height()));
    });
    painter->restore();
    m_drewThisFrame.assign(traces.begin(), traces.end());
}

} // namespace sightline::ui
