#pragma once

#include "ui/plot/legend_strip.h"

#include <QScrollArea>

#include <vector>

namespace sightline::ui {

/// A legend strip above a plot: as tall as its rows up to `maxRows`, then it scrolls; hidden
/// while it has no entries. GUI thread only.
class LegendArea : public QScrollArea
{
    Q_OBJECT

public:
    LegendArea(int maxRows, QWidget* parent = nullptr);

    [[nodiscard]] LegendStrip* strip() const { return m_strip; }
    /// Replaces the entries and fits the height to them.
    void setEntries(const std::vector<LegendEntry>& entries);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitHeight();

    LegendStrip* m_strip = nullptr;
    int m_maxRows = 1;
};

} // namespace sightline::ui
