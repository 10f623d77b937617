#pragma once

#include <QTimeZone>
#include <qcustomplot.h>

#include <cstdint>

namespace sightline::ui {

/// Tick labels for a time axis whose keys are seconds from an int64-nanosecond origin (so
/// doubles keep sub-microsecond precision near the view). Labels are wall-clock time in the
/// given zone, with as many fraction digits as the tick step needs.
class TimeTicker : public QCPAxisTicker
{
public:
    explicit TimeTicker(std::int64_t originNs = 0, QTimeZone zone = QTimeZone::systemTimeZone());

    void setOrigin(std::int64_t originNs) { m_origin = originNs; }
    [[nodiscard]] std::int64_t origin() const { return m_origin; }
    [[nodiscard]] const QTimeZone& zone() const { return m_zone; }
    /// The label for a key (seconds from the origin) with `fractionDigits` digits (0–9).
    [[nodiscard]] QString label(double key, int fractionDigits) const;

protected:
    QString getTickLabel(
        double tick, const QLocale& locale, QChar formatChar, int precision) override;
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;

private:
    std::int64_t m_origin;
    QTimeZone m_zone;
    int m_digits = 0;
};

} // namespace sightline::ui
