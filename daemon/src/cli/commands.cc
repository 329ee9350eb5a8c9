#include "cli/commands.h"

#include <iostream>

namespace rampart::cli {

int FailCommand(std::string_view command, const std::string& message) {
  std::cerr << "rampartd " << command << ": " << message << "\n";
  return 2;
}

}  // namespace rampart::cli
