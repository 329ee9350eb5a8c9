// Custom roles and role assignments through the REST API (SPEC section 3): CRUD, the rules of
// inheritance, built-ins that cannot change, what an assignment grants and what deleting
// things does to it, and every way to grant more than one holds that we could think of. Each
// rejected write is checked to change nothing: roles, assignments, teams and keys stay as
// they were, and the audit trail gains nothing (a 403 adds its one access.denied event).
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

const std::string kStack = "workspaces/w1/stacks/prod";
const std::string kProject = "workspaces/w1/projects/p";

class RolesApiTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    for (const char* workspace : {"w1", "w2"}) Create("/v1/workspaces", {{"name", workspace}});
    Create("/v1/workspaces/w1/projects", {{"name", "p"}});
    Create("/v1/workspaces/w1/stacks", {{"name", "prod"}});
    Create("/v1/workspaces/w2/stacks", {{"name", "other"}});
    stack_ = Read("/v1/" + kStack)["id"];
    project_ = Read("/v1/" + kProject)["id"];
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
  json Answer(const std::string& principal, const std::string& permission,
              const std::string& resource) {
    return json::parse(Send("POST", "/v1/check",
                            json{{"principal", principal}, {"permission", permission},
                                 {"resource", resource}}.dump()).body, nullptr, false);
  }
  bool Allowed(const std::string& principal, const std::string& permission,
               const std::string& resource) {
    json answer = Answer(principal, permission, resource);
    EXPECT_TRUE(answer["allowed"].is_boolean()) << answer;
    return answer["allowed"] == true;
  }
  std::vector<std::string> Actions() {
    std::vector<std::string> actions;
    for (const AuditEvent& event : AuditEvents()) actions.push_back(event.action);
    return actions;
  }
  // The ids of the assignments made to `principal_id`, as the admin sees them.
  std::set<std::string> AssignmentsOf(const std::string& principal_id) {
    std::set<std::string> ids;
    const json listed = Read("/v1/role_assignments?page_size=1000");  // outlives the loop
    for (const json& assignment : listed["items"]) {
      for (const char* field : {"user_id", "team_id", "service_account_id", "api_key_id"}) {
        if (assignment.value(field, "") == principal_id) ids.insert(assignment["id"].get<std::string>());
      }
    }
    return ids;
  }

  // Everything a rejected write must leave as it was.
  struct State {
    json roles;
    json assignments;
    json teams;
    json keys;
    size_t audit_events = 0;
  };
  State Snapshot() {
    State state{Read("/v1/roles?page_size=1000")["items"],
                Read("/v1/role_assignments?page_size=1000")["items"],
                Read("/v1/teams?page_size=1000")["items"],
                Read("/v1/users/target@example.com/keys")["items"], AuditEvents().size()};
    for (const json* list : {&state.roles, &state.assignments, &state.teams, &state.keys}) {
      EXPECT_TRUE(list->is_array()) << *list;
    }
    return state;
  }
  // Sends a write with `token` that must answer `status`, `code` and `field` and change
  // nothing; a 403 must name `missing` in its message and be audited as access.denied.
  json ExpectRefused(const std::string& token, const std::string& method, const std::string& path,
                     const json& body, int status, const std::string& code,
                     const std::string& field, const std::string& missing = "",
                     const httplib::Headers& headers = {}) {
    State before = Snapshot();
    json error = ExpectError(SendAs(token, method, path, body.is_null() ? "" : body.dump(), headers),
                             status, code, field);
    if (error.is_object()) {
      EXPECT_NE(error.value("message", "").find(missing), std::string::npos) << error;
    }
    std::vector<AuditEvent> events = AuditEvents();
    if (status == 403) {
      EXPECT_EQ(events.size(), before.audit_events + 1) << method << " " << path;
      if (!events.empty()) {
        EXPECT_EQ(events.back().action, "access.denied");
        EXPECT_EQ(events.back().outcome, "denied");
      }
    } else {
      EXPECT_EQ(events.size(), before.audit_events) << method << " " << path;
    }
    State after = Snapshot();
    EXPECT_EQ(after.roles, before.roles) << method << " " << path;
    EXPECT_EQ(after.assignments, before.assignments) << method << " " << path;
    EXPECT_EQ(after.teams, before.teams) << method << " " << path;
    EXPECT_EQ(after.keys, before.keys) << method << " " << path;
    return error;
  }
  // As the admin.
  json ExpectInvalid(const std::string& method, const std::string& path, const json& body,
                     int status, const std::string& code, const std::string& field,
                     const httplib::Headers& headers = {}) {
    return ExpectRefused(organization_.token, method, path, body, status, code, field, "", headers);
  }
  // As `token` (the grantor's by default): 403 naming `missing`.
  json ExpectDenied(const std::string& method, const std::string& path, const json& body,
                    const std::string& missing, const std::string& token = "") {
    return ExpectRefused(token.empty() ? grantor_ : token, method, path, body, 403,
                         "permission_denied", "", missing);
  }

  std::string grantor_;
  std::string stack_;
  std::string project_;
};

// ---------------------------------------------------------------------------------------
// Custom roles: CRUD and validation

TEST_F(RolesApiTest, CustomRoleLifecycle) {
  httplib::Response made = Send("POST", "/v1/roles",
                                json{{"name", "pipeline-runner"},
                                     {"permissions", {"pipeline:run", "stack:*", "*:read", "pipeline:run",
                                                      "model:promote:*", "*:promote:production"}},
                                     {"assignable_at", {"project", "workspace"}}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.get_header_value("ETag"), "\"1\"");
  json role = json::parse(made.body);
  EXPECT_EQ(role["name"], "pipeline-runner");
  EXPECT_EQ(role["builtin"], false);
  EXPECT_EQ(role["inherits"], json::array());
  // Sorted, without duplicates; levels in scope order.
  EXPECT_EQ(role["permissions"], (json{"*:promote:production", "*:read", "model:promote:*",
                                       "pipeline:run", "stack:*"}));
  EXPECT_EQ(role["assignable_at"], (json{"workspace", "project"}));
  std::string id = role["id"];
  EXPECT_EQ(Read("/v1/roles/pipeline-runner"), role);
  EXPECT_EQ(Read("/v1/roles/" + id), role);
  // Listed after the built-ins.
  json listed = Read("/v1/roles?page_size=1000")["items"];
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.back()["id"], id);
  EXPECT_EQ(Read("/v1/roles?name_prefix=pipe")["items"], (json{role}));

  // Permissions, inherits and assignable_at change with PATCH, If-Match honoured.
  httplib::Response patched = Send("PATCH", "/v1/roles/pipeline-runner",
                                   json{{"permissions", {"pipeline:*"}}, {"inherits", {"stack.read"}},
                                        {"assignable_at", {"stack", "project"}}}.dump(),
                                   {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  role = json::parse(patched.body);
  EXPECT_EQ(role["permissions"], (json{"pipeline:*"}));
  EXPECT_EQ(role["inherits"], (json{"stack.read"}));
  EXPECT_EQ(role["assignable_at"], (json{"project", "stack"}));
  // A patch that changes nothing makes no revision; absent fields stay.
  httplib::Response same = Send("PATCH", "/v1/roles/" + id, R"({"permissions":["pipeline:*"]})");
  EXPECT_EQ(same.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(json::parse(same.body), role);
  // A stale revision is refused, for a change and for a delete.
  ExpectInvalid("PATCH", "/v1/roles/pipeline-runner", {{"description", "x"}}, 412, "precondition_failed",
                "If-Match", {{"If-Match", "\"1\""}});
  ExpectInvalid("DELETE", "/v1/roles/pipeline-runner", nullptr, 412, "precondition_failed", "If-Match",
                {{"If-Match", "\"1\""}});
  EXPECT_EQ(Read("/v1/roles/" + id), role);
  EXPECT_EQ(Send("DELETE", "/v1/roles/pipeline-runner", "", {{"If-Match", "\"2\""}}).status, 204);
  ExpectError(Send("GET", "/v1/roles/pipeline-runner"), 404, "not_found", "");
  ExpectError(Send("GET", "/v1/roles/" + id), 404, "not_found", "");
  json audit = Read("/v1/audit-events?target_id=" + id)["items"];
  ASSERT_EQ(audit.size(), 3u) << audit;
  EXPECT_EQ(audit[0]["action"], "role.create");
  EXPECT_EQ(audit[1]["action"], "role.update");
  EXPECT_EQ(audit[2]["action"], "role.delete");
}

TEST_F(RolesApiTest, RoleCreateRetriedWithTheSameKeyAnswersTheFirstRole) {
  json body = {{"name", "runner"}, {"permissions", {"pipeline:run"}}};
  httplib::Response first = Send("POST", "/v1/roles", body.dump(), {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  size_t events = AuditEvents().size();
  httplib::Response retry = Send("POST", "/v1/roles", body.dump(), {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::parse(retry.body)["id"], json::parse(first.body)["id"]);
  EXPECT_EQ(AuditEvents().size(), events);
  body["permissions"] = {"*"};
  ExpectInvalid("POST", "/v1/roles", body, 409, "conflict", "Idempotency-Key", {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(Read("/v1/roles/runner")["permissions"], (json{"pipeline:run"}));
}

TEST_F(RolesApiTest, BadRolesAreNamedAndChangeNothing) {
  auto role = [](const std::string& name, const json& permissions) {
    return json{{"name", name}, {"permissions", permissions}};
  };
  ExpectInvalid("POST", "/v1/roles", role("r", {"stack:read", "stak:use"}), 400, "invalid_argument",
                "permissions[1]");
  // Named by its place in the request, not in the sorted list that is stored.
  ExpectInvalid("POST", "/v1/roles", role("r", {"stack:read", "stack:"}), 400, "invalid_argument",
                "permissions[1]");
  ExpectInvalid("POST", "/v1/roles", role("r", {"stack:read:*:*"}), 400, "invalid_argument",
                "permissions[0]");
  ExpectInvalid("POST", "/v1/roles", role("has.dot", {"stack:read"}), 400, "invalid_argument", "name");
  ExpectInvalid("POST", "/v1/roles", role("stack.write", {"stack:read"}), 400, "invalid_argument", "name");
  ExpectInvalid("POST", "/v1/roles", json{{"name", "r"}}, 400, "invalid_argument", "permissions");
  ExpectInvalid("POST", "/v1/roles", {{"name", "r"}, {"permissions", json::array()}, {"inherits", {"nope"}}},
                422, "unprocessable", "inherits[0]");
  ExpectInvalid("POST", "/v1/roles", {{"name", "r"}, {"permissions", json::array()}, {"assignable_at", {"galaxy"}}},
                400, "invalid_argument", "assignable_at[0]");
  ExpectInvalid("POST", "/v1/roles", {{"name", "r"}, {"permissions", json::array()}, {"assignable_at", json::array()}},
                400, "invalid_argument", "assignable_at");
  ExpectInvalid("POST", "/v1/roles", role("access-steward", {"stack:read"}), 409, "already_exists", "name");
  // The same rules on PATCH.
  ExpectInvalid("PATCH", "/v1/roles/access-steward", {{"permissions", {"stack:read", "stak:use"}}}, 400,
                "invalid_argument", "permissions[1]");
  ExpectInvalid("PATCH", "/v1/roles/access-steward", {{"name", "has.dot"}}, 400, "invalid_argument", "name");
  ExpectInvalid("PATCH", "/v1/roles/access-steward", {{"inherits", {"stack.read", "nope"}}}, 422,
                "unprocessable", "inherits[1]");
  ExpectInvalid("PATCH", "/v1/roles/nope", {{"description", "x"}}, 404, "not_found", "");
  ExpectInvalid("DELETE", "/v1/roles/nope", nullptr, 404, "not_found", "");
}

// "viewer", "editor" and "admin" are built-in names without a dot: a custom role of that name
// would be shadowed, so assigning "admin" would grant the built-in, not the custom role.
TEST_F(RolesApiTest, CustomRolesCannotTakeTheNameOfABuiltInOne) {
  for (const char* name : {"viewer", "editor", "admin"}) {
    ExpectInvalid("POST", "/v1/roles", {{"name", name}, {"permissions", {"stack:read"}}}, 409,
                  "already_exists", "name");
    ExpectInvalid("PATCH", "/v1/roles/access-steward", {{"name", name}}, 409, "already_exists", "name");
  }
}

TEST_F(RolesApiTest, InheritanceCyclesAreRefused) {
  std::string a = Create("/v1/roles", {{"name", "a"}, {"permissions", {"stack:read"}}})["id"];
  std::string b = Create("/v1/roles", {{"name", "b"}, {"permissions", json::array()}, {"inherits", {"a"}}})["id"];
  Create("/v1/roles", {{"name", "c"}, {"permissions", json::array()}, {"inherits", {"b"}}});
  EXPECT_EQ(Read("/v1/roles/b")["inherits"], (json{a}));  // stored as ids
  // Directly (a <- b, then b -> a), through a chain (a <- b <- c, then a -> c), or itself.
  json error = ExpectInvalid("PATCH", "/v1/roles/a", {{"inherits", {b}}}, 400, "invalid_argument", "inherits");
  EXPECT_EQ(error["details"]["reason"], "inheritance_cycle");
  ExpectInvalid("PATCH", "/v1/roles/a", {{"inherits", {"c"}}}, 400, "invalid_argument", "inherits");
  ExpectInvalid("PATCH", "/v1/roles/a", {{"inherits", {"stack.read", "a"}}}, 400, "invalid_argument",
                "inherits[1]");
  ExpectInvalid("PATCH", "/v1/roles/a", {{"inherits", {a}}}, 400, "invalid_argument", "inherits[0]");
  EXPECT_EQ(Read("/v1/roles/a")["inherits"], json::array());
  // Inherited permissions reach the holder of the inheriting role.
  Create("/v1/role_assignments", {{"role", "c"}, {"user_id", "target@example.com"}, {"stack_id", stack_}});
  EXPECT_TRUE(Allowed("user:target@example.com", "stack:read", kStack));
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:use", kStack));
}

// ---------------------------------------------------------------------------------------
// Built-in roles

TEST_F(RolesApiTest, BuiltInRolesAreListedFirstWithTheirPermissionsAndReadOnly) {
  const std::vector<std::string> names = {
      "organization.admin", "organization.viewer", "organization.member", "workspace.admin",
      "workspace.member",   "workspace.viewer",    "project.admin",       "project.contributor",
      "project.viewer",     "stack.admin",         "stack.write",         "stack.read",
      "viewer",             "editor",              "admin"};
  json roles = Read("/v1/roles?page_size=1000")["items"];
  ASSERT_GT(roles.size(), names.size());
  std::set<std::string> listed;
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(roles[i]["builtin"], true) << roles[i];
    EXPECT_FALSE(roles[i]["permissions"].empty()) << roles[i];
    listed.insert(roles[i]["name"].get<std::string>());
  }
  EXPECT_EQ(listed, std::set<std::string>(names.begin(), names.end()));
  EXPECT_EQ(roles[names.size()]["name"], "access-steward");
  json stack_write = Read("/v1/roles/stack.write");
  EXPECT_EQ(stack_write["permissions"], (json{"stack:read", "stack:use", "stack:update"}));
  EXPECT_EQ(stack_write["assignable_at"], (json{"stack"}));
  EXPECT_EQ(Read("/v1/roles/organization.admin")["permissions"], (json{"*"}));
  EXPECT_EQ(Read("/v1/roles/viewer")["assignable_at"],
            (json{"organization", "workspace", "project", "stack"}));

  for (const char* name : {"stack.write", "organization.admin", "admin"}) {
    std::string path = std::string("/v1/roles/") + name;
    json error = ExpectInvalid("PATCH", path, {{"permissions", {"*"}}}, 409, "conflict", "");
    EXPECT_EQ(error["details"]["reason"], "builtin_role");
    ExpectInvalid("DELETE", path, nullptr, 409, "conflict", "");
  }
  EXPECT_EQ(Read("/v1/roles/stack.write"), stack_write);
}

// ---------------------------------------------------------------------------------------
// Role assignments

TEST_F(RolesApiTest, AssignmentsReachUsersServiceAccountsAndTeamsAtEveryScope) {
  Create("/v1/service_accounts", {{"name", "ci"}});
  Create("/v1/users", {{"email", "dana@example.com"}});
  Create("/v1/teams", {{"name", "ops"}, {"members", {"user:dana@example.com"}}});
  json at_organization = Create("/v1/role_assignments", {{"role", "organization.viewer"}, {"user_id", "target@example.com"}});
  EXPECT_EQ(at_organization["scope_type"], "organization");
  EXPECT_FALSE(at_organization.contains("workspace_id"));
  json at_workspace = Create("/v1/role_assignments",
                             {{"role", "workspace.viewer"}, {"service_account_id", "ci"}, {"workspace_id", "w2"}});
  EXPECT_EQ(at_workspace["scope_type"], "workspace");
  EXPECT_EQ(at_workspace["workspace_id"], Read("/v1/workspaces/w2")["id"]);  // names stored as ids
  EXPECT_EQ(at_workspace["service_account_id"], Read("/v1/service_accounts/ci")["id"]);
  json at_project = Create("/v1/role_assignments", {{"role", "project.contributor"}, {"team_id", "ops"}, {"project_id", project_}});
  EXPECT_EQ(at_project["team_id"], Read("/v1/teams/ops")["id"]);
  json at_stack = Create("/v1/role_assignments", {{"role", "stack.write"}, {"service_account_id", "ci"}, {"stack_id", stack_}});
  EXPECT_EQ(at_stack["stack_id"], stack_);
  EXPECT_EQ(Read("/v1/role_assignments/" + at_stack["id"].get<std::string>()), at_stack);

  EXPECT_TRUE(Allowed("user:target@example.com", "stack:read", "workspaces/w2/stacks/other"));
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:use", kStack));
  EXPECT_TRUE(Allowed("service_account:ci", "stack:read", "workspaces/w2/stacks/other"));
  EXPECT_FALSE(Allowed("service_account:ci", "stack:read", "workspaces/w1"));
  EXPECT_TRUE(Allowed("service_account:ci", "stack:use", kStack));
  EXPECT_FALSE(Allowed("service_account:ci", "stack:delete", kStack));
  EXPECT_TRUE(Allowed("team:ops", "pipeline:run", kProject));
  json via_team = Answer("user:dana@example.com", "pipeline:run", kProject);
  EXPECT_EQ(via_team["allowed"], true);
  EXPECT_EQ(via_team["explanation"]["assignment_id"], at_project["id"]);
  EXPECT_EQ(via_team["explanation"]["via_team_id"], at_project["team_id"]);
  // Project roles give nothing on stacks.
  EXPECT_FALSE(Allowed("user:dana@example.com", "stack:read", kStack));
  // The same (role, principal, scope) once only.
  ExpectInvalid("POST", "/v1/role_assignments",
                {{"role", "stack.write"}, {"service_account_id", "ci"}, {"stack_id", stack_}}, 409,
                "already_exists", "role");
}

TEST_F(RolesApiTest, AssignmentsRecordWhoGrantedWhenAndWhy) {
  json made = Create("/v1/role_assignments", {{"role", "project.viewer"}, {"user_id", "target@example.com"},
                                              {"project_id", project_}, {"reason", "on call"}});
  EXPECT_EQ(made["reason"], "on call");
  EXPECT_EQ(made["granted_by"], "key:" + organization_.key_id);
  EXPECT_EQ(made["granted_at"], FormatTimestamp(clock_.Now()));
  EXPECT_EQ(made["expires_at"], nullptr);
  std::string id = made["id"];
  EXPECT_EQ(Actions().back(), "role_assignment.create");
  // reason and expires_at may change; who granted it and when stay.
  clock_.Advance(kHourMs);
  httplib::Response patched = Send("PATCH", "/v1/role_assignments/" + id,
                                   R"({"reason":"on call this week","expires_at":"2030-01-01T00:00:00Z"})",
                                   {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  json changed = json::parse(patched.body);
  EXPECT_EQ(changed["reason"], "on call this week");
  EXPECT_EQ(changed["expires_at"], "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(changed["granted_at"], made["granted_at"]);
  EXPECT_EQ(changed["granted_by"], made["granted_by"]);
  ExpectInvalid("PATCH", "/v1/role_assignments/" + id, {{"reason", "x"}}, 412, "precondition_failed",
                "If-Match", {{"If-Match", "\"1\""}});
  ExpectInvalid("DELETE", "/v1/role_assignments/" + id, nullptr, 412, "precondition_failed", "If-Match",
                {{"If-Match", "\"1\""}});
  // Made by someone else, it says so.
  httplib::Response granted = SendAs(grantor_, "POST", "/v1/role_assignments",
                                     json{{"role", "stack.read"}, {"user_id", "target@example.com"},
                                          {"stack_id", stack_}}.dump());
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(json::parse(granted.body)["granted_by"],
            "user:" + Read("/v1/users/grantor@example.com")["id"].get<std::string>());
  // Deleted, it grants nothing more.
  EXPECT_TRUE(Allowed("user:target@example.com", "project:read", kProject));
  EXPECT_EQ(Send("DELETE", "/v1/role_assignments/" + id).status, 204);
  EXPECT_EQ(Actions().back(), "role_assignment.delete");
  ExpectError(Send("GET", "/v1/role_assignments/" + id), 404, "not_found", "");
  EXPECT_FALSE(Allowed("user:target@example.com", "project:read", kProject));
}

TEST_F(RolesApiTest, RolesAreAssignedOnlyWhereTheirAssignableAtAllows) {
  ExpectInvalid("POST", "/v1/role_assignments",
                {{"role", "project.viewer"}, {"user_id", "target@example.com"}, {"stack_id", stack_}},
                400, "invalid_argument", "role");
  ExpectInvalid("POST", "/v1/role_assignments", {{"role", "stack.admin"}, {"user_id", "target@example.com"}},
                400, "invalid_argument", "role");
  Create("/v1/roles", {{"name", "runner"}, {"permissions", {"pipeline:run"}}, {"assignable_at", {"project"}}});
  json error = ExpectInvalid("POST", "/v1/role_assignments",
                             {{"role", "runner"}, {"user_id", "target@example.com"}, {"workspace_id", "w1"}},
                             400, "invalid_argument", "role");
  EXPECT_EQ(error["details"]["reason"], "not_assignable_here");
  Create("/v1/role_assignments", {{"role", "runner"}, {"user_id", "target@example.com"}, {"project_id", project_}});
  EXPECT_TRUE(Allowed("user:target@example.com", "pipeline:run", kProject));
}

TEST_F(RolesApiTest, AnExpiryMustLieAheadAndEndsTheGrantWhenItComes) {
  json body = {{"role", "stack.read"}, {"user_id", "target@example.com"}, {"stack_id", stack_}};
  body["expires_at"] = FormatTimestamp(clock_.Now() - 1000);
  json error = ExpectInvalid("POST", "/v1/role_assignments", body, 400, "invalid_argument", "expires_at");
  EXPECT_EQ(error["details"]["reason"], "in_the_past");
  body["expires_at"] = "tomorrow";
  ExpectInvalid("POST", "/v1/role_assignments", body, 400, "invalid_argument", "expires_at");
  body["expires_at"] = FormatTimestamp(clock_.Now() + kHourMs);
  Create("/v1/role_assignments", body);
  EXPECT_TRUE(Allowed("user:target@example.com", "stack:read", kStack));
  clock_.Advance(kHourMs);
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:read", kStack));
}

// Found by Schemathesis: a PATCH to an instant already past was accepted and silently ended
// the grant (the fuzzer locked its own admin key out that way).
TEST_F(RolesApiTest, AnUpdateCannotMoveAnExpiryIntoThePast) {
  json made = Create("/v1/role_assignments", {{"role", "stack.read"}, {"user_id", "target@example.com"},
                                              {"stack_id", stack_},
                                              {"expires_at", FormatTimestamp(clock_.Now() + kHourMs)}});
  const std::string path = "/v1/role_assignments/" + made["id"].get<std::string>();
  for (const std::string& past : {std::string("2000-01-01T00:00:00Z"), FormatTimestamp(clock_.Now())}) {
    json error =
        ExpectInvalid("PATCH", path, {{"expires_at", past}}, 400, "invalid_argument", "expires_at");
    EXPECT_EQ(error["details"]["reason"], "in_the_past");
  }
  EXPECT_EQ(Read(path)["revision"], 1);
  EXPECT_TRUE(Allowed("user:target@example.com", "stack:read", kStack));
  // An expiry that has passed since may stay as it is while the reason changes.
  clock_.Advance(2 * kHourMs);
  httplib::Response patched =
      Send("PATCH", path, json{{"reason", "audit trail"}, {"expires_at", made["expires_at"]}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json::parse(patched.body)["expires_at"], made["expires_at"]);
}

TEST_F(RolesApiTest, AssignmentsToOrAtSomethingUnknownAre422AndMalformedOnes400) {
  json user = {{"user_id", "target@example.com"}};
  auto assignment = [](json body, const char* field, const std::string& value) {
    body[field] = value;
    return body;
  };
  json stack_read = assignment(user, "role", "stack.read");
  ExpectInvalid("POST", "/v1/role_assignments", assignment(user, "role", "nope"), 422, "unprocessable", "role");
  ExpectInvalid("POST", "/v1/role_assignments", assignment(user, "role", "role_0000"), 422, "unprocessable", "role");
  ExpectInvalid("POST", "/v1/role_assignments", {{"role", "viewer"}, {"user_id", "ghost@example.com"}}, 422,
                "unprocessable", "user_id");
  ExpectInvalid("POST", "/v1/role_assignments", {{"role", "viewer"}, {"team_id", "ghosts"}}, 422,
                "unprocessable", "team_id");
  ExpectInvalid("POST", "/v1/role_assignments", {{"role", "viewer"}, {"service_account_id", "ghost"}}, 422,
                "unprocessable", "service_account_id");
  ExpectInvalid("POST", "/v1/role_assignments", assignment(assignment(user, "role", "viewer"), "workspace_id", "nope"),
                422, "unprocessable", "workspace_id");
  // Projects and stacks are named by id: their names are unique within a workspace only.
  ExpectInvalid("POST", "/v1/role_assignments", assignment(assignment(user, "role", "viewer"), "project_id", "p"),
                422, "unprocessable", "project_id");
  ExpectInvalid("POST", "/v1/role_assignments", assignment(stack_read, "stack_id", "stk_0000"), 422,
                "unprocessable", "stack_id");
  ExpectInvalid("POST", "/v1/role_assignments", {{"role", "viewer"}}, 400, "invalid_argument", "user_id");
  ExpectInvalid("POST", "/v1/role_assignments", {{"role", "viewer"}, {"user_id", "target@example.com"}, {"team_id", "x"}},
                400, "invalid_argument", "user_id");
  ExpectInvalid("POST", "/v1/role_assignments",
                assignment(assignment(stack_read, "stack_id", stack_), "workspace_id", "w1"), 400,
                "invalid_argument", "workspace_id");
  ExpectInvalid("POST", "/v1/role_assignments", assignment(user, "grants", "all"), 400, "invalid_argument", "grants");
  ExpectInvalid("DELETE", "/v1/role_assignments/ra_0000", nullptr, 404, "not_found", "");
}

TEST_F(RolesApiTest, ACustomRoleGrantsExactlyItsOwnAndInheritedPermissions) {
  Create("/v1/roles", {{"name", "base"}, {"permissions", {"pipeline:run"}}});
  Create("/v1/roles", {{"name", "child"}, {"permissions", {"stack:use"}}, {"inherits", {"base", "stack.read"}}});
  Create("/v1/role_assignments", {{"role", "child"}, {"user_id", "target@example.com"}, {"workspace_id", "w1"}});
  const std::string who = "user:target@example.com";
  json decided = Answer(who, "pipeline:run", kProject);
  EXPECT_EQ(decided["allowed"], true);
  EXPECT_EQ(decided["explanation"]["role_name"], "child");
  EXPECT_TRUE(Allowed(who, "stack:use", kStack));
  EXPECT_TRUE(Allowed(who, "stack:read", kStack));
  for (const char* permission : {"stack:update", "stack:delete", "pipeline:delete", "pipeline:create",
                                 "project:read", "role_assignment:create", "workspace:read"}) {
    EXPECT_FALSE(Allowed(who, permission, kProject)) << permission;
    EXPECT_FALSE(Allowed(who, permission, kStack)) << permission;
  }
  EXPECT_FALSE(Allowed(who, "stack:use", "workspaces/w2/stacks/other"));  // w1 only
  // A change to an inherited role reaches its heirs at once; so does dropping it.
  ASSERT_EQ(Send("PATCH", "/v1/roles/base", R"({"permissions":["pipeline:run","pipeline:delete"]})").status, 200);
  EXPECT_TRUE(Allowed(who, "pipeline:delete", kProject));
  ASSERT_EQ(Send("PATCH", "/v1/roles/child", R"({"inherits":[]})").status, 200);
  EXPECT_FALSE(Allowed(who, "pipeline:run", kProject));
  EXPECT_FALSE(Allowed(who, "stack:read", kStack));
  EXPECT_TRUE(Allowed(who, "stack:use", kStack));
}

// ---------------------------------------------------------------------------------------
// What deleting a role, a principal or a scope does to assignments

TEST_F(RolesApiTest, ARoleInUseIsKeptUntilItsAssignmentsAndHeirsAreGone) {
  Create("/v1/roles", {{"name", "a"}, {"permissions", {"stack:read"}}});
  Create("/v1/roles", {{"name", "b"}, {"permissions", json::array()}, {"inherits", {"a"}}});
  std::string assignment = Create("/v1/role_assignments",
                                  {{"role", "a"}, {"user_id", "target@example.com"}, {"stack_id", stack_}})["id"];
  json error = ExpectInvalid("DELETE", "/v1/roles/a", nullptr, 409, "conflict", "");
  EXPECT_NE(error["message"].get<std::string>().find(assignment), std::string::npos) << error;
  EXPECT_NE(error["message"].get<std::string>().find("role b"), std::string::npos) << error;
  EXPECT_TRUE(Allowed("user:target@example.com", "stack:read", kStack));
  EXPECT_EQ(Send("DELETE", "/v1/role_assignments/" + assignment).status, 204);
  ExpectInvalid("DELETE", "/v1/roles/a", nullptr, 409, "conflict", "");
  EXPECT_EQ(Send("DELETE", "/v1/roles/b").status, 204);
  EXPECT_EQ(Send("DELETE", "/v1/roles/a").status, 204);
}

TEST_F(RolesApiTest, DeletingAPrincipalDeletesItsAssignments) {
  Create("/v1/users", {{"email", "dana@example.com"}});
  Create("/v1/service_accounts", {{"name", "ci"}});
  Create("/v1/teams", {{"name", "ops"}, {"members", {"user:dana@example.com", "service_account:ci"}}});
  for (const char* field : {"user_id", "team_id", "service_account_id"}) {
    std::string principal = std::string(field) == "user_id" ? "target@example.com"
                            : std::string(field) == "team_id" ? "ops" : "ci";
    Create("/v1/role_assignments", {{"role", "stack.write"}, {field, principal}, {"stack_id", stack_}});
  }
  std::string target = Read("/v1/users/target@example.com")["id"];
  std::string team = Read("/v1/teams/ops")["id"];
  std::string account = Read("/v1/service_accounts/ci")["id"];
  ASSERT_EQ(AssignmentsOf(target).size(), 1u);
  ASSERT_EQ(AssignmentsOf(team).size(), 1u);

  EXPECT_EQ(Send("DELETE", "/v1/users/target@example.com").status, 204);
  EXPECT_TRUE(AssignmentsOf(target).empty());
  EXPECT_EQ(Actions().back(), "user.delete");
  // The same email again is someone new, holding nothing.
  Create("/v1/users", {{"email", "target@example.com"}});
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:use", kStack));

  EXPECT_TRUE(Allowed("user:dana@example.com", "stack:use", kStack));
  EXPECT_EQ(Send("DELETE", "/v1/teams/ops").status, 204);
  EXPECT_TRUE(AssignmentsOf(team).empty());
  EXPECT_FALSE(Allowed("user:dana@example.com", "stack:use", kStack));
  EXPECT_TRUE(Allowed("service_account:ci", "stack:use", kStack));  // its own assignment
  EXPECT_EQ(Send("DELETE", "/v1/service_accounts/ci").status, 204);
  EXPECT_TRUE(AssignmentsOf(account).empty());
  size_t deletions = 0;
  for (const std::string& action : Actions()) deletions += action == "role_assignment.delete";
  EXPECT_EQ(deletions, 3u);  // each audited
}

TEST_F(RolesApiTest, DeletingAScopeDeletesTheAssignmentsMadeThere) {
  Create("/v1/role_assignments", {{"role", "project.admin"}, {"user_id", "target@example.com"}, {"project_id", project_}});
  Create("/v1/role_assignments", {{"role", "stack.admin"}, {"user_id", "target@example.com"}, {"stack_id", stack_}});
  Create("/v1/role_assignments", {{"role", "workspace.viewer"}, {"user_id", "target@example.com"}, {"workspace_id", "w2"}});
  std::string target = Read("/v1/users/target@example.com")["id"];
  ASSERT_EQ(AssignmentsOf(target).size(), 3u);
  EXPECT_EQ(Send("DELETE", "/v1/" + kProject).status, 204);
  EXPECT_EQ(Send("DELETE", "/v1/" + kStack).status, 204);
  EXPECT_EQ(Send("DELETE", "/v1/workspaces/w2/stacks/other").status, 204);
  EXPECT_EQ(Send("DELETE", "/v1/workspaces/w2").status, 204);
  EXPECT_TRUE(AssignmentsOf(target).empty());
  // Made again under the same names, they are new objects nobody holds anything on.
  Create("/v1/workspaces/w1/projects", {{"name", "p"}});
  Create("/v1/workspaces/w1/stacks", {{"name", "prod"}});
  Create("/v1/workspaces", {{"name", "w2"}});
  EXPECT_FALSE(Allowed("user:target@example.com", "project:update", kProject));
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:delete", kStack));
  EXPECT_FALSE(Allowed("user:target@example.com", "workspace:read", "workspaces/w2"));
}

// ---------------------------------------------------------------------------------------
// No escalation (SPEC section 3): the grantor holds access-steward (role_assignment:*, stack
// read and use, project read) and workspace.member at w1, nothing elsewhere.

TEST_F(RolesApiTest, NoGrantBeyondWhatTheGrantorHoldsAtThatScope) {
  // stack.admin there adds stack:create, stack:delete and more, which the steward lacks.
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "stack.admin"}, {"user_id", "target@example.com"}, {"stack_id", stack_}}, "stack:");
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "stack.write"}, {"user_id", "target@example.com"}, {"stack_id", stack_}},
               "stack:update");
  // Nor through a custom role that inherits it.
  Create("/v1/roles", {{"name", "sneaky"}, {"permissions", {"stack:read"}}, {"inherits", {"stack.admin"}}});
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "sneaky"}, {"user_id", "target@example.com"}, {"stack_id", stack_}}, "stack:");
  // Not where it holds nothing: another workspace, its stack, or the organization above.
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.member"}, {"user_id", "target@example.com"}, {"workspace_id", "w2"}},
               "role_assignment:create");
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "stack.read"}, {"user_id", "target@example.com"},
                {"stack_id", Read("/v1/workspaces/w2/stacks/other")["id"]}},
               "role_assignment:create");
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "organization.member"}, {"user_id", "target@example.com"}},
               "role_assignment:create");
  // Not to itself either.
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.admin"}, {"user_id", "grantor@example.com"}, {"workspace_id", "w1"}},
               "permission denied");
  // What it holds, it may grant, at w1 and below.
  httplib::Response granted = SendAs(grantor_, "POST", "/v1/role_assignments",
                                     json{{"role", "stack.read"}, {"user_id", "target@example.com"},
                                          {"stack_id", stack_}}.dump());
  EXPECT_EQ(granted.status, 201) << granted.body;
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:delete", kStack));
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:read", "workspaces/w2/stacks/other"));
}

TEST_F(RolesApiTest, AnAssignmentCannotBeTurnedIntoMoreAfterwards) {
  httplib::Response granted = SendAs(grantor_, "POST", "/v1/role_assignments",
                                     json{{"role", "stack.read"}, {"user_id", "target@example.com"},
                                          {"stack_id", stack_}, {"expires_at", "2030-01-01T00:00:00Z"}}.dump());
  ASSERT_EQ(granted.status, 201) << granted.body;
  std::string path = "/v1/role_assignments/" + json::parse(granted.body)["id"].get<std::string>();
  // Role, principal and scope never change, whoever asks: a stronger role or a broader scope
  // is a new assignment, guarded as one.
  for (const std::string& token : {grantor_, organization_.token}) {
    json error = ExpectRefused(token, "PATCH", path, {{"role", "stack.admin"}}, 400, "invalid_argument", "role");
    EXPECT_EQ(error["details"]["reason"], "immutable");
    ExpectRefused(token, "PATCH", path, {{"workspace_id", "w1"}}, 400, "invalid_argument", "workspace_id");
    ExpectRefused(token, "PATCH", path, {{"stack_id", nullptr}}, 400, "invalid_argument", "stack_id");
    ExpectRefused(token, "PATCH", path, {{"user_id", "grantor@example.com"}}, 400, "invalid_argument", "user_id");
  }
  // Its own grant's reason and expiry the grantor may change.
  EXPECT_EQ(SendAs(grantor_, "PATCH", path, R"({"expires_at":null,"reason":"for good"})").status, 200);
  // Not so one made by an admin of something it does not hold: lifting the expiry of a
  // stack.admin grant is granting stack.admin.
  json admin_grant = Create("/v1/role_assignments",
                            {{"role", "stack.admin"}, {"user_id", "target@example.com"}, {"stack_id", stack_},
                             {"expires_at", FormatTimestamp(clock_.Now() + kHourMs)}});
  std::string admin_path = "/v1/role_assignments/" + admin_grant["id"].get<std::string>();
  ExpectDenied("PATCH", admin_path, {{"expires_at", nullptr}}, "stack:");
  ExpectDenied("PATCH", admin_path, {{"expires_at", "2099-01-01T00:00:00Z"}}, "stack:");
  clock_.Advance(kHourMs);
  EXPECT_FALSE(Allowed("user:target@example.com", "stack:delete", kStack));
}

TEST_F(RolesApiTest, NoRoleGrantsMoreThanItsAuthorHolds) {
  // Making or changing a role needs role:create / role:update first, including the role the
  // grantor holds itself.
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", {"stack:read"}}}, "role:create");
  ExpectDenied("PATCH", "/v1/roles/access-steward", {{"permissions", {"*"}}}, "role:update");
  ExpectDenied("DELETE", "/v1/roles/access-steward", nullptr, "role:delete");
  // An author of roles at the organization, who holds little else there: at w1 it holds
  // stack and project rights, but a role is defined for the whole organization.
  Create("/v1/roles", {{"name", "role-author"}, {"permissions", {"role:*"}}});
  GrantInOrganization("role-author", "user_id", "grantor@example.com");
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", {"*"}}}, "a role cannot grant more");
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", {"stack:read"}}}, "stack:read");
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", json::array()}, {"inherits", {"stack.read"}}},
               "stack:read");
  ExpectDenied("PATCH", "/v1/roles/access-steward", {{"permissions", {"*"}}}, "a role cannot grant more");
  ExpectDenied("PATCH", "/v1/roles/access-steward", {{"inherits", {"organization.admin"}}},
               "a role cannot grant more");
  ExpectDenied("PATCH", "/v1/roles/role-author", {{"permissions", {"role:*", "role_assignment:*"}}},
               "role_assignment:");
  Create("/v1/roles", {{"name", "strong"}, {"permissions", {"stack:delete"}}});
  ExpectDenied("PATCH", "/v1/roles/role-author", {{"inherits", {"strong"}}}, "stack:delete");
  // Within what it holds at the organization it may define roles.
  httplib::Response made = SendAs(grantor_, "POST", "/v1/roles",
                                  json{{"name", "role-reader"}, {"permissions", {"role:read"}}}.dump());
  EXPECT_EQ(made.status, 201) << made.body;
  EXPECT_FALSE(Allowed("user:grantor@example.com", "stack:read", "workspaces/w2/stacks/other"));
}

TEST_F(RolesApiTest, JoiningATeamNeedsWhatTheTeamHolds) {
  Create("/v1/teams", {{"name", "ops"}});
  Create("/v1/role_assignments", {{"role", "stack.admin"}, {"team_id", "ops"}, {"stack_id", stack_}});
  // Without team:update, nothing.
  ExpectDenied("PUT", "/v1/teams/ops/members/user:grantor@example.com", nullptr, "team:update");
  // With it (editor at the organization), still not into a team that holds more.
  GrantInOrganization("editor", "user_id", "grantor@example.com");
  ExpectDenied("PUT", "/v1/teams/ops/members/user:grantor@example.com", nullptr, "stack:delete");
  ExpectDenied("PUT", "/v1/teams/ops/members", {{"members", {"user:target@example.com"}}}, "stack:delete");
  ExpectDenied("PATCH", "/v1/teams/ops", {{"members", {"user:target@example.com"}}}, "stack:delete");
  EXPECT_EQ(Read("/v1/teams/ops")["members"], json::array());
  EXPECT_FALSE(Allowed("user:grantor@example.com", "stack:delete", kStack));
  // A team that holds nothing the editor lacks can be joined, and left.
  Create("/v1/teams", {{"name", "readers"}});
  Create("/v1/role_assignments", {{"role", "stack.read"}, {"team_id", "readers"}, {"stack_id", stack_}});
  httplib::Response joined = SendAs(grantor_, "PATCH", "/v1/teams/readers",
                                    json{{"members", {"user:target@example.com"}}}.dump());
  EXPECT_EQ(joined.status, 200) << joined.body;
  Send("PUT", "/v1/teams/ops/members/user:target@example.com");
  httplib::Response left = SendAs(grantor_, "DELETE", "/v1/teams/ops/members/user:target@example.com");
  EXPECT_EQ(left.status, 200) << left.body;
  EXPECT_EQ(Read("/v1/teams/ops")["members"], json::array());
}

TEST_F(RolesApiTest, AServiceAccountKeyCannotGrantItsOwnAccountMore) {
  Create("/v1/service_accounts", {{"name", "ci"}});
  std::string token = Create("/v1/service_accounts/ci/keys", json::object())["token"];
  Create("/v1/role_assignments", {{"role", "access-steward"}, {"service_account_id", "ci"}, {"workspace_id", "w1"}});
  Create("/v1/teams", {{"name", "ops"}});
  Create("/v1/role_assignments", {{"role", "workspace.admin"}, {"team_id", "ops"}, {"workspace_id", "w1"}});
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.admin"}, {"service_account_id", "ci"}, {"workspace_id", "w1"}}, "workspace:",
               token);
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "stack.admin"}, {"service_account_id", "ci"}, {"stack_id", stack_}}, "stack:", token);
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "viewer"}, {"service_account_id", "ci"}}, "role_assignment:create", token);
  ExpectDenied("PUT", "/v1/teams/ops/members/service_account:ci", nullptr, "team:update", token);
  ExpectDenied("POST", "/v1/service_accounts/ci/keys", json::object(), "api_key:create", token);
  ExpectDenied("PATCH", "/v1/roles/access-steward", {{"permissions", {"*"}}}, "role:update", token);
  EXPECT_FALSE(Allowed("service_account:ci", "workspace:update", "workspaces/w1"));
  // Within what it holds it may grant, itself included.
  httplib::Response granted = SendAs(token, "POST", "/v1/role_assignments",
                                     json{{"role", "stack.read"}, {"service_account_id", "ci"},
                                          {"stack_id", stack_}}.dump());
  EXPECT_EQ(granted.status, 201) << granted.body;
}

TEST_F(RolesApiTest, AWorkspaceAdminGovernsItsWorkspaceOnly) {
  std::string token = UserWithKey("w1-admin@example.com");
  Create("/v1/role_assignments", {{"role", "workspace.admin"}, {"user_id", "w1-admin@example.com"}, {"workspace_id", "w1"}});
  // Everything in w1, and below it.
  for (const json& body : {json{{"role", "stack.admin"}, {"stack_id", stack_}},
                           json{{"role", "project.admin"}, {"project_id", project_}},
                           json{{"role", "access-steward"}, {"workspace_id", "w1"}}}) {
    json grant = body;
    grant["user_id"] = "target@example.com";
    httplib::Response granted = SendAs(token, "POST", "/v1/role_assignments", grant.dump());
    EXPECT_EQ(granted.status, 201) << grant << ": " << granted.body;
  }
  // Nothing in w2, its stack, or the organization.
  std::string other_stack = Read("/v1/workspaces/w2/stacks/other")["id"];
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.viewer"}, {"user_id", "target@example.com"}, {"workspace_id", "w2"}},
               "role_assignment:create", token);
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "stack.read"}, {"user_id", "target@example.com"}, {"stack_id", other_stack}},
               "role_assignment:create", token);
  ExpectDenied("POST", "/v1/role_assignments", {{"role", "viewer"}, {"user_id", "target@example.com"}},
               "role_assignment:create", token);
  ExpectDenied("POST", "/v1/role_assignments",
               {{"role", "workspace.admin"}, {"user_id", "w1-admin@example.com"}, {"workspace_id", "w2"}},
               "role_assignment:create", token);
  ExpectDenied("POST", "/v1/roles", {{"name", "mine"}, {"permissions", {"stack:read"}}}, "role:create", token);
  // Nor remove grants there.
  std::string in_w2 = Create("/v1/role_assignments", {{"role", "workspace.viewer"}, {"user_id", "target@example.com"},
                                                      {"workspace_id", "w2"}})["id"];
  ExpectDenied("DELETE", "/v1/role_assignments/" + in_w2, nullptr, "role_assignment:delete", token);
  EXPECT_TRUE(Allowed("user:target@example.com", "workspace:read", "workspaces/w2"));
}

// Revoking needs role_assignment:delete where the assignment is: the steward of w1 cannot
// remove the organization's admin, nor change its grant. (Whoever holds that permission at
// the organization can delete the last organization.admin assignment: nothing protects it.)
TEST_F(RolesApiTest, OrganizationAdminGrantsAreRevokedOnlyFromTheOrganization) {
  std::set<std::string> admin_grants = AssignmentsOf(organization_.key_id);
  ASSERT_EQ(admin_grants.size(), 1u);
  std::string path = "/v1/role_assignments/" + *admin_grants.begin();
  EXPECT_EQ(Read(path)["role"], "organization.admin");
  EXPECT_EQ(Read(path)["scope_type"], "organization");
  ExpectDenied("DELETE", path, nullptr, "role_assignment:delete");
  ExpectDenied("PATCH", path, {{"expires_at", FormatTimestamp(clock_.Now() + kHourMs)}},
               "role_assignment:update");
}

// The key of a principal carries all it holds: minting one for someone who holds more than
// the minter is a way up.
TEST_F(RolesApiTest, AKeyCannotBeMadeForSomeoneWhoHoldsMore) {
  GrantInOrganization("organization.admin", "user_id", "target@example.com");
  Create("/v1/roles", {{"name", "key-clerk"}, {"permissions", {"api_key:*", "user:read"}}});
  GrantInOrganization("key-clerk", "user_id", "grantor@example.com");
  ExpectDenied("POST", "/v1/users/target@example.com/keys", json::object(), "", grantor_);
  // Nor for someone who holds more through a team, nor for a service account that does.
  Create("/v1/users", {{"email", "teamed@example.com"}});
  Create("/v1/teams", {{"name", "admins"}, {"members", {"user:teamed@example.com"}}});
  GrantInOrganization("admin", "team_id", "admins");
  ExpectDenied("POST", "/v1/users/teamed@example.com/keys", json::object(), "through team admins", grantor_);
  Create("/v1/service_accounts", {{"name", "deployer"}});
  Create("/v1/role_assignments", {{"role", "stack.admin"}, {"service_account_id", "deployer"}, {"stack_id", stack_}});
  ExpectDenied("POST", "/v1/service_accounts/deployer/keys", json::object(), "stack:", grantor_);
  // Its own key, or one for someone who holds less, is fine.
  EXPECT_EQ(SendAs(grantor_, "POST", "/v1/users/grantor@example.com/keys", "{}").status, 201);
}

// An Idempotency-Key retry answers the object made first; it must still be someone's to ask
// for. POST /v1/role_assignments is authorized by the service's guard, not by the route.
TEST_F(RolesApiTest, AnIdempotentRetryOfAnAssignmentIsAuthorizedLikeTheFirstCreate) {
  json body = {{"role", "stack.admin"}, {"user_id", "target@example.com"}, {"stack_id", stack_}};
  httplib::Response first = Send("POST", "/v1/role_assignments", body.dump(), {{"Idempotency-Key", "grant-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  std::string outsider = UserWithKey("outsider@example.com");  // holds nothing at all
  State before = Snapshot();
  httplib::Response retry = SendAs(outsider, "POST", "/v1/role_assignments", body.dump(),
                                   {{"Idempotency-Key", "grant-1"}});
  ExpectError(retry, 403, "permission_denied", "");
  EXPECT_EQ(AuditEvents().size(), before.audit_events + 1);
}

// ---------------------------------------------------------------------------------------
// Other tenants

TEST_F(RolesApiTest, RolesOfAnotherOrganizationAreInvisibleAndUnusable) {
  Create("/v1/roles", {{"name", "secret-role"}, {"permissions", {"stack:read"}}});
  std::string foreign_id = Read("/v1/roles/secret-role")["id"];
  std::string foreign_user = Read("/v1/users/target@example.com")["id"];
  std::string foreign_workspace = Read("/v1/workspaces/w1")["id"];
  // A second organization, with the system-admin key, and a key of its own.
  json other = Create("/v1/organizations", {{"name", "other"}});
  std::string token = other["token"];
  std::string other_id = other["organization_id"];
  ExpectError(SendAs(token, "GET", "/v1/roles/secret-role"), 404, "not_found", "");
  ExpectError(SendAs(token, "GET", "/v1/roles/" + foreign_id), 404, "not_found", "");
  const json roles = json::parse(SendAs(token, "GET", "/v1/roles?page_size=1000").body);
  for (const json& role : roles["items"]) {
    EXPECT_EQ(role["builtin"], true) << role;
  }
  ExpectRefused(token, "PATCH", "/v1/roles/" + foreign_id, {{"permissions", {"*"}}}, 404, "not_found", "");
  ExpectRefused(token, "DELETE", "/v1/roles/" + foreign_id, nullptr, 404, "not_found", "");
  httplib::Response created = SendAs(token, "POST", "/v1/users", R"({"email":"x@example.com"})");
  ASSERT_EQ(created.status, 201) << created.body;
  size_t other_events = AuditEventsOf(other_id).size();
  for (const std::string& role : {foreign_id, std::string("secret-role")}) {
    ExpectRefused(token, "POST", "/v1/role_assignments", {{"role", role}, {"user_id", "x@example.com"}}, 422,
                  "unprocessable", "role");
    ExpectRefused(token, "POST", "/v1/roles", {{"name", "r"}, {"permissions", json::array()}, {"inherits", {role}}},
                  422, "unprocessable", "inherits[0]");
  }
  // Nor A's principals or scopes.
  ExpectRefused(token, "POST", "/v1/role_assignments", {{"role", "viewer"}, {"user_id", foreign_user}}, 422,
                "unprocessable", "user_id");
  ExpectRefused(token, "POST", "/v1/role_assignments",
                {{"role", "viewer"}, {"user_id", "x@example.com"}, {"workspace_id", foreign_workspace}}, 422,
                "unprocessable", "workspace_id");
  ExpectRefused(token, "POST", "/v1/role_assignments",
                {{"role", "viewer"}, {"user_id", "x@example.com"}, {"stack_id", stack_}}, 422, "unprocessable",
                "stack_id");
  EXPECT_EQ(AuditEventsOf(other_id).size(), other_events);
  // Names are per organization: B may have a secret-role of its own, which is another role.
  httplib::Response own = SendAs(token, "POST", "/v1/roles",
                                 json{{"name", "secret-role"}, {"permissions", {"*"}}}.dump());
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_NE(json::parse(own.body)["id"], foreign_id);
  EXPECT_EQ(Read("/v1/roles/secret-role")["permissions"], (json{"stack:read"}));
  json listed = json::parse(SendAs(token, "GET", "/v1/role_assignments?page_size=1000").body)["items"];
  for (const json& assignment : listed) EXPECT_NE(assignment["role"], foreign_id);
}

}  // namespace
}  // namespace rampart::http
