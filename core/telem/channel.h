#pragma once

#include "core/telem/data_type.h"
#include "core/telem/frame.h"
#include "core/telem/time.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace sightline::core {

/// A server-side operation on a calculated channel (`min`, `max`, `avg`, `none`, `derivative`).
struct ChannelOperation
{
    QString type;
    ChannelKey resetChannel = 0;
    TimeSpan duration;

    friend bool operator==(const ChannelOperation&, const ChannelOperation&) = default;
};

/// A channel record, with every field of Synnax's channel payload (protocol §3).
struct Channel
{
    /// The node key Synnax uses for "free" (virtual/calculated) channels.
    static constexpr std::uint16_t FreeLeaseholder = 4095;

    ChannelKey key = 0;
    QString name;
    std::uint16_t leaseholder = 0;
    DataType dataType;
    bool isIndex = false;
    /// Key of this channel's index channel; its own key for an index; 0 for virtual channels.
    ChannelKey index = 0;
    QString alias;
    bool isVirtual = false;
    bool internal = false;
    QString expression;
    std::vector<ChannelOperation> operations;
    /// 0 = exclusive, 1 = shared.
    int concurrency = 0;
    /// Opaque status object; absent unless the server sent one (never null on the wire).
    std::optional<QJsonObject> status;

    /// The local part of the key (below the leaseholder bits).
    [[nodiscard]] std::uint32_t localKey() const { return key & ((1U << 20) - 1); }
    /// True for a virtual channel with an expression (evaluated by the server).
    [[nodiscard]] bool isCalculated() const { return isVirtual && !expression.isEmpty(); }

    friend bool operator==(const Channel&, const Channel&) = default;
};

/// True when `name` follows Synnax's channel name rule `^[a-zA-Z_][a-zA-Z0-9_]*$`.
[[nodiscard]] bool isValidChannelName(QStringView name);
/// The longest channel name (and alias) accepted, in characters.
inline constexpr qsizetype MaxChannelNameLength = 255;
/// The longest calculated channel expression accepted, in characters.
inline constexpr qsizetype MaxExpressionLength = 64 * 1024;

} // namespace sightline::core
