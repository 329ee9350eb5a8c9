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

// What a finished `rampartd` run printed, and its exit code (-1 if it did not exit).
struct CommandResult {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `rampartd ARGUMENTS` (a shell word list) to the end. `wrapper`, when given, is a
// command line the binary runs under (e.g. `setpriv --reuid=65534 ...` to run as another user).
CommandResult RunRampartd(const std::string& arguments, const std::string& wrapper = "");

// Runs `rampartd bootstrap` on `data_dir` and returns its stdout (one JSON object).
std::string BootstrapDataDir(const std::string& data_dir);

}  // namespace rampart::testing
