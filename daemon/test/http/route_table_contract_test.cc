// The route table must serve exactly the routes that proto/rampart/v1 declares, so the
// contract the Go client is generated from cannot drift from the daemon.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "http/route_table.h"
#include "support/tenancy_fixture.h"

namespace rampart::http {
namespace {

std::set<std::string> ProtoRoutes() {
  std::set<std::string> routes;
  const std::regex annotation(R"re(option \(http\) = \{ method: "([A-Z]+)" path: "([^"]+)" \})re");
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
    if (route.pattern.rfind("/v1/", 0) != 0) continue;  // ops endpoints are not API resources
    served.insert(route.method + " " + route.pattern);
  }
  std::set<std::string> declared = ProtoRoutes();
  ASSERT_FALSE(declared.empty());
  EXPECT_EQ(served, declared);
}

TEST_F(RouteTableContract, EveryApiRouteIsAuthenticatedAndDeclaresAPermission) {
  for (const Route& route : BuildRouteTable(*services_)) {
    if (route.pattern.rfind("/v1/", 0) != 0) continue;
    EXPECT_TRUE(route.authenticated) << route.pattern;
    EXPECT_FALSE(route.permission.empty()) << route.pattern;
    // POST /v1/check asks a question: its body is the query, it changes nothing.
    bool read_only_post = route.pattern == "/v1/check";
    EXPECT_EQ(route.mutates, route.method != "GET" && !read_only_post)
        << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace rampart::http
