#pragma once

#include <QtGlobal>

#include <unordered_map>

namespace sightline::core::server {

class StreamSession;

/// What the cluster's live streams together may hold of frames handed to their sockets and
/// not yet sent. A subscriber that stops reading keeps its frames in the cluster's memory;
/// each stream is capped on its own, and this caps them together: once the sum is over the
/// limit, the stream furthest behind is the one to drop (never a healthy one while a stalled
/// one holds more). Cluster thread only.
class BacklogBudget
{
public:
    explicit BacklogBudget(qint64 limit)
        : m_limit(limit)
    {
    }

    /// `stream` now has `bytes` waiting. Returns the stream to drop when the sum is over the
    /// limit (the one holding most), else null.
    [[nodiscard]] StreamSession* charge(StreamSession* stream, qint64 bytes);
    /// `stream` is gone or holds nothing any more.
    void release(StreamSession* stream);

    [[nodiscard]] qint64 total() const { return m_total; }
    [[nodiscard]] qint64 limit() const { return m_limit; }

private:
    qint64 m_limit;
    qint64 m_total = 0;
    std::unordered_map<StreamSession*, qint64> m_waiting;
};

} // namespace sightline::core::server
