// export-state's reading of an organization and --compare, on objects made through the real
// HTTP API and read back from the SQLite file. (The end-to-end test in tests/e2e applies
// the written files with the real Terraform CLI and checks the empty plan.)
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "state_export/exported_objects.h"
#include "state_export/state_compare.h"
#include "state_export/terraform_files.h"
#include "support/api_server_fixture.h"

namespace rampart::state_export {
namespace {

class StateExportTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    Create("/v1/workspaces", R"({"name": "alpha", "description": "costs ${var.x}", "labels": {"team": "a"}})");
    Create("/v1/workspaces", R"({"name": "beta"})");
    Create("/v1/workspaces/alpha/projects", R"({"name": "training"})");
    Create("/v1/workspaces/beta/projects", R"({"name": "training"})");
    Create("/v1/users", R"({"email": "dana@example.com", "display_name": "Dana"})");
    Create("/v1/users", R"({"email": "off@example.com", "active": false})");
    Create("/v1/service_accounts", R"({"name": "ci-bot"})");
    Create("/v1/service_accounts/ci-bot/keys", "{}");
    Create("/v1/teams", R"({"name": "developers", "members": ["user:dana@example.com", "service_account:ci-bot"]})");
    Create("/v1/roles", R"({"name": "base", "permissions": ["pipeline:run"]})");
    Create("/v1/roles", R"({"name": "scientist", "permissions": ["model:read"], "inherits": ["base", "project.viewer"],
                            "assignable_at": ["project"]})");
    Create("/v1/workspaces/alpha/components",
           R"({"name": "s3", "type": "artifact_store", "flavor": "s3", "configuration": {"path": "s3://b", "n": 2}})");
    Create("/v1/workspaces/alpha/stacks", R"({"name": "production", "components": {"artifact_store": "s3"}})");
    Create("/v1/workspaces/alpha/projects/training/stacks",
           R"({"stack_id": "production", "quota": {"cpu": "8"}, "execution_labels": {"namespace": "ns"}})");
    Assign(R"({"role": "scientist", "team_id": ")" + Id("/v1/teams/developers") + R"(", "project_id": ")" +
           Id("/v1/workspaces/alpha/projects/training") + R"(", "reason": "ticket 7"})");
    Assign(R"({"role": "stack.read", "user_id": ")" + Id("/v1/users/dana@example.com") + R"(", "stack_id": ")" +
           Id("/v1/workspaces/alpha/stacks/production") + R"(", "expires_at": "2026-09-22T00:00:00Z"})");
    Assign(R"({"role": "workspace.viewer", "user_id": ")" + Id("/v1/users/dana@example.com") +
           R"(", "workspace_id": ")" + Id("/v1/workspaces/beta") + R"("})");
    Create("/v1/promotion_policies", R"({"workspace_id": "alpha", "stage": "production", "approval_required": true,
                                         "min_approvers": 2, "allowed_roles": ["scientist"],
                                         "blocked_windows": [{"days": ["sat"], "start": "00:00", "end": "24:00"}]})");
    Create("/v1/promotion_policies", R"({"project_id": ")" + Id("/v1/workspaces/alpha/projects/training") +
                                         R"(", "stage": "staging"})");
  }

  void Create(const std::string& path, const std::string& body) {
    auto response = Send("POST", path, body);
    ASSERT_EQ(response.status, 201) << path << ": " << response.body;
  }
  void Assign(const std::string& body) { Create("/v1/role_assignments", body); }
  std::string Id(const std::string& path) { return nlohmann::json::parse(Send("GET", path).body).at("id"); }

  StateExport Collect(const std::string& workspace = "") {
    StateExport exported;
    Status read = unindexed_store_->Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(exported, CollectObjects(t, organization_.organization.meta.name, workspace,
                                                        clock_.Now()));
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.message();
    return exported;
  }

  static const ExportedObject* Find(const StateExport& exported, const std::string& address) {
    for (const ExportedObject& object : exported.objects) {
      if (object.address() == address) return &object;
    }
    return nullptr;
  }

  static std::vector<std::string> Addresses(const StateExport& exported) {
    std::vector<std::string> addresses;
    for (const ExportedObject& object : exported.objects) addresses.push_back(object.address());
    return addresses;
  }

  // The state a `terraform apply` of the export leaves, written as the CLI writes it.
  static nlohmann::json StateOf(const StateExport& exported) {
    nlohmann::json resources = nlohmann::json::array();
    for (const ExportedObject& object : exported.objects) {
      nlohmann::json attributes = {{"id", object.id}};
      for (const auto& [name, value] : object.arguments) {
        attributes[name] = object.json_documents.count(name) ? nlohmann::json(value.dump()) : value;
      }
      resources.push_back({{"mode", "managed"}, {"type", object.type}, {"name", object.label},
                           {"instances", {{{"attributes", attributes}}}}});
    }
    return {{"version", 4}, {"resources", resources}};
  }

  static std::vector<std::string> Describe(const StateExport& exported, const nlohmann::json& state) {
    Result<std::vector<StateDifference>> differences = CompareWithState(exported, state);
    EXPECT_TRUE(differences.ok()) << differences.status().message();
    std::vector<std::string> lines;
    for (const auto& difference : *differences) lines.push_back(difference.Describe());
    return lines;
  }
};

TEST_F(StateExportTest, EveryObjectBecomesAResourceWithAnImportIdAndReadableUniqueLabels) {
  StateExport exported = Collect();
  EXPECT_EQ(Addresses(exported), (std::vector<std::string>{
                                     "rampart_organization_settings.this",
                                     "rampart_workspace.alpha",
                                     "rampart_workspace.beta",
                                     "rampart_project.alpha_training",
                                     "rampart_project.beta_training",
                                     "rampart_user.dana_example_com",
                                     "rampart_user.off_example_com",
                                     "rampart_service_account.ci_bot",
                                     "rampart_team.developers",
                                     "rampart_role.base",
                                     "rampart_role.scientist",
                                     "rampart_stack_component.alpha_s3",
                                     "rampart_stack.alpha_production",
                                     "rampart_project_stack.alpha_training_production",
                                     "rampart_promotion_policy.alpha_training_staging",
                                     "rampart_promotion_policy.alpha_production",
                                     "rampart_role_assignment.developers_scientist_alpha_training",
                                     "rampart_role_assignment.dana_example_com_stack_read_alpha_production",
                                     "rampart_role_assignment.dana_example_com_workspace_viewer_beta",
                                 }));
  EXPECT_EQ(Find(exported, "rampart_organization_settings.this")->import_id, "organization");
  const ExportedObject* workspace = Find(exported, "rampart_workspace.alpha");
  EXPECT_EQ(workspace->import_id, Id("/v1/workspaces/alpha"));
  EXPECT_EQ(workspace->path, "workspaces/alpha");
  const ExportedObject* policy = Find(exported, "rampart_promotion_policy.alpha_training_staging");
  EXPECT_EQ(policy->path, "workspaces/alpha/projects/training/promotion_policies/staging");
  EXPECT_EQ(policy->arguments.front().first, "project_id") << "a project's policy names its project only";

  // What cannot or need not be managed is named, with the reason.
  ASSERT_EQ(exported.omitted.size(), 2u);
  std::string omitted;
  for (const std::string& line : exported.omitted) omitted += line + "\n";
  EXPECT_NE(omitted.find("of service account ci-bot: a key's secret is shown once"), std::string::npos) << omitted;
  EXPECT_NE(omitted.find("first admin key is not a Terraform resource"), std::string::npos) << omitted;
  EXPECT_EQ(omitted.find("expired"), std::string::npos) << "the assignment has not expired yet";

  clock_.Advance(24 * 3600 * 1000);  // past the stack.read grant's expiry
  exported = Collect();
  EXPECT_EQ(Find(exported, "rampart_role_assignment.dana_example_com_stack_read_alpha_production"), nullptr);
  omitted.clear();
  for (const std::string& line : exported.omitted) omitted += line + "\n";
  EXPECT_NE(omitted.find("(stack.read to dana@example.com): expired at 2026-09-22T00:00:00.000Z"), std::string::npos)
      << omitted;
}

TEST_F(StateExportTest, TheFilesReferenceExportedObjectsAndLeaveProviderDefaultsOut) {
  std::map<std::string, std::string> files = RenderTerraformFiles(Collect(), clock_.Now());
  ASSERT_EQ(files.size(), 3u);
  const std::string& main_tf = files["main.tf"];
  EXPECT_NE(main_tf.find("source = \"rampart/rampart\""), std::string::npos) << main_tf;
  EXPECT_NE(main_tf.find("endpoint = var.endpoint"), std::string::npos) << main_tf;
  EXPECT_NE(main_tf.find("token    = var.token"), std::string::npos) << main_tf;

  EXPECT_NE(files["imports.tf"].find("import {\n  to = rampart_workspace.alpha\n  id = \"" +
                                     Id("/v1/workspaces/alpha") + "\"\n}"),
            std::string::npos)
      << files["imports.tf"];

  const std::string& resources = files["resources.tf"];
  for (const std::string& expected : {
           // The description's template sequence is escaped; empty arguments are left out.
           std::string("resource \"rampart_workspace\" \"alpha\" {\n"
                       "  name        = \"alpha\"\n"
                       "  description = \"costs $${var.x}\"\n"
                       "  labels      = {\n"
                       "    team = \"a\"\n"
                       "  }\n"
                       "}\n"),
           std::string("resource \"rampart_project\" \"beta_training\" {\n"
                       "  workspace_id = rampart_workspace.beta.id\n"
                       "  name         = \"training\"\n"
                       "}\n"),
           std::string("  active = false\n"),
           std::string("  members = [\n    rampart_service_account.ci_bot.id,\n    rampart_user.dana_example_com.id,\n  ]"),
           std::string("  inherits      = [\n    \"project.viewer\",\n    rampart_role.base.id,\n  ]"),
           std::string("  configuration = jsonencode({\n    n    = 2\n    path = \"s3://b\"\n  })"),
           std::string("  components   = {\n    artifact_store = rampart_stack_component.alpha_s3.id\n  }"),
           std::string("  role       = rampart_role.scientist.id\n  team_id    = rampart_team.developers.id\n"
                       "  project_id = rampart_project.alpha_training.id\n  reason     = \"ticket 7\"\n"),
           std::string("  expires_at = \"2026-09-22T00:00:00.000Z\"\n"),
       }) {
    EXPECT_NE(resources.find(expected), std::string::npos) << "missing:\n" << expected << "\nin:\n" << resources;
  }
  EXPECT_EQ(resources.find("  active = true"), std::string::npos) << "true is the provider's default";
  EXPECT_EQ(resources.find("display_name = \"\""), std::string::npos);
}

TEST_F(StateExportTest, OneWorkspaceExportsWhatLivesInItAndRefersToTheRestById) {
  StateExport exported = Collect("beta");
  EXPECT_EQ(Addresses(exported), (std::vector<std::string>{
                                     "rampart_workspace.beta",
                                     "rampart_project.beta_training",
                                     "rampart_role_assignment.dana_example_com_workspace_viewer_beta",
                                 }));
  const std::string resources = RenderTerraformFiles(exported, clock_.Now())["resources.tf"];
  EXPECT_NE(resources.find("user_id      = \"" + Id("/v1/users/dana@example.com") + "\""), std::string::npos)
      << resources;

  Status read = unindexed_store_->Read([&](StoreTransaction& t) {
    return CollectObjects(t, organization_.organization.meta.name, "gamma", clock_.Now()).status();
  });
  EXPECT_EQ(read.code(), StatusCode::kNotFound);
  EXPECT_NE(read.message().find("no workspace \"gamma\""), std::string::npos) << read.message();
  read = unindexed_store_->Read([&](StoreTransaction& t) { return CollectObjects(t, "nope", "", clock_.Now()).status(); });
  EXPECT_EQ(read.code(), StatusCode::kNotFound);
}

TEST_F(StateExportTest, CompareFindsNothingInTheStateAnImportLeaves) {
  StateExport exported = Collect();
  nlohmann::json state = StateOf(exported);
  EXPECT_EQ(Describe(exported, state), std::vector<std::string>{});

  // What Terraform keeps differently from the daemon but means the same: a custom role by
  // name, an instant written another way, a set in another order, nulls for empty values,
  // a JSON document with other spacing.
  for (auto& resource : state["resources"]) {
    auto& attributes = resource["instances"][0]["attributes"];
    if (resource["type"] == "rampart_role_assignment" && attributes.contains("team_id")) attributes["role"] = "scientist";
    if (attributes.contains("expires_at") && attributes["expires_at"].is_string()) {
      attributes["expires_at"] = "2026-09-22T02:00:00+02:00";
    }
    if (resource["type"] == "rampart_team") std::reverse(attributes["members"].begin(), attributes["members"].end());
    if (resource["type"] == "rampart_project") attributes["display_name"] = nullptr;
    if (resource["type"] == "rampart_stack_component") attributes["configuration"] = R"({ "path": "s3://b",  "n": 2 })";
    if (resource["type"] == "rampart_project_stack") attributes["quota"]["gpu"] = nullptr;
  }
  EXPECT_EQ(Describe(exported, state), std::vector<std::string>{});
}

TEST_F(StateExportTest, CompareReportsChangesMadeOutsideTerraform) {
  nlohmann::json state = StateOf(Collect());
  ASSERT_EQ(Send("PATCH", "/v1/workspaces/alpha", R"({"description": "by hand"})").status, 200);
  ASSERT_EQ(Send("PATCH", "/v1/teams/developers", R"({"members": ["user:dana@example.com"]})").status, 200);
  Create("/v1/users", R"({"email": "new@example.com"})");
  ASSERT_EQ(Send("DELETE", "/v1/workspaces/beta/projects/training").status, 204);
  state["resources"].push_back({{"mode", "data"}, {"type", "rampart_access_check"}, {"name", "ignored"},
                                {"instances", {{{"attributes", {{"id", "x"}}}}}}});

  const std::string workspace_id = Id("/v1/workspaces/alpha");
  const std::string dana = Id("/v1/users/dana@example.com");
  const std::string bot = Id("/v1/service_accounts/ci-bot");
  std::vector<std::string> lines = Describe(Collect(), state);
  std::sort(lines.begin(), lines.end());
  ASSERT_EQ(lines.size(), 4u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "differs: rampart_team.developers = teams/developers (" + Id("/v1/teams/developers") +
                          "): members is [\"" + dana + "\"] in rampartd, [\"" + std::min(dana, bot) + "\",\"" +
                          std::max(dana, bot) + "\"] in the state");
  EXPECT_EQ(lines[1], "differs: rampart_workspace.alpha = workspaces/alpha (" + workspace_id +
                          "): description is \"by hand\" in rampartd, \"costs ${var.x}\" in the state");
  EXPECT_EQ(lines[2].rfind("not in rampartd: rampart_project.beta_training (prj_", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("not in the state: rampart_user.new_example_com = users/new@example.com (usr_", 0), 0u)
      << lines[3];
}

TEST_F(StateExportTest, CompareRefusesWhatIsNotATerraformStateAndSurvivesOddOnes) {
  StateExport exported = Collect();
  for (const char* text : {R"([])", R"({"resources": 1})", R"("x")"}) {
    Result<std::vector<StateDifference>> differences = CompareWithState(exported, nlohmann::json::parse(text));
    EXPECT_EQ(differences.status().code(), StatusCode::kInvalidArgument) << text;
  }
  // Malformed entries are skipped, not trusted and not fatal: everything is then missing.
  nlohmann::json odd = nlohmann::json::parse(R"({"resources": [null, 3, {"mode": 1, "type": []},
      {"mode": "managed", "type": "rampart_user", "instances": [null, {"attributes": null}, {"attributes": {"id": 5}}]}]})");
  Result<std::vector<StateDifference>> differences = CompareWithState(exported, odd);
  ASSERT_TRUE(differences.ok()) << differences.status().message();
  EXPECT_EQ(differences->size(), exported.objects.size());
}

}  // namespace
}  // namespace rampart::state_export
