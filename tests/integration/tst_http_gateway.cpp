// The cluster's unary endpoints over real HTTP on loopback (port 0), as the Synnax clients
// call them (protocol §1.2, §2, §3).

#include "core/server/channel_registry.h"
#include "core/server/http_gateway.h"
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
        m_api = std::make_unique<UnaryApi>(UnaryApiConfig { .clusterKey = QUuid::createUuid() },
            *m_tokens,
            *m_channels);
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
