#pragma once

#include "core/error.h"
#include "core/telem/label.h"

#include <span>
#include <vector>

namespace sightline::core::client {

class Connection;

/// The labels of a Synnax cluster (the embedded one or a real one) and what they label,
/// through its unary endpoints (docs/SYNNAX_RANGES.md). Threads: as Connection.
class LabelClient
{
public:
    explicit LabelClient(Connection& connection);

    /// Creates (or, for keys that exist, replaces) labels; returns them with their keys.
    [[nodiscard]] Result<std::vector<Label>> create(const std::vector<Label>& labels);
    [[nodiscard]] Result<std::vector<Label>> retrieve(const LabelQuery& query);
    /// Deletes labels (and takes them off everything they labelled); unknown keys are ignored.
    [[nodiscard]] Result<void> remove(std::span<const QUuid> keys);
    /// Labels `resource` (a range: `{"range", key}`) with `labels`; with `replace`, instead of
    /// the labels it had.
    [[nodiscard]] Result<void> attach(
        const ResourceId& resource, std::span<const QUuid> labels, bool replace = false);
    [[nodiscard]] Result<void> detach(const ResourceId& resource, std::span<const QUuid> labels);

private:
    Connection& m_connection;
};

} // namespace sightline::core::client
