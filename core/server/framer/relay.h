#pragma once

#include "core/telem/frame.h"

#include <cstdint>
#include <set>
#include <vector>

namespace sightline::core::server {

/// One streamer's interest in the relay: the channels it wants and the writer groups whose
/// frames it does not (group 0 is never excluded, as in Synnax).
class RelaySubscriber
{
public:
    virtual ~RelaySubscriber() = default;
    /// Receives a frame holding only this subscriber's channels (never empty).
    virtual void deliver(const Frame& frame) = 0;

    void setKeys(std::vector<ChannelKey> keys) { m_keys = std::move(keys); }
    void setExcludedGroups(std::set<std::uint32_t> groups) { m_excludedGroups = std::move(groups); }
    [[nodiscard]] const std::vector<ChannelKey>& keys() const { return m_keys; }
    [[nodiscard]] bool excludes(std::uint32_t group) const
    {
        return group != 0 && m_excludedGroups.contains(group);
    }

private:
    std::vector<ChannelKey> m_keys;
    std::set<std::uint32_t> m_excludedGroups;
};

/// Fans written frames out to the streamers subscribed to their channels. Runs on the
/// cluster's thread; delivery is synchronous, so a subscriber must not block (streamer
/// sessions queue into a bounded socket buffer).
class Relay
{
public:
    void subscribe(RelaySubscriber* subscriber);
    void unsubscribe(RelaySubscriber* subscriber);
    /// Delivers `frame`, written by a writer of `group`, to every interested subscriber.
    void publish(const Frame& frame, std::uint32_t group);
    [[nodiscard]] std::size_t subscriberCount() const { return m_subscribers.size(); }

private:
    std::vector<RelaySubscriber*> m_subscribers;
};

} // namespace sightline::core::server
