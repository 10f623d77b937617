#include "core/server/label_api.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"
#include "core/server/change_signals.h"
#include "core/server/label_registry.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::server::label_api {

namespace {

    QJsonObject labelsResponse(const std::vector<Label>& labels)
    {
        QJsonArray out;
        for (const Label& label : labels)
            out.append(codec::toJson(label));
        return QJsonObject { { u"labels"_s, out } };
    }

    /// The `id` and `labels` fields of a set or remove request.
    Result<std::pair<ResourceId, std::vector<QUuid>>> idAndLabels(const QJsonObject& request)
    {
        auto id = codec::resourceIdFromJson(request.value(u"id"), u"id");
        if (!id)
            return tl::unexpected(id.error());
        auto labels = codec::uuidsFromJson(request.value(u"labels"), u"labels");
        if (!labels)
            return tl::unexpected(labels.error());
        return std::pair { *id, *labels };
    }

    QStringList relationTexts(const std::vector<LabelLink>& links)
    {
        QStringList texts;
        for (const LabelLink& link : links)
            texts.append(relationText(link));
        return texts;
    }

} // namespace

Result<QJsonObject> create(Metadata& stores, const QJsonObject& request)
{
    auto labels = codec::arrayFromJson(request.value(u"labels"), u"labels", codec::labelFromJson);
    if (!labels)
        return tl::unexpected(labels.error());
    auto created = stores.labels.create(std::move(*labels));
    if (!created)
        return tl::unexpected(created.error());
    stores.changes.labelsSet(*created);
    return labelsResponse(*created);
}

Result<QJsonObject> retrieve(Metadata& stores, const QJsonObject& request)
{
    auto query = codec::labelQueryFromJson(request);
    if (!query)
        return tl::unexpected(query.error());
    return stores.labels.retrieve(*query).map(labelsResponse);
}

Result<QJsonObject> remove(Metadata& stores, const QJsonObject& request)
{
    auto keys = codec::uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    auto unlinked = stores.labels.remove(*keys);
    if (!unlinked)
        return tl::unexpected(unlinked.error());
    stores.changes.relationsDeleted(relationTexts(*unlinked));
    stores.changes.labelsDeleted(*keys);
    std::vector<ResourceId> ids; // a label in a group leaves it
    for (const QUuid& key : *keys)
        ids.push_back({ u"label"_s, key.toString(QUuid::WithoutBraces) });
    if (auto forgotten = forgetResources(stores, ids); !forgotten)
        return tl::unexpected(forgotten.error());
    return QJsonObject {};
}

Result<QJsonObject> attach(Metadata& stores, const QJsonObject& request)
{
    const auto asked = idAndLabels(request);
    if (!asked)
        return tl::unexpected(asked.error());
    auto replace = codec::optionalBool(request, u"replace", false);
    if (!replace)
        return tl::unexpected(replace.error());
    const auto exists = [&](const ResourceId& id) { return resourceExists(stores, id); };
    auto changed = stores.labels.attach(asked->first, asked->second, *replace, exists);
    if (!changed)
        return tl::unexpected(changed.error());
    stores.changes.relationsDeleted(relationTexts(changed->removed));
    stores.changes.relationsSet(relationTexts(changed->added));
    return QJsonObject {};
}

Result<QJsonObject> detach(Metadata& stores, const QJsonObject& request)
{
    const auto asked = idAndLabels(request);
    if (!asked)
        return tl::unexpected(asked.error());
    auto unlinked = stores.labels.detach(asked->first, asked->second);
    if (!unlinked)
        return tl::unexpected(unlinked.error());
    stores.changes.relationsDeleted(relationTexts(*unlinked));
    return QJsonObject {};
}

} // namespace sightline::core::server::label_api
