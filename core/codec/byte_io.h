#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sightline::core::codec {

static_assert(std::endian::native == std::endian::little,
    "the Synnax wire format is little-endian; big-endian hosts need byte swapping here");

/// Reads a little-endian T from possibly unaligned bytes.
template <typename T> [[nodiscard]] inline T loadLE(const void* p)
{
    T value;
    std::memcpy(&value, p, sizeof(T));
    return value;
}

/// Writes a little-endian T to possibly unaligned bytes.
template <typename T> inline void storeLE(void* p, T value) { std::memcpy(p, &value, sizeof(T)); }

} // namespace sightline::core::codec
