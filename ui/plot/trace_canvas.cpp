#include "ui/plot/trace_canvas.h"

#include "ui/plot/dense_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sightline::ui {

namespace {

    /// Tolerances when telling a scroll by whole pixels from any other change of the key
    /// range (the live view's range is computed afresh each frame, so it is not bit-equal).
    constexpr double RelativeSizeTolerance = 1e-9;
    constexpr double PixelTolerance = 1e-6;

} // namespace

TraceCanvas::TraceCanvas(QCustomPlot* plot)
    : QCPLayerable(plot)
{
    setLayer(QLatin1String("main"));
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
    return scene;
}

std::optional<int> TraceCanvas::firstColumnToRedraw(const Scene& scene,
    const std::vector<DenseGraph*>& traces) const
{
    if (!m_valid || scene.area != m_drawn.area || scene.devicePixelRatio != m_drawn.devicePixelRatio
        || scene.traces != m_drawn.traces
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
        for (int y = 0; y < m_image.height(); ++y) {
            auto* row = reinterpret_cast<QRgb*>(m_image.scanLine(y));
            std::fill(row + (first + shift) * ratio, row + (last + shift) * ratio, QRgb(0));
        }
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
    if (!drawsOnScreen(*painter))
        return;
    const std::vector<DenseGraph*> traces = tracesToDraw(*painter);
    if (traces.empty()) {
        m_valid = false;
        return;
    }
    const Scene scene = sceneOf(traces);
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
    forEachPiece(0, width, [&](int first, int last, int shift) {
        painter->drawImage(QPointF(scene.area.left() + first, scene.area.top()),
            m_image,
            QRectF((first + shift) * ratio, 0, (last - first) * ratio, m_image.height()));
    });
    m_drewThisFrame.assign(traces.begin(), traces.end());
}

} // namespace sightline::ui
