#include "ui/plot/legend_strip.h"

#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    constexpr int MarginX = 4; ///< Left and right of the rows.
    constexpr int MarginY = 2; ///< Above the first row and below the last.
    constexpr int EntrySpacing = 12; ///< Between entries on a row.
    constexpr int Pad = 4; ///< Inside an entry, at both ends.
    constexpr int PadY = 3; ///< Above and below the text of a row.
    constexpr int Gap = 6; ///< Between the parts of an entry.
    constexpr int SwatchWidth = 16;
    constexpr int SwatchThickness = 4;
    constexpr int HollowThickness = 6;
    constexpr int MarkerWidth = 7;
    constexpr int MarkerGap = 3;
    constexpr int TagPadX = 3; ///< Inside the axis tag's box.
    constexpr int MinNameChars = 3; ///< The narrowest entry still shows this much of its name.
    constexpr double TagFontScale = 0.8;
    constexpr QColor DefaultWarningColor(0xe8, 0x59, 0x0c);

    /// The value text entries reserve room for, so values changing every frame never move them.
    QString valueReserveText() { return u"-0.000000e+00"_s; }

    /// Whole pixels that hold `px` (rounding down would make text elide at its own width).
    int ceilPx(qreal px) { return static_cast<int>(std::ceil(px)); }

    bool sameLayout(const std::vector<LegendEntry>& a, const std::vector<LegendEntry>& b)
    {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
            return x.name == y.name && x.axisTag == y.axisTag;
        });
    }

} // namespace

/// Font-derived sizes shared by every entry.
struct LegendStrip::Metrics
{
    QFontMetricsF text;
    QFontMetricsF tag;
    int valueReserve = 0;
    int rowHeight = 0;
};

LegendStrip::LegendStrip(QWidget* parent)
    : QWidget(parent)
    , m_warningColor(DefaultWarningColor)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

LegendStrip::~LegendStrip() = default;

void LegendStrip::setEntries(const std::vector<LegendEntry>& entries)
{
    const bool layoutChanged = !sameLayout(m_entries, entries);
    m_entries = entries;
    if (layoutChanged) {
        remeasure();
        updateGeometry();
    }
    update();
}

void LegendStrip::setValue(quint32 id, const QString& value, bool warning)
{
    const int i = indexOf(id);
    if (i < 0)
        return;
    auto& entry = m_entries[static_cast<std::size_t>(i)];
    if (entry.value == value && entry.warning == warning)
        return;
    entry.value = value;
    entry.warning = warning;
    // The value and the warning marker beside it: the rest of the entry stays as it is.
    const EntryParts parts = partsOf(static_cast<std::size_t>(i), entryRect(i));
    update(parts.value.united(parts.marker));
}

void LegendStrip::setHidden(quint32 id, bool hidden)
{
    const int i = indexOf(id);
    if (i < 0 || m_entries[static_cast<std::size_t>(i)].hidden == hidden)
        return;
    m_entries[static_cast<std::size_t>(i)].hidden = hidden;
    update(entryRect(i));
}

void LegendStrip::setWarningColor(const QColor& color)
{
    m_warningColor = color;
    update();
}

int LegendStrip::entryCount() const { return static_cast<int>(m_entries.size()); }

QRect LegendStrip::entryRect(int index) const
{
    const auto& all = rects();
    if (index < 0 || index >= static_cast<int>(all.size()))
        return {};
    return all[static_cast<std::size_t>(index)];
}

int LegendStrip::entryAt(const QPoint& pos) const
{
    const auto& all = rects();
    const auto it
        = std::find_if(all.begin(), all.end(), [&](const QRect& r) { return r.contains(pos); });
    return it == all.end() ? -1 : static_cast<int>(it - all.begin());
}

int LegendStrip::rowHeight() const { return metrics().rowHeight; }

int LegendStrip::heightForRows(int rows) const
{
    return 2 * MarginY + std::max(rows, 1) * rowHeight();
}

bool LegendStrip::hasHeightForWidth() const { return true; }

int LegendStrip::heightForWidth(int width) const
{
    const auto laidOut = flow(width);
    if (laidOut.empty())
        return heightForRows(1);
    return laidOut.back().bottom() + 1 + MarginY;
}

QSize LegendStrip::sizeHint() const
{
    const int total = std::accumulate(m_naturalWidths.begin(), m_naturalWidths.end(), 0);
    const int spacing = m_entries.empty() ? 0 : EntrySpacing * (entryCount() - 1);
    const int width = std::max(2 * MarginX + total + spacing, minimumSizeHint().width());
    return { width, heightForRows(1) };
}

QSize LegendStrip::minimumSizeHint() const
{
    const auto m = metrics();
    LegendEntry shortest;
    shortest.axisTag = u"R2"_s;
    const int nameWidth = ceilPx(m.text.averageCharWidth() * MinNameChars);
    return { 2 * MarginX + naturalWidth(shortest, m) + nameWidth, heightForRows(1) };
}

bool LegendStrip::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const int i = entryAt(help->pos());
    if (i < 0) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    const auto& entry = m_entries[static_cast<std::size_t>(i)];
    QToolTip::showText(help->globalPos(), toolTipFor(entry), this, entryRect(i));
    return true;
}

void LegendStrip::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        remeasure();
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

void LegendStrip::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    // Only the text's metrics: the rest was measured with the entries (remeasure).
    const QFontMetricsF text(font());
    const auto& all = rects();
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (all[i].intersects(event->rect()))
            paintEntry(painter, i, all[i], text, event->rect());
    }
}

void LegendStrip::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressedIndex = entryAt(event->position().toPoint());
}

void LegendStrip::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    const int pressed = std::exchange(m_pressedIndex, -1);
    if (pressed >= 0 && pressed == entryAt(event->position().toPoint()))
        Q_EMIT entryClicked(m_entries[static_cast<std::size_t>(pressed)].id);
}

void LegendStrip::mouseMoveEvent(QMouseEvent* event)
{
    const bool overEntry = entryAt(event->position().toPoint()) >= 0;
    if (overEntry && cursor().shape() != Qt::PointingHandCursor)
        setCursor(Qt::PointingHandCursor);
    else if (!overEntry && testAttribute(Qt::WA_SetCursor))
        unsetCursor();
    QWidget::mouseMoveEvent(event);
}

void LegendStrip::contextMenuEvent(QContextMenuEvent* event)
{
    const int i = entryAt(event->pos());
    if (i < 0) {
        event->ignore();
        return;
    }
    Q_EMIT entryContextMenuRequested(m_entries[static_cast<std::size_t>(i)].id, event->globalPos());
}

int LegendStrip::indexOf(quint32 id) const
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [id](const auto& e) {
        return e.id == id;
    });
    return it == m_entries.end() ? -1 : static_cast<int>(it - m_entries.begin());
}

QFont LegendStrip::tagFont() const
{
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * TagFontScale);
    return small;
}

LegendStrip::Metrics LegendStrip::metrics() const
{
    Metrics m { QFontMetricsF(font()), QFontMetricsF(tagFont()) };
    m.valueReserve = ceilPx(m.text.horizontalAdvance(valueReserveText()));
    m.rowHeight = ceilPx(std::max(m.text.height(), m.tag.height() + 2)) + 2 * PadY;
    return m;
}

/// Everything but the name is fixed width, so clamping an entry only shortens its name.
int LegendStrip::naturalWidth(const LegendEntry& entry, const Metrics& m) const
{
    int width = 2 * Pad + SwatchWidth + Gap + MarkerWidth + MarkerGap + m.valueReserve;
    width += ceilPx(m.text.horizontalAdvance(entry.name)) + Gap;
    if (!entry.axisTag.isEmpty())
        width += Gap + ceilPx(m.tag.horizontalAdvance(entry.axisTag)) + 2 * TagPadX;
    return width;
}

/// Entries left to right, wrapping to a new row when the next one does not fit; an entry wider
/// than the strip gets a row of its own, clamped to the width.
std::vector<QRect> LegendStrip::flow(int width) const
{
    const int rowH = rowHeight();
    const int contentWidth = std::max(1, width - 2 * MarginX);
    std::vector<QRect> laidOut;
    laidOut.reserve(m_naturalWidths.size());
    int x = MarginX;
    int y = MarginY;
    for (const int natural : m_naturalWidths) {
        const int w = std::min(natural, contentWidth);
        if (x > MarginX && x + w > MarginX + contentWidth) {
            x = MarginX;
            y += rowH;
        }
        laidOut.emplace_back(x, y, w, rowH);
        x += w + EntrySpacing;
    }
    return laidOut;
}

const std::vector<QRect>& LegendStrip::rects() const
{
    if (m_rectsWidth != width() || m_rects.size() != m_entries.size()) {
        m_rects = flow(width());
        m_rectsWidth = width();
    }
    return m_rects;
}

void LegendStrip::remeasure()
{
    const auto m = metrics();
    m_naturalWidths.clear();
    m_naturalWidths.reserve(m_entries.size());
    m_tagWidths.clear();
    m_tagWidths.reserve(m_entries.size());
    for (const auto& entry : m_entries) {
        m_naturalWidths.push_back(naturalWidth(entry, m));
        m_tagWidths.push_back(entry.axisTag.isEmpty()
                ? 0
                : ceilPx(m.tag.horizontalAdvance(entry.axisTag)) + 2 * TagPadX);
    }
    m_valueReserve = m.valueReserve;
    m_tagHeight = ceilPx(m.tag.height()) + 2;
    m_rectsWidth = -1;
}

/// Right to left from the entry's end: tag, value, marker; the name gets what is left.
LegendStrip::EntryParts LegendStrip::partsOf(std::size_t index, const QRect& rect) const
{
    // From what remeasure() measured: a value changing every frame lays no text out here.
    EntryParts parts;
    int right = rect.right() + 1 - Pad;
    if (const int tagWidth = m_tagWidths[index]; tagWidth > 0) {
        parts.tag
            = QRect(right - tagWidth, rect.center().y() - m_tagHeight / 2, tagWidth, m_tagHeight);
        right = parts.tag.left() - Gap;
    }
    parts.value = QRect(right - m_valueReserve, rect.top(), m_valueReserve, rect.height());
    parts.marker = QRect(parts.value.left() - MarkerGap - MarkerWidth,
        rect.top(),
        MarkerWidth,
        rect.height());
    const int nameLeft = rect.left() + Pad + SwatchWidth + Gap;
    parts.name = QRect(nameLeft,
        rect.top(),
        std::max(0, parts.marker.left() - Gap - nameLeft),
        rect.height());
    return parts;
}

void LegendStrip::paintEntry(QPainter& painter,
    std::size_t index,
    const QRect& rect,
    const QFontMetricsF& metrics,
    const QRect& dirty) const
{
    const LegendEntry& entry = m_entries[index];
    // Only the parts in the dirty area are drawn: a new value repaints its value alone
    // (laying text out is most of a legend's cost, and values change every frame).
    const auto pal = palette();
    const QColor text = pal.color(entry.hidden ? QPalette::PlaceholderText : QPalette::WindowText);
    const QColor dim = pal.color(QPalette::PlaceholderText);
    const EntryParts parts = partsOf(index, rect);
    painter.save();
    painter.setClipRect(rect);
    paintSwatch(painter, entry, rect);

    if (!entry.axisTag.isEmpty() && parts.tag.intersects(dirty)) {
        painter.setPen(QPen(dim, 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(QRectF(parts.tag).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter.setFont(tagFont());
        painter.drawText(parts.tag, Qt::AlignCenter, entry.axisTag);
        painter.setFont(font());
    }

    if (parts.value.intersects(dirty)) {
        painter.setPen(entry.warning ? m_warningColor : text);
        painter.drawText(parts.value,
            Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(entry.value, Qt::ElideRight, m_valueReserve));
    }

    if (entry.warning) {
        const double cy = rect.center().y() + 0.5;
        const int markerLeft = parts.marker.left();
        QPainterPath triangle;
        triangle.moveTo(markerLeft, cy + MarkerWidth / 2.0);
        triangle.lineTo(markerLeft + MarkerWidth / 2.0, cy - MarkerWidth / 2.0);
        triangle.lineTo(markerLeft + MarkerWidth, cy + MarkerWidth / 2.0);
        triangle.closeSubpath();
        painter.fillPath(triangle, m_warningColor);
    }

    if (parts.name.intersects(dirty)) {
        painter.setPen(text);
        painter.drawText(parts.name,
            Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(entry.name, Qt::ElideRight, parts.name.width()));
    }
    painter.restore();
}

/// A thick line in the trace colour; hidden traces get a hollow, struck-through box instead.
void LegendStrip::paintSwatch(QPainter& painter, const LegendEntry& entry, const QRect& rect) const
{
    const int left = rect.left() + Pad;
    const int cy = rect.center().y();
    if (!entry.hidden) {
        painter.fillRect(QRect(left, cy - SwatchThickness / 2, SwatchWidth, SwatchThickness),
            entry.color);
        return;
    }
    const QRectF box(left + 0.5,
        cy - HollowThickness / 2 + 0.5,
        SwatchWidth - 1,
        HollowThickness - 1);
    painter.setPen(QPen(entry.color, 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(box);
    painter.setPen(QPen(palette().color(QPalette::PlaceholderText), 1));
    painter.drawLine(box.bottomLeft(), box.topRight());
}

QString LegendStrip::toolTipFor(const LegendEntry& entry) const
{
    const QString value = entry.value.isEmpty() ? tr("(no value yet)") : entry.value;
    QString tip = tr("%1\nValue: %2\nAxis: %3").arg(entry.name, value, entry.axisTag);
    if (entry.warning)
        tip += u'\n' + tr("Warning");
    tip += u'\n' + (entry.hidden ? tr("Hidden: click to show") : tr("Click to hide"));
    return tip;
}

} // namespace sightline::ui
