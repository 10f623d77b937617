#pragma once

#include <QColor>
#include <QLocale>
#include <QPen>
#include <QString>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <optional>

namespace sightline::ui {

/// The colour of the i-th trace of a plot: a palette that reads on light and dark backgrounds.
inline QColor traceColor(std::size_t i)
{
    static const QColor palette[] = { QColor(0x1f77b4),
        QColor(0xd62728),
        QColor(0x2ca02c),
        QColor(0xff7f0e),
        QColor(0x9467bd),
        QColor(0x8c564b),
        QColor(0xe377c2),
        QColor(0x17becf) };
    return palette[i % std::size(palette)];
}

/// The pen of the i-th trace: thin and cosmetic, because wide pens go through QPainter's
/// stroker, which is many times slower on dense traces.
inline QPen tracePen(std::size_t i)
{
    QPen pen(traceColor(i), 1);
    pen.setCosmetic(true);
    return pen;
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
        if (graph->valueAxis() != axis)
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

/// The hover readout box in the top-right corner of a plot's axis rect, hidden at first.
inline QCPItemText* addReadoutBox(QCustomPlot* plot)
{
    auto* box = new QCPItemText(plot);
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
