// GET /v1/access-matrix?at=...: the matrix as it was at a past instant, rebuilt from the
// audit trail, must equal the matrix that was served at that instant, whatever changed
// since (memberships, grants revoked and made, a workspace deleted with its grants).
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service/audit_retention.h"
#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class AccessHistoryApiTest : public testing::ApiServerFixture {
 protected:
  std::string Create(const std::string& path, const json& body) {
    auto response = Send("POST", path, body.dump());
    EXPECT_EQ(response.status, 201) << path << ": " << response.body;
    return json::parse(response.body).value("id", "");
  }
  json Matrix(const std::string& query) {
    auto response = Send("GET", "/v1/access-matrix?" + query);
    EXPECT_EQ(response.status, 200) << query << ": " << response.body;
    return json::parse(response.body);
  }

  // The state at the instant of interest: two workspaces, a team with a member, grants to
  // the team and to a user directly; returns that instant.
  TimestampMs Before() {
    Create("/v1/workspaces", {{"name", "alpha"}});
    const std::string beta = Create("/v1/workspaces", {{"name", "beta"}});
    dana_ = Create("/v1/users", {{"email", "dana@example.com"}});
    eli_ = Create("/v1/users", {{"email", "eli@example.com"}});
    devs_ = Create("/v1/teams", {{"name", "devs"}, {"members", {dana_}}});
    const std::string alpha = json::parse(Send("GET", "/v1/workspaces/alpha").body)["id"];
    Create("/v1/role_assignments", {{"role", "workspace.member"}, {"team_id", devs_}, {"workspace_id", alpha}});
    eli_grant_ = Create("/v1/role_assignments", {{"role", "workspace.viewer"}, {"user_id", eli_}, {"workspace_id", alpha}});
    Create("/v1/role_assignments", {{"role", "workspace.admin"}, {"user_id", dana_}, {"workspace_id", beta},
                                    {"expires_at", FormatTimestamp(clock_.Now() + 3 * kHourMs)}});
    return clock_.Now();
  }

  // Everything that changes it afterwards.
  void After() {
    clock_.Advance(kHourMs);
    ASSERT_EQ(Send("PATCH", "/v1/teams/devs", json{{"members", {eli_}}}.dump()).status, 200);
    ASSERT_EQ(Send("DELETE", "/v1/role_assignments/" + eli_grant_).status, 204);
    Create("/v1/role_assignments", {{"role", "workspace.admin"}, {"user_id", dana_},
                                    {"workspace_id", json::parse(Send("GET", "/v1/workspaces/alpha").body)["id"]}});
    ASSERT_EQ(Send("PATCH", "/v1/users/dana@example.com", R"({"display_name": "Dana S."})").status, 200);
    ASSERT_EQ(Send("DELETE", "/v1/workspaces/beta").status, 204);  // its grant goes with it
    clock_.Advance(4 * kHourMs);  // past the beta grant's expiry too
  }

  std::string dana_, eli_, devs_, eli_grant_;
};

TEST_F(AccessHistoryApiTest, TheMatrixAsOfAPastInstantIsTheOneServedThen) {
  const TimestampMs then = Before();
  const json organization_then = Matrix("scope=organization");
  const json alpha_then = Matrix("scope=workspaces/alpha");
  const json beta_then = Matrix("scope=workspaces/beta");
  ASSERT_GE(alpha_then["rows"].size(), 3u);
  After();
  ASSERT_NE(Matrix("scope=workspaces/alpha")["rows"], alpha_then["rows"]) << "the changes must show now";

  const std::string at = "&at=" + FormatTimestamp(then);
  EXPECT_EQ(Matrix("scope=organization" + at)["rows"], organization_then["rows"]);
  EXPECT_EQ(Matrix("scope=workspaces/alpha" + at)["rows"], alpha_then["rows"]);
  // A workspace deleted since is found by its name as it was.
  EXPECT_EQ(Matrix("scope=workspaces/beta" + at)["rows"], beta_then["rows"]);
  EXPECT_EQ(Matrix("scope=workspaces/alpha" + at)["at"], FormatTimestamp(then));

  auto csv = Send("GET", "/v1/access-matrix?scope=workspaces/alpha&format=csv" + at);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body, Send("GET", "/v1/access-matrix?scope=workspaces/alpha&format=csv&at=" +
                                      FormatTimestamp(then)).body);
  EXPECT_NE(csv.body.find("\"eli@example.com\""), std::string::npos) << csv.body;
}

TEST_F(AccessHistoryApiTest, AnInstantOutsideTheTrailIsRefusedOnTheField) {
  const TimestampMs then = Before();
  ExpectError(Send("GET", "/v1/access-matrix?at=yesterday"), 400, "invalid_argument", "at");
  ExpectError(Send("GET", "/v1/access-matrix?at=" + FormatTimestamp(clock_.Now() + kHourMs)), 400,
              "invalid_argument", "at");
  ExpectError(Send("GET", "/v1/access-matrix?at=" + FormatTimestamp(kStart - kHourMs)), 400, "invalid_argument",
              "at");
  // Once retention purged the events up to some point, instants before it cannot be rebuilt.
  ASSERT_EQ(Send("PATCH", "/v1/organization", R"({"audit_retention_days": 1})").status, 200);
  clock_.Advance(48 * kHourMs);
  ASSERT_TRUE(AuditRetention(*store_, clock_).PurgeDue().ok());
  json error = ExpectError(Send("GET", "/v1/access-matrix?at=" + FormatTimestamp(then)), 400, "invalid_argument", "at");
  EXPECT_NE(error["message"].get<std::string>().find("purged by retention"), std::string::npos) << error;
  EXPECT_EQ(Send("GET", "/v1/access-matrix?at=" + FormatTimestamp(clock_.Now())).status, 200);
}

TEST_F(AccessHistoryApiTest, AskingAboutThePastNeedsTheSamePermissionAsNow) {
  const TimestampMs then = Before();
  const std::string outsider = UserWithKey("outsider@example.com");
  ExpectError(SendAs(outsider, "GET", "/v1/access-matrix?at=" + FormatTimestamp(then)), 403, "permission_denied", "");
  After();
  // beta is gone: asking about it as it was takes role_assignment:read on the organization.
  ExpectError(SendAs(outsider, "GET", "/v1/access-matrix?scope=workspaces/beta&at=" + FormatTimestamp(then)), 403,
              "permission_denied", "");
}

}  // namespace
}  // namespace rampart::http
