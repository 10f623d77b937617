#pragma once

#include "core/error.h"
#include "core/telem/channel.h"

#include <QSize>
#include <QString>

#include <optional>
#include <vector>

class QWidget;

namespace sightline::ui {

class HistoryPlot;

/// Writing the history plots to files, and the choices an export asks the user for.
namespace history_export {

    /// Writes `plots` (stacked) as PNG, SVG or PDF by the file's suffix, each dressed for the
    /// export (`title` above, the A–B statistics under it, no hover readout). PDF: a plot a
    /// page, the local paper size in landscape, the plot scaled to its margins.
    [[nodiscard]] core::Result<void> writeImage(
        const std::vector<HistoryPlot*>& plots, const QString& file, const QString& title);

    /// A save-file dialog that starts in the folder of the last export (the user's documents
    /// the first time) and remembers the folder chosen. Empty when cancelled.
    [[nodiscard]] QString chooseFile(
        QWidget* parent, const QString& caption, const QString& fileName, const QString& filter);

    /// Asks which of `channels` to export (all ticked to start with); nullopt when cancelled
    /// or none is ticked.
    [[nodiscard]] std::optional<std::vector<core::Channel>> chooseChannels(QWidget* parent,
        const std::vector<core::Channel>& channels);

    /// The folder an export dialog starts in (settings `history/exportFolder`, else the
    /// user's documents).
    [[nodiscard]] QString lastFolder();

} // namespace history_export

} // namespace sightline::ui
