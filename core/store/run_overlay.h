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

class HistoryCache;

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

/// A part of one run (an index into RunPlan::runs) that the history cache does not hold.
struct RunGap
{
    std::size_t run = 0;
    TimeRange span;
};

/// The runs of a comparison (each range × each channel) with what the history cache already
/// holds of them, and the gaps still to read from the cluster.
struct RunPlan
{
    std::vector<RunSamples> runs;
    std::vector<RunGap> gaps;
};

/// The samples of one gap, read through the iterator.
struct GapSamples
{
    RunGap gap;
    std::vector<std::int64_t> stamps;
    std::vector<double> values;
};

/// Plans reading `channels` over each range: what `cache` holds is copied into the runs
/// now, the rest becomes gaps. GUI thread (the cache's).
[[nodiscard]] RunPlan planRuns(const HistoryCache& cache,
    const std::vector<Range>& ranges,
    const std::vector<Channel>& channels);

/// Reads every gap of `plan` through the iterator (with the channels' index channels), one
/// read per range and span. Any thread.
[[nodiscard]] Result<std::vector<GapSamples>> readGaps(client::Connection& connection,
    const RunPlan& plan);

/// Puts what was read into the plan's runs (in time order) and into `cache` when given, so
/// the history pane and the next comparison answer from memory. Of a gap reaching past
/// `readAt` (when the read started), only what was read counts as covered: samples may
/// still arrive there. GUI thread.
void fillGaps(RunPlan& plan, std::vector<GapSamples> read, HistoryCache* cache, TimeStamp readAt);

/// Reads `channels` over each range through the iterator, without a cache.
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
