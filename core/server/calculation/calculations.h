#pragma once

#include "core/server/calculation/expression.h"
#include "core/telem/channel.h"
#include "core/telem/frame.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace sightline::core::server {

class ChannelRegistry;

/// The cluster's calculated channels at work: each written frame is offered to every
/// channel whose expression reads its channels; once a channel has the samples of all its
/// inputs at one alignment (the same samples of their shared index, whether they came in one
/// frame or several), it evaluates them and gives a series of the calculated channel with
/// that alignment and time range, to stream like any channel (never stored, as in Synnax).
/// Cluster thread only.
class Calculations
{
public:
    /// Recompiles the calculated channels when the registry changed since the last call.
    void refresh(const ChannelRegistry& channels);
    /// The calculated series `written` completes; empty when it completes none.
    [[nodiscard]] Frame derive(const Frame& written);
    [[nodiscard]] bool empty() const { return m_calculated.empty(); }

private:
    /// The input series seen at one alignment, waiting for the others.
    struct Pending
    {
        std::vector<std::optional<Series>> inputs;
    };
    struct Calculated
    {
        Channel channel;
        Expression expression;
        std::vector<ChannelKey> inputs; ///< in the expression's order
        std::map<std::uint64_t, Pending> pending; ///< by alignment
    };
    /// Oldest alignments dropped beyond this many waiting per channel (inputs that never
    /// all arrive must not pile up).
    static constexpr std::size_t MaxPending = 64;

    void offer(Calculated& calculated, const Frame& written, Frame& out);

    std::optional<std::uint64_t> m_generation;
    std::vector<Calculated> m_calculated;
};

} // namespace sightline::core::server
