#pragma once

#include "core/error.h"
#include "core/telem/label.h"
#include "core/telem/range.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

#include <optional>
#include <vector>

namespace sightline::core::codec {

/// Synnax's JSON for ranges and labels (docs/SYNNAX_RANGES.md), read and written alike by the
/// embedded cluster and the client.

/// A UUID string; a `sy.validation` error naming `what` otherwise.
[[nodiscard]] Result<QUuid> uuidFromJson(const QJsonValue& value, QStringView what);
/// "#rrggbb[aa]", [r, g, b(, a)] or {r, g, b, a} (r, g, b 0–255, a 0–1).
[[nodiscard]] Result<Color> colorFromJson(const QJsonValue& value);
/// {r, g, b, a}, as Synnax sends colours.
[[nodiscard]] QJsonObject toJson(const Color& color);
/// A range as either side sends it (a missing key stays null; a nested `parent` range gives
/// its key).
[[nodiscard]] Result<Range> rangeFromJson(const QJsonValue& value);
/// A range as Synnax sends it (colour {0,0,0,0} when unset, `labels` as given, else null);
/// `parent`, when given, nested as a plain range. For requests, `forRequest` leaves out what the
/// server makes (a null key, an unset colour, the labels).
[[nodiscard]] QJsonObject toJson(const Range& range,
    const std::optional<Range>& parent = std::nullopt,
    bool forRequest = false,
    const std::optional<std::vector<Label>>& labels = std::nullopt);
[[nodiscard]] Result<std::vector<Range>> rangesFromJson(const QJsonValue& value);
/// The `range/retrieve` request for `query` and back.
[[nodiscard]] QJsonObject toJson(const RangeQuery& query);
[[nodiscard]] Result<RangeQuery> rangeQueryFromJson(const QJsonObject& request);
/// `{range, key, value}`.
[[nodiscard]] QJsonObject toJson(const QUuid& range, const RangePair& pair);
[[nodiscard]] Result<RangePair> rangePairFromJson(const QJsonValue& value);
/// `{key, name, color}`; for requests, a null key is left out.
[[nodiscard]] QJsonObject toJson(const Label& label, bool forRequest = false);
[[nodiscard]] Result<Label> labelFromJson(const QJsonValue& value);
/// An ontology ID, `{type, key}`.
[[nodiscard]] QJsonObject toJson(const ResourceId& id);
[[nodiscard]] Result<ResourceId> resourceIdFromJson(const QJsonValue& value, QStringView what);
/// `{key, name}`.
[[nodiscard]] QJsonObject toJson(const Group& group);
/// An ontology resource as `ontology/retrieve` returns it: `{id, name, data}` (data null when
/// left out).
[[nodiscard]] QJsonObject resourceJson(
    const ResourceId& id, const QString& name, const QJsonValue& data = QJsonValue::Null);
/// The resource of a range (data: key, name, colour, time range), a label (key, name,
/// colour) or a group (key, name).
[[nodiscard]] QJsonObject resourceJson(const Range& range);
[[nodiscard]] QJsonObject resourceJson(const Label& label);
[[nodiscard]] QJsonObject resourceJson(const Group& group);
/// The `label/retrieve` request and back.
[[nodiscard]] QJsonObject toJson(const LabelQuery& query);
[[nodiscard]] Result<LabelQuery> labelQueryFromJson(const QJsonObject& request);
/// An array of strings (null or absent reads as empty).
[[nodiscard]] Result<QStringList> stringsFromJson(const QJsonValue& value, QStringView what);
/// An array of UUID strings (null or absent reads as empty).
[[nodiscard]] Result<std::vector<QUuid>> uuidsFromJson(const QJsonValue& value, QStringView what);

} // namespace sightline::core::codec
