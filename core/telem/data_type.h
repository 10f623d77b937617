#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <type_traits>

namespace sightline::core {

/// The type of a channel's samples, named as Synnax names it on the wire (`float64`, `string` …).
/// Fixed-density types have a size per sample; `string`, `json` and `bytes` are variable-density:
/// each sample is a u32 little-endian byte length followed by that many bytes.
class DataType
{
public:
    enum class Id : std::uint8_t {
        Unknown,
        Float64,
        Float32,
        Int64,
        Int32,
        Int16,
        Int8,
        Uint64,
        Uint32,
        Uint16,
        Uint8,
        Timestamp,
        Uuid,
        String,
        Json,
        Bytes,
    };

    constexpr DataType() = default;
    constexpr DataType(Id id) // NOLINT(google-explicit-constructor): DataType::Float64 reads well
        : m_id(id)
    {
    }

    /// The type for a wire name; nullopt for a name Synnax does not define.
    static std::optional<DataType> fromName(QStringView name);

    [[nodiscard]] constexpr Id id() const { return m_id; }
    /// The wire name (`float64`); `unknown` for Unknown.
    [[nodiscard]] QString name() const;
    /// Bytes per sample; 0 for variable-density types and Unknown.
    [[nodiscard]] int density() const;
    [[nodiscard]] constexpr bool isVariable() const
    {
        return m_id == Id::String || m_id == Id::Json || m_id == Id::Bytes;
    }
    [[nodiscard]] constexpr bool isValid() const { return m_id != Id::Unknown; }
    /// True for the integer and floating point types and timestamps (plottable as numbers).
    [[nodiscard]] bool isNumeric() const;
    /// Same type, or int64 and timestamp (which Synnax's codec treats as equivalent).
    [[nodiscard]] bool isCompatibleWith(DataType other) const;

    friend constexpr bool operator==(DataType, DataType) = default;

    static constexpr Id Unknown = Id::Unknown;
    static constexpr Id Float64 = Id::Float64;
    static constexpr Id Float32 = Id::Float32;
    static constexpr Id Int64 = Id::Int64;
    static constexpr Id Int32 = Id::Int32;
    static constexpr Id Int16 = Id::Int16;
    static constexpr Id Int8 = Id::Int8;
    static constexpr Id Uint64 = Id::Uint64;
    static constexpr Id Uint32 = Id::Uint32;
    static constexpr Id Uint16 = Id::Uint16;
    static constexpr Id Uint8 = Id::Uint8;
    static constexpr Id Timestamp = Id::Timestamp;
    static constexpr Id Uuid = Id::Uuid;
    static constexpr Id String = Id::String;
    static constexpr Id Json = Id::Json;
    static constexpr Id Bytes = Id::Bytes;

private:
    Id m_id = Id::Unknown;
};

/// The DataType whose samples a C++ type T reads, for typed Series access
/// (int64 also reads timestamps; uint8 reads booleans).
template <typename T> consteval DataType::Id nativeDataTypeOf()
{
    using std::is_same_v;
    if constexpr (is_same_v<T, double>)
        return DataType::Float64;
    else if constexpr (is_same_v<T, float>)
        return DataType::Float32;
    else if constexpr (is_same_v<T, std::int64_t>)
        return DataType::Int64;
    else if constexpr (is_same_v<T, std::int32_t>)
        return DataType::Int32;
    else if constexpr (is_same_v<T, std::int16_t>)
        return DataType::Int16;
    else if constexpr (is_same_v<T, std::int8_t>)
        return DataType::Int8;
    else if constexpr (is_same_v<T, std::uint64_t>)
        return DataType::Uint64;
    else if constexpr (is_same_v<T, std::uint32_t>)
        return DataType::Uint32;
    else if constexpr (is_same_v<T, std::uint16_t>)
        return DataType::Uint16;
    else if constexpr (is_same_v<T, std::uint8_t>)
        return DataType::Uint8;
    else
        static_assert(sizeof(T) == 0, "no Synnax data type for this C++ type");
}

/// Calls `f(T{})` with the C++ type of a fixed-density numeric data type (timestamps as
/// int64); returns false, without calling it, for any other type. One switch for every
/// place that needs typed access.
template <typename F> bool visitNumeric(DataType type, F&& f)
{
    switch (type.id()) {
    case DataType::Float64:
        f(double {});
        return true;
    case DataType::Float32:
        f(float {});
        return true;
    case DataType::Int64:
    case DataType::Timestamp:
        f(std::int64_t {});
        return true;
    case DataType::Int32:
        f(std::int32_t {});
        return true;
    case DataType::Int16:
        f(std::int16_t {});
        return true;
    case DataType::Int8:
        f(std::int8_t {});
        return true;
    case DataType::Uint64:
        f(std::uint64_t {});
        return true;
    case DataType::Uint32:
        f(std::uint32_t {});
        return true;
    case DataType::Uint16:
        f(std::uint16_t {});
        return true;
    case DataType::Uint8:
        f(std::uint8_t {});
        return true;
    default:
        return false;
    }
}

} // namespace sightline::core
