#pragma once

#include "core/telem/time.h"
#include "core/telem/time_axis.h"
#include "ui/plot/range_bands.h"

#include <QColor>
#include <QImage>
#include <QWidget>

#include <optional>
#include <vector>

namespace sightline::ui {

/// The history timeline: the extent of the recorded data, an overview envelope (min/max per
/// pixel) and a scrub window the user drags, resizes (edges) and zooms (wheel). Keys: ←/→
/// move by a tenth of the window, PgUp/PgDn by a whole window, Ctrl+←/→ ask for a step by
/// one iterator chunk, Ctrl+Home/Ctrl+End go to the start/end (the main window offers the same
/// steps as window-wide actions). GUI thread only.
class Timeline : public QWidget
{
    Q_OBJECT

public:
    /// One overview bucket: the envelope of a slice of the extent, [stamp, end).
    struct Bucket
    {
        core::TimeStamp stamp;
        core::TimeStamp end;
        double min = 0;
        double max = 0;
    };
    /// One channel's overview: its buckets, drawn in its colour on a scale of its own.
    struct Envelope
    {
        QColor color;
        std::vector<Bucket> buckets;
    };

    /// The ways the window can step along the extent.
    enum class Step { Back, Forward, PageBack, PageForward, ToStart, ToEnd };

    explicit Timeline(QWidget* parent = nullptr);

    /// Moves the window by a tenth of its span, a whole span, or to an end of the extent.
    void step(Step step);
    /// The stepping keys (←/→ a tenth, PgUp/PgDn a window, Home and Ctrl+End the ends,
    /// Ctrl+←/→ a chunk): true when `event` was one and was acted on. The pane passes the
    /// keys its plots do not take, so they work wherever the focus is in the pane.
    bool stepByKey(const QKeyEvent& event);

    void setExtent(std::optional<core::TimeRange> extent);
    [[nodiscard]] std::optional<core::TimeRange> extent() const { return m_extent; }
    void setOverview(std::vector<Envelope> envelopes);
    [[nodiscard]] const std::vector<Envelope>& overview() const { return m_overview; }
    /// Moves the window (clamped to the extent, keeping its span when possible).
    void setWindow(core::TimeRange window);
    [[nodiscard]] core::TimeRange window() const { return m_window; }
    /// Ranges drawn along the extent, under the window (a coloured strip with the name).
    void setRangeBands(std::vector<RangeBand> bands);
    [[nodiscard]] const std::vector<RangeBand>& rangeBands() const { return m_bands; }

    [[nodiscard]] QSize sizeHint() const override { return { 600, 70 }; }

Q_SIGNALS:
    /// The user moved or resized the window.
    void windowChanged(sightline::core::TimeRange window);
    /// Ctrl+→ (+1) or Ctrl+← (−1): step by one iterator chunk.
    void chunkStepRequested(int direction);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    enum class Drag { None, Move, Start, End };
    void paintBands(QPainter& painter);
    /// Clock-time ticks and labels along the extent.
    void paintTicks(QPainter& painter);
    /// The extent laid across the widget's width.
    [[nodiscard]] core::TimeAxis axis() const;
    [[nodiscard]] double xOf(core::TimeStamp t) const;
    [[nodiscard]] core::TimeStamp timeAt(double x) const;
    void moveWindow(core::TimeRange window);
    /// The overview band at the widget's size, drawn once per change of overview, extent
    /// or size (a scrub repaints only the window over it).
    const QImage& overviewImage();
    /// Rows [top, bottom) of a pixel column (none when top >= bottom).
    struct Span
    {
        int top;
        int bottom;
    };
    [[nodiscard]] std::vector<Span> envelopeSpans(const Envelope& envelope, int width) const;
    static void blendSpans(QImage& image, const std::vector<Span>& spans, QColor color);

    std::optional<core::TimeRange> m_extent;
    std::vector<Envelope> m_overview;
    QImage m_overviewImage; ///< null when it must be drawn again
    core::TimeRange m_window;
    Drag m_drag = Drag::None;
    double m_grabX = 0;
    core::TimeRange m_grabWindow;
    /// The extent when the drag began: the drag's scale, so a growing extent (recording goes
    /// on) does not make the window's edges drift under the mouse.
    core::TimeRange m_grabExtent;
    std::vector<RangeBand> m_bands;
};

} // namespace sightline::ui
