#include "core/store/run_overlay.h"

#include "core/client/connection.h"
#include "core/client/iterator.h"

#include <map>

using namespace Qt::StringLiterals;

namespace sightline::core::store {

Result<std::vector<RunSamples>> readRuns(client::Connection& connection,
    const std::vector<Range>& ranges,
    const std::vector<Channel>& channels)
{
    std::vector<client::ChannelRef> wanted;
    for (const Channel& channel : channels) {
        wanted.emplace_back(channel.key);
        if (!channel.isIndex && channel.index != 0)
            wanted.emplace_back(channel.index);
    }
    std::vector<RunSamples> runs;
    for (const Range& range : ranges) {
        auto frame = client::read(connection, range.timeRange, wanted);
        if (!frame)
            return tl::unexpected(frame.error());
        for (const Channel& channel : channels) {
            RunSamples run { range, channel, {}, {} };
            for (const Series* data : frame->seriesOf(channel.key)) {
                const Series* stamps
                    = channel.isIndex ? data : frame->timestampsFor(channel.index, *data);
                if (stamps == nullptr || stamps->size() != data->size())
                    continue; // samples without their timestamps cannot be placed
                const auto ns = stamps->values<std::int64_t>();
                const std::vector<double> values = data->toDoubles();
                for (std::size_t i = 0; i < ns.size(); ++i) {
                    run.stamps.push_back(TimeStamp(ns[i]));
                    run.values.push_back(values[i]);
                }
            }
            runs.push_back(std::move(run));
        }
    }
    return runs;
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
