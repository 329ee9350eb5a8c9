// Named loggers, one per component (STYLE.md): each logs through the default sink set up by
// main() with its own name, e.g. "[http]" or "[store]". Thread-safe.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace rampart {

// The logger for `component`, created from the default logger on first use.
std::shared_ptr<spdlog::logger> NamedLogger(const std::string& component);

}  // namespace rampart
