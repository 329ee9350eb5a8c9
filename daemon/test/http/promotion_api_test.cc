// Model promotion governance through the REST API (SPEC section 4, issue 8): each rule of a
// promotion policy, with the design document's roles (data-scientist, ml-engineer,
// platform-admin) held through real role assignments, deployment windows on the fixture's
// fake clock in real time zones, four eyes, approval types, and requests that are rejected
// or cancelled never applying. Refused steps are checked to change nothing.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

const std::string kModels = "/v1/workspaces/dev/projects/fraud/models";
const std::string kRequests = "/v1/workspaces/dev/projects/fraud/promotion_requests";

class PromotionApiTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    for (const char* workspace : {"dev", "prod"}) {
      Create("/v1/workspaces", {{"name", workspace}});
      Create(std::string("/v1/workspaces/") + workspace + "/projects", {{"name", "fraud"}});
    }
    project_ = Read("/v1/workspaces/dev/projects/fraud")["id"];
    Create("/v1/roles", {{"name", "data-scientist"},
                         {"permissions", {"model:read", "model:create", "model_version:*", "model:promote:staging"}}});
    Create("/v1/roles", {{"name", "ml-engineer"}, {"permissions", {"model:*", "model_version:*"}}});
    Create("/v1/roles", {{"name", "platform-admin"}, {"permissions", {"*"}}});
    sam_ = Person("sam@example.com", "data-scientist");
    max_ = Person("max@example.com", "ml-engineer");
    kim_ = Person("kim@example.com", "ml-engineer");
    pat_ = Person("pat@example.com", "platform-admin");
    Create(kModels, {{"name", "churn"}});
    for (const char* version : {"1", "2", "3"}) {
      Create(kModels + "/churn/versions",
             {{"name", version}, {"tags", {"validated"}}, {"description", "gradient boosted, AUC 0.91"}});
    }
  }

  // A user holding `role` in both workspaces; returns the user's token.
  std::string Person(const std::string& email, const std::string& role) {
    std::string token = UserWithKey(email);
    for (const char* workspace : {"dev", "prod"}) {
      Create("/v1/role_assignments", {{"role", role}, {"user_id", email}, {"workspace_id", workspace}});
    }
    ids_[token] = Read("/v1/users/" + email)["id"];
    return token;
  }

  json Create(const std::string& path, const json& body) {
    httplib::Response created = Send("POST", path, body.dump());
    EXPECT_EQ(created.status, 201) << path << ": " << created.body;
    return json::parse(created.body, nullptr, false);
  }
  json Read(const std::string& path) {
    httplib::Response read = Send("GET", path);
    EXPECT_EQ(read.status, 200) << path << ": " << read.body;
    return json::parse(read.body, nullptr, false);
  }
  std::string StageOf(const std::string& version) {
    return Read(kModels + "/churn/versions/" + version)["stage"];
  }

  // The design document's production policy at the dev workspace, with `extra` merged in.
  json ProductionPolicy(const json& extra = json::object()) {
    json policy = {{"workspace_id", "dev"},
                   {"stage", "production"},
                   {"allowed_roles", {"ml-engineer", "platform-admin"}},
                   {"approval_required", true},
                   {"min_approvers", 2},
                   {"approver_roles", {"ml-engineer", "platform-admin"}}};
    policy.merge_patch(extra);
    return Create("/v1/promotion_policies", policy);
  }

  httplib::Response Request(const std::string& token, const std::string& version, const std::string& stage) {
    return SendAs(token, "POST", kRequests, json{{"model_version", "churn/" + version}, {"target_stage", stage}}.dump());
  }
  httplib::Response Act(const std::string& token, const std::string& request, const std::string& verb,
                        const json& body = json::object()) {
    return SendAs(token, "POST", kRequests + "/" + request + "/" + verb, body.dump());
  }
  std::string Principal(const std::string& token) { return "user:" + ids_[token]; }

  void SetClock(const std::string& rfc3339) {
    TimestampMs target = 0;
    ASSERT_TRUE(ParseTimestamp(rfc3339, target));
    ASSERT_GT(target, clock_.Now()) << "the fake clock only moves forward";
    clock_.Advance(target - clock_.Now());
  }

  std::string project_, sam_, max_, kim_, pat_;
  std::map<std::string, std::string> ids_;  // token -> user id
};

TEST_F(PromotionApiTest, StagingIsOpenProductionNeedsTwoDistinctApproversAndArchivesThePreviousHolder) {
  // Version 1 serves before any production policy exists: no policy, no approval.
  json first = json::parse(Request(pat_, "1", "production").body);
  EXPECT_EQ(first["status"], "applied");
  Create("/v1/promotion_policies", {{"workspace_id", "dev"},
                                    {"stage", "staging"},
                                    {"allowed_roles", {"data-scientist", "ml-engineer", "platform-admin"}}});
  ProductionPolicy();

  // A data scientist promotes to staging directly, and cannot request production.
  httplib::Response staged = Request(sam_, "2", "staging");
  ASSERT_EQ(staged.status, 201) << staged.body;
  EXPECT_EQ(json::parse(staged.body)["status"], "applied");
  EXPECT_EQ(StageOf("2"), "staging");
  size_t before = AuditEvents().size();
  json denied = ExpectError(Request(sam_, "2", "production"), 403, "permission_denied", "");
  EXPECT_NE(denied["message"].get<std::string>().find("model:promote:production"), std::string::npos);
  EXPECT_EQ(AuditEvents().size(), before + 1) << "only the access.denied event";

  // An ML engineer requests it; the requester's own approval never counts.
  httplib::Response requested = Request(max_, "2", "production");
  ASSERT_EQ(requested.status, 201) << requested.body;
  json request = json::parse(requested.body);
  EXPECT_EQ(request["status"], "requested");
  EXPECT_EQ(request["approvals_required"], 2);
  EXPECT_EQ(request["requested_by"], Principal(max_));
  const std::string id = request["id"];
  json own = ExpectError(Act(max_, id, "approve"), 403, "permission_denied", "");
  EXPECT_EQ(own["details"]["reason"], "four_eyes");
  // A data scientist holds no model:approve:production.
  ExpectError(Act(sam_, id, "approve"), 403, "permission_denied", "");

  // One approval is not enough, and an approver counts once.
  httplib::Response one = Act(kim_, id, "approve", {{"comment", "metrics look right"}});
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json::parse(one.body)["status"], "requested");
  EXPECT_EQ(json::parse(ExpectError(Act(kim_, id, "approve"), 409, "conflict", "").dump())["details"]["reason"],
            "already_decided");
  EXPECT_EQ(StageOf("2"), "staging");
  ExpectError(Act(max_, id, "apply"), 409, "conflict", "");

  // A second, distinct approver applies it: 2 serves, 1 is archived.
  httplib::Response two = Act(pat_, id, "approve");
  ASSERT_EQ(two.status, 200) << two.body;
  json applied = json::parse(two.body);
  EXPECT_EQ(applied["status"], "applied");
  EXPECT_EQ(applied["previous_version_id"], Read(kModels + "/churn/versions/1")["id"]);
  EXPECT_EQ(applied["decisions"].size(), 2u);
  EXPECT_EQ(applied["decisions"][0]["principal"], Principal(kim_));
  EXPECT_EQ(applied["decisions"][0]["comment"], "metrics look right");
  EXPECT_EQ(StageOf("2"), "production");
  EXPECT_EQ(StageOf("1"), "archived");

  // The trail: each step, with its actor.
  std::vector<std::pair<std::string, std::string>> steps;
  for (const AuditEvent& event : AuditEvents()) {
    if (event.action.rfind("promotion_request.", 0) == 0 || event.action.rfind("model_version.", 0) == 0) {
      if (event.target_id == id || event.target_type == "model_version") steps.emplace_back(event.action, event.actor);
    }
  }
  std::vector<std::pair<std::string, std::string>> tail(steps.end() - 6, steps.end());
  using Step = std::pair<std::string, std::string>;
  EXPECT_EQ(tail[0], Step("promotion_request.create", Principal(max_)));
  EXPECT_EQ(tail[1], Step("promotion_request.approve", Principal(kim_)));
  EXPECT_EQ(tail[2], Step("promotion_request.approve", Principal(pat_)));
  EXPECT_EQ(tail[3], Step("model_version.archive", Principal(pat_)));
  EXPECT_EQ(tail[4], Step("model_version.promote", Principal(pat_)));
  EXPECT_EQ(tail[5], Step("promotion_request.apply", Principal(pat_)));
}

TEST_F(PromotionApiTest, ARejectedOrCancelledRequestNeverApplies) {
  ProductionPolicy({{"min_approvers", 1}});
  const std::string id = json::parse(Request(max_, "3", "production").body)["id"];
  ExpectError(Act(kim_, id, "reject"), 400, "invalid_argument", "comment");
  httplib::Response rejected = Act(kim_, id, "reject", {{"comment", "no fairness review"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(json::parse(rejected.body)["status"], "rejected");
  for (const char* verb : {"approve", "apply", "cancel", "reject"}) {
    json body = std::string(verb) == "apply" ? json::object() : json{{"comment", "x"}};
    json closed = ExpectError(Act(pat_, id, verb, body), 409, "conflict", "");
    EXPECT_EQ(closed["details"]["reason"], "request_closed") << verb;
  }
  EXPECT_EQ(StageOf("3"), "none");

  // A new request may follow; its requester withdraws it, and it never applies either.
  const std::string again = json::parse(Request(max_, "3", "production").body)["id"];
  ExpectError(Act(sam_, again, "cancel"), 403, "permission_denied", "");
  ASSERT_EQ(Act(max_, again, "cancel", {{"comment", "wrong version"}}).status, 200);
  ExpectError(Act(pat_, again, "approve"), 409, "conflict", "");
  EXPECT_EQ(StageOf("3"), "none");
}

TEST_F(PromotionApiTest, EveryRequiredApprovalTypeMustBeGivenBeforeItApplies) {
  ProductionPolicy({{"approval_types", {"business", "technical"}}});
  const std::string id = json::parse(Request(max_, "3", "production").body)["id"];
  json untyped = ExpectError(Act(kim_, id, "approve"), 400, "invalid_argument", "type");
  EXPECT_NE(untyped["message"].get<std::string>().find("business, technical"), std::string::npos);
  ExpectError(Act(kim_, id, "approve", {{"type", "legal"}}), 400, "invalid_argument", "type");
  ASSERT_EQ(Act(kim_, id, "approve", {{"type", "technical"}}).status, 200);
  json second = json::parse(Act(pat_, id, "approve", {{"type", "technical"}}).body);
  EXPECT_EQ(second["status"], "requested") << "two approvers, but nobody approved for the business";
  std::string ops = Person("ops@example.com", "platform-admin");
  json third = json::parse(Act(ops, id, "approve", {{"type", "business"}}).body);
  EXPECT_EQ(third["status"], "applied");
  EXPECT_EQ(StageOf("3"), "production");
}

TEST_F(PromotionApiTest, ADeploymentWindowRefusesRequestsAndHoldsApprovedOnesUntilItEnds) {
  ProductionPolicy({{"min_approvers", 1},
                    {"blocked_windows", {{{"days", {"sat", "sun"}}, {"start", "00:00"}, {"end", "24:00"},
                                          {"time_zone", "Europe/Berlin"}}}}});
  // Friday 23:30 UTC is Saturday 00:30 in Berlin: closed.
  SetClock("2027-01-15T23:30:00Z");
  size_t before = AuditEvents().size();
  json closed = ExpectError(Request(max_, "3", "production"), 422, "unprocessable", "target_stage");
  EXPECT_EQ(closed["details"]["reason"], "deployment_window");
  EXPECT_NE(closed["message"].get<std::string>().find("sat, sun 00:00-24:00 Europe/Berlin"), std::string::npos);
  EXPECT_EQ(Read(kRequests)["items"].size(), 0u);
  EXPECT_EQ(AuditEvents().size(), before);

  // Requested on a Monday, approved on Saturday: approved, not applied, until Monday.
  SetClock("2027-01-18T09:00:00Z");
  const std::string id = json::parse(Request(max_, "3", "production").body)["id"];
  SetClock("2027-01-23T12:00:00Z");
  json approved = json::parse(Act(kim_, id, "approve").body);
  EXPECT_EQ(approved["status"], "approved");
  EXPECT_EQ(StageOf("3"), "none");
  json held = ExpectError(Act(max_, id, "apply"), 422, "unprocessable", "target_stage");
  EXPECT_EQ(held["details"]["reason"], "deployment_window");
  SetClock("2027-01-25T08:00:00Z");
  ExpectError(Act(sam_, id, "apply"), 403, "permission_denied", "");
  json applied = json::parse(Act(max_, id, "apply").body);
  EXPECT_EQ(applied["status"], "applied");
  EXPECT_EQ(StageOf("3"), "production");
}

TEST_F(PromotionApiTest, TheVersionsTagsDescriptionAndTheRequestersRolesAreCheckedAtOnce) {
  ProductionPolicy({{"required_tags", {"fairness-reviewed", "validated"}}, {"min_description_length", 40}});
  size_t before = AuditEvents().size();
  json tags = ExpectError(Request(max_, "3", "production"), 422, "unprocessable", "model_version");
  EXPECT_EQ(tags["details"]["reason"], "required_tags");
  EXPECT_NE(tags["message"].get<std::string>().find("fairness-reviewed"), std::string::npos);
  Send("PATCH", kModels + "/churn/versions/3", R"({"tags":["validated","fairness-reviewed"]})");
  json description = ExpectError(Request(max_, "3", "production"), 422, "unprocessable", "model_version");
  EXPECT_EQ(description["details"]["reason"], "min_description_length");
  EXPECT_EQ(AuditEvents().size(), before + 1) << "only the tag change";
  EXPECT_EQ(Read(kRequests)["items"].size(), 0u);

  // Roles: holding model:promote:staging is not enough when the policy names others.
  Create("/v1/promotion_policies", {{"workspace_id", "dev"}, {"stage", "staging"}, {"allowed_roles", {"ml-engineer"}}});
  json role = ExpectError(Request(sam_, "3", "staging"), 403, "permission_denied", "");
  EXPECT_EQ(role["details"]["reason"], "allowed_roles");
  EXPECT_EQ(Request(max_, "3", "staging").status, 201);
  json twice = ExpectError(Request(max_, "3", "staging"), 409, "conflict", "target_stage");
  EXPECT_EQ(twice["details"]["reason"], "already_in_stage");
}

TEST_F(PromotionApiTest, AProjectsOwnPolicyOverridesItsWorkspacesDefault) {
  ProductionPolicy();  // two approvers at the workspace
  Create("/v1/promotion_policies", {{"project_id", project_}, {"stage", "production"}});
  json request = json::parse(Request(max_, "3", "production").body);
  EXPECT_EQ(request["status"], "applied") << "the project's policy needs no approval";
  EXPECT_EQ(request["policy_id"], Read("/v1/workspaces/dev/projects/fraud/promotion_policies/production")["id"]);
}

TEST_F(PromotionApiTest, PoliciesAreValidatedNamingTheFieldAndAreAddressableByNamePath) {
  size_t before = AuditEvents().size();
  struct Case {
    json body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"stage", "production"}}, 400, "workspace_id"},
      {{{"workspace_id", "dev"}, {"project_id", project_}, {"stage", "production"}}, 400, "workspace_id"},
      {{{"workspace_id", "dev"}, {"stage", "prod"}}, 400, "stage"},
      {{{"workspace_id", "nope"}, {"stage", "production"}}, 422, "workspace_id"},
      {{{"workspace_id", "dev"}, {"stage", "production"}, {"allowed_roles", {"ml-engineer", "wizard"}}}, 422,
       "allowed_roles[1]"},
      {{{"workspace_id", "dev"}, {"stage", "production"}, {"min_approvers", 2}}, 400, "min_approvers"},
      {{{"workspace_id", "dev"}, {"stage", "production"}, {"approval_types", {"business"}}}, 400, "approval_types"},
      {{{"workspace_id", "dev"}, {"stage", "production"}, {"approval_required", true}, {"min_approvers", 21}}, 400,
       "min_approvers"},
      {{{"workspace_id", "dev"}, {"stage", "production"}, {"blocked_windows", {{{"start", "09:00"}, {"end", "9pm"}}}}},
       400, "blocked_windows[0].end"},
      {{{"workspace_id", "dev"},
        {"stage", "production"},
        {"blocked_windows", {{{"days", {"saturday"}}, {"start", "09:00"}, {"end", "17:00"}}}}},
       400, "blocked_windows[0].days[0]"},
      {{{"workspace_id", "dev"},
        {"stage", "production"},
        {"blocked_windows", {{{"start", "09:00"}, {"end", "17:00"}, {"time_zone", "Europe/Atlantis"}}}}},
       400, "blocked_windows[0].time_zone"},
      {{{"workspace_id", "dev"}, {"stage", "production"}, {"required_tags", {"ok", " bad"}}}, 400, "required_tags[1]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.dump());
    ExpectError(Send("POST", "/v1/promotion_policies", c.body.dump()), c.status,
                c.status == 400 ? "invalid_argument" : "unprocessable", c.field);
  }
  EXPECT_EQ(Read("/v1/promotion_policies")["items"].size(), 0u);
  EXPECT_EQ(AuditEvents().size(), before);

  json policy = ProductionPolicy();
  EXPECT_EQ(policy["four_eyes"], true);
  EXPECT_EQ(Read("/v1/workspaces/dev/promotion_policies/production")["id"], policy["id"]);
  ExpectError(Send("GET", "/v1/workspaces/prod/promotion_policies/production"), 404, "not_found", "");
  ExpectError(Send("POST", "/v1/promotion_policies", json{{"workspace_id", "dev"}, {"stage", "production"}}.dump()),
              409, "already_exists", "stage");
  const std::string path = "/v1/promotion_policies/" + policy["id"].get<std::string>();
  ExpectError(Send("PATCH", path, R"({"stage":"staging"})"), 400, "invalid_argument", "stage");
  ExpectError(Send("PATCH", path, R"({"workspace_id":"prod"})"), 400, "invalid_argument", "workspace_id");
  // Turning approval off takes one field: the approval rules go with it.
  httplib::Response off = Send("PATCH", path, R"({"approval_required":false})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(json::parse(off.body)["min_approvers"], 0);
  EXPECT_EQ(json::parse(off.body)["approver_roles"], json::array());
  // Only holders of promotion_policy:* at the workspace change policies.
  ExpectError(SendAs(max_, "DELETE", path), 403, "permission_denied", "");
  EXPECT_EQ(SendAs(pat_, "DELETE", path).status, 204);
}

TEST_F(PromotionApiTest, AVersionImportedIntoAnotherWorkspaceKeepsItsProvenanceAndFollowsThatPolicy) {
  Send("PATCH", kModels + "/churn/versions/3", R"({"run_url":"https://mlflow.example.com/runs/42"})");
  json source = Read(kModels + "/churn/versions/3");
  httplib::Response imported = SendAs(max_, "POST", "/v1/workspaces/prod/projects/fraud/model_imports",
                                      json{{"source", "workspaces/dev/projects/fraud/models/churn/versions/3"}}.dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  json version = json::parse(imported.body);
  EXPECT_EQ(version["stage"], "none");
  EXPECT_EQ(version["name"], "3");
  EXPECT_EQ(version["tags"], source["tags"]);
  EXPECT_EQ(version["source"]["model_version_id"], source["id"]);
  EXPECT_EQ(version["source"]["workspace_id"], Read("/v1/workspaces/dev")["id"]);
  EXPECT_EQ(version["source"]["project_id"], project_);
  EXPECT_EQ(version["source"]["run_url"], "https://mlflow.example.com/runs/42");
  ExpectError(SendAs(max_, "POST", "/v1/workspaces/prod/projects/fraud/model_imports",
                     json{{"source", source["id"]}}.dump()),
              409, "already_exists", "version");
  // In the production workspace, its own policy governs: here, one approver.
  Create("/v1/promotion_policies", {{"workspace_id", "prod"}, {"stage", "production"}, {"approval_required", true}});
  httplib::Response requested = SendAs(max_, "POST", "/v1/workspaces/prod/projects/fraud/promotion_requests",
                                       json{{"model_version", version["id"]}, {"target_stage", "production"}}.dump());
  ASSERT_EQ(requested.status, 201) << requested.body;
  EXPECT_EQ(json::parse(requested.body)["status"], "requested");
  // The source workspace's version is another object: untouched.
  EXPECT_EQ(StageOf("3"), "none");
}

TEST_F(PromotionApiTest, WhatServesOrIsAboutToCannotBeDeletedFromUnderIt) {
  Request(pat_, "1", "production");
  ExpectError(Send("DELETE", kModels + "/churn/versions/1"), 409, "conflict", "");
  ProductionPolicy();
  Request(max_, "2", "production");
  ExpectError(Send("DELETE", kModels + "/churn/versions/2"), 409, "conflict", "");
  ExpectError(Send("DELETE", kModels + "/churn"), 409, "conflict", "");
  ExpectError(Send("DELETE", "/v1/workspaces/dev/projects/fraud"), 409, "conflict", "");
  ExpectError(Send("DELETE", "/v1/workspaces/dev"), 409, "conflict", "");
  EXPECT_EQ(Send("DELETE", kModels + "/churn/versions/3").status, 204);
  ExpectError(Send("PATCH", kModels + "/churn/versions/2", R"({"stage":"production"})"), 400, "invalid_argument",
              "stage");
}

}  // namespace
}  // namespace rampart::http
