#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"

#include <QIODevice>

#include <functional>
#include <vector>

namespace sightline::core::store {

struct CsvExport
{
    TimeRange range;
    /// Data channels (their index channels are read too).
    std::vector<Channel> channels;
    /// Samples per channel per iterator step: what is held in memory at most (about twice).
    std::int64_t chunkSize = 100'000;
};

/// Writes the recorded samples of the channels in [range) as CSV, streamed through the
/// iterator chunk by chunk (never everything in memory). Columns: `time_ns` (int64 ns since
/// the epoch), `time` (ISO 8601 UTC), then one per channel by name. Rows are the merged,
/// sorted timestamps of all the channels' index channels; a cell is empty where a channel has
/// no sample at that time. Values are written in the shortest form that reads back exactly.
/// `keepGoing(fraction)` is called after each chunk; returning false cancels (a
/// `sightline.cancelled` error). Returns the number of rows written. Blocks the calling
/// thread: run it on a worker.
[[nodiscard]] Result<std::size_t> exportCsv(client::Connection& connection,
    const CsvExport& request,
    QIODevice& out,
    const std::function<bool(double)>& keepGoing = {});

} // namespace sightline::core::store
