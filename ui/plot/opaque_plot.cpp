#include "ui/plot/opaque_plot.h"

namespace sightline::ui {

namespace {

    /// Fills the whole viewport with the plot's background, first of all layerables.
    class Backdrop : public QCPLayerable
    {
    public:
        explicit Backdrop(OpaquePlot* plot)
            : QCPLayerable(plot, QStringLiteral("background"))
            , m_plot(plot)
        {
            moveToLayer(plot->layer(QStringLiteral("background")), true);
        }

    protected:
        void applyDefaultAntialiasingHint(QCPPainter* painter) const override
        {
            painter->setAntialiasing(false);
        }
        void draw(QCPPainter* painter) override
        {
            painter->fillRect(m_plot->viewport(), m_plot->backgroundBrush());
        }

    private:
        OpaquePlot* m_plot;
    };

} // namespace

OpaquePlot::OpaquePlot(QWidget* parent)
    : QCustomPlot(parent)
{
    new Backdrop(this); // owned by the plot, as its items are
}

bool OpaquePlot::paintsByCopy() const
{
    return mPaintBuffers.size() == 1 && mBackgroundBrush.style() == Qt::SolidPattern
        && mBackgroundBrush.color().alpha() == 255;
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
