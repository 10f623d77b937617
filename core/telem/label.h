#pragma once

#include "core/telem/color.h"

#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>
#include <vector>

namespace sightline::core {

/// What Synnax's ontology calls a resource: its type ("range", "label", "channel" …) and key.
struct ResourceId
{
    QString type;
    QString key;

    /// "type:key", as Synnax writes it.
    [[nodiscard]] QString text() const { return type + QLatin1Char(':') + key; }
    friend bool operator==(const ResourceId&, const ResourceId&) = default;
};

/// A label (Synnax's): a name and a colour, attached to ranges or other resources.
struct Label
{
    QUuid key;
    QString name;
    Color color;

    friend bool operator==(const Label&, const Label&) = default;
};

/// A group of the ontology (Synnax's folders): a name, placed under a parent resource.
struct Group
{
    QUuid key;
    QString name;

    friend bool operator==(const Group&, const Group&) = default;
};

/// Which labels to retrieve: the labels of `of` when given (the rest is then ignored), else
/// those matching every filter given (an empty one is no filter).
struct LabelQuery
{
    std::optional<ResourceId> of;
    std::vector<QUuid> keys;
    QStringList names;
    QString searchTerm; ///< a case-insensitive part of the name
    int limit = 0; ///< ≤ 0: no limit
    int offset = 0;
};

} // namespace sightline::core
