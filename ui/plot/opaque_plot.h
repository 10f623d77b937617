#pragma once

#include <qcustomplot.h>

namespace sightline::ui {

/// A QCustomPlot that paints its background into its paint buffer and copies the buffer onto
/// the widget. Stock QCustomPlot fills the widget with the background on every paint and
/// then blends its transparent buffer over it (SourceOver, per pixel): on a busy stand most
/// of the time spent outside the traces went there. Here a backdrop on the bottom layer
/// makes the buffer opaque, so one plain copy shows it. With more than one paint buffer (a
/// layer buffered on its own) or a background that is not opaque it paints as stock does.
class OpaquePlot : public QCustomPlot
{
public:
    explicit OpaquePlot(QWidget* parent = nullptr);

    /// The background brush (QCustomPlot::setBackground).
    [[nodiscard]] const QBrush& backgroundBrush() const { return mBackgroundBrush; }
    /// True when the paint buffer is opaque and shown by a copy.
    [[nodiscard]] bool paintsByCopy() const;

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace sightline::ui
