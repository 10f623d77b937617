#include "ui/plot/opaque_plot.h"

namespace sightline::ui {

namespace {

    /// The plot's first paint buffer: cleared to the plot's background instead of to
    /// transparent when that background is opaque, so the buffer stays an opaque image
    /// (one fill a frame, no alpha to blend) and is shown by a copy.
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
            QCPPaintBufferPixmap::clear(
                m_plot.hasOpaqueBackground() ? m_plot.backgroundBrush().color() : color);
        }

    private:
        const OpaquePlot& m_plot;
    };

} // namespace

OpaquePlot::OpaquePlot(QWidget* parent)
    : QCustomPlot(parent)
{
    // QCustomPlot makes its first buffer only when it has none (and never replaces it).
    mPaintBuffers.clear();
    mPaintBuffers.append(QSharedPointer<QCPAbstractPaintBuffer>(
        new BackgroundBuffer(*this, viewport().size(), bufferDevicePixelRatio())));
}

bool OpaquePlot::hasOpaqueBackground() const
{
    return mBackgroundBrush.style() == Qt::SolidPattern && mBackgroundBrush.color().alpha() == 255;
}

bool OpaquePlot::paintsByCopy() const
{
    return mPaintBuffers.size() == 1 && hasOpaqueBackground()
        && dynamic_cast<const BackgroundBuffer*>(mPaintBuffers.first().data()) != nullptr;
}

void OpaquePlot::paintEvent(QPaintEvent* event)
{
    if (!paintsByCopy()) {
        QCustomPlot::paintEvent(event);
        return;
    }
    QCPPainter painter(this);
    if (!painter.isActive())
        return;
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    mPaintBuffers.first()->draw(&painter);
}

} // namespace sightline::ui
