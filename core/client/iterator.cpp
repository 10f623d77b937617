#include "core/client/iterator.h"

#include "core/codec/framer_commands.h"
#include "core/codec/json_values.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sightline::core::client {

using namespace codec; // the framer command numbers

namespace {

    /// Longest wait for one command's answer (a chunk of a large read included).
    constexpr TimeSpan CommandTimeout = TimeSpan::seconds(60);

    std::vector<codec::KeyType> keyTypes(const std::vector<Channel>& channels)
    {
        std::vector<codec::KeyType> keys;
        for (const Channel& channel : channels)
            keys.push_back({ channel.key, channel.dataType });
        return keys;
    }

} // namespace

Result<std::unique_ptr<Iterator>> Iterator::open(Connection& connection, IteratorConfig config)
{
    auto channels = connection.resolve(config.channels);
    if (!channels)
        return tl::unexpected(channels.error());
    auto stream = FramerStream::open(connection, u"frame/iterate");
    if (!stream)
        return tl::unexpected(stream.error());
    std::unique_ptr<Iterator> iterator(new Iterator(std::move(*stream), std::move(*channels)));
    QJsonArray keys;
    for (const Channel& channel : iterator->m_channels)
        keys.append(static_cast<qint64>(channel.key));
    iterator->m_stream->codec().update(keyTypes(iterator->m_channels));
    auto opened = iterator->execute(IteratorOpen,
        QJsonObject { { u"keys"_s, keys },
            { u"bounds"_s, codec::toJson(config.bounds) },
            { u"chunk_size"_s, static_cast<qint64>(config.chunkSize) },
            { u"downsample_factor"_s, static_cast<qint64>(config.downsampleFactor) } });
    if (!opened)
        return tl::unexpected(opened.error());
    iterator->m_error.reset();
    return iterator;
}

Iterator::Iterator(std::unique_ptr<FramerStream> stream, std::vector<Channel> channels)
    : m_stream(std::move(stream))
    , m_channels(std::move(channels))
{
}

Iterator::~Iterator() { (void)close(); }

Result<bool> Iterator::execute(int command, const QJsonObject& arguments)
{
    if (m_closed)
        return fail(errors::StreamClosed, u"the iterator is closed"_s);
    QJsonObject request = arguments;
    request.insert(u"command"_s, command);
    m_value = Frame {};
    if (auto sent = m_stream->sendRequest(request); !sent) {
        m_error = sent.error();
        return tl::unexpected(sent.error());
    }
    while (true) {
        auto message = m_stream->receive(CommandTimeout);
        if (!message) {
            m_error = message.error();
            return tl::unexpected(message.error());
        }
        if (!*message) {
            m_error = Error { errors::Unreachable,
                u"the cluster did not answer an iterator command"_s };
            return tl::unexpected(*m_error);
        }
        if ((*message)->frame) {
            const Frame& frame = *(*message)->frame;
            for (std::size_t i = 0; i < frame.size(); ++i)
                m_value.add(frame.keyAt(i), frame.seriesAt(i));
            continue;
        }
        const QJsonObject& payload = (*message)->payload;
        if (payload.value(u"variant").toInt() != codec::IteratorAckVariant) {
            // A JSON data response (the cluster may send frames as JSON).
            continue;
        }
        if (payload.value(u"command").toInt(-1) != command) {
            m_error = Error { errors::Protocol, u"the cluster acknowledged another command"_s };
            return tl::unexpected(*m_error);
        }
        const bool ack = payload.value(u"ack").toBool();
        if (!ack && payload.contains(u"error"_s) && payload.value(u"error").isObject()) {
            const QJsonObject error = payload.value(u"error").toObject();
            const QString type = error.value(u"type").toString();
            if (!type.isEmpty() && type != errors::Nil)
                m_error = Error { type, error.value(u"data").toString() };
        }
        return ack;
    }
}

Result<bool> Iterator::seekFirst() { return execute(IteratorSeekFirst); }
Result<bool> Iterator::seekLast() { return execute(IteratorSeekLast); }

Result<bool> Iterator::seekLE(TimeStamp stamp)
{
    return execute(IteratorSeekLE, QJsonObject { { u"stamp"_s, codec::toJson(stamp) } });
}

Result<bool> Iterator::seekLT(TimeStamp stamp) { return seekLE(stamp - TimeSpan(1)); }

Result<bool> Iterator::seekGE(TimeStamp stamp)
{
    return execute(IteratorSeekGE, QJsonObject { { u"stamp"_s, codec::toJson(stamp) } });
}

Result<bool> Iterator::next(TimeSpan span)
{
    return execute(IteratorNext, QJsonObject { { u"span"_s, codec::toJson(span) } });
}

Result<bool> Iterator::prev(TimeSpan span)
{
    return execute(IteratorPrev, QJsonObject { { u"span"_s, codec::toJson(span) } });
}

Result<bool> Iterator::valid()
{
    auto valid = execute(IteratorValid);
    if (valid && m_error)
        return false;
    return valid;
}

Result<void> Iterator::close()
{
    if (m_closed)
        return {};
    m_closed = true;
    m_stream->closeSend();
    while (true) {
        auto message = m_stream->receive(TimeSpan::seconds(5));
        if (!message)
            return message.error().matches(errors::Eof) ? Result<void>()
                                                        : tl::unexpected(message.error());
        if (!*message)
            return {}; // the cluster never ended the stream; we are done with it anyway
        if ((*message)->frame)
            return fail(errors::Unexpected, u"the cluster sent data after the iterator closed"_s);
    }
}

Result<Frame> read(Connection& connection, TimeRange range, std::vector<ChannelRef> channels)
{
    auto iterator
        = Iterator::open(connection, { .bounds = range, .channels = std::move(channels) });
    if (!iterator)
        return tl::unexpected(iterator.error());
    Frame out;
    auto more = (*iterator)->seekFirst();
    while (more && *more) {
        more = (*iterator)->next();
        const Frame& part = (*iterator)->value();
        for (std::size_t i = 0; i < part.size(); ++i)
            out.add(part.keyAt(i), part.seriesAt(i));
    }
    if (!more)
        return tl::unexpected(more.error());
    if (auto closed = (*iterator)->close(); !closed)
        return tl::unexpected(closed.error());
    return out;
}

Result<Frame> readLatest(
    Connection& connection, std::vector<ChannelRef> channels, std::int64_t count)
{
    if (count <= 0)
        return fail(errors::Validation, u"readLatest needs a positive count (got %1)"_s.arg(count));
    auto iterator
        = Iterator::open(connection, { .channels = std::move(channels), .chunkSize = count });
    if (!iterator)
        return tl::unexpected(iterator.error());
    auto found = (*iterator)->seekLast();
    if (!found)
        return tl::unexpected(found.error());
    Frame out;
    if (*found) {
        auto read = (*iterator)->prev();
        if (!read)
            return tl::unexpected(read.error());
        out = (*iterator)->value();
    }
    if (auto closed = (*iterator)->close(); !closed)
        return tl::unexpected(closed.error());
    return out;
}

} // namespace sightline::core::client
