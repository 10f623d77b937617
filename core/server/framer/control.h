#pragma once

#include "core/telem/channel.h"

#include <QString>

#include <cstdint>
#include <map>
#include <vector>

namespace sightline::core::server {

/// Authority 255 is absolute (Synnax's `Authority.ABSOLUTE`).
using Authority = std::uint8_t;

/// Who a writer writes as (Synnax's `control_subject`).
struct ControlSubject
{
    QString key;
    QString name;
    std::uint32_t group = 0;
};

/// Which open writer controls each channel: the highest authority wins, and among equals the
/// one that has held it longest. Runs on the cluster's thread.
class ControlTable
{
public:
    using WriterId = std::uint64_t;

    /// Registers `writer` on `channel` with `authority` (replacing its earlier authority).
    void acquire(
        WriterId writer, ChannelKey channel, Authority authority, const ControlSubject& subject);
    /// Drops every claim of `writer`.
    void release(WriterId writer);
    /// True when `writer` holds `channel`.
    [[nodiscard]] bool controls(WriterId writer, ChannelKey channel) const;
    /// The subject holding `channel`, when another writer than `writer` does.
    [[nodiscard]] const ControlSubject* heldByOther(WriterId writer, ChannelKey channel) const;

private:
    struct Claim
    {
        WriterId writer = 0;
        Authority authority = 0;
        std::uint64_t since = 0;
        ControlSubject subject;
    };
    [[nodiscard]] const Claim* holder(ChannelKey channel) const;

    std::map<ChannelKey, std::vector<Claim>> m_claims;
    std::uint64_t m_clock = 0;
};

} // namespace sightline::core::server
