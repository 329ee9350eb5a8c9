// ConnectionPool: up to `capacity` PostgreSQL connections shared by the store's
// transactions, opened on demand and kept for reuse. A connection found broken is dropped
// (with the idle ones, which a server restart broke too) and a new one opened next time.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/database_health.h"
#include "store/postgres/pg_connection.h"

namespace rampart::postgres {

class ConnectionPool {
 public:
  // A connection lent for one transaction; back to the pool when the lease ends, unless
  // Discard() was called.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.Return(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }
    // The connection is broken: close it instead of returning it, and the idle ones too.
    void Discard();

   private:
    ConnectionPool& pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  ConnectionPool(std::string url, size_t capacity, DatabaseHealth& health)
      : url_(std::move(url)), capacity_(capacity), health_(health) {}

  // Blocks while `capacity` connections are lent. Throws PgError when a new connection
  // cannot be opened (and records the database unreachable).
  std::unique_ptr<Lease> Acquire();
  // Keeps `connection` as an idle one (the one Open migrated with).
  void Adopt(std::unique_ptr<PgConnection> connection);

 private:
  void Return(std::unique_ptr<PgConnection> connection);

  const std::string url_;
  const size_t capacity_;
  DatabaseHealth& health_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
  size_t lent_ = 0;                                   // guarded by mutex_
};

}  // namespace rampart::postgres
