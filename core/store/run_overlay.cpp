#include "core/store/run_overlay.h"

#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/store/history_cache.h"

#include <algorithm>
#include <map>
#include <span>

using namespace Qt::StringLiterals;

namespace sightline::core::store {

RunPlan planRuns(const HistoryCache& cache,
    const std::vector<Range>& ranges,
    const std::vector<Channel>& channels)
{
    RunPlan plan;
    for (const Range& range : ranges)
        for (const Channel& channel : channels) {
            RunSamples run { range, channel, {}, {} };
            std::vector<std::int64_t> stamps;
            cache.copySamples(channel.key, range.timeRange, stamps, run.values);
            run.stamps.reserve(stamps.size());
            for (const std::int64_t ns : stamps)
                run.stamps.push_back(TimeStamp(ns));
            for (const TimeRange& span : cache.missing(channel.key, range.timeRange))
                plan.gaps.push_back({ plan.runs.size(), span });
            plan.runs.push_back(std::move(run));
        }
    return plan;
}

Result<std::vector<GapSamples>> readGaps(client::Connection& connection, const RunPlan& plan)
{
    // Gaps of the same range over the same span are read together.
    std::map<std::pair<QUuid, std::pair<std::int64_t, std::int64_t>>, std::vector<RunGap>> reads;
    for (const RunGap& gap : plan.gaps)
        reads[{ plan.runs[gap.run].range.key,
                  { gap.span.start.nanoseconds(), gap.span.end.nanoseconds() } }]
            .push_back(gap);
    std::vector<GapSamples> read;
    for (const auto& [where, gaps] : reads) {
        std::vector<client::ChannelRef> wanted;
        for (const RunGap& gap : gaps) {
            const Channel& channel = plan.runs[gap.run].channel;
            wanted.emplace_back(channel.key);
            if (!channel.isIndex && channel.index != 0)
                wanted.emplace_back(channel.index);
        }
        auto frame = client::read(connection, gaps.front().span, wanted);
        if (!frame)
            return tl::unexpected(frame.error());
        for (const RunGap& gap : gaps) {
            const Channel& channel = plan.runs[gap.run].channel;
            GapSamples samples { gap, {}, {} };
            for (const Series* data : frame->seriesOf(channel.key)) {
                const Series* stamps
                    = channel.isIndex ? data : frame->timestampsFor(channel.index, *data);
                if (stamps == nullptr || stamps->size() != data->size())
                    continue; // samples without their timestamps cannot be placed
                const auto ns = stamps->values<std::int64_t>();
                const std::vector<double> values = data->toDoubles();
                samples.stamps.insert(samples.stamps.end(), ns.begin(), ns.end());
                samples.values.insert(samples.values.end(), values.begin(), values.end());
            }
            read.push_back(std::move(samples));
        }
    }
    return read;
}

void fillGaps(RunPlan& plan, std::vector<GapSamples> read, HistoryCache* cache, TimeStamp readAt)
{
    for (GapSamples& gap : read) {
        RunSamples& run = plan.runs[gap.gap.run];
        if (cache != nullptr) {
            TimeRange covered = gap.gap.span;
            if (covered.end > readAt) // the cluster may still receive samples there
                covered.end = gap.stamps.empty()
                    ? std::min(covered.end, std::max(covered.start, readAt))
                    : TimeStamp(gap.stamps.back() + 1);
            const auto inside = std::size_t(
                std::lower_bound(gap.stamps.begin(), gap.stamps.end(), covered.end.nanoseconds())
                - gap.stamps.begin());
            if (!covered.isEmpty())
                (void)cache->insert(run.channel.key,
                    covered,
                    std::span(gap.stamps).first(inside),
                    std::span(gap.values).first(inside));
        }
        // Merged in time order: the gap lies between (or around) what the cache held.
        const auto at = std::size_t(
            std::lower_bound(run.stamps.begin(), run.stamps.end(), TimeStamp(gap.gap.span.start))
            - run.stamps.begin());
        run.stamps.insert(run.stamps.begin() + std::ptrdiff_t(at), gap.stamps.size(), TimeStamp());
        std::transform(gap.stamps.begin(),
            gap.stamps.end(),
            run.stamps.begin() + std::ptrdiff_t(at),
            [](std::int64_t ns) { return TimeStamp(ns); });
        run.values.insert(run.values.begin() + std::ptrdiff_t(at),
            gap.values.begin(),
            gap.values.end());
    }
}

Result<std::vector<RunSamples>> readRuns(client::Connection& connection,
    const std::vector<Range>& ranges,
    const std::vector<Channel>& channels)
{
    RunPlan plan = planRuns(HistoryCache(), ranges, channels);
    auto read = readGaps(connection, plan);
    if (!read)
        return tl::unexpected(read.error());
    fillGaps(plan, std::move(*read), nullptr, TimeStamp());
    return std::move(plan.runs);
}

std::optional<TimeStamp> firstCrossing(const RunSamples& samples, double threshold, bool rising)
{
    for (std::size_t i = 0; i < samples.values.size(); ++i) {
        const double value = samples.values[i];
        if (rising ? value >= threshold : value <= threshold)
            return samples.stamps[i];
    }
    return std::nullopt;
}

std::vector<OverlayTrace> overlayRuns(
    const std::vector<RunSamples>& runs, const RunAlignment& alignment, QStringList* problems)
{
    // Each range's time zero, found once (the event channel may not be plotted itself).
    std::map<QUuid, std::optional<TimeStamp>> origins;
    for (const RunSamples& run : runs) {
        if (origins.contains(run.range.key))
            continue;
        if (!alignment.eventChannel) {
            origins[run.range.key] = run.range.timeRange.start;
            continue;
        }
        std::optional<TimeStamp> origin;
        for (const RunSamples& event : runs)
            if (event.range.key == run.range.key && event.channel.key == *alignment.eventChannel)
                origin = firstCrossing(event, alignment.threshold, alignment.rising);
        origins[run.range.key] = origin;
        if (!origin && problems != nullptr)
            problems->append(u"%1: the event never happens in it (left out)"_s.arg(run.range.name));
    }
    std::vector<OverlayTrace> traces;
    for (const RunSamples& run : runs) {
        const auto origin = origins.at(run.range.key);
        if (!origin)
            continue;
        OverlayTrace trace { run.range,
            run.channel,
            u"%1 · %2"_s.arg(run.range.name, run.channel.name),
            *origin,
            {},
            run.values };
        trace.seconds.reserve(run.stamps.size());
        for (const TimeStamp stamp : run.stamps)
            trace.seconds.push_back((stamp - *origin).toSeconds());
        traces.push_back(std::move(trace));
    }
    return traces;
}

} // namespace sightline::core::store
