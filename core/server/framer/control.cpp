#include "core/server/framer/control.h"

#include <algorithm>

namespace sightline::core::server {

void ControlTable::acquire(
    WriterId writer, ChannelKey channel, Authority authority, const ControlSubject& subject)
{
    std::vector<Claim>& claims = m_claims[channel];
    const auto mine = std::find_if(claims.begin(), claims.end(), [&](const Claim& c) {
        return c.writer == writer;
    });
    if (mine != claims.end()) {
        mine->authority = authority;
        return;
    }
    claims.push_back({ writer, authority, ++m_clock, subject });
}

void ControlTable::release(WriterId writer)
{
    for (auto it = m_claims.begin(); it != m_claims.end();) {
        std::erase_if(it->second, [&](const Claim& c) { return c.writer == writer; });
        it = it->second.empty() ? m_claims.erase(it) : std::next(it);
    }
}

const ControlTable::Claim* ControlTable::holder(ChannelKey channel) const
{
    const auto found = m_claims.find(channel);
    if (found == m_claims.end() || found->second.empty())
        return nullptr;
    return &*std::max_element(found->second.begin(),
        found->second.end(),
        [](const Claim& a, const Claim& b) {
            return a.authority != b.authority ? a.authority < b.authority : a.since > b.since;
        });
}

bool ControlTable::controls(WriterId writer, ChannelKey channel) const
{
    const Claim* claim = holder(channel);
    return claim != nullptr && claim->writer == writer;
}

const ControlSubject* ControlTable::heldByOther(WriterId writer, ChannelKey channel) const
{
    const Claim* claim = holder(channel);
    return claim != nullptr && claim->writer != writer ? &claim->subject : nullptr;
}

} // namespace sightline::core::server
