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
  std::string user_token;
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
    for (auto [path, body] : std::initializer_list<std::pair<const char*, const char*>>{
             {"/v1/users", R"({"email":"dana@example.com"})"},
             {"/v1/teams", R"({"name":"developers","members":["user:dana@example.com"]})"},
             {"/v1/workspaces/alpha/components",
              R"({"name":"s3","type":"artifact_store","flavor":"s3","configuration":{"path":"s3://b","region":"eu-west-1"}})"},
             {"/v1/workspaces/alpha/stacks",
              R"({"name":"production","components":{"artifact_store":"s3"}})"},
             {"/v1/workspaces/alpha/projects/recsys/stacks",
              R"({"stack_id":"production","quota":{"gpu":2},"execution_labels":{"cluster":"eks"}})"},
             {"/v1/role_assignments",
              R"({"role":"organization.member","user_id":"dana@example.com"})"}}) {
      auto created = client.Post(path, body, "application/json");
      ASSERT_TRUE(created && created->status == 201) << path << (created ? created->body : "");
    }
    auto user_key = client.Post("/v1/users/dana@example.com/keys", "{}", "application/json");
    ASSERT_TRUE(user_key && user_key->status == 201);
    user_token = json::parse(user_key->body)["token"];
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
  // bootstrap and its admin assignment, 2 creates, 6 more, the user's key, globex
  EXPECT_EQ(json::parse(events->body)["items"].size(), 12u);
  json team = json::parse(client.Get("/v1/teams/developers")->body);
  json user = json::parse(client.Get("/v1/users/dana@example.com")->body);
  EXPECT_EQ(team["members"], json::array({user["id"]}));
  json component = json::parse(client.Get("/v1/workspaces/alpha/components/s3")->body);
  EXPECT_EQ(component["configuration"], json({{"path", "s3://b"}, {"region", "eu-west-1"}}));
  json stack = json::parse(client.Get("/v1/workspaces/alpha/stacks/production")->body);
  EXPECT_EQ(stack["components"]["artifact_store"], component["id"]);
  json binding =
      json::parse(client.Get("/v1/workspaces/alpha/projects/recsys/stacks/production")->body);
  EXPECT_EQ(binding["quota"], json({{"gpu", 2}}));
  EXPECT_EQ(binding["execution_labels"]["cluster"], "eks");

  // A user's key issued before the restart still authenticates, and its grant still holds.
  httplib::Client as_user("127.0.0.1", port);
  as_user.set_bearer_token_auth(user_token.c_str());
  auto user_read = as_user.Get("/v1/organization");
  ASSERT_TRUE(user_read);
  EXPECT_EQ(user_read->status, 200);

  httplib::Client other("127.0.0.1", port);
  other.set_bearer_token_auth(organization_token.c_str());
  auto theirs = other.Get("/v1/organization");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(json::parse(theirs->body)["name"], "globex");

  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::string content = ReadAll(entry.path());
    EXPECT_EQ(content.find(secret), std::string::npos) << entry.path();
    for (const std::string& other : {organization_token, user_token}) {
      EXPECT_EQ(content.find(other.substr(other.find('.') + 1)), std::string::npos)
          << entry.path();
    }
  }
  second.Signal(SIGTERM);
  EXPECT_TRUE(second.WaitForExit(std::chrono::seconds(20)).has_value());
}

}  // namespace
}  // namespace rampart
