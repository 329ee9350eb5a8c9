#include "http/json_body.h"

#include <gtest/gtest.h>

namespace rampart::http {
namespace {

TEST(JsonBody, IfMatchAcceptsQuotedAndBareRevisions) {
  EXPECT_EQ(*ParseIfMatch("\"7\"").value(), 7);
  EXPECT_EQ(*ParseIfMatch("12").value(), 12);
  EXPECT_FALSE(ParseIfMatch("").value().has_value());
  EXPECT_FALSE(ParseIfMatch("*").value().has_value());
}

TEST(JsonBody, IfMatchRejectsGarbage) {
  for (const char* header : {"\"\"", "abc", "\"0\"", "-1", "W/\"3\"", "\"3"}) {
    auto parsed = ParseIfMatch(header);
    EXPECT_FALSE(parsed.ok()) << header;
    EXPECT_EQ(parsed.status().field(), "If-Match");
  }
}

TEST(JsonBody, UnknownFieldIsNamedWithTheAcceptedOnes) {
  auto parsed = ParseObjectBody(R"({"nme":"x"})", ObjectSpecFields());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().field(), "nme");
  EXPECT_NE(parsed.status().message().find("accepted: description, display_name, labels, name"),
            std::string::npos);
}

TEST(JsonBody, InvalidUtf8IsMalformed) {
  auto parsed = ParseObjectBody("{\"name\":\"\xff\"}", ObjectSpecFields());
  EXPECT_EQ(parsed.status().field(), "body");
}

TEST(JsonBody, SpecCarriesAllFields) {
  auto body = ParseObjectBody(
      R"({"name":"a","display_name":"A","description":"d","labels":{"k":"v"}})", ObjectSpecFields());
  auto spec = ReadObjectSpec(body.value());
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->display_name, "A");
  EXPECT_EQ(spec->labels.at("k"), "v");
}

TEST(JsonBody, PatchDistinguishesAbsentFromNull) {
  auto patch = ReadObjectPatch(nlohmann::json::parse(R"({"description":null})"));
  ASSERT_TRUE(patch.ok());
  EXPECT_FALSE(patch->name.has_value());
  EXPECT_FALSE(patch->labels.has_value());
  ASSERT_TRUE(patch->description.has_value());
  EXPECT_EQ(*patch->description, "");
}

}  // namespace
}  // namespace rampart::http
