#pragma once

#include <QColor>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace sightline::ui {

/// How many Y axes a live plot offers: left 1, right 1, left 2, right 2 (as the Synnax
/// Console's y1–y4).
constexpr int MaxYAxes = 4;

/// The short name of a Y axis shown in legends and menus ("L1", "R1", "L2", "R2").
QString axisTag(int axis);

/// A horizontal limit line ("rule" in the Synnax Console) on one Y axis of a plot. A trace on
/// that axis whose current value is above an upper limit, or below a lower one, is beyond it.
struct LimitLine
{
    enum class Kind { Upper, Lower };

    double value = 0;
    QString label;
    QColor color; ///< invalid: the theme's limit colour
    Qt::PenStyle style = Qt::DashLine;
    int axis = 0;
    Kind kind = Kind::Upper;

    /// Whether `sample` is on the wrong side of the line (NaN never is).
    [[nodiscard]] bool isExceededBy(double sample) const
    {
        return kind == Kind::Upper ? sample > value : sample < value;
    }
    friend bool operator==(const LimitLine&, const LimitLine&) = default;
};

/// What the user set on one Y axis: a label (empty: its channels' names) and a fixed range
/// (none: autoscale).
struct AxisSettings
{
    QString label;
    std::optional<std::pair<double, double>> range;
    friend bool operator==(const AxisSettings&, const AxisSettings&) = default;
};

/// Everything a user arranged on one live plot, by channel name, so it can be saved,
/// restored on another start or another cluster, and later written to layout files.
struct PlotLayout
{
    QStringList channels;
    std::vector<int> channelAxes; ///< parallel to `channels`
    QStringList hidden; ///< channels whose trace is hidden
    std::array<AxisSettings, MaxYAxes> axes;
    std::vector<LimitLine> limits;
    std::int64_t windowNs = 0;
    int row = 0; ///< plots with the same row sit side by side

    [[nodiscard]] QJsonObject toJson() const;
    /// Reads what toJson wrote; unknown or malformed fields fall back to their defaults, and
    /// axis numbers out of range to the first axis.
    static PlotLayout fromJson(const QJsonObject& json);
    friend bool operator==(const PlotLayout&, const PlotLayout&) = default;
};

} // namespace sightline::ui
