#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/Statement.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>

#include "common/clock.h"
#include "common/logging.h"
#include "store/sqlite/migrations.h"
#include "store/sql/sql_transaction.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_status.h"

namespace rampart::sqlite {
namespace {

std::shared_ptr<spdlog::logger> Logger() {
  static const auto logger = NamedLogger("store");
  return logger;
}

Status FailedState(const std::string& message) {
  return Status::Error(StatusCode::kFailedState, message, "", "failed_state");
}

int NewestKnownVersion() { return Migrations().back().version; }

Status ApplyMigrations(SQLite::Database& db, const std::string& path) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  int current = db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_version").getInt();
  if (current > NewestKnownVersion()) {
    return FailedState("database " + path + " has schema version " + std::to_string(current) +
                       ", newer than this rampartd supports (" +
                       std::to_string(NewestKnownVersion()) +
                       "); run a newer rampartd or restore a backup");
  }
  SystemClock clock;
  for (const Migration& migration : Migrations()) {
    if (migration.version <= current) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(migration.sql);
      SQLite::Statement record(db,
                               "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
      record.bind(1, migration.version);
      record.bind(2, static_cast<int64_t>(clock.Now()));
      record.exec();
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    Logger()->info("applied schema migration {} ({})", migration.version, migration.description);
  }
  return Status::Ok();
}

// Chains the audit events older than the hash chain (migration 8), once.
Status ChainOlderAuditEvents(SQLite::Database& db) {
  if (db.execAndGet("SELECT COUNT(*) FROM audit_chain_backfill").getInt64() == 0) {
    return Status::Ok();
  }
  db.exec("BEGIN IMMEDIATE");
  try {
    SqliteConnection connection(db);
    sql::SqlTransaction transaction(connection, /*change_number=*/0);
    int64_t up_to = db.execAndGet("SELECT up_to_sequence FROM audit_chain_backfill").getInt64();
    Status chained = transaction.ChainOlderAuditEvents(up_to);
    if (chained.ok()) db.exec("DELETE FROM audit_chain_backfill");
    db.exec(chained.ok() ? "COMMIT" : "ROLLBACK");
    if (!chained.ok()) return chained;
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
  Logger()->info("chained the audit events written before the hash chain");
  return Status::Ok();
}

}  // namespace

std::string SqliteStore::DatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "rampart.db").string();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& data_dir,
                                                       bool create_if_missing, Durability durability) {
  const std::string path = DatabasePath(data_dir);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (!create_if_missing) {
      return FailedState("no Rampart database at " + path +
                         ": run `rampartd bootstrap --data-dir " + data_dir +
                         " --organization NAME` first");
    }
    std::filesystem::create_directories(data_dir, error);
    if (error) {
      return FailedState("cannot create data dir " + data_dir + ": " + error.message());
    }
  }
  // SQLite would open a write-protected file read-only and fail only at the first write,
  // and needs the directory writable for its WAL files: refuse at startup instead.
  for (const std::string& needed : {data_dir, path}) {
    if (std::filesystem::exists(needed, error) && access(needed.c_str(), R_OK | W_OK) != 0) {
      return FailedState(needed + " is not writable by this process (uid " + std::to_string(geteuid()) +
                         "): rampartd needs read and write permission on its data dir and the files in it");
    }
  }
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db->exec("PRAGMA busy_timeout = 5000");
    std::string integrity = db->execAndGet("PRAGMA quick_check").getString();
    if (integrity != "ok") {
      return FailedState("database " + path + " is corrupt (" + integrity +
                         "); restore it from a backup");
    }
    std::string mode = db->execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal") return FailedState("cannot enable WAL journal on " + path);
    // FULL: every commit is fsynced before Write returns (durable acknowledgements). OFF
    // leaves writing back to the kernel: a killed process loses nothing, a power cut may.
    db->exec(durability == Durability::kFsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF");
    db->exec("PRAGMA foreign_keys = ON");
    RAMPART_RETURN_IF_ERROR(ApplyMigrations(*db, path));
    RAMPART_RETURN_IF_ERROR(ChainOlderAuditEvents(*db));
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_FULL) {
      return FailedState("cannot open database " + path + ": no space left on the disk of " + data_dir +
                         "; free space and retry");
    }
    return FailedState("cannot open database " + path + ": " + e.what());
  }
}

SqliteStore::SqliteStore(std::unique_ptr<SQLite::Database> database)
    : database_(std::move(database)) {}

int SqliteStore::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mutex_);
  return database_->execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_version").getInt();
}

Status SqliteStore::Read(const TransactionFunction& work) { return Run(false, work); }

Status SqliteStore::Write(const TransactionFunction& work) {
  // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on
  // lock upgrade when another process (an operator's `audit verify`) holds the file.
  Status status = Run(true, work);
  if (status.ok()) commits_.fetch_add(1);
  return status;
}

Status SqliteStore::Run(bool write, const TransactionFunction& work) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    database_->exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
  } catch (const SQLite::Exception& e) {
    Logger()->error("cannot begin transaction: {}", e.what());
    return StatusFromSqliteException(e);
  }
  // Whatever `work` throws, the transaction is rolled back below, so the connection is
  // never left inside an open transaction.
  Status status;
  try {
    // A write takes its change number first: the rollback below gives it back.
    SqliteConnection connection(*database_);
    sql::SqlTransaction transaction(connection, write ? sql::NextChangeNumber(connection) : 0);
    status = work(transaction);
    if (status.ok()) {
      database_->exec("COMMIT");
      return status;
    }
  } catch (const SQLite::Exception& e) {
    status = StatusFromSqliteException(e);
    if (status.code() == StatusCode::kInternal || status.code() == StatusCode::kUnavailable) {
      Logger()->error("storage error: {}", e.what());
    }
  } catch (const std::exception& e) {
    Logger()->error("transaction failed: {}", e.what());
    status = Status::Internal("storage error");
  } catch (...) {
    Logger()->error("transaction failed with a non-standard exception");
    status = Status::Internal("storage error");
  }
  try {
    database_->exec("ROLLBACK");
  } catch (const SQLite::Exception& e) {
    Logger()->error("rollback failed: {}", e.what());
  }
  return status;
}

}  // namespace rampart::sqlite
