// `rampartd check` on a real data dir: the same answer as POST /v1/check, now and at a past
// instant, with exit codes a script can branch on.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "common/clock.h"
#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::RunRampartd;

TEST(CheckCommand, AnswersNowAndAtAPastInstantFromTheDataDir) {
  testing::TempDir dir;
  json bootstrap = json::parse(testing::BootstrapDataDir(dir.str()));
  std::string granted_at;
  {
    testing::ServeProcess serve(dir.str());
    int port = serve.WaitUntilServing();
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    client.set_bearer_token_auth(bootstrap["token"].get<std::string>().c_str());
    auto workspace = client.Post("/v1/workspaces", R"({"name":"alpha"})", "application/json");
    ASSERT_EQ(workspace->status, 201);
    auto user = client.Post("/v1/users", R"({"email":"dana@example.com"})", "application/json");
    ASSERT_EQ(user->status, 201);
    auto grant = client.Post("/v1/role_assignments",
                             json{{"role", "workspace.viewer"}, {"user_id", json::parse(user->body)["id"]},
                                  {"workspace_id", json::parse(workspace->body)["id"]}}
                                 .dump(),
                             "application/json");
    ASSERT_EQ(grant->status, 201) << grant->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    granted_at = FormatTimestamp(SystemClock().Now());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string id = json::parse(grant->body)["id"];
    ASSERT_EQ(client.Delete(("/v1/role_assignments/" + id).c_str())->status, 204);
  }
  const std::string base = "check --data-dir " + dir.str() + " --organization acme --principal user:dana@example.com ";

  CommandResult now = RunRampartd(base + "--permission workspace:read --resource workspaces/alpha");
  EXPECT_EQ(now.exit_code, 1) << now.stdout_text;
  EXPECT_EQ(json::parse(now.stdout_text)["allowed"], false);

  CommandResult then =
      RunRampartd(base + "--permission workspace:read --resource workspaces/alpha --at " + granted_at);
  ASSERT_EQ(then.exit_code, 0) << then.stdout_text;
  json answer = json::parse(then.stdout_text);
  EXPECT_EQ(answer["allowed"], true);
  EXPECT_EQ(answer["explanation"]["role_name"], "workspace.viewer");
  EXPECT_EQ(answer["at"], granted_at);

  EXPECT_EQ(RunRampartd(base + "--permission workspace:fly --resource workspaces/alpha").exit_code, 2);
  EXPECT_EQ(RunRampartd(base + "--permission workspace:read --resource workspaces/nowhere").exit_code, 2);
  EXPECT_EQ(RunRampartd(base + "--permission workspace:read --resource workspaces/alpha --at 1999-01-01T00:00:00Z")
                .exit_code,
            2);
  EXPECT_EQ(RunRampartd("check --data-dir " + dir.str() + " --organization acme").exit_code, 2);
}

}  // namespace
}  // namespace rampart
