// HCL literals and labels: what export-state writes must read back as the same text.
#include "state_export/hcl.h"

#include <gtest/gtest.h>

namespace rampart::state_export {
namespace {

TEST(HclString, EscapesQuotesBackslashesControlCharactersAndTemplates) {
  EXPECT_EQ(HclString("plain"), "\"plain\"");
  EXPECT_EQ(HclString("say \"hi\"\\n"), "\"say \\\"hi\\\"\\\\n\"");
  EXPECT_EQ(HclString("a\nb\tc\r\x01"), "\"a\\nb\\tc\\r\\u0001\"");
  // Without doubling, Terraform would interpolate the variable or run the directive.
  EXPECT_EQ(HclString("cost ${var.x} %{if true}"), "\"cost $${var.x} %%{if true}\"");
  EXPECT_EQ(HclString("$ alone and % alone, {braces}"), "\"$ alone and % alone, {braces}\"");
  EXPECT_EQ(HclString("naïve ✓"), "\"naïve ✓\"");
}

TEST(HclValue, WritesListsMapsAndScalarsAsTerraformFmtLaysThemOut) {
  EXPECT_EQ(HclValue(nlohmann::json::parse(R"(["b", "a"])"), 2), R"(["b", "a"])");
  EXPECT_EQ(HclValue(nlohmann::json::parse(R"({"cpu": "8", "max_parallel_runs": 4, "odd key": true})"), 2),
            "{\n"
            "    cpu               = \"8\"\n"
            "    max_parallel_runs = 4\n"
            "    \"odd key\"         = true\n"
            "  }");
  EXPECT_EQ(HclValue(nlohmann::json::parse(R"({"nested": [{"a": null}]})"), 0),
            "{\n  nested = [\n    {\n      a = null\n    },\n  ]\n}");
  EXPECT_EQ(HclValue(nlohmann::json::array(), 0), "[]");
  EXPECT_EQ(HclValue(nlohmann::json::object(), 0), "{}");
  EXPECT_EQ(HclValue(1.5, 0), "1.5");
}

TEST(HclLabel, MakesAValidTerraformNameOfAnyText) {
  EXPECT_EQ(HclLabel("alpha-workspace"), "alpha_workspace");
  EXPECT_EQ(HclLabel("Dana.Smith@Example.com"), "dana_smith_example_com");
  EXPECT_EQ(HclLabel("7up"), "r_7up");
  EXPECT_EQ(HclLabel("--"), "r_");
  EXPECT_EQ(HclLabel("stack.read"), "stack_read");
}

}  // namespace
}  // namespace rampart::state_export
