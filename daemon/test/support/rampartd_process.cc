#include "support/rampartd_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <regex>
#include <thread>
#include <vector>

extern char** environ;

namespace rampart::testing {

ServeProcess::ServeProcess(const std::string& data_dir) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> args = {RAMPARTD_BINARY, "serve", "--data-dir", data_dir,
                                   "--listen", "127.0.0.1:0"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, RAMPARTD_BINARY, &actions, nullptr, argv.data(), environ) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

int ServeProcess::WaitUntilServing() {
  static const std::regex kServing(R"(serving \S+ on [^ ]+:(\d+))");
  std::string seen;
  char buffer[512];
  ssize_t read_bytes = 0;
  while ((read_bytes = read(stderr_fd_, buffer, sizeof(buffer))) > 0) {
    seen.append(buffer, static_cast<size_t>(read_bytes));
    std::smatch match;
    if (std::regex_search(seen, match, kServing)) return std::stoi(match[1].str());
  }
  return 0;
}

void ServeProcess::Signal(int signal_number) {
  if (pid_ > 0) kill(pid_, signal_number);
}

std::optional<int> ServeProcess::WaitForExit(std::chrono::seconds patience) {
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return std::nullopt;
}

CommandResult RunRampartd(const std::string& arguments, const std::string& wrapper) {
  char stderr_path[] = "/tmp/rampartd-stderr-XXXXXX";
  int stderr_fd = mkstemp(stderr_path);
  if (stderr_fd < 0) return {};
  close(stderr_fd);
  std::string command = (wrapper.empty() ? "" : wrapper + " ") + std::string(RAMPARTD_BINARY) + " " +
                        arguments + " 2>" + stderr_path;
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe != nullptr) {
    std::array<char, 4096> buffer;
    size_t read_bytes = 0;
    while ((read_bytes = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
      result.stdout_text.append(buffer.data(), read_bytes);
    }
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream written(stderr_path);
  std::stringstream text;
  text << written.rdbuf();
  result.stderr_text = text.str();
  unlink(stderr_path);
  return result;
}

std::string BootstrapDataDir(const std::string& data_dir) {
  return RunRampartd("bootstrap --data-dir " + data_dir + " --organization acme").stdout_text;
}

}  // namespace rampart::testing
