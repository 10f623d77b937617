#include "core/client/range_client.h"

#include "core/client/connection.h"
#include "core/codec/json_values.h"
#include "core/codec/range_json.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    QString keyText(const QUuid& key) { return key.toString(QUuid::WithoutBraces); }

    Result<void> done(const Result<QJsonObject>& response)
    {
        if (!response)
            return tl::unexpected(response.error());
        return {};
    }

} // namespace

RangeClient::RangeClient(Connection& connection)
    : m_connection(connection)
{
}

Result<std::vector<Range>> RangeClient::create(const std::vector<Range>& ranges,
    std::optional<QUuid> parent)
{
    QJsonArray requested;
    for (const Range& range : ranges)
        requested.append(codec::toJson(range, std::nullopt, true));
    QJsonObject request { { u"ranges"_s, requested } };
    if (parent)
        request.insert(u"parent"_s,
            QJsonObject { { u"type"_s, u"range"_s }, { u"key"_s, keyText(*parent) } });
    auto response = m_connection.call(u"range/create", request);
    if (!response)
        return tl::unexpected(response.error());
    auto created = codec::rangesFromJson(response->value(u"ranges"));
    if (created && parent)
        for (Range& range : *created)
            range.parent = parent;
    return created;
}

Result<std::vector<Range>> RangeClient::retrieve(const RangeQuery& query)
{
    QJsonObject request = codec::toJson(query);
    request.insert(u"include_parent"_s, true);
    auto response = m_connection.call(u"range/retrieve", request);
    if (!response)
        return tl::unexpected(response.error());
    return codec::rangesFromJson(response->value(u"ranges"));
}

Result<std::vector<LabelledRange>> RangeClient::retrieveLabelled(const RangeQuery& query)
{
    QJsonObject request = codec::toJson(query);
    request.insert(u"include_parent"_s, true);
    request.insert(u"include_labels"_s, true);
    auto response = m_connection.call(u"range/retrieve", request);
    if (!response)
        return tl::unexpected(response.error());
    std::vector<LabelledRange> ranges;
    for (const QJsonValue& value : response->value(u"ranges").toArray()) {
        auto range = codec::rangeFromJson(value);
        if (!range)
            return tl::unexpected(range.error());
        auto labels = codec::arrayFromJson(value.toObject().value(u"labels"),
            u"labels",
            codec::labelFromJson);
        if (!labels)
            return tl::unexpected(labels.error());
        ranges.push_back({ std::move(*range), std::move(*labels) });
    }
    return ranges;
}

Result<void> RangeClient::rename(const QUuid& key, const QString& name)
{
    return done(m_connection.call(u"range/rename",
        QJsonObject { { u"key"_s, keyText(key) }, { u"name"_s, name } }));
}

Result<void> RangeClient::removeFromParent(const QUuid& range, const QUuid& parent)
{
    const auto id = [](const QUuid& key) {
        return QJsonObject { { u"type"_s, u"range"_s }, { u"key"_s, keyText(key) } };
    };
    return done(m_connection.call(u"ontology/remove-children",
        QJsonObject { { u"id"_s, id(parent) }, { u"children"_s, QJsonArray { id(range) } } }));
}

Result<void> RangeClient::remove(std::span<const QUuid> keys)
{
    QJsonArray list;
    for (const QUuid& key : keys)
        list.append(keyText(key));
    return done(m_connection.call(u"range/delete", QJsonObject { { u"keys"_s, list } }));
}

Result<std::vector<RangePair>> RangeClient::pairs(const QUuid& range, const QStringList& keys)
{
    auto response = m_connection.call(u"range/kv/get",
        QJsonObject { { u"range"_s, keyText(range) },
            { u"keys"_s, QJsonArray::fromStringList(keys) } });
    if (!response)
        return tl::unexpected(response.error());
    return codec::arrayFromJson(response->value(u"pairs"), u"pairs", codec::rangePairFromJson);
}

Result<void> RangeClient::setPairs(const QUuid& range, const std::vector<RangePair>& pairs)
{
    QJsonArray list;
    for (const RangePair& pair : pairs)
        list.append(codec::toJson(range, pair));
    return done(m_connection.call(u"range/kv/set",
        QJsonObject { { u"range"_s, keyText(range) }, { u"pairs"_s, list } }));
}

Result<void> RangeClient::removePairs(const QUuid& range, const QStringList& keys)
{
    return done(m_connection.call(u"range/kv/delete",
        QJsonObject { { u"range"_s, keyText(range) },
            { u"keys"_s, QJsonArray::fromStringList(keys) } }));
}

} // namespace sightline::core::client
