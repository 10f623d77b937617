#pragma once

#include "ui/plot/clock_ticks.h"

#include <QTimeZone>
#include <qcustomplot.h>

#include <cstdint>

namespace sightline::ui {

/// Ticks for a time axis whose keys are seconds from an int64-nanosecond origin (so doubles keep
/// sub-microsecond precision near the view): round clock times in the given zone (clockTicks),
/// labelled from the exact nanosecond ticks (clockLabel). GUI thread only.
class TimeTicker : public QCPAxisTicker
{
public:
    /// A ticker for keys measured from `originNs`, labelled in `zone`.
    explicit TimeTicker(std::int64_t originNs = 0, QTimeZone zone = QTimeZone::systemTimeZone());

    /// Sets the instant (ns since the epoch) that key 0 stands for.
    void setOrigin(std::int64_t originNs) { m_origin = originNs; }
    /// The instant (ns since the epoch) that key 0 stands for.
    [[nodiscard]] std::int64_t origin() const { return m_origin; }
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
    [[nodiscard]] double keyOf(std::int64_t ns) const;

    std::int64_t m_origin;
    QTimeZone m_zone;
    ClockTicks m_last;
    QVector<double> m_keys; ///< m_last.ticksNs as keys
};

} // namespace sightline::ui
