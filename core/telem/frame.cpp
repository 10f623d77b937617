#include "core/telem/frame.h"

#include <algorithm>

namespace sightline::core {

void Frame::add(ChannelKey key, Series series)
{
    m_keys.push_back(key);
    m_series.push_back(std::move(series));
}

bool Frame::contains(ChannelKey key) const
{
    return std::find(m_keys.begin(), m_keys.end(), key) != m_keys.end();
}

std::vector<ChannelKey> Frame::uniqueKeys() const
{
    std::vector<ChannelKey> unique;
    for (ChannelKey key : m_keys) {
        if (std::find(unique.begin(), unique.end(), key) == unique.end())
            unique.push_back(key);
    }
    return unique;
}

std::vector<const Series*> Frame::seriesOf(ChannelKey key) const
{
    std::vector<const Series*> found;
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (m_keys[i] == key)
            found.push_back(&m_series[i]);
    }
    return found;
}

const Series* Frame::timestampsFor(ChannelKey indexKey, const Series& data) const
{
    for (std::size_t i = 0; i < m_keys.size(); ++i)
        if (m_keys[i] == indexKey && m_series[i].size() == data.size()
            && m_series[i].alignment() == data.alignment())
            return &m_series[i];
    return nullptr;
}

Result<Series> Frame::concatenated(ChannelKey key) const
{
    Series joined;
    for (const Series* part : seriesOf(key)) {
        if (auto appended = joined.append(*part); !appended)
            return tl::unexpected(appended.error());
    }
    return joined;
}

Frame Frame::filtered(std::span<const ChannelKey> keep) const
{
    Frame out;
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (std::find(keep.begin(), keep.end(), m_keys[i]) != keep.end())
            out.add(m_keys[i], m_series[i]);
    }
    return out;
}

std::size_t Frame::sampleCount() const
{
    std::size_t total = 0;
    for (const Series& s : m_series)
        total += s.size();
    return total;
}

std::size_t Frame::byteSize() const
{
    std::size_t total = 0;
    for (const Series& s : m_series)
        total += s.byteSize();
    return total;
}

} // namespace sightline::core
