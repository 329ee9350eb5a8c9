// SPEC section 9, scenario 1, at the REST level: Team Alpha's teams and access matrix, then
// the checks the scenario promises, asked of POST /v1/check and tried for real with each
// team's own key.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class TeamAlphaAuthzTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    Create("/v1/workspaces", {{"name", "alpha-workspace"}});
    Create("/v1/workspaces/alpha-workspace/projects", {{"name", "recommendation-engine"}});
    for (const char* stack : {"development", "production"}) {
      Create("/v1/workspaces/alpha-workspace/stacks", {{"name", stack}});
    }
    for (const char* team : {"developers", "ml-engineers", "ml-ops"}) {
      std::string email = std::string(team) + "@example.com";
      Create("/v1/users", {{"email", email}});
      Create("/v1/teams", {{"name", team}, {"members", {"user:" + email}}});
      json key = Create("/v1/users/" + email + "/keys", json::object());
      tokens_[team] = key["token"];
    }
    const std::string stacks = "/v1/workspaces/alpha-workspace/stacks/";
    std::string development = Read(stacks + "development")["id"];
    std::string production = Read(stacks + "production")["id"];
    std::string project = Read("/v1/workspaces/alpha-workspace/projects/recommendation-engine")["id"];
    struct Row {
      const char* team;
      const char* workspace_role;
      const char* project_role;
      const char* development_role;
      const char* production_role;
    };
    for (const Row& row : {Row{"developers", "workspace.member", "project.contributor", "stack.write", "stack.read"},
                           Row{"ml-engineers", "workspace.member", "project.admin", "stack.write", "stack.read"},
                           Row{"ml-ops", "workspace.admin", "project.admin", "stack.admin", "stack.admin"}}) {
      Assign(row.workspace_role, row.team, "workspace_id", "alpha-workspace");
      Assign(row.project_role, row.team, "project_id", project);
      Assign(row.development_role, row.team, "stack_id", development);
      Assign(row.production_role, row.team, "stack_id", production);
    }
  }

  json Create(const std::string& path, const json& body) {
    auto created = Send("POST", path, body.dump());
    EXPECT_EQ(created.status, 201) << path << ": " << created.body;
    return json::parse(created.body, nullptr, false);
  }
  json Read(const std::string& path) { return json::parse(Send("GET", path).body); }
  void Assign(const char* role, const char* team, const char* scope_field, const std::string& scope) {
    Create("/v1/role_assignments", {{"role", role}, {"team_id", team}, {scope_field, scope}});
  }

  bool Allowed(const std::string& team, const std::string& permission, const std::string& resource) {
    json answer = json::parse(Send("POST", "/v1/check",
                                   json{{"principal", "user:" + team + "@example.com"},
                                        {"permission", permission},
                                        {"resource", resource}}.dump()).body);
    EXPECT_TRUE(answer["allowed"].is_boolean()) << answer.dump();
    return answer["allowed"] == true;
  }

  // Sends as the team's member, with that user's own key.
  httplib::Result As(const std::string& team, const std::string& method, const std::string& path,
                     const json& body = nullptr) {
    httplib::Client client("127.0.0.1", port_);
    client.set_bearer_token_auth(tokens_[team].c_str());
    httplib::Request request;
    request.method = method;
    request.path = path;
    if (!body.is_null()) {
      request.body = body.dump();
      request.set_header("Content-Type", "application/json");
    }
    request.headers.emplace("Authorization", "Bearer " + tokens_[team]);
    return client.send(request);
  }

  std::map<std::string, std::string> tokens_;
  const std::string development_ = "workspaces/alpha-workspace/stacks/development";
  const std::string production_ = "workspaces/alpha-workspace/stacks/production";
};

TEST_F(TeamAlphaAuthzTest, DeveloperUsesTheDevStackAndOnlyReadsProduction) {
  EXPECT_TRUE(Allowed("developers", "stack:use", development_));
  EXPECT_FALSE(Allowed("developers", "stack:use", production_));
  EXPECT_TRUE(Allowed("developers", "stack:read", production_));
  EXPECT_TRUE(Allowed("developers", "pipeline:run", "workspaces/alpha-workspace/projects/recommendation-engine"));
  EXPECT_FALSE(Allowed("developers", "project:update", "workspaces/alpha-workspace/projects/recommendation-engine"));
  json explained = json::parse(Send("POST", "/v1/check",
                                    json{{"principal", "user:developers@example.com"},
                                         {"permission", "stack:use"},
                                         {"resource", development_}}.dump()).body);
  EXPECT_EQ(explained["explanation"]["role_name"], "stack.write");
  EXPECT_EQ(explained["explanation"]["scope"]["type"], "stack");
  EXPECT_EQ(explained["explanation"]["via_team_id"], Read("/v1/teams/developers")["id"]);
}

TEST_F(TeamAlphaAuthzTest, OnlyMlOpsMayDeleteOrGrantOnProduction) {
  for (const char* permission : {"stack:delete", "role_assignment:create"}) {
    EXPECT_TRUE(Allowed("ml-ops", permission, production_)) << permission;
    EXPECT_FALSE(Allowed("ml-engineers", permission, production_)) << permission;
    EXPECT_FALSE(Allowed("developers", permission, production_)) << permission;
  }
  json who = Read("/v1/who-can?permission=stack:delete&resource=" + production_)["items"];
  std::set<std::string> names;
  for (const json& row : who) names.insert(row["principal_name"].get<std::string>());
  // ml-ops's member, and the organization's first admin key (organization.admin).
  EXPECT_EQ(names, (std::set<std::string>{"ml-ops@example.com", organization_.key_id}));
}

TEST_F(TeamAlphaAuthzTest, ChecksInABatchAnswerInOrder) {
  json answer = json::parse(Send("POST", "/v1/check", json{{"checks", {
      {{"principal", "team:developers"}, {"permission", "stack:use"}, {"resource", development_}},
      {{"principal", "team:developers"}, {"permission", "stack:use"}, {"resource", production_}},
  }}}.dump()).body);
  ASSERT_EQ(answer["results"].size(), 2u);
  EXPECT_EQ(answer["results"][0]["allowed"], true);
  EXPECT_EQ(answer["results"][1]["allowed"], false);
  ExpectError(Send("POST", "/v1/check", json{{"checks", {{{"principal", "team:developers"}, {"permission", "stak:use"}, {"resource", development_}}}}}.dump()),
              400, "invalid_argument", "checks[0].permission");
  ExpectError(Send("POST", "/v1/check", json{{"principal", "user:nobody@example.com"}, {"permission", "stack:use"}, {"resource", development_}}.dump()),
              422, "unprocessable", "principal");
}

TEST_F(TeamAlphaAuthzTest, DeveloperCannotGrantItselfAnythingAndTheAttemptIsAudited) {
  size_t events = AuditEvents().size();
  auto grab = As("developers", "POST", "/v1/role_assignments",
                 {{"role", "stack.admin"}, {"user_id", "developers@example.com"},
                  {"stack_id", Read("/v1/" + production_)["id"]}});
  ExpectError(grab, 403, "permission_denied", "");
  auto wider = As("developers", "POST", "/v1/role_assignments",
                  {{"role", "stack.write"}, {"team_id", "developers"},
                   {"stack_id", Read("/v1/" + production_)["id"]}});
  ExpectError(wider, 403, "permission_denied", "");
  std::vector<AuditEvent> after = AuditEvents();
  ASSERT_EQ(after.size(), events + 2);
  EXPECT_EQ(after.back().outcome, "denied");
  EXPECT_EQ(after.back().actor, "user:" + Read("/v1/users/developers@example.com")["id"].get<std::string>());
  EXPECT_FALSE(Allowed("developers", "stack:use", production_));
}

TEST_F(TeamAlphaAuthzTest, ProjectAdminCannotGrantOnAStackItDoesNotGovern) {
  auto grant = As("ml-engineers", "POST", "/v1/role_assignments",
                  {{"role", "stack.write"}, {"team_id", "ml-engineers"},
                   {"stack_id", Read("/v1/" + production_)["id"]}});
  ExpectError(grant, 403, "permission_denied", "");
  // Within its project it may grant what it holds, but no more than that.
  std::string project = Read("/v1/workspaces/alpha-workspace/projects/recommendation-engine")["id"];
  auto within = As("ml-engineers", "POST", "/v1/role_assignments",
                   {{"role", "project.viewer"}, {"team_id", "developers"}, {"project_id", project}});
  ASSERT_TRUE(within);
  EXPECT_EQ(within->status, 201) << within->body;
  auto wider = As("ml-engineers", "POST", "/v1/role_assignments",
                  {{"role", "workspace.admin"}, {"team_id", "ml-engineers"}, {"workspace_id", "alpha-workspace"}});
  ExpectError(wider, 403, "permission_denied", "");
}

TEST_F(TeamAlphaAuthzTest, KeysOfEachTeamAreHeldToTheMatrix) {
  const std::string production = "/v1/workspaces/alpha-workspace/stacks/production";
  auto read = As("developers", "GET", production);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  ExpectError(As("developers", "DELETE", production), 403, "permission_denied", "");
  ExpectError(As("developers", "PATCH", production, {{"description", "mine"}}), 403, "permission_denied", "");
  auto update = As("ml-ops", "PATCH", production, {{"description", "ops"}});
  ASSERT_TRUE(update);
  EXPECT_EQ(update->status, 200) << update->body;
  // workspace.member reads the workspace, not what is in it without its own grant.
  EXPECT_EQ(As("developers", "GET", "/v1/workspaces/alpha-workspace")->status, 200);
  ExpectError(As("developers", "DELETE", "/v1/workspaces/alpha-workspace"), 403, "permission_denied", "");
}

TEST_F(TeamAlphaAuthzTest, AccessMatrixListsEveryTeamAndMemberRowAsJsonAndCsv) {
  json matrix = Read("/v1/access-matrix?scope=workspaces/alpha-workspace");
  // 12 team assignments, each also held by the team's one member.
  EXPECT_EQ(matrix["rows"].size(), 24u);
  auto csv = Send("GET", "/v1/access-matrix?scope=workspaces/alpha-workspace&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.get_header_value("Content-Type"), "text/csv");
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 25);  // header + rows
  EXPECT_NE(csv.body.find("\"team:developers\""), std::string::npos);
  ExpectError(Send("GET", "/v1/access-matrix?scope=workspaces/nowhere"), 404, "not_found", "");
  ExpectError(Send("GET", "/v1/access-matrix?format=xml"), 400, "invalid_argument", "format");
}

}  // namespace
}  // namespace rampart::http
