// The REST API through a real server on an ephemeral loopback port and a real SQLite file.

#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class ApiServerTest : public testing::ApiServerFixture {};

TEST_F(ApiServerTest, CreateReturns201WithEtagAndObject) {
  auto result = Send("POST", "/v1/workspaces",
                     R"({"name":"alpha-workspace","description":"d","labels":{"cost_center":"cc-1"}})");
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.get_header_value("ETag"), "\"1\"");
  json body = json::parse(result.body);
  EXPECT_EQ(body["name"], "alpha-workspace");
  EXPECT_EQ(body["labels"]["cost_center"], "cc-1");
  EXPECT_EQ(body["revision"], 1);
  EXPECT_EQ(body["organization_id"], organization_.organization.meta.id);
  EXPECT_EQ(body["id"].get<std::string>().rfind("ws_", 0), 0u);
}

TEST_F(ApiServerTest, ObjectsAreAddressableByNamePathAndId) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})");
  auto created = Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"recsys"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json project = json::parse(created.body);
  std::string id = project["id"];
  std::string workspace_id = project["workspace_id"];

  for (const std::string& path : std::vector<std::string>{
           "/v1/workspaces/alpha/projects/recsys", "/v1/workspaces/" + workspace_id + "/projects/" + id,
        "/v1/workspaces/alpha/projects/" + id, "/v1/projects/" + id}) {
    auto read = Send("GET", path);
    ASSERT_EQ(read.status, 200) << path;
    EXPECT_EQ(json::parse(read.body)["id"], id) << path;
  }
  auto patched = Send("PATCH", "/v1/workspaces/alpha/projects/recsys", R"({"description":"x"})",
                      {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(Send("DELETE", "/v1/workspaces/alpha/projects/recsys").status, 204);
  ExpectError(Send("GET", "/v1/projects/" + id), 404, "not_found", "");
  EXPECT_EQ(Send("DELETE", "/v1/workspaces/alpha").status, 204);
  EXPECT_EQ(WorkspaceCount(), 0u);
}

TEST_F(ApiServerTest, GetOrganizationByNamePath) {
  auto result = Send("GET", "/v1/organization");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(json::parse(result.body)["name"], "acme");
}

TEST_F(ApiServerTest, ListIsOrderedByName) {
  for (const char* name : {"charlie", "alpha", "bravo"}) {
    Send("POST", "/v1/workspaces", json{{"name", name}}.dump());
  }
  json items = json::parse(Send("GET", "/v1/workspaces").body)["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["name"], "alpha");
  EXPECT_EQ(items[2]["name"], "charlie");
}

TEST_F(ApiServerTest, MergePatchNullResetsAndAbsentKeeps) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha","description":"d","labels":{"a":"1"}})");
  auto result = Send("PATCH", "/v1/workspaces/alpha", R"({"labels":null,"display_name":"A"})");
  ASSERT_EQ(result.status, 200) << result.body;
  json body = json::parse(result.body);
  EXPECT_EQ(body["labels"], json::object());
  EXPECT_EQ(body["description"], "d");
  EXPECT_EQ(body["display_name"], "A");
}

// Bad input: each case gets the error shape, the right status and field, and changes
// nothing (no row, no audit event).
TEST_F(ApiServerTest, BadInputIsRejectedWithFieldAndChangesNothing) {
  struct Case {
    std::string body;
    int status;
    std::string code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"name": "alpha")", 400, "invalid_argument", "body"},           // malformed JSON
      {R"(["alpha"])", 400, "invalid_argument", "body"},                  // not an object
      {R"({"name":"alpha","colour":"red"})", 400, "invalid_argument", "colour"},  // unknown
      {R"({"name":42})", 400, "invalid_argument", "name"},                // wrong type
      {R"({"name":"alpha","labels":{"team":7}})", 400, "invalid_argument", "labels.team"},
      {R"({"name":"alpha","labels":"x"})", 400, "invalid_argument", "labels"},
      {R"({"name":"Alpha_Workspace"})", 400, "invalid_argument", "name"},  // not a DNS label
      {R"({"description":"no name"})", 400, "invalid_argument", "name"},   // missing
      {R"({"name":"alpha","labels":{"Bad Key":"x"}})", 400, "invalid_argument", "labels.Bad Key"},
  };
  size_t events_before = AuditEvents().size();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Send("POST", "/v1/workspaces", c.body), c.status, c.code, c.field);
  }
  EXPECT_EQ(WorkspaceCount(), 0u);
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(ApiServerTest, DuplicateNameIs409AndKeepsTheFirst) {
  ASSERT_EQ(Send("POST", "/v1/workspaces", R"({"name":"alpha","description":"first"})").status, 201);
  size_t events_before = AuditEvents().size();
  json body = ExpectError(Send("POST", "/v1/workspaces", R"({"name":"alpha","description":"second"})"),
                          409, "already_exists", "name");
  EXPECT_NE(body["message"].get<std::string>().find("alpha"), std::string::npos);
  EXPECT_EQ(WorkspaceCount(), 1u);
  EXPECT_EQ(services_->workspaces.Get(admin_, {"alpha"})->meta.description, "first");
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(ApiServerTest, MissingOrWrongTokenIs401AndChangesNothing) {
  size_t events_before = AuditEvents().size();
  httplib::Client anonymous = httplib::Client("127.0.0.1", port_);
  auto missing = anonymous.Post("/v1/workspaces", R"({"name":"alpha"})", "application/json");
  ExpectError(missing, 401, "unauthenticated", "Authorization");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->get_header_value("WWW-Authenticate"), "Bearer realm=\"rampart\"");

  std::string wrong = organization_.token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  anonymous.set_bearer_token_auth(wrong.c_str());
  ExpectError(anonymous.Post("/v1/workspaces", R"({"name":"alpha"})", "application/json"), 401,
              "unauthenticated", "Authorization");
  ExpectError(anonymous.Get("/v1/workspaces"), 401, "unauthenticated", "Authorization");
  EXPECT_EQ(WorkspaceCount(), 0u);
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(ApiServerTest, StaleIfMatchReturns412AndChangesNothing) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha","description":"v1"})");
  ASSERT_EQ(Send("PATCH", "/v1/workspaces/alpha", R"({"description":"v2"})", {{"If-Match", "\"1\""}})
                .status,
            200);
  size_t events_before = AuditEvents().size();
  ExpectError(Send("PATCH", "/v1/workspaces/alpha", R"({"description":"v3"})", {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");
  ExpectError(Send("DELETE", "/v1/workspaces/alpha", "", {{"If-Match", "\"1\""}}), 412,
              "precondition_failed", "If-Match");
  ExpectError(Send("PATCH", "/v1/workspaces/alpha", R"({"description":"v3"})", {{"If-Match", "W/x"}}),
              400, "invalid_argument", "If-Match");
  EXPECT_EQ(services_->workspaces.Get(admin_, {"alpha"})->meta.description, "v2");
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(ApiServerTest, PatchRejectsBadFieldsAndChangesNothing) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})");
  size_t events_before = AuditEvents().size();
  ExpectError(Send("PATCH", "/v1/workspaces/alpha", R"({"id":"ws_x"})"), 400, "invalid_argument", "id");
  ExpectError(Send("PATCH", "/v1/workspaces/alpha", R"({"name":null})"), 400, "invalid_argument", "name");
  ExpectError(Send("PATCH", "/v1/workspaces/alpha", R"({"name":"UPPER"})"), 400, "invalid_argument", "name");
  EXPECT_EQ(services_->workspaces.Get(admin_, {"alpha"})->meta.revision, 1);
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(ApiServerTest, UnknownPathIs404AndWrongMethodIs405) {
  ExpectError(Send("GET", "/v1/nothing-here"), 404, "not_found", "");
  ExpectError(Send("GET", "/v1/workspaces/missing"), 404, "not_found", "");
  auto wrong_method = Send("POST", "/v1/organization", "{}");
  ExpectError(wrong_method, 405, "method_not_allowed", "");
  EXPECT_EQ(wrong_method.get_header_value("Allow"), "GET, PATCH, DELETE");
}

// Found by Schemathesis: the HTTP library answered TRACE "400 malformed HTTP request".
TEST_F(ApiServerTest, MethodsTheLibraryDoesNotRouteAre405WithAllow) {
  auto trace = Send("TRACE", "/v1/organization");
  ExpectError(trace, 405, "method_not_allowed", "");
  EXPECT_EQ(trace.get_header_value("Allow"), "GET, PATCH, DELETE");
  ExpectError(Send("TRACE", "/v1/nothing-here"), 404, "not_found", "");
}

TEST_F(ApiServerTest, OversizedBodyIs413InErrorShape) {
  std::string huge = R"({"name":"alpha","description":")" + std::string(100 * 1024, 'x') + "\"}";
  ExpectError(Send("POST", "/v1/workspaces", huge), 413, "payload_too_large", "body");
  EXPECT_EQ(WorkspaceCount(), 0u);
}

TEST_F(ApiServerTest, RequestIdIsEchoedAndRecorded) {
  auto result = Send("POST", "/v1/workspaces", R"({"name":"alpha"})", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(result.get_header_value("X-Request-Id"), "trace-42");
  EXPECT_EQ(AuditEvents().back().request_id, "trace-42");
  EXPECT_EQ(AuditEvents().back().source_ip, "127.0.0.1");
}

TEST_F(ApiServerTest, SystemAdminCreatesOrganizationWhoseTokenSeesOnlyItself) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})");
  auto created = Send("POST", "/v1/organizations", R"({"name":"globex"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json body = json::parse(created.body);
  ASSERT_TRUE(body["token"].is_string());
  httplib::Client other("127.0.0.1", port_);
  other.set_bearer_token_auth(body["token"].get<std::string>().c_str());
  auto organization = other.Get("/v1/organization");
  auto workspaces = other.Get("/v1/workspaces");
  ASSERT_TRUE(organization && workspaces);
  EXPECT_EQ(json::parse(organization->body)["id"], body["organization_id"]);
  EXPECT_EQ(json::parse(workspaces->body)["items"], json::array());
  ExpectError(other.Get("/v1/workspaces/alpha"), 404, "not_found", "");
  // The new organization's key is not the system administrator's.
  ExpectError(other.Post("/v1/organizations", R"({"name":"initech"})", "application/json"), 403,
              "permission_denied", "");
}

TEST_F(ApiServerTest, ProjectBadInputIsRejectedWithFieldAndChangesNothing) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})");
  ASSERT_EQ(Send("POST", "/v1/workspaces/alpha/projects", R"({"name":"recsys"})").status, 201);
  size_t events_before = AuditEvents().size();
  const std::string projects = "/v1/workspaces/alpha/projects";
  ExpectError(Send("POST", projects, R"({"name":"recsys"})"), 409, "already_exists", "name");
  ExpectError(Send("POST", projects, R"({"name":"Rec Sys"})"), 400, "invalid_argument", "name");
  ExpectError(Send("POST", projects, R"({"name":"x","workspace_id":"ws_1"})"), 400,
              "invalid_argument", "workspace_id");
  ExpectError(Send("POST", projects, "{"), 400, "invalid_argument", "body");
  ExpectError(Send("POST", "/v1/workspaces/missing/projects", R"({"name":"x"})"), 404, "not_found", "");
  ExpectError(Send("PATCH", projects + "/recsys", R"({"labels":{"team":1}})"), 400,
              "invalid_argument", "labels.team");
  ExpectError(Send("PATCH", projects + "/recsys", R"({"description":"x"})", {{"If-Match", "\"9\""}}),
              412, "precondition_failed", "If-Match");
  auto project = services_->projects.Get(admin_, {"alpha", "recsys"});
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(project->meta.revision, 1);
  EXPECT_EQ(services_->projects.List(admin_, {"alpha"}, {})->items.size(), 1u);
  EXPECT_EQ(AuditEvents().size(), events_before);
}

// Bytes that are not UTF-8 in a path, a header or a long name must get a JSON error, never
// a 500 from serializing it.
TEST_F(ApiServerTest, NonUtf8InputGetsAJsonErrorNot500) {
  ExpectError(Send("GET", "/v1/workspaces/%FF"), 404, "not_found", "");
  // Refused by name before any store sees it (PostgreSQL holds only UTF-8 text).
  ExpectError(Send("GET", "/v1/workspaces?name_prefix=%FF"), 400, "invalid_argument", "name_prefix");
  ExpectError(Send("GET", "/v1/workspaces?name_prefix=%C0%AF"), 400, "invalid_argument", "name_prefix");  // overlong
  EXPECT_EQ(Send("GET", "/v1/workspaces?name_prefix=%C3%A9").status, 200);
  // NUL neither, anywhere: PostgreSQL text cannot hold it (SQLite would, and differ).
  ExpectError(Send("GET", "/v1/workspaces?name_prefix=a%00"), 400, "invalid_argument", "name_prefix");
  ExpectError(Send("GET", "/v1/workspaces/a%00b"), 404, "not_found", "");
  ExpectError(Send("POST", "/v1/workspaces", R"({"name":"n","description":"a\u0000b"})"), 400, "invalid_argument",
              "description");
  ExpectError(Send("POST", "/v1/workspaces", R"({"name":"n","labels":{"k":"\u0000"}})"), 400, "invalid_argument",
              "labels.k");
  httplib::Client anonymous("127.0.0.1", port_);
  ExpectError(anonymous.Get("/v1/workspaces/%FF"), 401, "unauthenticated", "Authorization");
  std::string long_name = std::string(79, 'a') + "\xc3\xa9";  // "é" straddles the excerpt cut
  ExpectError(Send("POST", "/v1/workspaces", json{{"name", long_name}}.dump()), 400,
              "invalid_argument", "name");
  ExpectError(Send("POST", "/v1/workspaces", json{{"name", "a"}, {"labels", {{long_name, "v"}}}}.dump()),
              400, "invalid_argument", "labels." + std::string(79, 'a') + "...");
  Send("POST", "/v1/workspaces", R"({"name":"alpha"})");
  ExpectError(Send("PATCH", "/v1/workspaces/alpha", R"({"description":"x"})", {{"If-Match", "\xff"}}),
              400, "invalid_argument", "If-Match");
}

TEST_F(ApiServerTest, EncodedSlashDoesNotSplitAPathSegment) {
  Send("POST", "/v1/workspaces", R"({"name":"a"})");
  ExpectError(Send("GET", "/v1/workspaces/a%2Fprojects"), 404, "not_found", "");
  ExpectError(Send("GET", "/v1/workspaces/a%2fprojects"), 404, "not_found", "");
}

TEST_F(ApiServerTest, EmptyPatchChangesNothing) {
  Send("POST", "/v1/workspaces", R"({"name":"alpha","description":"d"})");
  size_t events_before = AuditEvents().size();
  for (const char* body : {"{}", R"({"description":"d"})", R"({"name":"alpha","labels":{}})"}) {
    auto result = Send("PATCH", "/v1/workspaces/alpha", body, {{"If-Match", "\"1\""}});
    EXPECT_EQ(result.status, 200) << body;
    EXPECT_EQ(result.get_header_value("ETag"), "\"1\"") << body;
  }
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(ApiServerTest, HealthzNeedsNoToken) {
  httplib::Client anonymous("127.0.0.1", port_);
  auto result = anonymous.Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

}  // namespace
}  // namespace rampart::http

namespace rampart::http {
namespace {

// A client that keeps a connection open between requests (every pooling HTTP client does)
// must not hold up a graceful stop until the keep-alive timeout (120 s in this fixture).
TEST_F(ApiServerTest, StopDoesNotWaitForAnIdleKeepAliveConnection) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
  ASSERT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  char buffer[512];
  ASSERT_GT(recv(fd, buffer, sizeof(buffer), 0), 0);  // answered; the connection stays open

  auto stopped = std::async(std::launch::async, [this] {
    server_->Stop();
    serving_.join();
  });
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "Stop() waited for the idle connection";
  // The first recv may have returned the headers alone; whatever is left of that response
  // comes first, then end-of-stream. A receive timeout turns "never closed" into a failure.
  timeval receive_timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &receive_timeout, sizeof(receive_timeout));
  ssize_t received = 0;
  while ((received = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
  }
  EXPECT_EQ(received, 0) << "the server did not close the idle connection";
  close(fd);
  stopped.wait();
}

}  // namespace
}  // namespace rampart::http
