#include "common/logging.h"

#include <spdlog/spdlog.h>

#include <mutex>

namespace rampart {

std::shared_ptr<spdlog::logger> NamedLogger(const std::string& component) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto logger = spdlog::default_logger()->clone(component);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace rampart
