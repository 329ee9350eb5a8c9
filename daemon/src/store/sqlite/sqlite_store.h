// SqliteStore: the embedded default Store, one SQLite database file in the data dir.
//
// WAL journal with synchronous=FULL, so a committed Write survives power loss (unless opened
// with Durability::kNoFsync). One
// connection guarded by a mutex: transactions are serialized, which SQLite would do for
// writers anyway and which keeps reads consistent with the in-memory indexes built later.
// Thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "store/store.h"

namespace rampart::sqlite {

class SqliteStore final : public Store {
 public:
  // The database file inside a data dir.
  static std::string DatabasePath(const std::string& data_dir);

  // Whether a commit waits for the disk (fsync) before Write returns.
  enum class Durability {
    kFsync,    // an acknowledged write survives a power cut
    kNoFsync,  // faster writes; a power cut or kernel crash loses the latest ones
  };

  // Opens (creating if `create_if_missing`) the database in `data_dir`, checks its
  // integrity and applies pending migrations. Fails with kFailedState and a message fit for
  // an operator when the file is missing, corrupt, from a newer rampartd or not writable.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& data_dir,
                                                   bool create_if_missing,
                                                   Durability durability = Durability::kFsync);

  Status Read(const TransactionFunction& work) override;
  Status Write(const TransactionFunction& work) override;
  uint64_t CommitCount() const override { return commits_.load(); }

  // The schema version recorded in the database.
  int SchemaVersion();

 private:
  explicit SqliteStore(std::unique_ptr<SQLite::Database> database);
  Status Run(bool write, const TransactionFunction& work);

  std::mutex mutex_;
  std::atomic<uint64_t> commits_{1};  // from 1: 0 would mean "not counted"
  std::unique_ptr<SQLite::Database> database_;  // guarded by mutex_
};

}  // namespace rampart::sqlite
