#include "core/store/live_store.h"

#include <algorithm>

namespace sightline::core::store {

namespace {

    /// Bytes one sample costs in a buffer (timestamp, value, gap flag).
    constexpr std::size_t BytesPerSample = sizeof(std::int64_t) + sizeof(double) + 1;
    /// Buffers are sized as if at least this many channels share the budget.
    constexpr std::size_t MinimumShare = 16;

    std::vector<double> asDoubles(const Series& series)
    {
        std::vector<double> values(series.size());
        if (const auto doubles = series.values<double>(); doubles.size() == values.size()) {
            std::copy(doubles.begin(), doubles.end(), values.begin());
            return values;
        }
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = series.valueAsDouble(i);
        return values;
    }

} // namespace

LiveStore::LiveStore(std::size_t budgetBytes, std::size_t maxSamples)
    : m_budgetBytes(budgetBytes)
    , m_maxSamples(maxSamples)
{
}

void LiveStore::track(const std::vector<Channel>& channels)
{
    for (const Channel& channel : channels) {
        m_channels[channel.key] = channel;
        if (channel.isIndex || channel.isVirtual || !channel.dataType.isNumeric()
            || m_buffers.contains(channel.key))
            continue;
        const std::size_t share = std::max(MinimumShare, m_buffers.size() + 1);
        const std::size_t capacity = std::min(m_maxSamples, m_budgetBytes / BytesPerSample / share);
        m_buffers.emplace(channel.key, std::make_unique<LiveBuffer>(capacity));
    }
}

void LiveStore::forget(ChannelKey key) { m_buffers.erase(key); }

std::size_t LiveStore::ingest(const Frame& frame)
{
    std::size_t stored = 0;
    for (std::size_t i = 0; i < frame.size(); ++i) {
        const auto buffer = m_buffers.find(frame.keyAt(i));
        const auto channel = m_channels.find(frame.keyAt(i));
        if (buffer == m_buffers.end() || channel == m_channels.end())
            continue;
        const Series& data = frame.seriesAt(i);
        // The index series written with it: same alignment (else the same length).
        const Series* stamps = nullptr;
        for (const Series* candidate : frame.seriesOf(channel->second.index)) {
            if (candidate->alignment() == data.alignment() && candidate->size() == data.size()) {
                stamps = candidate;
                break;
            }
            if (stamps == nullptr && candidate->size() == data.size())
                stamps = candidate;
        }
        if (stamps == nullptr)
            continue;
        stored += buffer->second->append(stamps->values<std::int64_t>(), asDoubles(data));
    }
    return stored;
}

void LiveStore::markGapEverywhere()
{
    for (auto& [key, buffer] : m_buffers)
        buffer->markGap();
}

const LiveBuffer* LiveStore::buffer(ChannelKey key) const
{
    const auto found = m_buffers.find(key);
    return found == m_buffers.end() ? nullptr : found->second.get();
}

LiveBuffer* LiveStore::buffer(ChannelKey key)
{
    const auto found = m_buffers.find(key);
    return found == m_buffers.end() ? nullptr : found->second.get();
}

const Channel* LiveStore::channel(ChannelKey key) const
{
    const auto found = m_channels.find(key);
    return found == m_channels.end() ? nullptr : &found->second;
}

std::size_t LiveStore::memoryBytes() const
{
    std::size_t total = 0;
    for (const auto& [key, buffer] : m_buffers)
        total += buffer->memoryBytes();
    return total;
}

std::int64_t LiveStore::newestStamp() const
{
    std::int64_t newest = 0;
    for (const auto& [key, buffer] : m_buffers)
        if (!buffer->empty())
            newest = std::max(newest, buffer->stampAt(buffer->size() - 1));
    return newest;
}

} // namespace sightline::core::store
