#pragma once

#include "core/client/connection.h"
#include "core/feed/background_jobs.h"
#include "core/telem/workspace.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

namespace sightline::core::feed {

/// A cluster's workspaces kept current: read at start, then read again after each change
/// signal (`sy_workspace_set`, `sy_workspace_delete`), so another client's create, rename or
/// delete shows within a fraction of a second; a cluster without those channels is read again
/// every few seconds instead. Reads on a worker thread (joined on destruction); results are
/// delivered on the thread that created it (the GUI thread).
class WorkspaceFollower : public QObject
{
    Q_OBJECT

public:
    static constexpr int PollMilliseconds = 5000;

    explicit WorkspaceFollower(std::shared_ptr<client::Connection> connection,
        QObject* parent = nullptr);

    /// Starts reading and following (once).
    void start();
    /// Reads again now (after a change made here, not to wait for its signal).
    void refresh() { *m_refreshWanted = true; }

Q_SIGNALS:
    /// Every workspace of the cluster, as read just now.
    void workspacesRead(const std::vector<sightline::core::Workspace>& workspaces);
    void readFailed(const sightline::core::Error& error);
    /// Whether changes arrive as they happen (signals) or by polling.
    void followingLive(bool live);

private:
    std::shared_ptr<client::Connection> m_connection;
    std::shared_ptr<std::atomic<bool>> m_refreshWanted = std::make_shared<std::atomic<bool>>(false);
    bool m_started = false;
    BackgroundJobs m_jobs; ///< last: joined before the rest goes
};

} // namespace sightline::core::feed

Q_DECLARE_METATYPE(std::vector<sightline::core::Workspace>)
