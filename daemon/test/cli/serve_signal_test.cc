// rampartd serve and SIGTERM, as an init system drives it: a signal at any moment of
// start-up, or while serving, ends the process with exit code 0.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

extern char** environ;

namespace rampart {
namespace {

// Runs `rampartd serve` on `data_dir` with stderr on a pipe.
struct ServeProcess {
  pid_t pid = -1;
  int stderr_fd = -1;
};

ServeProcess StartServe(const std::string& data_dir) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> args = {RAMPARTD_BINARY, "serve", "--data-dir", data_dir,
                                   "--listen", "127.0.0.1:0"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ServeProcess process;
  if (posix_spawn(&process.pid, RAMPARTD_BINARY, &actions, nullptr, argv.data(), environ) != 0) {
    process.pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  process.stderr_fd = pipe_fds[0];
  return process;
}

// Reads stderr until `marker` appears or the stream ends.
bool WaitForLog(int fd, const std::string& marker) {
  std::string seen;
  char buffer[512];
  ssize_t read_bytes = 0;
  while ((read_bytes = read(fd, buffer, sizeof(buffer))) > 0) {
    seen.append(buffer, static_cast<size_t>(read_bytes));
    if (seen.find(marker) != std::string::npos) return true;
  }
  return false;
}

// Exit status once the process ends, or nullopt if it is still running after `patience`
// (then it is killed so the test never hangs).
std::optional<int> WaitForExit(pid_t pid, std::chrono::seconds patience) {
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return std::nullopt;
}

std::string Bootstrap(const testing::TempDir& dir) {
  std::string command = std::string(RAMPARTD_BINARY) + " bootstrap --data-dir " + dir.str() +
                        " --organization acme >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  return dir.str();
}

// The "serving" line is written just before the server starts listening: a signal right
// after it lands in the window where the HTTP library would ignore a stop.
TEST(ServeSignals, SigtermDuringStartupStopsTheServer) {
  testing::TempDir dir;
  std::string data_dir = Bootstrap(dir);
  for (int attempt = 0; attempt < 10; ++attempt) {
    ServeProcess process = StartServe(data_dir);
    ASSERT_GT(process.pid, 0);
    ASSERT_TRUE(WaitForLog(process.stderr_fd, "serving "));
    kill(process.pid, SIGTERM);
    std::optional<int> status = WaitForExit(process.pid, std::chrono::seconds(20));
    close(process.stderr_fd);
    ASSERT_TRUE(status.has_value()) << "attempt " << attempt << ": still running after SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status)) << "attempt " << attempt;
    EXPECT_EQ(WEXITSTATUS(*status), 0) << "attempt " << attempt;
  }
}

TEST(ServeSignals, StrayUsr2DoesNotDisableShutdown) {
  testing::TempDir dir;
  ServeProcess process = StartServe(Bootstrap(dir));
  ASSERT_GT(process.pid, 0);
  ASSERT_TRUE(WaitForLog(process.stderr_fd, "serving "));
  kill(process.pid, SIGUSR2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(process.pid, SIGTERM);
  std::optional<int> status = WaitForExit(process.pid, std::chrono::seconds(20));
  close(process.stderr_fd);
  ASSERT_TRUE(status.has_value()) << "still running after SIGTERM";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

}  // namespace
}  // namespace rampart
