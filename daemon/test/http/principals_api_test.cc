// Users and teams over REST through a real server: emails as lowercased names, user keys
// that follow the user's life (active flag, expiry, deletion), and team memberships.
#include <httplib.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class PrincipalsApiTest : public testing::ApiServerFixture {
 protected:
  // POSTs `body` and returns the created object (a failed test unless 201).
  json Create(const std::string& path, const json& body) {
    auto created = Send("POST", path, body.dump());
    EXPECT_EQ(created.status, 201) << path << " " << created.body;
    return json::parse(created.body, nullptr, /*allow_exceptions=*/false);
  }

  std::string CreateUser(const std::string& email, const json& extra = json::object()) {
    json body = extra;
    body["email"] = email;
    return Create("/v1/users", body)["id"];
  }

  // The body of a GET that must succeed.
  json Read(const std::string& path) {
    auto read = Send("GET", path);
    EXPECT_EQ(read.status, 200) << path << " " << read.body;
    return json::parse(read.body, nullptr, /*allow_exceptions=*/false);
  }

  std::vector<std::string> Emails(const std::string& query) {
    std::vector<std::string> emails;
    const json body = Read("/v1/users" + query);  // outlives the loop over its items
    for (const json& user : body["items"]) emails.push_back(user["email"]);
    return emails;
  }

  size_t CountActions(const std::string& action) {
    size_t count = 0;
    for (const AuditEvent& event : AuditEvents()) count += event.action == action;
    return count;
  }

  // The status GET /v1/organization answers with `token` as bearer.
  int StatusWithToken(const std::string& token) {
    httplib::Client client("127.0.0.1", port_);
    client.set_bearer_token_auth(token.c_str());
    auto result = client.Get("/v1/organization");
    return result ? result->status : -1;
  }
};

// ---------------------------------------------------------------------------------------
// Users

class UserApiTest : public PrincipalsApiTest {};

TEST_F(UserApiTest, EmailIsLowercasedAndAddressesTheUser) {
  auto created = Send("POST", "/v1/users", R"({"email":"Dana@Example.com","display_name":"Dana"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.get_header_value("ETag"), "\"1\"");
  json user = json::parse(created.body);
  std::string id = user["id"];
  EXPECT_EQ(id.rfind("usr_", 0), 0u);
  EXPECT_EQ(user["email"], "dana@example.com");
  EXPECT_EQ(user["active"], true);
  EXPECT_EQ(user["display_name"], "Dana");
  EXPECT_FALSE(user.contains("name")) << user.dump();

  for (const std::string& path : std::vector<std::string>{
           "/v1/users/dana@example.com", "/v1/users/DANA@example.com", "/v1/users/" + id}) {
    EXPECT_EQ(Read(path), user) << path;
  }
  EXPECT_EQ(Emails(""), std::vector<std::string>{"dana@example.com"});
}

TEST_F(UserApiTest, EmailShapedLikeAnIdStillAddressesTheUser) {
  std::string id = CreateUser("usr_ops@example.com");
  EXPECT_EQ(Read("/v1/users/usr_ops@example.com")["id"], id);
  EXPECT_EQ(Emails("?name_prefix=USR_"), std::vector<std::string>{"usr_ops@example.com"});
  EXPECT_EQ(Send("POST", "/v1/users/usr_ops@example.com/keys", "{}").status, 201);
}

TEST_F(UserApiTest, LifeCycleHonoursIfMatchAndIsAudited) {
  std::string id = CreateUser("dana@example.com");
  auto patched = Send("PATCH", "/v1/users/dana@example.com",
                      R"({"display_name":"Dana S","email":"Dana.S@Example.com"})",
                      {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  json user = json::parse(patched.body);
  EXPECT_EQ(user["email"], "dana.s@example.com");
  EXPECT_EQ(user["revision"], 2);
  ExpectError(Send("GET", "/v1/users/dana@example.com"), 404, "not_found", "");

  size_t events = AuditEvents().size();
  ExpectError(Send("PATCH", "/v1/users/" + id, R"({"active":false})", {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");
  ExpectError(Send("DELETE", "/v1/users/" + id, "", {{"If-Match", "\"1\""}}), 412,
              "precondition_failed", "If-Match");
  EXPECT_EQ(Read("/v1/users/" + id), user);
  EXPECT_EQ(AuditEvents().size(), events);

  EXPECT_EQ(Send("DELETE", "/v1/users/dana.s@example.com", "", {{"If-Match", "\"2\""}}).status,
            204);
  ExpectError(Send("GET", "/v1/users/" + id), 404, "not_found", "");
  json audit = Read("/v1/audit-events?target_id=" + id)["items"];
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0]["action"], "user.create");
  EXPECT_EQ(audit[1]["action"], "user.update");
  EXPECT_EQ(audit[2]["action"], "user.delete");
}

TEST_F(UserApiTest, ListFiltersByEmailPrefixLabelAndIds) {
  std::string dana = CreateUser("dana@example.com", {{"labels", {{"team", "ml"}}}});
  std::string dana_s = CreateUser("dana.s@example.com");
  std::string bob = CreateUser("bob@example.com", {{"labels", {{"team", "ml"}}}});

  EXPECT_EQ(Emails("?name_prefix=dana"),
            (std::vector<std::string>{"dana.s@example.com", "dana@example.com"}));
  EXPECT_EQ(Emails("?label=team:ml"),
            (std::vector<std::string>{"bob@example.com", "dana@example.com"}));
  EXPECT_EQ(Emails("?name_prefix=dana&label=team:ml"),
            std::vector<std::string>{"dana@example.com"});
  EXPECT_EQ(Emails("?ids=" + bob + "," + dana_s),
            (std::vector<std::string>{"bob@example.com", "dana.s@example.com"}));
  EXPECT_EQ(Emails("?name_prefix=carol"), std::vector<std::string>{});
}

TEST_F(UserApiTest, PagesOfOneWalkEveryUserOnce) {
  for (const char* email : {"carol@example.com", "anna@example.com", "bob@example.com"}) {
    CreateUser(email);
  }
  std::vector<std::string> walked;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    json body = Read("/v1/users?page_size=1" + (token.empty() ? "" : "&page_token=" + token));
    ASSERT_EQ(body["items"].size(), 1u) << body.dump();
    walked.push_back(body["items"][0]["email"]);
    if (!body.contains("next_page_token")) break;
    token = body["next_page_token"];
  }
  EXPECT_EQ(walked, (std::vector<std::string>{"anna@example.com", "bob@example.com",
                                              "carol@example.com"}));
}

TEST_F(UserApiTest, RetriedCreateWithSameKeyReturnsTheFirstUser) {
  const std::string body = R"({"email":"dana@example.com"})";
  auto first = Send("POST", "/v1/users", body, {{"Idempotency-Key", "user-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto retry = Send("POST", "/v1/users", body, {{"Idempotency-Key", "user-1"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::parse(retry.body)["id"], json::parse(first.body)["id"]);
  EXPECT_EQ(CountActions("user.create"), 1u);
  EXPECT_EQ(Emails("").size(), 1u);
}

TEST_F(UserApiTest, DuplicateEmailIsRefusedWhateverItsCase) {
  CreateUser("dana@example.com");
  size_t events = AuditEvents().size();
  ExpectError(Send("POST", "/v1/users", R"({"email":"DANA@example.com"})"), 409,
              "already_exists", "email");
  std::string bob = CreateUser("bob@example.com");
  json before = Read("/v1/users/" + bob);
  events = AuditEvents().size();
  ExpectError(Send("PATCH", "/v1/users/" + bob, R"({"email":"Dana@Example.com"})"), 409,
              "already_exists", "email");
  EXPECT_EQ(Read("/v1/users/" + bob), before);
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Emails(""), (std::vector<std::string>{"bob@example.com", "dana@example.com"}));
}

TEST_F(UserApiTest, BadInputIsNamedAndChangesNothing) {
  std::string id = CreateUser("dana@example.com");
  json before = Read("/v1/users/" + id);
  size_t events = AuditEvents().size();

  struct BadCreate {
    const char* body;
    const char* field;
  };
  for (const BadCreate& bad : std::vector<BadCreate>{
           {R"({})", "email"},
           {R"({"email":null})", "email"},
           {R"({"email":5})", "email"},
           {R"({"email":"dana"})", "email"},
           {R"({"email":"dana@example"})", "email"},
           {R"({"email":"a b@example.com"})", "email"},
           {R"({"email":"x@example.com","active":"yes"})", "active"},
           {R"({"email":"x@example.com","nickname":"x"})", "nickname"},
           {R"({"email":"x@example.com","name":"x"})", "name"},
           {R"({"email":"x@example.com","labels":{"Cost Center":"x"}})", "labels.Cost Center"},
       }) {
    SCOPED_TRACE(bad.body);
    ExpectError(Send("POST", "/v1/users", bad.body), 400, "invalid_argument", bad.field);
  }
  ExpectError(Send("PATCH", "/v1/users/" + id, R"({"active":1})"), 400, "invalid_argument",
              "active");
  ExpectError(Send("PATCH", "/v1/users/" + id, R"({"name":"dana"})"), 400, "invalid_argument",
              "name");
  ExpectError(Send("PATCH", "/v1/users/" + id, R"({"email":"dana"})"), 400, "invalid_argument",
              "email");

  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Read("/v1/users/" + id), before);
  EXPECT_EQ(Emails(""), std::vector<std::string>{"dana@example.com"});
}

// ---------------------------------------------------------------------------------------
// User API keys

class UserKeyApiTest : public PrincipalsApiTest {
 protected:
  void SetUp() override {
    PrincipalsApiTest::SetUp();
    user_id_ = CreateUser("dana@example.com");
    // Its keys then have something to do once authenticated.
    GrantInOrganization("editor", "user_id", user_id_);
  }

  json CreateKey(const json& body = json::object()) {
    return Create("/v1/users/dana@example.com/keys", body);
  }

  std::string user_id_;
};

TEST_F(UserKeyApiTest, TokenIsShownOnceAndAuthenticatesAsTheUser) {
  json key = CreateKey({{"description", "laptop"}});
  std::string token = key["token"];
  std::string secret = token.substr(token.find('.') + 1);
  EXPECT_EQ(key["user_id"], user_id_);
  EXPECT_FALSE(key.contains("service_account_id"));
  EXPECT_EQ(key["description"], "laptop");

  json listed = Read("/v1/users/" + user_id_ + "/keys")["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], key["id"]);
  EXPECT_EQ(Read("/v1/users/DANA@example.com/keys")["items"], listed);
  json read = Read("/v1/api_keys/" + key["id"].get<std::string>());
  for (const std::string& body : {listed.dump(), read.dump()}) {
    EXPECT_EQ(body.find(secret), std::string::npos);
    EXPECT_EQ(body.find("token"), std::string::npos);
    EXPECT_EQ(body.find("hash"), std::string::npos);
  }

  EXPECT_EQ(StatusWithToken(token), 200);
  httplib::Client dana("127.0.0.1", port_);
  dana.set_bearer_token_auth(token.c_str());
  auto created = dana.Post("/v1/workspaces", R"({"name":"made-by-dana"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(json::parse(created->body)["created_by"], "user:" + user_id_);
  EXPECT_EQ(AuditEvents().back().actor, "user:" + user_id_);
}

TEST_F(UserKeyApiTest, DeactivatedUserKeysStopAndResumeWithTheUser) {
  std::string token = CreateKey()["token"];
  ASSERT_EQ(StatusWithToken(token), 200);
  ASSERT_EQ(Send("PATCH", "/v1/users/dana@example.com", R"({"active":false})").status, 200);
  EXPECT_EQ(StatusWithToken(token), 401);
  ASSERT_EQ(Send("PATCH", "/v1/users/dana@example.com", R"({"active":true})").status, 200);
  EXPECT_EQ(StatusWithToken(token), 200);
}

TEST_F(UserKeyApiTest, KeyIsRefusedOnceItExpires) {
  json key = CreateKey({{"expires_at", FormatTimestamp(clock_.Now() + kHourMs)}});
  EXPECT_EQ(key["expires_at"], FormatTimestamp(clock_.Now() + kHourMs));
  EXPECT_EQ(StatusWithToken(key["token"]), 200);
  clock_.Advance(kHourMs - 1000);
  EXPECT_EQ(StatusWithToken(key["token"]), 200);
  clock_.Advance(2000);
  EXPECT_EQ(StatusWithToken(key["token"]), 401);
}

TEST_F(UserKeyApiTest, RevokedKeyIsRefused) {
  json key = CreateKey();
  std::string id = key["id"];
  ASSERT_EQ(StatusWithToken(key["token"]), 200);
  EXPECT_EQ(Send("DELETE", "/v1/api_keys/" + id).status, 204);
  EXPECT_EQ(StatusWithToken(key["token"]), 401);
  EXPECT_FALSE(Read("/v1/api_keys/" + id)["revoked_at"].is_null());
  EXPECT_EQ(CountActions("api_key.revoke"), 1u);
}

TEST_F(UserKeyApiTest, DeletingTheUserRevokesEveryKey) {
  json laptop = CreateKey({{"description", "laptop"}});
  json ci = CreateKey({{"description", "ci"}});
  ASSERT_EQ(StatusWithToken(laptop["token"]), 200);
  ASSERT_EQ(Send("DELETE", "/v1/users/dana@example.com").status, 204);
  for (const json& key : {laptop, ci}) {
    EXPECT_EQ(StatusWithToken(key["token"]), 401);
    EXPECT_FALSE(Read("/v1/api_keys/" + key["id"].get<std::string>())["revoked_at"].is_null());
  }
  std::set<std::string> revoked;
  for (const AuditEvent& event : AuditEvents()) {
    if (event.action == "api_key.revoke") revoked.insert(event.target_id);
  }
  EXPECT_EQ(revoked, (std::set<std::string>{laptop["id"], ci["id"]}));
  EXPECT_EQ(AuditEvents().back().action, "user.delete");
}

TEST_F(UserKeyApiTest, AuditNeverHoldsTheTokenOrItsSecret) {
  json key = CreateKey({{"description", "laptop"}});
  std::string token = key["token"];
  std::string secret = token.substr(token.find('.') + 1);
  ASSERT_EQ(StatusWithToken(token), 200);
  ASSERT_EQ(Send("DELETE", "/v1/api_keys/" + key["id"].get<std::string>()).status, 204);
  ASSERT_EQ(Send("DELETE", "/v1/users/" + user_id_).status, 204);

  std::vector<AuditEvent> events = AuditEvents();
  ASSERT_GE(CountActions("api_key.create"), 1u);
  for (const AuditEvent& event : events) {
    for (const std::string& text : {event.before_json, event.after_json, event.actor,
                                    event.target_name}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << event.action;
      EXPECT_EQ(text.find("token"), std::string::npos) << event.action;
    }
  }
  EXPECT_EQ(Send("GET", "/v1/audit-events").body.find(secret), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Teams

class TeamApiTest : public PrincipalsApiTest {
 protected:
  void SetUp() override {
    PrincipalsApiTest::SetUp();
    dana_ = CreateUser("dana@example.com");
    bob_ = CreateUser("bob@example.com");
    ci_bot_ = Create("/v1/service_accounts", {{"name", "ci-bot"}})["id"];
  }

  static json Sorted(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  json Members(const std::string& team) {
    return Read("/v1/teams/" + team + "/members")["members"];
  }

  std::string dana_;
  std::string bob_;
  std::string ci_bot_;
};

TEST_F(TeamApiTest, MembersByIdEmailOrNameAreStoredAsSortedUniqueIds) {
  json team = Create("/v1/teams", {{"name", "developers"},
                                   {"members", {"service_account:ci-bot", "user:Dana@Example.com",
                                                bob_, dana_}},
                                   {"idp_groups", {"ml-eng", "data", "ml-eng"}}});
  json expected = Sorted({dana_, bob_, ci_bot_});
  EXPECT_EQ(team["members"], expected);
  EXPECT_EQ(team["idp_groups"], json({"data", "ml-eng"}));
  EXPECT_EQ(team["id"].get<std::string>().rfind("team_", 0), 0u) << team["id"];
  EXPECT_EQ(Read("/v1/teams/developers"), team);

  auto members = Send("GET", "/v1/teams/" + team["id"].get<std::string>() + "/members");
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_EQ(json::parse(members.body), json({{"members", expected}}));
  EXPECT_EQ(members.get_header_value("ETag"), "\"1\"");
}

TEST_F(TeamApiTest, PatchedMembersReplaceTheList) {
  Create("/v1/teams", {{"name", "developers"}, {"members", {dana_, ci_bot_}}});
  auto patched = Send("PATCH", "/v1/teams/developers", R"({"members":["user:bob@example.com"]})",
                      {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json::parse(patched.body)["members"], json({bob_}));
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(AuditEvents().back().action, "team.update");
}

TEST_F(TeamApiTest, PutMembersReplacesTheListAuthoritatively) {
  Create("/v1/teams", {{"name", "developers"}, {"members", {bob_}}, {"idp_groups", {"eng"}}});
  auto put = Send("PUT", "/v1/teams/developers/members",
                  json{{"members", {"service_account:ci-bot", dana_}}}.dump());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body)["members"], Sorted({dana_, ci_bot_}));
  EXPECT_EQ(json::parse(put.body)["idp_groups"], json({"eng"}));
  EXPECT_EQ(AuditEvents().back().action, "team.update");

  auto emptied = Send("PUT", "/v1/teams/developers/members", "{}", {{"If-Match", "\"2\""}});
  ASSERT_EQ(emptied.status, 200) << emptied.body;
  EXPECT_EQ(emptied.get_header_value("ETag"), "\"3\"");
  EXPECT_EQ(Members("developers"), json::array());
  EXPECT_EQ(CountActions("team.update"), 2u);
}

TEST_F(TeamApiTest, MemberPutAddsOnceAndDeleteRemoves) {
  Create("/v1/teams", {{"name", "developers"}});
  auto added = Send("PUT", "/v1/teams/developers/members/user:dana@example.com");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(json::parse(added.body)["members"], json({dana_}));
  EXPECT_EQ(added.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(AuditEvents().back().action, "team.member_add");

  size_t events = AuditEvents().size();
  auto again = Send("PUT", "/v1/teams/developers/members/" + dana_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(AuditEvents().size(), events);

  ASSERT_EQ(Send("PUT", "/v1/teams/developers/members/service_account:ci-bot").status, 200);
  EXPECT_EQ(Members("developers"), Sorted({dana_, ci_bot_}));

  auto removed = Send("DELETE", "/v1/teams/developers/members/" + dana_);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(json::parse(removed.body)["members"], json({ci_bot_}));
  EXPECT_EQ(removed.get_header_value("ETag"), "\"4\"");
  EXPECT_EQ(AuditEvents().back().action, "team.member_remove");

  events = AuditEvents().size();
  ExpectError(Send("DELETE", "/v1/teams/developers/members/user:dana@example.com"), 404,
              "not_found", "");
  ExpectError(Send("DELETE", "/v1/teams/developers/members/" + bob_), 404, "not_found", "");
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Members("developers"), json({ci_bot_}));
  EXPECT_EQ(CountActions("team.member_add"), 2u);
  EXPECT_EQ(CountActions("team.member_remove"), 1u);
}

TEST_F(TeamApiTest, BadMembersAreNamedByIndexAndChangeNothing) {
  json team = Create("/v1/teams", {{"name", "developers"}, {"members", {dana_}}});
  size_t events = AuditEvents().size();

  struct Bad {
    json body;
    int status;
    const char* code;
    const char* field;
  };
  const std::string unknown_user = "usr_00000000000000000000";
  for (const Bad& bad : std::vector<Bad>{
           {{{"members", {dana_, unknown_user}}}, 422, "unprocessable", "members[1]"},
           {{{"members", {dana_, "user:nobody@example.com"}}}, 422, "unprocessable", "members[1]"},
           {{{"members", {dana_, "service_account:nobody"}}}, 422, "unprocessable", "members[1]"},
           {{{"members", {"bob"}}}, 400, "invalid_argument", "members[0]"},
           {{{"members", {5}}}, 400, "invalid_argument", "members[0]"},
           {{{"members", "bob"}}, 400, "invalid_argument", "members"},
           {{{"idp_groups", {1}}}, 400, "invalid_argument", "idp_groups[0]"},
           {{{"idp_groups", {"eng", ""}}}, 400, "invalid_argument", "idp_groups[1]"},
           {{{"idp_groups", "eng"}}, 400, "invalid_argument", "idp_groups"},
       }) {
    SCOPED_TRACE(bad.body.dump());
    json create = bad.body;
    create["name"] = "reviewers";
    ExpectError(Send("POST", "/v1/teams", create.dump()), bad.status, bad.code, bad.field);
    ExpectError(Send("PATCH", "/v1/teams/developers", bad.body.dump()), bad.status, bad.code,
                bad.field);
  }
  ExpectError(Send("PUT", "/v1/teams/developers/members",
                   json{{"members", {unknown_user}}}.dump()),
              422, "unprocessable", "members[0]");
  ExpectError(Send("PUT", "/v1/teams/developers/members", R"({"members":[],"name":"x"})"), 400,
              "invalid_argument", "name");
  ExpectError(Send("PUT", "/v1/teams/developers/members/bob"), 400, "invalid_argument", "member");
  ExpectError(Send("PUT", "/v1/teams/developers/members/user:nobody@example.com"), 422,
              "unprocessable", "member");
  ExpectError(Send("PUT", "/v1/teams/nobody/members/" + bob_), 404, "not_found", "");

  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Read("/v1/teams/developers"), team);
  EXPECT_EQ(Read("/v1/teams")["items"].size(), 1u);
}

TEST_F(TeamApiTest, DeletingAPrincipalRemovesItFromEveryTeam) {
  Create("/v1/teams", {{"name", "developers"}, {"members", {dana_, ci_bot_, bob_}}});
  Create("/v1/teams", {{"name", "reviewers"}, {"members", {dana_}}});
  Create("/v1/teams", {{"name", "operators"}, {"members", {bob_}}});

  ASSERT_EQ(Send("DELETE", "/v1/users/dana@example.com").status, 204);
  json developers = Read("/v1/teams/developers");
  EXPECT_EQ(developers["members"], Sorted({ci_bot_, bob_}));
  EXPECT_EQ(developers["revision"], 2);
  json reviewers = Read("/v1/teams/reviewers");
  EXPECT_EQ(reviewers["members"], json::array());
  EXPECT_EQ(reviewers["revision"], 2);
  EXPECT_EQ(Read("/v1/teams/operators")["revision"], 1);

  ASSERT_EQ(Send("DELETE", "/v1/service_accounts/ci-bot").status, 204);
  developers = Read("/v1/teams/developers");
  EXPECT_EQ(developers["members"], json({bob_}));
  EXPECT_EQ(developers["revision"], 3);

  std::vector<std::string> removals;
  for (const AuditEvent& event : AuditEvents()) {
    if (event.action == "team.member_remove") removals.push_back(event.target_name);
  }
  std::sort(removals.begin(), removals.end());
  EXPECT_EQ(removals, (std::vector<std::string>{"developers", "developers", "reviewers"}));
}

}  // namespace
}  // namespace rampart::http
