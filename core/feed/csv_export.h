#pragma once

#include "core/client/connection.h"
#include "core/error.h"
#include "core/feed/background_jobs.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"

#include <QIODevice>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace sightline::core::feed {

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

/// CSV exports into files on a worker thread, one at a time: a new export or cancel() stops
/// the one running and removes its unfinished file. GUI thread only; signals arrive there.
class CsvFileExporter : public QObject
{
    Q_OBJECT

public:
    explicit CsvFileExporter(QObject* parent = nullptr);

    void start(std::shared_ptr<client::Connection> connection, CsvExport request, QString file);
    void cancel();
    [[nodiscard]] bool running() const { return m_running; }

Q_SIGNALS:
    /// The fraction of the range written so far (0..1).
    void progress(double fraction);
    /// The file is complete and closed.
    void finished(const QString& file, std::size_t rows);
    void failed(const QString& file, const sightline::core::Error& error);

private:
    bool m_running = false;
    BackgroundJobs m_jobs;
};

} // namespace sightline::core::feed
