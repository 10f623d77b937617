#pragma once

#include <qcustomplot.h>

namespace sightline::ui {

/// A QCustomPlot whose paint buffer is cleared to its background and copied onto the widget.
/// Stock QCustomPlot clears its buffer to transparent, fills the widget with the background
/// on every paint and then blends the buffer over it (SourceOver, per pixel): on a busy stand
/// most of the time spent outside the traces went there. Here the buffer stays an opaque
/// image, filled once a frame and shown by one plain copy. With more than one paint buffer (a
/// layer buffered on its own) or a background that is not opaque it paints as stock does.
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

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace sightline::ui
