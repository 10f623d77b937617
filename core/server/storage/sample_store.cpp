#include "core/server/storage/sample_store.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    constexpr const char* Schema = R"sql(
CREATE TABLE IF NOT EXISTS chunks (
    channel     INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    index_start INTEGER NOT NULL,
    offset      INTEGER NOT NULL,
    alignment   INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    data_type   TEXT NOT NULL,
    min         REAL,
    max         REAL,
    data        BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_by_channel_start ON chunks (channel, start);
CREATE INDEX IF NOT EXISTS chunks_by_channel_alignment ON chunks (channel, alignment);
)sql";

    constexpr const char* Columns
        = "channel, start, end, index_start, offset, alignment, count, data_type, data";

    QByteArray selectWhere(const char* condition)
    {
        return "SELECT " + QByteArray(Columns) + " FROM chunks WHERE " + condition;
    }

    /// min and max of a numeric series (NaN samples ignored); nullopt otherwise.
    std::optional<std::pair<double, double>> bounds(const Series& series)
    {
        if (!series.dataType().isNumeric() || series.empty())
            return std::nullopt;
        double low = std::numeric_limits<double>::infinity();
        double high = -low;
        visitNumeric(series.dataType(), [&]<typename T>(T) { // over the samples, no copy
            for (const T sample : series.values<T>()) {
                const auto v = static_cast<double>(sample);
                if (std::isnan(v))
                    continue;
                low = std::min(low, v);
                high = std::max(high, v);
            }
        });
        if (low > high)
            return std::nullopt;
        return std::pair { low, high };
    }

    /// user_version from which alignments are time-ordered domains.
    constexpr std::int64_t AlignmentSchemaVersion = 1;

    /// The index of the first timestamp >= `stamp` in a sorted timestamp series.
    std::size_t lowerBound(const Series& stamps, TimeStamp stamp)
    {
        const auto values = stamps.values<std::int64_t>();
        return static_cast<std::size_t>(
            std::lower_bound(values.begin(), values.end(), stamp.nanoseconds()) - values.begin());
    }

} // namespace

Result<std::unique_ptr<SampleStore>> SampleStore::open(Database& database)
{
    if (auto created = database.exec(Schema); !created)
        return tl::unexpected(created.error());
    std::unique_ptr<SampleStore> store(new SampleStore(database));
    if (auto prepared = store->prepareStatements(); !prepared)
        return tl::unexpected(prepared.error());
    return store;
}

Result<std::unique_ptr<SampleStore>> SampleStore::openReader(Database& database)
{
    std::unique_ptr<SampleStore> store(new SampleStore(database));
    if (auto prepared = store->prepareStatements(); !prepared)
        return tl::unexpected(prepared.error());
    return store;
}

SampleStore::SampleStore(Database& database)
    : m_database(database)
{
}

Result<void> SampleStore::prepareStatements()
{
    auto prepare = [this](std::optional<Statement>& into, const QByteArray& sql) -> Result<void> {
        auto statement = m_database.prepare(sql.constData());
        if (!statement)
            return tl::unexpected(statement.error());
        into.emplace(std::move(*statement));
        return {};
    };
    Result<void> ok = prepare(m_insert,
        "INSERT INTO chunks (channel, start, end, index_start, offset, alignment, count, "
        "data_type, min, max, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (ok)
        ok = prepare(m_atOrBefore,
            selectWhere("channel = ?1 AND start <= ?2 ORDER BY start DESC LIMIT 1"));
    if (ok)
        ok = prepare(m_after, selectWhere("channel = ?1 AND start > ?2 ORDER BY start LIMIT 1"));
    if (ok)
        ok = prepare(m_before,
            selectWhere("channel = ?1 AND start < ?2 ORDER BY start DESC LIMIT 1"));
    if (ok)
        ok = prepare(m_exact, selectWhere("channel = ?1 AND start = ?2"));
    // Spans: the same probes without reading samples (writers check them on every write).
    const auto spanWhere = [](const char* condition) {
        return "SELECT start, end, count, alignment FROM chunks WHERE " + QByteArray(condition);
    };
    if (ok)
        ok = prepare(m_spanAtOrBefore,
            spanWhere("channel = ?1 AND start <= ?2 ORDER BY start DESC LIMIT 1"));
    if (ok)
        ok = prepare(m_spanAfter, spanWhere("channel = ?1 AND start > ?2 ORDER BY start LIMIT 1"));
    if (ok)
        ok = prepare(m_spanBefore,
            spanWhere("channel = ?1 AND start < ?2 ORDER BY start DESC LIMIT 1"));
    if (ok)
        ok = prepare(m_remove, "DELETE FROM chunks WHERE channel = ?1 AND start = ?2");
    return ok;
}

Result<void> SampleStore::insert(const std::vector<StoredChunk>& chunks)
{
    return m_database.transaction([&]() -> Result<void> {
        for (const StoredChunk& chunk : chunks)
            if (auto ok = insertOne(chunk); !ok)
                return ok;
        return {};
    });
}

Result<void> SampleStore::insertOne(const StoredChunk& chunk)
{
    Statement& insert = *m_insert;
    insert.bind(1, std::int64_t(chunk.channel))
        .bind(2, chunk.range.start.nanoseconds())
        .bind(3, chunk.range.end.nanoseconds())
        .bind(4, chunk.indexStart.nanoseconds())
        .bind(5, static_cast<std::int64_t>(chunk.offset))
        .bind(6, static_cast<std::int64_t>(chunk.series.alignment()))
        .bind(7, static_cast<std::int64_t>(chunk.series.size()))
        .bind(8, chunk.series.dataType().name())
        .bind(11, chunk.series.bytes());
    if (const auto minMax = bounds(chunk.series)) {
        insert.bind(9, minMax->first);
        insert.bind(10, minMax->second);
    } else {
        insert.bindNull(9);
        insert.bindNull(10);
    }
    return insert.run();
}

Result<std::optional<StoredChunk>> SampleStore::readChunk(Statement& query)
{
    auto row = query.step();
    if (!row || !*row) {
        query.reset();
        if (!row)
            return tl::unexpected(row.error());
        return std::optional<StoredChunk> {};
    }
    StoredChunk chunk;
    chunk.channel = static_cast<ChannelKey>(query.int64At(0));
    chunk.range = { TimeStamp(query.int64At(1)), TimeStamp(query.int64At(2)) };
    chunk.indexStart = TimeStamp(query.int64At(3));
    chunk.offset = static_cast<std::uint64_t>(query.int64At(4));
    const auto alignment = static_cast<std::uint64_t>(query.int64At(5));
    const auto type = DataType::fromName(query.textAt(7));
    auto series = type ? Series::fromBytes(*type, query.blobViewAt(8), chunk.range, alignment)
                       : Result<Series>(fail(errors::Storage,
                           u"stored chunk has unknown data type %1"_s.arg(query.textAt(7))));
    query.reset();
    if (!series)
        return tl::unexpected(series.error());
    chunk.series = std::move(*series);
    return chunk;
}

Result<std::optional<StoredChunk>> SampleStore::chunkFrom(ChannelKey channel, TimeStamp from)
{
    m_atOrBefore->bind(1, std::int64_t(channel)).bind(2, from.nanoseconds());
    auto holding = readChunk(*m_atOrBefore);
    if (!holding || (*holding && holding->value().range.end > from))
        return holding;
    m_after->bind(1, std::int64_t(channel)).bind(2, from.nanoseconds());
    return readChunk(*m_after);
}

Result<std::optional<StoredChunk>> SampleStore::chunkBefore(ChannelKey channel, TimeStamp before)
{
    m_before->bind(1, std::int64_t(channel)).bind(2, before.nanoseconds());
    return readChunk(*m_before);
}

Result<std::optional<ChunkSpan>> SampleStore::readSpan(Statement& query)
{
    auto row = query.step();
    std::optional<ChunkSpan> span;
    if (row && *row)
        span = ChunkSpan { { TimeStamp(query.int64At(0)), TimeStamp(query.int64At(1)) },
            static_cast<std::uint64_t>(query.int64At(2)),
            static_cast<std::uint64_t>(query.int64At(3)) };
    query.reset();
    if (!row)
        return tl::unexpected(row.error());
    return span;
}

Result<std::optional<ChunkSpan>> SampleStore::spanFrom(ChannelKey channel, TimeStamp from)
{
    m_spanAtOrBefore->bind(1, std::int64_t(channel)).bind(2, from.nanoseconds());
    auto holding = readSpan(*m_spanAtOrBefore);
    if (!holding || (*holding && holding->value().range.end > from))
        return holding;
    m_spanAfter->bind(1, std::int64_t(channel)).bind(2, from.nanoseconds());
    return readSpan(*m_spanAfter);
}

Result<std::optional<ChunkSpan>> SampleStore::spanBefore(ChannelKey channel, TimeStamp before)
{
    m_spanBefore->bind(1, std::int64_t(channel)).bind(2, before.nanoseconds());
    return readSpan(*m_spanBefore);
}

Result<bool> SampleStore::overlaps(ChannelKey channel, TimeRange range)
{
    auto span = spanFrom(channel, range.start);
    if (!span)
        return tl::unexpected(span.error());
    return span->has_value() && (*span)->range.start < range.end;
}

Result<Series> SampleStore::timestampsOf(const StoredChunk& chunk, ChannelKey indexKey)
{
    if (indexKey == chunk.channel)
        return chunk.series;
    m_exact->bind(1, std::int64_t(indexKey)).bind(2, chunk.indexStart.nanoseconds());
    auto index = readChunk(*m_exact);
    if (!index)
        return tl::unexpected(index.error());
    if (!*index || (*index)->series.size() < chunk.offset + chunk.series.size())
        return fail(errors::Storage,
            u"channel %1 has samples at %2 whose timestamps are missing"_s.arg(chunk.channel)
                .arg(chunk.range.start.toIsoString()));
    return (*index)->series.slice(chunk.offset, chunk.offset + chunk.series.size());
}

Result<void> SampleStore::shiftDomains(
    std::span<const ChannelKey> channels, TimeStamp from, std::uint64_t domains)
{
    auto shift = m_database.prepare(
        "UPDATE chunks SET alignment = alignment + ?1 WHERE channel = ?2 AND start >= ?3");
    if (!shift)
        return tl::unexpected(shift.error());
    return m_database.transaction([&]() -> Result<void> {
        for (const ChannelKey channel : channels) {
            shift->bind(1, static_cast<std::int64_t>(alignment::make(domains)))
                .bind(2, std::int64_t(channel))
                .bind(3, from.nanoseconds());
            if (auto ok = shift->run(); !ok)
                return ok;
        }
        return {};
    });
}

Result<bool> SampleStore::needsAlignmentRenumbering()
{
    auto version = m_database.prepare("PRAGMA user_version");
    if (!version)
        return tl::unexpected(version.error());
    auto row = version->step();
    if (!row)
        return tl::unexpected(row.error());
    return *row && version->int64At(0) < AlignmentSchemaVersion;
}

Result<void> SampleStore::renumberAlignments(ChannelKey indexKey,
    std::span<const ChannelKey> dependents)
{
    // Index chunks: the samples stored before them, in time order (domain 0).
    auto index = m_database.prepare(R"sql(
UPDATE chunks SET alignment = ordered.before FROM (
    SELECT start, COALESCE(SUM(count) OVER (ORDER BY start
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM chunks WHERE channel = ?1) AS ordered
WHERE chunks.channel = ?1 AND chunks.start = ordered.start)sql");
    if (!index)
        return tl::unexpected(index.error());
    // Data chunks: their index chunk's alignment plus their offset in it.
    auto data = m_database.prepare(R"sql(
UPDATE chunks SET alignment = paired.alignment + chunks.offset FROM chunks AS paired
WHERE chunks.channel = ?1 AND paired.channel = ?2 AND paired.start = chunks.index_start)sql");
    if (!data)
        return tl::unexpected(data.error());
    return m_database.transaction([&]() -> Result<void> {
        index->bind(1, std::int64_t(indexKey));
        if (auto ok = index->run(); !ok)
            return ok;
        for (const ChannelKey dependent : dependents) {
            data->bind(1, std::int64_t(dependent)).bind(2, std::int64_t(indexKey));
            if (auto ok = data->run(); !ok)
                return ok;
        }
        return {};
    });
}

Result<void> SampleStore::markAlignmentsCurrent()
{
    const QByteArray sql = "PRAGMA user_version = " + QByteArray::number(AlignmentSchemaVersion);
    return m_database.exec(sql.constData());
}

Result<SampleStore::Removal> SampleStore::planRemoval(
    ChannelKey channel, ChannelKey indexKey, TimeRange range)
{
    Removal plan;
    TimeStamp from = range.start;
    while (true) {
        auto chunk = chunkFrom(channel, from);
        if (!chunk)
            return tl::unexpected(chunk.error());
        if (!*chunk || (*chunk)->range.start >= range.end)
            break;
        from = (*chunk)->range.end;
        plan.touched.push_back(std::move(**chunk));
    }
    for (const StoredChunk& chunk : plan.touched) {
        auto stamps = timestampsOf(chunk, indexKey);
        if (!stamps)
            return tl::unexpected(stamps.error());
        const auto values = stamps->values<std::int64_t>();
        const std::size_t cut = lowerBound(*stamps, range.start);
        const std::size_t resume = lowerBound(*stamps, range.end);
        const auto piece = [&](std::size_t first, std::size_t last) {
            StoredChunk part = chunk;
            part.range = { TimeStamp(values[first]), TimeStamp(values[last - 1]) + TimeSpan(1) };
            part.series = chunk.series.slice(first, last);
            part.series.setTimeRange(part.range);
            if (channel == indexKey)
                part.indexStart = part.range.start;
            else
                part.offset = chunk.offset + first;
            return part;
        };
        if (cut > 0)
            plan.kept.push_back(piece(0, cut));
        if (resume < values.size()) {
            plan.kept.push_back(piece(resume, values.size()));
            if (channel == indexKey && resume > 0)
                plan.moves.push_back({ chunk.range.start, plan.kept.back().range.start, resume });
        }
    }
    return plan;
}

Result<void> SampleStore::removeRange(ChannelKey channel,
    ChannelKey indexKey,
    TimeRange range,
    std::span<const ChannelKey> dependents)
{
    std::vector<std::pair<ChannelKey, Removal>> plans;
    for (const ChannelKey dependent : dependents) {
        auto plan = planRemoval(dependent, indexKey, range);
        if (!plan)
            return tl::unexpected(plan.error());
        plans.emplace_back(dependent, std::move(*plan));
    }
    auto own = planRemoval(channel, indexKey, range);
    if (!own)
        return tl::unexpected(own.error());
    plans.emplace_back(channel, std::move(*own));
    auto moveData = m_database.prepare("UPDATE chunks SET index_start = ?1, offset = offset - ?2 "
                                       "WHERE channel = ?3 AND index_start = ?4 AND offset >= ?2");
    if (!moveData)
        return tl::unexpected(moveData.error());
    return m_database.transaction([&]() -> Result<void> {
        for (const auto& [key, plan] : plans) {
            for (const StoredChunk& chunk : plan.touched) {
                m_remove->bind(1, std::int64_t(key)).bind(2, chunk.range.start.nanoseconds());
                if (auto ok = m_remove->run(); !ok)
                    return ok;
            }
            for (const StoredChunk& chunk : plan.kept)
                if (auto ok = insertOne(chunk); !ok)
                    return ok;
        }
        // Data samples after a cut in their index chunk now pair with the index's later piece.
        for (const Removal::Move& move : plans.back().second.moves)
            for (const ChannelKey dependent : dependents) {
                moveData->bind(1, move.to.nanoseconds())
                    .bind(2, static_cast<std::int64_t>(move.shift))
                    .bind(3, std::int64_t(dependent))
                    .bind(4, move.from.nanoseconds());
                if (auto ok = moveData->run(); !ok)
                    return ok;
            }
        return {};
    });
}

Result<std::int64_t> SampleStore::removeChunksBefore(
    ChannelKey channel, TimeStamp before, std::int64_t limit)
{
    auto remove = m_database.prepare(
        "DELETE FROM chunks WHERE rowid IN (SELECT rowid FROM chunks WHERE channel = ?1 "
        "AND start < ?2 AND end <= ?2 ORDER BY start LIMIT ?3)");
    if (!remove)
        return tl::unexpected(remove.error());
    remove->bind(1, std::int64_t(channel)).bind(2, before.nanoseconds()).bind(3, limit);
    if (auto ok = remove->run(); !ok)
        return tl::unexpected(ok.error());
    return m_database.changes();
}

Result<void> SampleStore::removeChannel(ChannelKey channel)
{
    auto remove = m_database.prepare("DELETE FROM chunks WHERE channel = ?1");
    if (!remove)
        return tl::unexpected(remove.error());
    remove->bind(1, std::int64_t(channel));
    return remove->run();
}

} // namespace sightline::core::server
