#include "core/telem/series.h"

#include "core/codec/byte_io.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace sightline::core {

namespace {

    template <typename T> double readAs(const std::byte* p)
    {
        T value;
        std::memcpy(&value, p, sizeof(T));
        return static_cast<double>(value);
    }

    void appendLengthPrefixed(std::vector<std::byte>& out, QByteArrayView sample)
    {
        const auto length = static_cast<std::uint32_t>(sample.size());
        std::byte prefix[4];
        codec::storeLE(prefix, length);
        out.insert(out.end(), prefix, prefix + 4);
        const auto* first = reinterpret_cast<const std::byte*>(sample.data());
        out.insert(out.end(), first, first + sample.size());
    }

} // namespace

Result<Series> Series::fromBytes(
    DataType type, QByteArrayView bytes, TimeRange range, std::uint64_t alignment)
{
    if (!type.isValid())
        return fail(errors::Validation, u"series has an unknown data type"_s);
    if (!type.isVariable() && bytes.size() % type.density() != 0)
        return fail(errors::Validation,
            u"%1 bytes is not a whole number of %2 samples"_s.arg(bytes.size()).arg(type.name()));
    Series series(type);
    const auto* first = reinterpret_cast<const std::byte*>(bytes.data());
    series.m_data.assign(first, first + bytes.size());
    series.m_timeRange = range;
    series.m_alignment = alignment;
    if (type.isVariable() && !series.indexVariableSamples())
        return fail(errors::Validation,
            u"variable-density %1 series has a sample length past its end"_s.arg(type.name()));
    return series;
}

Series Series::fromTimeStamps(std::span<const TimeStamp> stamps)
{
    Series series(DataType::Timestamp);
    series.m_data.resize(stamps.size() * sizeof(std::int64_t));
    for (std::size_t i = 0; i < stamps.size(); ++i)
        codec::storeLE(series.m_data.data() + i * 8, stamps[i].nanoseconds());
    return series;
}

Series Series::fromStrings(const QStringList& strings, DataType type)
{
    QList<QByteArray> samples;
    samples.reserve(strings.size());
    for (const QString& s : strings)
        samples.append(s.toUtf8());
    return fromByteArrays(samples, type);
}

Series Series::fromByteArrays(const QList<QByteArray>& samples, DataType type)
{
    Series series(type);
    for (const QByteArray& sample : samples)
        appendLengthPrefixed(series.m_data, sample);
    series.indexVariableSamples();
    return series;
}

std::size_t Series::size() const
{
    if (m_dataType.isVariable())
        return m_offsets.size();
    const int density = m_dataType.density();
    return density == 0 ? 0 : m_data.size() / static_cast<std::size_t>(density);
}

Series Series::slice(std::size_t first, std::size_t last) const
{
    const std::size_t count = size();
    last = std::min(last, count);
    first = std::min(first, last);
    Series out(m_dataType);
    out.m_timeRange = m_timeRange;
    out.m_alignment = m_alignment + first;
    if (!m_dataType.isVariable()) {
        const auto density = static_cast<std::size_t>(m_dataType.density());
        out.m_data.assign(m_data.begin() + static_cast<std::ptrdiff_t>(first * density),
            m_data.begin() + static_cast<std::ptrdiff_t>(last * density));
        return out;
    }
    if (first == last)
        return out;
    const std::size_t begin = m_offsets[first] - 4;
    const std::size_t end = last == count ? m_data.size() : m_offsets[last] - 4;
    out.m_data.assign(m_data.begin() + static_cast<std::ptrdiff_t>(begin),
        m_data.begin() + static_cast<std::ptrdiff_t>(end));
    out.m_offsets.reserve(last - first);
    for (std::size_t i = first; i < last; ++i)
        out.m_offsets.push_back(static_cast<std::uint32_t>(m_offsets[i] - begin));
    return out;
}

Series Series::downsampled(std::size_t factor) const
{
    if (factor <= 1)
        return *this;
    Series out(m_dataType);
    out.m_timeRange = m_timeRange;
    out.m_alignment = m_alignment;
    const std::size_t count = size();
    if (!m_dataType.isVariable()) {
        const auto density = static_cast<std::size_t>(m_dataType.density());
        out.m_data.reserve((count + factor - 1) / factor * density);
        for (std::size_t i = 0; i < count; i += factor) {
            const auto at = m_data.begin() + static_cast<std::ptrdiff_t>(i * density);
            out.m_data.insert(out.m_data.end(), at, at + static_cast<std::ptrdiff_t>(density));
        }
        return out;
    }
    for (std::size_t i = 0; i < count; i += factor) {
        const QByteArrayView sample = sampleBytes(i);
        appendLengthPrefixed(out.m_data, sample);
    }
    out.indexVariableSamples();
    return out;
}

bool Series::indexVariableSamples()
{
    m_offsets.clear();
    std::size_t at = 0;
    while (at < m_data.size()) {
        if (m_data.size() - at < 4)
            return false;
        const auto length = codec::loadLE<std::uint32_t>(m_data.data() + at);
        at += 4;
        if (length > m_data.size() - at)
            return false;
        m_offsets.push_back(static_cast<std::uint32_t>(at));
        at += length;
    }
    return true;
}

double Series::valueAsDouble(std::size_t i) const
{
    double value = std::numeric_limits<double>::quiet_NaN();
    if (i >= size())
        return value;
    const std::byte* p = m_data.data() + i * static_cast<std::size_t>(m_dataType.density());
    visitNumeric(m_dataType, [&]<typename T>(T) { value = readAs<T>(p); });
    return value;
}

std::vector<double> Series::toDoubles() const
{
    const std::size_t n = size();
    std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
    visitNumeric(m_dataType, [&]<typename T>(T) {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = readAs<T>(m_data.data() + i * sizeof(T));
    });
    return out;
}

QByteArrayView Series::sampleBytes(std::size_t i) const
{
    if (i >= size())
        return {};
    const auto* base = reinterpret_cast<const char*>(m_data.data());
    if (!m_dataType.isVariable()) {
        const auto density = static_cast<std::size_t>(m_dataType.density());
        return { base + i * density, static_cast<qsizetype>(density) };
    }
    const std::uint32_t start = m_offsets[i];
    const auto length = codec::loadLE<std::uint32_t>(m_data.data() + start - 4);
    return { base + start, static_cast<qsizetype>(length) };
}

QString Series::stringAt(std::size_t i) const { return QString::fromUtf8(sampleBytes(i)); }

Result<void> Series::append(const Series& other)
{
    if (other.empty())
        return {};
    if (empty() && !m_dataType.isValid())
        m_dataType = other.m_dataType;
    if (!m_dataType.isCompatibleWith(other.m_dataType))
        return fail(errors::Validation,
            u"cannot append %1 samples to a %2 series"_s.arg(other.m_dataType.name(),
                m_dataType.name()));
    const bool wasEmpty = empty();
    const auto base = static_cast<std::uint32_t>(m_data.size());
    m_data.insert(m_data.end(), other.m_data.begin(), other.m_data.end());
    for (std::uint32_t offset : other.m_offsets)
        m_offsets.push_back(base + offset);
    if (wasEmpty) {
        m_timeRange = other.m_timeRange;
        m_alignment = other.m_alignment;
    } else if (!other.m_timeRange.isZero()) {
        m_timeRange = m_timeRange.isZero()
            ? other.m_timeRange
            : TimeRange { std::min(m_timeRange.start, other.m_timeRange.start),
                  std::max(m_timeRange.end, other.m_timeRange.end) };
    }
    return {};
}

} // namespace sightline::core
