#include "ui/plot/time_ticker.h"

#include <QDateTime>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::ui {

TimeTicker::TimeTicker(std::int64_t originNs, QTimeZone zone)
    : m_origin(originNs)
    , m_zone(std::move(zone))
{
    setTickCount(6);
}

QString TimeTicker::label(double key, int fractionDigits) const
{
    const auto ns = m_origin + static_cast<std::int64_t>(std::llround(key * 1e9));
    const std::int64_t ms = ns >= 0 ? ns / 1'000'000 : -((-ns + 999'999) / 1'000'000);
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, m_zone);
    QString text = time.toString(u"HH:mm:ss"_s);
    if (fractionDigits > 0) {
        const std::int64_t fraction = ((ns % 1'000'000'000) + 1'000'000'000) % 1'000'000'000;
        const QString nine = u"%1"_s.arg(fraction, 9, 10, QChar(u'0'));
        text += u'.' + nine.left(std::min(fractionDigits, 9));
    }
    return text;
}

QVector<double> TimeTicker::createTickVector(double tickStep, const QCPRange& range)
{
    // Enough digits to tell neighbouring ticks apart.
    m_digits = tickStep >= 1
        ? 0
        : std::min(9, static_cast<int>(std::ceil(-std::log10(tickStep) - 1e-9)));
    return QCPAxisTicker::createTickVector(tickStep, range);
}

QString TimeTicker::getTickLabel(double tick, const QLocale&, QChar, int)
{
    return label(tick, m_digits);
}

} // namespace sightline::ui
