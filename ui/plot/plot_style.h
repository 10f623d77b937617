#pragma once

#include <QColor>
#include <QLocale>
#include <QPalette>
#include <QPen>
#include <QString>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <optional>

namespace sightline::ui {

/// A trace's pen: thin and cosmetic, because wide pens go through QPainter's stroker, which is
/// many times slower on dense traces.
inline QPen tracePen(const QColor& color)
{
    QPen pen(color, 1);
    pen.setCosmetic(true);
    return pen;
}

/// Shows or hides `axis`. Hidden, it also makes no ticks or labels: QCustomPlot makes them for
/// every axis of an axis rect, shown or not, on each layout pass (each frame of a live plot).
inline void showAxis(QCPAxis& axis, bool shown)
{
    axis.setVisible(shown);
    axis.setTicks(shown);
    axis.setTickLabels(shown);
}

/// The colours a plot draws with besides its traces, taken from the application palette so
/// live plots, history plots and their items follow the light or dark theme.
struct PlotTheme
{
    QColor background;
    QColor foreground;
    QColor grid;
    QColor subGrid;
    QColor readoutBackground;
    QColor readoutBorder;
    QColor cursor;
    QColor hint;
    QColor warning;
    QColor limit;
    bool dark = false;

    /// The theme that matches a palette (dark when its window colour is dark).
    static PlotTheme fromPalette(const QPalette& palette)
    {
        PlotTheme theme;
        theme.dark = palette.color(QPalette::Window).lightness() < 128;
        theme.background = palette.color(QPalette::Base);
        theme.foreground = palette.color(QPalette::Text);
        // Faint solid lines (a live plot's canvas scrolls them with its traces; dotted ones
        // would keep their dots where the line starts).
        theme.grid = theme.dark ? QColor(52, 52, 58) : QColor(232, 232, 232);
        theme.subGrid = theme.dark ? QColor(42, 42, 46) : QColor(244, 244, 244);
        theme.readoutBackground = theme.dark ? QColor(45, 45, 50, 235) : QColor(255, 255, 255, 235);
        theme.readoutBorder = theme.dark ? QColor(110, 110, 118) : QColor(160, 160, 160);
        theme.cursor = theme.dark ? QColor(170, 170, 176) : QColor(120, 120, 120);
        theme.hint = palette.color(QPalette::PlaceholderText);
        theme.warning = theme.dark ? QColor(0xff8c42) : QColor(0xe8590c);
        theme.limit = theme.dark ? QColor(0xc9a227) : QColor(0x8a6d00);
        return theme;
    }
};

/// Colours a QCustomPlot's background, axes and grids from a theme.
inline void applyTheme(QCustomPlot& plot, const PlotTheme& theme)
{
    plot.setBackground(theme.background);
    for (QCPAxis* axis : plot.axisRect()->axes()) {
        axis->setBasePen(QPen(theme.foreground));
        axis->setTickPen(QPen(theme.foreground));
        axis->setSubTickPen(QPen(theme.foreground));
        axis->setTickLabelColor(theme.foreground);
        axis->setLabelColor(theme.foreground);
        axis->grid()->setPen(QPen(theme.grid, 0, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(theme.subGrid, 0, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    plot.legend->setBrush(theme.readoutBackground);
    plot.legend->setBorderPen(QPen(theme.readoutBorder));
    plot.legend->setTextColor(theme.foreground);
}

/// Colours a readout box from a theme.
inline void applyTheme(QCPItemText& readout, const PlotTheme& theme)
{
    readout.setBrush(theme.readoutBackground);
    readout.setPen(QPen(theme.readoutBorder));
    readout.setColor(theme.foreground);
}

/// What a plot draws against one of its value axes: whether any graph uses the axis, and the
/// range of the values they draw at keys within `keys` (all keys when it is QCPRange()),
/// NaN skipped; no range when there are none.
struct AxisData
{
    bool used = false;
    std::optional<QCPRange> values;
};

inline AxisData dataOn(const QCustomPlot& plot, const QCPAxis* axis, const QCPRange& keys = {})
{
    AxisData data;
    for (int i = 0; i < plot.graphCount(); ++i) {
        const QCPGraph* graph = plot.graph(i);
        if (graph->valueAxis() != axis || !graph->visible())
            continue;
        data.used = true;
        bool found = false;
        const QCPRange range = graph->getValueRange(found, QCP::sdBoth, keys);
        if (found)
            data.values = data.values ? QCPRange(std::min(data.values->lower, range.lower),
                              std::max(data.values->upper, range.upper))
                                      : range;
    }
    return data;
}

/// A memory size for status text ("1.5 GiB").
inline QString formatBytes(std::size_t bytes)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytes));
}

/// A value for legends and readouts: 6 significant digits, a dash for NaN.
inline QString formatValue(double value)
{
    return std::isnan(value) ? QStringLiteral("—") : QString::number(value, 'g', 6);
}

/// One line of a hover readout: the channel, its held value and that sample's own time.
inline QString readoutLine(const QString& channel, double value, const QString& sampleTime)
{
    return QStringLiteral("%1 = %2  (at %3)").arg(channel, formatValue(value), sampleTime);
}

/// The plot's top layer ("overlay", above traces, legend and other items), made on first use:
/// readouts and cursors go there so nothing is ever drawn over them. It shares the plot's
/// one paint buffer: QCustomPlot gives it a buffer of its own for replotting it alone, which
/// we never do, and every extra buffer is cleared and blended over the widget each frame
/// (a full-plot memfill and SourceOver pass: a third of a busy stand's GUI time).
inline QCPLayer* overlayLayer(QCustomPlot* plot)
{
    const QString name = QStringLiteral("overlay");
    QCPLayer* layer = plot->layer(name);
    if (layer == nullptr) {
        plot->addLayer(name, plot->layer(plot->layerCount() - 1), QCustomPlot::limAbove);
        layer = plot->layer(name);
    }
    if (layer->mode() != QCPLayer::lmLogical)
        layer->setMode(QCPLayer::lmLogical);
    return layer;
}

/// The hover readout box in the top-right corner of a plot's axis rect, hidden at first, on
/// the overlay layer and not clipped to the axis rect.
inline QCPItemText* addReadoutBox(QCustomPlot* plot)
{
    auto* box = new QCPItemText(plot);
    box->setLayer(overlayLayer(plot));
    box->setClipToAxisRect(false);
    box->setPositionAlignment(Qt::AlignTop | Qt::AlignRight);
    box->position->setType(QCPItemPosition::ptAxisRectRatio);
    box->position->setCoords(0.99, 0.02);
    box->setTextAlignment(Qt::AlignLeft);
    box->setPadding(QMargins(6, 4, 6, 4));
    box->setBrush(QColor(255, 255, 255, 220));
    box->setPen(QPen(QColor(160, 160, 160)));
    box->setVisible(false);
    return box;
}

} // namespace sightline::ui
