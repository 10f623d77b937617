#include "core/feed/workspace_follower.h"

#include "core/client/streamer.h"
#include "core/client/workspace_client.h"

#include <QElapsedTimer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace sightline::core::feed {

WorkspaceFollower::WorkspaceFollower(std::shared_ptr<client::Connection> connection,
    QObject* parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_jobs(BackgroundJobs::Policy::Latest, u"sightline-workspaces"_s)
{
    qRegisterMetaType<std::vector<Workspace>>();
}

void WorkspaceFollower::start()
{
    if (std::exchange(m_started, true))
        return;
    m_jobs.start([this, connection = m_connection, refresh = m_refreshWanted](
                     const BackgroundJobs::Job& job) {
        client::WorkspaceClient workspaces(*connection);
        const auto readAll = [&] {
            auto read = workspaces.retrieve(WorkspaceQuery {});
            job.post([this, read] {
                if (read)
                    Q_EMIT workspacesRead(*read);
                else
                    Q_EMIT readFailed(read.error());
            });
        };
        readAll();
        client::StreamerConfig config;
        config.channels = { client::ChannelRef(client::WorkspaceClient::SetChannel),
            client::ChannelRef(client::WorkspaceClient::DeleteChannel) };
        auto streamer = client::Streamer::open(connection, config);
        const bool live = streamer.has_value();
        job.post([this, live] { Q_EMIT followingLive(live); });
        QElapsedTimer sinceRead;
        sinceRead.start();
        while (!job.stopped()) {
            bool changed = refresh->exchange(false);
            if (live) {
                // A burst of changes (a layout saved per plot moved) is read once.
                auto frame = (*streamer)->read(TimeSpan::milliseconds(100));
                changed = changed || (frame && *frame);
            } else {
                QThread::msleep(100);
                changed = changed || sinceRead.elapsed() >= PollMilliseconds;
            }
            if (changed && !job.stopped()) {
                readAll();
                sinceRead.restart();
            }
        }
        if (live)
            (*streamer)->close();
    });
}

} // namespace sightline::core::feed
