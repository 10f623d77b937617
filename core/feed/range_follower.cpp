#include "core/feed/range_follower.h"

#include "core/client/connection.h"
#include "core/client/label_client.h"
#include "core/client/range_changes.h"
#include "core/client/streamer.h"

#include <QElapsedTimer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace sightline::core::feed {

RangeFollower::RangeFollower(std::shared_ptr<client::Connection> connection, QObject* parent)
    : QObject(parent)
    , m_connection(std::move(connection))
{
}

RangeFollower::~RangeFollower()
{
    m_stopping = true;
    if (m_worker != nullptr) {
        m_worker->wait();
        delete m_worker;
    }
}

void RangeFollower::start()
{
    if (m_worker != nullptr)
        return;
    m_worker = QThread::create([this] { run(); });
    m_worker->setObjectName(u"sightline-ranges"_s);
    m_worker->start();
}

bool RangeFollower::readAll(client::RangeClient& ranges, client::LabelClient& labels)
{
    auto allRanges = ranges.retrieveLabelled({});
    auto allLabels = labels.retrieve({});
    if (!allRanges || !allLabels) {
        const QString message = (allRanges ? allLabels.error() : allRanges.error()).toString();
        QMetaObject::invokeMethod(
            this,
            [this, message] { Q_EMIT readFailed(message); },
            Qt::QueuedConnection);
        return false;
    }
    QMetaObject::invokeMethod(
        this,
        [this, read = std::move(*allRanges), known = std::move(*allLabels)] {
            Q_EMIT rangesRead(read, known);
        },
        Qt::QueuedConnection);
    return true;
}

void RangeFollower::run()
{
    client::RangeClient ranges(*m_connection);
    client::LabelClient labels(*m_connection);
    readAll(ranges, labels);
    client::StreamerConfig config;
    for (const QString& name : client::rangeChangeChannels())
        config.channels.emplace_back(name);
    auto streamer = client::Streamer::open(m_connection, config);
    bool live = streamer.has_value();
    const auto tellLive = [this](bool following) {
        QMetaObject::invokeMethod(
            this,
            [this, following] { Q_EMIT followingLive(following); },
            Qt::QueuedConnection);
    };
    tellLive(live);
    QElapsedTimer sinceRead;
    sinceRead.start();
    while (!m_stopping) {
        bool changed = m_refreshWanted.exchange(false);
        if (live) {
            auto frame = (*streamer)->read(TimeSpan::milliseconds(100));
            if (!frame) { // the streamer gave up (it reconnects by itself until then): poll
                live = false;
                tellLive(false);
            } else if (*frame) {
                changed = true;
                (void)(*streamer)->takeAll(); // one read answers the whole burst
            }
        } else {
            QThread::msleep(100);
            changed = changed || sinceRead.elapsed() >= PollMilliseconds;
        }
        if (changed && !m_stopping) {
            readAll(ranges, labels);
            sinceRead.restart();
        }
    }
    if (streamer)
        (*streamer)->close();
}

} // namespace sightline::core::feed
