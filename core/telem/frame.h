#pragma once

#include "core/error.h"
#include "core/telem/series.h"

#include <cstdint>
#include <span>
#include <vector>

namespace sightline::core {

/// A channel's key: `(leaseholder << 20) | localKey` on a real cluster.
using ChannelKey = std::uint32_t;

/// Parallel lists of channel keys and series. A key may repeat (several series for one
/// channel, in order); a frame from a streamer holds only the channels that changed.
class Frame
{
public:
    Frame() = default;

    void add(ChannelKey key, Series series);

    [[nodiscard]] std::size_t size() const { return m_keys.size(); }
    [[nodiscard]] bool empty() const { return m_keys.empty(); }
    [[nodiscard]] const std::vector<ChannelKey>& keys() const { return m_keys; }
    [[nodiscard]] const std::vector<Series>& series() const { return m_series; }
    [[nodiscard]] ChannelKey keyAt(std::size_t i) const { return m_keys[i]; }
    [[nodiscard]] const Series& seriesAt(std::size_t i) const { return m_series[i]; }

    [[nodiscard]] bool contains(ChannelKey key) const;
    /// Distinct keys in first-appearance order.
    [[nodiscard]] std::vector<ChannelKey> uniqueKeys() const;
    /// Every series of `key`, in frame order.
    [[nodiscard]] std::vector<const Series*> seriesOf(ChannelKey key) const;
    /// The series of index channel `indexKey` holding the timestamps of `data`: the one with
    /// the same alignment and length (how Synnax pairs them); nullptr when there is none.
    [[nodiscard]] const Series* timestampsFor(ChannelKey indexKey, const Series& data) const;
    /// The series of `key` joined into one (time range spanning all, first alignment);
    /// an empty series when the key is absent; an error when their data types differ.
    [[nodiscard]] Result<Series> concatenated(ChannelKey key) const;
    /// The series of the given keys only, in frame order.
    [[nodiscard]] Frame filtered(std::span<const ChannelKey> keep) const;
    /// Total number of samples across all series.
    [[nodiscard]] std::size_t sampleCount() const;
    [[nodiscard]] std::size_t byteSize() const;

    friend bool operator==(const Frame&, const Frame&) = default;

private:
    std::vector<ChannelKey> m_keys;
    std::vector<Series> m_series;
};

} // namespace sightline::core
