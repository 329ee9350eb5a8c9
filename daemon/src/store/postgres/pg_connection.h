// PgConnection: one libpq connection, and the shared SQL (store/sql) over it.
//
// Owns its PGconn; not thread-safe (one transaction or listener at a time). Every failure
// throws PgError, which says whether the connection was lost (then it is useless: drop it).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "store/sql/sql_connection.h"

namespace rampart::postgres {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate, std::string constraint, bool connection_lost)
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        constraint_(std::move(constraint)),
        connection_lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }      // "" when the server sent none
  const std::string& constraint() const { return constraint_; }  // the violated constraint, if any
  // The server is gone or closed the session (no answer, 08xxx, 57P0x): retry elsewhere.
  bool connection_lost() const { return connection_lost_; }

 private:
  std::string sqlstate_;
  std::string constraint_;
  bool connection_lost_;
};

// SQLite's placeholders (`?` and `?N`) as PostgreSQL's ($N), outside quoted text; a bare `?`
// numbers one past the highest so far, as in SQLite.
std::string ToPostgresPlaceholders(const std::string& sql);

class PgConnection final : public sql::Connection {
 public:
  // Connects to `url` (a libpq URI or connection string). Throws PgError (connection lost)
  // with libpq's reason when the server cannot be reached or refuses.
  static std::unique_ptr<PgConnection> Connect(const std::string& url);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs commands without parameters (several allowed, separated by ';'); returns the last
  // one's command tag ("COMMIT", "ROLLBACK", ...).
  std::string Exec(const std::string& sql);
  bool Usable() const { return PQstatus(conn_) == CONNECTION_OK; }
  // Ends the open transaction without committing. False when it could not: the connection
  // is then unfit for another transaction.
  bool Rollback();
  // libpq's last error on this connection, on one line.
  std::string ErrorMessage() const;
  PGconn* raw() const { return conn_; }

  void Query(const std::string& sql, const sql::Values& params,
             const std::function<void(const sql::Row&)>& each) override;
  int64_t Execute(const std::string& sql, const sql::Values& params) override;
  std::string JsonTextAt(const std::string& column, const std::string& key, sql::Values& params) override;

  // Throws the PgError `result` holds, if it failed; takes ownership of `result` either way
  // and returns it on success.
  std::unique_ptr<PGresult, void (*)(PGresult*)> Check(PGresult* result);

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  int64_t last_changed_ = 0;  // rows the last Query changed (its command tag's count)
};

}  // namespace rampart::postgres
