#pragma once

#include <QPointer>
#include <QRect>
#include <qcustomplot.h>

#include <optional>

namespace sightline::ui {

class TraceCanvas;

/// A QCustomPlot that draws each frame straight onto the widget. Stock QCustomPlot draws a
/// replot into a paint buffer (cleared to transparent), then paints the widget by filling it
/// with the background and blending the buffer over it: at 1920 × 540 that copy alone was a
/// third of a live frame. Here, while the plot paints directly (one paint buffer, every layer
/// logical, an opaque background colour and no background pixmap), present() only schedules
/// a paint, and the paint event fills the background and draws the layers onto the widget.
/// Where its trace canvas promises to paint opaquely (the axis rect of a live plot), neither
/// the background nor the layers below the canvas (its image holds them) are painted there.
/// replot() still works as stock does (QCustomPlot's own interactions and resizes call it; the
/// paint that follows draws directly too), and any other plot paints as stock does.
class OpaquePlot : public QCustomPlot
{
    Q_OBJECT

public:
    explicit OpaquePlot(QWidget* parent = nullptr);

    /// The background brush (QCustomPlot::setBackground).
    [[nodiscard]] const QBrush& backgroundBrush() const { return mBackgroundBrush; }
    /// True when the background is one opaque colour.
    [[nodiscard]] bool hasOpaqueBackground() const;
    /// True when the paint event draws the frame onto the widget (see the class comment).
    [[nodiscard]] bool paintsDirectly() const;
    /// Shows the plot as it is now: a paint of the widget when it paints directly and is
    /// visible (with the next paint Qt makes; at once where QCP::phImmediateRefresh was set
    /// again, which OpaquePlot clears), a queued replot otherwise. What the plot's owners call
    /// where they would replot.
    void present();
    /// Paints what was presented now (a replot where the plot does not paint directly), for
    /// a caller that must know the pixels are there (benchmarks, tests).
    void presentNow();

    /// The canvas asked, at each frame, which area it will paint opaquely.
    void setCover(TraceCanvas* canvas);
    [[nodiscard]] TraceCanvas* cover() const;

    /// QCPLayer::draw (protected): a layer's visible children drawn with `painter`.
    static void drawLayer(QCPLayer& layer, QCPPainter& painter);

Q_SIGNALS:
    /// A frame was painted onto the widget (directly or from the paint buffer).
    void framePainted();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    /// Fills the viewport with the background colour except where the canvas promised to
    /// paint; returns that area (none: filled everywhere).
    std::optional<QRect> fillBackground(QPainter& painter);

    QPointer<TraceCanvas> m_cover;
};

} // namespace sightline::ui
