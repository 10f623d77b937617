#pragma once

#include "core/telem/color.h"
#include "core/telem/time.h"

#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>
#include <vector>

namespace sightline::core {

/// A named, coloured time range marking a test run (Synnax's range), with the range it is a
/// child of, if any.
struct Range
{
    QUuid key;
    QString name;
    TimeRange timeRange;
    std::optional<Color> color;
    std::optional<QUuid> parent;

    friend bool operator==(const Range&, const Range&) = default;
};

/// Which ranges to retrieve: every filter given must hold (an empty one is no filter).
struct RangeQuery
{
    std::vector<QUuid> keys;
    QStringList names; ///< exact names
    QString searchTerm; ///< a case-insensitive part of the name
    std::optional<TimeRange> overlapsWith; ///< [start, end) overlaps it
    /// Ranges with any of these labels (the cluster's label store answers it).
    std::vector<QUuid> hasLabels;
    int limit = 0; ///< ≤ 0: no limit
    int offset = 0;
};

/// One key-value pair of a range's metadata (part number, procedure …).
struct RangePair
{
    QString key;
    QString value;

    friend bool operator==(const RangePair&, const RangePair&) = default;
};

} // namespace sightline::core
