#include "ui/plot/dense_graph.h"

#include <QPicture>
#include <QRandomGenerator>
#include <QTest>
#include <qcustomplot.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

using sightline::ui::DenseGraph;

namespace {

const QColor Trace(200, 30, 30);

/// Per pixel column of the axis rect, the top and bottom row of trace-coloured pixels
/// (-1, -1 when there are none).
std::vector<std::pair<int, int>> columnExtents(const QImage& image, const QRect& area)
{
    std::vector<std::pair<int, int>> extents;
    for (int x = area.left(); x <= area.right(); ++x) {
        int top = -1;
        int bottom = -1;
        for (int y = area.top(); y <= area.bottom(); ++y) {
            if (image.pixelColor(x, y) == Trace) {
                top = top < 0 ? y : top;
                bottom = y;
            }
        }
        extents.emplace_back(top, bottom);
    }
    return extents;
}

/// A DenseGraph on `plot` (which owns it) with a 1 px cosmetic pen, aliased, every point.
DenseGraph* aliasedDenseTrace(QCustomPlot& plot)
{
    auto* graph = new DenseGraph(plot.xAxis, plot.yAxis);
    QPen pen(Trace, 1);
    pen.setCosmetic(true);
    graph->setPen(pen);
    graph->setAntialiased(false);
    graph->setAdaptiveSampling(false);
    return graph;
}

/// What render() draws with.
struct Drawing
{
    bool dense = true;
    bool pixelsFromData = true; ///< DenseGraph::setPixelsFromData
    QCPRange keys { 0, 1 };
    QCPRange values { -1.2, 1.2 };
};

/// Renders `keys`/`values` with a stock QCPGraph or a DenseGraph (aliased, 1 px cosmetic pen).
QImage render(const Drawing& drawing,
    const QVector<double>& keys,
    const QVector<double>& values,
    QRect* area = nullptr)
{
    QCustomPlot plot;
    plot.resize(600, 300);
    QCPGraph* graph = nullptr;
    if (drawing.dense) {
        auto* dense = new DenseGraph(plot.xAxis, plot.yAxis); // the plot owns it
        dense->setPixelsFromData(drawing.pixelsFromData);
        graph = dense;
    } else {
        graph = plot.addGraph();
    }
    QPen pen(Trace, 1);
    pen.setCosmetic(true);
    graph->setPen(pen);
    graph->setAntialiased(false);
    graph->setAdaptiveSampling(false);
    graph->setData(keys, values, true);
    plot.xAxis->setRange(drawing.keys);
    plot.yAxis->setRange(drawing.values);
    plot.replot();
    if (area != nullptr)
        *area = plot.axisRect()->rect();
    return plot.toPixmap(600, 300).toImage();
}

/// The same with a stock QCPGraph (false) or a DenseGraph (true) over the default ranges.
QImage render(bool dense, const QVector<double>& keys, const QVector<double>& values, QRect* area)
{
    Drawing drawing;
    drawing.dense = dense;
    return render(drawing, keys, values, area);
}

} // namespace

class TestDenseGraph : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void denseTraceCoversTheSamePixelsAsThePolyline_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<double>("noise");
        QTest::addColumn<double>("cover"); // the share of the width the trace spans
        QTest::newRow("noisy, 4 per column") << 2400 << 0.8 << 1.0;
        QTest::newRow("smooth, 4 per column") << 2400 << 0.0 << 1.0;
        QTest::newRow("noisy, 20 per column") << 12'000 << 0.3 << 1.0;
        // A live window still filling: dense in the quarter it spans.
        QTest::newRow("noisy, 3 per column, a quarter of the width") << 450 << 0.8 << 0.25;
    }

    void denseTraceCoversTheSamePixelsAsThePolyline()
    {
        // Each column's run of trace pixels matches the aliased polyline's to within a pixel
        // (the two rasterise a segment's ends slightly differently).
        QFETCH(int, points);
        QFETCH(double, noise);
        QFETCH(double, cover);
        QRandomGenerator random(9);
        QVector<double> keys;
        QVector<double> values;
        for (int i = 0; i < points; ++i) {
            keys.push_back(1.0 - cover + cover * double(i) / points);
            values.push_back(
                std::sin(i * 12.0 / points) * 0.5 + noise * (random.generateDouble() - 0.5));
        }
        values[points / 2] = std::nan(""); // a break in the line
        QRect area;
        const auto stock = columnExtents(render(false, keys, values, &area), area);
        const auto dense = columnExtents(render(true, keys, values, &area), area);
        QCOMPARE(dense.size(), stock.size());
        // Where QPainter splits a steep segment between two columns differs by a few rows,
        // so each column is compared with the other's run of it and its neighbours.
        const auto near = [](const std::vector<std::pair<int, int>>& runs, std::size_t x) {
            std::pair<int, int> span { INT_MAX, INT_MIN };
            for (std::size_t n = x > 0 ? x - 1 : 0; n <= std::min(x + 1, runs.size() - 1); ++n)
                if (runs[n].first >= 0)
                    span = { std::min(span.first, runs[n].first - 1),
                        std::max(span.second, runs[n].second + 1) };
            return span;
        };
        int drawn = 0;
        for (std::size_t x = 0; x < stock.size(); ++x) {
            QCOMPARE(dense[x].first < 0, stock[x].first < 0); // same columns drawn
            if (stock[x].first < 0)
                continue;
            ++drawn;
            const auto aroundStock = near(stock, x);
            const auto aroundDense = near(dense, x);
            QVERIFY2(dense[x].first >= aroundStock.first && dense[x].second <= aroundStock.second,
                qPrintable(QStringLiteral("column %1 drawn beyond the polyline").arg(x)));
            QVERIFY2(stock[x].first >= aroundDense.first && stock[x].second <= aroundDense.second,
                qPrintable(QStringLiteral("column %1 misses the polyline").arg(x)));
        }
        QVERIFY2(drawn > int(double(stock.size()) * cover * 0.9),
            qPrintable(QString::number(drawn)));
    }

    void aTraceSpanningPartOfThePlotIsDenseByItsOwnWidth()
    {
        // 400 points in the right quarter of a ~550 px axis rect: fewer than the rect's
        // columns, more than those they span.
        QCustomPlot plot;
        plot.resize(600, 300);
        DenseGraph* graph = aliasedDenseTrace(plot);
        plot.xAxis->setRange(0, 1);
        plot.yAxis->setRange(-1, 1);
        const auto spanning = [&](int points, double cover) {
            QVector<double> keys;
            QVector<double> values;
            for (int i = 0; i < points; ++i) {
                keys.push_back(1.0 - cover + cover * double(i) / points);
                values.push_back(i % 2 == 0 ? 0.5 : -0.5);
            }
            graph->setData(keys, values, true);
            plot.replot();
            QImage image(600, 300, QImage::Format_ARGB32_Premultiplied);
            QCPPainter painter(&image);
            return graph->drawsColumnsFromData(painter);
        };
        QVERIFY(spanning(400, 0.25));
        QVERIFY(plot.axisRect()->width() > 400);
        QVERIFY(!spanning(100, 0.25)); // sparse where it is: a polyline
        QVERIFY(!spanning(400, 1.0)); // fewer points than columns
    }

    void pixelsWrittenDirectlyEqualTheFilledRuns_data()
    {
        QTest::addColumn<double>("noise");
        QTest::newRow("a noisy sine: thin and tall runs") << 0.4;
        QTest::newRow("noise over the whole height: strips written row by row") << 3.0;
    }

    void pixelsWrittenDirectlyEqualTheFilledRuns()
    {
        // Into an image the runs are written pixel by pixel; into a QPicture (no pixels to
        // write) they are filled as rectangles. Replayed onto an image, both are identical,
        // clipped to the axis rect alike.
        QFETCH(double, noise);
        QRandomGenerator random(3);
        QVector<double> keys;
        QVector<double> values;
        for (int i = 0; i < 9000; ++i) {
            keys.push_back(double(i) / 9000 * 1.1 - 0.05); // a little beyond both edges
            values.push_back(std::sin(i * 0.004) * 1.4 + noise * (random.generateDouble() - 0.5));
        }
        QCustomPlot plot;
        plot.resize(600, 300);
        DenseGraph* graph = aliasedDenseTrace(plot);
        graph->setData(keys, values, true);
        plot.xAxis->setRange(0, 1);
        plot.yAxis->setRange(-1.2, 1.2); // the trace goes past the top and bottom
        plot.replot();

        QImage direct(600, 300, QImage::Format_ARGB32_Premultiplied);
        direct.fill(Qt::white);
        {
            QCPPainter painter(&direct);
            plot.toPainter(&painter, 600, 300);
        }
        QPicture picture;
        {
            QCPPainter painter(&picture);
            plot.toPainter(&painter, 600, 300);
        }
        QImage filled(600, 300, QImage::Format_ARGB32_Premultiplied);
        filled.fill(Qt::white);
        {
            QPainter painter(&filled);
            picture.play(&painter);
        }
        const QRect area = plot.axisRect()->rect();
        const auto directRuns = columnExtents(direct, area);
        const auto drawn = std::count_if(directRuns.begin(), directRuns.end(), [](const auto& r) {
            return r.first >= 0;
        });
        // Every column but where the trace is above or below the range.
        QVERIFY2(drawn > area.width() * 3 / 4, qPrintable(QString::number(drawn)));
        QCOMPARE(directRuns, columnExtents(filled, area));
        QCOMPARE(direct.copy(area), filled.copy(area)); // and pixel for pixel
        QCOMPARE(columnExtents(direct, QRect(0, 0, 600, area.top())),
            columnExtents(filled, QRect(0, 0, 600, area.top()))); // nothing above the rect
    }

    void pixelsFromTheDataEqualThoseFromTheLineList_data()
    {
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        QTest::newRow("the whole trace") << 0.0 << 1.0;
        QTest::newRow("zoomed in, clipped both sides") << 0.3 << 0.45;
        QTest::newRow("large keys (seconds since an origin)") << 0.0 << 1.0;
    }
    void pixelsFromTheDataEqualThoseFromTheLineList()
    {
        // Computing each point's pixel from the data (the default) draws exactly what going
        // through QCPGraph's line list draws, NaN breaks and clipping included.
        QFETCH(double, lower);
        QFETCH(double, upper);
        const double offset = QByteArray(QTest::currentDataTag()).startsWith("large") ? 86'400 : 0;
        QRandomGenerator random(5);
        QVector<double> keys;
        QVector<double> values;
        for (int i = 0; i < 20'000; ++i) {
            keys.push_back(offset + double(i) / 20'000);
            values.push_back(std::sin(i * 0.002) + 0.5 * (random.generateDouble() - 0.5));
        }
        values[7'000] = std::nan("");
        const auto draw = [&](bool fromData) {
            Drawing drawing;
            drawing.pixelsFromData = fromData;
            drawing.keys = QCPRange(offset + lower, offset + upper);
            drawing.values = QCPRange(-1.1, 1.1);
            return render(drawing, keys, values);
        };
        const QImage fromData = draw(true);
        const QImage fromLines = draw(false);
        QCOMPARE(fromData, fromLines);
        QRect area(60, 20, 500, 240);
        const auto runs = columnExtents(fromData, area);
        QVERIFY(std::count_if(runs.begin(), runs.end(), [](const auto& r) { return r.first >= 0; })
            > 400); // something was drawn
    }

    void sparseTraceIsDrawnAsBefore()
    {
        QVector<double> keys { 0.1, 0.4, 0.7, 0.9 };
        QVector<double> values { -0.5, 0.8, 0.1, 0.3 };
        QRect area;
        const QImage stock = render(false, keys, values, &area);
        const QImage dense = render(true, keys, values, &area);
        QCOMPARE(dense, stock);
    }
};

QTEST_MAIN(TestDenseGraph)
#include "tst_dense_graph.moc"
