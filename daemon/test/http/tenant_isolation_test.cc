// Tenant isolation over every route of the route table: a key of one organization never
// reads, lists, changes or learns of another organization's objects. New routes are covered
// automatically; a route whose path parameter this test cannot fill fails it.
#include <httplib.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "http/route_table.h"
#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class TenantIsolationTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    // Organization A (the fixture's "acme") and B ("acme-corp") use the same names.
    for (const char* name : {"alpha", "beta"}) {
      ASSERT_EQ(Send("POST", "/v1/workspaces", json{{"name", name}}.dump()).status, 201);
    }
    auto project = Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"recsys"})");
    ASSERT_EQ(project.status, 201);
    a_project_id_ = json::parse(project.body)["id"];
    a_workspace_id_ = json::parse(project.body)["workspace_id"];
    auto service_account = Send("POST", "/v1/service_accounts", R"({"name":"ci-bot"})");
    ASSERT_EQ(service_account.status, 201);
    a_service_account_id_ = json::parse(service_account.body)["id"];
    auto key = Send("POST", "/v1/service_accounts/ci-bot/keys", R"({"description":"ci"})");
    ASSERT_EQ(key.status, 201);
    a_key_id_ = json::parse(key.body)["id"];
    a_user_id_ = CreateIn(*client_, "/v1/users", R"({"email":"dana@example.com"})");
    ASSERT_EQ(Send("POST", "/v1/users/dana@example.com/keys", "{}").status, 201);
    a_team_id_ = CreateIn(*client_, "/v1/teams",
                          json{{"name", "developers"}, {"members", {a_user_id_}}}.dump());
    a_component_id_ = CreateIn(*client_, "/v1/workspaces/alpha/components",
                               R"({"name":"s3","type":"artifact_store","flavor":"s3"})");
    a_stack_id_ = CreateIn(*client_, "/v1/workspaces/alpha/stacks",
                           json{{"name", "production"},
                                {"components", {{"artifact_store", a_component_id_}}}}.dump());
    a_role_id_ = CreateIn(*client_, "/v1/roles",
                          R"({"name":"data-scientist","permissions":["pipeline:run"]})");
    a_assignment_id_ = CreateIn(*client_, "/v1/role_assignments",
                                json{{"role", "data-scientist"}, {"team_id", a_team_id_},
                                     {"project_id", a_project_id_}}.dump());
    a_binding_id_ = CreateIn(*client_, "/v1/workspaces/alpha/projects/recsys/stacks",
                             R"({"stack_id":"production","quota":{"gpu":2}})");
    a_model_id_ = CreateIn(*client_, "/v1/workspaces/alpha/projects/recsys/models", R"({"name":"churn"})");
    a_version_id_ = CreateIn(*client_, "/v1/workspaces/alpha/projects/recsys/models/churn/versions",
                             R"({"name":"1","tags":["validated"]})");
    a_policy_id_ = CreateIn(*client_, "/v1/promotion_policies",
                            json{{"project_id", a_project_id_}, {"stage", "production"},
                                 {"approval_required", true}}.dump());
    a_request_id_ = CreateIn(*client_, "/v1/workspaces/alpha/projects/recsys/promotion_requests",
                             R"({"model_version":"churn/1","target_stage":"production"})");

    auto other = Send("POST", "/v1/organizations", R"({"name":"acme-corp"})");
    ASSERT_EQ(other.status, 201);
    b_token_ = json::parse(other.body)["token"];
    b_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    b_->set_bearer_token_auth(b_token_.c_str());
    // B's objects carry the same names as A's.
    b_workspace_id_ = CreateIn(*b_, "/v1/workspaces", R"({"name":"alpha"})");
    b_user_id_ = CreateIn(*b_, "/v1/users", R"({"email":"dana@example.com"})");
    b_team_id_ = CreateIn(*b_, "/v1/teams", R"({"name":"developers"})");
    CreateIn(*b_, "/v1/workspaces/alpha/components",
             R"({"name":"s3","type":"artifact_store","flavor":"s3"})");
    b_stack_id_ = CreateIn(*b_, "/v1/workspaces/alpha/stacks", R"({"name":"production"})");
    CreateIn(*b_, "/v1/roles", R"({"name":"data-scientist","permissions":["model:read"]})");
  }

  // POSTs `body` with `client`'s token and returns the new object's id.
  std::string CreateIn(httplib::Client& client, const std::string& path, const std::string& body) {
    auto created = client.Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(created && created->status == 201) << path << ": " << (created ? created->body : "");
    if (!created || created->status != 201) return "";
    return json::parse(created->body)["id"];
  }

  // Every value by which A's objects can be named in a path.
  std::map<std::string, std::vector<std::string>> ForeignRefs() {
    return {{"workspace", {a_workspace_id_}},
            {"project", {a_project_id_}},
            {"service_account", {a_service_account_id_}},
            {"api_key", {a_key_id_}},
            {"user", {a_user_id_}},
            {"team", {a_team_id_}},
            {"member", {a_user_id_}},
            {"component", {a_component_id_}},
            {"stack", {a_stack_id_}},
            {"project_stack", {a_binding_id_}},
            {"role", {a_role_id_}},
            {"role_assignment", {a_assignment_id_}},
            {"model", {a_model_id_}},
            {"version", {a_version_id_}},
            {"model_version", {a_version_id_}},
            {"promotion_policy", {a_policy_id_}},
            {"promotion_request", {a_request_id_}},
            {"stage", {"production"}}};
  }

  // A body the route would accept, so that only the foreign id can make it fail. A new
  // create route with other required fields answers 400 here until it is listed.
  static std::string ValidBodyFor(const Route& route) {
    auto ends_with = [&](const std::string& suffix) {
      return route.pattern.size() >= suffix.size() &&
             route.pattern.compare(route.pattern.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (route.method == "PUT" && ends_with("/members")) return R"({"members":[]})";
    if (route.method != "POST") return R"({"description":"hijacked"})";
    if (ends_with("/projects/{project}/stacks")) return R"({"stack_id":"production"})";
    if (ends_with("/projects") || ends_with("/stacks")) return R"({"name":"hijacked"})";
    if (ends_with("/promotion_requests")) return R"({"model_version":"churn/1","target_stage":"staging"})";
    if (ends_with("/model_imports")) return json{{"source", "mv_0"}}.dump();
    if (ends_with("/approve") || ends_with("/cancel") || ends_with("/apply")) return "{}";
    if (ends_with("/reject")) return R"({"comment":"hijacked"})";
    if (ends_with("/models")) return R"({"name":"hijacked"})";
    if (ends_with("/versions")) return R"({"name":"9"})";
    if (ends_with("/components")) {
      return R"({"name":"hijacked","type":"orchestrator","flavor":"kubernetes"})";
    }
    return R"({"description":"hijacked"})";
  }

  // A's state, to prove nothing changed: every object's JSON and the audit trail's length.
  std::string SnapshotOfA() {
    std::string snapshot = Send("GET", "/v1/workspaces").body;
    snapshot += Send("GET", "/v1/workspaces/alpha/projects").body;
    snapshot += Send("GET", "/v1/service_accounts").body;
    snapshot += Send("GET", "/v1/service_accounts/ci-bot/keys").body;
    for (const char* list : {"/v1/users", "/v1/users/dana@example.com/keys", "/v1/teams",
                             "/v1/roles", "/v1/role_assignments",
                             "/v1/workspaces/alpha/components", "/v1/workspaces/alpha/stacks",
                             "/v1/workspaces/alpha/projects/recsys/stacks",
                             "/v1/workspaces/alpha/projects/recsys/models",
                             "/v1/workspaces/alpha/projects/recsys/models/churn/versions",
                             "/v1/promotion_policies",
                             "/v1/workspaces/alpha/projects/recsys/promotion_requests"}) {
      snapshot += Send("GET", list).body;
    }
    snapshot += std::to_string(AuditEvents().size());
    return snapshot;
  }

  std::string a_workspace_id_, a_project_id_, a_service_account_id_, a_key_id_, a_user_id_,
      a_team_id_, a_component_id_, a_stack_id_, a_binding_id_, a_role_id_, a_assignment_id_,
      a_model_id_, a_version_id_, a_policy_id_, a_request_id_;
  std::string b_token_, b_workspace_id_, b_user_id_, b_team_id_, b_stack_id_;
  std::unique_ptr<httplib::Client> b_;
};

TEST_F(TenantIsolationTest, ForeignIdsAnswer404OnEveryRouteAndChangeNothing) {
  std::string before = SnapshotOfA();
  auto refs = ForeignRefs();
  int checked = 0;
  for (const Route& route : BuildRouteTable(*services_)) {
    if (route.pattern.find('{') == std::string::npos) continue;
    // Fill every placeholder with A's id; routes nested under a workspace get A's ids too.
    std::string path = route.pattern;
    size_t open = 0;
    while ((open = path.find('{')) != std::string::npos) {
      size_t close = path.find('}', open);
      std::string param = path.substr(open + 1, close - open - 1);
      ASSERT_TRUE(refs.count(param)) << "no foreign value for {" << param << "} in " << route.pattern;
      path.replace(open, close - open + 1, refs[param].front());
    }
    httplib::Request request;
    request.method = route.method;
    request.path = path;
    request.headers.emplace("Authorization", "Bearer " + b_token_);
    if (route.mutates && route.method != "DELETE") {
      request.body = ValidBodyFor(route);
      request.set_header("Content-Type", "application/json");
    }
    auto result = b_->send(request);
    ASSERT_TRUE(result) << route.method << " " << path;
    SCOPED_TRACE(route.method + " " + path);
    ExpectError(result, 404, "not_found", "");
    EXPECT_EQ(result->body.find("alpha"), std::string::npos) << "leaks a name";
    for (const char* name : {"ci-bot", "dana", "developers", "recsys", "data-scientist"}) {
      EXPECT_EQ(result->body.find(name), std::string::npos) << "leaks " << name;
    }
    ++checked;
  }
  EXPECT_GE(checked, 40);
  EXPECT_EQ(SnapshotOfA(), before);
}

TEST_F(TenantIsolationTest, NamesResolveWithinTheCallersOrganizationOnly) {
  auto workspace = b_->Get("/v1/workspaces/alpha");
  ASSERT_TRUE(workspace);
  EXPECT_EQ(json::parse(workspace->body)["id"], b_workspace_id_);
  auto list = b_->Get("/v1/workspaces");
  ASSERT_TRUE(list);
  json items = json::parse(list->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["id"], b_workspace_id_);
  // B's workspace "alpha" has no project "recsys": A's one stays invisible by name too.
  ExpectError(b_->Get("/v1/workspaces/alpha/projects/recsys"), 404, "not_found", "");
  ExpectError(b_->Get("/v1/workspaces/beta"), 404, "not_found", "");
  ExpectError(b_->Get("/v1/service_accounts/ci-bot"), 404, "not_found", "");
  auto accounts = b_->Get("/v1/service_accounts");
  ASSERT_TRUE(accounts);
  EXPECT_EQ(json::parse(accounts->body)["items"], json::array());
  auto by_ids = b_->Get(("/v1/workspaces?ids=" + a_workspace_id_).c_str());
  ASSERT_TRUE(by_ids);
  EXPECT_EQ(json::parse(by_ids->body)["items"], json::array());
  auto events = b_->Get(("/v1/audit-events?target_id=" + a_workspace_id_).c_str());
  ASSERT_TRUE(events);
  EXPECT_EQ(json::parse(events->body)["items"], json::array());
}

TEST_F(TenantIsolationTest, LookAlikeNamesResolveToTheCallersOwnObjects) {
  struct Case {
    std::string path;
    std::string own_id;
  };
  for (const Case& c : {Case{"/v1/users/dana@example.com", b_user_id_},
                        Case{"/v1/teams/developers", b_team_id_},
                        Case{"/v1/workspaces/alpha/stacks/production", b_stack_id_}}) {
    auto own = b_->Get(c.path.c_str());
    ASSERT_TRUE(own) << c.path;
    EXPECT_EQ(json::parse(own->body)["id"], c.own_id) << c.path;
  }
  // B's team has no members and B's stack no components: nothing of A's shows through.
  EXPECT_EQ(json::parse(b_->Get("/v1/teams/developers")->body)["members"], json::array());
  EXPECT_EQ(json::parse(b_->Get("/v1/workspaces/alpha/stacks/production")->body)["components"],
            json::object());
  ExpectError(b_->Get("/v1/workspaces/alpha/projects/recsys/stacks/production"), 404,
              "not_found", "");
  for (const char* list : {"/v1/users", "/v1/teams", "/v1/workspaces/alpha/stacks"}) {
    json items = json::parse(b_->Get(list)->body)["items"];
    ASSERT_EQ(items.size(), 1u) << list;
  }
}

TEST_F(TenantIsolationTest, ReferencesToAnotherOrganizationsObjectsAreRefused) {
  std::string before = SnapshotOfA();
  // B names A's user as a team member and A's component in a stack: neither exists for B.
  ExpectError(b_->Post("/v1/teams", json{{"name", "x"}, {"members", {a_user_id_}}}.dump(),
                       "application/json"),
              422, "unprocessable", "members[0]");
  ExpectError(b_->Post("/v1/workspaces/alpha/stacks",
                       json{{"name", "x"}, {"components", {{"artifact_store", a_component_id_}}}}.dump(),
                       "application/json"),
              422, "unprocessable", "components.artifact_store");
  ExpectError(b_->Put(("/v1/teams/developers/members/" + a_user_id_).c_str(), "", "application/json"),
              422, "unprocessable", "member");
  EXPECT_EQ(SnapshotOfA(), before);
  EXPECT_EQ(json::parse(b_->Get("/v1/teams")->body)["items"].size(), 1u);
}

TEST_F(TenantIsolationTest, CreatingUnderAForeignWorkspaceIdIs404) {
  std::string before = SnapshotOfA();
  ExpectError(b_->Post(("/v1/workspaces/" + a_workspace_id_ + "/projects").c_str(),
                       R"({"name":"sneaky"})", "application/json"),
              404, "not_found", "");
  EXPECT_EQ(SnapshotOfA(), before);
}

}  // namespace
}  // namespace rampart::http
