// rampartd when its storage is not what it needs: a database from a newer rampartd, a corrupt
// file, a data dir it may not write, a full disk, a lock held by another process. Each ends in
// a message an operator can act on, a non-zero exit or a retryable 503, and the data as it
// was: the real binary on real files (a real tmpfs for the full disk).
#include <httplib.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::RunRampartd;
using testing::ServeProcess;
namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string IntegrityCheck(const fs::path& database) {
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA integrity_check").getString();
}

int64_t CountWorkspaces(const fs::path& database) {
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT COUNT(*) FROM workspaces").getInt64();
}

class StorageFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    token_ = json::parse(testing::BootstrapDataDir(dir_.str()))["token"];
    database_ = dir_.path() / "rampart.db";
  }
  testing::TempDir dir_;
  std::string token_;
  fs::path database_;
};

TEST_F(StorageFaults, ADatabaseFromANewerRampartdIsRefusedAndLeftAsItWas) {
  {
    SQLite::Database db(database_.string(), SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO schema_version (version, applied_at) VALUES (9999, 0)");
  }
  const std::string before = ReadBytes(database_);
  CommandResult serve = RunRampartd("serve --listen 127.0.0.1:0 --data-dir " + dir_.str());
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_NE(serve.stderr_text.find("has schema version 9999, newer than this rampartd supports"),
            std::string::npos)
      << serve.stderr_text;
  EXPECT_EQ(ReadBytes(database_), before);
}

TEST_F(StorageFaults, ACorruptDatabaseIsRefusedAndLeftAsItWas) {
  {
    std::fstream file(database_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096 * 2);  // past the header: a b-tree page the integrity check reads
    file << std::string(4096, '\x5a');
  }
  const std::string before = ReadBytes(database_);
  for (const std::string command : {"serve --listen 127.0.0.1:0", "audit verify"}) {
    CommandResult run = RunRampartd(command + " --data-dir " + dir_.str());
    EXPECT_NE(run.exit_code, 0) << command;
    EXPECT_NE(run.stderr_text.find("is corrupt"), std::string::npos) << command << ": " << run.stderr_text;
    EXPECT_NE(run.stderr_text.find("restore it from a backup"), std::string::npos) << run.stderr_text;
  }
  EXPECT_EQ(ReadBytes(database_), before);
}

// As root, permissions bind nobody: the daemon runs as user nobody then, which may read the
// data dir (mode 0755, owned by root) but not write it.
TEST_F(StorageFaults, ADataDirWithoutWritePermissionIsRefusedAtStartup) {
  std::string wrapper;
  if (geteuid() == 0) {
    wrapper = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
  } else {
    fs::permissions(dir_.path(), fs::perms::owner_write, fs::perm_options::remove);
  }
  const std::string before = ReadBytes(database_);
  CommandResult serve = RunRampartd("serve --listen 127.0.0.1:0 --data-dir " + dir_.str(), wrapper);
  fs::permissions(dir_.path(), fs::perms::owner_write, fs::perm_options::add);
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_NE(serve.stderr_text.find("is not writable by this process"), std::string::npos) << serve.stderr_text;
  EXPECT_EQ(ReadBytes(database_), before);
}

// A lock held by another process past the busy timeout is a retryable 503, and the request
// after it succeeds.
TEST_F(StorageFaults, ALockHeldByAnotherProcessIsARetryable503) {
  ServeProcess serve(dir_.str());
  int port = serve.WaitUntilServing();
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth(token_.c_str());
  client.set_read_timeout(30, 0);
  {
    SQLite::Database holder(database_.string(), SQLite::OPEN_READWRITE);
    holder.exec("BEGIN IMMEDIATE");
    auto refused = client.Post("/v1/workspaces", R"({"name":"locked-out"})", "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503) << refused->body;
    EXPECT_EQ(json::parse(refused->body)["code"], "unavailable");
    EXPECT_NE(refused->body.find("storage busy"), std::string::npos) << refused->body;
    EXPECT_EQ(refused->get_header_value("Retry-After"), "5");
    holder.exec("ROLLBACK");
  }
  auto created = client.Post("/v1/workspaces", R"({"name":"after-the-lock"})", "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(client.Get("/v1/workspaces/locked-out")->status, 404);
}

// A tmpfs of a few MiB, unmounted (lazily, so nothing keeps it busy) at the end.
class SmallDisk {
 public:
  explicit SmallDisk(const fs::path& where) : where_(where) {
    fs::create_directories(where);
    mounted_ = mount("tmpfs", where.c_str(), "tmpfs", 0, "size=4m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(where_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  // Writes a file until the disk is full.
  void Fill() {
    std::ofstream filler(where_ / "filler", std::ios::binary);
    const std::string block(64 * 1024, '\0');
    while (filler.write(block.data(), block.size()) && filler.flush()) {
    }
  }
  void Free() { fs::remove(where_ / "filler"); }

 private:
  fs::path where_;
  bool mounted_ = false;
};

TEST(FullDisk, WritesAreRefusedWith503ReadsGoOnAndNothingIsLost) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
  testing::TempDir dir;
  SmallDisk disk(dir.path() / "disk");
  ASSERT_TRUE(disk.mounted()) << "mount tmpfs: " << strerror(errno);
  const fs::path data_dir = dir.path() / "disk" / "data";
  const std::string token = json::parse(testing::BootstrapDataDir(data_dir.string()))["token"];

  std::vector<std::string> acknowledged;
  {
    ServeProcess serve(data_dir.string());
    int port = serve.WaitUntilServing();
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    client.set_bearer_token_auth(token.c_str());
    ASSERT_EQ(client.Post("/v1/workspaces", R"({"name":"before"})", "application/json")->status, 201);
    acknowledged.push_back("before");

    disk.Fill();
    // A fresh bootstrap on the full disk fails clearly and leaves no database behind.
    CommandResult fresh = RunRampartd("bootstrap --organization acme --data-dir " + (dir.path() / "disk/fresh").string());
    EXPECT_EQ(fresh.exit_code, 1);
    EXPECT_NE(fresh.stderr_text.find("no space left"), std::string::npos) << fresh.stderr_text;
    EXPECT_FALSE(fs::exists(dir.path() / "disk/fresh/rampart.db"));

    // The WAL may still have room for a few commits; keep writing until the disk refuses.
    int refused_status = 0;
    std::string refused_body, retry_after;
    for (int i = 0; i < 2000 && refused_status == 0; ++i) {
      std::string name = "full-" + std::to_string(i);
      auto created = client.Post("/v1/workspaces", json{{"name", name}}.dump(), "application/json");
      ASSERT_TRUE(created);
      if (created->status == 201) {
        acknowledged.push_back(name);
      } else {
        refused_status = created->status;
        refused_body = created->body;
        retry_after = created->get_header_value("Retry-After");
      }
    }
    ASSERT_EQ(refused_status, 503) << refused_body;
    EXPECT_EQ(json::parse(refused_body)["code"], "unavailable");
    EXPECT_NE(refused_body.find("no space left"), std::string::npos) << refused_body;
    EXPECT_EQ(retry_after, "5");
    for (const std::string& name : acknowledged) {
      EXPECT_EQ(client.Get("/v1/workspaces/" + name)->status, 200) << name;
    }

    disk.Free();
    ASSERT_EQ(client.Post("/v1/workspaces", R"({"name":"after"})", "application/json")->status, 201);
    acknowledged.push_back("after");
    serve.Signal(SIGTERM);
    std::optional<int> status = serve.WaitForExit(std::chrono::seconds(20));
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(WEXITSTATUS(*status), 0);
  }
  EXPECT_EQ(IntegrityCheck(data_dir / "rampart.db"), "ok");
  EXPECT_EQ(CountWorkspaces(data_dir / "rampart.db"), static_cast<int64_t>(acknowledged.size()));
  CommandResult verify = RunRampartd("audit verify --data-dir " + data_dir.string());
  EXPECT_EQ(verify.exit_code, 0) << verify.stdout_text << verify.stderr_text;
}

}  // namespace
}  // namespace rampart
