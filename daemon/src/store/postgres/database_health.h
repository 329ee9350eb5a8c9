// DatabaseHealth: whether the last attempt to reach the database succeeded, for
// Store::Health (/readyz). Fed by the connection pool and the change listener. Thread-safe.
#pragma once

#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace rampart::postgres {

class DatabaseHealth {
 public:
  explicit DatabaseHealth(const Clock& clock) : clock_(clock) {}

  void Reached();
  void Unreachable(const std::string& reason);
  // OK, or kUnavailable "the database is unreachable since <time>: <reason>".
  Status Get() const;

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  bool reachable_ = true;     // guarded by mutex_
  TimestampMs since_ = 0;     // guarded by mutex_: when it stopped answering
  std::string reason_;        // guarded by mutex_
};

}  // namespace rampart::postgres
