// postgres_test_server: starts or stops the one PostgreSQL server the `pg.` tests of a ctest run
// share (the FIXTURES_SETUP and FIXTURES_CLEANUP tests in daemon/test/CMakeLists.txt).
//
//   postgres_test_server start STATE_DIR   starts a server; writes STATE_DIR/admin_url (what
//                                           RAMPART_TEST_DATABASE_URL_FILE names) and
//                                           STATE_DIR/cluster_dir
//   postgres_test_server stop STATE_DIR    stops it and removes both files
//
// A run that was interrupted before its cleanup left a server behind: `start` stops it first.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/postgres_server.h"

namespace {

using rampart::Status;
using rampart::testing::PostgresServer;

std::string ReadLine(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

Status StopRecorded(const std::filesystem::path& state_dir) {
  Status stopped = PostgresServer::StopCluster(ReadLine(state_dir / "cluster_dir"));
  std::filesystem::remove(state_dir / "admin_url");
  std::filesystem::remove(state_dir / "cluster_dir");
  return stopped;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "postgres_test_server: %s\n", status.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc == 3 ? argv[1] : "";
  if (command != "start" && command != "stop") {
    std::fprintf(stderr, "usage: postgres_test_server start|stop STATE_DIR\n");
    return 2;
  }
  const std::filesystem::path state_dir = argv[2];
  Status stopped = StopRecorded(state_dir);
  if (command == "stop") return stopped.ok() ? 0 : Fail(stopped);

  auto server = PostgresServer::Start();
  if (!server.ok()) return Fail(server.status());
  std::filesystem::create_directories(state_dir);
  std::ofstream(state_dir / "cluster_dir") << server.value()->cluster_dir() << "\n";
  std::ofstream(state_dir / "admin_url") << server.value()->admin_url() << "\n";
  server.value()->Release();
  std::printf("PostgreSQL for the pg. tests: %s (cluster in %s)\n", server.value()->admin_url().c_str(),
              server.value()->cluster_dir().c_str());
  return 0;
}
