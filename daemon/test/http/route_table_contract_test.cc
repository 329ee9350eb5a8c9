// The route table must serve exactly the routes that proto/rampart/v1 declares, so the
// contract the Go client is generated from cannot drift from the daemon; and the OpenAPI
// document the daemon serves must list them all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "http/route_table.h"
#include "support/api_server_fixture.h"
#include "support/tenancy_fixture.h"

namespace rampart::http {
namespace {

// The one route under /v1 that is not an API resource: the public contract itself, served
// like /healthz without a token.
const std::string kOpenApiRoute = "GET /v1/openapi";

bool IsApiRoute(const Route& route) {
  return route.pattern.rfind("/v1/", 0) == 0 && route.method + " " + route.pattern != kOpenApiRoute;
}

// "METHOD /path" of every RPC's (http) option.
std::set<std::string> ProtoRoutes() {
  std::set<std::string> routes;
  const std::regex annotation(R"re(option \(http\) = \{ method: "([A-Z]+)" path: "([^"]+)")re");
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(RAMPART_SOURCE_DIR) + "/proto/rampart/v1")) {
    if (entry.path().extension() != ".proto") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    std::string content = text.str();
    for (std::sregex_iterator it(content.begin(), content.end(), annotation), end; it != end; ++it) {
      routes.insert((*it)[1].str() + " " + (*it)[2].str());
    }
  }
  return routes;
}

class RouteTableContract : public testing::TenancyFixture {};

TEST_F(RouteTableContract, ServesExactlyTheProtoRoutes) {
  std::set<std::string> served;
  for (const Route& route : BuildRouteTable(*services_)) {
    if (IsApiRoute(route)) served.insert(route.method + " " + route.pattern);
  }
  std::set<std::string> declared = ProtoRoutes();
  ASSERT_FALSE(declared.empty());
  EXPECT_EQ(served, declared);
}

TEST_F(RouteTableContract, EveryApiRouteIsAuthenticatedAndDeclaresAPermission) {
  for (const Route& route : BuildRouteTable(*services_)) {
    if (!IsApiRoute(route)) continue;
    EXPECT_TRUE(route.authenticated) << route.pattern;
    EXPECT_FALSE(route.permission.empty()) << route.pattern;
    // POST /v1/check asks a question: its body is the query, it changes nothing.
    bool read_only_post = route.pattern == "/v1/check";
    EXPECT_EQ(route.mutates, route.method != "GET" && !read_only_post)
        << route.method << " " << route.pattern;
  }
}

TEST_F(RouteTableContract, OpenApiIsTheOnlyOpsEndpointUnderV1AndIsPublic) {
  std::set<std::string> ops;
  for (const Route& route : BuildRouteTable(*services_)) {
    if (route.pattern.rfind("/v1/", 0) == 0 && !IsApiRoute(route)) {
      ops.insert(route.method + " " + route.pattern);
      EXPECT_FALSE(route.authenticated);
      EXPECT_FALSE(route.mutates);
    }
  }
  EXPECT_EQ(ops, std::set<std::string>{kOpenApiRoute});
}

class OpenApiDocumentTest : public testing::ApiServerFixture {};

TEST_F(OpenApiDocumentTest, ServedWithoutATokenAndListsEveryProtoRoute) {
  httplib::Client anonymous("127.0.0.1", port_);
  auto response = anonymous.Get("/v1/openapi");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
  nlohmann::json document = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(document.is_discarded()) << "not JSON";
  EXPECT_EQ(document["openapi"], "3.0.3");
  std::set<std::string> declared = ProtoRoutes();
  ASSERT_FALSE(declared.empty());
  std::set<std::string> listed;
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
      listed.insert(upper + " " + path);
      EXPECT_EQ(operation["security"], nlohmann::json::parse(R"([{"bearerAuth": []}])")) << method << " " << path;
      EXPECT_TRUE(operation["responses"].contains("default")) << method << " " << path;
    }
  }
  EXPECT_EQ(listed, declared);
  EXPECT_EQ(document["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
}

}  // namespace
}  // namespace rampart::http
