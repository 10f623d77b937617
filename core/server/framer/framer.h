#pragma once

#include "core/codec/framer_commands.h"
#include "core/error.h"
#include "core/server/calculation/calculations.h"
#include "core/server/framer/control.h"
#include "core/server/framer/relay.h"
#include "core/server/storage/sample_store.h"
#include "core/telem/frame.h"
#include "core/telem/time.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <vector>

namespace sightline::core::server {

class ChannelRegistry;
class FrameWriter;
class ReadPool;

using codec::WriterMode;

struct WriterConfig
{
    /// Where the writer starts: it controls its channels from here on (a delete there is
    /// refused), and data channels written alone take their stored index's timestamps from
    /// here. Index timestamps before it are accepted, as Synnax accepts them.
    TimeStamp start;
    std::vector<ChannelKey> keys;
    /// One per key, or one for all; 255 (absolute) when empty.
    std::vector<Authority> authorities;
    WriterMode mode = WriterMode::PersistStream;
    bool errOnUnauthorized = false;
    bool enableAutoCommit = true;
    /// The cluster stamps data written without its index: now for the first sample of a
    /// write, 1 ns apart after it (always after the last stamp written). The indexes of the
    /// data channels join the writer.
    bool autoIndex = false;
    ControlSubject subject;
};

/// The cluster's telemetry service: who writes which channel, where written frames go
/// (storage and the streamer relay), and range deletion. Runs on the cluster's thread.
class Framer
{
public:
    Framer(ChannelRegistry& channels, SampleStore& store);

    [[nodiscard]] ChannelRegistry& channels() { return m_channels; }
    [[nodiscard]] SampleStore& store() { return m_store; }
    [[nodiscard]] Relay& relay() { return m_relay; }
    [[nodiscard]] ControlTable& control() { return m_control; }
    /// Where iterators read, off this thread; null reads on this thread (unit tests).
    [[nodiscard]] ReadPool* readPool() { return m_readPool; }
    void setReadPool(ReadPool* pool) { m_readPool = pool; }

    /// Deletes the samples of `keys` in `range`, as Synnax does: sy.query.not_found for an
    /// unknown key; sy.control.unauthorized when an open writer controls one of them over
    /// the range; sy.validation for an index whose data channels (not deleted with it) still
    /// have samples there. Nothing is deleted when refused.
    [[nodiscard]] Result<void> deleteRange(std::span<const ChannelKey> keys, TimeRange range);
    /// Deletes every sample of channels that were just deleted from the registry.
    [[nodiscard]] Result<void> dropChannels(std::span<const ChannelKey> keys);

    /// The data channels indexed by `indexKey`.
    [[nodiscard]] std::vector<ChannelKey> dependentsOf(ChannelKey indexKey) const;
    /// Renumbers alignments stored before they were time-ordered domains (once per database).
    [[nodiscard]] Result<void> upgradeAlignments();

    /// Streams a written frame (of writer group `group`) to the streamers following its
    /// channels, with the calculated channels it completes.
    void publishWritten(const Frame& frame, std::uint32_t group);
    /// Streams a frame of the cluster's own virtual channels (change signals) to the
    /// streamers following them, stamped now.
    void publishSignal(Frame frame);
    /// The alignment of the next `count` samples of virtual channel `key`.
    std::uint64_t takeVirtualAlignment(ChannelKey key, std::uint64_t count);
    [[nodiscard]] ControlTable::WriterId newWriterId() { return ++m_lastWriterId; }
    /// Open writers register themselves, so deletes can respect them.
    void addWriter(const FrameWriter* writer) { m_writers.push_back(writer); }
    void removeWriter(const FrameWriter* writer) { std::erase(m_writers, writer); }

private:
    /// Why `channel` may not lose `range` (a writer controls it there; data of a dependent
    /// not in `deleted` lies there), if so.
    [[nodiscard]] Result<void> checkDeletable(
        const Channel& channel, TimeRange range, std::span<const ChannelKey> deleted);

    ChannelRegistry& m_channels;
    SampleStore& m_store;
    Relay m_relay;
    Calculations m_calculations;
    ControlTable m_control;
    ReadPool* m_readPool = nullptr;
    std::map<ChannelKey, std::uint64_t> m_virtualAlignments;
    ControlTable::WriterId m_lastWriterId = 0;
    std::vector<const FrameWriter*> m_writers;
};

/// One open writer (protocol §7), independent of the transport: validates frames, persists
/// them (at once with auto-commit, else on commit) and relays them to streamers. Closing
/// (destroying) it releases its control and drops uncommitted samples.
class FrameWriter
{
public:
    /// Opens a writer; sy.query.not_found for unknown channels, sy.validation for a bad
    /// configuration, sy.control.unauthorized when `errOnUnauthorized` is set and another
    /// writer holds one of the channels.
    [[nodiscard]] static Result<std::unique_ptr<FrameWriter>> open(Framer& framer,
        WriterConfig config);
    ~FrameWriter();
    FrameWriter(const FrameWriter&) = delete;
    FrameWriter& operator=(const FrameWriter&) = delete;

    /// Writes one frame; sy.validation when it breaks a rule (unknown channel, wrong type,
    /// lengths differing within an index group, timestamps not strictly increasing or
    /// overlapping stored data, a data channel written alone beyond its stored index),
    /// sy.control.unauthorized for a channel it does not control when `errOnUnauthorized` is set
    /// (otherwise those channels are dropped).
    [[nodiscard]] Result<void> write(const Frame& frame);
    /// Persists what was written since the last commit; returns the end of the written
    /// region (last timestamp + 1 ns), or the start when nothing was written.
    [[nodiscard]] Result<TimeStamp> commit();
    /// Changes authorities: `keys[i]` gets `authorities[i]`; empty keys apply
    /// `authorities[0]` to every channel of the writer.
    [[nodiscard]] Result<void> setAuthority(std::span<const ChannelKey> keys,
        std::span<const Authority> authorities);

    [[nodiscard]] TimeStamp end() const { return m_end; }
    /// True when this writer controls every one of its channels.
    [[nodiscard]] bool authorized() const;
    [[nodiscard]] const WriterConfig& config() const { return m_config; }
    [[nodiscard]] ControlTable::WriterId id() const { return m_id; }

private:
    FrameWriter(Framer& framer, WriterConfig config, std::vector<Channel> channels);
    struct Prepared;
    [[nodiscard]] Result<Prepared> prepare(const Frame& frame);
    [[nodiscard]] Result<void> persist(std::vector<StoredChunk> chunks);
    /// With auto_index: adds to `config` the index of each data channel whose index is not
    /// in it (with that channel's authority).
    [[nodiscard]] static Result<void> addIndexesOf(
        Framer& framer, WriterConfig& config, std::vector<Channel>& channels);
    /// Synnax's refusal of a commit ending at `end`, not after the writer's start.
    [[nodiscard]] Error commitBeforeStart(TimeStamp end) const;
    /// With auto_index: `frame` with stamps generated for each index it leaves out.
    [[nodiscard]] Frame withGeneratedStamps(const Frame& frame);
    /// Data channel `key` written alone: its samples take the stored index's timestamps from
    /// the writer's start (or where its last such write ended), one chunk per index chunk.
    [[nodiscard]] Result<std::vector<StoredChunk>> placeOnStoredIndex(ChannelKey key,
        const Series& samples);
    /// The alignment of `count` samples of `indexKey` at `range`: the next ones of this
    /// writer's domain when nothing was stored between, else the first of a new domain
    /// numbered after the region before it (moving later domains up when needed).
    [[nodiscard]] Result<std::uint64_t> claimAlignment(
        ChannelKey indexKey, TimeRange range, std::uint64_t count);

    Framer& m_framer;
    WriterConfig m_config;
    std::map<ChannelKey, Channel> m_channels;
    ControlTable::WriterId m_id;
    TimeStamp m_end;
    /// Last timestamp written per index channel (strictly increasing across writes).
    std::map<ChannelKey, TimeStamp> m_lastStamp;
    std::vector<StoredChunk> m_uncommitted;
    /// Per data channel written without its index: where its next samples go.
    std::map<ChannelKey, TimeStamp> m_placedUpTo;
    /// This writer's current domain per index: the next alignment and the start of the
    /// last region written in it.
    struct Domain
    {
        std::uint64_t next = 0;
        TimeStamp lastStart;
    };
    std::map<ChannelKey, Domain> m_domains;
};

} // namespace sightline::core::server
