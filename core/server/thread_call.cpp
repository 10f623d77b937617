#include "core/server/thread_call.h"

#include "core/thread_handoff.h"

#include <QThread>

#include <future>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    tl::unexpected<Error> shuttingDown()
    {
        return fail(u"sightline.shutdown"_s, u"the cluster is shutting down"_s);
    }

} // namespace

ThreadCall::ThreadCall()
    : m_context(new QObject())
{
}

ThreadCall::~ThreadCall() { close(); }

Result<void> ThreadCall::call(const std::function<Result<void>()>& work)
{
    std::future<Result<void>> result;
    {
        const std::lock_guard lock(m_mutex);
        if (m_context == nullptr)
            return shuttingDown();
        if (m_context->thread() == QThread::currentThread())
            return work();
        // Shared with the queued call: when close() drops that call unrun, the promise dies
        // with it and get() below reports a broken promise instead of waiting forever.
        auto promise = std::make_shared<std::promise<Result<void>>>();
        result = promise->get_future();
        handOver(promise.get());
        QMetaObject::invokeMethod(m_context, [promise, &work] {
            takeOver(promise.get());
            promise->set_value(work());
        });
    }
    try {
        return result.get();
    } catch (const std::future_error&) {
        return shuttingDown();
    }
}

void ThreadCall::close()
{
    const std::lock_guard lock(m_mutex);
    delete m_context; // drops its queued calls, which releases their callers
    m_context = nullptr;
}

} // namespace sightline::core::server
