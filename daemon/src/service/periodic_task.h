// PeriodicTask: runs a function every period on its own thread, from a Boost.Asio timer,
// until destroyed. What `rampartd serve` runs in the background (audit expiries of role
// assignments, audit retention) goes through it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace rampart {

class PeriodicTask {
 public:
  // The first run is one `period` after construction. `task` must not throw.
  PeriodicTask(std::chrono::milliseconds period, std::function<void()> task);
  ~PeriodicTask();  // waits for a run in progress, then stops
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  struct Loop;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace rampart
