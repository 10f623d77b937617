#pragma once

#include <QColor>
#include <QFontMetricsF>
#include <QString>
#include <QWidget>

#include <vector>

class QPainter;

namespace sightline::ui {

/// One trace as the legend shows it.
struct LegendEntry
{
    quint32 id = 0;
    QString name;
    /// The current value as text; it may change every frame.
    QString value;
    /// Which value axis the trace is drawn against, e.g. "L1" or "R2".
    QString axisTag;
    QColor color;
    bool hidden = false;
    bool warning = false;
};

/// A legend shown above a plot (never over it): one painted entry per trace (swatch, name,
/// value, axis tag), wrapping onto as many rows as the width needs. Its height follows its
/// width (heightForWidth), so an owner can put it in a QScrollArea and cap it at a few rows.
/// Value updates repaint only their entry; the layout changes only when names, axis tags or
/// the number of entries do. GUI thread only.
class LegendStrip : public QWidget
{
    Q_OBJECT

public:
    explicit LegendStrip(QWidget* parent = nullptr);
    ~LegendStrip() override;

    /// Replaces all entries; relayouts only if names, axis tags or the count changed.
    void setEntries(const std::vector<LegendEntry>& entries);
    /// Sets one entry's value text and warning state, repainting only that entry (per frame).
    void setValue(quint32 id, const QString& value, bool warning);
    /// Draws the entry dimmed with a hollow swatch (the trace is not drawn).
    void setHidden(quint32 id, bool hidden);
    /// The colour of values (and their marker) in warning; default #e8590c.
    void setWarningColor(const QColor& color);
    /// The colour of values in warning.
    [[nodiscard]] QColor warningColor() const { return m_warningColor; }

    /// The entries, in display order.
    [[nodiscard]] const std::vector<LegendEntry>& entries() const { return m_entries; }
    /// The number of entries.
    [[nodiscard]] int entryCount() const;
    /// Where entry `index` is drawn at the current width (empty if out of range).
    [[nodiscard]] QRect entryRect(int index) const;
    /// The index of the entry at `pos`, or -1.
    [[nodiscard]] int entryAt(const QPoint& pos) const;

    /// The height of one row of entries.
    [[nodiscard]] int rowHeight() const;
    /// The height the strip needs to show `rows` rows (e.g. a scroll area's maximum height).
    [[nodiscard]] int heightForRows(int rows) const;

    /// True: the strip wraps, so its height depends on its width.
    [[nodiscard]] bool hasHeightForWidth() const override;
    /// The height that shows every entry at `width`.
    [[nodiscard]] int heightForWidth(int width) const override;
    /// All entries on one row.
    [[nodiscard]] QSize sizeHint() const override;
    /// One row, as narrow as one shortened entry.
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// A left click on an entry (the owner toggles that trace's visibility).
    void entryClicked(quint32 id);
    /// A context menu was asked for on an entry, at `globalPos`.
    void entryContextMenuRequested(quint32 id, const QPoint& globalPos);

protected:
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Metrics;

    [[nodiscard]] int indexOf(quint32 id) const;
    [[nodiscard]] QFont tagFont() const;
    [[nodiscard]] Metrics metrics() const;
    [[nodiscard]] int naturalWidth(const LegendEntry& entry, const Metrics& m) const;
    [[nodiscard]] std::vector<QRect> flow(int width) const;
    /// The rects at the current width, laid out again if the width or entries changed.
    [[nodiscard]] const std::vector<QRect>& rects() const;
    void remeasure();
    /// Where an entry's parts lie in its rect.
    struct EntryParts
    {
        QRect tag; ///< empty without an axis tag
        QRect value;
        QRect marker; ///< the warning triangle, left of the value
        QRect name;
    };
    [[nodiscard]] EntryParts partsOf(std::size_t index, const QRect& rect) const;
    /// Draws the parts of entry `index` that meet `dirty`.
    void paintEntry(QPainter& painter,
        std::size_t index,
        const QRect& rect,
        const QFontMetricsF& metrics,
        const QRect& dirty) const;
    void paintSwatch(QPainter& painter, const LegendEntry& entry, const QRect& rect) const;
    [[nodiscard]] QString toolTipFor(const LegendEntry& entry) const;

    std::vector<LegendEntry> m_entries;
    /// Each entry's unclipped width; changes only with names, tags or the font.
    std::vector<int> m_naturalWidths;
    /// Measured with them: each entry's axis tag box width (0: none), the tag box height and
    /// the width kept for values.
    std::vector<int> m_tagWidths;
    int m_tagHeight = 0;
    int m_valueReserve = 0;
    /// Each entry's rect at m_rectsWidth (-1: stale); a cache, so rects() may refresh it.
    mutable std::vector<QRect> m_rects;
    mutable int m_rectsWidth = -1;
    int m_pressedIndex = -1;
    QColor m_warningColor;
};

} // namespace sightline::ui
