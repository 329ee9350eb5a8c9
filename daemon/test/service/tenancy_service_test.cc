#include "service/tenancy_service.h"

#include "service/object_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/tenancy_fixture.h"

namespace rampart {
namespace {

class TenancyServiceTest : public testing::TenancyFixture {
 protected:
  Workspace CreateWorkspaceOrDie(const std::string& name) {
    auto workspace = services_->workspaces.Create(admin_, {}, {{"name", name}});
    EXPECT_TRUE(workspace.ok()) << workspace.status().message();
    return workspace.value();
  }
};

TEST_F(TenancyServiceTest, BootstrapTwiceFailsAndChangesNothing) {
  size_t events_before = AuditEvents().size();
  auto again = tenancy_->Bootstrap("other");
  EXPECT_EQ(again.status().code(), StatusCode::kFailedState);
  EXPECT_NE(again.status().message().find("already bootstrapped"), std::string::npos);
  store_->Read([](StoreTransaction& t) -> Status {
    EXPECT_EQ(t.ListOrganizations()->size(), 1u);
    return Status::Ok();
  });
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(TenancyServiceTest, CreateRecordsAuditEventInSameOrganization) {
  RequestContext context = admin_;
  context.source_ip = "127.0.0.9";
  context.user_agent = "test-agent";
  auto workspace =
      services_->workspaces.Create(context, {}, {{"name", "alpha"},
                                                 {"display_name", "Alpha"},
                                                 {"description", "d"},
                                                 {"labels", {{"team", "a"}}}});
  ASSERT_TRUE(workspace.ok());
  EXPECT_EQ(workspace->meta.revision, 1);
  EXPECT_EQ(workspace->meta.created_by, admin_.actor);
  EXPECT_EQ(workspace->meta.created_at, kStart);

  const AuditEvent event = AuditEvents().back();
  EXPECT_EQ(event.action, "workspace.create");
  EXPECT_EQ(event.target_id, workspace->meta.id);
  EXPECT_EQ(event.actor, admin_.actor);
  EXPECT_EQ(event.key_id, admin_.key_id);
  EXPECT_EQ(event.outcome, "success");
  EXPECT_EQ(event.source_ip, "127.0.0.9");
  EXPECT_EQ(event.user_agent, "test-agent");
  EXPECT_EQ(event.request_id, "req-test");
  EXPECT_TRUE(event.before_json.empty());
  EXPECT_EQ(nlohmann::json::parse(event.after_json)["labels"]["team"], "a");
}

TEST_F(TenancyServiceTest, UpdateBumpsRevisionAndRecordsBeforeAndAfter) {
  Workspace workspace = CreateWorkspaceOrDie("alpha");
  clock_.Advance(5000);
  nlohmann::json patch;
  patch["description"] = "new";
  auto updated = services_->workspaces.Update(admin_, {"alpha"}, patch, 1);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->meta.revision, 2);
  EXPECT_EQ(updated->meta.updated_at, kStart + 5000);
  EXPECT_EQ(updated->meta.created_at, kStart);

  const AuditEvent event = AuditEvents().back();
  EXPECT_EQ(event.action, "workspace.update");
  EXPECT_EQ(nlohmann::json::parse(event.before_json)["description"], "");
  EXPECT_EQ(nlohmann::json::parse(event.after_json)["description"], "new");
}

TEST_F(TenancyServiceTest, StaleRevisionIsRefusedAndChangesNothing) {
  CreateWorkspaceOrDie("alpha");
  nlohmann::json patch;
  patch["description"] = "first";
  ASSERT_TRUE(services_->workspaces.Update(admin_, {"alpha"}, patch, 1).ok());
  size_t events_before = AuditEvents().size();
  patch["description"] = "lost update";
  auto stale = services_->workspaces.Update(admin_, {"alpha"}, patch, 1);
  EXPECT_EQ(stale.status().code(), StatusCode::kPreconditionFailed);
  EXPECT_EQ(stale.status().field(), "If-Match");
  EXPECT_EQ(services_->workspaces.Get(admin_, {"alpha"})->meta.description, "first");
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(TenancyServiceTest, RenameToTakenNameIsAlreadyExists) {
  CreateWorkspaceOrDie("alpha");
  CreateWorkspaceOrDie("beta");
  nlohmann::json patch;
  patch["name"] = "alpha";
  auto renamed = services_->workspaces.Update(admin_, {"beta"}, patch, std::nullopt);
  EXPECT_EQ(renamed.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(renamed.status().field(), "name");
}

TEST_F(TenancyServiceTest, ObjectsResolveByIdOrName) {
  Workspace workspace = CreateWorkspaceOrDie("alpha");
  auto project = services_->projects.Create(admin_, {"alpha"}, nlohmann::json{{"name", "recsys"}});
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(services_->workspaces.Get(admin_, {workspace.meta.id})->meta.name, "alpha");
  EXPECT_EQ(services_->projects.Get(admin_, {workspace.meta.id, "recsys"})->meta.id, project->meta.id);
  EXPECT_EQ(services_->projects.Get(admin_, {"alpha", project->meta.id})->meta.name, "recsys");
  EXPECT_EQ(services_->projects.GetById(admin_, project->meta.id)->workspace_id, workspace.meta.id);
}

TEST_F(TenancyServiceTest, ProjectIdUnderAnotherWorkspaceIsNotFound) {
  CreateWorkspaceOrDie("alpha");
  CreateWorkspaceOrDie("beta");
  auto project = services_->projects.Create(admin_, {"alpha"}, nlohmann::json{{"name", "recsys"}});
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(services_->projects.Get(admin_, {"beta", project->meta.id}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(TenancyServiceTest, ProjectNamesAreUniquePerWorkspaceOnly) {
  CreateWorkspaceOrDie("alpha");
  CreateWorkspaceOrDie("beta");
  nlohmann::json spec = {{"name", "recsys"}};
  EXPECT_TRUE(services_->projects.Create(admin_, {"alpha"}, spec).ok());
  EXPECT_TRUE(services_->projects.Create(admin_, {"beta"}, spec).ok());
  auto duplicate = services_->projects.Create(admin_, {"alpha"}, spec);
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(duplicate.status().message().find("workspace \"alpha\""), std::string::npos);
}

TEST_F(TenancyServiceTest, WorkspaceWithProjectsCannotBeDeleted) {
  CreateWorkspaceOrDie("alpha");
  ASSERT_TRUE(services_->projects.Create(admin_, {"alpha"}, nlohmann::json{{"name", "recsys"}}).ok());
  Status status = services_->workspaces.Delete(admin_, {"alpha"}, std::nullopt);
  EXPECT_EQ(status.code(), StatusCode::kConflict);
  EXPECT_NE(status.message().find("recsys"), std::string::npos);
  ASSERT_TRUE(services_->projects.Delete(admin_, {"alpha", "recsys"}, std::nullopt).ok());
  ASSERT_TRUE(services_->workspaces.Delete(admin_, {"alpha"}, std::nullopt).ok());
  EXPECT_EQ(services_->workspaces.Get(admin_, {"alpha"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditEvents().back().action, "workspace.delete");
}

TEST_F(TenancyServiceTest, OrganizationsSeeNothingOfEachOther) {
  Workspace workspace = CreateWorkspaceOrDie("alpha");
  auto globex = tenancy_->CreateOrganization(admin_, nlohmann::json{{"name", "globex"}});
  ASSERT_TRUE(globex.ok());
  RequestContext other;
  other.organization_id = globex->organization.meta.id;
  other.actor = "key:" + globex->key_id;
  EXPECT_TRUE(services_->workspaces.List(other, {}, {})->items.empty());
  EXPECT_EQ(services_->workspaces.Get(other, {workspace.meta.id}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(services_->workspaces.Get(other, {"alpha"}).status().code(), StatusCode::kNotFound);
  // The same name is free in the other organization.
  EXPECT_TRUE(services_->workspaces.Create(other, {}, nlohmann::json{{"name", "alpha"}}).ok());
  EXPECT_EQ(AuditEventsOf(other.organization_id).front().action, "organization.create");
}

TEST_F(TenancyServiceTest, OrganizationCreationIsAuditedInBothOrganizationsWithRequestDetails) {
  RequestContext context = admin_;
  context.source_ip = "10.1.2.3";
  context.user_agent = "curl/8";
  auto globex = tenancy_->CreateOrganization(context, nlohmann::json{{"name", "globex"}});
  ASSERT_TRUE(globex.ok());
  for (const std::string& organization_id :
       {admin_.organization_id, globex->organization.meta.id}) {
    std::vector<AuditEvent> events = AuditEventsOf(organization_id);
    auto created = std::find_if(events.rbegin(), events.rend(), [](const AuditEvent& e) {
      return e.action == "organization.create";
    });
    ASSERT_NE(created, events.rend()) << organization_id;
    const AuditEvent event = *created;
    EXPECT_EQ(event.target_id, globex->organization.meta.id);
    EXPECT_EQ(event.key_id, admin_.key_id);
    EXPECT_EQ(event.actor, admin_.actor);
    EXPECT_EQ(event.request_id, "req-test");
    EXPECT_EQ(event.source_ip, "10.1.2.3");
    EXPECT_EQ(event.user_agent, "curl/8");
    EXPECT_EQ(event.after_json.find(globex->token), std::string::npos);
  }
}

TEST_F(TenancyServiceTest, PatchThatChangesNothingKeepsRevisionAndWritesNoEvent) {
  CreateWorkspaceOrDie("alpha");
  size_t events_before = AuditEvents().size();
  nlohmann::json patch;
  patch["name"] = "alpha";
  patch["labels"] = nlohmann::json::object();
  auto unchanged = services_->workspaces.Update(admin_, {"alpha"}, patch, 1);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->meta.revision, 1);
  EXPECT_EQ(AuditEvents().size(), events_before);
  // A stale If-Match is still refused, change or not.
  EXPECT_EQ(services_->workspaces.Update(admin_, {"alpha"}, patch, 7).status().code(),
            StatusCode::kPreconditionFailed);
}

TEST_F(TenancyServiceTest, OnlySystemAdminCreatesOrganizations) {
  RequestContext not_admin = admin_;
  not_admin.system_admin = false;
  auto created = tenancy_->CreateOrganization(not_admin, nlohmann::json{{"name", "globex"}});
  EXPECT_EQ(created.status().code(), StatusCode::kPermissionDenied);
  auto duplicate = tenancy_->CreateOrganization(admin_, nlohmann::json{{"name", "acme"}});
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(TenancyServiceTest, InvalidInputChangesNothing) {
  size_t events_before = AuditEvents().size();
  auto created = services_->workspaces.Create(admin_, {}, nlohmann::json{{"name", "Not_A_Label"}});
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(services_->workspaces.List(admin_, {}, {})->items.empty());
  EXPECT_EQ(AuditEvents().size(), events_before);
}

}  // namespace
}  // namespace rampart
