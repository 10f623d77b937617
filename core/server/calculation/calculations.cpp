#include "core/server/calculation/calculations.h"

#include "core/server/channel_registry.h"

#include <algorithm>
#include <cmath>

namespace sightline::core::server {

namespace {

    template <typename T> Series castSeries(const std::vector<double>& values, DataType type)
    {
        std::vector<T> cast(values.size());
        std::transform(values.begin(), values.end(), cast.begin(), [](double value) {
            if constexpr (std::is_integral_v<T>)
                return std::isfinite(value) ? static_cast<T>(std::llround(value)) : T {};
            else
                return static_cast<T>(value);
        });
        return Series::fromValues<T>(std::span<const T>(cast), type);
    }

    /// `values` as samples of the numeric `type` (integers rounded; NaN and ±inf become 0).
    Series seriesOf(const std::vector<double>& values, DataType type)
    {
        switch (type.id()) {
        case DataType::Float32:
            return castSeries<float>(values, type);
        case DataType::Int64:
        case DataType::Timestamp:
            return castSeries<std::int64_t>(values, type);
        case DataType::Int32:
            return castSeries<std::int32_t>(values, type);
        case DataType::Int16:
            return castSeries<std::int16_t>(values, type);
        case DataType::Int8:
            return castSeries<std::int8_t>(values, type);
        case DataType::Uint64:
            return castSeries<std::uint64_t>(values, type);
        case DataType::Uint32:
            return castSeries<std::uint32_t>(values, type);
        case DataType::Uint16:
            return castSeries<std::uint16_t>(values, type);
        case DataType::Uint8:
            return castSeries<std::uint8_t>(values, type);
        default:
            return castSeries<double>(values, DataType::Float64);
        }
    }

} // namespace

void Calculations::refresh(const ChannelRegistry& channels)
{
    const std::uint64_t generation = channels.generation();
    if (m_generation == generation)
        return;
    m_generation = generation;
    std::vector<Calculated> calculated;
    for (const Channel& channel : channels.all()) {
        if (!channel.isCalculated())
            continue;
        auto expression = Expression::parse(channel.expression);
        if (!expression) // checked at create; a stored one that no longer parses is skipped
            continue;
        const std::vector<Channel> inputs = channels.retrieveByNames(expression->inputs());
        if (inputs.size() != std::size_t(expression->inputs().size()))
            continue; // an input was deleted or renamed: nothing to calculate from
        Calculated entry { channel, std::move(*expression), {}, {} };
        for (const Channel& input : inputs)
            entry.inputs.push_back(input.key);
        // Keep what was waiting for a channel that is still the same.
        const auto before
            = std::find_if(m_calculated.begin(), m_calculated.end(), [&](const Calculated& old) {
                  return old.channel.key == channel.key && old.inputs == entry.inputs;
              });
        if (before != m_calculated.end())
            entry.pending = std::move(before->pending);
        calculated.push_back(std::move(entry));
    }
    m_calculated = std::move(calculated);
}

Frame Calculations::derive(const Frame& written)
{
    Frame out;
    for (Calculated& calculated : m_calculated)
        offer(calculated, written, out);
    return out;
}

void Calculations::offer(Calculated& calculated, const Frame& written, Frame& out)
{
    if (calculated.inputs.empty())
        return; // a constant: it has no samples to follow
    std::vector<std::uint64_t> touched;
    for (std::size_t i = 0; i < calculated.inputs.size(); ++i)
        for (const Series* series : written.seriesOf(calculated.inputs[i])) {
            if (series->empty())
                continue;
            Pending& pending = calculated.pending[series->alignment()];
            pending.inputs.resize(calculated.inputs.size());
            pending.inputs[i] = *series;
            touched.push_back(series->alignment());
        }
    for (const std::uint64_t alignment : touched) {
        const auto found = calculated.pending.find(alignment);
        if (found == calculated.pending.end())
            continue;
        const auto& inputs = found->second.inputs;
        const bool complete = std::all_of(inputs.begin(), inputs.end(), [](const auto& input) {
            return input.has_value();
        });
        if (!complete)
            continue;
        std::size_t count = inputs.front()->size();
        std::vector<std::vector<double>> columns;
        for (const auto& input : inputs) {
            count = std::min(count, input->size());
            columns.push_back(input->toDoubles());
        }
        Series result
            = seriesOf(calculated.expression.evaluate(columns, count), calculated.channel.dataType);
        result.setAlignment(alignment);
        result.setTimeRange(inputs.front()->timeRange());
        out.add(calculated.channel.key, std::move(result));
        calculated.pending.erase(found);
    }
    while (calculated.pending.size() > MaxPending)
        calculated.pending.erase(calculated.pending.begin());
}

} // namespace sightline::core::server
