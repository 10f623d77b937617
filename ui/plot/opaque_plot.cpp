#include "ui/plot/opaque_plot.h"

#include "ui/plot/trace_canvas.h"

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
            if (!m_plot.hasOpaqueBackground()) {
                QCPPaintBufferPixmap::clear(color);
                return;
            }
            const QColor background = m_plot.backgroundBrush().color();
            const std::optional<QRect> covered
                = m_plot.cover() != nullptr ? m_plot.cover()->promiseOpaqueArea() : std::nullopt;
            if (!covered) {
                QCPPaintBufferPixmap::clear(background);
                return;
            }
            QPainter painter(&mBuffer); // in the buffer's logical pixels
            painter.setCompositionMode(QPainter::CompositionMode_Source);
            for (const QRect& part : QRegion(QRect(QPoint(0, 0), mSize)) - QRegion(*covered))
                painter.fillRect(part, background);
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

void OpaquePlot::setCover(TraceCanvas* canvas) { m_cover = canvas; }

TraceCanvas* OpaquePlot::cover() const { return m_cover.data(); }

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
