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
  auto parsed = ParseObjectBody(R"({"nme":"x"})", {"description", "expires_at"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().field(), "nme");
  EXPECT_NE(parsed.status().message().find("accepted: description, expires_at"),
            std::string::npos);
}

TEST(JsonBody, InvalidUtf8IsMalformed) {
  auto parsed = ParseJsonObject("{\"name\":\"\xff\"}");
  EXPECT_EQ(parsed.status().field(), "body");
  EXPECT_EQ(parsed.status().reason(), "malformed_json");
}

TEST(JsonBody, BodyMustBeAnObject) {
  for (const char* body : {"[]", "\"name\"", "3", "null"}) {
    auto parsed = ParseJsonObject(body);
    EXPECT_EQ(parsed.status().field(), "body") << body;
    EXPECT_EQ(parsed.status().reason(), "wrong_type") << body;
  }
}

}  // namespace
}  // namespace rampart::http
