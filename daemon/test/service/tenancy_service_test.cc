#include "service/tenancy_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/tenancy_fixture.h"

namespace rampart {
namespace {

class TenancyServiceTest : public testing::TenancyFixture {
 protected:
  Workspace CreateWorkspaceOrDie(const std::string& name) {
    auto workspace = tenancy_->CreateWorkspace(admin_, ObjectSpec{name, "", "", {}});
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
      tenancy_->CreateWorkspace(context, ObjectSpec{"alpha", "Alpha", "d", {{"team", "a"}}});
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
  ObjectPatch patch;
  patch.description = "new";
  auto updated = tenancy_->UpdateWorkspace(admin_, "alpha", patch, 1);
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
  ObjectPatch patch;
  patch.description = "first";
  ASSERT_TRUE(tenancy_->UpdateWorkspace(admin_, "alpha", patch, 1).ok());
  size_t events_before = AuditEvents().size();
  patch.description = "lost update";
  auto stale = tenancy_->UpdateWorkspace(admin_, "alpha", patch, 1);
  EXPECT_EQ(stale.status().code(), StatusCode::kPreconditionFailed);
  EXPECT_EQ(stale.status().field(), "If-Match");
  EXPECT_EQ(tenancy_->GetWorkspace(admin_, "alpha")->meta.description, "first");
  EXPECT_EQ(AuditEvents().size(), events_before);
}

TEST_F(TenancyServiceTest, RenameToTakenNameIsAlreadyExists) {
  CreateWorkspaceOrDie("alpha");
  CreateWorkspaceOrDie("beta");
  ObjectPatch patch;
  patch.name = "alpha";
  auto renamed = tenancy_->UpdateWorkspace(admin_, "beta", patch, std::nullopt);
  EXPECT_EQ(renamed.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(renamed.status().field(), "name");
}

TEST_F(TenancyServiceTest, ObjectsResolveByIdOrName) {
  Workspace workspace = CreateWorkspaceOrDie("alpha");
  auto project = tenancy_->CreateProject(admin_, "alpha", ObjectSpec{"recsys", "", "", {}});
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(tenancy_->GetWorkspace(admin_, workspace.meta.id)->meta.name, "alpha");
  EXPECT_EQ(tenancy_->GetProject(admin_, workspace.meta.id, "recsys")->meta.id, project->meta.id);
  EXPECT_EQ(tenancy_->GetProject(admin_, "alpha", project->meta.id)->meta.name, "recsys");
  EXPECT_EQ(tenancy_->GetProjectById(admin_, project->meta.id)->workspace_id, workspace.meta.id);
}

TEST_F(TenancyServiceTest, ProjectIdUnderAnotherWorkspaceIsNotFound) {
  CreateWorkspaceOrDie("alpha");
  CreateWorkspaceOrDie("beta");
  auto project = tenancy_->CreateProject(admin_, "alpha", ObjectSpec{"recsys", "", "", {}});
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(tenancy_->GetProject(admin_, "beta", project->meta.id).status().code(),
            StatusCode::kNotFound);
}

TEST_F(TenancyServiceTest, ProjectNamesAreUniquePerWorkspaceOnly) {
  CreateWorkspaceOrDie("alpha");
  CreateWorkspaceOrDie("beta");
  ObjectSpec spec{"recsys", "", "", {}};
  EXPECT_TRUE(tenancy_->CreateProject(admin_, "alpha", spec).ok());
  EXPECT_TRUE(tenancy_->CreateProject(admin_, "beta", spec).ok());
  auto duplicate = tenancy_->CreateProject(admin_, "alpha", spec);
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(duplicate.status().message().find("workspace \"alpha\""), std::string::npos);
}

TEST_F(TenancyServiceTest, WorkspaceWithProjectsCannotBeDeleted) {
  CreateWorkspaceOrDie("alpha");
  ASSERT_TRUE(tenancy_->CreateProject(admin_, "alpha", ObjectSpec{"recsys", "", "", {}}).ok());
  Status status = tenancy_->DeleteWorkspace(admin_, "alpha", std::nullopt);
  EXPECT_EQ(status.code(), StatusCode::kConflict);
  EXPECT_NE(status.message().find("recsys"), std::string::npos);
  ASSERT_TRUE(tenancy_->DeleteProject(admin_, "alpha", "recsys", std::nullopt).ok());
  ASSERT_TRUE(tenancy_->DeleteWorkspace(admin_, "alpha", std::nullopt).ok());
  EXPECT_EQ(tenancy_->GetWorkspace(admin_, "alpha").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditEvents().back().action, "workspace.delete");
}

TEST_F(TenancyServiceTest, OrganizationsSeeNothingOfEachOther) {
  Workspace workspace = CreateWorkspaceOrDie("alpha");
  auto globex = tenancy_->CreateOrganization(admin_, ObjectSpec{"globex", "", "", {}});
  ASSERT_TRUE(globex.ok());
  RequestContext other;
  other.organization_id = globex->organization.meta.id;
  other.actor = "key:" + globex->key_id;
  EXPECT_TRUE(tenancy_->ListWorkspaces(other, {})->items.empty());
  EXPECT_EQ(tenancy_->GetWorkspace(other, workspace.meta.id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(tenancy_->GetWorkspace(other, "alpha").status().code(), StatusCode::kNotFound);
  // The same name is free in the other organization.
  EXPECT_TRUE(tenancy_->CreateWorkspace(other, ObjectSpec{"alpha", "", "", {}}).ok());
  EXPECT_EQ(AuditEventsOf(other.organization_id).front().action, "organization.create");
}

TEST_F(TenancyServiceTest, OrganizationCreationIsAuditedInBothOrganizationsWithRequestDetails) {
  RequestContext context = admin_;
  context.source_ip = "10.1.2.3";
  context.user_agent = "curl/8";
  auto globex = tenancy_->CreateOrganization(context, ObjectSpec{"globex", "", "", {}});
  ASSERT_TRUE(globex.ok());
  for (const std::string& organization_id :
       {admin_.organization_id, globex->organization.meta.id}) {
    const AuditEvent event = AuditEventsOf(organization_id).back();
    EXPECT_EQ(event.action, "organization.create") << organization_id;
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
  ObjectPatch patch;
  patch.name = "alpha";
  patch.labels = Labels{};
  auto unchanged = tenancy_->UpdateWorkspace(admin_, "alpha", patch, 1);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->meta.revision, 1);
  EXPECT_EQ(AuditEvents().size(), events_before);
  // A stale If-Match is still refused, change or not.
  EXPECT_EQ(tenancy_->UpdateWorkspace(admin_, "alpha", patch, 7).status().code(),
            StatusCode::kPreconditionFailed);
}

TEST_F(TenancyServiceTest, OnlySystemAdminCreatesOrganizations) {
  RequestContext not_admin = admin_;
  not_admin.system_admin = false;
  auto created = tenancy_->CreateOrganization(not_admin, ObjectSpec{"globex", "", "", {}});
  EXPECT_EQ(created.status().code(), StatusCode::kPermissionDenied);
  auto duplicate = tenancy_->CreateOrganization(admin_, ObjectSpec{"acme", "", "", {}});
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(TenancyServiceTest, InvalidInputChangesNothing) {
  size_t events_before = AuditEvents().size();
  auto created = tenancy_->CreateWorkspace(admin_, ObjectSpec{"Not_A_Label", "", "", {}});
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(tenancy_->ListWorkspaces(admin_, {})->items.empty());
  EXPECT_EQ(AuditEvents().size(), events_before);
}

}  // namespace
}  // namespace rampart
