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

    auto other = Send("POST", "/v1/organizations", R"({"name":"acme-corp"})");
    ASSERT_EQ(other.status, 201);
    b_token_ = json::parse(other.body)["token"];
    b_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    b_->set_bearer_token_auth(b_token_.c_str());
    auto b_workspace = b_->Post("/v1/workspaces", R"({"name":"alpha"})", "application/json");
    ASSERT_TRUE(b_workspace && b_workspace->status == 201);
    b_workspace_id_ = json::parse(b_workspace->body)["id"];
  }

  // Every value by which A's objects can be named in a path.
  std::map<std::string, std::vector<std::string>> ForeignRefs() {
    return {{"workspace", {a_workspace_id_}},
            {"project", {a_project_id_}},
            {"service_account", {a_service_account_id_}},
            {"api_key", {a_key_id_}}};
  }

  // A body the route would accept, so that only the foreign id can make it fail. A new
  // create route with other required fields answers 400 here until it is listed.
  static std::string ValidBodyFor(const Route& route) {
    if (route.method == "POST" && route.pattern.size() > 9 &&
        route.pattern.compare(route.pattern.size() - 9, 9, "/projects") == 0) {
      return R"({"name":"hijacked"})";
    }
    return R"({"description":"hijacked"})";
  }

  // A's state, to prove nothing changed: every object's JSON and the audit trail's length.
  std::string SnapshotOfA() {
    std::string snapshot = Send("GET", "/v1/workspaces").body;
    snapshot += Send("GET", "/v1/workspaces/alpha/projects").body;
    snapshot += Send("GET", "/v1/service_accounts").body;
    snapshot += Send("GET", "/v1/service_accounts/ci-bot/keys").body;
    snapshot += std::to_string(AuditEvents().size());
    return snapshot;
  }

  std::string a_workspace_id_, a_project_id_, a_service_account_id_, a_key_id_, b_token_,
      b_workspace_id_;
  std::unique_ptr<httplib::Client> b_;
};

TEST_F(TenantIsolationTest, ForeignIdsAnswer404OnEveryRouteAndChangeNothing) {
  std::string before = SnapshotOfA();
  auto refs = ForeignRefs();
  int checked = 0;
  for (const Route& route : BuildRouteTable({*tenancy_, *service_accounts_, *api_keys_, *audit_log_})) {
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
    EXPECT_EQ(result->body.find("ci-bot"), std::string::npos) << "leaks a name";
    ++checked;
  }
  EXPECT_GE(checked, 16);
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

TEST_F(TenantIsolationTest, CreatingUnderAForeignWorkspaceIdIs404) {
  std::string before = SnapshotOfA();
  ExpectError(b_->Post(("/v1/workspaces/" + a_workspace_id_ + "/projects").c_str(),
                       R"({"name":"sneaky"})", "application/json"),
              404, "not_found", "");
  EXPECT_EQ(SnapshotOfA(), before);
}

}  // namespace
}  // namespace rampart::http
