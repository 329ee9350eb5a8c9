// The PostgreSQL test harness itself: databases are fresh, separate, and gone once dropped.
#include "support/postgres_server.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <stdexcept>

namespace rampart::testing {
namespace {

PostgresServer& Server() {
  static Result<PostgresServer*> server = PostgresServer::FromEnvironment();
  if (!server.ok()) throw std::runtime_error(server.status().message());
  return **server;
}

TEST(PostgresServer, DatabaseUrlKeepsTheServerAndNamesTheDatabase) {
  std::string url = Server().DatabaseUrl("rt_example");
  EXPECT_EQ(url.substr(url.rfind('/')), "/rt_example") << url;
  EXPECT_EQ(url.substr(0, url.rfind('/')),
            Server().admin_url().substr(0, Server().admin_url().rfind('/')));
}

TEST(PostgresServer, DatabasesAreSeparateAndDroppedForGood) {
  Result<std::string> first = Server().CreateDatabase();
  Result<std::string> second = Server().CreateDatabase();
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_NE(*first, *second);
  ASSERT_TRUE(PostgresServer::Execute(*first, "CREATE TABLE t (x INT)").ok());
  // The same name in the other database is free: nothing leaks between tests.
  EXPECT_TRUE(PostgresServer::Execute(*second, "CREATE TABLE t (x INT)").ok());
  ASSERT_TRUE(Server().DropDatabase(*first).ok());
  EXPECT_FALSE(PostgresServer::Execute(*first, "SELECT 1").ok());
  EXPECT_TRUE(Server().DropDatabase(*second).ok());
}

TEST(PostgresServer, DropEndsOpenConnections) {
  TemporaryDatabase database;
  ASSERT_TRUE(database.Create().ok());
  // A store left connected (a test that failed half-way) must not keep its database alive.
  PGconn* connection = PQconnectdb(database.url().c_str());
  ASSERT_EQ(PQstatus(connection), CONNECTION_OK) << PQerrorMessage(connection);
  EXPECT_TRUE(Server().DropDatabase(database.url()).ok());
  PQfinish(connection);
}

TEST(PostgresServer, RefusesToDropADatabaseItDidNotMake) {
  Status refused = Server().DropDatabase(Server().DatabaseUrl("postgres"));
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(PostgresServer::Execute(Server().admin_url(), "SELECT 1").ok());
}

}  // namespace
}  // namespace rampart::testing
