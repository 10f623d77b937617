#pragma once

#include "core/error.h"
#include "core/server/framer/framer.h"
#include "core/telem/frame.h"
#include "core/telem/time.h"

#include <memory>
#include <vector>

namespace sightline::core::server {

struct IteratorConfig
{
    std::vector<ChannelKey> keys;
    TimeRange bounds = TimeRange::max();
    /// Samples per channel for next/prev with the automatic span.
    std::int64_t chunkSize = 100'000;
    std::int64_t downsampleFactor = 1;
};

/// What one iterator command produced: its boolean result and the data, one frame per
/// channel that had samples (protocol §6: data responses, then one ack).
struct IteratorStep
{
    bool ok = false;
    std::vector<Frame> frames;
};

/// Synnax's iterator (protocol §6, cesium's unary iterator) over stored samples, independent
/// of the transport. Each channel keeps its own view `[start, end)` inside the bounds; a
/// command's result is the OR across channels. Virtual channels have no stored samples.
class FrameIterator
{
public:
    /// `next(AutoSpan)` / `prev(AutoSpan)` step by the chunk size instead of a time span.
    static constexpr TimeSpan AutoSpan = TimeSpan(-1);

    /// sy.query.not_found for unknown channels; sy.validation for bad bounds or sizes.
    [[nodiscard]] static Result<std::unique_ptr<FrameIterator>> open(Framer& framer,
        IteratorConfig config);
    /// As above over `store` (e.g. a read connection on another thread), with the channels
    /// of `config.keys` already resolved. The iterator then only touches `store`.
    [[nodiscard]] static Result<std::unique_ptr<FrameIterator>> open(
        SampleStore& store, std::vector<Channel> channels, IteratorConfig config);

    [[nodiscard]] Result<IteratorStep> next(TimeSpan span);
    [[nodiscard]] Result<IteratorStep> prev(TimeSpan span);
    [[nodiscard]] Result<bool> seekFirst();
    [[nodiscard]] Result<bool> seekLast();
    [[nodiscard]] Result<bool> seekLE(TimeStamp stamp);
    [[nodiscard]] Result<bool> seekGE(TimeStamp stamp);
    /// True when the last next/prev left samples in the view (false after any seek).
    [[nodiscard]] bool valid() const;

private:
    struct Cursor
    {
        Channel channel;
        TimeRange view;
        bool hasData = false;
    };
    FrameIterator(SampleStore& store, IteratorConfig config, std::vector<Channel> channels);

    /// Samples read for one channel, with the timestamps of the first and last.
    struct ChannelRead
    {
        std::vector<Series> series;
        std::uint64_t count = 0;
        TimeStamp first;
        TimeStamp last;
    };
    /// Reads the samples of `cursor` with timestamps in `range`, at most `limit` of them
    /// (0: no limit), from the front (forward) or the back.
    [[nodiscard]] Result<ChannelRead> read(
        const Cursor& cursor, TimeRange range, std::uint64_t limit, bool forward);
    /// Moves every channel's view to where `seek` lands it, or to `stamp` (within the
    /// bounds) when it finds no region; true when any channel found one.
    template <typename Seek> [[nodiscard]] Result<bool> seekEach(TimeStamp stamp, Seek seek);
    [[nodiscard]] Result<IteratorStep> step(bool forward, TimeSpan span);

    SampleStore& m_store;
    IteratorConfig m_config;
    std::vector<Cursor> m_cursors;
};

} // namespace sightline::core::server
