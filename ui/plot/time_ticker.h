#pragma once

#include "core/telem/time_axis.h"
#include "ui/plot/clock_ticks.h"

#include <QTimeZone>
#include <qcustomplot.h>

#include <cstdint>

namespace sightline::ui {

/// Ticks for a time axis (core::TimeAxis: keys are seconds from an origin instant): round
/// clock times in the given zone (clockTicks), labelled from the exact nanosecond ticks
/// (clockLabel). GUI thread only.
class TimeTicker : public QCPAxisTicker
{
public:
    /// A ticker for keys of `axis`, labelled in `zone`.
    explicit TimeTicker(core::TimeAxis axis = core::TimeAxis(),
        QTimeZone zone = QTimeZone::systemTimeZone());

    /// Sets how keys map to time (the plot's axis).
    void setAxis(const core::TimeAxis& axis) { m_axis = axis; }
    [[nodiscard]] const core::TimeAxis& axis() const { return m_axis; }
    /// The zone the labels show.
    [[nodiscard]] const QTimeZone& zone() const { return m_zone; }
    /// The label for a key (seconds from the origin) with `fractionDigits` digits (0–9).
    [[nodiscard]] QString label(double key, int fractionDigits) const;
    /// The ticks made by the last tick generation (empty before the first).
    [[nodiscard]] const ClockTicks& lastTicks() const { return m_last; }

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;
    QString getTickLabel(
        double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    [[nodiscard]] double keyOf(std::int64_t ns) const { return m_axis.keyOf(core::TimeStamp(ns)); }

    core::TimeAxis m_axis;
    QTimeZone m_zone;
    ClockTicks m_last;
    QVector<double> m_keys; ///< m_last.ticksNs as keys
};

} // namespace sightline::ui
