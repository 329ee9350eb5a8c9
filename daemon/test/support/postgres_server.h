// PostgresServer: a throwaway PostgreSQL server for tests, and fresh databases in it.
//
// The PostgreSQL variants of the store, service and HTTP suites (ctest names `pg.*`) share one
// server per ctest run: a FIXTURES_SETUP test (postgres_test_server, see
// postgres_test_server_main.cc) starts it and writes its admin URL to a file;
// FromEnvironment() finds it there, and each test works in a database of its own
// (CreateDatabase / DropDatabase), so tests never see each other's rows.
//
// The server runs the binaries of `pg_config --bindir` (initdb, pg_ctl). initdb refuses to
// run as root, so under euid 0 they run as the `postgres` user (runuser), in a directory
// chowned to it. Authentication is `trust` on 127.0.0.1 only: tests need no password.
//
// Thread-safe: CreateDatabase / DropDatabase open a connection of their own per call.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace rampart::testing {

// What the environment says about the store the tests run on.
// RAMPART_TEST_STORE=postgres selects PostgreSQL; anything else (or unset) SQLite.
bool TestsUsePostgres();

class PostgresServer {
 public:
  // Creates a cluster in a new directory under the system temp dir and starts it on a free
  // 127.0.0.1 port. The object owns it: the destructor stops the server and removes the
  // directory (unless Release() was called). `fsync` false is fine for tests that never cut
  // power: it makes CREATE DATABASE and commits far faster.
  static Result<std::unique_ptr<PostgresServer>> Start(bool fsync = false);

  // The server this process's tests share, started on first use and alive until the process
  // exits: the admin URL in $RAMPART_TEST_DATABASE_URL if set (any server you point it at), else
  // the one in the file $RAMPART_TEST_DATABASE_URL_FILE (the ctest fixture writes it), else a
  // private server started now, so a `pg.` test binary also runs by hand. Never null when OK.
  static Result<PostgresServer*> FromEnvironment();

  // Stops the server whose cluster directory is `cluster_dir` (started and Release()d by another
  // process, e.g. the ctest fixture) and removes the directory. OK when there is none.
  static Status StopCluster(const std::string& cluster_dir);

  // Runs `sql` (one or more statements) on the database `url` names, outside any store: for
  // tests that tamper with rows or inject faults the store would never allow.
  static Status Execute(const std::string& url, const std::string& sql);

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgres://rampart@127.0.0.1:PORT/postgres (or the URL the environment named).
  const std::string& admin_url() const { return admin_url_; }
  // The directory holding the cluster (data/, the socket and postgres.log); empty when this
  // object only attached to a server it did not start.
  const std::string& cluster_dir() const { return cluster_dir_; }

  // Leaves the server running when this object goes; StopCluster(cluster_dir()) ends it.
  void Release() { owned_ = false; }

  // An outage, for tests of what a store does meanwhile: Stop() ends the server and its
  // sessions (pg_ctl stop -m fast), keeping the data; Restart() starts it again on the same
  // port with the same settings. REQUIRES: this object started the server (Start()).
  Status Stop();
  Status Restart();

  // The URL of database `name` on this server: the admin URL with another database.
  std::string DatabaseUrl(const std::string& name) const;

  // CREATE DATABASE rt_<random hex>; returns its URL.
  Result<std::string> CreateDatabase();
  // DROP DATABASE ... WITH (FORCE) of a database CreateDatabase made (its connections are
  // ended). Refuses any database whose name does not start with `rt_`.
  Status DropDatabase(const std::string& url);

 private:
  PostgresServer(std::string admin_url, std::string cluster_dir, bool owned)
      : admin_url_(std::move(admin_url)), cluster_dir_(std::move(cluster_dir)), owned_(owned) {}

  const std::string admin_url_;
  const std::string cluster_dir_;
  bool owned_;
};

// A database of its own for one test on the shared server (PostgresServer::FromEnvironment),
// dropped when the object goes. Declare it before whatever connects to it, so it outlives them.
class TemporaryDatabase {
 public:
  TemporaryDatabase() = default;  // none until Create()
  ~TemporaryDatabase();
  TemporaryDatabase(const TemporaryDatabase&) = delete;
  TemporaryDatabase& operator=(const TemporaryDatabase&) = delete;

  // REQUIRES: not called before on this object.
  Status Create();
  // Its postgres:// URL; empty before Create().
  const std::string& url() const { return url_; }

 private:
  PostgresServer* server_ = nullptr;
  std::string url_;
};

}  // namespace rampart::testing
