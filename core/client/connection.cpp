#include "core/client/connection.h"

#include "core/codec/error_codec.h"
#include "core/codec/json_values.h"
#include "core/codec/telem_json.h"
#include "sightline/version.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

namespace {

    bool isTokenError(const Error& error)
    {
        return error.matches(errors::InvalidToken) || error.matches(errors::ExpiredToken);
    }

    /// "192.0.2.1:9090: connection refused (nothing listens there)" and the like: the cause of
    /// a failed request in words a user can act on.
    QString describeFailure(
        QNetworkReply::NetworkError error, const QString& qtMessage, TimeSpan timeout)
    {
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            return u"connection refused (nothing listens there, or a firewall refuses)"_s;
        case QNetworkReply::HostNotFoundError:
            return u"host not found"_s;
        case QNetworkReply::OperationCanceledError: // the transfer timeout aborts this way
        case QNetworkReply::TimeoutError:
            return u"no answer: timed out after %1 s"_s.arg(
                static_cast<double>(timeout.nanoseconds()) / 1e9);
        case QNetworkReply::RemoteHostClosedError:
            return u"the cluster closed the connection (a plain client talking to a TLS "
                   "cluster, or the reverse?)"_s;
        case QNetworkReply::SslHandshakeFailedError:
            return u"TLS handshake failed: "_s + qtMessage;
        default:
            return qtMessage;
        }
    }

    QJsonArray toJsonArray(std::span<const ChannelKey> keys)
    {
        QJsonArray array;
        for (const ChannelKey key : keys)
            array.append(static_cast<qint64>(key));
        return array;
    }

} // namespace

Connection::Connection(ConnectionConfig config)
    : m_config(std::move(config))
    , m_trust(TlsTrust::load(m_config.caCertFile, m_config.trustedCertificate))
{
}

QSslCertificate Connection::untrustedCertificate() const
{
    QMutexLocker lock(&m_mutex);
    return m_untrusted;
}

Connection::~Connection() = default;

QUrl Connection::url(QStringView target, bool webSocket) const
{
    QUrl url;
    url.setScheme(webSocket ? (m_config.secure ? u"wss"_s : u"ws"_s)
                            : (m_config.secure ? u"https"_s : u"http"_s));
    url.setHost(m_config.host);
    url.setPort(m_config.port);
    url.setPath(u"/api/v1/"_s + target.toString());
    return url;
}

Result<QJsonObject> Connection::post(
    QStringView target, const QJsonObject& request, const QString& token)
{
    if (m_cancelled)
        return fail(errors::Cancelled, u"cancelled"_s);
    if (m_config.secure && !m_trust)
        return tl::unexpected(m_trust.error());
    QNetworkAccessManager network;
    QNetworkRequest httpRequest(url(target));
    if (m_config.secure)
        httpRequest.setSslConfiguration(m_trust->configuration());
    httpRequest.setRawHeader("Content-Type", "application/json");
    if (!token.isEmpty())
        httpRequest.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    httpRequest.setTransferTimeout(
        static_cast<int>(std::max<std::int64_t>(1, m_config.timeout.nanoseconds() / 1'000'000)));
    QNetworkReply* reply
        = network.post(httpRequest, QJsonDocument(request).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QList<QSslError> refused;
    QSslCertificate refusedPeer;
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [&](const QList<QSslError>& errors) {
        const QSslConfiguration peer = reply->sslConfiguration();
        if (m_trust && m_trust->accepts(errors, peer.peerCertificateChain())) {
            reply->ignoreSslErrors(errors);
            return;
        }
        refused = errors;
        refusedPeer = peer.peerCertificate();
    });
    QTimer cancelWatch; // cancel() comes from another thread: look for it now and then
    cancelWatch.setInterval(50);
    QObject::connect(&cancelWatch, &QTimer::timeout, reply, [this, reply] {
        if (m_cancelled)
            reply->abort();
    });
    cancelWatch.start();
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    cancelWatch.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString networkMessage = reply->errorString();
    delete reply;

    if (m_cancelled)
        return fail(errors::Cancelled, u"cancelled"_s);
    if (status == 0 && !refused.isEmpty()) {
        if (TlsTrust::onlyTrustErrors(refused)) {
            QMutexLocker lock(&m_mutex);
            m_untrusted = refusedPeer;
        }
        return fail(errors::Tls,
            u"cannot reach %1:%2: %3"_s.arg(m_config.host)
                .arg(m_config.port)
                .arg(TlsTrust::describe(refused, refusedPeer)));
    }
    if (status == 0)
        return fail(errors::Unreachable,
            u"cannot reach %1:%2: %3"_s.arg(m_config.host)
                .arg(m_config.port)
                .arg(describeFailure(networkError, networkMessage, m_config.timeout)));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (status == 400) {
        auto error = codec::decodeErrorPayload(document.object());
        if (error && *error)
            return tl::unexpected(**error);
        return fail(errors::Unknown, u"the cluster rejected %1 without saying why"_s.arg(target));
    }
    if (status != 200 || networkError != QNetworkReply::NoError)
        return fail(errors::Unexpected,
            u"%1 answered HTTP %2: %3"_s.arg(target).arg(status).arg(
                QString::fromUtf8(body.left(200))));
    if (!document.isObject())
        return fail(errors::Decode,
            u"%1 answered with something other than a JSON object"_s.arg(target));
    return document.object();
}

Result<void> Connection::login()
{
    auto response = post(u"auth/login",
        QJsonObject { { u"username"_s, m_config.username }, { u"password"_s, m_config.password } },
        QString());
    if (!response)
        return tl::unexpected(response.error());
    const QString token = response->value(u"token").toString();
    if (token.isEmpty())
        return fail(errors::Decode, u"the cluster's login answer holds no token"_s);
    QMutexLocker lock(&m_mutex);
    m_token = token;
    return {};
}

Result<QString> Connection::token()
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_token.isEmpty())
            return m_token;
    }
    if (auto loggedIn = login(); !loggedIn)
        return tl::unexpected(loggedIn.error());
    QMutexLocker lock(&m_mutex);
    return m_token;
}

void Connection::invalidateToken(const QString& token)
{
    QMutexLocker lock(&m_mutex);
    if (m_token == token)
        m_token.clear();
}

Result<QJsonObject> Connection::call(QStringView target, const QJsonObject& request)
{
    auto current = token();
    if (!current)
        return tl::unexpected(current.error());
    auto response = post(target, request, *current);
    if (response || !isTokenError(response.error()))
        return response;
    invalidateToken(*current);
    auto renewed = token();
    if (!renewed)
        return tl::unexpected(renewed.error());
    return post(target, request, *renewed);
}

Result<ClusterInfo> Connection::checkConnectivity()
{
    const TimeStamp sent = TimeStamp::now();
    auto response = post(u"connectivity/check", QJsonObject {}, QString());
    const TimeStamp received = TimeStamp::now();
    if (!response)
        return tl::unexpected(response.error());
    ClusterInfo info;
    info.clusterKey = response->value(u"cluster_key").toString();
    info.nodeVersion = response->value(u"node_version").toString();
    if (auto nodeTime = codec::timeStampFromJson(response->value(u"node_time"), u"node_time")) {
        const TimeStamp midpoint = sent + TimeSpan((received - sent).nanoseconds() / 2);
        info.clockSkew = *nodeTime - midpoint;
    }
    return info;
}

std::optional<QString> versionWarning(const QString& nodeVersion)
{
    const QStringList parts = nodeVersion.split(u'.');
    const QStringList ours = QString::fromLatin1(SynnaxProtocolVersion).split(u'.');
    if (parts.size() < 2 || parts[0].isEmpty())
        return std::nullopt; // an unknown version is not a reason to warn
    if (parts[0] == ours[0] && parts[1] == ours[1])
        return std::nullopt;
    return u"the cluster runs Synnax %1 and this Sightline speaks Synnax %2: some features "
           "may not work"_s.arg(nodeVersion, QString::fromLatin1(SynnaxProtocolVersion));
}

std::optional<QString> clockSkewWarning(TimeSpan clockSkew)
{
    const double seconds = static_cast<double>(clockSkew.nanoseconds()) / 1e9;
    if (std::abs(seconds) <= 1.0)
        return std::nullopt;
    return u"the cluster's clock is %1 s %2 this computer's: live data shows that far off"_s
        .arg(std::abs(seconds), 0, 'f', 1)
        .arg(seconds > 0 ? u"ahead of"_s : u"behind"_s);
}

Result<std::vector<Channel>> Connection::cacheChannels(const QJsonObject& response)
{
    auto channels = codec::channelsFromJson(response.value(u"channels"));
    if (!channels)
        return tl::unexpected(channels.error());
    QMutexLocker lock(&m_mutex);
    for (const Channel& channel : *channels) {
        m_byKey[channel.key] = channel;
        m_byName[channel.name] = channel.key;
    }
    return channels;
}

Result<std::vector<Channel>> Connection::retrieveChannels(std::span<const ChannelKey> keys)
{
    if (keys.empty())
        return std::vector<Channel> {};
    auto response = call(u"channel/retrieve", QJsonObject { { u"keys"_s, toJsonArray(keys) } });
    if (!response)
        return tl::unexpected(response.error());
    return cacheChannels(*response);
}

Result<std::vector<Channel>> Connection::retrieveChannels(const QStringList& names)
{
    if (names.isEmpty())
        return std::vector<Channel> {};
    auto response = call(u"channel/retrieve",
        QJsonObject { { u"names"_s, QJsonArray::fromStringList(names) } });
    if (!response)
        return tl::unexpected(response.error());
    auto channels = cacheChannels(*response);
    if (!channels)
        return channels;
    QStringList missing;
    for (const QString& name : names)
        if (std::none_of(channels->begin(), channels->end(), [&](const Channel& c) {
                return c.name == name;
            }))
            missing.append(name);
    if (!missing.isEmpty())
        return fail(errors::NotFound, u"no channel named %1"_s.arg(missing.join(u", "_s)));
    return channels;
}

Result<std::vector<Channel>> Connection::searchChannels(const QString& term)
{
    auto response = call(u"channel/retrieve", QJsonObject { { u"search_term"_s, term } });
    if (!response)
        return tl::unexpected(response.error());
    return cacheChannels(*response);
}

Result<std::vector<Channel>> Connection::resolve(std::span<const ChannelRef> channels)
{
    std::vector<ChannelKey> unknownKeys;
    QStringList unknownNames;
    {
        QMutexLocker lock(&m_mutex);
        for (const ChannelRef& ref : channels) {
            if (ref.key && !m_byKey.contains(*ref.key))
                unknownKeys.push_back(*ref.key);
            else if (!ref.key && !m_byName.contains(ref.name))
                unknownNames.append(ref.name);
        }
    }
    if (auto fetched = retrieveChannels(unknownKeys); !fetched)
        return fetched;
    if (auto fetched = retrieveChannels(unknownNames); !fetched)
        return fetched;
    std::vector<Channel> resolved;
    QMutexLocker lock(&m_mutex);
    for (const ChannelRef& ref : channels) {
        const auto key = ref.key ? ref.key : [&]() -> std::optional<ChannelKey> {
            const auto found = m_byName.find(ref.name);
            return found == m_byName.end() ? std::nullopt : std::optional(found->second);
        }();
        const auto found = key ? m_byKey.find(*key) : m_byKey.end();
        if (found == m_byKey.end())
            return fail(errors::NotFound,
                u"channel %1 not found"_s.arg(ref.key ? QString::number(*ref.key) : ref.name));
        resolved.push_back(found->second);
    }
    return resolved;
}

Result<std::vector<Channel>> Connection::createChannels(const std::vector<Channel>& channels)
{
    auto response
        = call(u"channel/create", QJsonObject { { u"channels"_s, codec::toJson(channels) } });
    if (!response)
        return tl::unexpected(response.error());
    return cacheChannels(*response);
}

} // namespace sightline::core::client
