#pragma once

#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <vector>

namespace sightline::core {

/// A workspace (Synnax's): a named layout kept on the cluster, so it follows its user to
/// another machine. The layout is an opaque JSON object its client owns (the Console keeps
/// its own there; Sightline keeps its layout file under its own key).
struct Workspace
{
    QUuid key;
    QString name;
    QUuid author; ///< the user who created it (null when unknown)
    QJsonObject layout;

    friend bool operator==(const Workspace&, const Workspace&) = default;
};

/// Which workspaces to retrieve: those matching every filter given (an empty one is none).
struct WorkspaceQuery
{
    std::vector<QUuid> keys;
    QString searchTerm; ///< a case-insensitive part of the name
    QUuid author;
    int limit = 0; ///< ≤ 0: no limit
    int offset = 0;
};

} // namespace sightline::core
