// The cluster under a hostile mix while a healthy client streams: sightline-server runs as
// a child process (a busy simulated stand) and, at the same time, 1,000 slowloris sockets
// are held open, 16 subscribers stop reading, bodies announced as 1.5 GiB are pushed, and
// malformed messages of 28 kinds arrive one after another (HTTP and WebSocket). Printed:
//   server.hostile.rss_idle_mb               the server's resident memory before the mix
//   server.hostile.rss_peak_mb               its peak (VmHWM) over the whole run
//   server.hostile.rss_after_mb              resident 5 s after the mix stopped
//   server.hostile.healthy_stream_max_gap_ms the longest gap between the healthy streamer's
//                                            frames during the mix (the stand ticks at 50 ms)
//   server.hostile.new_login_p99_ms          p99 over every login made during the mix
//   server.hostile.malformed_messages        how many malformed messages were sent
// Usage: bench_hostile [--quick] [--check] [--kinds]
//   --check: exit 1 when the server died, a login failed, the healthy stream stopped or
//            memory ran away (the `stress` test runs the quick mix with it)
//   --kinds: send each malformed kind once and print the cluster's reply and its time

#include "core/client/connection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <fstream>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "support/bench_report.h"
#include "support/cluster_test_client.h"
#include "support/raw_websocket.h"
#include "support/server_process.h"

using namespace Qt::StringLiterals;
using namespace sightline::core;
using sightline::bench::report;
using sightline::test::clientFrame;
using sightline::test::ServerProcess;
using sightline::test::StreamClient;

namespace {

// ---- blocking sockets, so the attack's pace never depends on an event loop ---------------

/// A TCP connection to 127.0.0.1:`port` from `from` (127.0.0.x: another peer); -1 on failure.
int connectFrom(quint16 port, const char* from, int timeoutMs = 2000)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    timeval timeout { timeoutMs / 1000, (timeoutMs % 1000) * 1000 };
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    sockaddr_in local {};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    sockaddr_in remote {};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0
        || ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const QByteArray& bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n
            = ::send(fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

/// Reads until the peer closes, `until` appears, or the receive timeout passes.
QByteArray receive(int fd, const QByteArray& until = {})
{
    QByteArray received;
    char buffer[16384];
    while (true) {
        const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0)
            break;
        received.append(buffer, n);
        if (!until.isEmpty() && received.contains(until))
            break;
    }
    return received;
}

QByteArray post(const QByteArray& target, const QByteArray& body, const QByteArray& extra = {})
{
    return "POST /api/v1/" + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + "application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" + extra
        + "\r\n" + body;
}

/// A complete HTTP response: status line, headers and a body of its Content-Length.
bool responseComplete(const QByteArray& response)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const qsizetype at = response.toLower().indexOf("content-length:");
    if (at < 0 || at > end)
        return true;
    const qsizetype lineEnd = response.indexOf("\r\n", at);
    const qint64 length = response.mid(at + 15, lineEnd - at - 15).trimmed().toLongLong();
    return response.size() >= end + 4 + length;
}

/// Logs in on a fresh connection; the token, or empty.
QString login(quint16 port, const char* from = "127.0.0.1")
{
    const int fd = connectFrom(port, from, 5000);
    if (fd < 0)
        return {};
    QByteArray response;
    if (sendAll(fd, post("auth/login", R"({"username":"synnax","password":"seldon"})"))) {
        char buffer[4096];
        while (!responseComplete(response)) {
            const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
            if (n <= 0)
                break;
            response.append(buffer, n);
        }
    }
    ::close(fd);
    if (!response.startsWith("HTTP/1.1 200"))
        return {};
    const QJsonObject body
        = QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
    return body.value(u"token").toString();
}

/// Reads an HTTP reply; after an upgrade, the stream until the cluster closes it.
QByteArray receiveReply(int fd)
{
    QByteArray received;
    char buffer[16384];
    while (received.startsWith("HTTP/1.1 101") || !responseComplete(received)) {
        const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0)
            break;
        received.append(buffer, n);
    }
    return received;
}

QByteArray upgrade(const QString& path, const QString& token)
{
    return "GET /api/v1/" + path.toLatin1()
        + "?freighterctxContent-Type=application/json&freighterctxAuthorization=Bearer%20"
        + token.toLatin1()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

QByteArray envelope(const QJsonObject& payload, const char* type = "data")
{
    return QJsonDocument(
        QJsonObject { { u"type"_s, QString::fromLatin1(type) }, { u"payload"_s, payload } })
        .toJson(QJsonDocument::Compact);
}

// ---- the hostile mix ---------------------------------------------------------------------

/// One kind of malformed message: the bytes a fresh connection sends, and for a WebSocket
/// kind the frame it sends once upgraded (with a valid token).
struct Malformed
{
    std::function<QByteArray(const QString& token)> request;
    QByteArray frame {};
};

/// The 28 kinds of malformed message.
std::vector<Malformed> malformedKinds()
{
    const auto wsAt = [](QString path, QByteArray frame) {
        return Malformed { [path](const QString& token) { return upgrade(path, token); }, frame };
    };
    const auto ws = [&](QByteArray frame) { return wsAt(u"frame/stream"_s, frame); };
    const auto raw
        = [](QByteArray bytes) { return Malformed { [bytes](const QString&) { return bytes; } }; };
    const auto withToken = [](QByteArray target, QByteArray body) {
        return Malformed { [target, body](const QString& token) {
            return post(target, body, "Authorization: Bearer " + token.toLatin1() + "\r\n");
        } };
    };
    return {
        raw(QByteArray("\x00\x01\x02\xff\xfe\x80garbage", 12)),
        raw(QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)),
        raw("hello world\n"),
        raw("GET\r\n\r\n"),
        raw(post("auth/login", "{")),
        raw(post("auth/login", R"({"username":5,"password":[]})")),
        raw(post("auth/login", R"({"username":"synnax","password":"guess"})")),
        raw(post("nope", "{}")),
        raw("GET /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "text/plain\r\nContent-Length: 2\r\n\r\n{}"),
        raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
            "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        raw("POST /api/v1/auth/login HTTP/1.1\r\nX-Pad: " + QByteArray(70 * 1024, 'a')
            + "\r\n\r\n"),
        raw("POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
        raw("POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: "
            "3\r\n\r\n{}"),
        raw(post("channel/create", R"({"channels":[]})")),
        raw(post("channel/create",
            R"({"channels":[]})",
            "Authorization: Bearer eyJzdWIiOiJzeW5uYXgifQ.Zm9yZ2Vk\r\n")),
        withToken("channel/retrieve", "[1,2,3]"),
        withToken("channel/create",
            R"({"channels":[{"name":")" + QByteArray(10000, 'n')
                + R"(","data_type":"float64","virtual":true}]})"),
        raw(post("auth/login", "{}", "Origin: http://evil.example\r\n")),
        raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: evil.example\r\nContent-Length: "
            "2\r\n\r\n{}"),
        raw(post("channel/create", QByteArray(65 * 1024 + 10, ' '))),
        ws(clientFrame(envelope({ { u"keys"_s, QJsonArray { 1 } } }), false)),
        ws(clientFrame("this is not json")),
        ws(clientFrame(envelope({}, "open"))),
        ws(clientFrame(envelope({ { u"keys"_s, u"all"_s } }))),
        ws(clientFrame(envelope({ { u"keys"_s, QJsonArray { 999999 } } }))),
        wsAt(u"frame/iterate"_s, clientFrame(envelope({ { u"command"_s, 3 } }))),
        wsAt(u"frame/write"_s,
            clientFrame(QByteArray(1, char(0xFE))
                + envelope({ { u"command"_s, 0 },
                    { u"config"_s,
                        QJsonObject { { u"keys"_s, QJsonArray { 1 } }, { u"mode"_s, 9 } } } }))),
    };
}

/// Holds `count` slowloris sockets (spread over four peer addresses): each sends the start
/// of a request, then a byte a second; one the cluster closes is opened again.
void holdSlowloris(quint16 port, int count, const std::atomic<bool>& stop)
{
    const char* peers[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5" };
    std::vector<int> fds(count, -1);
    const auto open = [&](int i) {
        fds[i] = connectFrom(port, peers[i % 4], 500);
        if (fds[i] >= 0)
            (void)sendAll(fds[i], "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    };
    for (int i = 0; i < count && !stop; ++i)
        open(i);
    while (!stop) {
        for (int i = 0; i < count && !stop; ++i) {
            if (fds[i] >= 0 && ::send(fds[i], "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
                continue;
            if (fds[i] >= 0)
                ::close(fds[i]);
            open(i);
        }
        for (int t = 0; t < 10 && !stop; ++t)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (const int fd : fds)
        if (fd >= 0)
            ::close(fd);
}

/// Keeps `count` subscribers to every one of `keys` that never read; one the cluster drops
/// is opened again.
void holdStalledSubscribers(quint16 port,
    const QString& token,
    const QJsonArray& keys,
    int count,
    const std::atomic<bool>& stop)
{
    std::vector<int> fds(count, -1);
    const QByteArray request = clientFrame(envelope({ { u"keys"_s, keys } }));
    const auto open = [&](int i) {
        fds[i] = connectFrom(port, "127.0.0.6", 1000);
        if (fds[i] < 0)
            return;
        const int small = 4096;
        ::setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
        (void)sendAll(fds[i], upgrade(u"frame/stream"_s, token));
        (void)receive(fds[i], "\r\n\r\n");
        (void)sendAll(fds[i], request); // then never reads again
    };
    for (int i = 0; i < count; ++i)
        open(i);
    while (!stop) {
        for (int i = 0; i < count; ++i) {
            pollfd p { fds[i], POLLRDHUP, 0 };
            if (fds[i] >= 0 && ::poll(&p, 1, 0) == 0)
                continue;
            if (fds[i] >= 0)
                ::close(fds[i]);
            open(i);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    for (const int fd : fds)
        if (fd >= 0)
            ::close(fd);
}

/// Announces bodies of 1.5 GiB and pushes bytes until the cluster closes the connection.
void pushHugeBodies(quint16 port, const std::atomic<bool>& stop)
{
    const QByteArray chunk(1024 * 1024, 'x');
    while (!stop) {
        const int fd = connectFrom(port, "127.0.0.8", 500);
        if (fd < 0)
            continue;
        (void)sendAll(fd,
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "application/json\r\nContent-Length: 1610612736\r\n\r\n");
        for (int i = 0; i < 64 && !stop && sendAll(fd, chunk); ++i) { }
        ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

/// Sends one malformed message on a fresh connection; the cluster's reply.
QByteArray sendMalformed(quint16 port, const Malformed& kind, const QString& token)
{
    const int fd = connectFrom(port, "127.0.0.7", 2000);
    if (fd < 0)
        return {};
    QByteArray reply;
    if (sendAll(fd, kind.request(token))) {
        if (!kind.frame.isEmpty()) {
            reply = receive(fd, "\r\n\r\n"); // a client waits for the upgrade's answer
            if (reply.startsWith("HTTP/1.1 101") && sendAll(fd, kind.frame))
                reply += receive(fd);
        } else {
            reply = receiveReply(fd);
        }
    }
    ::close(fd);
    return reply;
}

/// Sends `total` malformed messages, cycling through the kinds, each on its own connection.
int sendMalformed(quint16 port, const QString& token, int total, const std::atomic<bool>& stop)
{
    const auto kinds = malformedKinds();
    int sent = 0;
    for (; sent < total && !stop; ++sent)
        (void)sendMalformed(port, kinds[size_t(sent) % kinds.size()], token);
    return sent;
}

double residentMb(qint64 pid, const char* field)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field, 0) == 0)
            return std::stod(line.substr(std::strlen(field) + 1)) / 1024.0;
    return 0;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<size_t>(std::ceil(p * double(values.size()))) - 1;
    return values[std::min(rank, values.size() - 1)];
}

/// Raises this process's file limit to the hard one; returns the limit now in force.
rlim_t raiseFileLimit()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    const bool check = app.arguments().contains(u"--check"_s);
    // 1,000 idle sockets, or what fits when the machine's hard limit is low (the server,
    // raising its own limit to the same hard one, must keep room for healthy clients).
    const rlim_t files = raiseFileLimit();
    const int slowloris = static_cast<int>(std::min<rlim_t>(1000, files / 2 - 64));
    const int stalledCount = 16;
    const int malformedTotal = quick ? 1500 : 12535;
    const int minimumMixMs = quick ? 4000 : 20000;

    QTemporaryDir dir;
    ServerProcess server;
    if (!server.start(dir.path(),
            { u"--sim-channels"_s, u"32"_s, u"--sim-rate"_s, quick ? u"2000"_s : u"5000"_s })) {
        std::fprintf(stderr, "sightline-server did not start\n");
        return 1;
    }
    const quint16 port = server.port();
    const qint64 pid = server.pid();

    client::ConnectionConfig connectionConfig;
    connectionConfig.port = port;
    client::Connection connection(connectionConfig);
    const auto stand = connection.searchChannels(u"stand"_s);
    const auto chamber = connection.retrieveChannels(QStringList { u"stand_pt_chamber"_s });
    if (!stand || !chamber || chamber->empty()) {
        std::fprintf(stderr, "the stand's channels were not found\n");
        return 1;
    }
    QJsonArray allKeys;
    for (const Channel& channel : *stand)
        allKeys.append(qint64(channel.key));

    const QString token = login(port);
    if (app.arguments().contains(u"--kinds"_s)) { // prints each kind's reply and time
        const auto kinds = malformedKinds();
        for (size_t k = 0; k < kinds.size(); ++k) {
            QElapsedTimer took;
            took.start();
            const QByteArray reply = sendMalformed(port, kinds[k], token);
            std::printf("kind %zu: %lld ms %s\n",
                k,
                took.elapsed(),
                reply.right(120).toPercentEncoding(" /:{}\",").constData());
        }
        return 0;
    }
    StreamClient healthy;
    if (!healthy.connect(port, u"frame/stream"_s, token) || !healthy.next())
        return 1;
    healthy.sendRequest(QJsonObject { { u"keys"_s, QJsonArray { qint64(chamber->at(0).key) } } });
    (void)healthy.next(); // the first (empty) frame
    const auto drain = [&](int ms) {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < ms)
            (void)healthy.next(50);
    };
    drain(2000);
    const double idleMb = residentMb(pid, "VmRSS:");

    std::atomic<bool> stop = false;
    std::atomic<int> malformedSent = 0;
    std::atomic<int> failedLogins = 0;
    std::vector<double> loginMs;
    std::mutex loginMutex;
    std::vector<std::thread> attackers;
    attackers.emplace_back([&] { holdSlowloris(port, slowloris, stop); });
    attackers.emplace_back(
        [&] { holdStalledSubscribers(port, token, allKeys, stalledCount, stop); });
    attackers.emplace_back([&] { pushHugeBodies(port, stop); });
    std::atomic<bool> malformedFinished = false;
    attackers.emplace_back([&] {
        malformedSent = sendMalformed(port, token, malformedTotal, stop);
        malformedFinished = true;
    });
    std::thread logins([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1000)); // the sockets are held
        while (!stop) {
            QElapsedTimer took;
            took.start();
            const bool ok = !login(port).isEmpty();
            const double ms = double(took.nsecsElapsed()) / 1e6;
            {
                const std::lock_guard lock(loginMutex);
                loginMs.push_back(ms);
            }
            if (!ok)
                ++failedLogins;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });

    // The healthy streamer, on this thread: the longest gap between its frames.
    QElapsedTimer mix;
    mix.start();
    qint64 last = 0;
    qint64 longestGap = 0;
    int healthyFrames = 0;
    constexpr qint64 MixCapMs = 180'000;
    while ((mix.elapsed() < minimumMixMs || !malformedFinished) && mix.elapsed() < MixCapMs) {
        if (auto message = healthy.next(100); message && message->binaryFrame) {
            const qint64 now = mix.elapsed();
            longestGap = std::max(longestGap, now - last);
            last = now;
            ++healthyFrames;
        }
        if (healthy.closed())
            break;
    }
    longestGap = std::max(longestGap, mix.elapsed() - last);
    stop = true;
    for (std::thread& attacker : attackers)
        attacker.join();
    logins.join();
    const double peakMb = residentMb(pid, "VmHWM:");
    drain(5000);
    const double afterMb = residentMb(pid, "VmRSS:");
    const bool serverAlive = server.running();

    report("server.hostile.rss_idle_mb", idleMb, "MB");
    report("server.hostile.rss_peak_mb", peakMb, "MB");
    report("server.hostile.rss_after_mb", afterMb, "MB");
    report("server.hostile.rss_after_ratio", idleMb > 0 ? afterMb / idleMb : 0, "x");
    report("server.hostile.healthy_stream_max_gap_ms", double(longestGap), "ms");
    report("server.hostile.new_login_p99_ms", percentile(loginMs, 0.99), "ms");
    report("server.hostile.new_logins", double(loginMs.size()), "logins");
    report("server.hostile.slowloris_sockets", slowloris, "sockets");
    report("server.hostile.malformed_messages", double(malformedSent.load()), "messages");

    if (!check)
        return 0;
        // Under AddressSanitizer the server keeps freed memory in quarantine by design: its RSS
        // says nothing about what it holds.
#if defined(__SANITIZE_ADDRESS__)
    constexpr bool rssMeansMemory = false;
#else
    constexpr bool rssMeansMemory = true;
#endif
    QStringList failures;
    if (!serverAlive)
        failures << u"the server died"_s;
    if (healthy.closed() || healthyFrames == 0)
        failures << u"the healthy stream ended"_s;
    if (failedLogins > 0 || loginMs.empty())
        failures << u"%1 of %2 logins failed"_s.arg(failedLogins.load()).arg(loginMs.size());
    if (rssMeansMemory && peakMb > 512)
        failures << u"the server's memory peaked at %1 MB"_s.arg(peakMb);
    if (malformedSent.load() < malformedTotal)
        failures << u"only %1 malformed messages were sent"_s.arg(malformedSent.load());
    for (const QString& failure : failures)
        std::fprintf(stderr, "FAIL: %s\n", qPrintable(failure));
    return failures.isEmpty() ? 0 : 1;
}
