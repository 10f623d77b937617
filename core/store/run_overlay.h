#pragma once

#include "core/error.h"
#include "core/telem/channel.h"
#include "core/telem/range.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sightline::core::client {
class Connection;
} // namespace sightline::core::client

namespace sightline::core::store {

/// The recorded samples of one channel over one range, with their timestamps.
struct RunSamples
{
    Range range;
    Channel channel;
    std::vector<TimeStamp> stamps;
    std::vector<double> values;
};

/// Where each run's time zero is on the overlay: its range's start, or the first sample at
/// which `eventChannel` crosses `threshold` (going up when `rising`, else down) in the range.
struct RunAlignment
{
    std::optional<ChannelKey> eventChannel;
    double threshold = 0;
    bool rising = true;
};

/// One curve of the overlay: a channel in a range, on seconds from the run's time zero.
struct OverlayTrace
{
    Range range;
    Channel channel;
    /// "range · channel".
    QString name;
    TimeStamp origin;
    std::vector<double> seconds;
    std::vector<double> values;
};

/// Reads `channels` over each range through the iterator (with their index channels).
[[nodiscard]] Result<std::vector<RunSamples>> readRuns(client::Connection& connection,
    const std::vector<Range>& ranges,
    const std::vector<Channel>& channels);

/// The first sample of `samples` crossing `threshold` (from below when `rising`, from above
/// otherwise; a first sample already past it counts); nullopt when it never does.
[[nodiscard]] std::optional<TimeStamp> firstCrossing(
    const RunSamples& samples, double threshold, bool rising);

/// Lines the runs up on one time axis: each range's samples relative to its own time zero.
/// A range whose event never happens is left out, with a line in `problems` saying so.
[[nodiscard]] std::vector<OverlayTrace> overlayRuns(const std::vector<RunSamples>& runs,
    const RunAlignment& alignment,
    QStringList* problems = nullptr);

} // namespace sightline::core::store
