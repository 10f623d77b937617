#include "core/server/backlog_budget.h"

#include <algorithm>

namespace sightline::core::server {

StreamSession* BacklogBudget::charge(StreamSession* stream, qint64 bytes)
{
    qint64& waiting = m_waiting[stream];
    m_total += bytes - waiting;
    waiting = bytes;
    if (m_total <= m_limit)
        return nullptr;
    const auto furthestBehind = std::max_element(m_waiting.begin(),
        m_waiting.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    return furthestBehind->first;
}

void BacklogBudget::release(StreamSession* stream)
{
    const auto found = m_waiting.find(stream);
    if (found == m_waiting.end())
        return;
    m_total -= found->second;
    m_waiting.erase(found);
}

} // namespace sightline::core::server
