// Custom roles and role assignments through the REST API (SPEC section 3): CRUD, the rules of
// inheritance, built-ins that cannot change, what a custom role grants, and every way to
// grant more than one holds that we could think of, each refused (403, audited) and
// changing nothing.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class RolesApiTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    for (const char* workspace : {"w1", "w2"}) Create("/v1/workspaces", {{"name", workspace}});
    Create("/v1/workspaces/w1/projects", {{"name", "p"}});
    Create("/v1/workspaces/w1/stacks", {{"name", "prod"}});
    stack_ = Read("/v1/workspaces/w1/stacks/prod")["id"];
    project_ = Read("/v1/workspaces/w1/projects/p")["id"];
    // Someone who governs access in w1 only, and runs things there.
    grantor_ = UserWithKey("grantor@example.com");
    Create("/v1/role_assignments", {{"role", "workspace.member"}, {"user_id", "grantor@example.com"},
                                    {"workspace_id", "w1"}});
    Create("/v1/roles", {{"name", "access-steward"},
                         {"permissions", {"role_assignment:*", "stack:read", "stack:use", "project:read"}}});
    Create("/v1/role_assignments", {{"role", "access-steward"}, {"user_id", "grantor@example.com"},
                                    {"workspace_id", "w1"}});
    UserWithKey("target@example.com");
  }

  json Create(const std::string& path, const json& body) {
    httplib::Response created = Send("POST", path, body.dump());
    EXPECT_EQ(created.status, 201) << path << " " << body.dump() << ": " << created.body;
    return json::parse(created.body, nullptr, false);
  }
  json Read(const std::string& path) { return json::parse(Send("GET", path).body, nullptr, false); }
  bool Allowed(const std::string& principal, const std::string& permission,
               const std::string& resource) {
    json answer = json::parse(Send("POST", "/v1/check",
                                   json{{"principal", principal}, {"permission", permission},
                                        {"resource", resource}}.dump()).body);
    return answer["allowed"] == true;
  }
  // A request as the grantor that must be refused with 403 naming `missing`, audited as a
  // denial, leaving assignments and roles as they were.
  void ExpectDenied(const std::string& method, const std::string& path, const json& body,
                    const std::string& missing) {
    json before = Read("/v1/role_assignments?page_size=500")["items"];
    json roles_before = Read("/v1/roles?page_size=500")["items"];
    size_t events = AuditEvents().size();
    httplib::Response denied = SendAs(grantor_, method, path, body.is_null() ? "" : body.dump());
    json error = ExpectError(denied, 403, "permission_denied", "");
    EXPECT_NE(error.value("message", "").find(missing), std::string::npos) << error;
    ASSERT_EQ(AuditEvents().size(), events + 1);
    EXPECT_EQ(AuditEvents().back().action, "access.denied");
    EXPECT_EQ(AuditEvents().back().outcome, "denied");
    EXPECT_EQ(Read("/v1/role_assignments?page_size=500")["items"], before);
    EXPECT_EQ(Read("/v1/roles?page_size=500")["items"], roles_before);
  }

  std::string grantor_;
  std::string stack_;
  std::string project_;
};

TEST_F(RolesApiTest, CustomRoleLifecycle) {
  json role = Create("/v1/roles", {{"name", "pipeline-runner"},
                                   {"permissions", {"pipeline:run", "pipeline:read"}},
                                   {"assignable_at", {"project", "workspace"}}});
  EXPECT_EQ(role["name"], "pipeline-runner");
  EXPECT_EQ(role["assignable_at"], (json{"workspace", "project"}));  // in scope order
  std::string id = role["id"];
  EXPECT_EQ(Read("/v1/roles/pipeline-runner")["id"], id);
  EXPECT_EQ(Read("/v1/roles/" + id)["name"], "pipeline-runner");
  httplib::Response patched = Send("PATCH", "/v1/roles/pipeline-runner",
                                   json{{"permissions", {"pipeline:*"}}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json::parse(patched.body)["permissions"], (json{"pipeline:*"}));
  // A stale revision is refused.
  ExpectError(Send("PATCH", "/v1/roles/pipeline-runner", R"({"description":"x"})", {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");
  EXPECT_EQ(Send("DELETE", "/v1/roles/pipeline-runner").status, 204);
  ExpectError(Send("GET", "/v1/roles/pipeline-runner"), 404, "not_found", "");
}

TEST_F(RolesApiTest, BadRolesAreNamedAndChangeNothing) {
  size_t events = AuditEvents().size();
  ExpectError(Send("POST", "/v1/roles", json{{"name", "r"}, {"permissions", {"stack:read", "stak:use"}}}.dump()),
              400, "invalid_argument", "permissions[1]");
  ExpectError(Send("POST", "/v1/roles", json{{"name", "has.dot"}, {"permissions", {"stack:read"}}}.dump()),
              400, "invalid_argument", "name");
  ExpectError(Send("POST", "/v1/roles", json{{"name", "r"}, {"permissions", json::array()}, {"inherits", {"nope"}}}.dump()),
              422, "unprocessable", "inherits[0]");
  ExpectError(Send("POST", "/v1/roles", json{{"name", "r"}, {"permissions", json::array()}, {"assignable_at", {"galaxy"}}}.dump()),
              400, "invalid_argument", "assignable_at[0]");
  ExpectError(Send("POST", "/v1/roles", json{{"name", "access-steward"}, {"permissions", {"stack:read"}}}.dump()),
              409, "already_exists", "name");
  EXPECT_EQ(AuditEvents().size(), events);
}

TEST_F(RolesApiTest, InheritanceCyclesAreRefused) {
  Create("/v1/roles", {{"name", "a"}, {"permissions", {"stack:read"}}});
  Create("/v1/roles", {{"name", "b"}, {"permissions", json::array()}, {"inherits", {"a"}}});
  Create("/v1/roles", {{"name", "c"}, {"permissions", json::array()}, {"inherits", {"b"}}});
  ExpectError(Send("PATCH", "/v1/roles/a", json{{"inherits", {"c"}}}.dump()), 400, "invalid_argument",
              "inherits");
  ExpectError(Send("PATCH", "/v1/roles/a", json{{"inherits", {"a"}}}.dump()), 400, "invalid_argument",
              "inherits[0]");
  EXPECT_EQ(Read("/v1/roles/a")["inherits"], json::array());
  // Inherited permissions reach the holder of the inheriting role.
  Create("/v1/role_assignments", {{"role", "c"}, {"user_id", "target@example.com"}, {"stack_id", stack_}});
  EXPECT_TRUE(Allowed("user:target@example.com", "stack:read", "workspaces/w1/stacks/prod"));
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:use", "workspaces/w1/stacks/prod"));
  // A role in use, or inherited, cannot be deleted.
  ExpectError(Send("DELETE", "/v1/roles/a"), 409, "conflict", "");
}

TEST_F(RolesApiTest, BuiltInRolesAreListedWithTheirPermissionsAndReadOnly) {
  json roles = Read("/v1/roles?page_size=500")["items"];
  json stack_write;
  for (const json& role : roles) {
    if (role["name"] == "stack.write") stack_write = role;
  }
  ASSERT_TRUE(stack_write.is_object()) << roles;
  EXPECT_EQ(stack_write["permissions"], (json{"stack:read", "stack:use", "stack:update"}));
  ExpectError(Send("PATCH", "/v1/roles/stack.write", R"({"permissions":["*"]})"), 409, "conflict", "");
  ExpectError(Send("DELETE", "/v1/roles/organization.admin"), 409, "conflict", "");
  EXPECT_EQ(Read("/v1/roles/stack.write")["permissions"], stack_write["permissions"]);
}

TEST_F(RolesApiTest, AssignmentsRecordWhoGrantedWhenAndWhyAndRespectAssignableAt) {
  json made = Create("/v1/role_assignments", {{"role", "project.viewer"}, {"user_id", "target@example.com"},
                                              {"project_id", project_}, {"reason", "on call"}});
  EXPECT_EQ(made["reason"], "on call");
  EXPECT_FALSE(made["granted_by"].get<std::string>().empty());
  EXPECT_FALSE(made["granted_at"].get<std::string>().empty());
  ExpectError(Send("POST", "/v1/role_assignments",
                   json{{"role", "project.viewer"}, {"user_id", "target@example.com"}, {"stack_id", stack_}}.dump()),
              400, "invalid_argument", "role");
  ExpectError(Send("POST", "/v1/role_assignments",
                   json{{"role", "viewer"}, {"user_id", "ghost@example.com"}, {"workspace_id", "w1"}}.dump()),
              422, "unprocessable", "user_id");
  EXPECT_EQ(Send("DELETE", "/v1/role_assignments/" + made["id"].get<std::string>()).status, 204);
  EXPECT_FALSE(Allowed("user:target@example.com", "project:read", "workspaces/w1/projects/p"));
}

TEST_F(RolesApiTest, NoGrantBeyondWhatTheGrantorHoldsAtThatScope) {
  // stack.admin there adds stack:create, stack:delete and more, which the steward lacks.
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "stack.admin"}, {"user_id", "target@example.com"}, {"stack_id", stack_}}, "stack:create");
  // Not where it holds nothing: another workspace, or the organization above.
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.member"}, {"user_id", "target@example.com"}, {"workspace_id", "w2"}},
               "role_assignment:create");
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "organization.member"}, {"user_id", "target@example.com"}},
               "role_assignment:create");
  // What it holds, it may grant.
  httplib::Response granted = SendAs(grantor_, "POST", "/v1/role_assignments",
                                     json{{"role", "stack.read"}, {"user_id", "target@example.com"},
                                          {"stack_id", stack_}}.dump());
  ASSERT_EQ(granted.status, 201) << granted.body;
  // Nor turn it into more afterwards: an assignment's role and scope never change.
  std::string id = json::parse(granted.body)["id"];
  ExpectError(SendAs(grantor_, "PATCH", "/v1/role_assignments/" + id, R"({"role":"stack.admin"})"),
              400, "invalid_argument", "role");
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:delete", "workspaces/w1/stacks/prod"));
}

TEST_F(RolesApiTest, NoGrantThroughItsOwnAssignmentOrACustomRole) {
  // Granting itself more: refused like any other grant.
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.admin"}, {"user_id", "grantor@example.com"}, {"workspace_id", "w1"}},
               "permission denied");
  // Making or widening a role needs role:create / role:update, and what it grants.
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", {"stack:delete"}}}, "role:create");
  // An author of roles at the organization, who holds little else there.
  Create("/v1/roles", {{"name", "role-author"}, {"permissions", {"role:*"}}});
  GrantInOrganization("role-author", "user_id", "grantor@example.com");
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", {"*"}}}, "a role cannot grant more");
  ExpectDenied("PATCH", "/v1/roles/access-steward", {{"permissions", {"*"}}}, "a role cannot grant more");
  ExpectDenied("PATCH", "/v1/roles/access-steward", {{"inherits", {"organization.admin"}}},
               "a role cannot grant more");
}

TEST_F(RolesApiTest, JoiningATeamNeedsWhatTheTeamHolds) {
  Create("/v1/teams", {{"name", "ops"}});
  Create("/v1/role_assignments", {{"role", "stack.admin"}, {"team_id", "ops"}, {"stack_id", stack_}});
  GrantInOrganization("editor", "user_id", "grantor@example.com");  // may update teams
  ExpectDenied("PUT", "/v1/teams/ops/members/user:grantor@example.com", nullptr, "stack:delete");
  ExpectDenied("PUT", "/v1/teams/ops/members", {{"members", {"user:target@example.com"}}}, "stack:delete");
  ExpectDenied("PATCH", "/v1/teams/ops", {{"members", {"user:target@example.com"}}}, "stack:delete");
  EXPECT_EQ(Read("/v1/teams/ops")["members"], json::array());
  EXPECT_FALSE(Allowed("user:grantor@example.com", "stack:delete", "workspaces/w1/stacks/prod"));
  // A team that holds nothing the editor lacks can be joined.
  Create("/v1/teams", {{"name", "readers"}});
  Create("/v1/role_assignments", {{"role", "stack.read"}, {"team_id", "readers"}, {"stack_id", stack_}});
  httplib::Response joined = SendAs(grantor_, "PATCH", "/v1/teams/readers",
                                    json{{"members", {"user:target@example.com"}}}.dump());
  EXPECT_EQ(joined.status, 200) << joined.body;
}

TEST_F(RolesApiTest, RolesOfAnotherOrganizationAreInvisibleAndUnusable) {
  Create("/v1/roles", {{"name", "secret-role"}, {"permissions", {"stack:read"}}});
  std::string foreign_id = Read("/v1/roles/secret-role")["id"];
  // A second organization, with the system-admin key, and a key of its own.
  json other = Create("/v1/organizations", {{"name", "other"}});
  std::string token = other["token"];
  ExpectError(SendAs(token, "GET", "/v1/roles/secret-role"), 404, "not_found", "");
  ExpectError(SendAs(token, "GET", "/v1/roles/" + foreign_id), 404, "not_found", "");
  httplib::Response created = SendAs(token, "POST", "/v1/users", R"({"email":"x@example.com"})");
  ASSERT_EQ(created.status, 201) << created.body;
  ExpectError(SendAs(token, "POST", "/v1/role_assignments",
                     json{{"role", foreign_id}, {"user_id", "x@example.com"}}.dump()),
              422, "unprocessable", "role");
  ExpectError(SendAs(token, "POST", "/v1/roles", json{{"name", "r"}, {"permissions", json::array()}, {"inherits", {foreign_id}}}.dump()),
              422, "unprocessable", "inherits[0]");
  json listed = json::parse(SendAs(token, "GET", "/v1/role_assignments").body)["items"];
  for (const json& assignment : listed) EXPECT_NE(assignment["role"], foreign_id);
}

}  // namespace
}  // namespace rampart::http
