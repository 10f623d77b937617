#include "core/codec/workspace_json.h"

#include "core/codec/json_values.h"
#include "core/codec/range_json.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

namespace {

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    tl::unexpected<Error> invalid(const QString& message)
    {
        return fail(errors::Validation, message);
    }

    /// A UUID field that may be absent, null or empty (a null UUID then).
    Result<QUuid> optionalUuid(const QJsonObject& object, QStringView field)
    {
        const QJsonValue value = object.value(field);
        if (value.isUndefined() || value.isNull() || value.toString() == QString())
            return QUuid();
        return uuidFromJson(value, field);
    }

} // namespace

QJsonObject toJson(const Workspace& workspace, bool forRequest)
{
    QJsonObject object { { u"name"_s, workspace.name }, { u"layout"_s, workspace.layout } };
    if (!forRequest || !workspace.key.isNull())
        object.insert(u"key"_s, keyText(workspace.key));
    if (!forRequest && !workspace.author.isNull())
        object.insert(u"author"_s, keyText(workspace.author));
    return object;
}

Result<Workspace> workspaceFromJson(const QJsonValue& value)
{
    if (!value.isObject())
        return invalid(u"each workspace must be an object"_s);
    const QJsonObject object = value.toObject();
    Workspace workspace;
    auto key = optionalUuid(object, u"key");
    if (!key)
        return tl::unexpected(key.error());
    workspace.key = *key;
    auto author = optionalUuid(object, u"author");
    if (!author)
        return tl::unexpected(author.error());
    workspace.author = *author;
    const QJsonValue name = object.value(u"name");
    if (!name.isString() || name.toString().trimmed().isEmpty())
        return invalid(u"a workspace needs a name"_s);
    workspace.name = name.toString();
    const QJsonValue layout = object.value(u"layout");
    if (!layout.isUndefined() && !layout.isNull() && !layout.isObject())
        return invalid(u"a workspace's layout must be an object"_s);
    workspace.layout = layout.toObject();
    return workspace;
}

QJsonObject toJson(const WorkspaceQuery& query)
{
    QJsonObject request;
    if (!query.keys.empty()) {
        QJsonArray keys;
        for (const QUuid& key : query.keys)
            keys.append(keyText(key));
        request.insert(u"keys"_s, keys);
    }
    if (!query.searchTerm.isEmpty())
        request.insert(u"search_term"_s, query.searchTerm);
    if (!query.author.isNull())
        request.insert(u"author"_s, keyText(query.author));
    if (query.limit > 0)
        request.insert(u"limit"_s, query.limit);
    if (query.offset > 0)
        request.insert(u"offset"_s, query.offset);
    return request;
}

Result<WorkspaceQuery> workspaceQueryFromJson(const QJsonObject& request)
{
    WorkspaceQuery query;
    auto keys = uuidsFromJson(request.value(u"keys"), u"keys");
    if (!keys)
        return tl::unexpected(keys.error());
    query.keys = std::move(*keys);
    auto term = optionalString(request, u"search_term");
    if (!term)
        return tl::unexpected(term.error());
    query.searchTerm = *term;
    auto author = optionalUuid(request, u"author");
    if (!author)
        return tl::unexpected(author.error());
    query.author = *author;
    query.limit = request.value(u"limit").toInt(0);
    query.offset = request.value(u"offset").toInt(0);
    return query;
}

} // namespace sightline::core::codec
