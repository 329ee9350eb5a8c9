#include "support/temp_dir.h"

#include <stdexcept>

#include "common/random.h"

namespace rampart::testing {

TempDir::TempDir()
    : path_(std::filesystem::temp_directory_path() / ("rampart-test-" + RandomHex(8))) {
  if (!std::filesystem::create_directories(path_)) {
    throw std::runtime_error("cannot create " + path_.string());
  }
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace rampart::testing
