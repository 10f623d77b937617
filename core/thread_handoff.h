#pragma once

// Qt's mutexes and semaphores are futex-based and Qt is not built with ThreadSanitizer, so
// TSan cannot see that a queued call orders what the poster wrote before what the callee
// reads. These mark such hand-offs for TSan (no-ops in every other build).

#include <QMetaObject>
#include <QObject>

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#endif

namespace sightline::core {

/// Everything this thread wrote so far happens before a later takeOver(`token`).
inline void handOver([[maybe_unused]] const void* token)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(const_cast<void*>(token));
#endif
}

/// What was written before handOver(`token`) on another thread is visible from here on.
inline void takeOver([[maybe_unused]] const void* token)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(const_cast<void*>(token));
#endif
}

/// Runs `work` on `context`'s thread and waits for it (Qt::BlockingQueuedConnection), with
/// the hand-offs both ways marked.
template <typename Work> void runOnThreadOf(QObject* context, Work&& work)
{
    handOver(context);
    QMetaObject::invokeMethod(
        context,
        [&work, context] {
            takeOver(context);
            work();
            handOver(context);
        },
        Qt::BlockingQueuedConnection);
    takeOver(context);
}

} // namespace sightline::core
