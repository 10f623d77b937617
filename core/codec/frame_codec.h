#pragma once

#include "core/error.h"
#include "core/telem/data_type.h"
#include "core/telem/frame.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace sightline::core::codec {

/// Header flag bits of the binary frame codec (protocol §4.5).
namespace FrameFlags {
    inline constexpr std::uint8_t AllChannelsPresent = 0x01;
    inline constexpr std::uint8_t TimeRangesZero = 0x02;
    inline constexpr std::uint8_t EqualTimeRanges = 0x04;
    inline constexpr std::uint8_t EqualLengths = 0x08;
    inline constexpr std::uint8_t EqualAlignments = 0x10;
    inline constexpr std::uint8_t ZeroAlignments = 0x20;
    inline constexpr std::uint8_t Known = 0x3F;
} // namespace FrameFlags

/// A channel of a codec key set, with the type its samples have on the wire.
struct KeyType
{
    ChannelKey key = 0;
    DataType dataType;
};

struct FrameEncodeOptions
{
    /// Omit per-series keys when the frame holds exactly one series for every key of the
    /// state. Correct toward Synnax's Go server (numeric key order); never set it toward a
    /// TypeScript client, whose decoder orders keys as strings (protocol §4.5).
    bool allowAllChannelsPresent = false;
    /// Write the 0xFF "high-performance" prefix byte first.
    bool withPrefix = false;
};

/// The stateful binary frame codec of `application/vnd.synnax.frame`.
/// Each side registers the same sequence of key sets; a frame names the one it uses by its
/// sequence number (1 for the first). Old states are kept (up to MaxRetainedStates) so that
/// frames in flight under an earlier key set still decode.
/// Not thread-safe: owned and used by one thread (a stream's worker).
class FrameCodec
{
public:
    static constexpr std::size_t MaxRetainedStates = 256;

    /// Registers `keys` (any order; a repeated key keeps its first type) as the next state
    /// and returns its sequence number.
    std::uint32_t update(std::span<const KeyType> keys);
    /// The current sequence number; 0 before the first update.
    [[nodiscard]] std::uint32_t seqNum() const { return m_seqNum; }
    /// True when `key` is in the current state.
    [[nodiscard]] bool hasKey(ChannelKey key) const;

    /// Encodes `frame` under the current state, with the most compact flags the frame allows.
    /// Fails with sy.validation when there is no state, a key is not in it, a series' type
    /// does not match its channel's, or a series is larger than the format can describe.
    [[nodiscard]] Result<QByteArray> encode(const Frame& frame,
        const FrameEncodeOptions& options = {}) const;
    /// As encode(), into `out`, reusing its storage when it is large enough (no allocation
    /// per frame on a hot path). `out` is left unchanged on failure.
    [[nodiscard]] Result<void> encodeInto(
        const Frame& frame, QByteArray& out, const FrameEncodeOptions& options = {}) const;

    /// Decodes untrusted bytes (after any prefix byte) under the state their sequence number
    /// names. Never reads out of bounds or allocates beyond what the input holds; truncated
    /// input, unknown flags or keys, contradictory flags and unknown sequence numbers give a
    /// sy.validation error.
    [[nodiscard]] Result<Frame> decode(QByteArrayView bytes) const;

private:
    struct State
    {
        std::vector<ChannelKey> keys; ///< sorted numerically
        std::vector<DataType> types; ///< parallel to keys
        bool hasVariable = false;

        [[nodiscard]] const DataType* typeOf(ChannelKey key) const;
    };

    [[nodiscard]] const State* stateFor(std::uint32_t seqNum) const;

    std::map<std::uint32_t, State> m_states;
    std::uint32_t m_seqNum = 0;
};

} // namespace sightline::core::codec
