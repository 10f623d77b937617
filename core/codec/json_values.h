#pragma once

#include "core/error.h"
#include "core/telem/time.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

#include <cstdint>
#include <type_traits>
#include <vector>

namespace sightline::core::codec {

/// Reading and writing the scalar conventions of Synnax's JSON (protocol §1.3): 64-bit values
/// as decimal strings (JSON numbers accepted too), snake_case keys.

/// Encodes a signed 64-bit value as its decimal string.
[[nodiscard]] QJsonValue int64ToJson(std::int64_t value);
/// Encodes an unsigned 64-bit value as its decimal string.
[[nodiscard]] QJsonValue uint64ToJson(std::uint64_t value);

/// A decimal string or an integral JSON number in range; `what` names the field in errors.
[[nodiscard]] Result<std::int64_t> int64FromJson(const QJsonValue& value, QStringView what);
[[nodiscard]] Result<std::uint64_t> uint64FromJson(const QJsonValue& value, QStringView what);
/// A non-negative integer ≤ 2^32 - 1, as a number or a numeric string.
[[nodiscard]] Result<std::uint32_t> uint32FromJson(const QJsonValue& value, QStringView what);

[[nodiscard]] Result<TimeStamp> timeStampFromJson(const QJsonValue& value, QStringView what);
[[nodiscard]] Result<TimeSpan> timeSpanFromJson(const QJsonValue& value, QStringView what);
[[nodiscard]] QJsonValue toJson(TimeStamp stamp);
[[nodiscard]] QJsonValue toJson(TimeSpan span);

/// `{"start": "…", "end": "…"}`.
[[nodiscard]] QJsonObject toJson(const TimeRange& range);
[[nodiscard]] Result<TimeRange> timeRangeFromJson(const QJsonValue& value, QStringView what);

/// Field accessors that fail with a sy.validation error naming the field.
[[nodiscard]] Result<QString> requireString(const QJsonObject& object, QStringView key);
[[nodiscard]] Result<bool> optionalBool(const QJsonObject& object, QStringView key, bool fallback);
[[nodiscard]] Result<QString> optionalString(const QJsonObject& object, QStringView key);

/// Reads an optional JSON array (null or absent reads as empty) with `readItem`, which maps
/// one element to a Result; the first failing element's error is returned. `what` names the
/// field when the value is not an array.
template <typename ReadItem>
[[nodiscard]] auto arrayFromJson(const QJsonValue& value, QStringView what, ReadItem readItem)
    -> Result<std::vector<typename std::invoke_result_t<ReadItem, const QJsonValue&>::value_type>>
{
    std::vector<typename std::invoke_result_t<ReadItem, const QJsonValue&>::value_type> items;
    if (value.isUndefined() || value.isNull())
        return items;
    if (!value.isArray())
        return fail(errors::Validation, what.toString() + QStringLiteral(" must be an array"));
    for (const QJsonValue& element : value.toArray()) {
        auto item = readItem(element);
        if (!item)
            return tl::unexpected(item.error());
        items.push_back(std::move(*item));
    }
    return items;
}

} // namespace sightline::core::codec
