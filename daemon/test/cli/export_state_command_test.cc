// `rampartd export-state` as an operator runs it: what it writes for a freshly bootstrapped
// organization, and the flags it refuses (exit 2, nothing written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using testing::CommandResult;
using testing::RunRampartd;

class ExportStateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(testing::BootstrapDataDir(data_.str()).empty()); }

  CommandResult Export(const std::string& flags) {
    return RunRampartd("export-state --data-dir " + data_.str() + " " + flags);
  }

  testing::TempDir data_;
  testing::TempDir out_;
};

TEST_F(ExportStateCommandTest, WritesTheThreeFilesIntoANewDirectory) {
  const std::filesystem::path out = out_.path() / "new" / "dir";
  CommandResult result = Export("--organization acme --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("wrote 1 resources"), std::string::npos) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("not exported: role assignment"), std::string::npos) << result.stdout_text;
  for (const char* name : {"main.tf", "imports.tf", "resources.tf"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(out / name)) << name;
  }
}

TEST_F(ExportStateCommandTest, RefusesMissingOrConflictingFlagsAndANonEmptyOutDirectory) {
  EXPECT_EQ(Export("--out " + out_.str() + "/x").exit_code, 2) << "no --organization";
  EXPECT_EQ(Export("--organization acme").exit_code, 2) << "neither --out nor --compare";
  EXPECT_EQ(Export("--organization acme --out " + out_.str() + "/x --compare x.tfstate").exit_code, 2);
  EXPECT_EQ(Export("--organization nope --out " + out_.str() + "/x").exit_code, 2);
  EXPECT_EQ(Export("--organization acme --color blue --out " + out_.str() + "/x").exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out_.path() / "x"));

  std::ofstream(out_.path() / "main.tf") << "# someone's configuration\n";
  EXPECT_EQ(Export("--organization acme --out " + out_.str()).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out_.path() / "resources.tf"));

  EXPECT_EQ(Export("--organization acme --compare " + out_.str() + "/missing.tfstate").exit_code, 2);
  EXPECT_EQ(Export("--organization acme --compare " + (out_.path() / "main.tf").string()).exit_code, 2)
      << "not JSON";
}

TEST_F(ExportStateCommandTest, CompareExitsOneListingWhatTheStateLacks) {
  std::ofstream(out_.path() / "empty.tfstate") << R"({"version": 4, "resources": []})";
  CommandResult result = Export("--organization acme --compare " + (out_.path() / "empty.tfstate").string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.stdout_text.find("not in the state: rampart_organization_settings.this = organization"),
            std::string::npos)
      << result.stdout_text;
}

}  // namespace
}  // namespace rampart
