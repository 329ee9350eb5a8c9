// rampartd serve and SIGTERM, as an init system drives it: a signal at any moment of
// start-up, or while serving, ends the process with exit code 0.
#include <httplib.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using testing::ServeProcess;

// The "serving" line is written just before the server starts listening: a signal right
// after it lands in the window where the HTTP library would ignore a stop.
TEST(ServeSignals, SigtermDuringStartupStopsTheServer) {
  testing::TempDir dir;
  ASSERT_FALSE(testing::BootstrapDataDir(dir.str()).empty());
  for (int attempt = 0; attempt < 10; ++attempt) {
    ServeProcess process(dir.str());
    ASSERT_GT(process.pid(), 0);
    ASSERT_GT(process.WaitUntilServing(), 0);
    process.Signal(SIGTERM);
    std::optional<int> status = process.WaitForExit(std::chrono::seconds(20));
    ASSERT_TRUE(status.has_value()) << "attempt " << attempt << ": still running after SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status)) << "attempt " << attempt;
    EXPECT_EQ(WEXITSTATUS(*status), 0) << "attempt " << attempt;
  }
}

TEST(ServeSignals, StrayUsr2DoesNotDisableShutdown) {
  testing::TempDir dir;
  ASSERT_FALSE(testing::BootstrapDataDir(dir.str()).empty());
  ServeProcess process(dir.str());
  ASSERT_GT(process.WaitUntilServing(), 0);
  process.Signal(SIGUSR2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  process.Signal(SIGTERM);
  std::optional<int> status = process.WaitForExit(std::chrono::seconds(20));
  ASSERT_TRUE(status.has_value()) << "still running after SIGTERM";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

// SIGTERM while a write is in flight: the write is answered and kept, and only then does the
// process exit. The test holds the database lock so that the write is still running when
// the signal arrives.
TEST(ServeSignals, SigtermDrainsAWriteInFlight) {
  testing::TempDir dir;
  std::string token = nlohmann::json::parse(testing::BootstrapDataDir(dir.str()))["token"];
  const std::string database = (dir.path() / "rampart.db").string();
  ServeProcess process(dir.str());
  int port = process.WaitUntilServing();
  ASSERT_GT(port, 0);

  SQLite::Database holder(database, SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  auto in_flight = std::async(std::launch::async, [&] {
    httplib::Client client("127.0.0.1", port);
    client.set_bearer_token_auth(token.c_str());
    client.set_read_timeout(30, 0);
    auto response = client.Post("/v1/workspaces", R"({"name":"in-flight"})", "application/json");
    return response ? response->status : -1;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the write now waits for the lock
  process.Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // Draining: no new connections, and the write has not been given up on.
  httplib::Client late("127.0.0.1", port);
  late.set_connection_timeout(2, 0);
  EXPECT_FALSE(late.Get("/healthz")) << "a new connection was accepted after SIGTERM";
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  holder.exec("ROLLBACK");

  EXPECT_EQ(in_flight.get(), 201);
  std::optional<int> status = process.WaitForExit(std::chrono::seconds(20));
  ASSERT_TRUE(status.has_value()) << "still running after SIGTERM";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_EQ(holder.execAndGet("SELECT COUNT(*) FROM workspaces WHERE name = 'in-flight'").getInt(), 1);
}

}  // namespace
}  // namespace rampart
