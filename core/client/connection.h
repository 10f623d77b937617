#pragma once

#include "core/client/tls_trust.h"
#include "core/error.h"
#include "core/telem/channel.h"
#include "core/telem/time.h"

#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace sightline::core::client {

/// Where a cluster is and who we are to it.
struct ConnectionConfig
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 9090;
    /// https/wss instead of http/ws.
    bool secure = false;
    /// With `secure`: a PEM file of CAs to trust besides the system's (a Synnax Core's
    /// `ca.crt` from --auto-cert); empty for the system's only.
    QString caCertFile;
    /// With `secure`: the SHA-256 fingerprint ("AB:12:…") of a certificate the user chose to
    /// trust although no CA vouches for it; empty for none.
    QString trustedCertificate;
    QString username = QStringLiteral("synnax");
    QString password = QStringLiteral("seldon");
    /// Longest wait for one unary call.
    TimeSpan timeout = TimeSpan::seconds(10);
};

/// What the connectivity check learned about the cluster.
struct ClusterInfo
{
    QString clusterKey;
    QString nodeVersion;
    /// Cluster clock minus ours, measured at the midpoint of the round trip.
    TimeSpan clockSkew;
};

/// Why this client may not work with a cluster of `nodeVersion` (its major.minor differs from
/// the Synnax version this build speaks); nullopt when compatible or the version is unknown.
[[nodiscard]] std::optional<QString> versionWarning(const QString& nodeVersion);
/// A warning when the cluster's clock is more than a second off ours (live plots and ranges
/// would be shifted by that much); nullopt otherwise.
[[nodiscard]] std::optional<QString> clockSkewWarning(TimeSpan clockSkew);

/// A channel reference as users give it: a key or a name.
struct ChannelRef
{
    ChannelRef(ChannelKey k) // NOLINT(google-explicit-constructor): keys read naturally
        : key(k)
    {
    }
    ChannelRef(QString n) // NOLINT(google-explicit-constructor)
        : name(std::move(n))
    {
    }
    ChannelRef(const char16_t* n) // NOLINT(google-explicit-constructor)
        : name(QString::fromUtf16(n))
    {
    }
    std::optional<ChannelKey> key;
    QString name;
};

/// A connection to a Synnax cluster (real or embedded): unary calls over HTTP with JSON,
/// lazy login with token reuse, one re-login and retry on `sy.auth.invalid_token` /
/// `sy.auth.expired_token`, and a key↔name channel cache.
///
/// Threads: every method may be called from any thread and blocks that thread until the call
/// completes (it runs a local event loop, so never call it from the GUI thread in response
/// to user input on a slow network). The token and cache are shared under a mutex.
class Connection
{
public:
    explicit Connection(ConnectionConfig config);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    [[nodiscard]] const ConnectionConfig& config() const { return m_config; }
    /// `http(s)://host:port/api/v1/<target>` or the ws(s) form for streams.
    [[nodiscard]] QUrl url(QStringView target, bool webSocket = false) const;

    /// Logs in now (normally lazy); `sy.auth.invalid-credentials` for a wrong password,
    /// `freighter.unreachable` when nothing answers.
    [[nodiscard]] Result<void> login();
    /// A valid token, logging in when there is none.
    [[nodiscard]] Result<QString> token();
    /// Forgets the token so the next call logs in again.
    void invalidateToken(const QString& token);

    [[nodiscard]] Result<ClusterInfo> checkConnectivity();

    /// Channels by key, in order; `sy.query.not_found` naming missing keys.
    [[nodiscard]] Result<std::vector<Channel>> retrieveChannels(std::span<const ChannelKey> keys);
    /// Channels by name; unknown names are an `sy.query.not_found` error here (unlike the
    /// raw endpoint) because a caller naming a channel expects it to exist.
    [[nodiscard]] Result<std::vector<Channel>> retrieveChannels(const QStringList& names);
    /// Channels whose names match every term; empty term → all channels.
    [[nodiscard]] Result<std::vector<Channel>> searchChannels(const QString& term);
    /// Resolves keys or names (cache first), in order.
    [[nodiscard]] Result<std::vector<Channel>> resolve(std::span<const ChannelRef> channels);
    [[nodiscard]] Result<std::vector<Channel>> createChannels(const std::vector<Channel>& channels);

    /// One unary call with the token (re-login once on an expired or invalid token).
    [[nodiscard]] Result<QJsonObject> call(QStringView target, const QJsonObject& request);

    /// From any thread: the call in progress ends within ~50 ms and every later one fails at
    /// once, with a `sightline.cancelled` error.
    void cancel() { m_cancelled = true; }

    /// Whom TLS connections trust (streams use it too); a `sightline.tls` error when the
    /// config's CA file cannot be read.
    [[nodiscard]] Result<TlsTrust> tlsTrust() const { return m_trust; }
    /// The certificate of the last handshake refused for want of trust (what "trust this
    /// certificate" would pin); null when none was.
    [[nodiscard]] QSslCertificate untrustedCertificate() const;

private:
    [[nodiscard]] Result<QJsonObject> post(
        QStringView target, const QJsonObject& request, const QString& token);
    [[nodiscard]] Result<std::vector<Channel>> cacheChannels(const QJsonObject& response);

    ConnectionConfig m_config;
    std::atomic<bool> m_cancelled = false;
    Result<TlsTrust> m_trust;
    mutable QMutex m_mutex;
    QSslCertificate m_untrusted;
    QString m_token;
    std::map<ChannelKey, Channel> m_byKey;
    std::map<QString, ChannelKey> m_byName;
};

} // namespace sightline::core::client
