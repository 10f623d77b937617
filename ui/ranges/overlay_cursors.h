#pragma once

#include "core/store/run_overlay.h"

#include <QObject>

#include <optional>
#include <vector>

class QCPItemStraightLine;
class QCustomPlot;
class QLabel;

namespace sightline::ui {

/// The compare plot's cursors, as the history plots have them: a hover line with every
/// trace's value there (sample and hold), A (click) and B (Shift+click) with Δt and, per
/// trace, the values at A and B, Δy, min, max, mean and count between them. Written into two
/// labels under the plot. GUI thread only.
class OverlayCursors : public QObject
{
    Q_OBJECT

public:
    OverlayCursors(QCustomPlot* plot, QLabel* readout, QLabel* stats);

    /// The traces drawn (kept by the caller while shown).
    void setTraces(const std::vector<core::store::OverlayTrace>* traces);
    void setHover(std::optional<double> second);
    void setCursors(std::optional<double> a, std::optional<double> b);
    [[nodiscard]] std::optional<double> a() const { return m_a; }
    [[nodiscard]] std::optional<double> b() const { return m_b; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void update();
    [[nodiscard]] double secondAt(int x) const;

    QCustomPlot* m_plot;
    QLabel* m_readout;
    QLabel* m_stats;
    QCPItemStraightLine* m_hoverLine;
    QCPItemStraightLine* m_lineA;
    QCPItemStraightLine* m_lineB;
    const std::vector<core::store::OverlayTrace>* m_traces = nullptr;
    std::optional<double> m_hover;
    std::optional<double> m_a;
    std::optional<double> m_b;
};

} // namespace sightline::ui
