#include "core/telem/data_type.h"

#include <array>

using namespace Qt::StringLiterals;

namespace sightline::core {

namespace {

    struct TypeInfo
    {
        DataType::Id id;
        QStringView name;
        int density;
        bool numeric;
    };

    constexpr std::array<TypeInfo, 16> Types { {
        { DataType::Unknown, u"unknown", 0, false },
        { DataType::Float64, u"float64", 8, true },
        { DataType::Float32, u"float32", 4, true },
        { DataType::Int64, u"int64", 8, true },
        { DataType::Int32, u"int32", 4, true },
        { DataType::Int16, u"int16", 2, true },
        { DataType::Int8, u"int8", 1, true },
        { DataType::Uint64, u"uint64", 8, true },
        { DataType::Uint32, u"uint32", 4, true },
        { DataType::Uint16, u"uint16", 2, true },
        { DataType::Uint8, u"uint8", 1, true },
        { DataType::Timestamp, u"timestamp", 8, true },
        { DataType::Uuid, u"uuid", 16, false },
        { DataType::String, u"string", 0, false },
        { DataType::Json, u"json", 0, false },
        { DataType::Bytes, u"bytes", 0, false },
    } };

    const TypeInfo& infoOf(DataType::Id id) { return Types[static_cast<std::size_t>(id)]; }

} // namespace

std::optional<DataType> DataType::fromName(QStringView name)
{
    for (const TypeInfo& info : Types) {
        if (info.id != Unknown && info.name == name)
            return DataType { info.id };
    }
    return std::nullopt;
}

QString DataType::name() const { return infoOf(m_id).name.toString(); }

int DataType::density() const { return infoOf(m_id).density; }

bool DataType::isNumeric() const { return infoOf(m_id).numeric; }

bool DataType::isCompatibleWith(DataType other) const
{
    const auto canonical = [](Id id) { return id == Timestamp ? Int64 : id; };
    return canonical(m_id) == canonical(other.m_id);
}

} // namespace sightline::core
