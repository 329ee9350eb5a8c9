#include "support/api_server_fixture.h"

#include <chrono>

#include "http/route_table.h"

namespace rampart::testing {

using nlohmann::json;

void ApiServerFixture::SetUp() {
  TenancyFixture::SetUp();
  authenticator_ = std::make_unique<Authenticator>(*store_, clock_);
  http::ServerOptions options;
  options.max_body_bytes = 64 * 1024;
  // Far longer than any test: a stop that waited out an idle connection would show.
  options.keep_alive_timeout_seconds = 120;
  StartServer(options);
}

void ApiServerFixture::RestartServer(const http::ServerOptions& options) {
  server_->Stop();
  serving_.join();
  StartServer(options);
}

void ApiServerFixture::StartServer(const http::ServerOptions& options) {
  server_ = std::make_unique<http::ApiServer>(http::BuildRouteTable(*services_), *authenticator_,
                                              services_->authorizer, *store_, options);
  auto port = server_->Bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  port_ = *port;
  serving_ = std::thread([this] { server_->Run(); });
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client_->set_bearer_token_auth(organization_.token.c_str());
  bool ready = false;
  for (int i = 0; i < 400 && !ready; ++i) {
    ready = static_cast<bool>(client_->Get("/healthz"));
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(ready) << "server did not answer /healthz";
}

void ApiServerFixture::TearDown() {
  if (server_) server_->Stop();
  if (serving_.joinable()) serving_.join();
}

httplib::Response ApiServerFixture::Send(const std::string& method, const std::string& path,
                                          const std::string& body, httplib::Headers headers) {
  return SendAs(organization_.token, method, path, body, std::move(headers));
}

httplib::Response ApiServerFixture::SendAs(const std::string& token, const std::string& method,
                                            const std::string& path, const std::string& body,
                                            httplib::Headers headers) {
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.headers = std::move(headers);
  request.headers.emplace("Authorization", "Bearer " + token);
  if (!body.empty() || method == "POST" || method == "PATCH") {
    request.body = body;
    request.set_header("Content-Type", "application/json");
  }
  httplib::Result result = client_->send(request);
  if (!result) {
    ADD_FAILURE() << method << " " << path << ": no response ("
                  << httplib::to_string(result.error()) << ")";
    httplib::Response none;
    none.status = -1;
    return none;
  }
  return *result;
}

json ApiServerFixture::ExpectError(const httplib::Result& result, int status,
                                   const std::string& code, const std::string& field) {
  EXPECT_TRUE(result) << "no response";
  if (!result) return json();
  return ExpectError(*result, status, code, field);
}

json ApiServerFixture::ExpectError(const httplib::Response& response, int status,
                                   const std::string& code, const std::string& field) {
  EXPECT_EQ(response.status, status) << response.body;
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(body.is_object()) << "not a JSON object: " << response.body;
  if (!body.is_object()) return json();
  EXPECT_EQ(response.get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(body["code"], code) << response.body;
  EXPECT_TRUE(body["message"].is_string());
  EXPECT_FALSE(body["message"].get<std::string>().empty());
  if (field.empty()) {
    EXPECT_FALSE(body["details"].contains("field")) << response.body;
  } else {
    EXPECT_EQ(body["details"]["field"], field) << response.body;
  }
  return body;
}

size_t ApiServerFixture::WorkspaceCount() {
  return services_->workspaces.List(admin_, {}, {})->items.size();
}

std::string ApiServerFixture::UserWithKey(const std::string& email) {
  httplib::Response user = Send("POST", "/v1/users", json{{"email", email}}.dump());
  EXPECT_EQ(user.status, 201) << user.body;
  httplib::Response key = Send("POST", "/v1/users/" + email + "/keys", "{}");
  EXPECT_EQ(key.status, 201) << key.body;
  json body = json::parse(key.body, nullptr, false);
  return body.is_object() ? body.value("token", "") : "";
}

void ApiServerFixture::GrantInOrganization(const std::string& role, const std::string& field,
                                           const std::string& principal) {
  auto granted = Send("POST", "/v1/role_assignments", json{{"role", role}, {field, principal}}.dump());
  ASSERT_EQ(granted.status, 201) << granted.body;
}

}  // namespace rampart::testing
