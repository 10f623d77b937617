// TLS end to end, as a Synnax Core serves it: the embedded cluster with --auto-cert
// certificates; our client with the CA streams, iterates and writes; without it the
// handshake is refused with a message naming the certificate; a pinned certificate is
// trusted; plain and TLS never mix silently; a non-loopback plain listen is refused.

#include "core/client/connection.h"
#include "core/client/iterator.h"
#include "core/client/streamer.h"
#include "core/client/writer.h"
#include "core/server/certificates.h"
#include "core/server/cluster.h"
#include "core/server/embedded_cluster.h"

#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include "support/raw_websocket.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using namespace sightline::core::client;
using namespace sightline::core::server;

class TestTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    EmbeddedCluster m_cluster;
    quint16 m_port = 0;
    CertificateFiles m_files;

    ConnectionConfig secureConfig(const QString& host = u"127.0.0.1"_s) const
    {
        ConnectionConfig config;
        config.host = host;
        config.port = m_port;
        config.secure = true;
        config.caCertFile = m_files.caCert;
        config.timeout = TimeSpan::seconds(5);
        return config;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ClusterConfig config;
        config.dataDir = m_dir.filePath(u"data"_s);
        config.simulator->tick = TimeSpan::milliseconds(20);
        m_files = defaultCertificateFiles(m_dir.filePath(u"certs"_s));
        config.tls = TlsConfig { .files = m_files, .autoCert = true, .hosts = {} };
        auto port = m_cluster.start(config);
        QVERIFY2(port, port ? "" : qPrintable(port.error().toString()));
        m_port = *port;
    }

    void withTheCaOurClientStreamsIteratesAndWrites()
    {
        for (const QString& host : { u"127.0.0.1"_s, u"localhost"_s }) {
            auto connection = std::make_shared<Connection>(secureConfig(host));
            auto info = connection->checkConnectivity();
            QVERIFY2(info, info ? "" : qPrintable(info.error().toString()));
            QCOMPARE(info->nodeVersion, u"0.56.2"_s);
            QVERIFY(connection->login());
            QCOMPARE(connection->url(u"frame/stream", true).scheme(), u"wss"_s);

            // Stream (WebSocket over TLS): the simulated stand's frames arrive.
            auto streamer = Streamer::open(connection, { .channels = { u"stand_pt_chamber"_s } });
            QVERIFY2(streamer, streamer ? "" : qPrintable(streamer.error().toString()));
            auto frame = (*streamer)->read(TimeSpan::seconds(5));
            QVERIFY2(frame, frame ? "" : qPrintable(frame.error().toString()));
            QVERIFY(frame->has_value());
            (*streamer)->close();

            // Write, then iterate back what was written.
            Channel index;
            index.name = u"tls_time_"_s + (host == u"localhost"_s ? u"b"_s : u"a"_s);
            index.dataType = DataType::Timestamp;
            index.isIndex = true;
            auto indexes = connection->createChannels({ index });
            QVERIFY(indexes);
            Channel value;
            value.name = index.name + u"_value"_s;
            value.dataType = DataType::Float64;
            value.index = indexes->front().key;
            auto values = connection->createChannels({ value });
            QVERIFY(values);
            const TimeStamp start(1'000'000'000);
            auto writer = Writer::open(*connection,
                { .start = start, .channels = { indexes->front().key, values->front().key } });
            QVERIFY2(writer, writer ? "" : qPrintable(writer.error().toString()));
            Frame written;
            written.add(indexes->front().key,
                Series::fromTimeStamps(std::vector<TimeStamp> { start, start + TimeSpan(1000) }));
            written.add(values->front().key, Series::fromValues<double>({ 1.5, 2.5 }));
            QVERIFY((*writer)->write(written));
            QVERIFY((*writer)->commit());
            QVERIFY((*writer)->close());
            auto iterator = Iterator::open(*connection, { .channels = { values->front().key } });
            QVERIFY(iterator);
            QVERIFY(*(*iterator)->seekFirst());
            QVERIFY(*(*iterator)->next());
            auto read = (*iterator)->value().concatenated(values->front().key);
            QVERIFY(read);
            QCOMPARE(read->toDoubles(), (std::vector<double> { 1.5, 2.5 }));
        }
    }

    void withoutTheCaTheHandshakeIsRefusedWithTheFingerprint()
    {
        ConnectionConfig config = secureConfig();
        config.caCertFile.clear();
        Connection connection(config);
        auto login = connection.login();
        QVERIFY(!login);
        QCOMPARE(login.error().type, errors::Tls);
        const QString message = login.error().message;
        QVERIFY2(message.contains(u"not trusted"_s), qPrintable(message));
        const QSslCertificate node = QSslCertificate::fromPath(m_files.nodeCert).front();
        QVERIFY2(message.contains(TlsTrust::fingerprint(node)), qPrintable(message));
        QCOMPARE(connection.untrustedCertificate(), node);

        // The stream refuses too, with the same reason.
        ConnectionConfig pinnedOnly = config;
        auto streamer = Streamer::open(std::make_shared<Connection>(config), { .channels = {} });
        QVERIFY(!streamer);

        // "Trust this certificate": pinned by fingerprint, it works without the CA.
        pinnedOnly.trustedCertificate = TlsTrust::fingerprint(node);
        auto pinned = std::make_shared<Connection>(pinnedOnly);
        QVERIFY2(pinned->login(), "a pinned certificate is trusted");
        auto pinnedStream = Streamer::open(pinned, { .channels = { u"stand_pt_chamber"_s } });
        QVERIFY2(pinnedStream, pinnedStream ? "" : qPrintable(pinnedStream.error().toString()));

        // A pin is no excuse for a wrong host name: the name is still checked.
        const QString otherFingerprint
            = QString(TlsTrust::fingerprint(node)).replace(0, 2, u"00"_s);
        pinnedOnly.trustedCertificate = otherFingerprint;
        QVERIFY(!Connection(pinnedOnly).login());
    }

    void aHostNameTheCertificateDoesNotNameIsRefused()
    {
        // A second cluster on 127.0.0.2 (loopback too) whose certificate names only
        // localhost, 127.0.0.1 and ::1.
        QTemporaryDir dir;
        ClusterConfig config;
        config.dataDir = dir.filePath(u"data"_s);
        config.host = QHostAddress(u"127.0.0.2"_s);
        config.simulator.reset();
        config.tls = TlsConfig { .files = defaultCertificateFiles(dir.filePath(u"certs"_s)),
            .autoCert = true,
            .hosts = {} };
        EmbeddedCluster other;
        auto port = other.start(config);
        if (!port)
            QSKIP("cannot listen on 127.0.0.2 here");
        ConnectionConfig client;
        client.host = u"127.0.0.2"_s;
        client.port = *port;
        client.secure = true;
        client.caCertFile = config.tls->files.caCert;
        Connection connection(client);
        auto login = connection.login();
        QVERIFY(!login);
        QCOMPARE(login.error().type, errors::Tls);
        QVERIFY2(login.error().message.contains(u"host name"_s, Qt::CaseInsensitive),
            qPrintable(login.error().message));
        QVERIFY(connection.untrustedCertificate().isNull()); // not something to pin away
        // Pinning does not excuse it either.
        const QSslCertificate node = QSslCertificate::fromPath(config.tls->files.nodeCert).front();
        client.caCertFile.clear();
        client.trustedCertificate = TlsTrust::fingerprint(node);
        QVERIFY(!Connection(client).login());
        other.stop();
    }

    void anUnmaskedFrameOverTlsClosesTheStreamWithAProtocolError()
    {
        Connection connection(secureConfig());
        const auto token = connection.token();
        QVERIFY2(token, token ? "" : qPrintable(token.error().toString()));
        const auto ca = QSslCertificate::fromPath(m_files.caCert);
        const QByteArray request = "{\"type\":\"data\",\"payload\":{\"keys\":[]}}";
        sightline::test::RawWebSocket masked(ca);
        QVERIFY(masked.open(m_port, u"frame/stream"_s, *token));
        masked.sendFrame(request);
        QVERIFY(masked.waitForBytes("\"frame\"", 3000));
        sightline::test::RawWebSocket unmasked(ca);
        QVERIFY(unmasked.open(m_port, u"frame/stream"_s, *token));
        unmasked.sendFrame(request, false);
        QVERIFY(unmasked.waitClosed(3000));
        QCOMPARE(unmasked.closeCode(), 1002);
    }

    void plainAndTlsNeverMixSilently()
    {
        ConnectionConfig plain = secureConfig();
        plain.secure = false;
        auto login = Connection(plain).login();
        QVERIFY(!login);
        QVERIFY2(login.error().message.contains(u"TLS"_s), qPrintable(login.error().message));
    }

    void anUnreadableCaFileIsAClearError()
    {
        ConnectionConfig config = secureConfig();
        config.caCertFile = m_dir.filePath(u"missing.crt"_s);
        auto login = Connection(config).login();
        QVERIFY(!login);
        QCOMPARE(login.error().type, errors::Tls);
        QVERIFY2(login.error().message.contains(u"missing.crt"_s),
            qPrintable(login.error().message));
    }

    void aPlainListenOffLoopbackNeedsInsecure()
    {
        QTemporaryDir dir;
        ClusterConfig config;
        config.dataDir = dir.path();
        config.host = QHostAddress::AnyIPv4; // refused before listening: nothing is opened
        config.simulator.reset();
        auto cluster = Cluster::start(config);
        QVERIFY(!cluster);
        QVERIFY2(cluster.error().message.contains(u"--insecure"_s),
            qPrintable(cluster.error().message));
    }

    void cleanupTestCase() { m_cluster.stop(); }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
