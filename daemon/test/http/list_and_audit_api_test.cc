// Lists (filters, pagination, bulk reads), idempotent creates and the audit read endpoint,
// through a real server on a real store (SQLite, or PostgreSQL in the `pg.` variant).
#include <httplib.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class ListAndAuditApiTest : public testing::ApiServerFixture {
 protected:
  std::string CreateWorkspace(const std::string& name, const json& labels = json::object()) {
    auto result = Send("POST", "/v1/workspaces", json{{"name", name}, {"labels", labels}}.dump());
    EXPECT_EQ(result.status, 201) << result.body;
    return json::parse(result.body)["id"];
  }
  std::vector<std::string> Names(const httplib::Response& response) {
    std::vector<std::string> names;
    json body = json::parse(response.body);
    for (const json& item : body["items"]) names.push_back(item["name"]);
    return names;
  }
};

TEST_F(ListAndAuditApiTest, PagesWalkTheWholeListOnceInNameOrder) {
  for (const char* name : {"echo", "alpha", "delta", "charlie", "bravo"}) CreateWorkspace(name);
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    std::string path = "/v1/workspaces?page_size=2" + (token.empty() ? "" : "&page_token=" + token);
    auto page = Send("GET", path);
    ASSERT_EQ(page.status, 200) << page.body;
    for (const std::string& name : Names(page)) seen.push_back(name);
    json body = json::parse(page.body);
    token = body.value("next_page_token", "");
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
}

TEST_F(ListAndAuditApiTest, PageTokenSurvivesInsertsBeforeTheCursor) {
  for (const char* name : {"bravo", "charlie", "delta"}) CreateWorkspace(name);
  json first = json::parse(Send("GET", "/v1/workspaces?page_size=2").body);
  CreateWorkspace("alpha");  // sorts before the cursor: must not shift the next page
  auto next = Send("GET", "/v1/workspaces?page_size=2&page_token=" +
                              first["next_page_token"].get<std::string>());
  EXPECT_EQ(Names(next), std::vector<std::string>{"delta"});
}

TEST_F(ListAndAuditApiTest, FiltersByNamePrefixLabelsAndIds) {
  std::string a1 = CreateWorkspace("team-a-dev", {{"team", "a"}, {"environment", "dev"}});
  CreateWorkspace("team-a-prod", {{"team", "a"}, {"environment", "prod"}});
  std::string b = CreateWorkspace("team-b-dev", {{"team", "b"}, {"environment", "dev"}});
  EXPECT_EQ(Names(Send("GET", "/v1/workspaces?name_prefix=team-a")),
            (std::vector<std::string>{"team-a-dev", "team-a-prod"}));
  EXPECT_EQ(Names(Send("GET", "/v1/workspaces?label=environment:dev")),
            (std::vector<std::string>{"team-a-dev", "team-b-dev"}));
  EXPECT_EQ(Names(Send("GET", "/v1/workspaces?label=environment:dev&label=team:b")),
            std::vector<std::string>{"team-b-dev"});
  EXPECT_EQ(Names(Send("GET", "/v1/workspaces?ids=" + b + "," + a1 + ",ws_doesnotexist")),
            (std::vector<std::string>{"team-a-dev", "team-b-dev"}));
}

TEST_F(ListAndAuditApiTest, BadListParametersAreNamed) {
  struct Case {
    std::string query;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{{"colour=red", "colour"},
                                         {"page_size=0", "page_size"},
                                         {"page_size=1001", "page_size"},
                                         {"page_size=ten", "page_size"},
                                         {"page_size=", "page_size"},  // found by Schemathesis
                                         {"page_size=1&page_size=2", "page_size"},
                                         {"page_token=zz", "page_token"},
                                         {"page_token=6162", "page_token"},
                                         {"label=team", "label"},
                                         {"label=Bad%20Key:x", "labels.Bad Key"},
                                         {"name_prefix=a%07", "name_prefix"},
                                         {"ids=a,,b", "ids"}}) {
    SCOPED_TRACE(c.query);
    ExpectError(Send("GET", "/v1/workspaces?" + c.query), 400, "invalid_argument", c.field);
  }
}

TEST_F(ListAndAuditApiTest, RetriedCreateWithSameKeyReturnsTheFirstObject) {
  const std::string body = R"({"name":"alpha","labels":{"team":"a"}})";
  auto first = Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "create-alpha-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  size_t events = AuditEvents().size();
  auto retry = Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "create-alpha-1"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::parse(retry.body)["id"], json::parse(first.body)["id"]);
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(WorkspaceCount(), 1u);
  // Without the key, the same body is an ordinary duplicate.
  ExpectError(Send("POST", "/v1/workspaces", body), 409, "already_exists", "name");
}

TEST_F(ListAndAuditApiTest, RetryAfterTheObjectWasDeletedIsAConflictNotARecreate) {
  const std::string body = R"({"name":"alpha"})";
  ASSERT_EQ(Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "k2"}}).status, 201);
  ASSERT_EQ(Send("DELETE", "/v1/workspaces/alpha").status, 204);
  ExpectError(Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "k2"}}), 409, "conflict",
              "Idempotency-Key");
  EXPECT_EQ(WorkspaceCount(), 0u);
}

TEST_F(ListAndAuditApiTest, IdempotencyKeysAreForgottenAfterADay) {
  const std::string body = R"({"name":"alpha"})";
  ASSERT_EQ(Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "k3"}}).status, 201);
  ASSERT_EQ(Send("DELETE", "/v1/workspaces/alpha").status, 204);
  clock_.Advance(24 * 60 * 60 * 1000 - 1);
  ExpectError(Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "k3"}}), 409, "conflict",
              "Idempotency-Key");
  clock_.Advance(2);
  // A day later the key is free again: the same request is a new create.
  EXPECT_EQ(Send("POST", "/v1/workspaces", body, {{"Idempotency-Key", "k3"}}).status, 201);
  EXPECT_EQ(Send("POST", "/v1/workspaces", R"({"name":"beta"})", {{"Idempotency-Key", "k3"}}).status,
            409);
  EXPECT_EQ(WorkspaceCount(), 1u);
}

TEST_F(ListAndAuditApiTest, IdempotencyKeyReusedForAnotherRequestIsAConflict) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})", {{"Idempotency-Key", "k1"}});
  ExpectError(Send("POST", "/v1/workspaces", R"({"name":"beta"})", {{"Idempotency-Key", "k1"}}),
              409, "conflict", "Idempotency-Key");
  ExpectError(Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"alpha"})",
                   {{"Idempotency-Key", "k1"}}),
              409, "conflict", "Idempotency-Key");
  ExpectError(Send("POST", "/v1/workspaces", R"({"name":"gamma"})",
                   {{"Idempotency-Key", std::string(256, 'k')}}),
              400, "invalid_argument", "Idempotency-Key");
  EXPECT_EQ(WorkspaceCount(), 1u);
}

TEST_F(ListAndAuditApiTest, RetriedProjectCreateReturnsTheFirstProject) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})");
  auto first = Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"recsys"})",
                    {{"Idempotency-Key", "p1"}});
  auto retry = Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"recsys"})",
                    {{"Idempotency-Key", "p1"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::parse(retry.body)["id"], json::parse(first.body)["id"]);
}

TEST_F(ListAndAuditApiTest, RetriedOrganizationCreateNeverRepeatsTheToken) {
  auto first = Send("POST", "/v1/organizations", R"({"name":"globex"})", {{"Idempotency-Key", "o1"}});
  ASSERT_EQ(first.status, 201);
  json body = ExpectError(
      Send("POST", "/v1/organizations", R"({"name":"globex"})", {{"Idempotency-Key", "o1"}}), 409,
      "conflict", "Idempotency-Key");
  EXPECT_EQ(body.dump().find(json::parse(first.body)["token"].get<std::string>()),
            std::string::npos);
}

TEST_F(ListAndAuditApiTest, AuditEndpointReturnsOneEventPerChangeWithBeforeAndAfter) {
  std::string id = CreateWorkspace("alpha");
  Send("PATCH", "/v1/workspaces/alpha", R"({"description":"d"})");
  Send("DELETE", "/v1/workspaces/alpha");
  auto result = Send("GET", "/v1/audit-events?target_id=" + id);
  ASSERT_EQ(result.status, 200) << result.body;
  json items = json::parse(result.body)["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["action"], "workspace.create");
  EXPECT_TRUE(items[0]["before"].is_null());
  EXPECT_EQ(items[0]["after"]["name"], "alpha");
  EXPECT_EQ(items[1]["action"], "workspace.update");
  EXPECT_EQ(items[1]["before"]["description"], "");
  EXPECT_EQ(items[1]["after"]["description"], "d");
  EXPECT_EQ(items[2]["action"], "workspace.delete");
  EXPECT_TRUE(items[2]["after"].is_null());
  for (const json& item : items) {
    EXPECT_EQ(item["key_id"], organization_.key_id);
    EXPECT_EQ(item["outcome"], "success");
    EXPECT_EQ(item["source_ip"], "127.0.0.1");
    EXPECT_FALSE(item["request_id"].get<std::string>().empty());
  }
}

TEST_F(ListAndAuditApiTest, AuditEventsFilterByTimeRangeAndPage) {
  CreateWorkspace("alpha");
  clock_.Advance(60 * 60 * 1000);  // one hour later
  std::string later = FormatTimestamp(clock_.Now());
  CreateWorkspace("beta");
  CreateWorkspace("gamma");
  auto since = Send("GET", "/v1/audit-events?since=" + later);
  ASSERT_EQ(since.status, 200) << since.body;
  EXPECT_EQ(json::parse(since.body)["items"].size(), 2u);
  auto until = Send("GET", "/v1/audit-events?until=" + later);
  ASSERT_EQ(until.status, 200) << until.body;
  json until_items = json::parse(until.body)["items"];
  // the organization's creation, its first key's admin assignment, then alpha
  ASSERT_EQ(until_items.size(), 3u);
  EXPECT_EQ(until_items[2]["target_name"], "alpha");
  json first = json::parse(Send("GET", "/v1/audit-events?page_size=1").body);
  ASSERT_EQ(first["items"].size(), 1u);
  json second = json::parse(
      Send("GET", "/v1/audit-events?page_size=1&page_token=" +
                      first["next_page_token"].get<std::string>()).body);
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_NE(first["items"][0]["id"], second["items"][0]["id"]);
  ExpectError(Send("GET", "/v1/audit-events?since=yesterday"), 400, "invalid_argument", "since");
  ExpectError(Send("GET", "/v1/audit-events?since=" + later + "&until=" + later), 400,
              "invalid_argument", "until");
  ExpectError(Send("GET", "/v1/audit-events?page_token=seq_x"), 400, "invalid_argument",
              "page_token");
  // Found by Schemathesis: given empty, these were taken as absent (until= listed everything).
  for (const char* parameter : {"since", "until", "outcome", "page_size"}) {
    ExpectError(Send("GET", std::string("/v1/audit-events?") + parameter + "="), 400,
                "invalid_argument", parameter);
  }
}

TEST_F(ListAndAuditApiTest, AuditEventsOfAnotherOrganizationAreInvisibleAndHoldNoToken) {
  CreateWorkspace("alpha");
  auto created = Send("POST", "/v1/organizations", R"({"name":"globex"})");
  ASSERT_EQ(created.status, 201);
  std::string token = json::parse(created.body)["token"];
  httplib::Client other("127.0.0.1", port_);
  other.set_bearer_token_auth(token.c_str());
  auto theirs = other.Get("/v1/audit-events");
  ASSERT_TRUE(theirs);
  json items = json::parse(theirs->body)["items"];
  // only their organization's creation and its first key's admin assignment
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["action"], "organization.create");
  EXPECT_EQ(items[1]["action"], "role_assignment.create");
  EXPECT_EQ(items[1]["after"]["role"], "organization.admin");
  auto ours = Send("GET", "/v1/audit-events");
  EXPECT_EQ(ours.body.find(token), std::string::npos);
  EXPECT_EQ(theirs->body.find(token), std::string::npos);
  EXPECT_EQ(theirs->body.find("alpha"), std::string::npos);
}

TEST_F(ListAndAuditApiTest, TheAuditChainVerifiesThroughTheApi) {
  CreateWorkspace("alpha");
  CreateWorkspace("beta");
  json events = json::parse(Send("GET", "/v1/audit-events?page_size=1000").body)["items"];
  ASSERT_GE(events.size(), 3u);
  // Each event links to the one before it, from 64 zeros.
  std::string previous(64, '0');
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]["chain_index"], i + 1) << events[i];
    EXPECT_EQ(events[i]["prev_hash"], previous) << events[i];
    previous = events[i]["hash"];
  }
  auto verified = Send("GET", "/v1/audit-events/verify");
  ASSERT_EQ(verified.status, 200) << verified.body;
  json report = json::parse(verified.body);
  EXPECT_EQ(report["ok"], true) << report;
  EXPECT_EQ(report["organization_id"], organization_.organization.meta.id);
  EXPECT_EQ(report["events"], events.size());
  EXPECT_EQ(report["head_hash"], previous);
  EXPECT_TRUE(report["first_broken"].is_null());
  ExpectError(Send("GET", "/v1/audit-events/verify?deep=1"), 400, "invalid_argument", "deep");

  // Another organization's chain is its own, and starts from zeros.
  json other = json::parse(Send("POST", "/v1/organizations", R"({"name":"other"})").body);
  auto theirs = SendAs(other["token"], "GET", "/v1/audit-events/verify");
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  json their_report = json::parse(theirs.body);
  EXPECT_EQ(their_report["ok"], true);
  EXPECT_EQ(their_report["organization_id"], other["organization_id"]);
  EXPECT_LT(their_report["events"].get<int64_t>(), static_cast<int64_t>(events.size()));
  EXPECT_NE(their_report["head_hash"], previous);
}

// Fail closed: a change whose audit event cannot be written is not made.
TEST_F(ListAndAuditApiTest, AChangeWhoseAuditEventCannotBeWrittenIsNotMade) {
  size_t events = AuditEvents().size();
  size_t workspaces = WorkspaceCount();
  // The database refuses audit events (as a full or failing disk would), and nothing else.
  if (OnPostgres()) {
    ExecuteRawSql("CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                  "$$ BEGIN RAISE EXCEPTION 'audit storage failed'; END $$; "
                  "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events "
                  "FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
  } else {
    ExecuteRawSql("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events "
                  "BEGIN SELECT RAISE(ABORT, 'audit storage failed'); END");
  }
  auto refused = Send("POST", "/v1/workspaces", R"({"name":"unaudited"})");
  EXPECT_EQ(refused.status, 500) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["code"], "internal") << refused.body;
  EXPECT_EQ(WorkspaceCount(), workspaces);
  EXPECT_EQ(Send("GET", "/v1/workspaces/unaudited").status, 404);
  ExecuteRawSql(OnPostgres() ? "DROP TRIGGER refuse_audit ON audit_events" : "DROP TRIGGER refuse_audit");
  EXPECT_EQ(AuditEvents().size(), events);
  // Once events can be written again, so can changes.
  EXPECT_EQ(Send("POST", "/v1/workspaces", R"({"name":"unaudited"})").status, 201);
  EXPECT_EQ(AuditEvents().size(), events + 1);
}

TEST_F(ListAndAuditApiTest, AuditEventsFilterByActionActorScopeAndOutcome) {
  std::string alpha = CreateWorkspace("alpha");
  CreateWorkspace("beta");
  auto project = Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"recsys"})");
  ASSERT_EQ(project.status, 201) << project.body;
  std::string project_id = json::parse(project.body)["id"];
  ASSERT_EQ(Send("PATCH", "/v1/workspaces/beta", R"({"description":"b"})").status, 200);
  std::string outsider = UserWithKey("outsider@example.com");
  std::string outsider_id = json::parse(Send("GET", "/v1/users/outsider@example.com").body)["id"];
  ASSERT_EQ(SendAs(outsider, "DELETE", "/v1/workspaces/alpha").status, 403);

  auto actions = [&](const std::string& query) {
    std::vector<std::string> found;
    json page = json::parse(Send("GET", "/v1/audit-events?page_size=1000&" + query).body);
    EXPECT_TRUE(page["items"].is_array()) << query << ": " << page;
    for (const json& event : page["items"]) found.push_back(event["action"]);
    return found;
  };
  using Actions = std::vector<std::string>;
  EXPECT_EQ(actions("action=workspace.create"), (Actions{"workspace.create", "workspace.create"}));
  EXPECT_EQ(actions("action=workspace.*"), (Actions{"workspace.create", "workspace.create", "workspace.update"}));
  EXPECT_EQ(actions("action=project.create,workspace.update"), (Actions{"project.create", "workspace.update"}));
  EXPECT_EQ(actions("action=project.create&action=workspace.update"), (Actions{"project.create", "workspace.update"}));
  EXPECT_EQ(actions("actor=user:" + outsider_id), (Actions{"access.denied"}));
  EXPECT_EQ(actions("outcome=denied"), (Actions{"access.denied"}));
  EXPECT_EQ(actions("project_id=" + project_id), (Actions{"project.create"}));
  const json in_alpha = json::parse(Send("GET", "/v1/audit-events?workspace_id=" + alpha).body);
  for (const json& event : in_alpha["items"]) EXPECT_EQ(event["workspace_id"], alpha) << event;
  const Actions alpha_actions = actions("workspace_id=" + alpha);
  EXPECT_NE(std::find(alpha_actions.begin(), alpha_actions.end(), "project.create"), alpha_actions.end());
  // Filters combine.
  EXPECT_EQ(actions("action=workspace.*&outcome=success&workspace_id=" + alpha), (Actions{"workspace.create"}));
  EXPECT_TRUE(actions("action=role.*").empty());

  ExpectError(Send("GET", "/v1/audit-events?outcome=maybe"), 400, "invalid_argument", "outcome");
  ExpectError(Send("GET", "/v1/audit-events?action=Workspace.Create"), 400, "invalid_argument", "action");
  ExpectError(Send("GET", "/v1/audit-events?action=workspace.create,"), 400, "invalid_argument", "action");
  ExpectError(Send("GET", "/v1/audit-events?actor=a&actor=b"), 400, "invalid_argument", "actor");
}

// A reader walking pages while changes keep coming sees every event once, in order, the
// new ones included (the cursor is the append order, not an offset).
TEST_F(ListAndAuditApiTest, AuditPagesHoldWhileEventsAreAppended) {
  CreateWorkspace("w0");
  std::vector<int64_t> seen_positions;
  std::set<std::string> seen;
  std::string token;
  int created = 1;
  do {
    json page = json::parse(Send("GET", "/v1/audit-events?page_size=1" +
                                            (token.empty() ? "" : "&page_token=" + token)).body);
    for (const json& event : page["items"]) {
      EXPECT_TRUE(seen.insert(event["id"].get<std::string>()).second) << "seen twice: " << event;
      seen_positions.push_back(event["chain_index"]);
    }
    token = page.value("next_page_token", "");
    if (!token.empty() && created < 6) CreateWorkspace("w" + std::to_string(created++));  // between pages
  } while (!token.empty());
  EXPECT_EQ(created, 6);
  EXPECT_EQ(seen.size(), AuditEvents().size());
  for (size_t i = 0; i < seen_positions.size(); ++i) EXPECT_EQ(seen_positions[i], static_cast<int64_t>(i + 1));
}

}  // namespace
}  // namespace rampart::http

namespace rampart::http {
namespace {

// A time range with a scope filter: the range becomes sequences first (see ListAuditEvents),
// which must not lose an event written while the clock stood earlier than the one before.
TEST_F(ListAndAuditApiTest, AuditEventsFilterByScopeWithinATimeRangeEvenOutOfTimeOrder) {
  std::string alpha = CreateWorkspace("alpha");
  auto project = Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"p1"})");
  ASSERT_EQ(project.status, 201);
  const std::string p1 = json::parse(project.body)["id"];
  const TimestampMs t0 = clock_.Now();
  clock_.Advance(60'000);
  ASSERT_EQ(Send("PATCH", "/v1/workspaces/alpha/projects/p1", R"({"description":"one"})").status, 200);
  ASSERT_EQ(Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"p2"})").status, 201);
  clock_.Advance(-30'000);  // the clock steps back: this event is later in the chain, earlier in time
  ASSERT_EQ(Send("PATCH", "/v1/workspaces/alpha/projects/p1", R"({"description":"two"})").status, 200);
  clock_.Advance(60'000);

  auto descriptions = [&](const std::string& query) {
    std::vector<std::string> found;
    json page = json::parse(Send("GET", "/v1/audit-events?page_size=1000&" + query).body);
    EXPECT_TRUE(page["items"].is_array()) << query << ": " << page;
    for (const json& event : page["items"]) {
      found.push_back(event["action"].get<std::string>() + ":" +
                      (event["after"].is_object() ? event["after"].value("description", "") : ""));
    }
    return found;
  };
  using Found = std::vector<std::string>;
  const std::string since_t0_plus = "since=" + FormatTimestamp(t0 + 1);
  EXPECT_EQ(descriptions("project_id=" + p1 + "&" + since_t0_plus), (Found{"project.update:one", "project.update:two"}));
  EXPECT_EQ(descriptions("project_id=" + p1 + "&since=" + FormatTimestamp(t0 + 20'000) + "&until=" +
                         FormatTimestamp(t0 + 40'000)),
            (Found{"project.update:two"}));
  EXPECT_EQ(descriptions("project_id=" + p1 + "&until=" + FormatTimestamp(t0 + 1)), (Found{"project.create:"}));
  EXPECT_EQ(descriptions("workspace_id=" + alpha + "&action=project.*&" + since_t0_plus),
            (Found{"project.update:one", "project.create:", "project.update:two"}));
  EXPECT_EQ(descriptions("workspace_id=" + alpha + "&since=" + FormatTimestamp(clock_.Now() + 1)), Found{});
}

}  // namespace
}  // namespace rampart::http
