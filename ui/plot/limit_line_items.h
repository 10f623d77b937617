#pragma once

#include "ui/plot/plot_layout.h"
#include "ui/plot/plot_style.h"

#include <QPointF>

#include <array>
#include <optional>
#include <vector>

class QCPAxis;
class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;

namespace sightline::ui {

/// The drawn form of a plot's limit lines: a horizontal line and a label per limit on its
/// axis, in its colour, or in the warning colour while a trace is beyond it. GUI thread only.
class LimitLineItems
{
public:
    using Axes = std::array<QCPAxis*, MaxYAxes>;

    explicit LimitLineItems(QCustomPlot* plot);

    /// Makes the items match `limits`; `exceeded[i]` draws limit i in the warning colour.
    void sync(const std::vector<LimitLine>& limits,
        const Axes& axes,
        const PlotTheme& theme,
        const std::vector<bool>& exceeded);
    /// The limit whose line passes within `tolerancePx` of `pos` (pixels in the plot).
    [[nodiscard]] std::optional<int> hitTest(QPointF pos, double tolerancePx) const;
    /// The label item of limit i (for tests).
    [[nodiscard]] const QCPItemText* label(int i) const;
    [[nodiscard]] const QCPItemStraightLine* line(int i) const;

private:
    void resize(std::size_t count);

    QCustomPlot* m_plot;
    std::vector<QCPItemStraightLine*> m_lines;
    std::vector<QCPItemText*> m_labels;
    std::vector<QCPAxis*> m_axisOf;
    std::vector<double> m_values;
};

} // namespace sightline::ui
