// Everything written before a restart is there after it, and the data dir never holds a
// key's secret in clear.
#include <httplib.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using nlohmann::json;
using testing::ServeProcess;

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

TEST(Restart, WritesSurviveAndKeysStillWorkWithoutTheirSecretOnDisk) {
  testing::TempDir dir;
  json bootstrap = json::parse(testing::BootstrapDataDir(dir.str()));
  std::string token = bootstrap["token"];
  std::string secret = token.substr(token.find('.') + 1);
  std::string organization_token;
  std::string workspace_id;
  {
    ServeProcess first(dir.str());
    int port = first.WaitUntilServing();
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    client.set_bearer_token_auth(token.c_str());
    auto workspace = client.Post("/v1/workspaces", R"({"name":"alpha","labels":{"team":"a"}})",
                                 "application/json");
    ASSERT_TRUE(workspace && workspace->status == 201);
    workspace_id = json::parse(workspace->body)["id"];
    auto project = client.Post("/v1/workspaces/alpha/projects", R"({"name":"recsys"})",
                               "application/json");
    ASSERT_TRUE(project && project->status == 201);
    auto organization = client.Post("/v1/organizations", R"({"name":"globex"})", "application/json");
    ASSERT_TRUE(organization && organization->status == 201);
    organization_token = json::parse(organization->body)["token"];
    first.Signal(SIGTERM);
    ASSERT_TRUE(first.WaitForExit(std::chrono::seconds(20)).has_value());
  }

  ServeProcess second(dir.str());
  int port = second.WaitUntilServing();
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth(token.c_str());
  auto workspace = client.Get("/v1/workspaces/alpha");
  ASSERT_TRUE(workspace);
  ASSERT_EQ(workspace->status, 200);
  EXPECT_EQ(json::parse(workspace->body)["id"], workspace_id);
  EXPECT_EQ(json::parse(workspace->body)["labels"]["team"], "a");
  auto project = client.Get("/v1/workspaces/alpha/projects/recsys");
  ASSERT_TRUE(project);
  EXPECT_EQ(project->status, 200);
  auto events = client.Get("/v1/audit-events");
  ASSERT_TRUE(events);
  EXPECT_EQ(json::parse(events->body)["items"].size(), 4u);  // bootstrap, 2 creates, globex

  httplib::Client other("127.0.0.1", port);
  other.set_bearer_token_auth(organization_token.c_str());
  auto theirs = other.Get("/v1/organization");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(json::parse(theirs->body)["name"], "globex");

  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::string content = ReadAll(entry.path());
    EXPECT_EQ(content.find(secret), std::string::npos) << entry.path();
    EXPECT_EQ(content.find(organization_token.substr(organization_token.find('.') + 1)),
              std::string::npos)
        << entry.path();
  }
  second.Signal(SIGTERM);
  EXPECT_TRUE(second.WaitForExit(std::chrono::seconds(20)).has_value());
}

}  // namespace
}  // namespace rampart
