// The HTTP port under abuse, with raw sockets on loopback: bodies refused from their length
// before they are sent, slow and idle connections closed, connections capped per peer.

#include "core/server/cluster.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "support/cluster_test_client.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::server;
using sightline::test::UnaryCaller;
using sightline::test::waitUntil;

namespace {

/// A raw client: writes bytes, collects what comes back, notices the close.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
            m_received += m_socket.readAll();
        });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        waitUntil(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; });
    }
    void send(const QByteArray& bytes) { m_socket.write(bytes); }
    bool waitClosed(int ms)
    {
        return waitUntil([this] { return m_closed; }, ms);
    }
    bool waitFor(const QByteArray& text, int ms)
    {
        return waitUntil([&] { return m_received.contains(text); }, ms);
    }
    [[nodiscard]] const QByteArray& received() const { return m_received; }
    [[nodiscard]] int status() const { return m_received.mid(9, 3).toInt(); }
    [[nodiscard]] QJsonObject body() const
    {
        return QJsonDocument::fromJson(m_received.mid(m_received.indexOf("\r\n\r\n") + 4)).object();
    }
    [[nodiscard]] bool closed() const { return m_closed; }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_closed = false;
};

QByteArray postHead(const QByteArray& target, qint64 length, const QByteArray& extra = {})
{
    return "POST /api/v1/" + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          "application/json\r\nContent-Length: "
        + QByteArray::number(length) + "\r\n" + extra + "\r\n";
}

} // namespace

class TestConnectionGuard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Cluster> m_cluster;
    quint16 port() const { return m_cluster->port(); }

private Q_SLOTS:
    void initTestCase()
    {
        ClusterConfig config;
        config.dataDir = m_dir.path();
        config.simulator.reset();
        config.limits.firstRequest = TimeSpan::milliseconds(800);
        config.limits.headers = TimeSpan::milliseconds(800);
        config.limits.body = TimeSpan::milliseconds(800);
        config.limits.keepAliveIdle = TimeSpan::milliseconds(800);
        config.limits.maxPerPeer = 6;
        auto cluster = Cluster::start(config);
        QVERIFY2(cluster, cluster ? "" : qPrintable(cluster.error().toString()));
        m_cluster = std::move(*cluster);
    }

    void aHugeBodyIsRefusedFromItsLengthBeforeItIsSent()
    {
        RawClient client(port());
        client.send(postHead("auth/login", 1536LL * 1024 * 1024)); // 1.5 GiB announced
        QVERIFY(client.waitClosed(2000));
        QCOMPARE(client.status(), 413);
        QCOMPARE(client.body().value(u"type").toString(), errors::Validation);
        QVERIFY2(client.body().value(u"data").toString().contains(u"over the limit"_s),
            client.received().constData());
    }

    void aLargeBodyWithoutATokenIsRefusedBeforeItIsSent()
    {
        RawClient client(port());
        client.send(postHead("channel/create", 1024 * 1024));
        QVERIFY(client.waitClosed(2000));
        QCOMPARE(client.status(), 400);
        QCOMPARE(client.body().value(u"type").toString(), errors::InvalidToken);
    }

    void aLargeBodyWithATokenIsRead()
    {
        UnaryCaller unary(port());
        const QString token = unary.login();
        QVERIFY(!token.isEmpty());
        QByteArray body = "{\"channels\":[],\"pad\":\"" + QByteArray(200 * 1024, 'x') + "\"}";
        RawClient client(port());
        client.send(postHead("channel/create",
                        body.size(),
                        "Authorization: Bearer " + token.toLatin1() + "\r\n")
            + body);
        QVERIFY(client.waitFor("\r\n\r\n", 5000));
        QCOMPARE(client.status(), 200);
    }

    void aSlowlorisHeaderIsCutOff()
    {
        RawClient client(port());
        client.send("POST /api/v1/auth/login HTTP/1.1\r\n");
        QElapsedTimer held;
        held.start();
        while (!client.closed() && held.elapsed() < 5000) { // one byte every 200 ms
            client.send("X");
            waitUntil([&] { return client.closed(); }, 200);
        }
        QVERIFY(client.closed());
        QVERIFY2(held.elapsed() < 2500, qPrintable(QString::number(held.elapsed())));
        QCOMPARE(client.status(), 408);
    }

    void aSlowBodyIsCutOff()
    {
        RawClient client(port());
        client.send(postHead("auth/login", 1000) + "{");
        QVERIFY(client.waitClosed(3000));
        QCOMPARE(client.status(), 408);
    }

    void anIdleConnectionIsClosedAndAKeptAliveOneToo()
    {
        RawClient silent(port());
        QVERIFY(silent.waitClosed(3000)); // never sent anything
        QCOMPARE(silent.status(), 408);

        RawClient kept(port());
        kept.send(postHead("connectivity/check", 2) + "{}");
        QVERIFY(kept.waitFor("}", 3000));
        QCOMPARE(kept.status(), 200);
        QVERIFY(kept.waitClosed(3000)); // then idle past keepAliveIdle
    }

    void garbageIsAnsweredAtOnceAndClosed()
    {
        const QList<QByteArray> garbage { QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc", 9),
            "hello world\n",
            QByteArray("\x00\x01\x02\x03", 4),
            "GET /\r\n" };
        for (const QByteArray& bytes : garbage) {
            RawClient client(port());
            QElapsedTimer answered;
            answered.start();
            client.send(bytes);
            QVERIFY2(client.waitClosed(2000), bytes.toHex().constData());
            QVERIFY2(answered.elapsed() < 500, qPrintable(QString::number(answered.elapsed())));
            QCOMPARE(client.status(), 400);
            QCOMPARE(client.body().value(u"type").toString(), errors::Validation);
        }
    }

    void chunkedAndOversizedHeadersAreRefused()
    {
        RawClient chunked(port());
        chunked.send("POST /api/v1/auth/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        QVERIFY(chunked.waitClosed(2000));
        QCOMPARE(chunked.status(), 411);

        RawClient huge(port());
        huge.send("POST /api/v1/auth/login HTTP/1.1\r\nX-Pad: " + QByteArray(70 * 1024, 'a'));
        QVERIFY(huge.waitClosed(2000));
        QCOMPARE(huge.status(), 431);
    }

    void connectionsArePerPeerCappedWithAClearRefusal()
    {
        std::vector<std::unique_ptr<RawClient>> held;
        for (int i = 0; i < 6; ++i)
            held.push_back(std::make_unique<RawClient>(port()));
        QTest::qWait(100);
        RawClient refused(port());
        QVERIFY(refused.waitClosed(2000));
        QCOMPARE(refused.status(), 503);
        QVERIFY2(refused.body().value(u"data").toString().contains(u"limit of 6"_s),
            refused.received().constData());
        held.clear();
        QVERIFY(waitUntil([&] { return m_cluster->openConnections() == 0; }, 3000));
        UnaryCaller unary(port()); // room again
        QVERIFY(!unary.login().isEmpty());
    }

    void foreignWebPagesAndRebindingHostsAreRefused()
    {
        RawClient foreign(port());
        foreign.send(postHead("connectivity/check", 2, "Origin: http://evil.example\r\n") + "{}");
        QVERIFY(foreign.waitClosed(2000));
        QCOMPARE(foreign.status(), 403);
        QCOMPARE(foreign.body().value(u"type").toString(), errors::Auth);
        QVERIFY(foreign.body().value(u"data").toString().contains(u"--allow-origin"_s));

        RawClient local(port()); // a page served from this machine may
        local.send(postHead("connectivity/check", 2, "Origin: http://localhost:5173\r\n") + "{}");
        QVERIFY(local.waitFor("}", 2000));
        QCOMPARE(local.status(), 200);

        RawClient rebound(port());
        rebound.send("POST /api/v1/connectivity/check HTTP/1.1\r\nHost: evil.example:9090\r\n"
                     "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        QVERIFY(rebound.waitClosed(2000));
        QCOMPARE(rebound.status(), 403);
        QVERIFY(rebound.body().value(u"data").toString().contains(u"DNS rebinding"_s));
    }

    // Last: it leaves this address blocked from logging in for a minute.
    void passwordGuessingIsThrottledPerAddress()
    {
        UnaryCaller unary(port());
        for (int i = 0; i < 10; ++i) {
            const auto reply = unary.post(u"auth/login"_s,
                QJsonObject { { u"username"_s, u"synnax"_s },
                    { u"password"_s, u"guess%1"_s.arg(i) } });
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.body.value(u"type").toString(), errors::InvalidCredentials);
            QVERIFY(!reply.body.value(u"data").toString().contains(u"too many"_s));
        }
        // Now even the right password is refused from here, saying why.
        const auto blocked = unary.post(u"auth/login"_s,
            QJsonObject { { u"username"_s, u"synnax"_s }, { u"password"_s, u"seldon"_s } });
        QCOMPARE(blocked.status, 400);
        QVERIFY2(blocked.body.value(u"data").toString().contains(u"too many failed logins"_s),
            qPrintable(blocked.body.value(u"data").toString()));
        QVERIFY(!blocked.body.contains(u"token"_s));
    }
};

QTEST_GUILESS_MAIN(TestConnectionGuard)
#include "tst_connection_guard.moc"
