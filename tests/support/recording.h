#pragma once

// Recordings with known samples for history tests: one sample a second, valued as its time
// in seconds (times a sign), written to the cluster and committed.

#include "core/client/connection.h"
#include "core/client/writer.h"

#include <QString>

#include <cmath>
#include <utility>
#include <vector>

namespace sightline::test {

/// The instant `seconds` after the Unix epoch.
inline core::TimeStamp at(double seconds)
{
    return core::TimeStamp(static_cast<std::int64_t>(std::llround(seconds * 1e9)));
}

/// A new index `<name>_time` and float64 channel `<name>_value` on it.
inline std::pair<core::Channel, core::Channel> createRecording(core::client::Connection& connection,
    const QString& name)
{
    core::Channel index;
    index.name = name + QStringLiteral("_time");
    index.dataType = core::DataType::Timestamp;
    index.isIndex = true;
    index = connection.createChannels({ index }).value().front();
    core::Channel data;
    data.name = name + QStringLiteral("_value");
    data.dataType = core::DataType::Float64;
    data.index = index.key;
    data = connection.createChannels({ data }).value().front();
    return { index, data };
}

/// Writes one sample a second, `first` … `last` s, valued `sign` × the second, and commits.
inline bool record(core::client::Connection& connection,
    const std::pair<core::Channel, core::Channel>& recording,
    int first,
    int last,
    double sign = 1)
{
    const auto& [index, data] = recording;
    auto writer = core::client::Writer::open(connection,
        { .start = at(first),
            .channels = { index.key, data.key },
            .mode = core::client::WriterMode::Persist });
    if (!writer)
        return false;
    std::vector<core::TimeStamp> stamps;
    std::vector<double> values;
    for (int s = first; s <= last; ++s) {
        stamps.push_back(at(s));
        values.push_back(sign * s);
    }
    core::Frame frame;
    frame.add(index.key, core::Series::fromTimeStamps(stamps));
    frame.add(data.key, core::Series::fromValues<double>(values));
    return (*writer)->write(frame) && (*writer)->commit() && (*writer)->close();
}

} // namespace sightline::test
