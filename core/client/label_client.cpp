#include "core/client/label_client.h"

#include "core/client/connection.h"
#include "core/codec/json_values.h"
#include "core/codec/range_json.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    QJsonArray keysOf(std::span<const QUuid> keys)
    {
        QJsonArray list;
        for (const QUuid& key : keys)
            list.append(key.toString(QUuid::WithoutBraces));
        return list;
    }

    Result<void> done(const Result<QJsonObject>& response)
    {
        if (!response)
            return tl::unexpected(response.error());
        return {};
    }

    Result<std::vector<Label>> labelsIn(const Result<QJsonObject>& response)
    {
        if (!response)
            return tl::unexpected(response.error());
        return codec::arrayFromJson(response->value(u"labels"), u"labels", codec::labelFromJson);
    }

} // namespace

LabelClient::LabelClient(Connection& connection)
    : m_connection(connection)
{
}

Result<std::vector<Label>> LabelClient::create(const std::vector<Label>& labels)
{
    QJsonArray list;
    for (const Label& label : labels)
        list.append(codec::toJson(label, true));
    return labelsIn(m_connection.call(u"label/create", QJsonObject { { u"labels"_s, list } }));
}

Result<std::vector<Label>> LabelClient::retrieve(const LabelQuery& query)
{
    return labelsIn(m_connection.call(u"label/retrieve", codec::toJson(query)));
}

Result<void> LabelClient::remove(std::span<const QUuid> keys)
{
    return done(m_connection.call(u"label/delete", QJsonObject { { u"keys"_s, keysOf(keys) } }));
}

Result<void> LabelClient::attach(
    const ResourceId& resource, std::span<const QUuid> labels, bool replace)
{
    return done(m_connection.call(u"label/set",
        QJsonObject { { u"id"_s, codec::toJson(resource) },
            { u"labels"_s, keysOf(labels) },
            { u"replace"_s, replace } }));
}

Result<void> LabelClient::detach(const ResourceId& resource, std::span<const QUuid> labels)
{
    return done(m_connection.call(u"label/remove",
        QJsonObject { { u"id"_s, codec::toJson(resource) }, { u"labels"_s, keysOf(labels) } }));
}

} // namespace sightline::core::client
