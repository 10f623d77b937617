#pragma once

#include "core/client/range_client.h"
#include "core/error.h"
#include "core/telem/label.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace sightline::core::client {
class Connection;
class LabelClient;
} // namespace sightline::core::client

namespace sightline::core::feed {

/// Keeps a cluster's ranges and labels current for a range list: reads them all at start,
/// then follows the cluster's change signals (docs/SYNNAX_RANGES.md §7) and reads them again
/// after each burst of changes, so another client's create, rename, relabel or delete shows
/// within a fraction of a second. A cluster without the signal channels is read again every
/// few seconds instead. Works against the embedded cluster and a real Synnax cluster alike.
/// Threads: reads on a worker thread (joined on destruction); results are delivered on the
/// thread that created it (the GUI thread).
class RangeFollower : public QObject
{
    Q_OBJECT

public:
    explicit RangeFollower(std::shared_ptr<client::Connection> connection,
        QObject* parent = nullptr);
    ~RangeFollower() override;

    /// Starts reading and following (once).
    void start();
    /// Reads everything again now (after a change made here, not to wait for its signal).
    void refresh() { m_refreshWanted = true; }
    /// How often a cluster without change signals is read again.
    static constexpr int PollMilliseconds = 5000;

Q_SIGNALS:
    /// Every range (with its labels) and every label of the cluster, as read just now.
    void rangesRead(const std::vector<sightline::core::client::LabelledRange>& ranges,
        const std::vector<sightline::core::Label>& labels);
    /// Reading failed (it is tried again after the next change or poll).
    void readFailed(const QString& message);
    /// Whether changes arrive as they happen (signals) or by polling.
    void followingLive(bool live);

private:
    void run();
    /// Reads and delivers everything; false when it failed (reported).
    bool readAll(client::RangeClient& ranges, client::LabelClient& labels);

    std::shared_ptr<client::Connection> m_connection;
    QThread* m_worker = nullptr;
    std::atomic<bool> m_stopping = false;
    std::atomic<bool> m_refreshWanted = false;
};

} // namespace sightline::core::feed
