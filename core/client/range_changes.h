#pragma once

#include "core/telem/frame.h"
#include "core/telem/label.h"
#include "core/telem/range.h"

#include <QStringList>
#include <QUuid>

#include <map>
#include <vector>

namespace sightline::core::client {

/// What one frame of a cluster's change signals says about its ranges (docs/SYNNAX_RANGES.md
/// §7): the app follows these to keep its range list live, against the embedded cluster or
/// a real Synnax cluster alike.
struct RangeChanges
{
    /// Created, replaced or renamed (labels and parent not included: see the relations).
    std::vector<Range> setRanges;
    std::vector<QUuid> deletedRanges;
    std::vector<std::pair<QUuid, RangePair>> setPairs;
    std::vector<std::pair<QUuid, QString>> deletedPairs; ///< range, key
    std::vector<Label> setLabels;
    std::vector<QUuid> deletedLabels;
    /// Ranges whose labels changed (a `labeled_by` relation added or removed).
    std::vector<QUuid> relabelledRanges;
    /// Ranges whose parent changed (a `parent` relation between ranges added or removed).
    std::vector<QUuid> reparentedRanges;
    /// Samples that did not decode, one line each (skipped, not fatal).
    QStringList problems;

    [[nodiscard]] bool empty() const;
};

/// The signal channels to stream for RangeChanges, by name.
[[nodiscard]] QStringList rangeChangeChannels();

/// Decodes a frame of those channels; `names` gives each channel key's name. Channels of the
/// frame it does not know are ignored.
[[nodiscard]] RangeChanges decodeRangeChanges(const Frame& frame,
    const std::map<ChannelKey, QString>& names);

} // namespace sightline::core::client
