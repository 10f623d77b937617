#pragma once

#include "core/store/live_buffer.h"
#include "core/telem/channel.h"
#include "core/telem/frame.h"

#include <map>
#include <memory>

namespace sightline::core::store {

/// The live buffers of the plotted channels. Each data channel's samples are joined with the
/// timestamps of its index channel from the same frame (matched by alignment, as Synnax
/// pairs them) and kept as doubles. Buffers are sized once, when a channel is first seen, from
/// a memory budget. Virtual channels (no timestamps) are not kept. GUI thread only.
class LiveStore
{
public:
    /// `budgetBytes` is shared by the channels; no channel gets more than `maxSamples`.
    explicit LiveStore(std::size_t budgetBytes = 512u * 1024 * 1024,
        std::size_t maxSamples = 2u * 1024 * 1024);

    /// Registers channels (data channels get a buffer; index channels are remembered).
    void track(const std::vector<Channel>& channels);
    /// Stops keeping `key` and frees its buffer.
    void forget(ChannelKey key);
    /// Adds a streamed frame; returns the number of data samples stored.
    std::size_t ingest(const Frame& frame);
    /// Marks a break in every buffer (after a reconnect).
    void markGapEverywhere();

    [[nodiscard]] const LiveBuffer* buffer(ChannelKey key) const;
    [[nodiscard]] LiveBuffer* buffer(ChannelKey key);
    [[nodiscard]] const Channel* channel(ChannelKey key) const;
    [[nodiscard]] std::size_t memoryBytes() const;
    /// The newest timestamp stored in any buffer (0 when empty).
    [[nodiscard]] std::int64_t newestStamp() const;

private:
    std::size_t m_budgetBytes;
    std::size_t m_maxSamples;
    std::map<ChannelKey, Channel> m_channels;
    std::map<ChannelKey, std::unique_ptr<LiveBuffer>> m_buffers;
};

} // namespace sightline::core::store
