// PgStore: the Store on a PostgreSQL database, shared by any number of rampartd replicas.
//
// Transactions run the shared SQL (store/sql) on connections from a small pool. Reads see
// one consistent snapshot (REPEATABLE READ, READ ONLY). Writes take a database-wide
// advisory lock first, so writers of every replica are serialized as SQLite's are: change
// numbers commit in order and each organization keeps one audit chain. Each write NOTIFYs
// the other replicas on commit (WatchChanges). Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "store/postgres/change_listener.h"
#include "store/postgres/connection_pool.h"
#include "store/postgres/database_health.h"
#include "store/store.h"

namespace rampart::postgres {

struct PgStoreOptions {
  size_t pool_size = 8;  // connections for transactions, at most
  // How often WatchChanges' callback runs with no notification, in case one was missed.
  int change_poll_ms = 1000;
};

class PgStore final : public Store {
 public:
  // Connects to `url` (postgres://USER@HOST:PORT/DB; the password from PGPASSWORD,
  // ~/.pgpass or the URL) and applies pending migrations, creating the schema only if
  // `create_if_missing`. kFailedState, with a message fit for an operator that never shows
  // the password, when the server cannot be reached, the database holds no Rampart schema
  // (and !create_if_missing) or a newer one than this rampartd knows.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, bool create_if_missing,
                                               const PgStoreOptions& options = PgStoreOptions());
  ~PgStore() override;

  // kUnavailable "the database is unreachable: ..." when the server cannot be reached; a
  // write whose COMMIT got no answer is reported so too (it may or may not have committed)
  // and never run again.
  Status Read(const TransactionFunction& work) override;
  Status Write(const TransactionFunction& work) override;
  void WatchChanges(std::function<void()> on_change) override;
  Status Health() override;

  // The schema version recorded in the database. REQUIRES: the database is reachable.
  int SchemaVersion();

 private:
  PgStore(std::string url, const PgStoreOptions& options, std::unique_ptr<PgConnection> migrated);
  Status Run(bool write, const TransactionFunction& work);

  const std::string url_;
  const PgStoreOptions options_;
  SystemClock clock_;
  DatabaseHealth health_;
  ConnectionPool pool_;
  std::unique_ptr<ChangeListener> listener_;  // while watching (WatchChanges)
};

}  // namespace rampart::postgres
