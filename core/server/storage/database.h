#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUuid>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

struct sqlite3;
struct sqlite3_stmt;

namespace sightline::core::server {

/// A prepared SQLite statement: bind parameters (1-based), step through rows, read columns
/// (0-based). Owned by one thread, like its Database.
class Statement
{
public:
    Statement(sqlite3* db, sqlite3_stmt* statement);
    ~Statement();
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, const QString& text);
    /// Binds UTF-8 text without copying it: `utf8` must outlive the statement's next run.
    Statement& bindUtf8(int index, const QByteArray& utf8);
    Statement& bind(int index, const QByteArray& blob);
    Statement& bind(int index, std::span<const std::byte> blob);
    Statement& bind(int index, double value);
    Statement& bindNull(int index);
    /// Advances to the next row: true with a row, false when done; an error on failure.
    [[nodiscard]] Result<bool> step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    [[nodiscard]] Result<void> run();
    void reset();

    [[nodiscard]] std::int64_t int64At(int column) const;
    [[nodiscard]] QString textAt(int column) const;
    [[nodiscard]] QByteArray blobAt(int column) const;
    /// The blob of `column` without copying; valid until the next step or reset.
    [[nodiscard]] QByteArrayView blobViewAt(int column) const;
    [[nodiscard]] double doubleAt(int column) const;
    [[nodiscard]] bool isNullAt(int column) const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_statement;
};

/// How hard a commit holds on to its data (docs/STORAGE.md has the measured costs).
enum class Durability {
    /// Committed transactions are in the write-ahead log when COMMIT returns: they survive
    /// the process being killed, but the last ones may be lost to an OS crash or power loss
    /// (SQLite synchronous=NORMAL: the log is synced at checkpoints only).
    Process,
    /// Every commit is synced to disk before it returns (synchronous=FULL): survives power
    /// loss, at the cost of one fsync per commit.
    Full,
};

/// `durability`'s command-line name (process, full), and back; nullopt for an unknown name.
[[nodiscard]] QString durabilityName(Durability durability);
[[nodiscard]] std::optional<Durability> durabilityFromName(const QString& name);

class Checkpointer;

/// An SQLite database in WAL mode: a committed transaction survives the process being killed.
/// Not thread-safe: one owner thread.
class Database
{
public:
    /// Opens (creating when missing) the database file at `path`.
    [[nodiscard]] static Result<std::unique_ptr<Database>> open(const QString& path,
        Durability durability = Durability::Process);
    /// A read-only connection to an existing database (for reads on another thread).
    [[nodiscard]] static Result<std::unique_ptr<Database>> openReader(const QString& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs one or more statements that return no rows.
    [[nodiscard]] Result<void> exec(const char* sql);
    [[nodiscard]] Result<Statement> prepare(const char* sql);
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    [[nodiscard]] std::int64_t changes() const;

    /// Leaves this connection's write-ahead-log checkpoints to `checkpointer` (which must
    /// outlive it): without, SQLite runs one inside the COMMIT that fills the log (copying
    /// and syncing megabytes on the committing thread, which holds up live frames).
    void checkpointIn(Checkpointer& checkpointer);
    /// Copies what it can of the log into the database without waiting for readers or
    /// writers (SQLite's passive checkpoint).
    [[nodiscard]] Result<void> checkpoint();

    /// Deletes the rows of `table` (a name written in code, never input) whose `key` column
    /// holds one of `keys` as UUID text without braces, in one transaction.
    [[nodiscard]] Result<void> deleteKeys(const char* table, std::span<const QUuid> keys);

    /// Runs `body` inside one transaction: committed when it succeeds, rolled back when it
    /// fails (and when COMMIT itself fails, e.g. on a full disk).
    template <typename Body> [[nodiscard]] Result<void> transaction(Body&& body)
    {
        if (auto begun = exec("BEGIN IMMEDIATE"); !begun)
            return begun;
        Result<void> done = body();
        if (done)
            done = exec("COMMIT");
        if (!done)
            (void)exec("ROLLBACK");
        return done;
    }

private:
    explicit Database(sqlite3* db);
    /// Opens a connection with SQLite `flags` and runs `pragmas` on it.
    [[nodiscard]] static Result<std::unique_ptr<Database>> connect(
        const QString& path, int flags, const char* pragmas);
    sqlite3* m_db;
};

/// The storage error for the last failure on `db` (type sy.unexpected.storage).
[[nodiscard]] Error storageError(sqlite3* db, const char* doing);

} // namespace sightline::core::server
