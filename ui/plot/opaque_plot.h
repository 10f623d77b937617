#pragma once

#include <QPointer>
#include <qcustomplot.h>

namespace sightline::ui {

class TraceCanvas;

/// A QCustomPlot whose paint buffer is cleared to its background and copied onto the widget.
/// Stock QCustomPlot clears its buffer to transparent, fills the widget with the background
/// on every paint and then blends the buffer over it (SourceOver, per pixel): on a busy stand
/// most of the time spent outside the traces went there. Here the buffer stays an opaque
/// image, filled once a frame and shown by one plain copy. With more than one paint buffer (a
/// layer buffered on its own) or a background that is not opaque it paints as stock does.
/// Where its trace canvas promises to paint opaquely (the axis rect of a live plot), the
/// buffer is not cleared at all.
class OpaquePlot : public QCustomPlot
{
public:
    explicit OpaquePlot(QWidget* parent = nullptr);

    /// The background brush (QCustomPlot::setBackground).
    [[nodiscard]] const QBrush& backgroundBrush() const { return mBackgroundBrush; }
    /// True when the background is one opaque colour.
    [[nodiscard]] bool hasOpaqueBackground() const;
    /// True when the paint buffer is opaque and shown by a copy.
    [[nodiscard]] bool paintsByCopy() const;
    /// The canvas asked, at each replot, which area it will paint opaquely.
    void setCover(TraceCanvas* canvas);
    [[nodiscard]] TraceCanvas* cover() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QPointer<TraceCanvas> m_cover;
};

} // namespace sightline::ui
