#include "core/server/framer/relay.h"

#include <algorithm>

namespace sightline::core::server {

void Relay::subscribe(RelaySubscriber* subscriber)
{
    if (std::find(m_subscribers.begin(), m_subscribers.end(), subscriber) == m_subscribers.end())
        m_subscribers.push_back(subscriber);
}

void Relay::unsubscribe(RelaySubscriber* subscriber) { std::erase(m_subscribers, subscriber); }

void Relay::publish(const Frame& frame, std::uint32_t group)
{
    // Copy: a subscriber's delivery may unsubscribe it (a slow consumer is dropped).
    const std::vector<RelaySubscriber*> subscribers = m_subscribers;
    for (RelaySubscriber* subscriber : subscribers) {
        if (subscriber->excludes(group))
            continue;
        if (std::find(m_subscribers.begin(), m_subscribers.end(), subscriber)
            == m_subscribers.end())
            continue;
        Frame wanted = frame.filtered(subscriber->keys());
        if (!wanted.empty())
            subscriber->deliver(wanted);
    }
}

} // namespace sightline::core::server
