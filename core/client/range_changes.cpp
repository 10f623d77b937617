#include "core/client/range_changes.h"

#include "core/codec/range_json.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    void addOnce(std::vector<QUuid>& keys, const QUuid& key)
    {
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            keys.push_back(key);
    }

    /// "from->type->to" with its ends as `type:key`.
    struct Relation
    {
        ResourceId from;
        QString type;
        ResourceId to;
    };

    std::optional<ResourceId> resourceFrom(QStringView text)
    {
        const qsizetype colon = text.indexOf(u':');
        if (colon <= 0)
            return std::nullopt;
        return ResourceId { text.left(colon).toString(), text.mid(colon + 1).toString() };
    }

    std::optional<Relation> relationFrom(const QString& text)
    {
        const QStringList parts = text.split(u"->"_s);
        if (parts.size() != 3)
            return std::nullopt;
        const auto from = resourceFrom(parts[0]);
        const auto to = resourceFrom(parts[2]);
        if (!from || !to)
            return std::nullopt;
        return Relation { *from, parts[1], *to };
    }

    /// Files one relation change under the range it concerns.
    void noteRelation(RangeChanges& changes, const Relation& relation)
    {
        if (relation.type == u"labeled_by" && relation.from.type == u"range")
            addOnce(changes.relabelledRanges, QUuid::fromString(relation.from.key));
        else if (relation.type == u"parent" && relation.from.type == u"range"
            && relation.to.type == u"range")
            addOnce(changes.reparentedRanges, QUuid::fromString(relation.to.key));
    }

    QJsonObject jsonSample(const Series& series, std::size_t i)
    {
        return QJsonDocument::fromJson(series.sampleBytes(i).toByteArray()).object();
    }

    /// Decodes every sample of `series` on signal channel `channel` into `changes`.
    void decode(RangeChanges& changes, const QString& channel, const Series& series)
    {
        const auto problem = [&](std::size_t i, const QString& why) {
            changes.problems.append(u"%1 sample %2: %3"_s.arg(channel).arg(i).arg(why));
        };
        for (std::size_t i = 0; i < series.size(); ++i) {
            if (channel == u"sy_range_set") {
                if (auto range = codec::rangeFromJson(jsonSample(series, i)))
                    changes.setRanges.push_back(std::move(*range));
                else
                    problem(i, range.error().message);
            } else if (channel == u"sy_range_delete" || channel == u"sy_label_delete") {
                const QUuid key = QUuid::fromRfc4122(series.sampleBytes(i));
                (channel == u"sy_range_delete" ? changes.deletedRanges : changes.deletedLabels)
                    .push_back(key);
            } else if (channel == u"sy_range_kv_set") {
                const QJsonObject sample = jsonSample(series, i);
                const auto range = codec::uuidFromJson(sample.value(u"range"), u"range");
                const auto pair = codec::rangePairFromJson(sample);
                if (range && pair)
                    changes.setPairs.emplace_back(*range, *pair);
                else
                    problem(i, range ? pair.error().message : range.error().message);
            } else if (channel == u"sy_range_kv_delete") {
                const QString text = series.stringAt(i);
                const qsizetype separator = text.indexOf(u"<--->"_s);
                const QUuid range = QUuid::fromString(text.left(separator));
                if (separator < 0 || range.isNull())
                    problem(i, u"not <range><---><key>"_s);
                else
                    changes.deletedPairs.emplace_back(range, text.mid(separator + 5));
            } else if (channel == u"sy_label_set") {
                if (auto label = codec::labelFromJson(jsonSample(series, i)))
                    changes.setLabels.push_back(std::move(*label));
                else
                    problem(i, label.error().message);
            } else if (channel == u"sy_ontology_relationship_set"
                || channel == u"sy_ontology_relationship_delete") {
                if (const auto relation = relationFrom(series.stringAt(i)))
                    noteRelation(changes, *relation);
                else
                    problem(i, u"not a relation from->type->to"_s);
            }
        }
    }

} // namespace

bool RangeChanges::empty() const
{
    return setRanges.empty() && deletedRanges.empty() && setPairs.empty() && deletedPairs.empty()
        && setLabels.empty() && deletedLabels.empty() && relabelledRanges.empty()
        && reparentedRanges.empty() && problems.isEmpty();
}

QStringList rangeChangeChannels()
{
    return { u"sy_range_set"_s,
        u"sy_range_delete"_s,
        u"sy_range_kv_set"_s,
        u"sy_range_kv_delete"_s,
        u"sy_label_set"_s,
        u"sy_label_delete"_s,
        u"sy_ontology_relationship_set"_s,
        u"sy_ontology_relationship_delete"_s };
}

RangeChanges decodeRangeChanges(const Frame& frame, const std::map<ChannelKey, QString>& names)
{
    RangeChanges changes;
    for (std::size_t i = 0; i < frame.size(); ++i)
        if (const auto name = names.find(frame.keyAt(i)); name != names.end())
            decode(changes, name->second, frame.seriesAt(i));
    return changes;
}

} // namespace sightline::core::client
