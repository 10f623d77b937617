#pragma once

#include "core/error.h"

#include <QObject>

#include <functional>
#include <mutex>

namespace sightline::core::server {

/// Runs functions on one thread (the one that creates this object) for callers on other
/// threads, and waits for their result: the unary API's thread uses it for the framer and
/// the sample store, which belong to the cluster's thread. close() (on the owning thread)
/// refuses later calls and releases callers still waiting, so the owner can then join their
/// threads without a deadlock.
class ThreadCall
{
public:
    ThreadCall();
    ~ThreadCall();
    ThreadCall(const ThreadCall&) = delete;
    ThreadCall& operator=(const ThreadCall&) = delete;

    /// `work()` run on the owning thread (directly when called there); a `sightline.shutdown`
    /// error, without running it, once close() has been called.
    [[nodiscard]] Result<void> call(const std::function<Result<void>()>& work);
    /// Refuses further calls; those queued but not yet run fail. Owning thread only.
    void close();

private:
    std::mutex m_mutex;
    /// Lives on the owning thread; null once closed. Deleting it drops the queued calls.
    QObject* m_context;
};

} // namespace sightline::core::server
