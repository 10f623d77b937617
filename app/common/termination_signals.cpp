#include "common/termination_signals.h"

#include <QObject>
#include <QSocketNotifier>

#include <atomic>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace sightline::app {

namespace {

    int g_signalPipe[2] = { -1, -1 };
    std::atomic<int> g_signalsSeen { 0 }; // lock-free, so safe in a signal handler

    extern "C" void forwardSignal(int signal)
    {
        if (g_signalsSeen.fetch_add(1) > 0)
            ::_exit(128 + signal); // asked twice: the user means it
        const char byte = static_cast<char>(signal);
        [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
    }

} // namespace

void handleTerminationSignals(QObject* context, std::function<void(int)> handler)
{
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto* notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier,
        &QSocketNotifier::activated,
        context,
        [handler = std::move(handler)] {
            char byte = 0;
            if (::read(g_signalPipe[0], &byte, 1) == 1)
                handler(static_cast<int>(byte));
        });
    struct sigaction action = {};
    action.sa_handler = forwardSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : { SIGTERM, SIGINT, SIGHUP })
        ::sigaction(signal, &action, nullptr);
}

} // namespace sightline::app
