// The rampartd binary as an operator runs it: bootstrap output and its refusal to run twice.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using testing::CommandResult;
using testing::RunRampartd;

TEST(RampartdBinary, BootstrapPrintsOneJsonObjectWithOrganizationAndToken) {
  testing::TempDir dir;
  CommandResult result = RunRampartd("bootstrap --data-dir " + dir.str() + " --organization acme");
  ASSERT_EQ(result.exit_code, 0);
  nlohmann::json output = nlohmann::json::parse(result.stdout_text);
  EXPECT_EQ(output["organization_id"].get<std::string>().rfind("org_", 0), 0u);
  EXPECT_EQ(output["token"].get<std::string>().rfind("rmp_", 0), 0u);
}

TEST(RampartdBinary, SecondBootstrapFailsAndChangesNothing) {
  testing::TempDir dir;
  ASSERT_EQ(RunRampartd("bootstrap --data-dir " + dir.str() + " --organization acme").exit_code, 0);
  auto database = dir.path() / "rampart.db";
  auto size_before = std::filesystem::file_size(database);
  auto modified_before = std::filesystem::last_write_time(database);
  CommandResult again = RunRampartd("bootstrap --data-dir " + dir.str() + " --organization other");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(again.stdout_text.empty());
  EXPECT_EQ(std::filesystem::file_size(database), size_before);
  EXPECT_EQ(std::filesystem::last_write_time(database), modified_before);
}

TEST(RampartdBinary, InvalidOrganizationNameCreatesNoDatabase) {
  testing::TempDir dir;
  auto data_dir = dir.path() / "data";
  EXPECT_NE(RunRampartd("bootstrap --data-dir " + data_dir.string() + " --organization Not_Valid").exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(data_dir / "rampart.db"));
}

TEST(RampartdBinary, ServeRefusesADataDirThatWasNeverBootstrapped) {
  testing::TempDir dir;
  EXPECT_EQ(RunRampartd("serve --data-dir " + dir.str() + " --listen 127.0.0.1:0").exit_code, 1);
}

TEST(RampartdBinary, UnknownFlagIsAnError) {
  testing::TempDir dir;
  EXPECT_NE(RunRampartd("bootstrap --data-dir " + dir.str() + " --organisation acme").exit_code, 0);
}

}  // namespace
}  // namespace rampart
