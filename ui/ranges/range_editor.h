#pragma once

#include "core/client/range_client.h"
#include "core/error.h"

#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace sightline::core::client {
class Connection;
} // namespace sightline::core::client

namespace sightline::ui {

/// What the range dialog asks for: a range as it should be after the edit.
struct RangeEdit
{
    /// Null for a new range.
    QUuid key;
    QString name;
    core::TimeRange timeRange;
    std::optional<core::Color> color;
    /// Labels it should have (existing ones by key; names not yet labels are created).
    std::vector<QUuid> labels;
    QStringList newLabels;
    /// Its metadata after the edit (pairs not listed are deleted).
    std::vector<core::RangePair> pairs;
    /// The range it is part of (a new one is created there; an edited one moves there, or to
    /// the top when cleared).
    std::optional<QUuid> parent;
    /// Where an edited range was before the edit (editOf sets it).
    std::optional<QUuid> parentBefore;
};

/// Creates and edits ranges on a cluster the way the ranges panel and the live marks need:
/// one call per concern (the range, its labels, its metadata), each a Synnax endpoint, so it
/// works against any Synnax cluster. Blocks while the cluster answers; no widgets.
class RangeEditor
{
public:
    explicit RangeEditor(std::shared_ptr<core::client::Connection> connection);

    /// Creates the range or applies the edit; returns the range as stored. A name that is
    /// empty, or an end before the start, is refused before anything is sent.
    [[nodiscard]] core::Result<core::Range> apply(const RangeEdit& edit);
    /// The edit that leaves `range` as it is (for the dialog to start from).
    [[nodiscard]] core::Result<RangeEdit> editOf(const core::client::LabelledRange& range);
    /// Deletes the range (and its child ranges, as Synnax does).
    [[nodiscard]] core::Result<void> remove(const QUuid& key);

private:
    std::shared_ptr<core::client::Connection> m_connection;
};

/// Marks a run while live: start() creates a range beginning now (its end kept at its
/// start while it is open), end() closes it at now. One run is open at a time.
class RunMarker
{
public:
    explicit RunMarker(std::shared_ptr<core::client::Connection> connection);

    /// Creates the open range "Run <start time>" (or `name`); refused while one is open.
    [[nodiscard]] core::Result<core::Range> start(core::TimeStamp now, const QString& name = {});
    /// Moves the open range's end to `now`, keeping it open (so a crash loses little).
    [[nodiscard]] core::Result<core::Range> extend(core::TimeStamp now);
    /// Sets the open range's end to `now` and closes it.
    [[nodiscard]] core::Result<core::Range> end(core::TimeStamp now);
    [[nodiscard]] const std::optional<core::Range>& open() const { return m_open; }

private:
    std::shared_ptr<core::client::Connection> m_connection;
    std::optional<core::Range> m_open;
};

} // namespace sightline::ui
