#include "ui/plot/plot_layout.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    int validAxis(const QJsonValue& value)
    {
        const int axis = value.toInt(0);
        return axis >= 0 && axis < MaxYAxes ? axis : 0;
    }

    QString styleName(Qt::PenStyle style)
    {
        switch (style) {
        case Qt::SolidLine:
            return u"solid"_s;
        case Qt::DotLine:
            return u"dot"_s;
        default:
            return u"dash"_s;
        }
    }

    Qt::PenStyle styleNamed(const QString& name)
    {
        if (name == u"solid"_s)
            return Qt::SolidLine;
        if (name == u"dot"_s)
            return Qt::DotLine;
        return Qt::DashLine;
    }

    QJsonObject limitToJson(const LimitLine& limit)
    {
        QJsonObject json { { u"value"_s, limit.value },
            { u"label"_s, limit.label },
            { u"style"_s, styleName(limit.style) },
            { u"axis"_s, limit.axis },
            { u"kind"_s, limit.kind == LimitLine::Kind::Upper ? u"upper"_s : u"lower"_s } };
        if (limit.color.isValid())
            json.insert(u"color"_s, limit.color.name());
        return json;
    }

    std::optional<LimitLine> limitFromJson(const QJsonObject& json)
    {
        const double value = json.value(u"value"_s).toDouble(std::nan(""));
        if (!std::isfinite(value))
            return std::nullopt;
        LimitLine limit;
        limit.value = value;
        limit.label = json.value(u"label"_s).toString();
        limit.color = QColor::fromString(json.value(u"color"_s).toString());
        limit.style = styleNamed(json.value(u"style"_s).toString());
        limit.axis = validAxis(json.value(u"axis"_s));
        limit.kind = json.value(u"kind"_s).toString() == u"lower"_s ? LimitLine::Kind::Lower
                                                                    : LimitLine::Kind::Upper;
        return limit;
    }

    QJsonObject axisToJson(const AxisSettings& axis)
    {
        QJsonObject json;
        if (!axis.label.isEmpty())
            json.insert(u"label"_s, axis.label);
        if (axis.range) {
            json.insert(u"min"_s, axis.range->first);
            json.insert(u"max"_s, axis.range->second);
        }
        return json;
    }

    AxisSettings axisFromJson(const QJsonObject& json)
    {
        AxisSettings axis;
        axis.label = json.value(u"label"_s).toString();
        const double low = json.value(u"min"_s).toDouble(std::nan(""));
        const double high = json.value(u"max"_s).toDouble(std::nan(""));
        if (std::isfinite(low) && std::isfinite(high) && low < high)
            axis.range = std::pair { low, high };
        return axis;
    }

} // namespace

QString axisTag(int axis) { return (axis % 2 == 0 ? u"L%1"_s : u"R%1"_s).arg(axis / 2 + 1); }

QJsonObject PlotLayout::toJson() const
{
    QJsonArray channelArray;
    for (qsizetype i = 0; i < channels.size(); ++i)
        channelArray.append(QJsonObject { { u"name"_s, channels[i] },
            { u"axis"_s, i < static_cast<qsizetype>(channelAxes.size()) ? channelAxes[i] : 0 },
            { u"hidden"_s, hidden.contains(channels[i]) } });
    QJsonArray axisArray;
    for (const AxisSettings& axis : axes)
        axisArray.append(axisToJson(axis));
    QJsonArray limitArray;
    for (const LimitLine& limit : limits)
        limitArray.append(limitToJson(limit));
    return QJsonObject { { u"channels"_s, channelArray },
        { u"axes"_s, axisArray },
        { u"limits"_s, limitArray },
        { u"windowNs"_s, QString::number(windowNs) },
        { u"row"_s, row } };
}

PlotLayout PlotLayout::fromJson(const QJsonObject& json)
{
    PlotLayout layout;
    for (const QJsonValue& value : json.value(u"channels"_s).toArray()) {
        const QJsonObject channel = value.toObject();
        const QString name = channel.value(u"name"_s).toString();
        if (name.isEmpty() || layout.channels.contains(name))
            continue;
        layout.channels << name;
        layout.channelAxes.push_back(validAxis(channel.value(u"axis"_s)));
        if (channel.value(u"hidden"_s).toBool())
            layout.hidden << name;
    }
    const QJsonArray axisArray = json.value(u"axes"_s).toArray();
    for (int i = 0; i < MaxYAxes && i < axisArray.size(); ++i)
        layout.axes[static_cast<std::size_t>(i)] = axisFromJson(axisArray[i].toObject());
    for (const QJsonValue& value : json.value(u"limits"_s).toArray())
        if (const auto limit = limitFromJson(value.toObject()))
            layout.limits.push_back(*limit);
    bool ok = false;
    const qlonglong window = json.value(u"windowNs"_s).toString().toLongLong(&ok);
    layout.windowNs = ok && window > 0 ? window : 0;
    layout.row = std::max(0, json.value(u"row"_s).toInt(0));
    return layout;
}

} // namespace sightline::ui
