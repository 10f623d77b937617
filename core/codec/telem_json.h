#pragma once

#include "core/error.h"
#include "core/telem/channel.h"
#include "core/telem/frame.h"
#include "core/telem/series.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace sightline::core::codec {

/// JSON forms of Series, Frame and Channel records as Synnax puts them on the wire
/// (protocol §3, §4.2, §4.3): snake_case keys, 64-bit values as decimal strings,
/// sample bytes as base64.

/// `{"time_range":{…},"data_type":"float64","data":"<base64>","alignment":"<u64>"}`.
[[nodiscard]] QJsonObject toJson(const Series& series);
/// Accepts base64 data, null or absent data (an empty series) and string or numeric alignment.
[[nodiscard]] Result<Series> seriesFromJson(const QJsonValue& value);

/// `{"keys":[…],"series":[…]}` with numeric keys.
[[nodiscard]] QJsonObject toJson(const Frame& frame);
/// `keys`/`series` may be null or absent (empty); their lengths must match.
[[nodiscard]] Result<Frame> frameFromJson(const QJsonValue& value);

/// Every field of the record; `status` only when set.
[[nodiscard]] QJsonObject toJson(const Channel& channel);
/// Reads a channel record; `key`, `name` and `data_type` are required, the rest default.
[[nodiscard]] Result<Channel> channelFromJson(const QJsonValue& value);
/// `[channel, …]`; null reads as empty.
[[nodiscard]] QJsonArray toJson(const std::vector<Channel>& channels);
/// The same object as toJson(channel), as compact JSON text, written directly (a
/// QJsonObject built key by key costs ~10 µs per channel; this ~1 µs).
[[nodiscard]] QByteArray toJsonText(const Channel& channel);
[[nodiscard]] Result<std::vector<Channel>> channelsFromJson(const QJsonValue& value);
/// `[key, …]` as numbers or numeric strings; null reads as empty.
[[nodiscard]] Result<std::vector<ChannelKey>> keysFromJson(const QJsonValue& value);

} // namespace sightline::core::codec
