#pragma once

// Runs a test's or benchmark's Qt event loop for a while.

#include <QEventLoop>
#include <QTimer>

namespace sightline::test {

/// Runs the event loop for `ms` milliseconds.
inline void runEventsFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace sightline::test
