#include "core/server/framer/frame_iterator.h"

#include "core/server/channel_registry.h"
#include "core/server/storage/sample_store.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    std::size_t lowerBound(std::span<const std::int64_t> stamps, TimeStamp stamp)
    {
        return static_cast<std::size_t>(
            std::lower_bound(stamps.begin(), stamps.end(), stamp.nanoseconds()) - stamps.begin());
    }

} // namespace

Result<std::unique_ptr<FrameIterator>> FrameIterator::open(Framer& framer, IteratorConfig config)
{
    auto channels = framer.channels().retrieveByKeys(config.keys);
    if (!channels)
        return tl::unexpected(channels.error());
    return open(framer.store(), std::move(*channels), std::move(config));
}

Result<std::unique_ptr<FrameIterator>> FrameIterator::open(
    SampleStore& store, std::vector<Channel> channels, IteratorConfig config)
{
    if (!config.bounds.isValid())
        return fail(errors::Validation,
            u"iterator bounds %1 end before they start"_s.arg(config.bounds.toString()));
    if (config.chunkSize <= 0)
        return fail(errors::Validation,
            u"iterator chunk size must be positive (got %1)"_s.arg(config.chunkSize));
    if (config.downsampleFactor <= 0)
        config.downsampleFactor = 1;
    return std::unique_ptr<FrameIterator>(
        new FrameIterator(store, std::move(config), std::move(channels)));
}

FrameIterator::FrameIterator(
    SampleStore& store, IteratorConfig config, std::vector<Channel> channels)
    : m_store(store)
    , m_config(std::move(config))
{
    const TimeStamp end = m_config.bounds.end;
    for (Channel& channel : channels)
        m_cursors.push_back({ std::move(channel), { end, end }, false });
}

bool FrameIterator::valid() const
{
    return std::any_of(m_cursors.begin(), m_cursors.end(), [](const Cursor& c) {
        return c.hasData;
    });
}

template <typename Seek> Result<bool> FrameIterator::seekEach(TimeStamp stamp, Seek seek)
{
    bool found = false;
    SampleStore& store = m_store;
    // A channel without a region to land on still moves to the stamp, so it never steps
    // from where it was before the seek.
    const TimeStamp fallback = std::clamp(stamp, m_config.bounds.start, m_config.bounds.end);
    for (Cursor& cursor : m_cursors) {
        cursor.hasData = false;
        if (cursor.channel.isVirtual)
            continue;
        auto at = seek(store, cursor.channel.key);
        if (!at)
            return tl::unexpected(at.error());
        const TimeStamp landed = at->value_or(fallback);
        cursor.view = { landed, landed };
        found = found || at->has_value();
    }
    return found;
}

Result<bool> FrameIterator::seekFirst() { return seekGE(m_config.bounds.start); }

Result<bool> FrameIterator::seekLast() { return seekLE(m_config.bounds.end); }

Result<bool> FrameIterator::seekGE(TimeStamp stamp)
{
    const TimeRange bounds = m_config.bounds;
    const TimeStamp from = std::max(stamp, bounds.start);
    return seekEach(stamp,
        [&](SampleStore& store, ChannelKey key) -> Result<std::optional<TimeStamp>> {
            if (from >= bounds.end)
                return std::nullopt;
            auto span = store.spanFrom(key, from);
            if (!span)
                return tl::unexpected(span.error());
            if (!*span || (*span)->range.start >= bounds.end)
                return std::nullopt;
            return std::max((*span)->range.start, from);
        });
}

Result<bool> FrameIterator::seekLE(TimeStamp stamp)
{
    const TimeRange bounds = m_config.bounds;
    return seekEach(stamp,
        [&](SampleStore& store, ChannelKey key) -> Result<std::optional<TimeStamp>> {
            if (stamp < bounds.start)
                return std::nullopt;
            if (stamp < bounds.end) {
                auto holding = store.spanFrom(key, stamp);
                if (!holding)
                    return tl::unexpected(holding.error());
                if (*holding && (*holding)->range.start <= stamp)
                    return stamp;
            }
            // The end of the last region before the stamp (or before the bounds' end).
            auto before = store.spanBefore(key, std::min(stamp, bounds.end));
            if (!before)
                return tl::unexpected(before.error());
            if (!*before || (*before)->range.end <= bounds.start)
                return std::nullopt;
            return std::min((*before)->range.end, bounds.end);
        });
}

Result<IteratorStep> FrameIterator::next(TimeSpan span) { return step(true, span); }

Result<IteratorStep> FrameIterator::prev(TimeSpan span) { return step(false, span); }

Result<IteratorStep> FrameIterator::step(bool forward, TimeSpan span)
{
    const TimeRange bounds = m_config.bounds;
    const bool automatic = span.nanoseconds() <= 0;
    IteratorStep result;
    for (Cursor& cursor : m_cursors) {
        cursor.hasData = false;
        if (cursor.channel.isVirtual)
            continue;
        TimeRange want;
        if (forward) {
            if (cursor.view.end >= bounds.end) {
                cursor.view = { bounds.end, bounds.end };
                continue;
            }
            want = { cursor.view.end,
                automatic ? bounds.end : std::min(cursor.view.end + span, bounds.end) };
        } else {
            if (cursor.view.start <= bounds.start) {
                cursor.view = { bounds.start, bounds.start };
                continue;
            }
            want = { automatic ? bounds.start : std::max(cursor.view.start - span, bounds.start),
                cursor.view.start };
        }
        auto read = this->read(cursor,
            want,
            automatic ? static_cast<std::uint64_t>(m_config.chunkSize) : 0,
            forward);
        if (!read)
            return tl::unexpected(read.error());
        TimeRange view = want;
        if (automatic && read->count > 0) {
            if (forward)
                view.end = std::min(read->last + TimeSpan(1), bounds.end);
            else
                view.start = read->first;
        } else if (automatic) {
            view = forward ? TimeRange { bounds.end, bounds.end }
                           : TimeRange { bounds.start, bounds.start };
        }
        cursor.view = view;
        if (read->count == 0)
            continue;
        cursor.hasData = true;
        result.ok = true;
        Frame frame;
        for (Series& series : read->series) {
            if (const auto clipped = series.timeRange().intersection(view))
                series.setTimeRange(*clipped);
            frame.add(cursor.channel.key,
                series.downsampled(static_cast<std::size_t>(m_config.downsampleFactor)));
        }
        result.frames.push_back(std::move(frame));
    }
    return result;
}

Result<FrameIterator::ChannelRead> FrameIterator::read(
    const Cursor& cursor, TimeRange range, std::uint64_t limit, bool forward)
{
    SampleStore& store = m_store;
    const ChannelKey key = cursor.channel.key;
    const ChannelKey indexKey = cursor.channel.isIndex ? key : cursor.channel.index;
    ChannelRead out;
    TimeStamp position = forward ? range.start : range.end;
    while (limit == 0 || out.count < limit) {
        auto chunk = forward ? store.chunkFrom(key, position) : store.chunkBefore(key, position);
        if (!chunk)
            return tl::unexpected(chunk.error());
        if (!*chunk)
            break;
        const StoredChunk& stored = **chunk;
        if (forward ? stored.range.start >= range.end : stored.range.end <= range.start)
            break;
        position = forward ? stored.range.end : stored.range.start;
        auto stamps = store.timestampsOf(stored, indexKey);
        if (!stamps)
            return tl::unexpected(stamps.error());
        const auto values = stamps->values<std::int64_t>();
        std::size_t first = lowerBound(values, range.start);
        std::size_t last = lowerBound(values, range.end);
        if (first >= last)
            continue;
        if (limit != 0 && last - first > limit - out.count) {
            if (forward)
                last = first + (limit - out.count);
            else
                first = last - (limit - out.count);
        }
        Series part = stored.series.slice(first, last);
        const TimeStamp firstStamp(values[first]);
        const TimeStamp lastStamp(values[last - 1]);
        if (out.count == 0) {
            out.first = firstStamp;
            out.last = lastStamp;
        }
        out.first = std::min(out.first, firstStamp);
        out.last = std::max(out.last, lastStamp);
        out.count += last - first;
        if (forward)
            out.series.push_back(std::move(part));
        else
            out.series.insert(out.series.begin(), std::move(part));
    }
    return out;
}

} // namespace sightline::core::server
