#pragma once

#include "core/decimate/m4.h"
#include "core/telem/frame.h"
#include "core/telem/time.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace sightline::core::store {

namespace detail {
    struct Segment;
    class SamplePyramid;
    /// Where a view's output point came from (its stamp is read when the view is done);
    /// no samples for a line break.
    struct PickedSample
    {
        const SamplePyramid* samples = nullptr;
        std::size_t index = 0;
    };
} // namespace detail

/// The pyramid of samples about to be inserted, built by HistoryCache::prepare on another
/// thread so that the insert on the cache's thread takes it rather than builds it.
using PreparedSamples = std::shared_ptr<detail::SamplePyramid>;

/// One cached sample: its timestamp and its value.
struct CachedSample
{
    TimeStamp stamp;
    double value = 0;

    friend bool operator==(const CachedSample&, const CachedSample&) = default;
};

/// Samples already read from a cluster's history, per channel, so that revisiting or zooming
/// answers from memory. Each channel holds a sorted list of covered segments (time ranges in
/// which every sample that exists is held); each segment keeps its stamps and values with a
/// min/max/sum pyramid, so a view costs O(columns × log n) and never a rescan. When the memory
/// held passes the budget, the least recently used segments are dropped whole and their ranges
/// become missing again. Not thread-safe: owned by the GUI thread.
class HistoryCache
{
public:
    static constexpr std::size_t DefaultBudgetBytes = 2ULL << 30;
    /// No segment holds more samples than this (an insert is split), so eviction is gradual.
    static constexpr std::size_t MaxSegmentSamples = 1U << 22;

    /// Statistics of the samples in a range. `min` and `max` skip NaN values (NaN when all
    /// are); `mean` is NaN when any value is.
    struct Stats
    {
        std::size_t count = 0;
        double min = 0;
        double max = 0;
        double mean = 0;
        CachedSample first;
        CachedSample last;
    };

    /// `maxSegmentSamples` (at most MaxSegmentSamples) is smaller only in tests, to reach
    /// segment edges with few samples.
    explicit HistoryCache(std::size_t budgetBytes = DefaultBudgetBytes,
        std::size_t maxSegmentSamples = MaxSegmentSamples);
    ~HistoryCache();
    HistoryCache(HistoryCache&& other) noexcept;
    HistoryCache& operator=(HistoryCache&& other) noexcept;
    HistoryCache(const HistoryCache&) = delete;
    HistoryCache& operator=(const HistoryCache&) = delete;

    /// Stores the samples of `key` read for `covered`: [start, end) in which these are all the
    /// samples that exist (an iterator's view). Stamps strictly increasing and inside
    /// `covered`, one value per stamp; otherwise returns false and stores nothing. Where
    /// `covered` overlaps what is already held, the held samples win (no duplicates). May
    /// evict least recently used segments to stay within the budget.
    /// `prepared` (from prepare() over the same samples) saves building their pyramid here
    /// when all of `covered` is missing, as it is while reading what a view lacks; it is then
    /// moved into the cache, leaving it empty.
    bool insert(ChannelKey key,
        TimeRange covered,
        std::span<const std::int64_t> stamps,
        std::span<const double> values,
        PreparedSamples prepared = {});
    /// Builds the pyramid of samples for insert(); thread-safe (touches no cache). Null when
    /// the samples are not valid input (insert() then says so) or too many for one segment.
    [[nodiscard]] static PreparedSamples prepare(
        TimeRange covered, std::span<const std::int64_t> stamps, std::span<const double> values);
    /// The parts of `range` not covered for `key` (what still has to be read), in time order.
    [[nodiscard]] std::vector<TimeRange> missing(ChannelKey key, TimeRange range) const;
    /// The covered ranges of `key`, adjacent ones joined, in time order.
    [[nodiscard]] std::vector<TimeRange> covered(ChannelKey key) const;
    /// The covered extent of `key`: from the start of its first covered range to the end of
    /// its last (gaps included), if anything is covered.
    [[nodiscard]] std::optional<TimeRange> extent(ChannelKey key) const;

    /// M4 view of [start, end) in `columns` pixel columns, from the pyramid: per column the
    /// first, minimum, maximum and last sample in time order, keys (stamp - origin) / 1e9 s.
    /// A NaN value breaks the line where samples are more than `gapAfter` ns apart or where
    /// time between them is not covered. Same output as decimate::decimateM4 over the cached
    /// samples (with the sample before `start` and the one after `end` when cached). Marks the
    /// segments covering [start, end) as recently used.
    void view(ChannelKey key,
        std::int64_t start,
        std::int64_t end,
        int columns,
        std::int64_t origin,
        std::int64_t gapAfter,
        decimate::PlotPoints& out);
    /// Statistics of the cached samples with stamps in `range` (A/B cursors), O(log n) per
    /// segment; nullopt when there are none.
    [[nodiscard]] std::optional<Stats> stats(ChannelKey key, TimeRange range) const;
    /// The last sample at or before `at` (sample and hold); nullopt when the cache cannot
    /// know it: `at` not covered, or uncovered time between it and the last cached sample.
    [[nodiscard]] std::optional<CachedSample> atOrBefore(ChannelKey key, TimeStamp at) const;

    /// Appends the cached samples of `key` with stamps in `range` to `stamps` and `values`, in
    /// time order (what is covered of it; missing() says what is not).
    void copySamples(ChannelKey key,
        TimeRange range,
        std::vector<std::int64_t>& stamps,
        std::vector<double>& values) const;

    /// Bytes held: samples, pyramids and bookkeeping (capacities, not sizes).
    [[nodiscard]] std::size_t memoryBytes() const;
    [[nodiscard]] std::size_t budgetBytes() const { return m_budgetBytes; }
    /// Changes the budget, evicting at once if needed.
    void setBudgetBytes(std::size_t budgetBytes);
    [[nodiscard]] std::size_t sampleCount(ChannelKey key) const;
    /// The mean step between samples of `key` in its largest cached segment (to tell a gap
    /// in the recording from the sample rate); nullopt with fewer than two samples there.
    [[nodiscard]] std::optional<std::int64_t> typicalStep(ChannelKey key) const;
    /// Segments held for `key` (for diagnostics and tests).
    [[nodiscard]] std::size_t segmentCount(ChannelKey key) const;
    void forget(ChannelKey key);
    void clear();

private:
    using Segments = std::vector<detail::Segment>;

    [[nodiscard]] const Segments* segmentsOf(ChannelKey key) const;
    void addSamples(Segments& segments,
        TimeRange gap,
        std::span<const std::int64_t> stamps,
        std::span<const double> values);
    void mergeNeighbours(Segments& segments);
    void evictOverBudget();

    std::map<ChannelKey, Segments> m_channels;
    std::size_t m_budgetBytes;
    std::size_t m_maxSegmentSamples;
    std::size_t m_segmentBytes = 0; ///< heap bytes of all segments' samples and pyramids
    std::uint64_t m_clock = 0; ///< ticks once per insert and view, for LRU
    std::vector<detail::PickedSample> m_picked; ///< view scratch, kept to avoid allocation
};

} // namespace sightline::core::store
