// API keys of service accounts through a real server: the secret is shown once, the key
// authenticates as its service account until revoked, expired or its account deleted.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class ApiKeyApiTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    auto account = Send("POST", "/v1/service_accounts", R"({"name":"ci-bot"})");
    // Its keys then have something to do once authenticated.
    GrantInOrganization("organization.admin", "service_account_id", "ci-bot");
    ASSERT_EQ(account.status, 201);
    account_id_ = json::parse(account.body)["id"];
  }

  json CreateKey(const json& body = json::object()) {
    auto created = Send("POST", "/v1/service_accounts/ci-bot/keys", body.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    return json::parse(created.body);
  }

  int StatusWithToken(const std::string& token) {
    httplib::Client client("127.0.0.1", port_);
    client.set_bearer_token_auth(token.c_str());
    auto result = client.Get("/v1/organization");
    return result ? result->status : -1;
  }

  std::string account_id_;
};

TEST_F(ApiKeyApiTest, SecretIsShownOnceAndAuthenticatesAsTheServiceAccount) {
  json key = CreateKey({{"description", "deploys"}});
  std::string token = key["token"];
  EXPECT_EQ(key["service_account_id"], account_id_);
  EXPECT_TRUE(key["expires_at"].is_null());
  EXPECT_TRUE(key["last_used_at"].is_null());

  auto read = Send("GET", "/v1/api_keys/" + key["id"].get<std::string>());
  ASSERT_EQ(read.status, 200);
  json listed = json::parse(Send("GET", "/v1/service_accounts/ci-bot/keys").body)["items"];
  ASSERT_EQ(listed.size(), 1u);
  for (const std::string& body : {read.body, listed.dump(), Send("GET", "/v1/audit-events").body}) {
    EXPECT_EQ(body.find(token.substr(token.find('.') + 1)), std::string::npos);
    EXPECT_EQ(body.find("token"), std::string::npos);
    EXPECT_EQ(body.find("secret"), std::string::npos);
  }

  httplib::Client bot("127.0.0.1", port_);
  bot.set_bearer_token_auth(token.c_str());
  auto created = bot.Post("/v1/workspaces", R"({"name":"made-by-bot"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201);
  EXPECT_EQ(json::parse(created->body)["created_by"], "service_account:" + account_id_);
  EXPECT_EQ(AuditEvents().back().actor, "service_account:" + account_id_);
  json used = json::parse(Send("GET", "/v1/api_keys/" + key["id"].get<std::string>()).body);
  EXPECT_EQ(used["last_used_at"], FormatTimestamp(clock_.Now()));
}

TEST_F(ApiKeyApiTest, RevokedKeyIsRefusedAndStaysListed) {
  json key = CreateKey();
  std::string id = key["id"];
  ASSERT_EQ(StatusWithToken(key["token"]), 200);
  EXPECT_EQ(Send("DELETE", "/v1/api_keys/" + id).status, 204);
  EXPECT_EQ(StatusWithToken(key["token"]), 401);
  json listed = json::parse(Send("GET", "/v1/service_accounts/ci-bot/keys").body)["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0]["revoked_at"].is_null());
  EXPECT_EQ(Send("DELETE", "/v1/api_keys/" + id).status, 204);  // already revoked: no change
  EXPECT_EQ(AuditEvents().back().action, "api_key.revoke");
  size_t revocations = 0;
  for (const AuditEvent& event : AuditEvents()) revocations += event.action == "api_key.revoke";
  EXPECT_EQ(revocations, 1u);
}

TEST_F(ApiKeyApiTest, ExpiredKeyIsRefusedAtItsExpiry) {
  json key = CreateKey({{"expires_at", FormatTimestamp(clock_.Now() + 60 * 60 * 1000)}});
  EXPECT_EQ(StatusWithToken(key["token"]), 200);
  clock_.Advance(60 * 60 * 1000);
  EXPECT_EQ(StatusWithToken(key["token"]), 401);
}

TEST_F(ApiKeyApiTest, DeletingTheServiceAccountRevokesItsKeys) {
  json key = CreateKey();
  ASSERT_EQ(StatusWithToken(key["token"]), 200);  // known to the authenticator
  ASSERT_EQ(Send("DELETE", "/v1/service_accounts/ci-bot").status, 204);
  EXPECT_EQ(StatusWithToken(key["token"]), 401);
  auto read = Send("GET", "/v1/api_keys/" + key["id"].get<std::string>());
  ASSERT_EQ(read.status, 200);
  EXPECT_FALSE(json::parse(read.body)["revoked_at"].is_null());
}

TEST_F(ApiKeyApiTest, BadInputIsNamedAndCreatesNoKey) {
  const std::string keys = "/v1/service_accounts/ci-bot/keys";
  ExpectError(Send("POST", keys, json{{"expires_at", FormatTimestamp(clock_.Now() - 1000)}}.dump()),
              400, "invalid_argument", "expires_at");
  ExpectError(Send("POST", keys, R"({"expires_at":"tomorrow"})"), 400, "invalid_argument",
              "expires_at");
  ExpectError(Send("POST", keys, R"({"expires_at":5})"), 400, "invalid_argument", "expires_at");
  ExpectError(Send("POST", keys, R"({"token":"mine"})"), 400, "invalid_argument", "token");
  ExpectError(Send("POST", keys, json{{"description", std::string(300, 'x')}}.dump()), 400,
              "invalid_argument", "description");
  ExpectError(Send("POST", "/v1/service_accounts/nobody/keys", "{}"), 404, "not_found", "");
  ExpectError(Send("GET", "/v1/api_keys/key_00000000000000000000"), 404, "not_found", "");
  EXPECT_EQ(json::parse(Send("GET", keys).body)["items"], json::array());
}

// Route permissions are not enforced yet, so a service-account key could otherwise revoke
// the organization's first admin key (and with it the system administrator's).
TEST_F(ApiKeyApiTest, OrganizationAdminKeyIsNotReachableThroughTheKeyApi) {
  json key = CreateKey();
  httplib::Client bot("127.0.0.1", port_);
  bot.set_bearer_token_auth(key["token"].get<std::string>().c_str());
  ExpectError(bot.Get(("/v1/api_keys/" + organization_.key_id).c_str()), 404, "not_found", "");
  ExpectError(bot.Delete(("/v1/api_keys/" + organization_.key_id).c_str()), 404, "not_found", "");
  EXPECT_EQ(StatusWithToken(organization_.token), 200);
}

TEST_F(ApiKeyApiTest, KeyListTakesNoParameters) {
  ExpectError(Send("GET", "/v1/service_accounts/ci-bot/keys?page_size=abc"), 400,
              "invalid_argument", "page_size");
}

TEST_F(ApiKeyApiTest, LastUseIsStampedAtMostOncePerMinute) {
  json key = CreateKey();
  std::string id = key["id"];
  auto last_used = [&] { return json::parse(Send("GET", "/v1/api_keys/" + id).body)["last_used_at"]; };
  ASSERT_EQ(StatusWithToken(key["token"]), 200);
  json first = last_used();
  EXPECT_EQ(first, FormatTimestamp(clock_.Now()));
  clock_.Advance(30 * 1000);
  ASSERT_EQ(StatusWithToken(key["token"]), 200);
  EXPECT_EQ(last_used(), first);
  clock_.Advance(31 * 1000);
  ASSERT_EQ(StatusWithToken(key["token"]), 200);
  EXPECT_EQ(last_used(), FormatTimestamp(clock_.Now()));
}

TEST_F(ApiKeyApiTest, RetriedKeyCreateNeverRepeatsTheSecret) {
  auto first = Send("POST", "/v1/service_accounts/ci-bot/keys", "{}", {{"Idempotency-Key", "k"}});
  ASSERT_EQ(first.status, 201);
  json body = ExpectError(
      Send("POST", "/v1/service_accounts/ci-bot/keys", "{}", {{"Idempotency-Key", "k"}}), 409,
      "conflict", "Idempotency-Key");
  EXPECT_EQ(body.dump().find(json::parse(first.body)["token"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(json::parse(Send("GET", "/v1/service_accounts/ci-bot/keys").body)["items"].size(), 1u);
}

}  // namespace
}  // namespace rampart::http
