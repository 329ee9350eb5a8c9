#include "store/postgres/pg_store.h"

#include "common/logging.h"
#include "store/postgres/database_url.h"
#include "store/postgres/pg_locks.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_status.h"
#include "store/sql/sql_transaction.h"

namespace rampart::postgres {
namespace {

std::shared_ptr<spdlog::logger> Logger() {
  static const auto logger = NamedLogger("store");
  return logger;
}

Status OpenFailed(const std::string& url, const std::string& reason) {
  return Status::Error(StatusCode::kFailedState,
                       "cannot open database " + DescribeDatabase(url) + ": " + reason, "", "failed_state");
}

// Ends the transaction on `connection` without committing; a connection that cannot is
// discarded, so it never serves another transaction.
void Rollback(ConnectionPool::Lease& connection) {
  if (!connection->Rollback()) connection.Discard();
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, bool create_if_missing,
                                               const PgStoreOptions& options) {
  std::unique_ptr<PgConnection> connection;
  try {
    connection = PgConnection::Connect(url);
    RAMPART_RETURN_IF_ERROR(Migrate(*connection, create_if_missing, RedactUrl(url)));
  } catch (const PgError& error) {
    return OpenFailed(url, error.what());
  }
  return std::unique_ptr<PgStore>(new PgStore(url, options, std::move(connection)));
}

PgStore::PgStore(std::string url, const PgStoreOptions& options, std::unique_ptr<PgConnection> migrated)
    : url_(std::move(url)), options_(options), health_(clock_), pool_(url_, options.pool_size, health_) {
  pool_.Adopt(std::move(migrated));
}

// The listener goes first: it reports to health_.
PgStore::~PgStore() { listener_.reset(); }

int PgStore::SchemaVersion() {
  auto connection = pool_.Acquire();
  return RecordedSchemaVersion(**connection);
}

Status PgStore::Read(const TransactionFunction& work) { return Run(false, work); }

Status PgStore::Write(const TransactionFunction& work) { return Run(true, work); }

Status PgStore::Run(bool write, const TransactionFunction& work) {
  // A pooled connection may have died with the server since its last use: one found broken
  // before `work` ran is replaced and the transaction started again, once.
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<ConnectionPool::Lease> connection;
    try {
      connection = pool_.Acquire();
    } catch (const PgError& error) {
      return Unreachable(error.what());
    }
    bool work_started = false;
    bool commit_sent = false;
    try {
      if (write) {
        (*connection)->Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
      } else {
        (*connection)->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      }
      // A write takes its change number under the writer lock: numbers commit in order.
      uint64_t change_number = write ? sql::NextChangeNumber(**connection) : 0;
      work_started = true;
      sql::SqlTransaction transaction(**connection, change_number);
      Status status = work(transaction);
      health_.Reached();
      if (!status.ok()) {
        Rollback(*connection);
        return status;
      }
      // Delivered to every listener when (and only if) the transaction commits.
      if (write) (*connection)->Exec(std::string("NOTIFY ") + kChangesChannel);
      commit_sent = true;
      // COMMIT of a transaction in which a statement failed (and `work` swallowed the
      // error) rolls back instead.
      if ((*connection)->Exec("COMMIT") != "COMMIT") {
        Logger()->error("transaction rolled back at commit after a failed statement");
        return Status::Internal("storage error");
      }
      return Status::Ok();
    } catch (const PgError& error) {
      if (!error.connection_lost()) {
        Rollback(*connection);
        Status status = StatusFromPgError(error);
        if (status.code() == StatusCode::kInternal || status.code() == StatusCode::kUnavailable) {
          Logger()->error("storage error: {}", error.what());
        }
        return status;
      }
      connection->Discard();
      health_.Unreachable(error.what());
      if (commit_sent) {
        return Unreachable(std::string(error.what()) + "; the change may or may not have been committed");
      }
      if (!work_started && attempt == 0) continue;
      return Unreachable(error.what());
    } catch (const std::exception& error) {
      Logger()->error("transaction failed: {}", error.what());
      Rollback(*connection);
      return Status::Internal("storage error");
    } catch (...) {
      Logger()->error("transaction failed with a non-standard exception");
      Rollback(*connection);
      return Status::Internal("storage error");
    }
  }
}

void PgStore::WatchChanges(std::function<void()> on_change) {
  listener_.reset();  // joins the previous listener's thread: it calls nothing after this
  if (on_change) {
    listener_ = std::make_unique<ChangeListener>(url_, options_.change_poll_ms, health_, std::move(on_change));
  }
}

Status PgStore::Health() {
  // The listener notices a lost server within a poll and retries it; without one, ask now.
  if (listener_ != nullptr) return health_.Get();
  Status probe = Read([](StoreTransaction&) { return Status::Ok(); });
  return probe.ok() ? probe : health_.Get();
}

}  // namespace rampart::postgres
