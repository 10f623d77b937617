#pragma once

// The real main window on a fresh live feed, as the app shows it once connected: for GUI
// tests against the embedded cluster.

#include "core/client/connection.h"
#include "core/feed/live_feed.h"
#include "ui/shell/main_window.h"

#include <memory>
#include <vector>

namespace sightline::test {

struct WindowSession
{
    std::unique_ptr<core::feed::LiveFeed> feed;
    std::unique_ptr<ui::MainWindow> window; ///< null when the feed could not start
};

/// A shown main window attached to a started live feed on `connection`.
inline WindowSession openWindow(const std::shared_ptr<core::client::Connection>& connection,
    const std::vector<core::Channel>& channels)
{
    WindowSession session;
    session.feed = std::make_unique<core::feed::LiveFeed>(connection);
    if (!session.feed->start())
        return session;
    session.window = std::make_unique<ui::MainWindow>();
    session.window->attach(session.feed.get(), channels);
    session.window->show();
    return session;
}

} // namespace sightline::test
