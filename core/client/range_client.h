#pragma once

#include "core/error.h"
#include "core/telem/label.h"
#include "core/telem/range.h"

#include <optional>
#include <span>
#include <vector>

namespace sightline::core::client {

class Connection;

/// A range with its labels, as a range list shows it.
struct LabelledRange
{
    Range range;
    std::vector<Label> labels;

    friend bool operator==(const LabelledRange&, const LabelledRange&) = default;
};

/// The ranges of a Synnax cluster (the embedded one or a real one) and their key-value
/// metadata, through its unary endpoints (docs/SYNNAX_RANGES.md). Errors are the cluster's:
/// `sy.validation` for a bad range, `sy.query.not_found` for unknown keys.
/// Threads: as Connection (any thread; each call blocks until answered).
class RangeClient
{
public:
    explicit RangeClient(Connection& connection);

    /// Creates (or, for keys that exist, replaces) `ranges` as children of `parent` when
    /// given; returns them with their keys, in order.
    [[nodiscard]] Result<std::vector<Range>> create(const std::vector<Range>& ranges,
        std::optional<QUuid> parent = std::nullopt);
    /// The ranges matching `query`, each with the key of its parent range, if any.
    [[nodiscard]] Result<std::vector<Range>> retrieve(const RangeQuery& query);
    /// As retrieve(), with each range's labels.
    [[nodiscard]] Result<std::vector<LabelledRange>> retrieveLabelled(const RangeQuery& query);
    [[nodiscard]] Result<void> rename(const QUuid& key, const QString& name);
    /// Takes `range` out of `parent` (it stands at the top afterwards), through the ontology.
    [[nodiscard]] Result<void> removeFromParent(const QUuid& range, const QUuid& parent);
    /// Deletes the ranges and their child ranges; unknown keys are ignored.
    [[nodiscard]] Result<void> remove(std::span<const QUuid> keys);

    /// The pairs of `range` with these keys (`sy.query.not_found` for a missing one); with no
    /// keys, all of them.
    [[nodiscard]] Result<std::vector<RangePair>> pairs(const QUuid& range,
        const QStringList& keys = {});
    [[nodiscard]] Result<void> setPairs(const QUuid& range, const std::vector<RangePair>& pairs);
    [[nodiscard]] Result<void> removePairs(const QUuid& range, const QStringList& keys);

private:
    Connection& m_connection;
};

} // namespace sightline::core::client
