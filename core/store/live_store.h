#pragma once

#include "core/decimate/m4.h"
#include "core/store/live_columns.h"
#include "core/store/rings.h"
#include "core/telem/channel.h"
#include "core/telem/frame.h"

#include <map>
#include <memory>
#include <optional>
#include <span>

namespace sightline::core::store {

/// One sample as shown: its timestamp and its value.
struct Sample
{
    TimeStamp stamp;
    double value = 0;
};

/// Live samples that arrived out of time order (a clock set back, the data after a stray
/// future stamp), counted so that the UI can say so. Each time an index's samples went back
/// in time, what arrived replaced the held samples from its first stamp on.
struct TimeOrderAnomalies
{
    /// How often an index's samples went back in time.
    std::uint64_t timeResets = 0;
    /// Timestamps held that those resets discarded because they lay at or after what
    /// arrived (a stray future sample, or the stretch a clock repeats).
    std::uint64_t discardedSamples = 0;
    /// The latest reset: the newest stamp held before it and the first stamp that arrived
    /// (both zero before any reset).
    TimeStamp lastResetFrom;
    TimeStamp lastResetTo;

    [[nodiscard]] bool any() const { return timeResets > 0; }
};

/// The live buffers of the plotted channels. Timestamps are kept once per index channel and
/// shared by its data channels; values are kept in their native type (a float32 sample
/// costs 4 bytes plus its share of the timestamp). A data series is joined with the index
/// series of the same frame that has its alignment (as Synnax pairs them). Rings are sized
/// once per index group from a memory budget. Virtual and non-numeric channels are not kept.
/// GUI thread only.
class LiveStore
{
public:
    /// `budgetBytes` is shared by the index groups; no group holds more than `maxSamples`.
    explicit LiveStore(std::size_t budgetBytes = 512u * 1024 * 1024,
        std::size_t maxSamples = 2u * 1024 * 1024);
    ~LiveStore();
    LiveStore(LiveStore&&) noexcept;
    LiveStore& operator=(LiveStore&&) noexcept;

    /// Registers channels: data channels get a value ring, index channels a timestamp ring.
    void track(const std::vector<Channel>& channels);
    /// Stops keeping `key` (an index ring goes when its last data channel goes).
    void forget(ChannelKey key);
    /// Adds a streamed frame; returns the number of data samples stored. Samples that repeat
    /// held ones with the same values are skipped (a resend); other samples not after an
    /// index's newest send it back in time (see IndexRing::append, TimeOrderAnomalies).
    std::size_t ingest(const Frame& frame);
    /// Marks a break in every group (after a reconnect): no line is drawn across it.
    void markGapEverywhere();
    /// The longest span a live view shows (the widest plot window). A group whose rings fill
    /// before holding that much grows them, within its share of the budget, instead of
    /// silently showing less; windowShortfall() says when even that is not enough.
    void setWantedSpan(TimeSpan span) { m_wantedSpan = span; }
    [[nodiscard]] TimeSpan wantedSpan() const { return m_wantedSpan; }
    /// When `key`'s ring is full and holds less than `window` (older samples of the window
    /// were let go for memory), the span it does hold; else nullopt.
    [[nodiscard]] std::optional<TimeSpan> windowShortfall(ChannelKey key, TimeSpan window) const;
    /// Puts history in front of what `key` holds (timestamps and values of equal length,
    /// oldest first); returns how many values were taken.
    std::size_t backfill(ChannelKey key, const Series& stamps, const Series& values);

    [[nodiscard]] bool holds(ChannelKey key) const;
    [[nodiscard]] std::size_t sampleCount(ChannelKey key) const;
    [[nodiscard]] std::optional<Sample> oldest(ChannelKey key) const;
    [[nodiscard]] std::optional<Sample> latest(ChannelKey key) const;
    /// The last sample at or before `at` (sample and hold).
    [[nodiscard]] std::optional<Sample> atOrBefore(ChannelKey key, TimeStamp at) const;
    /// The nominal sample period of the newest samples (ns), for gap detection.
    [[nodiscard]] std::int64_t nominalPeriod(ChannelKey key) const;
    /// M4 decimation of `key` over [start, end) into `columns` pixel columns (see
    /// decimate::decimateM4), reading the native values directly.
    void decimate(ChannelKey key,
        std::int64_t start,
        std::int64_t end,
        int columns,
        std::int64_t origin,
        std::int64_t gapAfter,
        decimate::PlotPoints& out) const;

    /// The same kept up to date from frame to frame in `columns` (one per plotted trace, see
    /// LiveColumns): a frame costs the columns shown plus the samples that arrived. Writes
    /// `out` and returns true only when the points changed (`out` is then what decimate()
    /// gives for a view on the columns' grid). Given the same `out` every frame, only the
    /// points that changed are written; `changedFrom` then gets the smallest key from which
    /// `out` differs (see LiveColumns::writePoints), or nullopt when only points in front of
    /// the view went.
    bool decimateLive(ChannelKey key,
        std::int64_t start,
        std::int64_t end,
        int columnCount,
        std::int64_t origin,
        std::int64_t gapAfter,
        LiveColumns& columns,
        decimate::PlotPoints& out,
        std::optional<double>* changedFrom = nullptr) const;

    [[nodiscard]] const Channel* channel(ChannelKey key) const;
    [[nodiscard]] std::size_t memoryBytes() const;
    [[nodiscard]] std::size_t budgetBytes() const { return m_budgetBytes; }
    /// Samples held across all data channels.
    [[nodiscard]] std::size_t totalSamples() const;
    /// The newest timestamp held (0 when empty).
    [[nodiscard]] std::int64_t newestStamp() const;
    /// Samples out of time order since the store was made (forgetting channels keeps them).
    [[nodiscard]] const TimeOrderAnomalies& anomalies() const { return m_anomalies; }

private:
    struct Group;
    [[nodiscard]] const Group* groupOf(ChannelKey key) const;
    [[nodiscard]] const ValueRing* ringOf(ChannelKey key) const;

    /// Grows `group` toward holding the wanted span, when `arriving` stamps (live, or history
    /// put in front) would not fit and it does not hold that span yet.
    void growToWantedSpan(Group& group, std::span<const std::int64_t> arriving) const;

    std::size_t m_budgetBytes;
    std::size_t m_maxSamples;
    TimeSpan m_wantedSpan {};
    std::map<ChannelKey, Channel> m_channels;
    std::map<ChannelKey, std::unique_ptr<Group>> m_groups; ///< by index key
    TimeOrderAnomalies m_anomalies;
};

} // namespace sightline::core::store
