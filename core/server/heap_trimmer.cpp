#include "core/server/heap_trimmer.h"

#include "core/allocator_tuning.h"

namespace sightline::core::server {

HeapTrimmer::HeapTrimmer(std::size_t threshold, QObject* parent)
    : QObject(parent)
    , m_threshold(threshold)
{
    connect(&m_timer, &QTimer::timeout, this, &HeapTrimmer::trimIfOver);
    m_timer.start(IntervalMs);
}

bool HeapTrimmer::trimIfOver()
{
    if (freeHeapBytes() <= m_threshold)
        return false;
    trimHeap();
    return true;
}

} // namespace sightline::core::server
