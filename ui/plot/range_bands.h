#pragma once

#include "core/telem/time.h"

#include <QColor>
#include <QString>
#include <QUuid>

#include <functional>
#include <vector>

class QCPItemRect;
class QCPItemText;
class QCustomPlot;

namespace sightline::ui {

/// A range drawn on a plot: a translucent band of its colour over its time span, its name at
/// the top. An open band (a run being marked) ends at the present.
struct RangeBand
{
    QUuid key;
    QString name;
    core::TimeRange range;
    QColor color;
    bool open = false;

    friend bool operator==(const RangeBand&, const RangeBand&) = default;
};

/// The range bands of one plot, drawn under its traces (the grid layer), full height.
/// GUI thread only.
class RangeBands
{
public:
    explicit RangeBands(QCustomPlot* plot);
    RangeBands(const RangeBands&) = delete;
    RangeBands& operator=(const RangeBands&) = delete;

    /// Replaces the bands (the items are made again only when they differ).
    void set(std::vector<RangeBand> bands);
    [[nodiscard]] const std::vector<RangeBand>& bands() const { return m_bands; }
    void setVisible(bool visible);
    [[nodiscard]] bool visible() const { return m_visible; }
    /// Places the bands for the plot's time-to-key mapping; open ones end at `now`.
    void place(const std::function<double(core::TimeStamp)>& keyOf, core::TimeStamp now);

private:
    QCustomPlot* m_plot;
    std::vector<RangeBand> m_bands;
    std::vector<QCPItemRect*> m_rects;
    std::vector<QCPItemText*> m_labels;
    bool m_visible = true;
};

} // namespace sightline::ui
