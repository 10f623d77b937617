#include "ui/plot/opaque_plot.h"

#include "ui/plot/trace_canvas.h"

namespace sightline::ui {

namespace {

    /// The plot's first paint buffer: where the plot paints directly, a replot (QCustomPlot's
    /// own, on an interaction or a resize) still draws into it but it is never shown, so it is
    /// not cleared.
    class BackgroundBuffer : public QCPPaintBufferPixmap
    {
    public:
        BackgroundBuffer(const OpaquePlot& plot, const QSize& size, double devicePixelRatio)
            : QCPPaintBufferPixmap(size, devicePixelRatio)
            , m_plot(plot)
        {
        }

        void clear(const QColor& color) override
        {
            if (!m_plot.paintsDirectly())
                QCPPaintBufferPixmap::clear(color);
        }

    private:
        const OpaquePlot& m_plot;
    };

    /// QCPLayer::draw is protected: reached through a derived type's member pointer.
    struct LayerAccess : QCPLayer
    {
        static void drawOn(QCPLayer& layer, QCPPainter& painter)
        {
            (layer.*(&LayerAccess::draw))(&painter);
        }
    };

} // namespace

OpaquePlot::OpaquePlot(QWidget* parent)
    : QCustomPlot(parent)
{
    // QCustomPlot makes its first buffer only when it has none (and never replaces it).
    mPaintBuffers.clear();
    mPaintBuffers.append(QSharedPointer<QCPAbstractPaintBuffer>(
        new BackgroundBuffer(*this, viewport().size(), bufferDevicePixelRatio())));
    // Presented frames are painted when Qt paints the window next (right after the plot
    // clock's slot returns), all plots in one pass and one flush, not one by one.
    setPlottingHint(QCP::phImmediateRefresh, false);
}

bool OpaquePlot::hasOpaqueBackground() const
{
    return mBackgroundBrush.style() == Qt::SolidPattern && mBackgroundBrush.color().alpha() == 255;
}

bool OpaquePlot::paintsDirectly() const
{
    if (!hasOpaqueBackground() || !mBackgroundPixmap.isNull() || mPaintBuffers.size() != 1
        || dynamic_cast<const BackgroundBuffer*>(mPaintBuffers.first().data()) == nullptr)
        return false;
    for (const QCPLayer* layer : mLayers)
        if (layer->mode() != QCPLayer::lmLogical)
            return false;
    return true;
}

void OpaquePlot::present()
{
    if (!paintsDirectly() || !isVisible()) {
        replot(rpQueuedReplot);
        return;
    }
    if (mPlottingHints.testFlag(QCP::phImmediateRefresh))
        repaint();
    else
        update();
}

void OpaquePlot::presentNow()
{
    if (paintsDirectly() && isVisible())
        repaint();
    else
        replot(rpImmediateRefresh);
}

void OpaquePlot::setCover(TraceCanvas* canvas) { m_cover = canvas; }

TraceCanvas* OpaquePlot::cover() const { return m_cover.data(); }

void OpaquePlot::drawLayer(QCPLayer& layer, QCPPainter& painter)
{
    LayerAccess::drawOn(layer, painter);
}

std::optional<QRect> OpaquePlot::fillBackground(QPainter& painter)
{
    const QColor background = mBackgroundBrush.color();
    const std::optional<QRect> covered
        = m_cover != nullptr ? m_cover->promiseOpaqueArea() : std::nullopt;
    if (!covered) {
        painter.fillRect(mViewport, background);
        return covered;
    }
    for (const QRect& part : QRegion(mViewport) - QRegion(*covered))
        painter.fillRect(part, background);
    return covered;
}

void OpaquePlot::paintEvent(QPaintEvent* event)
{
    // With an opaque background every pixel is painted: Qt need not paint what lies behind
    // the widget first (from the next paint on).
    setAttribute(Qt::WA_OpaquePaintEvent, hasOpaqueBackground());
    if (!paintsDirectly()) {
        QCustomPlot::paintEvent(event);
        Q_EMIT framePainted();
        return;
    }
    // The window moved to a screen with another pixel ratio: what is drawn at the buffer's
    // ratio (the trace canvas's image) follows it, as QCustomPlot's own paint does.
    if (bufferDevicePixelRatio() != devicePixelRatioF())
        setBufferDevicePixelRatio(devicePixelRatioF());
    QCPPainter painter(this);
    if (!painter.isActive())
        return;
    updateLayout(); // as a replot does: the axes' margins follow their tick labels
    // Where the canvas promised its area, what lies below it (the grid: all inside that
    // area, see TraceCanvas::canBeOpaque) is in its image already.
    const int firstLayer = fillBackground(painter) ? m_cover->layer()->index() : 0;
    for (QCPLayer* layer : mLayers)
        if (layer->index() >= firstLayer)
            drawLayer(*layer, painter);
    Q_EMIT framePainted();
}

} // namespace sightline::ui
