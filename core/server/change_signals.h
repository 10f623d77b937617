#pragma once

#include "core/error.h"
#include "core/telem/frame.h"
#include "core/telem/label.h"
#include "core/telem/range.h"
#include "core/telem/workspace.h"

#include <QJsonObject>
#include <QStringList>
#include <QUuid>

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace sightline::core::server {

class ChannelRegistry;

/// Synnax's change notifications (docs/SYNNAX_RANGES.md §7): after each committed change to
/// ranges, their metadata, labels, workspaces, groups or ontology relations, one frame on the
/// internal virtual channels `sy_range_set`, `sy_range_delete`, `sy_label_set`,
/// `sy_workspace_set` …, which any streamer can follow by name (the app keeps its range list
/// and workspace list live this way). Thread-safe: it only builds frames and hands them to
/// `publish`.
class ChangeSignals
{
public:
    using Publish = std::function<void(Frame)>;

    /// Finds, or creates as internal virtual channels, every signal channel in `channels`;
    /// frames go to `publish`.
    [[nodiscard]] static Result<std::unique_ptr<ChangeSignals>> open(ChannelRegistry& channels,
        Publish publish);
    /// Publishes nothing (a cluster without streams, and unit tests).
    ChangeSignals() = default;

    void rangesSet(std::span<const Range> ranges);
    void rangesDeleted(std::span<const QUuid> keys);
    void pairsSet(const QUuid& range, std::span<const RangePair> pairs);
    void pairsDeleted(const QUuid& range, const QStringList& keys);
    void aliasesSet(const QUuid& range, const std::map<ChannelKey, QString>& aliases);
    void aliasesDeleted(const QUuid& range, std::span<const ChannelKey> channels);
    void labelsSet(std::span<const Label> labels);
    void labelsDeleted(std::span<const QUuid> keys);
    /// Created, renamed or relaid-out workspaces: each one's full JSON (layout included) on
    /// `sy_workspace_set`, and as ontology resources.
    void workspacesSet(std::span<const Workspace> workspaces);
    void workspacesDeleted(std::span<const QUuid> keys);
    void groupsSet(std::span<const Group> groups);
    void groupsDeleted(std::span<const QUuid> keys);
    /// Ontology resources as `ontology/retrieve` returns them (`{id, name, data}`).
    void resourcesSet(const std::vector<QJsonObject>& resources);
    void resourcesDeleted(std::span<const ResourceId> ids);
    /// Relations as "from->type->to" (`range:…->labeled_by->label:…`).
    void relationsSet(const QStringList& relations);
    void relationsDeleted(const QStringList& relations);

private:
    ChangeSignals(std::map<QString, ChannelKey> keys, Publish publish);
    /// Labels or groups set: their samples on `channel`, and as ontology resources.
    template <typename Item> void set(const char* channel, std::span<const Item> items);
    /// Resources of `type` deleted: their keys on `channel`, and as ontology resources.
    void deleted(const char* channel, QStringView type, std::span<const QUuid> keys);
    void publishJson(const char* channel, const std::vector<QJsonObject>& samples);
    void publishStrings(const char* channel, const QStringList& samples);
    void publishUuids(const char* channel, std::span<const QUuid> keys);
    void publish(const char* channel, Series series);

    std::map<QString, ChannelKey> m_keys;
    Publish m_publish;
};

} // namespace sightline::core::server
