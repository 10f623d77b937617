#pragma once

#include "core/error.h"
#include "core/telem/data_type.h"
#include "core/telem/time.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace sightline::core {

/// A contiguous run of samples of one data type, with the time range they cover and their
/// alignment (position of the first sample in the channel's sample space,
/// `(domain << 32) | sampleIndex`). Samples are stored packed and little-endian, exactly as on
/// the wire; variable-density samples keep their u32 length prefixes.
class Series
{
public:
    Series() = default;

    /// Wraps wire bytes. Fails when the type is Unknown, when a fixed-density byte count is
    /// not a multiple of the density, or when variable-density length prefixes overrun.
    static Result<Series> fromBytes(
        DataType type, QByteArrayView bytes, TimeRange range = {}, std::uint64_t alignment = 0);

    /// Copies `values` as samples of `type` (by default the type native to T).
    template <typename T>
    static Series fromValues(std::span<const T> values, DataType type = nativeDataTypeOf<T>())
    {
        Series series(type);
        const auto* first = reinterpret_cast<const std::byte*>(values.data());
        series.m_data.assign(first, first + values.size_bytes());
        return series;
    }
    template <typename T>
    static Series fromValues(std::initializer_list<T> values, DataType type = nativeDataTypeOf<T>())
    {
        return fromValues(std::span<const T>(values.begin(), values.size()), type);
    }
    static Series fromTimeStamps(std::span<const TimeStamp> stamps);
    /// UTF-8 encodes each string as one sample (`string` or `json`).
    static Series fromStrings(const QStringList& strings, DataType type = DataType::String);
    static Series fromByteArrays(const QList<QByteArray>& samples, DataType type = DataType::Bytes);

    [[nodiscard]] DataType dataType() const { return m_dataType; }
    /// Number of samples.
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] bool empty() const { return m_data.empty(); }
    /// Size of the sample bytes as sent on the wire.
    [[nodiscard]] std::size_t byteSize() const { return m_data.size(); }
    [[nodiscard]] std::span<const std::byte> bytes() const { return m_data; }

    [[nodiscard]] TimeRange timeRange() const { return m_timeRange; }
    void setTimeRange(TimeRange range) { m_timeRange = range; }
    [[nodiscard]] std::uint64_t alignment() const { return m_alignment; }
    void setAlignment(std::uint64_t alignment) { m_alignment = alignment; }

    /// The samples as T, without copying. Empty when T is not this series' sample type
    /// (int64 also reads timestamps; uint8 reads booleans).
    template <typename T> [[nodiscard]] std::span<const T> values() const
    {
        if (!DataType(nativeDataTypeOf<T>()).isCompatibleWith(m_dataType))
            return {};
        return { reinterpret_cast<const T*>(m_data.data()), m_data.size() / sizeof(T) };
    }
    /// Every sample as a double (one type dispatch for the whole series); NaNs when not numeric.
    [[nodiscard]] std::vector<double> toDoubles() const;
    /// Sample i of a numeric series as a double (timestamps as ns); NaN when not numeric.
    [[nodiscard]] double valueAsDouble(std::size_t i) const;
    /// Sample i's bytes, without its length prefix, for variable-density series; for fixed
    /// density, the sample's raw bytes.
    [[nodiscard]] QByteArrayView sampleBytes(std::size_t i) const;
    /// Sample i of a string/json series decoded from UTF-8.
    [[nodiscard]] QString stringAt(std::size_t i) const;

    /// Samples [first, last) (clamped to the series) as a new series with the same type, time
    /// range and an alignment advanced by `first`.
    [[nodiscard]] Series slice(std::size_t first, std::size_t last) const;
    /// Samples 0, factor, 2·factor, … (Synnax's downsampling); a copy when factor <= 1.
    [[nodiscard]] Series downsampled(std::size_t factor) const;

    /// Appends the samples of `other` (same data type); extends the time range to cover both.
    [[nodiscard]] Result<void> append(const Series& other);

    friend bool operator==(const Series& a, const Series& b)
    {
        return a.m_dataType == b.m_dataType && a.m_timeRange == b.m_timeRange
            && a.m_alignment == b.m_alignment && a.m_data == b.m_data;
    }

private:
    explicit Series(DataType type)
        : m_dataType(type)
    {
    }
    /// Rebuilds m_offsets for variable-density data; false when the prefixes overrun.
    bool indexVariableSamples();

    DataType m_dataType;
    std::vector<std::byte> m_data;
    /// Byte offset of each sample's payload (after its length prefix); variable density only.
    std::vector<std::uint32_t> m_offsets;
    TimeRange m_timeRange;
    std::uint64_t m_alignment = 0;
};

} // namespace sightline::core
