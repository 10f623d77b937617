#include "ui/plot/trace_canvas.h"

#include "ui/plot/dense_graph.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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
        || scene.traces != m_drawn.traces)
        return std::nullopt;
    const double size = scene.keys.size();
    const double width = scene.area.width();
    if (size <= 0 || std::abs(size - m_drawn.keys.size()) > RelativeSizeTolerance * size)
        return std::nullopt;
    const double shift = (scene.keys.lower - m_drawn.keys.lower) / size * width;
    const double whole = std::round(shift);
    const double deviceShift = whole * scene.devicePixelRatio;
    if (std::abs(shift - whole) > PixelTolerance || whole < 0 || whole >= width
        || deviceShift != std::round(deviceShift))
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

void TraceCanvas::scroll(int columns)
{
    const int shift = static_cast<int>(std::lround(columns * m_image.devicePixelRatio()));
    const int keep = m_image.width() - shift;
    if (shift <= 0 || keep <= 0)
        return;
    for (int y = 0; y < m_image.height(); ++y) {
        auto* row = reinterpret_cast<QRgb*>(m_image.scanLine(y));
        std::memmove(row, row + shift, static_cast<std::size_t>(keep) * sizeof(QRgb));
    }
}

void TraceCanvas::redrawFrom(int column, const Scene& scene, const std::vector<DenseGraph*>& traces)
{
    const double ratio = scene.devicePixelRatio;
    const int deviceColumn
        = std::clamp(static_cast<int>(std::lround(column * ratio)), 0, m_image.width());
    for (int y = 0; y < m_image.height(); ++y) {
        auto* row = reinterpret_cast<QRgb*>(m_image.scanLine(y));
        std::fill(row + deviceColumn, row + m_image.width(), QRgb(0));
    }
    m_lastDrawnColumns = scene.area.width() - column;
    if (column >= scene.area.width())
        return;
    QCPPainter painter(&m_image);
    painter.translate(-scene.area.topLeft());
    const QRect strip(scene.area.left() + column,
        scene.area.top(),
        scene.area.width() - column,
        scene.area.height());
    painter.setClipRect(strip);
    // From one column further left: a point that rounding puts just right of the strip's
    // edge still gets the segment that comes into it.
    const double fromKey = scene.keys.lower + (column - 1) * scene.keys.size() / scene.area.width();
    for (const DenseGraph* graph : traces) {
        painter.save();
        (void)graph->drawsColumnsFromData(painter); // sets the pen and antialiasing up
        graph->drawColumnsFrom(painter, column > 0 ? fromKey : -INFINITY);
        painter.restore();
    }
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
    std::optional<int> column = firstColumnToRedraw(scene, traces);
    if (column) {
        scroll(static_cast<int>(std::lround(
            (scene.keys.lower - m_drawn.keys.lower) / scene.keys.size() * scene.area.width())));
    } else {
        const QSize deviceSize = (QSizeF(scene.area.size()) * scene.devicePixelRatio).toSize();
        if (m_image.size() != deviceSize)
            m_image = QImage(deviceSize, QImage::Format_ARGB32_Premultiplied);
        m_image.setDevicePixelRatio(scene.devicePixelRatio);
        column = 0;
    }
    redrawFrom(*column, scene, traces);
    m_changedFrom.clear();
    m_drawn = scene;
    m_valid = true;
    painter->drawImage(scene.area.topLeft(), m_image);
    m_drewThisFrame.assign(traces.begin(), traces.end());
}

} // namespace sightline::ui
