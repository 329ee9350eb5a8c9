// The rampartd binary run as a child process, as an operator or init system runs it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace rampart::testing {

// `rampartd serve` on a data dir and an ephemeral loopback port, stderr on a pipe.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& data_dir);
  ~ServeProcess();  // kills the process if it still runs

  pid_t pid() const { return pid_; }
  // Reads the log until the "serving ..." line; returns the port it names, or 0 when the
  // process ended first.
  int WaitUntilServing();
  void Signal(int signal_number);
  // The wait status once the process ends, or nullopt if it still runs after `patience`
  // (it is then killed, so a test never hangs).
  std::optional<int> WaitForExit(std::chrono::seconds patience);

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
};

// What a finished `rampartd` run printed on stdout, and its exit code (-1 if it did not exit).
struct CommandResult {
  int exit_code = -1;
  std::string stdout_text;
};

// Runs `rampartd ARGUMENTS` (a shell word list) to the end; stderr is discarded.
CommandResult RunRampartd(const std::string& arguments);

// Runs `rampartd bootstrap` on `data_dir` and returns its stdout (one JSON object).
std::string BootstrapDataDir(const std::string& data_dir);

}  // namespace rampart::testing
