#include "service/periodic_task.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace rampart {

struct PeriodicTask::Loop {
  boost::asio::io_context io;
  boost::asio::steady_timer timer{io};
  std::chrono::milliseconds period;
  std::function<void()> task;

  Loop(std::chrono::milliseconds period, std::function<void()> task) : period(period), task(std::move(task)) {}

  void Schedule() {
    timer.expires_after(period);
    timer.async_wait([this](const boost::system::error_code& error) {
      if (error) return;  // cancelled: shutting down
      task();
      Schedule();
    });
  }
};

PeriodicTask::PeriodicTask(std::chrono::milliseconds period, std::function<void()> task)
    : loop_(std::make_unique<Loop>(period, std::move(task))) {
  loop_->Schedule();
  thread_ = std::thread([this] { loop_->io.run(); });
}

PeriodicTask::~PeriodicTask() {
  loop_->io.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rampart
