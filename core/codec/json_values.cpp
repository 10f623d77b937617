#include "core/codec/json_values.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace sightline::core::codec {

namespace {

    tl::unexpected<Error> badField(QStringView what, QStringView expected)
    {
        return fail(errors::Validation, u"%1 must be %2"_s.arg(what, expected));
    }

    /// Exact integer from a JSON number, when it holds one (Qt keeps integers as qint64).
    std::optional<std::int64_t> exactInteger(const QJsonValue& value)
    {
        if (!value.isDouble())
            return std::nullopt;
        const qint64 asInteger = value.toInteger(std::numeric_limits<qint64>::min());
        if (asInteger != std::numeric_limits<qint64>::min()
            || value.toDouble() == -9.2233720368547758e18)
            return asInteger;
        return std::nullopt;
    }

} // namespace

QJsonValue int64ToJson(std::int64_t value) { return QString::number(value); }

QJsonValue uint64ToJson(std::uint64_t value) { return QString::number(value); }

Result<std::int64_t> int64FromJson(const QJsonValue& value, QStringView what)
{
    if (value.isString()) {
        bool ok = false;
        const qlonglong parsed = value.toString().toLongLong(&ok, 10);
        if (!ok)
            return badField(what, u"a decimal 64-bit integer");
        return parsed;
    }
    if (auto integer = exactInteger(value))
        return *integer;
    return badField(what, u"a decimal 64-bit integer");
}

Result<std::uint64_t> uint64FromJson(const QJsonValue& value, QStringView what)
{
    if (value.isString()) {
        const QString text = value.toString();
        bool ok = false;
        const qulonglong parsed = text.toULongLong(&ok, 10);
        if (!ok || text.startsWith(u'-'))
            return badField(what, u"an unsigned decimal 64-bit integer");
        return parsed;
    }
    if (auto integer = exactInteger(value); integer && *integer >= 0)
        return static_cast<std::uint64_t>(*integer);
    return badField(what, u"an unsigned decimal 64-bit integer");
}

Result<std::uint32_t> uint32FromJson(const QJsonValue& value, QStringView what)
{
    auto wide = uint64FromJson(value, what);
    if (!wide || *wide > std::numeric_limits<std::uint32_t>::max())
        return badField(what, u"an unsigned 32-bit integer");
    return static_cast<std::uint32_t>(*wide);
}

Result<TimeStamp> timeStampFromJson(const QJsonValue& value, QStringView what)
{
    if (value.isObject())
        return timeStampFromJson(value.toObject().value(u"value"), what);
    return int64FromJson(value, what).map([](std::int64_t ns) { return TimeStamp { ns }; });
}

Result<TimeSpan> timeSpanFromJson(const QJsonValue& value, QStringView what)
{
    if (value.isObject())
        return timeSpanFromJson(value.toObject().value(u"value"), what);
    return int64FromJson(value, what).map([](std::int64_t ns) { return TimeSpan { ns }; });
}

QJsonValue toJson(TimeStamp stamp) { return int64ToJson(stamp.nanoseconds()); }

QJsonValue toJson(TimeSpan span) { return int64ToJson(span.nanoseconds()); }

QJsonObject toJson(const TimeRange& range)
{
    return QJsonObject { { u"start"_s, toJson(range.start) }, { u"end"_s, toJson(range.end) } };
}

Result<TimeRange> timeRangeFromJson(const QJsonValue& value, QStringView what)
{
    if (!value.isObject())
        return badField(what, u"an object with start and end");
    const QJsonObject object = value.toObject();
    auto start = timeStampFromJson(object.value(u"start"), what.toString() + u".start"_s);
    if (!start)
        return tl::unexpected(start.error());
    auto end = timeStampFromJson(object.value(u"end"), what.toString() + u".end"_s);
    if (!end)
        return tl::unexpected(end.error());
    return TimeRange { *start, *end };
}

Result<QString> requireString(const QJsonObject& object, QStringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isString())
        return badField(key, u"a string");
    return value.toString();
}

Result<bool> optionalBool(const QJsonObject& object, QStringView key, bool fallback)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        return badField(key, u"true or false");
    return value.toBool();
}

Result<QString> optionalString(const QJsonObject& object, QStringView key)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return QString {};
    if (!value.isString())
        return badField(key, u"a string");
    return value.toString();
}

} // namespace sightline::core::codec
