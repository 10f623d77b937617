#include "ui/plot/dense_graph.h"
#include "ui/plot/opaque_plot.h"
#include "ui/plot/trace_canvas.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using sightline::ui::DenseGraph;
using sightline::ui::OpaquePlot;
using sightline::ui::TraceCanvas;

namespace {

/// Keys per pixel column: the x range is as many keys wide as the axis rect is pixels, so a
/// view moved by n keys is moved by n pixels.
constexpr double PointsPerColumn = 4;

/// A plot with two dense traces drawn on a canvas and one sparse trace drawing itself.
class CanvasPlot
{
public:
    /// `solidGrid`: horizontal grid lines solid, so the canvas's image holds the background
    /// and the grid (opaque) instead of only the traces.
    explicit CanvasPlot(bool solidGrid = false)
    {
        m_plot.resize(640, 320);
        if (solidGrid) {
            m_plot.yAxis->grid()->setPen(QPen(QColor(215, 215, 215), 0, Qt::SolidLine));
            m_plot.yAxis->grid()->setZeroLinePen(QPen(QColor(150, 150, 150), 0));
        }
        m_canvas = new TraceCanvas(&m_plot);
        for (const QColor color : { QColor(200, 30, 30), QColor(30, 90, 200) }) {
            auto* graph = new DenseGraph(m_plot.xAxis, m_plot.yAxis); // the plot owns it
            QPen pen(color, 1);
            pen.setCosmetic(true);
            graph->setPen(pen);
            graph->setAntialiased(false);
            graph->setAdaptiveSampling(false);
            graph->setCanvas(m_canvas);
            m_dense.push_back(graph);
        }
        m_sparse = m_plot.addGraph();
        m_sparse->setPen(QPen(QColor(20, 160, 60), 1));
        m_sparse->setAntialiased(false);
        m_plot.yAxis->setRange(-1.5, 1.5);
        m_plot.show(); // resizes take effect at once
        QVERIFY(QTest::qWaitForWindowExposed(&m_plot));
        m_plot.replot(); // lays the axis rect out
    }

    [[nodiscard]] int width() const { return m_plot.axisRect()->width(); }

    /// Noisy samples up to key `end` (several a pixel column, off the column edges).
    void extendTo(double end)
    {
        for (std::size_t t = 0; t < m_dense.size(); ++t) {
            DenseGraph* graph = m_dense[t];
            const double last
                = graph->data()->isEmpty() ? -50 : (graph->data()->constEnd() - 1)->key;
            double key = last + 1 / PointsPerColumn;
            const double firstNew = key;
            for (; key < end; key += 1 / PointsPerColumn) {
                const double value
                    = std::sin(key / (20 + 13 * t)) + 0.4 * (m_random.generateDouble() - 0.5);
                graph->addData(key + 0.0123 * (t + 1), value);
            }
            m_canvas->markChanged(graph, firstNew);
        }
        m_sparse->addData(end, std::cos(end / 40));
    }

    void showFrom(double lower) { m_plot.xAxis->setRange(lower, lower + width()); }

    /// What a following live plot does: samples up to the view's end, the view from `lower`.
    void followTo(double lower)
    {
        extendTo(lower + width() + 0.5);
        showFrom(lower);
    }

    /// Gives trace `trace`'s first sample at or after key `near` the value `value` (late data
    /// in a column drawn before) and, when `mark`, tells the canvas so.
    void changeSample(std::size_t trace, double near, double value, bool mark)
    {
        DenseGraph& graph = *m_dense[trace];
        const double key = graph.data()->findBegin(near, false)->key;
        graph.data()->remove(key);
        graph.addData(key, value);
        if (mark)
            m_canvas->markChanged(&graph, key);
    }

    /// The live frame (through the canvas) and the same frame drawn afresh, over the axis
    /// rect: at a device pixel ratio of 1 by each trace itself (an export), at others (where
    /// an export's pixels differ) by the canvas after invalidate().
    [[nodiscard]] std::pair<QImage, QImage> frames()
    {
        m_plot.replot();
        m_drawnColumns = m_canvas->lastDrawnColumns(); // grab() may replot again
        const QImage live = areaOf(m_plot.grab().toImage());
        if (m_plot.devicePixelRatioF() == 1)
            return { live, areaOf(m_plot.toPixmap(m_plot.width(), m_plot.height()).toImage()) };
        m_canvas->invalidate();
        m_plot.replot();
        return { live, areaOf(m_plot.grab().toImage()) };
    }

    /// Pixels of the two frames that differ.
    [[nodiscard]] int differingPixels()
    {
        const auto [live, reference] = frames();
        int differing = 0;
        for (int y = 0; y < live.height(); ++y)
            for (int x = 0; x < live.width(); ++x)
                differing += live.pixel(x, y) != reference.pixel(x, y) ? 1 : 0;
        return differing;
    }

    /// Pixel columns the canvas drew for the last frames().
    [[nodiscard]] int drawnColumns() const { return m_drawnColumns; }
    QCustomPlot& plot() { return m_plot; }
    /// The axis rect's pixels of `image` (of the whole plot, at any device pixel ratio).
    [[nodiscard]] QImage areaOf(const QImage& image) const
    {
        const QRect area = m_plot.axisRect()->rect();
        const qreal ratio = image.devicePixelRatio();
        return image
            .copy(QRect((QPointF(area.topLeft()) * ratio).toPoint(),
                (QSizeF(area.size()) * ratio).toSize()))
            .convertToFormat(QImage::Format_RGB32);
    }
    TraceCanvas& canvas() { return *m_canvas; }
    DenseGraph& dense(std::size_t i) { return *m_dense[i]; }

private:
    OpaquePlot m_plot;
    TraceCanvas* m_canvas = nullptr;
    std::vector<DenseGraph*> m_dense;
    QCPGraph* m_sparse = nullptr;
    QRandomGenerator m_random { 7 };
    int m_drawnColumns = 0;
};

} // namespace

class TestTraceCanvas : public QObject
{
    Q_OBJECT

private slots:
    void followingLiveRedrawsOnlyTheNewColumnsAndDrawsTheSamePixels_data()
    {
        QTest::addColumn<bool>("opaque");
        QTest::newRow("traces only") << false;
        QTest::newRow("background and grid too") << true;
    }

    void followingLiveRedrawsOnlyTheNewColumnsAndDrawsTheSamePixels()
    {
        QFETCH(bool, opaque);
        CanvasPlot plot(opaque);
        const int width = plot.width();
        double lower = 0;
        plot.followTo(lower);
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), width); // the first frame: all of it
        // Opaque, the plot's buffer need not be cleared under the canvas.
        QCOMPARE(plot.canvas().promiseOpaqueArea().has_value(), opaque);
        for (const int step : { 1, 1, 3, 7, 2, 40, 1 }) {
            lower += step;
            plot.followTo(lower);
            QCOMPARE(plot.differingPixels(), 0);
            // The columns that came in and the one whose last segment changed, not the rest.
            QVERIFY2(plot.drawnColumns() <= step + 2,
                qPrintable(
                    QStringLiteral("step %1 drew %2 columns").arg(step).arg(plot.drawnColumns())));
        }
    }

    void theRingOfColumnsWrapsAroundAndStaysRight_data()
    {
        followingLiveRedrawsOnlyTheNewColumnsAndDrawsTheSamePixels_data();
    }

    void theRingOfColumnsWrapsAroundAndStaysRight()
    {
        // Far more columns scroll by than the canvas is wide, so where the image starts goes
        // round it several times; a sample changes now and then in the middle of the view.
        QFETCH(bool, opaque);
        CanvasPlot plot(opaque);
        const int width = plot.width();
        double lower = 0;
        plot.followTo(lower);
        QCOMPARE(plot.differingPixels(), 0);
        for (int step = 0; step < 60; ++step) {
            lower += 25 + (step * 7) % 23;
            plot.followTo(lower);
            if (step % 6 == 5)
                plot.changeSample(1, lower + width * 0.3, 1.45, true);
            QVERIFY2(plot.differingPixels() == 0, qPrintable(QStringLiteral("step %1").arg(step)));
            QVERIFY(plot.drawnColumns() < width);
        }
        QVERIFY(lower > 3 * width);
    }

    void theUnclearedAreaIsPaintedWhenNoTraceIsDrawnThere()
    {
        // After an opaque frame the buffer is not cleared under the canvas; when the canvas
        // then has nothing to draw, it still paints the area (no stale traces left).
        CanvasPlot plot(true);
        plot.followTo(0);
        QCOMPARE(plot.differingPixels(), 0);
        plot.dense(0).setVisible(false);
        plot.dense(1).setVisible(false);
        QCOMPARE(plot.differingPixels(), 0);
    }

    void aChangeInsideTheViewIsDrawnFromWhereItChanged()
    {
        CanvasPlot plot;
        const int width = plot.width();
        plot.followTo(0);
        QCOMPARE(plot.differingPixels(), 0);
        plot.changeSample(0, width / 2.0, -1.4, true); // in the middle of the view
        QCOMPARE(plot.differingPixels(), 0);
        QVERIFY(plot.drawnColumns() < width / 2 + 3);
        QVERIFY(plot.drawnColumns() >= width / 2 - 3);
    }

    void anUnmarkedChangeIsNotDrawnSoTheComparisonCanFail()
    {
        CanvasPlot plot;
        const int width = plot.width();
        plot.followTo(0);
        QCOMPARE(plot.differingPixels(), 0);
        // The same change, not marked: the canvas keeps the old pixels (the contract), and
        // the comparison above sees it.
        plot.changeSample(0, width / 2.0, -1.4, false);
        QVERIFY(plot.differingPixels() > 0);
    }

    void otherChangesDrawEverythingAfresh()
    {
        CanvasPlot plot;
        const int width = plot.width();
        plot.extendTo(width + 100);
        plot.showFrom(0);
        QCOMPARE(plot.differingPixels(), 0);
        plot.plot().yAxis->setRange(-2, 2); // rescaled
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), plot.width()); // labels may resize the rect
        plot.plot().xAxis->setRange(10.5, 10.5 + width); // moved by half a pixel
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), plot.width()); // labels may resize the rect
        plot.plot().xAxis->setRange(10.5, 10.5 + width / 2.0); // zoomed
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), plot.width()); // labels may resize the rect
        QPen recoloured(QColor(250, 160, 0), 1);
        recoloured.setCosmetic(true); // still drawn on the canvas
        plot.dense(1).setPen(recoloured);
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), plot.width()); // labels may resize the rect
        plot.dense(1).setVisible(false); // hidden
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), plot.width()); // labels may resize the rect
        plot.plot().resize(500, 300); // replots at once, at the new size
        QCOMPARE(plot.canvas().lastDrawnColumns(), plot.width());
        QCOMPARE(plot.differingPixels(), 0);
        plot.canvas().invalidate();
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), plot.width());
    }

    void nothingChangedDrawsNoColumn()
    {
        CanvasPlot plot;
        plot.extendTo(plot.width());
        plot.showFrom(0);
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.differingPixels(), 0);
        QCOMPARE(plot.drawnColumns(), 0);
    }
};

QTEST_MAIN(TestTraceCanvas)
#include "tst_trace_canvas.moc"
