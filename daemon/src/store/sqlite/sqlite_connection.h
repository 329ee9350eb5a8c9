// SqliteConnection: the shared SQL (store/sql) over a SQLiteCpp database connection.
// Borrows the connection; not thread-safe. Throws SQLite::Exception, as SQLiteCpp does.
#pragma once

#include <SQLiteCpp/Database.h>

#include "store/sql/sql_connection.h"

namespace rampart::sqlite {

class SqliteConnection final : public sql::Connection {
 public:
  explicit SqliteConnection(SQLite::Database& db) : db_(db) {}

  void Query(const std::string& sql, const sql::Values& params,
             const std::function<void(const sql::Row&)>& each) override;
  int64_t Execute(const std::string& sql, const sql::Values& params) override;
  std::string JsonTextAt(const std::string& column, const std::string& key, sql::Values& params) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rampart::sqlite
