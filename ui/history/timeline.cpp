#include "ui/history/timeline.h"

#include "core/feed/history_session.h"
#include "ui/plot/clock_ticks.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTimeZone>
#include <QWheelEvent>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

using namespace Qt::StringLiterals;
using sightline::core::TimeRange;
using sightline::core::TimeSpan;
using sightline::core::TimeStamp;

namespace sightline::ui {

namespace {
    constexpr int EdgeGrab = 6; // pixels either side of a window edge that resize it
    constexpr TimeSpan MinimumWindow = core::feed::HistorySession::MinimumWindow;
    constexpr int TickStrip = 14; ///< pixels at the bottom for the time ticks and labels
} // namespace

Timeline::Timeline(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumHeight(48);
    setToolTip(tr("Drag the window, drag its edges to resize, wheel to zoom.\n"
                  "←/→ a tenth, PgUp/PgDn a window, Ctrl+←/→ one chunk"));
}

void Timeline::setExtent(std::optional<TimeRange> extent)
{
    m_extent = extent;
    m_overviewImage = {};
    if (m_extent && (m_window.isEmpty() || !m_extent->overlaps(m_window)))
        m_window = *m_extent;
    update();
}

void Timeline::setOverview(std::vector<Envelope> envelopes)
{
    m_overview = std::move(envelopes);
    m_overviewImage = {};
    update();
}

void Timeline::setWindow(TimeRange window)
{
    m_window = core::feed::HistorySession::clampWindow(window, m_extent);
    update();
}

void Timeline::moveWindow(TimeRange window)
{
    const TimeRange before = m_window;
    setWindow(window);
    if (m_window != before)
        Q_EMIT windowChanged(m_window);
}

double Timeline::xOf(TimeStamp t) const { return axis().pixelOf(t); }

TimeStamp Timeline::timeAt(double x) const
{
    return m_extent ? axis().timeAtPixel(x) : TimeStamp();
}

core::TimeAxis Timeline::axis() const
{
    return m_extent ? core::TimeAxis(*m_extent, std::max(1, width())) : core::TimeAxis();
}

void Timeline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (!m_extent) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(),
            Qt::AlignCenter,
            tr("No recorded data for the plotted channels yet"));
        return;
    }
    painter.drawImage(0, 0, overviewImage());
    paintTicks(painter);
    paintBands(painter);
    const QRectF window(xOf(m_window.start),
        0,
        std::max(2.0, xOf(m_window.end) - xOf(m_window.start)),
        height() - 1);
    painter.fillRect(window, QColor(255, 170, 0, 60));
    painter.setPen(QPen(QColor(230, 140, 0), 2));
    painter.drawRect(window);
    painter.setPen(palette().color(QPalette::Text));
    const QString label = m_window.toHumanString(QTimeZone::utc()); // as the plots' axes
    painter.drawText(rect().adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignLeft, label);
}

void Timeline::paintTicks(QPainter& painter)
{
    // Round clock times along the extent, in the zone the plots' axes use, as short marks at
    // the bottom with their labels beside them.
    const QFontMetrics metrics = painter.fontMetrics();
    const int labelWidth = metrics.horizontalAdvance(u"00:00:00.0"_s) + 12;
    const ClockTicks ticks = clockTicks(m_extent->start.nanoseconds(),
        m_extent->end.nanoseconds(),
        std::max(2, width() / labelWidth),
        QTimeZone::utc());
    QColor color = palette().color(QPalette::Text);
    color.setAlpha(150);
    painter.setPen(color);
    for (const std::int64_t tick : ticks.ticksNs) {
        const double x = xOf(core::TimeStamp(tick));
        painter.drawLine(QPointF(x, height() - 6), QPointF(x, height() - 1));
        painter.drawText(QPointF(x + 3, height() - 3), clockLabel(tick, ticks, QTimeZone::utc()));
    }
}

void Timeline::setRangeBands(std::vector<RangeBand> bands)
{
    m_bands = std::move(bands);
    update();
}

void Timeline::paintBands(QPainter& painter)
{
    // A strip along the bottom per range (wide enough to see), its name when it fits.
    const qreal strip = 12;
    for (const RangeBand& band : m_bands) {
        const qreal left = xOf(band.range.start);
        const qreal right = xOf(band.open ? core::TimeStamp::now() : band.range.end);
        if (right < 0 || left > width())
            continue;
        const QRectF area(left, height() - strip - 1, std::max(3.0, right - left), strip);
        QColor fill = band.color;
        fill.setAlpha(110);
        painter.fillRect(area, fill);
        QColor text = band.color.darker(170);
        painter.setPen(text);
        const QString name = painter.fontMetrics().elidedText(band.name,
            Qt::ElideRight,
            int(std::max(0.0, area.width() - 4)));
        if (name.size() > 1)
            painter.drawText(area.adjusted(2, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, name);
    }
}

const QImage& Timeline::overviewImage()
{
    const QSize size = this->size() * devicePixelRatio();
    if (!m_overviewImage.isNull() && m_overviewImage.size() == size)
        return m_overviewImage;
    m_overviewImage = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_overviewImage.setDevicePixelRatio(devicePixelRatio());
    m_overviewImage.fill(Qt::transparent);
    if (!m_extent)
        return m_overviewImage;
    for (const Envelope& envelope : m_overview) {
        QColor band = envelope.color;
        band.setAlpha(m_overview.size() > 1 ? 110 : 150);
        blendSpans(m_overviewImage, envelopeSpans(envelope, m_overviewImage.width()), band);
    }
    return m_overviewImage;
}

/// Per channel, the envelope on the channel's own scale (channels of any units share the
/// strip), above the strip of time ticks: per pixel column of an image `width` device pixels
/// wide, the rows from the
/// highest max to the lowest min of the buckets reaching into it. Buckets share their edge
/// columns, so a column is drawn once, however many buckets it holds.
std::vector<Timeline::Span> Timeline::envelopeSpans(const Envelope& envelope, int width) const
{
    std::vector<Span> spans(std::size_t(width), Span { INT_MAX, INT_MIN });
    if (envelope.buckets.empty())
        return spans;
    double low = envelope.buckets.front().min;
    double high = envelope.buckets.front().max;
    for (const Bucket& b : envelope.buckets) {
        low = std::min(low, b.min);
        high = std::max(high, b.max);
    }
    const double scale = devicePixelRatio();
    const double range = high > low ? high - low : 1;
    const double base = height() - TickStrip - 2;
    const auto row = [&](double v) { return (base - (v - low) / range * (base - 4)) * scale; };
    const auto column = [&](double x) { return std::clamp(x * scale, 0.0, double(width)); };
    for (const Bucket& b : envelope.buckets) {
        const auto left = static_cast<int>(std::floor(column(xOf(b.stamp))));
        const int right = std::max(left + 1, static_cast<int>(std::ceil(column(xOf(b.end)))));
        const auto top = static_cast<int>(std::floor(row(b.max)));
        const int bottom = std::max(top + 1, static_cast<int>(std::ceil(row(b.min))));
        for (int x = left; x < std::min(right, width); ++x) {
            Span& span = spans[std::size_t(x)];
            span.top = std::min(span.top, top);
            span.bottom = std::max(span.bottom, bottom);
        }
    }
    return spans;
}

/// Blends `color` over the rows of each column's span (source over, premultiplied), a row
/// at a time (in memory order); where nothing is drawn yet the colour is simply written.
void Timeline::blendSpans(QImage& image, const std::vector<Span>& spans, QColor color)
{
    const QRgb source = qPremultiply(color.rgba());
    const int keep = 255 - qAlpha(source);
    const auto over = [&](QRgb under) {
        if (under == 0)
            return source;
        const auto channel = [&](int shift) {
            const int mixed = int((under >> shift) & 0xff) * keep + 0x80;
            return std::uint32_t(((mixed + (mixed >> 8)) >> 8) & 0xff) << shift;
        };
        return source + (channel(24) | channel(16) | channel(8) | channel(0));
    };
    int top = image.height();
    int bottom = 0;
    for (const Span& span : spans) {
        top = std::min(top, span.top);
        bottom = std::max(bottom, span.bottom);
    }
    const int width = std::min(int(spans.size()), image.width());
    for (int y = std::max(top, 0); y < std::min(bottom, image.height()); ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const Span& span = spans[std::size_t(x)];
            if (y >= span.top && y < span.bottom)
                line[x] = over(line[x]);
        }
    }
}

void Timeline::mousePressEvent(QMouseEvent* event)
{
    if (!m_extent || event->button() != Qt::LeftButton)
        return;
    const double x = event->position().x();
    const double left = xOf(m_window.start);
    const double right = xOf(m_window.end);
    m_grabX = x;
    m_grabWindow = m_window;
    m_grabExtent = *m_extent;
    if (std::abs(x - left) <= EdgeGrab)
        m_drag = Drag::Start;
    else if (std::abs(x - right) <= EdgeGrab)
        m_drag = Drag::End;
    else if (x > left && x < right)
        m_drag = Drag::Move;
    else { // jump: centre the window where clicked
        const TimeStamp centre = timeAt(x);
        const TimeSpan half(m_window.span().nanoseconds() / 2);
        moveWindow({ centre - half, centre - half + m_window.span() });
        m_grabWindow = m_window;
        m_drag = Drag::Move;
    }
}

void Timeline::mouseMoveEvent(QMouseEvent* event)
{
    const double x = event->position().x();
    if (m_drag == Drag::None) {
        const bool onEdge = std::abs(x - xOf(m_window.start)) <= EdgeGrab
            || std::abs(x - xOf(m_window.end)) <= EdgeGrab;
        setCursor(onEdge ? Qt::SizeHorCursor : Qt::ArrowCursor);
        return;
    }
    // On the scale the drag began with: the extent may grow meanwhile.
    const TimeSpan shift(static_cast<std::int64_t>((x - m_grabX) / std::max(1, width())
        * static_cast<double>(m_grabExtent.span().nanoseconds())));
    switch (m_drag) {
    case Drag::Move:
        moveWindow({ m_grabWindow.start + shift, m_grabWindow.end + shift });
        break;
    case Drag::Start:
        moveWindow({ std::min(m_grabWindow.start + shift, m_grabWindow.end - MinimumWindow),
            m_grabWindow.end });
        break;
    case Drag::End:
        moveWindow({ m_grabWindow.start,
            std::max(m_grabWindow.end + shift, m_grabWindow.start + MinimumWindow) });
        break;
    case Drag::None:
        break;
    }
}

void Timeline::mouseReleaseEvent(QMouseEvent*) { m_drag = Drag::None; }

void Timeline::wheelEvent(QWheelEvent* event)
{
    if (!m_extent)
        return;
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const TimeStamp pivot = timeAt(event->position().x());
    const auto scaled = [&](TimeStamp t) {
        return pivot
            + TimeSpan(
                static_cast<std::int64_t>(static_cast<double>((t - pivot).nanoseconds()) * factor));
    };
    moveWindow({ scaled(m_window.start), scaled(m_window.end) });
    event->accept();
}

void Timeline::step(Step step)
{
    const TimeSpan span = m_window.span();
    const TimeSpan tenth(span.nanoseconds() / 10);
    switch (step) {
    case Step::Back:
        moveWindow({ m_window.start - tenth, m_window.end - tenth });
        break;
    case Step::Forward:
        moveWindow({ m_window.start + tenth, m_window.end + tenth });
        break;
    case Step::PageBack:
        moveWindow({ m_window.start - span, m_window.end - span });
        break;
    case Step::PageForward:
        moveWindow({ m_window.start + span, m_window.end + span });
        break;
    case Step::ToStart:
        if (m_extent)
            moveWindow({ m_extent->start, m_extent->start + span });
        break;
    case Step::ToEnd:
        if (m_extent)
            moveWindow({ m_extent->end - span, m_extent->end });
        break;
    }
}

bool Timeline::stepByKey(const QKeyEvent& event)
{
    const bool ctrl = event.modifiers().testFlag(Qt::ControlModifier);
    switch (event.key()) {
    case Qt::Key_Left:
        if (ctrl)
            Q_EMIT chunkStepRequested(-1);
        else
            step(Step::Back);
        return true;
    case Qt::Key_Right:
        if (ctrl)
            Q_EMIT chunkStepRequested(+1);
        else
            step(Step::Forward);
        return true;
    case Qt::Key_PageUp:
        step(Step::PageBack);
        return true;
    case Qt::Key_PageDown:
        step(Step::PageForward);
        return true;
    case Qt::Key_Home:
        step(Step::ToStart);
        return true;
    case Qt::Key_End:
        if (!ctrl)
            return false; // plain End is Jump to live
        step(Step::ToEnd);
        return true;
    default:
        return false;
    }
}

void Timeline::keyPressEvent(QKeyEvent* event)
{
    if (stepByKey(*event))
        event->accept();
    else
        QWidget::keyPressEvent(event);
}

} // namespace sightline::ui
