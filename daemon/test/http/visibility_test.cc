// SPEC section 3: "Lists show only what the caller may read", and questions about access
// (check, matrix, who-can, what-can) are answered where the caller may read assignments.
// Each caller is a user with its own key and one grant; every request goes through the
// real server.
#include <httplib.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class VisibilityTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    for (const char* workspace : {"alpha", "beta"}) Create("/v1/workspaces", {{"name", workspace}});
    for (const char* project : {"p1", "p2", "p3", "p4", "p5"}) {
      Create("/v1/workspaces/alpha/projects", {{"name", project}});
    }
    for (const char* stack : {"dev", "prod"}) Create("/v1/workspaces/alpha/stacks", {{"name", stack}});
    // One user per grant; the key acts as that user.
    Grant("member", "workspace.member", "workspace_id", "alpha");
    Grant("p1-viewer", "project.viewer", "project_id", Id("/v1/workspaces/alpha/projects/p1"));
    Grant("dev-reader", "stack.read", "stack_id", Id("/v1/workspaces/alpha/stacks/dev"));
    Grant("nobody", "", "", "");
  }

  json Create(const std::string& path, const json& body) {
    httplib::Response created = Send("POST", path, body.dump());
    EXPECT_EQ(created.status, 201) << path << ": " << created.body;
    return json::parse(created.body, nullptr, false);
  }
  std::string Id(const std::string& path) { return json::parse(Send("GET", path).body)["id"]; }

  // A user `who`@example.com with a key, holding `role` at the scope (none when role is "").
  void Grant(const std::string& who, const std::string& role, const std::string& scope_field,
             const std::string& scope) {
    std::string email = who + "@example.com";
    tokens_[who] = UserWithKey(email);
    if (!role.empty()) {
      Create("/v1/role_assignments", {{"role", role}, {"user_id", email}, {scope_field, scope}});
    }
  }

  httplib::Response As(const std::string& who, const std::string& method, const std::string& path,
                       const json& body = nullptr) {
    return SendAs(tokens_.at(who), method, path, body.is_null() ? "" : body.dump());
  }

  // The names on every page of a list, walked one item a page.
  std::set<std::string> Listed(const std::string& who, const std::string& collection) {
    std::set<std::string> names;
    std::string token;
    for (int pages = 0; pages < 20; ++pages) {
      httplib::Response page =
          As(who, "GET", collection + "?page_size=1" + (token.empty() ? "" : "&page_token=" + token));
      EXPECT_EQ(page.status, 200) << collection << ": " << page.body;
      json body = json::parse(page.body, nullptr, false);
      if (page.status != 200 || !body.is_object()) return names;
      EXPECT_LE(body["items"].size(), 1u);
      for (const json& item : body["items"]) names.insert(item["name"].get<std::string>());
      token = body.value("next_page_token", "");
      if (token.empty()) return names;
    }
    ADD_FAILURE() << collection << " did not end";
    return names;
  }

  std::map<std::string, std::string> tokens_;
};

using Names = std::set<std::string>;

TEST_F(VisibilityTest, ListsShowOnlyWhatTheCallerMayRead) {
  EXPECT_EQ(Listed("member", "/v1/workspaces"), (Names{"alpha"}));
  // A workspace member reads the workspace object only: its projects and stacks stay hidden.
  EXPECT_EQ(Listed("member", "/v1/workspaces/alpha/projects"), Names{});
  EXPECT_EQ(Listed("member", "/v1/workspaces/alpha/stacks"), Names{});
  EXPECT_EQ(Listed("p1-viewer", "/v1/workspaces"), Names{});
  EXPECT_EQ(Listed("p1-viewer", "/v1/workspaces/alpha/projects"), (Names{"p1"}));
  EXPECT_EQ(Listed("p1-viewer", "/v1/workspaces/alpha/stacks"), Names{});
  EXPECT_EQ(Listed("dev-reader", "/v1/workspaces/alpha/stacks"), (Names{"dev"}));
  EXPECT_EQ(Listed("nobody", "/v1/workspaces"), Names{});
  // The bootstrap admin sees everything, page after page.
  tokens_["admin"] = organization_.token;
  EXPECT_EQ(Listed("admin", "/v1/workspaces/alpha/projects"), (Names{"p1", "p2", "p3", "p4", "p5"}));
}

TEST_F(VisibilityTest, PagesOfAFilteredListSkipWhatIsHiddenAndEnd) {
  for (const char* project : {"p3", "p5"}) {
    Create("/v1/role_assignments",
           {{"role", "project.viewer"},
            {"user_id", "p1-viewer@example.com"},
            {"project_id", Id(std::string("/v1/workspaces/alpha/projects/") + project)}});
  }
  EXPECT_EQ(Listed("p1-viewer", "/v1/workspaces/alpha/projects"), (Names{"p1", "p3", "p5"}));
  httplib::Response all = As("p1-viewer", "GET", "/v1/workspaces/alpha/projects?page_size=2");
  json body = json::parse(all.body);
  ASSERT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["items"][0]["name"], "p1");
  EXPECT_EQ(body["items"][1]["name"], "p3");
  EXPECT_FALSE(body.value("next_page_token", "").empty());
}

TEST_F(VisibilityTest, ReadingOneObjectTheCallerMayNotReadIsDeniedByNameAndById) {
  EXPECT_EQ(As("p1-viewer", "GET", "/v1/workspaces/alpha/projects/p1").status, 200);
  std::string p2 = Id("/v1/workspaces/alpha/projects/p2");
  for (const std::string& path : {std::string("/v1/workspaces/alpha/projects/p2"), "/v1/projects/" + p2}) {
    json denied = ExpectError(As("p1-viewer", "GET", path), 403, "permission_denied", "");
    EXPECT_NE(denied["message"].get<std::string>().find("project:read"), std::string::npos) << denied;
  }
  ExpectError(As("member", "GET", "/v1/workspaces/beta"), 403, "permission_denied", "");
  EXPECT_EQ(As("member", "GET", "/v1/workspaces/alpha").status, 200);
  // Something that does not exist is still a 404, not a 403.
  ExpectError(As("member", "GET", "/v1/workspaces/alpha/projects/missing"), 404, "not_found", "");
}

TEST_F(VisibilityTest, AssignmentsAreListedWhereTheCallerMayReadAccess) {
  // project.viewer reads everything in p1, its assignments included; nothing elsewhere.
  json page = json::parse(As("p1-viewer", "GET", "/v1/role_assignments").body);
  ASSERT_EQ(page["items"].size(), 1u) << page;
  EXPECT_EQ(page["items"][0]["role"], "project.viewer");
  std::string elsewhere = json::parse(Send("GET", "/v1/role_assignments").body)["items"][0]["id"];
  EXPECT_EQ(As("p1-viewer", "GET", "/v1/role_assignments/" + page["items"][0]["id"].get<std::string>()).status, 200);
  if (elsewhere != page["items"][0]["id"]) {
    ExpectError(As("p1-viewer", "GET", "/v1/role_assignments/" + elsewhere), 403, "permission_denied", "");
  }
  EXPECT_EQ(json::parse(As("nobody", "GET", "/v1/role_assignments").body)["items"].size(), 0u);
}

TEST_F(VisibilityTest, AccessQuestionsAreAnsweredWhereTheCallerMayReadAssignments) {
  auto check = [&](const std::string& who, const std::string& principal, const std::string& resource) {
    return As(who, "POST", "/v1/check",
              json{{"principal", principal}, {"permission", "project:read"}, {"resource", resource}});
  };
  const std::string p1 = "workspaces/alpha/projects/p1";
  const std::string p2 = "workspaces/alpha/projects/p2";
  EXPECT_EQ(check("p1-viewer", "user:member@example.com", p1).status, 200);
  json denied = ExpectError(check("p1-viewer", "user:member@example.com", p2), 403, "permission_denied", "");
  EXPECT_NE(denied["message"].get<std::string>().find("role_assignment:read"), std::string::npos);
  // Anyone may ask about themselves, anywhere in the organization.
  httplib::Response self = check("nobody", "user:nobody@example.com", p2);
  EXPECT_EQ(self.status, 200) << self.body;
  EXPECT_EQ(json::parse(self.body)["allowed"], false);
  ExpectError(check("nobody", "user:member@example.com", p1), 403, "permission_denied", "");
  EXPECT_EQ(As("p1-viewer", "GET", "/v1/access-matrix?scope=" + p1).status, 200);
  ExpectError(As("p1-viewer", "GET", "/v1/access-matrix?scope=organization"), 403, "permission_denied", "");
  EXPECT_EQ(As("p1-viewer", "GET", "/v1/who-can?permission=project:read&resource=" + p1).status, 200);
  ExpectError(As("p1-viewer", "GET", "/v1/who-can?permission=project:read&resource=" + p2), 403,
              "permission_denied", "");
  EXPECT_EQ(As("nobody", "GET", "/v1/what-can?principal=user:nobody@example.com&resource=" + p2).status, 200);
  ExpectError(As("nobody", "GET", "/v1/what-can?principal=user:member@example.com"), 403, "permission_denied", "");
}

}  // namespace
}  // namespace rampart::http
