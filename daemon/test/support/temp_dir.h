// TempDir: a fresh directory under the system temp dir, removed with everything in it when
// the object goes away. Tests use real files (SQLite databases), never mocks of them.
#pragma once

#include <filesystem>
#include <string>

namespace rampart::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace rampart::testing
