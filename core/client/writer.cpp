#include "core/client/writer.h"

#include "core/codec/json_values.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

using namespace codec; // the framer command numbers

namespace {

    constexpr TimeSpan ResponseTimeout = TimeSpan::seconds(30);

    template <typename T> QJsonArray jsonArray(const std::vector<T>& values)
    {
        QJsonArray array;
        for (const T value : values)
            array.append(static_cast<qint64>(value));
        return array;
    }

} // namespace

Result<std::unique_ptr<Writer>> Writer::open(Connection& connection, WriterConfig config)
{
    auto channels = connection.resolve(config.channels);
    if (!channels)
        return tl::unexpected(channels.error());
    auto stream = FramerStream::open(connection, u"frame/write");
    if (!stream)
        return tl::unexpected(stream.error());
    std::unique_ptr<Writer> writer(new Writer(std::move(*stream), std::move(*channels)));
    std::vector<ChannelKey> keys;
    std::vector<codec::KeyType> types;
    for (const Channel& channel : writer->m_channels) {
        keys.push_back(channel.key);
        types.push_back({ channel.key, channel.dataType });
    }
    QJsonObject open { { u"start"_s, codec::toJson(config.start) },
        { u"keys"_s, jsonArray(keys) },
        { u"authorities"_s, jsonArray(config.authorities) },
        { u"mode"_s, static_cast<int>(config.mode) },
        { u"err_on_unauthorized"_s, config.errOnUnauthorized },
        { u"enable_auto_commit"_s, config.enableAutoCommit } };
    if (!config.subjectName.isEmpty() || config.group != 0)
        open.insert(u"control_subject"_s,
            QJsonObject { { u"key"_s, config.subjectName },
                { u"name"_s, config.subjectName },
                { u"group"_s, static_cast<qint64>(config.group) } });
    writer->m_stream->codec().update(types);
    if (auto opened = writer->execute(WriterOpen, open); !opened)
        return tl::unexpected(opened.error());
    return writer;
}

Writer::Writer(std::unique_ptr<FramerStream> stream, std::vector<Channel> channels)
    : m_stream(std::move(stream))
    , m_channels(std::move(channels))
{
}

Writer::~Writer() { (void)close(); }

std::optional<Error> Writer::responseError(const QJsonObject& response)
{
    const QJsonObject err = response.value(u"err").toObject();
    const QString type = err.value(u"type").toString();
    if (type.isEmpty() || type == errors::Nil)
        return std::nullopt;
    return Error { type, err.value(u"data").toString() };
}

Result<void> Writer::checkPushedError()
{
    if (m_error)
        return tl::unexpected(*m_error);
    while (m_stream->hasQueued()) {
        auto message = m_stream->receive(TimeSpan(0));
        if (!message) {
            m_error = message.error();
            return tl::unexpected(*m_error);
        }
        if (*message && !(*message)->frame)
            if (auto error = responseError((*message)->payload)) {
                m_error = error;
                return tl::unexpected(*m_error);
            }
    }
    return {};
}

Result<void> Writer::write(const Frame& frame)
{
    if (m_closed)
        return fail(errors::StreamClosed, u"the writer is closed"_s);
    if (auto pushed = checkPushedError(); !pushed)
        return pushed;
    return m_stream->sendFrame(frame);
}

Result<TimeStamp> Writer::execute(int command, const QJsonObject& config)
{
    QJsonObject request { { u"command"_s, command } };
    if (!config.isEmpty())
        request.insert(u"config"_s, config);
    if (auto sent = m_stream->sendRequest(request, true); !sent)
        return tl::unexpected(sent.error());
    while (true) {
        auto message = m_stream->receive(ResponseTimeout);
        if (!message)
            return tl::unexpected(message.error());
        if (!*message)
            return fail(errors::Unreachable, u"the cluster did not answer the writer"_s);
        if ((*message)->frame)
            continue;
        const QJsonObject& response = (*message)->payload;
        if (auto error = responseError(response)) {
            m_error = error;
            return tl::unexpected(*error);
        }
        if (response.value(u"command").toInt(-1) != command)
            continue;
        auto end = codec::timeStampFromJson(response.value(u"end"), u"end");
        if (!end)
            return tl::unexpected(end.error());
        return *end;
    }
}

Result<TimeStamp> Writer::commit()
{
    if (m_closed)
        return fail(errors::StreamClosed, u"the writer is closed"_s);
    if (auto pushed = checkPushedError(); !pushed)
        return tl::unexpected(pushed.error());
    return execute(WriterCommit);
}

Result<void> Writer::setAuthority(std::vector<ChannelKey> keys,
    std::vector<std::uint8_t> authorities)
{
    if (m_closed)
        return fail(errors::StreamClosed, u"the writer is closed"_s);
    if (auto pushed = checkPushedError(); !pushed)
        return pushed;
    auto set = execute(WriterSetAuthority,
        QJsonObject { { u"keys"_s, jsonArray(keys) },
            { u"authorities"_s, jsonArray(authorities) } });
    if (!set)
        return tl::unexpected(set.error());
    return {};
}

Result<void> Writer::close()
{
    if (m_closed)
        return {};
    m_closed = true;
    m_stream->closeSend(true);
    while (true) {
        auto message = m_stream->receive(TimeSpan::seconds(10));
        if (!message) {
            if (message.error().matches(errors::Eof))
                break;
            return tl::unexpected(message.error());
        }
        if (!*message)
            break;
        if (!(*message)->frame)
            if (auto error = responseError((*message)->payload); error && !m_error)
                m_error = error;
    }
    if (m_error)
        return tl::unexpected(*m_error);
    return {};
}

} // namespace sightline::core::client
