#pragma once

#include <functional>

class QObject;

namespace sightline::app {

/// Turns SIGTERM, SIGINT and SIGHUP (a logout, `systemctl stop`, Ctrl+C) into a call of
/// `handler(signal)` from the event loop of `context`'s thread, so shutdown code runs as for
/// a normal quit instead of the process dying mid-way. A second signal while the first is
/// handled ends the process at once. Also ignores SIGPIPE and SIGXFSZ, so a closed socket or
/// a file-size limit is an error to report, not a crash. Call once, from the main thread.
void handleTerminationSignals(QObject* context, std::function<void(int)> handler);

} // namespace sightline::app
