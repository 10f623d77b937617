#include "core/server/framer/framer.h"

#include "core/server/channel_registry.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr Authority AbsoluteAuthority = 255;

    bool isStorageFailure(const Error& error) { return error.matches(errors::Storage); }

    QString describe(const Channel& channel)
    {
        return u"%1 (%2)"_s.arg(channel.name).arg(channel.key);
    }

    /// Checks an index series: strictly increasing (across the writer's writes too). Stamps
    /// before the writer's start are accepted, as Synnax accepts them.
    Result<void> checkStamps(
        const Channel& index, const Series& stamps, std::optional<TimeStamp> lastWritten)
    {
        const auto values = stamps.values<std::int64_t>();
        if (values.empty())
            return {};
        if (lastWritten && values.front() <= lastWritten->nanoseconds())
            return fail(errors::Validation,
                u"index %1 timestamps must be strictly increasing: %2 follows %3"_s.arg(
                    describe(index),
                    TimeStamp(values.front()).toIsoString(),
                    lastWritten->toIsoString()));
        for (std::size_t i = 1; i < values.size(); ++i)
            if (values[i] <= values[i - 1])
                return fail(errors::Validation,
                    u"index %1 timestamps must be strictly increasing: sample %2 (%3) follows "
                    u"%4"_s.arg(describe(index))
                        .arg(i)
                        .arg(TimeStamp(values[i]).toIsoString(),
                            TimeStamp(values[i - 1]).toIsoString()));
        return {};
    }

    /// Sorts a writer's keys (a client may send them in any order) and drops repeats, keeping
    /// per-key authorities with their keys.
    void sortKeys(WriterConfig& config)
    {
        std::vector<std::pair<ChannelKey, Authority>> pairs;
        const bool perKey = config.authorities.size() == config.keys.size();
        for (std::size_t i = 0; i < config.keys.size(); ++i)
            pairs.emplace_back(config.keys[i], perKey ? config.authorities[i] : Authority(0));
        std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
            return a.first < b.first;
        });
        pairs.erase(std::unique(pairs.begin(),
                        pairs.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            pairs.end());
        config.keys.clear();
        if (perKey)
            config.authorities.clear();
        for (const auto& [key, authority] : pairs) {
            config.keys.push_back(key);
            if (perKey)
                config.authorities.push_back(authority);
        }
    }

} // namespace

// ---- Framer ------------------------------------------------------------------------------

Framer::Framer(ChannelRegistry& channels, SampleStore& store)
    : m_channels(channels)
    , m_store(store)
{
}

Result<void> Framer::deleteRange(std::span<const ChannelKey> keys, TimeRange range)
{
    auto channels = m_channels.retrieveByKeys(keys);
    if (!channels)
        return tl::unexpected(channels.error());
    for (const Channel& channel : *channels) {
        if (auto allowed = checkDeletable(channel, range, keys); !allowed)
            return allowed;
    }
    // Data channels first, then indexes (each index's remaining data is its own deletion).
    std::stable_partition(channels->begin(), channels->end(), [](const Channel& channel) {
        return !channel.isIndex;
    });
    for (const Channel& channel : *channels) {
        if (channel.isVirtual)
            continue;
        const std::vector<ChannelKey> dependents
            = channel.isIndex ? dependentsOf(channel.key) : std::vector<ChannelKey> {};
        if (auto removed = m_store.removeRange(channel.key, channel.index, range, dependents);
            !removed)
            return removed;
    }
    return {};
}

Result<void> Framer::checkDeletable(
    const Channel& channel, TimeRange range, std::span<const ChannelKey> deleted)
{
    for (const FrameWriter* writer : m_writers) {
        const auto& held = writer->config().keys;
        const bool controlled = std::find(held.begin(), held.end(), channel.key) != held.end()
            && m_control.controls(writer->id(), channel.key);
        if (controlled && range.end > writer->config().start)
            return fail(errors::Unauthorized,
                u"cannot delete %1 over %2: the writer '%3' controls it from %4"_s.arg(
                    describe(channel),
                    range.toString(),
                    writer->config().subject.name,
                    writer->config().start.toIsoString()));
    }
    if (!channel.isIndex || channel.isVirtual)
        return {};
    for (const ChannelKey dependent : dependentsOf(channel.key)) {
        if (std::find(deleted.begin(), deleted.end(), dependent) != deleted.end())
            continue;
        auto holdsData = m_store.overlaps(dependent, range);
        if (!holdsData)
            return tl::unexpected(holdsData.error());
        if (*holdsData) {
            const auto other = m_channels.find(dependent);
            return fail(errors::Validation,
                u"cannot delete index channel %1 with channel %2 depending on it on the time "
                "range %3"_s.arg(describe(channel),
                    other ? describe(*other) : QString::number(dependent),
                    range.toString()));
        }
    }
    return {};
}

Result<void> Framer::dropChannels(std::span<const ChannelKey> keys)
{
    for (const ChannelKey key : keys)
        if (auto removed = m_store.removeChannel(key); !removed)
            return removed;
    return {};
}

std::vector<ChannelKey> Framer::dependentsOf(ChannelKey indexKey) const
{
    std::vector<ChannelKey> dependents;
    for (const Channel& other : m_channels.all())
        if (!other.isIndex && !other.isVirtual && other.index == indexKey)
            dependents.push_back(other.key);
    return dependents;
}

Result<void> Framer::upgradeAlignments()
{
    auto needed = m_store.needsAlignmentRenumbering();
    if (!needed || !*needed)
        return needed ? Result<void> {} : tl::unexpected(needed.error());
    for (const Channel& channel : m_channels.all())
        if (channel.isIndex && !channel.isVirtual)
            if (auto renumbered
                = m_store.renumberAlignments(channel.key, dependentsOf(channel.key));
                !renumbered)
                return renumbered;
    return m_store.markAlignmentsCurrent();
}

void Framer::publishWritten(const Frame& frame, std::uint32_t group)
{
    m_relay.publish(frame, group);
    m_calculations.refresh(m_channels);
    if (m_calculations.empty())
        return;
    // Calculated samples come from the cluster, not the writer: no group excludes them.
    if (const Frame derived = m_calculations.derive(frame); !derived.empty())
        m_relay.publish(derived, 0);
}

void Framer::publishSignal(Frame frame)
{
    const TimeStamp now = TimeStamp::now();
    Frame stamped;
    for (std::size_t i = 0; i < frame.size(); ++i) {
        Series series = frame.seriesAt(i);
        series.setTimeRange({ now, now + TimeSpan(1) });
        series.setAlignment(takeVirtualAlignment(frame.keyAt(i), series.size()));
        stamped.add(frame.keyAt(i), std::move(series));
    }
    m_relay.publish(stamped, 0);
}

std::uint64_t Framer::takeVirtualAlignment(ChannelKey key, std::uint64_t count)
{
    std::uint64_t& next = m_virtualAlignments[key];
    const std::uint64_t taken = next;
    next += count;
    return taken;
}

// ---- FrameWriter -------------------------------------------------------------------------

/// A frame checked and joined per channel, ready to persist and relay.
struct FrameWriter::Prepared
{
    std::map<ChannelKey, Series> series;
    /// Index key → the data channels written with it in this frame.
    std::map<ChannelKey, std::vector<ChannelKey>> groups;
    /// Data channels written without their index: placed on its stored timestamps.
    std::vector<ChannelKey> alone;
};

Result<std::unique_ptr<FrameWriter>> FrameWriter::open(Framer& framer, WriterConfig config)
{
    sortKeys(config);
    if (config.keys.empty())
        return fail(errors::Validation, u"a writer needs at least one channel"_s);
    if (config.authorities.empty())
        config.authorities = { AbsoluteAuthority };
    if (config.authorities.size() != 1 && config.authorities.size() != config.keys.size())
        return fail(errors::Validation,
            u"a writer needs one authority, or one per channel (%1 for %2 channels)"_s
                .arg(config.authorities.size())
                .arg(config.keys.size()));
    auto channels = framer.channels().retrieveByKeys(config.keys);
    if (!channels)
        return tl::unexpected(channels.error());
    if (config.autoIndex) { // the indexes of its data channels join the writer, as in Synnax
        if (auto added = addIndexesOf(framer, config, *channels); !added)
            return tl::unexpected(added.error());
        sortKeys(config);
        if (config.start == TimeStamp())
            config.start = TimeStamp::now();
    }
    for (const Channel& channel : *channels) {
        if (channel.isVirtual || !channel.isIndex)
            continue;
        const bool persists = config.mode != WriterMode::Stream;
        auto overlapping
            = framer.store().overlaps(channel.key, { config.start, config.start + TimeSpan(1) });
        if (!overlapping)
            return tl::unexpected(overlapping.error());
        if (persists && *overlapping)
            return fail(errors::Validation,
                u"writer start %1 falls inside data already stored for index %2"_s.arg(
                    config.start.toIsoString(),
                    describe(channel)));
    }
    std::unique_ptr<FrameWriter> writer(
        new FrameWriter(framer, std::move(config), std::move(*channels)));
    if (writer->m_config.errOnUnauthorized)
        for (const ChannelKey key : writer->m_config.keys)
            if (const ControlSubject* holder = framer.control().heldByOther(writer->m_id, key))
                return fail(errors::Unauthorized,
                    u"%1 is controlled by %2"_s.arg(describe(writer->m_channels.at(key)),
                        holder->name.isEmpty() ? holder->key : holder->name));
    return writer;
}

Result<void> FrameWriter::addIndexesOf(
    Framer& framer, WriterConfig& config, std::vector<Channel>& channels)
{
    const std::vector<Channel> given = channels;
    for (std::size_t i = 0; i < given.size(); ++i) {
        const Channel& channel = given[i];
        const auto& keys = config.keys;
        if (channel.isVirtual || channel.isIndex
            || std::find(keys.begin(), keys.end(), channel.index) != keys.end())
            continue;
        auto index = framer.channels().retrieveByKeys(std::vector { channel.index });
        if (!index)
            return tl::unexpected(index.error());
        config.keys.push_back(channel.index);
        if (config.authorities.size() > 1)
            config.authorities.push_back(config.authorities[i]);
        channels.push_back(index->front());
    }
    return {};
}

Frame FrameWriter::withGeneratedStamps(const Frame& frame)
{
    Frame out = frame;
    for (const auto& [key, channel] : m_channels) {
        if (!channel.isIndex || channel.isVirtual || frame.contains(key))
            continue;
        const auto member
            = std::find_if(m_channels.begin(), m_channels.end(), [&](const auto& entry) {
                  return !entry.second.isIndex && entry.second.index == key
                      && frame.contains(entry.first);
              });
        if (member == m_channels.end())
            continue;
        const auto data = frame.concatenated(member->first);
        if (!data || data->empty())
            continue;
        // Now, or just after the last stamp written, 1 ns apart: strictly increasing always.
        TimeStamp next = TimeStamp::now();
        if (const auto last = m_lastStamp.find(key); last != m_lastStamp.end())
            next = std::max(next, last->second + TimeSpan(1));
        std::vector<TimeStamp> stamps;
        for (std::size_t i = 0; i < data->size(); ++i)
            stamps.push_back(next + TimeSpan(std::int64_t(i)));
        out.add(key, Series::fromTimeStamps(stamps));
    }
    return out;
}

FrameWriter::FrameWriter(Framer& framer, WriterConfig config, std::vector<Channel> channels)
    : m_framer(framer)
    , m_config(std::move(config))
    , m_id(framer.newWriterId())
    , m_end(m_config.start)
{
    m_framer.addWriter(this);
    // Synnax names a writer that did not name itself, so control errors can say who holds.
    if (m_config.subject.key.isEmpty())
        m_config.subject.key = u"writer-%1"_s.arg(m_id);
    if (m_config.subject.name.isEmpty())
        m_config.subject.name = m_config.subject.key;
    for (Channel& channel : channels)
        m_channels.emplace(channel.key, std::move(channel));
    for (std::size_t i = 0; i < m_config.keys.size(); ++i) {
        const Authority authority = m_config.authorities[m_config.authorities.size() == 1 ? 0 : i];
        m_framer.control().acquire(m_id, m_config.keys[i], authority, m_config.subject);
    }
}

FrameWriter::~FrameWriter()
{
    m_framer.removeWriter(this);
    m_framer.control().release(m_id);
}

bool FrameWriter::authorized() const
{
    return std::all_of(m_config.keys.begin(), m_config.keys.end(), [this](ChannelKey key) {
        return m_framer.control().controls(m_id, key);
    });
}

Result<FrameWriter::Prepared> FrameWriter::prepare(const Frame& frame)
{
    Prepared prepared;
    for (const ChannelKey key : frame.uniqueKeys()) {
        const auto channel = m_channels.find(key);
        if (channel == m_channels.end())
            return fail(errors::Validation,
                u"channel %1 is not one of the writer's channels"_s.arg(key));
        if (!m_framer.control().controls(m_id, key)) {
            if (m_config.errOnUnauthorized)
                return fail(errors::Unauthorized,
                    u"writer has no control of %1"_s.arg(describe(channel->second)));
            continue;
        }
        auto joined = frame.concatenated(key);
        if (!joined)
            return tl::unexpected(joined.error());
        if (joined->dataType() != channel->second.dataType)
            return fail(errors::Validation,
                u"%1 holds %2 samples, but %3 were written"_s.arg(describe(channel->second),
                    channel->second.dataType.name(),
                    joined->dataType().name()));
        prepared.series.emplace(key, std::move(*joined));
    }
    for (const auto& [key, series] : prepared.series) {
        const Channel& channel = m_channels.at(key);
        if (channel.isVirtual)
            continue;
        if (channel.isIndex) {
            prepared.groups[key];
            continue;
        }
        const auto index = prepared.series.find(channel.index);
        if (index == prepared.series.end()) {
            prepared.alone.push_back(key);
            continue;
        }
        if (index->second.size() != series.size())
            return fail(errors::Validation,
                u"%1 has %2 samples but its index %3 has %4"_s.arg(describe(channel))
                    .arg(series.size())
                    .arg(describe(m_channels.at(channel.index)))
                    .arg(index->second.size()));
        prepared.groups[channel.index].push_back(key);
    }
    for (const auto& [indexKey, members] : prepared.groups) {
        const Series& stamps = prepared.series.at(indexKey);
        const auto last = m_lastStamp.find(indexKey);
        if (auto ok = checkStamps(m_channels.at(indexKey),
                stamps,
                last == m_lastStamp.end() ? std::nullopt : std::optional(last->second));
            !ok)
            return tl::unexpected(ok.error());
        if (stamps.empty() || m_config.mode == WriterMode::Stream)
            continue;
        const auto values = stamps.values<std::int64_t>();
        const TimeRange range { TimeStamp(values.front()), TimeStamp(values.back()) + TimeSpan(1) };
        if (m_config.enableAutoCommit && std::max(range.end, m_end) <= m_config.start)
            return tl::unexpected(commitBeforeStart(range.end));
        auto overlapping = m_framer.store().overlaps(indexKey, range);
        if (!overlapping)
            return tl::unexpected(overlapping.error());
        if (*overlapping)
            return fail(errors::Validation,
                u"samples of %1 in %2 overlap data already stored"_s.arg(
                    describe(m_channels.at(indexKey)),
                    range.toString()));
    }
    return prepared;
}

Result<void> FrameWriter::write(const Frame& frame)
{
    auto prepared = prepare(m_config.autoIndex ? withGeneratedStamps(frame) : frame);
    if (!prepared)
        return tl::unexpected(prepared.error());
    const bool persists = m_config.mode != WriterMode::Stream;
    const bool streams = m_config.mode != WriterMode::Persist;
    std::vector<StoredChunk> chunks;
    Frame relayed;
    // Cursor moves, applied only once the write has gone through.
    struct Advance
    {
        ChannelKey index;
        TimeStamp last;
        TimeStamp start;
        std::uint64_t nextAlignment;
    };
    std::vector<Advance> advances;
    for (const auto& [indexKey, members] : prepared->groups) {
        Series& stamps = prepared->series.at(indexKey);
        if (stamps.empty())
            continue;
        const auto values = stamps.values<std::int64_t>();
        const TimeRange range { TimeStamp(values.front()), TimeStamp(values.back()) + TimeSpan(1) };
        auto alignment = claimAlignment(indexKey, range, stamps.size());
        if (!alignment)
            return tl::unexpected(alignment.error());
        advances.push_back(
            { indexKey, TimeStamp(values.back()), range.start, *alignment + stamps.size() });
        std::vector<ChannelKey> group = members;
        group.insert(group.begin(), indexKey);
        for (const ChannelKey key : group) {
            Series& series = prepared->series.at(key);
            const TimeRange written = series.timeRange();
            series.setAlignment(*alignment);
            if (persists) {
                Series stored = series;
                stored.setTimeRange(range);
                chunks.push_back({ key, range, range.start, 0, std::move(stored) });
            }
            // Streamers see the writer's time range unchanged (Synnax keeps it).
            series.setTimeRange(written.isZero() ? range : written);
        }
    }
    std::map<ChannelKey, TimeStamp> placedUpTo;
    for (const ChannelKey key : prepared->alone) {
        Series& series = prepared->series.at(key);
        if (series.empty())
            continue;
        auto pieces = placeOnStoredIndex(key, series);
        if (!pieces)
            return tl::unexpected(pieces.error());
        const TimeRange spanned { pieces->front().range.start, pieces->back().range.end };
        series.setAlignment(pieces->front().series.alignment());
        series.setTimeRange(spanned);
        placedUpTo[key] = spanned.end;
        if (persists)
            std::move(pieces->begin(), pieces->end(), std::back_inserter(chunks));
    }
    for (auto& [key, series] : prepared->series) {
        const Channel& channel = m_channels.at(key);
        if (channel.isVirtual)
            series.setAlignment(m_framer.takeVirtualAlignment(key, series.size()));
        if (streams && (channel.isVirtual || !series.empty()))
            relayed.add(key, series);
    }
    Result<void> stored;
    if (persists && !chunks.empty()) {
        if (m_config.enableAutoCommit)
            stored = persist(std::move(chunks));
        else
            std::move(chunks.begin(), chunks.end(), std::back_inserter(m_uncommitted));
    }
    // A frame the storage could not keep (a full disk) is still streamed: live views keep
    // working and the writer is told. A frame that breaks a rule goes nowhere.
    if (!stored && !isStorageFailure(stored.error()))
        return stored;
    for (const Advance& advance : advances) {
        m_domains[advance.index] = { advance.nextAlignment, advance.start };
        m_lastStamp[advance.index] = advance.last;
        m_end = std::max(m_end, advance.last + TimeSpan(1));
    }
    for (const auto& [key, end] : placedUpTo) {
        m_placedUpTo[key] = end;
        m_end = std::max(m_end, end);
    }
    if (streams && !relayed.empty())
        m_framer.publishWritten(relayed, m_config.subject.group);
    return stored;
}

Error FrameWriter::commitBeforeStart(TimeStamp end) const
{
    return Error { errors::Validation,
        u"commit timestamp %1 must be strictly greater than the starting timestamp %2: write "
        "samples at or after the writer's start"_s.arg(end.toIsoString(),
            m_config.start.toIsoString()) };
}

Result<std::vector<StoredChunk>> FrameWriter::placeOnStoredIndex(ChannelKey key,
    const Series& samples)
{
    const Channel& channel = m_channels.at(key);
    SampleStore& store = m_framer.store();
    const auto placed = m_placedUpTo.find(key);
    TimeStamp cursor = placed == m_placedUpTo.end() ? m_config.start : placed->second;
    std::vector<StoredChunk> pieces;
    std::size_t done = 0;
    while (done < samples.size()) {
        auto index = store.chunkFrom(channel.index, cursor);
        if (!index)
            return tl::unexpected(index.error());
        if (!*index)
            return fail(errors::Validation,
                u"%1 was written without its index channel %2, which has no timestamps for its "
                "last %3 samples (from %4): write the index first, or both together"_s
                    .arg(describe(channel))
                    .arg(channel.index)
                    .arg(samples.size() - done)
                    .arg(cursor.toIsoString()));
        const auto stamps = (*index)->series.values<std::int64_t>();
        const auto first = static_cast<std::size_t>(
            std::lower_bound(stamps.begin(), stamps.end(), cursor.nanoseconds()) - stamps.begin());
        const std::size_t take = std::min(stamps.size() - first, samples.size() - done);
        if (take == 0) { // no stamp at or after the cursor in this chunk: look further on
            cursor = (*index)->range.end;
            continue;
        }
        const TimeRange range { TimeStamp(stamps[first]),
            TimeStamp(stamps[first + take - 1]) + TimeSpan(1) };
        auto overlapping = store.overlaps(key, range);
        if (!overlapping)
            return tl::unexpected(overlapping.error());
        if (*overlapping)
            return fail(errors::Validation,
                u"samples of %1 in %2 overlap data already stored"_s.arg(describe(channel),
                    range.toString()));
        Series piece = samples.slice(done, done + take);
        piece.setAlignment((*index)->series.alignment() + first);
        piece.setTimeRange(range);
        pieces.push_back({ key, range, (*index)->range.start, first, std::move(piece) });
        done += take;
        cursor = range.end;
    }
    return pieces;
}

Result<void> FrameWriter::persist(std::vector<StoredChunk> chunks)
{
    for (const StoredChunk& chunk : chunks) {
        if (!m_channels.at(chunk.channel).isIndex)
            continue;
        auto overlapping = m_framer.store().overlaps(chunk.channel, chunk.range);
        if (!overlapping)
            return tl::unexpected(overlapping.error());
        if (*overlapping)
            return fail(errors::Validation,
                u"samples of %1 in %2 overlap data stored by another writer"_s.arg(
                    describe(m_channels.at(chunk.channel)),
                    chunk.range.toString()));
    }
    return m_framer.store().insert(chunks);
}

Result<std::uint64_t> FrameWriter::claimAlignment(
    ChannelKey indexKey, TimeRange range, std::uint64_t count)
{
    SampleStore& store = m_framer.store();
    auto before = store.spanBefore(indexKey, range.start);
    if (!before)
        return tl::unexpected(before.error());
    const auto open = m_domains.find(indexKey);
    if (open != m_domains.end()) {
        const Domain& domain = open->second;
        const bool nothingBetween = !*before || (*before)->range.start <= domain.lastStart;
        const bool fits = alignment::sampleOf(domain.next) + count <= alignment::SamplesPerDomain
            && alignment::sampleOf(domain.next) != 0;
        if (nothingBetween && fits)
            return domain.next;
    }
    std::uint64_t domain = 0;
    if (*before) {
        const std::uint64_t lastOfBefore = (*before)->alignment + (*before)->count - 1;
        domain = alignment::domainOf(lastOfBefore) + 1;
    }
    if (open != m_domains.end() && open->second.lastStart < range.start)
        domain = std::max(domain, alignment::domainOf(open->second.next - 1) + 1);
    // A region written into a gap: the domains after it move up to make room.
    auto after = store.spanFrom(indexKey, range.start);
    if (!after)
        return tl::unexpected(after.error());
    if (*after && alignment::domainOf((*after)->alignment) <= domain) {
        std::vector<ChannelKey> moved = m_framer.dependentsOf(indexKey);
        moved.push_back(indexKey);
        const std::uint64_t by = domain - alignment::domainOf((*after)->alignment) + 1;
        if (auto shifted = store.shiftDomains(moved, (*after)->range.start, by); !shifted)
            return tl::unexpected(shifted.error());
    }
    return alignment::make(domain);
}

Result<TimeStamp> FrameWriter::commit()
{
    if (!m_uncommitted.empty()) {
        if (m_end <= m_config.start) // everything written lies before the start
            return tl::unexpected(commitBeforeStart(m_end));
        auto stored = persist(std::move(m_uncommitted));
        m_uncommitted.clear();
        if (!stored)
            return tl::unexpected(stored.error());
    }
    return m_end;
}

Result<void> FrameWriter::setAuthority(std::span<const ChannelKey> keys,
    std::span<const Authority> authorities)
{
    if (authorities.empty())
        return fail(errors::Validation, u"set authority needs at least one authority"_s);
    if (keys.empty()) {
        for (const ChannelKey key : m_config.keys)
            m_framer.control().acquire(m_id, key, authorities[0], m_config.subject);
        return {};
    }
    if (authorities.size() != 1 && authorities.size() != keys.size())
        return fail(errors::Validation, u"set authority needs one authority, or one per channel"_s);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!m_channels.contains(keys[i]))
            return fail(errors::Validation,
                u"channel %1 is not one of the writer's channels"_s.arg(keys[i]));
        m_framer.control().acquire(m_id,
            keys[i],
            authorities[authorities.size() == 1 ? 0 : i],
            m_config.subject);
    }
    return {};
}

} // namespace sightline::core::server
