// rampartd serve and SIGTERM, as an init system drives it: a signal at any moment of
// start-up, or while serving, ends the process with exit code 0.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
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

}  // namespace
}  // namespace rampart
