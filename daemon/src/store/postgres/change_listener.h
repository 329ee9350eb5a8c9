// ChangeListener: a thread with its own connection that LISTENs on the channel every write
// transaction NOTIFYs on commit, and calls `on_change` when another replica (or this one)
// may have committed: on each notification, on every reconnection (notifications sent
// meanwhile are lost) and every `poll_ms` without either, as a safety net.
//
// When the connection is lost it reconnects with exponential backoff (100 ms doubling to
// 5 s), recording the database unreachable meanwhile. The destructor stops the thread
// promptly. Thread-safe (nothing public but construction and destruction).
#pragma once

#include <functional>
#include <string>
#include <thread>

#include "store/postgres/database_health.h"

namespace rampart::postgres {

// The channel write transactions NOTIFY on commit.
inline constexpr char kChangesChannel[] = "rampart_changes";

class ChangeListener {
 public:
  ChangeListener(std::string url, int poll_ms, DatabaseHealth& health, std::function<void()> on_change);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

 private:
  void Run();
  // Waits up to `timeout_ms` for the socket `fd` (or none, -1) to be readable; false when
  // the listener is stopping.
  bool Wait(int fd, int timeout_ms, bool& readable);

  const std::string url_;
  const int poll_ms_;
  DatabaseHealth& health_;
  const std::function<void()> on_change_;
  const int stop_fd_;  // an eventfd, written once by the destructor
  std::thread thread_;
};

}  // namespace rampart::postgres
