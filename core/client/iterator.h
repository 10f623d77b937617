#pragma once

#include "core/client/connection.h"
#include "core/client/framer_stream.h"
#include "core/error.h"
#include "core/telem/frame.h"
#include "core/telem/time.h"

#include <memory>
#include <optional>
#include <vector>

namespace sightline::core::client {

struct IteratorConfig
{
    TimeRange bounds = TimeRange::max();
    std::vector<ChannelRef> channels {};
    /// Samples per channel for next()/prev() without a span.
    std::int64_t chunkSize = 100'000;
    std::int64_t downsampleFactor = 1;
};

/// Reads recorded samples through the cluster's iterator (protocol §6): a view inside the
/// bounds that seeks and steps by time span or by chunk size, start-inclusive and
/// end-exclusive in both directions.
///
/// Validity (as Synnax's "Reading Data" describes it): invalid while it is opened but not yet
/// positioned, when it is not pointing at samples (stepped past either end), and once it has
/// accumulated an error; a seek revalidates. Every command returns the validity after it.
///
/// Threads: one thread uses it (it blocks that thread during each command).
class Iterator
{
public:
    /// The automatic span: step by the chunk size.
    static constexpr TimeSpan ChunkSpan = TimeSpan(-1);

    /// Resolves the channels (`sy.query.not_found` when one is missing; nothing is opened)
    /// and opens the iterator. Opening returns no data.
    [[nodiscard]] static Result<std::unique_ptr<Iterator>> open(Connection& connection,
        IteratorConfig config);
    ~Iterator();

    [[nodiscard]] Result<bool> seekFirst();
    [[nodiscard]] Result<bool> seekLast();
    /// The sample at or before `stamp`.
    [[nodiscard]] Result<bool> seekLE(TimeStamp stamp);
    /// The sample strictly before `stamp` (seekLE at stamp − 1 ns).
    [[nodiscard]] Result<bool> seekLT(TimeStamp stamp);
    [[nodiscard]] Result<bool> seekGE(TimeStamp stamp);
    /// Moves the view forward by `span` (or one chunk) and reads the samples in it.
    [[nodiscard]] Result<bool> next(TimeSpan span = ChunkSpan);
    [[nodiscard]] Result<bool> prev(TimeSpan span = ChunkSpan);
    /// Whether the view holds samples (asks the cluster, as Synnax's `valid` does).
    [[nodiscard]] Result<bool> valid();

    /// The samples read by the last next()/prev(), kept client-side; empty after a seek.
    [[nodiscard]] const Frame& value() const { return m_value; }
    [[nodiscard]] const std::vector<Channel>& channels() const { return m_channels; }
    /// The first error the iterator met, if any (it stays invalid until a seek succeeds).
    [[nodiscard]] const std::optional<Error>& error() const { return m_error; }

    /// Closes the stream, waiting for the cluster's end. Safe to call twice.
    [[nodiscard]] Result<void> close();

private:
    Iterator(std::unique_ptr<FramerStream> stream, std::vector<Channel> channels);
    [[nodiscard]] Result<bool> execute(int command, const QJsonObject& arguments = {});

    std::unique_ptr<FramerStream> m_stream;
    std::vector<Channel> m_channels;
    Frame m_value;
    std::optional<Error> m_error;
    bool m_closed = false;
};

/// Every sample of `channels` in `range` (seekFirst, then next by chunks).
[[nodiscard]] Result<Frame> read(
    Connection& connection, TimeRange range, std::vector<ChannelRef> channels);
/// The last `count` samples of each channel (seekLast, then one prev of `count`).
[[nodiscard]] Result<Frame> readLatest(
    Connection& connection, std::vector<ChannelRef> channels, std::int64_t count);

} // namespace sightline::core::client
