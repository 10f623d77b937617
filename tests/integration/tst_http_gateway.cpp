// The cluster's unary endpoints over real HTTP on loopback (port 0), as the Synnax clients
// call them (protocol §1.2, §2, §3; ranges: docs/SYNNAX_RANGES.md).

#include "core/server/change_signals.h"
#include "core/server/channel_registry.h"
#include "core/server/http_gateway.h"
#include "core/server/label_registry.h"
#include "core/server/ontology_registry.h"
#include "core/server/range_registry.h"
#include "core/server/storage/database.h"
#include "core/server/unary_api.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;

namespace {

struct Reply
{
    int status = 0;
    QJsonObject body;
    QByteArray raw;
};

} // namespace

class TestHttpGateway : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ChannelRegistry> m_channels;
    std::unique_ptr<Database> m_rangeDb;
    std::unique_ptr<RangeRegistry> m_ranges;
    std::unique_ptr<Database> m_labelDb;
    std::unique_ptr<LabelRegistry> m_labels;
    std::unique_ptr<Database> m_ontologyDb;
    std::unique_ptr<OntologyRegistry> m_ontology;
    ChangeSignals m_signals; // announces nothing: no streams here
    std::unique_ptr<TokenIssuer> m_tokens;
    std::unique_ptr<UnaryApi> m_api;
    std::unique_ptr<HttpGateway> m_gateway;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;

    Reply post(const QString& target,
        const QByteArray& body,
        const QString& token = {},
        const QByteArray& contentType = "application/json")
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/api/v1/%2"_s.arg(m_port).arg(target)));
        request.setRawHeader("Content-Type", contentType);
        // The official client sends "Bearer undefined" on login; sending a header always
        // checks that login and connectivity ignore it.
        request.setRawHeader("Authorization",
            "Bearer " + (token.isEmpty() ? "undefined" : token.toLatin1()));
        QNetworkReply* reply = m_network.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            [&] { QVERIFY(finished.wait(5000)); }();
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.raw = reply->readAll();
        out.body = QJsonDocument::fromJson(out.raw).object();
        reply->deleteLater();
        return out;
    }

    QString login()
    {
        const Reply reply = post(u"auth/login"_s, R"({"username":"synnax","password":"seldon"})");
        return reply.body.value(u"token").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = std::move(*Database::open(m_dir.filePath(u"cluster.db"_s)));
        m_channels = std::move(*ChannelRegistry::open(*m_db));
        m_tokens = std::make_unique<TokenIssuer>(TokenIssuer::randomSecret(),
            QStringList { u"synnax"_s });
        m_rangeDb = std::move(*Database::open(m_dir.filePath(u"cluster.db"_s)));
        m_ranges = std::move(*RangeRegistry::open(*m_rangeDb));
        m_labelDb = std::move(*Database::open(m_dir.filePath(u"cluster.db"_s)));
        m_labels = std::move(*LabelRegistry::open(*m_labelDb));
        m_ontologyDb = std::move(*Database::open(m_dir.filePath(u"cluster.db"_s)));
        m_ontology = std::move(*OntologyRegistry::open(*m_ontologyDb));
        m_api = std::make_unique<UnaryApi>(UnaryApiConfig { .clusterKey = QUuid::createUuid() },
            *m_tokens,
            *m_channels,
            nullptr,
            Metadata { *m_ranges, *m_labels, *m_ontology, *m_channels, m_signals });
        m_gateway = std::make_unique<HttpGateway>(*m_api);
        m_port = m_gateway->listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
    }

    void loginReturnsTokenUserAndClusterInfo()
    {
        const Reply reply = post(u"auth/login"_s, R"({"username":"synnax","password":"seldon"})");
        QCOMPARE(reply.status, 200);
        QVERIFY(!reply.body.value(u"token").toString().isEmpty());
        const QJsonObject user = reply.body.value(u"user").toObject();
        const QUuid key(user.value(u"key").toString());
        QVERIFY(!key.isNull());
        QVERIFY(key.version() >= QUuid::Time && key.version() <= QUuid::Sha1);
        QCOMPARE(user.value(u"username").toString(), u"synnax"_s);
        QVERIFY(user.value(u"first_name").isString());
        QVERIFY(reply.body.value(u"cluster_info").toObject().value(u"node_time").isString());
    }

    void wrongPasswordIsInvalidCredentials()
    {
        const Reply reply = post(u"auth/login"_s, R"({"username":"synnax","password":"nope"})");
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.body.value(u"type").toString(), u"sy.auth.invalid-credentials"_s);
        QVERIFY(reply.body.value(u"data").isString());
    }

    void connectivityNeedsNoToken()
    {
        const Reply reply = post(u"connectivity/check"_s, "{}");
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.value(u"node_version").toString().startsWith(u"0.56."_s));
        bool ok = false;
        const qint64 nodeTime = reply.body.value(u"node_time").toString().toLongLong(&ok);
        QVERIFY(ok);
        QVERIFY((TimeStamp::now() - TimeStamp { nodeTime }).abs() < TimeSpan::seconds(10));
    }

    void channelsNeedAValidToken_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("errorType");
        QTest::newRow("missing") << QString() << u"sy.auth.invalid_token"_s;
        QTest::newRow("forged") << u"abc.def"_s << u"sy.auth.invalid_token"_s;
    }
    void channelsNeedAValidToken()
    {
        QFETCH(QString, token);
        QFETCH(QString, errorType);
        const Reply reply = post(u"channel/retrieve"_s, "{}", token);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.body.value(u"type").toString(), errorType);
    }

    void createAndRetrieveChannelsLikeTheTypeScriptClient()
    {
        const QString token = login();
        const Reply index = post(u"channel/create"_s,
            R"({"channels":[{"name":"time_a","data_type":"timestamp","is_index":true,"virtual":false,"internal":false,"expression":"","concurrency":0}]})",
            token);
        QCOMPARE(index.status, 200);
        const QJsonObject created = index.body.value(u"channels").toArray().at(0).toObject();
        QCOMPARE(created.value(u"key").toInteger(), 1048577);
        QCOMPARE(created.value(u"index").toInteger(), 1048577);
        QCOMPARE(created.value(u"leaseholder").toInt(), 1);
        QVERIFY(!created.contains(u"status"));
        const Reply data = post(u"channel/create"_s,
            R"({"channels":[{"name":"data_a","data_type":"float64","index":1048577,"virtual":false,"internal":false,"expression":"","concurrency":0}]})",
            token);
        QCOMPARE(data.status, 200);
        const Reply byKey = post(u"channel/retrieve"_s, R"({"keys":[1048578]})", token);
        QCOMPARE(byKey.body.value(u"channels").toArray().at(0).toObject().value(u"name").toString(),
            u"data_a"_s);
        const Reply missing = post(u"channel/retrieve"_s, R"({"keys":[5678]})", token);
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.body.value(u"type").toString(), u"sy.query.not_found"_s);
        // A key request never widens into "every channel", even for key 0.
        const Reply zero = post(u"channel/retrieve"_s, R"({"keys":[0]})", token);
        QCOMPARE(zero.status, 400);
        QCOMPARE(zero.body.value(u"type").toString(), u"sy.query.not_found"_s);
        const Reply byName = post(u"channel/retrieve"_s, R"({"names":["nope"]})", token);
        QCOMPARE(byName.status, 200);
        QVERIFY(byName.body.value(u"channels").isArray());
        QVERIFY(byName.body.value(u"channels").toArray().isEmpty());
        const Reply duplicate = post(u"channel/create"_s,
            R"({"channels":[{"name":"data_a","data_type":"float64","index":1048577}]})",
            token);
        QCOMPARE(duplicate.status, 400);
        QVERIFY(duplicate.body.value(u"type").toString().startsWith(u"sy.validation"_s));
        const Reply group = post(u"channel/retrieve-group"_s, "{}", token);
        QCOMPARE(group.body.value(u"group").toObject().value(u"name").toString(), u"Channels"_s);
        // Synnax's filters: indexes only; data channels of a type; nothing internal (the
        // client cannot make an internal channel).
        const auto namesOf = [](const Reply& reply) {
            QStringList names;
            for (const QJsonValue& channel : reply.body.value(u"channels").toArray())
                names.append(channel.toObject().value(u"name").toString());
            return names;
        };
        QCOMPARE(namesOf(post(u"channel/retrieve"_s, json({ { u"is_index"_s, true } }), token)),
            QStringList { u"time_a"_s });
        QCOMPARE(namesOf(post(u"channel/retrieve"_s,
                     json({ { u"data_types"_s, QJsonArray { u"float64"_s } } }),
                     token)),
            QStringList { u"data_a"_s });
        QCOMPARE(namesOf(post(u"channel/retrieve"_s,
                     json({ { u"not_data_types"_s, QJsonArray { u"float64"_s } },
                         { u"is_index"_s, false } }),
                     token)),
            QStringList {});
        const Reply internal = post(u"channel/create"_s,
            json({ { u"channels"_s,
                QJsonArray { QJsonObject { { u"name"_s, u"mine"_s },
                    { u"data_type"_s, u"float64"_s },
                    { u"virtual"_s, true },
                    { u"internal"_s, true } } } } }),
            token);
        QCOMPARE(internal.status, 200);
        QCOMPARE(namesOf(post(u"channel/retrieve"_s,
                     json({ { u"internal"_s, false }, { u"virtual"_s, true } }),
                     token)),
            QStringList { u"mine"_s });
        QCOMPARE(namesOf(post(u"channel/retrieve"_s, json({ { u"internal"_s, true } }), token)),
            QStringList {});
    }

    // ---- ranges (docs/SYNNAX_RANGES.md) ------------------------------------------------
    static QByteArray json(const QJsonObject& object)
    {
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    /// A range as the TypeScript client sends it: stamps as decimal strings.
    static QJsonObject rangeRequest(const QString& name, const char* start, const char* end)
    {
        return QJsonObject { { u"name"_s, name },
            { u"time_range"_s,
                QJsonObject { { u"start"_s, QString::fromLatin1(start) },
                    { u"end"_s, QString::fromLatin1(end) } } } };
    }
    static QJsonObject rangeId(const QString& key)
    {
        return QJsonObject { { u"type"_s, u"range"_s }, { u"key"_s, key } };
    }
    /// The names of the ranges `range/retrieve` answers to `request`, sorted.
    QStringList retrievedNames(const QJsonObject& request, const QString& token)
    {
        const Reply reply = post(u"range/retrieve"_s, json(request), token);
        [&] { QCOMPARE(reply.status, 200); }();
        QStringList out;
        for (const QJsonValue& range : reply.body.value(u"ranges").toArray())
            out.append(range.toObject().value(u"name").toString());
        out.sort();
        return out;
    }

    void rangesAreCreatedRetrievedRenamedAndDeleted()
    {
        const QString token = login();
        QJsonObject hotfireIn
            = rangeRequest(u"Hotfire 12"_s, "1754000000000000000", "1754000060000000000");
        hotfireIn.insert(u"color"_s, QJsonArray { 231, 116, 208, 1 }); // the client's tuple
        QJsonObject coldIn
            = rangeRequest(u"Cold flow 3"_s, "1754000100000000000", "1754000200000000000");
        coldIn.insert(u"color"_s, u"#3366ff"_s);
        const Reply created = post(u"range/create"_s,
            json({ { u"ranges"_s, QJsonArray { hotfireIn, coldIn } } }),
            token);
        QCOMPARE(created.status, 200);
        const QJsonArray ranges = created.body.value(u"ranges").toArray();
        QCOMPARE(ranges.size(), 2);
        const QJsonObject hotfire = ranges[0].toObject();
        const QString hotfireKey = hotfire.value(u"key").toString();
        QCOMPARE(QUuid::fromString(hotfireKey).version(), QUuid::Random);
        QCOMPARE(hotfire.value(u"name").toString(), u"Hotfire 12"_s);
        const QJsonObject span = hotfire.value(u"time_range").toObject();
        QCOMPARE(span.value(u"start").toString(), u"1754000000000000000"_s); // strings out
        QCOMPARE(span.value(u"end").toString(), u"1754000060000000000"_s);
        const QJsonObject color = hotfire.value(u"color").toObject();
        QCOMPARE(color.value(u"r").toInt(), 231);
        QCOMPARE(color.value(u"g").toInt(), 116);
        QCOMPARE(color.value(u"b").toInt(), 208);
        QCOMPARE(color.value(u"a").toDouble(), 1.0);
        QVERIFY(!hotfire.contains(u"parent"));
        const QJsonObject cold = ranges[1].toObject();
        QCOMPARE(cold.value(u"color").toObject().value(u"b").toInt(), 255); // from hex
        const QString coldKey = cold.value(u"key").toString();

        const QStringList both { u"Cold flow 3"_s, u"Hotfire 12"_s };
        const auto timeRange = [](const char* start, const char* end) {
            return QJsonObject { { u"start"_s, QString::fromLatin1(start) },
                { u"end"_s, QString::fromLatin1(end) } };
        };
        QCOMPARE(retrievedNames({}, token), both); // no filter: all
        QCOMPARE(retrievedNames({ { u"keys"_s, QJsonArray {} } }, token), both);
        QCOMPARE(retrievedNames({ { u"keys"_s, QJsonArray { hotfireKey } } }, token),
            QStringList { u"Hotfire 12"_s });
        QCOMPARE(retrievedNames({ { u"names"_s, QJsonArray { u"Cold flow 3"_s } } }, token),
            QStringList { u"Cold flow 3"_s });
        QCOMPARE(retrievedNames({ { u"search_term"_s, u"HOTFIRE"_s } }, token),
            QStringList { u"Hotfire 12"_s });
        // Half-open: touching the end does not overlap, an equal start does.
        QCOMPARE(retrievedNames({ { u"overlaps_with"_s,
                                    timeRange("1754000060000000000", "1754000100000000000") } },
                     token),
            QStringList {});
        QCOMPARE(retrievedNames({ { u"overlaps_with"_s,
                                    timeRange("1754000100000000000", "1754000100000000001") } },
                     token),
            QStringList { u"Cold flow 3"_s });
        QCOMPARE(retrievedNames({ { u"limit"_s, 1 } }, token).size(), 1);
        QCOMPARE(retrievedNames({ { u"limit"_s, 1 }, { u"offset"_s, 1 } }, token).size(), 1);
        QCOMPARE(retrievedNames({ { u"offset"_s, 2 } }, token), QStringList {});
        QCOMPARE(retrievedNames({ { u"has_labels"_s, QJsonArray { hotfireKey } } }, token),
            QStringList {}); // no range has labels yet

        QCOMPARE(post(u"range/rename"_s,
                     json({ { u"key"_s, hotfireKey }, { u"name"_s, u"Hotfire 12b"_s } }),
                     token)
                     .status,
            200);
        QCOMPARE(retrievedNames({ { u"search_term"_s, u"12b"_s } }, token),
            QStringList { u"Hotfire 12b"_s });
        // Upsert: the same key with a new time range replaces the range.
        QJsonObject update = rangeRequest(u"Cold flow 3"_s, "5", "6");
        update.insert(u"key"_s, coldKey);
        QCOMPARE(
            post(u"range/create"_s, json({ { u"ranges"_s, QJsonArray { update } } }), token).status,
            200);
        QCOMPARE(m_ranges->find(QUuid::fromString(coldKey))->timeRange.end.nanoseconds(), 6);
        QCOMPARE(retrievedNames({}, token).size(), 2);

        const QByteArray keys = json({ { u"keys"_s, QJsonArray { hotfireKey, coldKey } } });
        QCOMPARE(post(u"range/delete"_s, keys, token).status, 200);
        QCOMPARE(post(u"range/delete"_s, keys, token).status, 200); // idempotent
        const Reply gone = post(u"range/retrieve"_s, keys, token);
        QCOMPARE(gone.status, 400);
        QCOMPARE(gone.body.value(u"type").toString(), errors::NotFound);
        QCOMPARE(retrievedNames({}, token), QStringList {});
    }

    void badRangesAreRefusedWithReasons_data()
    {
        QTest::addColumn<QJsonObject>("range");
        QTest::addColumn<QJsonValue>("parent");
        QTest::addColumn<QString>("type");
        const QJsonValue none;
        const QString unknown = u"6b6d2d0e-7d1c-4a39-9d0b-3f5c1f0a9e11"_s;
        QTest::newRow("zero start") << rangeRequest(u"a"_s, "0", "5") << none << errors::Validation;
        QTest::newRow("start after end")
            << rangeRequest(u"a"_s, "9", "5") << none << errors::Validation;
        QTest::newRow("blank name") << rangeRequest(u" "_s, "1", "5") << none << errors::Validation;
        QTest::newRow("no time range")
            << QJsonObject { { u"name"_s, u"a"_s } } << none << errors::Validation;
        QJsonObject badKey = rangeRequest(u"a"_s, "1", "5");
        badKey.insert(u"key"_s, u"nope"_s);
        QTest::newRow("bad key") << badKey << none << errors::Validation;
        QJsonObject badColor = rangeRequest(u"a"_s, "1", "5");
        badColor.insert(u"color"_s, QJsonArray { 1, 2 });
        QTest::newRow("bad colour") << badColor << none << errors::Validation;
        QTest::newRow("unknown parent")
            << rangeRequest(u"a"_s, "1", "5") << QJsonValue(rangeId(unknown)) << errors::NotFound;
        QTest::newRow("a group as parent")
            << rangeRequest(u"a"_s, "1", "5")
            << QJsonValue(QJsonObject { { u"type"_s, u"group"_s }, { u"key"_s, unknown } })
            << errors::Validation;
    }

    void badRangesAreRefusedWithReasons()
    {
        QFETCH(QJsonObject, range);
        QFETCH(QJsonValue, parent);
        QFETCH(QString, type);
        const QString token = login();
        QJsonObject request { { u"ranges"_s,
            QJsonArray { rangeRequest(u"good"_s, "1", "2"), range } } };
        if (!parent.isUndefined())
            request.insert(u"parent"_s, parent);
        const Reply reply = post(u"range/create"_s, json(request), token);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.body.value(u"type").toString(), type);
        QVERIFY(!reply.body.value(u"data").toString().isEmpty());
        QCOMPARE(m_ranges->retrieve({})->size(), std::size_t(0)); // all or nothing
    }

    void childRangesNestUnderTheirParentAndGoWithIt()
    {
        const QString token = login();
        const Reply campaign = post(u"range/create"_s,
            json({ { u"ranges"_s, QJsonArray { rangeRequest(u"Campaign"_s, "100", "900") } } }),
            token);
        const QString campaignKey
            = campaign.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
        const Reply test = post(u"range/create"_s,
            json({ { u"ranges"_s, QJsonArray { rangeRequest(u"Test 1"_s, "200", "300") } },
                { u"parent"_s, rangeId(campaignKey) } }),
            token);
        QCOMPARE(test.status, 200);
        const QString testKey
            = test.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
        const Reply withParent = post(u"range/retrieve"_s,
            json({ { u"keys"_s, QJsonArray { testKey } }, { u"include_parent"_s, true } }),
            token);
        const QJsonObject parent
            = withParent.body.value(u"ranges").toArray()[0].toObject().value(u"parent").toObject();
        QCOMPARE(parent.value(u"key").toString(), campaignKey);
        QCOMPARE(parent.value(u"name").toString(), u"Campaign"_s);
        QVERIFY(!parent.contains(u"parent"));
        QCOMPARE(post(u"range/delete"_s, json({ { u"keys"_s, QJsonArray { campaignKey } } }), token)
                     .status,
            200);
        QCOMPARE(m_ranges->retrieve({})->size(), std::size_t(0)); // the child went with it
    }

    void rangeMetadataIsKeptAsKeyValuePairs()
    {
        const QString token = login();
        const QString range = u"6b6d2d0e-7d1c-4a39-9d0b-3f5c1f0a9e11"_s;
        const auto pair = [&](const QString& key, const QString& value) {
            return QJsonObject { { u"range"_s, range }, { u"key"_s, key }, { u"value"_s, value } };
        };
        const auto keys = [&](QJsonArray list) {
            return json({ { u"range"_s, range }, { u"keys"_s, list } });
        };
        QCOMPARE(post(u"range/kv/set"_s,
                     json({ { u"range"_s, range },
                         { u"pairs"_s,
                             QJsonArray { pair(u"part"_s, u"PN-7"_s),
                                 pair(u"procedure"_s, u"HF-2"_s) } } }),
                     token)
                     .status,
            200);
        const Reply all = post(u"range/kv/get"_s, keys({}), token); // no keys: all of them
        QCOMPARE(all.status, 200);
        QCOMPARE(all.body.value(u"pairs").toArray(),
            (QJsonArray { pair(u"part"_s, u"PN-7"_s), pair(u"procedure"_s, u"HF-2"_s) }));
        const Reply one = post(u"range/kv/get"_s, keys({ u"procedure"_s }), token);
        QCOMPARE(one.body.value(u"pairs").toArray(),
            QJsonArray { pair(u"procedure"_s, u"HF-2"_s) });
        QCOMPARE(post(u"range/kv/delete"_s, keys({ u"part"_s }), token).status, 200);
        const Reply missing = post(u"range/kv/get"_s, keys({ u"part"_s }), token);
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.body.value(u"type").toString(), errors::NotFound);
        QCOMPARE(post(u"range/kv/delete"_s, keys({ u"procedure"_s }), token).status, 200);
    }

    void rangesAndPairsSurviveAReopen()
    {
        const QString token = login();
        QJsonObject kept = rangeRequest(u"Kept"_s, "10", "20");
        kept.insert(u"color"_s, QJsonArray { 1, 2, 3, 0.5 });
        QCOMPARE(
            post(u"range/create"_s, json({ { u"ranges"_s, QJsonArray { kept } } }), token).status,
            200);
        const Range held = m_ranges->retrieve({})->front();
        QVERIFY(m_ranges->setPairs(held.key, { { u"k"_s, u"v"_s } }));
        // Another connection to the same file, as a restarted cluster opens it.
        auto database = Database::open(m_dir.filePath(u"cluster.db"_s));
        QVERIFY(database);
        auto reopened = RangeRegistry::open(**database);
        QVERIFY(reopened);
        const auto found = (*reopened)->retrieve({});
        QVERIFY(found);
        QCOMPARE(found->size(), std::size_t(1));
        QVERIFY(found->front() == held);
        QVERIFY((found->front().color == Color { 1, 2, 3, 0.5 }));
        const auto pairs = (*reopened)->pairs(held.key, {});
        QVERIFY(pairs);
        QVERIFY((*pairs == std::vector { RangePair { u"k"_s, u"v"_s } }));
        QVERIFY(m_ranges->remove(std::vector { held.key }).has_value());
        QVERIFY(m_ranges->removePairs(held.key, { u"k"_s }));
    }

    /// Creates a range and returns its key.
    QString createRange(const QString& name, const QString& token)
    {
        const Reply created = post(u"range/create"_s,
            json({ { u"ranges"_s, QJsonArray { rangeRequest(name, "100", "200") } } }),
            token);
        return created.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
    }
    /// The names of the labels of range `key`, as `range/retrieve` with labels gives them.
    QStringList labelsOfRange(const QString& key, const QString& token)
    {
        const Reply reply = post(u"range/retrieve"_s,
            json({ { u"keys"_s, QJsonArray { key } }, { u"include_labels"_s, true } }),
            token);
        QStringList names;
        for (const QJsonValue& label :
            reply.body.value(u"ranges").toArray()[0].toObject().value(u"labels").toArray())
            names.append(label.toObject().value(u"name").toString());
        names.sort();
        return names;
    }

    void labelsMarkRangesAndFindThem()
    {
        const QString token = login();
        const Reply created = post(u"label/create"_s,
            json({ { u"labels"_s,
                QJsonArray { QJsonObject { { u"name"_s, u"nominal"_s },
                                 { u"color"_s, QJsonArray { 0, 160, 0, 1 } } },
                    QJsonObject { { u"name"_s, u"anomaly"_s },
                        { u"color"_s, u"#cc0000"_s } } } } }),
            token);
        QCOMPARE(created.status, 200);
        const QJsonArray labels = created.body.value(u"labels").toArray();
        QCOMPARE(labels.size(), 2);
        const QString nominal = labels[0].toObject().value(u"key").toString();
        const QString anomaly = labels[1].toObject().value(u"key").toString();
        QCOMPARE(labels[1].toObject().value(u"color").toObject().value(u"r").toInt(), 204);
        const Reply searched
            = post(u"label/retrieve"_s, json({ { u"search_term"_s, u"NOMIN"_s } }), token);
        QCOMPARE(searched.body.value(u"labels").toArray().size(), 1);

        const QString run1 = createRange(u"Run 1"_s, token);
        const QString run2 = createRange(u"Run 2"_s, token);
        const auto set = [&](const QString& range, QJsonArray keys, bool replace) {
            return post(u"label/set"_s,
                json({ { u"id"_s, rangeId(range) },
                    { u"labels"_s, keys },
                    { u"replace"_s, replace } }),
                token);
        };
        QCOMPARE(set(run1, { nominal, anomaly }, false).status, 200);
        QCOMPARE(set(run2, { nominal }, false).status, 200);
        QCOMPARE(labelsOfRange(run1, token), (QStringList { u"anomaly"_s, u"nominal"_s }));
        // Without include_labels a range's labels are null, as Synnax sends them.
        const Reply plain
            = post(u"range/retrieve"_s, json({ { u"keys"_s, QJsonArray { run1 } } }), token);
        QVERIFY(plain.body.value(u"ranges").toArray()[0].toObject().value(u"labels").isNull());
        QCOMPARE(retrievedNames({ { u"has_labels"_s, QJsonArray { anomaly } } }, token),
            QStringList { u"Run 1"_s });
        QCOMPARE(retrievedNames({ { u"has_labels"_s, QJsonArray { nominal } } }, token),
            (QStringList { u"Run 1"_s, u"Run 2"_s }));
        QCOMPARE(retrievedNames({ { u"has_labels"_s, QJsonArray { nominal } },
                                    { u"limit"_s, 1 },
                                    { u"offset"_s, 1 } },
                     token)
                     .size(),
            1);
        const Reply of = post(u"label/retrieve"_s, json({ { u"for"_s, rangeId(run2) } }), token);
        QCOMPARE(of.body.value(u"labels").toArray().size(), 1);

        QCOMPARE(set(run1, { anomaly }, true).status, 200); // replace
        QCOMPARE(labelsOfRange(run1, token), QStringList { u"anomaly"_s });
        QCOMPARE(post(u"label/remove"_s,
                     json({ { u"id"_s, rangeId(run1) }, { u"labels"_s, QJsonArray { anomaly } } }),
                     token)
                     .status,
            200);
        QCOMPARE(labelsOfRange(run1, token), QStringList {});
        const Reply unknownRange
            = set(u"6b6d2d0e-7d1c-4a39-9d0b-3f5c1f0a9e11"_s, { nominal }, false);
        QCOMPARE(unknownRange.status, 400);
        QCOMPARE(unknownRange.body.value(u"type").toString(), errors::NotFound);
        const Reply unknownLabel = set(run1, { u"6b6d2d0e-7d1c-4a39-9d0b-3f5c1f0a9e11"_s }, false);
        QCOMPARE(unknownLabel.body.value(u"type").toString(), errors::NotFound);
        const Reply noName = post(u"label/create"_s,
            json({ { u"labels"_s,
                QJsonArray {
                    QJsonObject { { u"name"_s, u""_s }, { u"color"_s, u"#000000"_s } } } } }),
            token);
        QCOMPARE(noName.body.value(u"type").toString(), errors::Validation);

        // Labels and links survive a reopen.
        {
            auto database = Database::open(m_dir.filePath(u"cluster.db"_s));
            QVERIFY(database);
            auto reopened = LabelRegistry::open(**database);
            QVERIFY(reopened);
            QCOMPARE((*reopened)->labelsOf(ResourceId { u"range"_s, run2 }).size(), std::size_t(1));
            QCOMPARE((*reopened)->retrieve({})->size(), std::size_t(2));
        }
        // Deleting a label takes it off every range; deleting a range drops its links.
        QCOMPARE(
            post(u"label/delete"_s, json({ { u"keys"_s, QJsonArray { nominal } } }), token).status,
            200);
        QCOMPARE(labelsOfRange(run2, token), QStringList {});
        QCOMPARE(set(run2, { anomaly }, false).status, 200);
        QCOMPARE(post(u"range/delete"_s, json({ { u"keys"_s, QJsonArray { run1, run2 } } }), token)
                     .status,
            200);
        QVERIFY(m_labels->labelsOf(ResourceId { u"range"_s, run2 }).empty());
        QCOMPARE(
            post(u"label/delete"_s, json({ { u"keys"_s, QJsonArray { anomaly } } }), token).status,
            200);
        QVERIFY(m_labels->retrieve({})->empty());
    }

    void channelAliasesHoldWithinARangeAndItsChildren()
    {
        const QString token = login();
        Channel stamp;
        stamp.name = u"alias_time"_s;
        stamp.dataType = DataType::Timestamp;
        stamp.isIndex = true;
        const auto index = m_channels->create({ stamp });
        QVERIFY(index);
        Channel pressure;
        pressure.name = u"alias_pt_3"_s;
        pressure.dataType = DataType::Float32;
        pressure.index = index->front().key;
        Channel temperature = pressure;
        temperature.name = u"alias_tc_1"_s;
        const auto data = m_channels->create({ pressure, temperature });
        QVERIFY(data);
        const QString pt = QString::number(data->at(0).key);
        const QString tc = QString::number(data->at(1).key);
        const QString campaign = createRange(u"Campaign"_s, token);
        const Reply child = post(u"range/create"_s,
            json({ { u"ranges"_s, QJsonArray { rangeRequest(u"Test"_s, "120", "130") } },
                { u"parent"_s, rangeId(campaign) } }),
            token);
        const QString test
            = child.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
        const auto setAliases = [&](const QString& range, const QJsonObject& aliases) {
            return post(u"range/alias/set"_s,
                json({ { u"range"_s, range }, { u"aliases"_s, aliases } }),
                token);
        };
        QCOMPARE(setAliases(campaign, { { pt, u"chamber"_s }, { tc, u"nozzle"_s } }).status, 200);
        QCOMPARE(setAliases(test, { { tc, u"nozzle_test"_s } }).status, 200);
        const Reply unknown = setAliases(test, { { u"99999999"_s, u"x"_s } });
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.body.value(u"type").toString(), errors::NotFound);

        // The test inherits the campaign's aliases it does not override.
        const Reply listed = post(u"range/alias/list"_s, json({ { u"range"_s, test } }), token);
        QCOMPARE(listed.body.value(u"aliases").toObject(),
            (QJsonObject { { pt, u"chamber"_s }, { tc, u"nozzle_test"_s } }));
        const Reply resolved = post(u"range/alias/resolve"_s,
            json({ { u"range"_s, test },
                { u"aliases"_s, QJsonArray { u"chamber"_s, u"nozzle_test"_s, u"nope"_s } } }),
            token);
        QCOMPARE(resolved.body.value(u"aliases").toObject(),
            (QJsonObject { { u"chamber"_s, qint64(data->at(0).key) },
                { u"nozzle_test"_s, qint64(data->at(1).key) } }));
        // A name that is a pattern matches as Synnax matches it: unanchored, here first, then
        // up the parents; one that is not a pattern must be equal.
        const Reply patterns = post(u"range/alias/resolve"_s,
            json({ { u"range"_s, test },
                { u"aliases"_s, QJsonArray { u"^cham"_s, u"zle_t"_s, u"nozzle[_"_s } } }),
            token);
        QCOMPARE(patterns.body.value(u"aliases").toObject(),
            (QJsonObject { { u"^cham"_s, qint64(data->at(0).key) },
                { u"zle_t"_s, qint64(data->at(1).key) } }));
        const Reply retrieved = post(u"range/alias/retrieve"_s,
            json({ { u"range"_s, campaign },
                { u"channels"_s, QJsonArray { qint64(data->at(1).key) } } }),
            token);
        QCOMPARE(retrieved.body.value(u"aliases").toObject(),
            (QJsonObject { { tc, u"nozzle"_s } }));

        QCOMPARE(post(u"range/alias/delete"_s,
                     json({ { u"range"_s, test },
                         { u"channels"_s, QJsonArray { qint64(data->at(1).key) } } }),
                     token)
                     .status,
            200);
        const Reply afterDelete = post(u"range/alias/resolve"_s,
            json({ { u"range"_s, test }, { u"aliases"_s, QJsonArray { u"nozzle_test"_s } } }),
            token);
        QCOMPARE(afterDelete.status, 200);
        QVERIFY(afterDelete.body.value(u"aliases").isObject()); // an object, even empty
        QVERIFY(afterDelete.body.value(u"aliases").toObject().isEmpty());
        // Kept across a reopen.
        auto database = Database::open(m_dir.filePath(u"cluster.db"_s));
        QVERIFY(database);
        auto reopened = RangeRegistry::open(**database);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->aliases(QUuid::fromString(test)).at(data->at(1).key), u"nozzle"_s);
        QVERIFY(m_ranges->remove(std::vector { QUuid::fromString(campaign) }).has_value());
    }

    void groupsHoldResourcesAndTheOntologyFindsThem()
    {
        const QString token = login();
        const QJsonObject root { { u"type"_s, u"builtin"_s }, { u"key"_s, u"root"_s } };
        const auto group = [](const QString& key) {
            return QJsonObject { { u"type"_s, u"group"_s }, { u"key"_s, key } };
        };
        const auto createGroup = [&](const QString& name, const QJsonObject& parent) {
            const Reply created = post(u"ontology/create-group"_s,
                json({ { u"name"_s, name }, { u"parent"_s, parent } }),
                token);
            return created.body.value(u"group").toObject().value(u"key").toString();
        };
        const auto keysOf = [](const Reply& reply) {
            QStringList keys;
            for (const QJsonValue& resource : reply.body.value(u"resources").toArray()) {
                const QJsonObject id = resource.toObject().value(u"id").toObject();
                keys.append(id.value(u"type").toString() + u':' + id.value(u"key").toString());
            }
            keys.sort();
            return keys;
        };
        const auto related = [&](const QJsonObject& id, const char* direction) {
            return post(u"ontology/retrieve"_s,
                json({ { u"ids"_s, QJsonArray { id } }, { QString::fromLatin1(direction), true } }),
                token);
        };
        const QString stand = createGroup(u"Stand A"_s, root);
        const QString hotfires = createGroup(u"Hotfires"_s, group(stand));
        QVERIFY(!QUuid::fromString(stand).isNull());
        const Reply made = post(u"range/create"_s,
            json({ { u"ranges"_s,
                QJsonArray { rangeRequest(u"Run 1"_s, "100", "200"),
                    rangeRequest(u"Run 2"_s, "300", "400") } } }),
            token);
        const QString run1
            = made.body.value(u"ranges").toArray()[0].toObject().value(u"key").toString();
        const QString run2
            = made.body.value(u"ranges").toArray()[1].toObject().value(u"key").toString();
        const auto addChildren = [&](const QJsonObject& parent, const QJsonObject& child) {
            return post(u"ontology/add-children"_s,
                json({ { u"id"_s, parent }, { u"children"_s, QJsonArray { child } } }),
                token);
        };
        QCOMPARE(addChildren(group(hotfires), rangeId(run1)).status, 200);
        QCOMPARE(addChildren(rangeId(run1), rangeId(run2)).status, 200);

        QCOMPARE(keysOf(related(root, "children")), QStringList { u"group:"_s + stand });
        QCOMPARE(keysOf(related(group(hotfires), "parents")), QStringList { u"group:"_s + stand });
        QCOMPARE(keysOf(related(rangeId(run1), "parents")), QStringList { u"group:"_s + hotfires });
        QCOMPARE(keysOf(related(rangeId(run1), "children")), QStringList { u"range:"_s + run2 });
        const Reply withData = post(u"ontology/retrieve"_s,
            json({ { u"ids"_s, QJsonArray { rangeId(run1) } } }),
            token);
        const QJsonObject resource = withData.body.value(u"resources").toArray()[0].toObject();
        QCOMPARE(resource.value(u"name").toString(), u"Run 1"_s);
        QCOMPARE(resource.value(u"data").toObject().value(u"time_range").toObject().value(u"start"),
            QJsonValue(u"100"_s));
        // The range endpoints see the parent the ontology gave.
        const Reply child = post(u"range/retrieve"_s,
            json({ { u"keys"_s, QJsonArray { run2 } }, { u"include_parent"_s, true } }),
            token);
        QCOMPARE(
            child.body.value(u"ranges").toArray()[0].toObject().value(u"parent").toObject().value(
                u"key"),
            QJsonValue(run1));

        // Refused: a cycle, an unknown child, deleting a group that holds something.
        const Reply cycle = addChildren(group(hotfires), group(stand));
        QCOMPARE(cycle.status, 400);
        QCOMPARE(cycle.body.value(u"type").toString(), u"sy.validation"_s);
        QVERIFY(cycle.body.value(u"data").toString().contains(u"cyclic"));
        QCOMPARE(addChildren(rangeId(run2), rangeId(run1)).body.value(u"type").toString(),
            u"sy.validation"_s);
        const QString nowhere = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QCOMPARE(addChildren(group(stand), rangeId(nowhere)).body.value(u"type").toString(),
            u"sy.query.not_found"_s);
        const Reply busy = post(u"ontology/delete-group"_s,
            json({ { u"keys"_s, QJsonArray { stand } } }),
            token);
        QCOMPARE(busy.body.value(u"type").toString(), u"sy.validation"_s);
        QCOMPARE(busy.body.value(u"data").toString(), u"cannot delete a group with children"_s);

        // Move the run up to the stand; take run 2 out of run 1 into the hotfires group.
        QCOMPARE(post(u"ontology/move-children"_s,
                     json({ { u"from"_s, group(hotfires) },
                         { u"to"_s, group(stand) },
                         { u"children"_s, QJsonArray { rangeId(run1) } } }),
                     token)
                     .status,
            200);
        QCOMPARE(keysOf(related(group(stand), "children")),
            (QStringList { u"group:"_s + hotfires, u"range:"_s + run1 }));
        QCOMPARE(post(u"ontology/move-children"_s,
                     json({ { u"from"_s, rangeId(run1) },
                         { u"to"_s, group(hotfires) },
                         { u"children"_s, QJsonArray { rangeId(run2) } } }),
                     token)
                     .status,
            200);
        QVERIFY(!m_ranges->find(QUuid::fromString(run2))->parent);
        QCOMPARE(keysOf(related(group(hotfires), "children")), QStringList { u"range:"_s + run2 });

        // Found by name across types; a group renamed; the stand survives a reopen.
        const Reply search
            = post(u"ontology/retrieve"_s, json({ { u"search_term"_s, u"hotf"_s } }), token);
        QCOMPARE(keysOf(search), QStringList { u"group:"_s + hotfires });
        QCOMPARE(post(u"ontology/rename-group"_s,
                     json({ { u"key"_s, hotfires }, { u"name"_s, u"Hot fires"_s } }),
                     token)
                     .status,
            200);
        auto database = Database::open(m_dir.filePath(u"cluster.db"_s));
        QVERIFY(database);
        auto reopened = OntologyRegistry::open(**database);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->group(QUuid::fromString(hotfires))->name, u"Hot fires"_s);
        QCOMPARE((*reopened)->childrenOf({ u"group"_s, stand }).size(), std::size_t(2));

        // Emptied, both groups go in one call; asked for by ID afterwards, they are not found.
        QCOMPARE(post(u"ontology/remove-children"_s,
                     json({ { u"id"_s, group(stand) },
                         { u"children"_s, QJsonArray { rangeId(run1) } } }),
                     token)
                     .status,
            200);
        QCOMPARE(
            post(u"range/delete"_s, json({ { u"keys"_s, QJsonArray { run2 } } }), token).status,
            200);
        QCOMPARE(keysOf(related(group(hotfires), "children")), QStringList {});
        QCOMPARE(post(u"ontology/delete-group"_s,
                     json({ { u"keys"_s, QJsonArray { stand, hotfires } } }),
                     token)
                     .status,
            200);
        QCOMPARE(
            post(u"ontology/retrieve"_s, json({ { u"ids"_s, QJsonArray { group(stand) } } }), token)
                .body.value(u"type")
                .toString(),
            u"sy.query.not_found"_s);
        QCOMPARE(
            post(u"range/delete"_s, json({ { u"keys"_s, QJsonArray { run1 } } }), token).status,
            200);
    }

    void badRequestsGetClearAnswers()
    {
        const QString token = login();
        // Refusals carry Synnax error payloads, as every other error does.
        const Reply wrongType = post(u"channel/retrieve"_s, "{}", token, "text/plain");
        QCOMPARE(wrongType.status, 415);
        QCOMPARE(wrongType.body.value(u"type").toString(), errors::Validation);
        const Reply noEndpoint = post(u"no/such/endpoint"_s, "{}", token);
        QCOMPARE(noEndpoint.status, 404);
        QCOMPARE(noEndpoint.body.value(u"type").toString(), errors::Route);
        QVERIFY(noEndpoint.body.value(u"data").toString().contains(u"no/such/endpoint"_s));
        const Reply notJson = post(u"channel/retrieve"_s, "{nope", token);
        QCOMPARE(notJson.status, 400);
        QCOMPARE(notJson.body.value(u"type").toString(), u"sy.validation"_s);
        const Reply badKeys = post(u"channel/retrieve"_s, R"({"keys":"x"})", token);
        QCOMPARE(badKeys.status, 400);
        // The server keeps serving after bad input.
        QCOMPARE(post(u"connectivity/check"_s, "{}").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpGateway)
#include "tst_http_gateway.moc"
