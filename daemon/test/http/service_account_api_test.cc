// Service accounts over REST: the same object rules as every named object (name paths,
// ETags, idempotent creates, audit), through a real server.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class ServiceAccountApiTest : public testing::ApiServerFixture {};

TEST_F(ServiceAccountApiTest, LifeCycleByNamePathAndId) {
  auto created = Send("POST", "/v1/service_accounts",
                      R"({"name":"ci-bot","display_name":"CI","labels":{"team":"platform"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  json account = json::parse(created.body);
  std::string id = account["id"];
  EXPECT_EQ(id.rfind("sa_", 0), 0u);
  EXPECT_EQ(created.get_header_value("ETag"), "\"1\"");

  EXPECT_EQ(json::parse(Send("GET", "/v1/service_accounts/ci-bot").body)["id"], id);
  EXPECT_EQ(json::parse(Send("GET", "/v1/service_accounts/" + id).body)["name"], "ci-bot");
  auto patched = Send("PATCH", "/v1/service_accounts/ci-bot", R"({"description":"builds"})",
                      {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  ExpectError(Send("PATCH", "/v1/service_accounts/ci-bot", R"({"description":"x"})",
                   {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");
  json list = json::parse(Send("GET", "/v1/service_accounts?label=team:platform").body);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(Send("DELETE", "/v1/service_accounts/" + id).status, 204);
  ExpectError(Send("GET", "/v1/service_accounts/ci-bot"), 404, "not_found", "");

  json events = json::parse(Send("GET", "/v1/audit-events?target_id=" + id).body)["items"];
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["action"], "service_account.create");
  EXPECT_EQ(events[1]["action"], "service_account.update");
  EXPECT_EQ(events[2]["action"], "service_account.delete");
}

TEST_F(ServiceAccountApiTest, BadInputIsNamedAndChangesNothing) {
  ASSERT_EQ(Send("POST", "/v1/service_accounts", R"({"name":"ci-bot"})").status, 201);
  size_t events = AuditEvents().size();
  ExpectError(Send("POST", "/v1/service_accounts", R"({"name":"ci-bot"})"), 409, "already_exists",
              "name");
  ExpectError(Send("POST", "/v1/service_accounts", R"({"name":"CI Bot"})"), 400,
              "invalid_argument", "name");
  ExpectError(Send("POST", "/v1/service_accounts", R"({"name":"x","email":"a@b.c"})"), 400,
              "invalid_argument", "email");
  ExpectError(Send("POST", "/v1/service_accounts", R"({"name":"x","labels":[]})"), 400,
              "invalid_argument", "labels");
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(json::parse(Send("GET", "/v1/service_accounts").body)["items"].size(), 1u);
}

TEST_F(ServiceAccountApiTest, RetriedCreateWithSameKeyReturnsTheFirstAccount) {
  auto first = Send("POST", "/v1/service_accounts", R"({"name":"ci-bot"})",
                    {{"Idempotency-Key", "sa-1"}});
  auto retry = Send("POST", "/v1/service_accounts", R"({"name":"ci-bot"})",
                    {{"Idempotency-Key", "sa-1"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::parse(retry.body)["id"], json::parse(first.body)["id"]);
}

}  // namespace
}  // namespace rampart::http
