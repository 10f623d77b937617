#pragma once

#include <QImage>
#include <qcustomplot.h>

#include <map>
#include <optional>
#include <vector>

namespace sightline::ui {

class DenseGraph;

/// Draws a plot's dense traces (DenseGraphs given this canvas) into one image kept from frame
/// to frame, so that a frame redraws only the pixel columns that changed. When the key axis
/// moved by whole pixels (a live plot following in steps of its column grid) and nothing else
/// about the drawing changed, the image, a ring of columns, moves where it starts and only
/// the columns that came in, and those from the earliest changed point on (markChanged), are
/// drawn again. Anything else (a resize, a zoom, a value axis rescaled, a trace shown, hidden
/// or recoloured, invalidate(), a device pixel ratio that is not whole) draws the whole image.
/// The image is then blended onto the plot's buffer (in two pieces where the ring wraps).
///
/// Only frames drawn into the plot's own paint buffer use the canvas: exports (toPixmap,
/// savePdf) draw each trace itself at the export's scale. Sparse traces draw themselves
/// above the canvas. GUI thread only.
class TraceCanvas : public QCPLayerable
{
public:
    /// Puts the canvas on the plot's main layer, below graphs added afterwards.
    explicit TraceCanvas(QCustomPlot* plot);

    /// The points of `graph` from `key` on may differ from what was drawn (those before it
    /// kept their keys and values); -infinity: all of them.
    void markChanged(const DenseGraph* graph, double key);
    /// Draws everything afresh at the next frame.
    void invalidate() { m_valid = false; }
    /// Whether the last frame drew `graph` here (DenseGraph::draw then draws nothing).
    [[nodiscard]] bool drew(const DenseGraph* graph) const;

    /// The area this frame's draw() will paint opaquely, so the plot's buffer need not be
    /// cleared there (OpaquePlot asks before drawing the layers): the canvas's image holds
    /// the plot's background and the layers below the canvas (the grid) under the traces,
    /// and is copied, not blended. Nullopt when the last frame was not drawn that way into
    /// the same area. Once it was asked, draw() paints all of that area whatever happens.
    [[nodiscard]] std::optional<QRect> promiseOpaqueArea();

    /// Pixel columns drawn at the last frame (the canvas width when drawn afresh), for tests
    /// and benchmarks.
    [[nodiscard]] int lastDrawnColumns() const { return m_lastDrawnColumns; }

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;

private:
    /// How one trace was drawn: the canvas draws it the same again only while this holds.
    struct TraceLook
    {
        const DenseGraph* graph = nullptr;
        QCPRange values;
        QRgb color = 0;
        double penWidth = 0;

        friend bool operator==(const TraceLook&, const TraceLook&) = default;
    };
    /// What a frame drew: the geometry, the key range and every trace's look; when opaque,
    /// the background and what lies below the canvas (its visible layerables, the ranges of
    /// the axes other than the key axis that their grids follow).
    struct Scene
    {
        QRect area;
        double devicePixelRatio = 1;
        QCPRange keys;
        std::vector<TraceLook> traces;
        QRgb background = 0; ///< opaque: the plot's background colour; 0: a transparent image
        std::vector<const QCPLayerable*> backdrop;
        std::vector<QCPRange> otherAxes;

        [[nodiscard]] bool opaque() const { return qAlpha(background) == 255; }
    };

    /// Whether this frame goes through the canvas (the plot's own buffer, not an export).
    [[nodiscard]] static bool drawsOnScreen(const QCPPainter& painter);
    /// The traces this frame draws here, set up on `painter`'s state in turn.
    [[nodiscard]] std::vector<DenseGraph*> tracesToDraw(QCPPainter& painter) const;
    [[nodiscard]] Scene sceneOf(const std::vector<DenseGraph*>& traces) const;
    /// The first pixel column (from the area's left) to draw again when the image drawn last
    /// is moved to `scene`, or nullopt when it cannot be moved (everything is drawn afresh).
    [[nodiscard]] std::optional<int> firstColumnToRedraw(const Scene& scene,
        const std::vector<DenseGraph*>& traces) const;
    /// Calls f(first, last, shift) for the canvas columns [from, width) as they lie in the
    /// image, a ring: columns [first, last) are image columns [first + shift, last + shift).
    template <typename F> void forEachPiece(int from, int width, F&& f) const;
    /// Clears the columns from `column` on (to the background and what lies below the
    /// canvas, when opaque) and draws the traces over them.
    void redrawFrom(int column, const Scene& scene, const std::vector<DenseGraph*>& traces);
    /// Whether the image can hold the backdrop: an opaque plot background (OpaquePlot), a whole
    /// device pixel ratio, nothing drawn before the canvas on its layer, and below it only
    /// what scrolls with the keys: grids (horizontal lines solid: dashes keep their
    /// phase where a line starts), layouts and an axis rect without a background of its own.
    [[nodiscard]] bool canBeOpaque(double devicePixelRatio) const;
    /// The visible layers below the canvas's, bottom first.
    [[nodiscard]] std::vector<QCPLayer*> layersBelow() const;
    /// Draws the layers below the canvas's with `painter` (set up for plot coordinates).
    void drawBackdrop(QCPPainter& painter) const;
    /// Paints the promised area as a buffer cleared there would show before the canvas.
    void fillPromised(QCPPainter& painter, QRect area) const;

    QImage m_image;
    int m_offset = 0; ///< the image column (logical) holding the canvas's first column
    Scene m_drawn;
    bool m_valid = false;
    std::map<const DenseGraph*, double> m_changedFrom;
    std::vector<const DenseGraph*> m_drewThisFrame; ///< compared, never dereferenced
    int m_lastDrawnColumns = 0;
    std::optional<QRect> m_promised; ///< asked for this frame, not yet painted
};

} // namespace sightline::ui
