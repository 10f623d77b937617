#pragma once

#include <QObject>
#include <QTimer>

#include <cstddef>

namespace sightline::core::server {

/// Gives memory back to the system after a burst: every second, when the heap holds more
/// than `threshold` bytes free (a dropped slow subscriber's backlog, a large reply sent), the
/// free pages are returned. tuneAllocator() keeps up to 256 MiB for reuse, which suits a
/// history scan's chunks but would leave a burst resident for good. Lives on the thread that
/// creates it.
class HeapTrimmer : public QObject
{
    Q_OBJECT

public:
    static constexpr std::size_t DefaultThreshold = 8u * 1024 * 1024;
    static constexpr int IntervalMs = 1000;

    explicit HeapTrimmer(std::size_t threshold = DefaultThreshold, QObject* parent = nullptr);

    /// Trims now when over the threshold; true when it did.
    bool trimIfOver();

private:
    std::size_t m_threshold;
    QTimer m_timer;
};

} // namespace sightline::core::server
