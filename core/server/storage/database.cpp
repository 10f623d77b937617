#include "core/server/storage/database.h"

#include "core/server/storage/checkpointer.h"

#include <chrono>
#include <sqlite3.h>
#include <thread>

using namespace Qt::StringLiterals;

namespace sightline::core::server {

namespace {

    /// SQLite's busy handler while another connection (the channel registry's, or the store's)
    /// holds the write lock: retry every millisecond for up to five seconds. SQLite's own
    /// busy_timeout backs off to 100 ms sleeps, which would hold a live commit up far longer
    /// than the lock is held.
    int waitForLock(void*, int attempts)
    {
        constexpr int MaxAttempts = 5000;
        if (attempts >= MaxAttempts)
            return 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return 1;
    }

    /// Log size (in pages) from which a commit asks for a checkpoint (SQLite's default).
    constexpr int CheckpointPages = 1000;

    int requestCheckpoint(void* checkpointer, sqlite3*, const char*, int pages)
    {
        if (pages >= CheckpointPages)
            static_cast<Checkpointer*>(checkpointer)->request();
        return SQLITE_OK;
    }

} // namespace

Error storageError(sqlite3* db, const char* doing)
{
    return Error { errors::Storage,
        u"%1: %2"_s.arg(QString::fromUtf8(doing), QString::fromUtf8(sqlite3_errmsg(db))) };
}

Statement::Statement(sqlite3* db, sqlite3_stmt* statement)
    : m_db(db)
    , m_statement(statement)
{
}

Statement::~Statement() { sqlite3_finalize(m_statement); }

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_statement(std::exchange(other.m_statement, nullptr))
{
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement& Statement::bind(int index, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindUtf8(int index, const QByteArray& utf8)
{
    sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
    return *this;
}

Statement& Statement::bind(int index, const QByteArray& blob)
{
    sqlite3_bind_blob(m_statement, index, blob.constData(), int(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::byte> blob)
{
    sqlite3_bind_blob64(m_statement,
        index,
        blob.data(),
        static_cast<sqlite3_uint64>(blob.size()),
        SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_statement, index, value);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index);
    return *this;
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return tl::unexpected(storageError(m_db, "step"));
}

Result<void> Statement::run()
{
    auto stepped = step();
    reset();
    if (!stepped)
        return tl::unexpected(stepped.error());
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::int64_t Statement::int64At(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QString Statement::textAt(int column) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_statement, column));
}

QByteArray Statement::blobAt(int column) const
{
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(m_statement, column));
    return QByteArray(blob, sqlite3_column_bytes(m_statement, column));
}

QByteArrayView Statement::blobViewAt(int column) const
{
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(m_statement, column));
    return QByteArrayView(blob, sqlite3_column_bytes(m_statement, column));
}

double Statement::doubleAt(int column) const { return sqlite3_column_double(m_statement, column); }

bool Statement::isNullAt(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

QString durabilityName(Durability durability)
{
    return durability == Durability::Full ? u"full"_s : u"process"_s;
}

std::optional<Durability> durabilityFromName(const QString& name)
{
    for (const Durability d : { Durability::Process, Durability::Full })
        if (name == durabilityName(d))
            return d;
    return std::nullopt;
}

Result<std::unique_ptr<Database>> Database::connect(
    const QString& path, int flags, const char* pragmas)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        Error error = storageError(db, "cannot open the database");
        sqlite3_close(db);
        return tl::unexpected(error);
    }
    std::unique_ptr<Database> database(new Database(db));
    sqlite3_busy_handler(db, &waitForLock, nullptr);
    if (auto ok = database->exec(pragmas); !ok)
        return tl::unexpected(ok.error());
    return database;
}

Result<std::unique_ptr<Database>> Database::open(const QString& path, Durability durability)
{
    // WAL: readers never block the writer; a committed transaction is in the log before
    // COMMIT returns, so it survives kill -9 (synchronous=NORMAL defers only the fsync;
    // FULL syncs the log on every commit).
    return connect(path,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
        durability == Durability::Full ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                         "PRAGMA foreign_keys=ON;"
                                       : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                         "PRAGMA foreign_keys=ON;");
}

Result<std::unique_ptr<Database>> Database::openReader(const QString& path)
{
    return connect(path, SQLITE_OPEN_READONLY, "");
}

Database::Database(sqlite3* db)
    : m_db(db)
{
}

Database::~Database() { sqlite3_close(m_db); }

Result<void> Database::exec(const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        Error error { errors::Storage, QString::fromUtf8(message) };
        sqlite3_free(message);
        return tl::unexpected(error);
    }
    return {};
}

std::int64_t Database::changes() const { return sqlite3_changes64(m_db); }

Result<Statement> Database::prepare(const char* sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr)
        != SQLITE_OK)
        return tl::unexpected(storageError(m_db, "prepare"));
    return Statement(m_db, statement);
}

} // namespace sightline::core::server

namespace sightline::core::server {

void Database::checkpointIn(Checkpointer& checkpointer)
{
    sqlite3_wal_hook(m_db, &requestCheckpoint, &checkpointer); // replaces the automatic one
}

Result<void> Database::checkpoint()
{
    if (sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr)
        != SQLITE_OK)
        return tl::unexpected(storageError(m_db, "cannot checkpoint the write-ahead log"));
    return {};
}

Result<void> Database::deleteKeys(const char* table, std::span<const QUuid> keys)
{
    const QByteArray sql = QByteArray("DELETE FROM ") + table + " WHERE key = ?1";
    auto erase = prepare(sql.constData());
    if (!erase)
        return tl::unexpected(erase.error());
    return transaction([&]() -> Result<void> {
        for (const QUuid& key : keys)
            if (auto ok = erase->bind(1, key.toString(QUuid::WithoutBraces)).run(); !ok)
                return ok;
        return {};
    });
}

} // namespace sightline::core::server
