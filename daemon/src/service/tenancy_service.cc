#include "service/tenancy_service.h"

#include "auth/api_key.h"
#include "model/tenancy_json.h"
#include "model/validation.h"
#include "service/audit_recorder.h"
#include "service/idempotency.h"
#include "service/object_rules.h"
#include "service/top_level_objects.h"

namespace rampart {
namespace {

Result<Workspace> ResolveWorkspace(StoreTransaction& transaction, const RequestContext& context,
                                   const std::string& ref) {
  return top_level::Resolve<Workspace>(transaction, context, ref);
}

Result<Project> ResolveProject(StoreTransaction& transaction, const RequestContext& context,
                               const Workspace& workspace, const std::string& ref) {
  if (!IsIdOf(ref, kProjectIdPrefix)) {
    return transaction.GetProjectByName(context.organization_id, workspace.meta.id, ref);
  }
  RAMPART_ASSIGN_OR_RETURN(Project project,
                           transaction.GetProjectById(context.organization_id, ref));
  // An id addressed under the wrong workspace does not exist at that path.
  if (project.workspace_id != workspace.meta.id) {
    return Status::NotFound("project " + ref + " not found");
  }
  return project;
}

AuditTarget TargetOf(const Project& project) {
  return {"project", project.meta.id, project.meta.name, project.workspace_id, project.meta.id};
}

}  // namespace

Result<CreatedOrganization> TenancyService::InsertOrganization(StoreTransaction& transaction,
                                                               const ObjectSpec& spec,
                                                               const RequestContext& creator,
                                                               bool system_admin_key) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> existing, transaction.ListOrganizations());
  for (const Organization& organization : existing) {
    if (organization.meta.name == spec.name) return NameTaken("organization", spec.name, "this daemon");
  }
  Organization organization{NewMeta(creator, kOrganizationIdPrefix, spec, clock_.Now())};
  organization.meta.organization_id = organization.meta.id;
  RAMPART_RETURN_IF_ERROR(transaction.InsertOrganization(organization));

  IssuedApiKey key = IssueApiKey(organization.meta.id, system_admin_key,
                                 "first admin key of " + spec.name, clock_.Now());
  RAMPART_RETURN_IF_ERROR(transaction.InsertApiKey(key.record));

  // The new organization's trail starts with its own creation, by whom and from where.
  RequestContext in_new_organization = creator;
  in_new_organization.organization_id = organization.meta.id;
  AuditTarget target{"organization", organization.meta.id, organization.meta.name, "", ""};
  RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
      MakeAuditEvent(in_new_organization, clock_.Now(), "organization.create", target, nullptr,
                     ToJson(organization))));
  return CreatedOrganization{organization, key.record.id, key.token};
}

Result<CreatedOrganization> TenancyService::Bootstrap(const std::string& organization_name) {
  ObjectSpec spec;
  spec.name = organization_name;
  RAMPART_RETURN_IF_ERROR(ValidateName("organization", organization_name));
  std::optional<CreatedOrganization> created;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> existing, transaction.ListOrganizations());
    if (!existing.empty()) {
      return Status::Error(StatusCode::kFailedState,
                           "this data dir is already bootstrapped (organization \"" +
                               existing.front().meta.name + "\" exists); nothing was changed",
                           "", "already_bootstrapped");
    }
    RequestContext bootstrap;
    bootstrap.actor = "bootstrap";
    RAMPART_ASSIGN_OR_RETURN(created, InsertOrganization(transaction, spec, bootstrap, true));
    return Status::Ok();
  }));
  return std::move(*created);
}

Result<CreatedOrganization> TenancyService::CreateOrganization(const RequestContext& context,
                                                               const ObjectSpec& spec) {
  if (!context.system_admin) {
    return Status::Error(StatusCode::kPermissionDenied,
                         "creating organizations requires the system administrator's key", "",
                         "system_admin");
  }
  RAMPART_RETURN_IF_ERROR(ValidateSpec(spec));
  std::optional<CreatedOrganization> created;
  const std::string fingerprint = RequestFingerprint("organization.create", "", spec);
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(
        std::optional<std::string> earlier,
        FindEarlierCreate(transaction, context, "organization.create", fingerprint));
    // The first answer carried the new organization's only copy of its admin token.
    if (earlier) return CreatedWithSecret(*earlier);
    RAMPART_ASSIGN_OR_RETURN(created, InsertOrganization(transaction, spec, context, false));
    RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, "organization.create",
                                           fingerprint, created->organization.meta.id,
                                           clock_.Now()));
    // The creator's own organization records that it created another one.
    AuditTarget target{"organization", created->organization.meta.id,
                       created->organization.meta.name, "", ""};
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(),
                                                       "organization.create", target, nullptr,
                                                       ToJson(created->organization)));
  }));
  return std::move(*created);
}

Result<Organization> TenancyService::GetOrganization(const RequestContext& context) {
  std::optional<Organization> organization;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(organization, transaction.GetOrganization(context.organization_id));
    return Status::Ok();
  }));
  return std::move(*organization);
}

Result<Page<Workspace>> TenancyService::ListWorkspaces(const RequestContext& context,
                                                       const ListRequest& request) {
  return top_level::List<Workspace>(store_, context, request);
}

Result<Workspace> TenancyService::GetWorkspace(const RequestContext& context,
                                               const std::string& ref) {
  return top_level::Get<Workspace>(store_, context, ref);
}

Result<Workspace> TenancyService::CreateWorkspace(const RequestContext& context,
                                                  const ObjectSpec& spec) {
  return top_level::Create<Workspace>(store_, clock_, context, spec);
}

Result<Workspace> TenancyService::UpdateWorkspace(const RequestContext& context,
                                                  const std::string& ref,
                                                  const ObjectPatch& patch,
                                                  std::optional<int64_t> if_match) {
  return top_level::Update<Workspace>(store_, clock_, context, ref, patch, if_match);
}

Status TenancyService::DeleteWorkspace(const RequestContext& context, const std::string& ref,
                                       std::optional<int64_t> if_match) {
  auto has_no_projects = [&](StoreTransaction& transaction, const Workspace& workspace) -> Status {
    ListQuery first_few;
    first_few.limit = 10;
    RAMPART_ASSIGN_OR_RETURN(
        std::vector<Project> projects,
        transaction.ListProjects(context.organization_id, workspace.meta.id, first_few));
    if (projects.empty()) return Status::Ok();
    std::string names;
    for (const Project& project : projects) {
      names += (names.empty() ? "" : ", ") + project.meta.name;
    }
    return Status::Error(StatusCode::kConflict,
                         "workspace \"" + workspace.meta.name + "\" still has projects (" + names +
                             "); delete them first",
                         "", "has_children");
  };
  return top_level::Delete<Workspace>(store_, clock_, context, ref, if_match, has_no_projects);
}

Result<Page<Project>> TenancyService::ListProjects(const RequestContext& context,
                                                   const std::string& workspace_ref,
                                                   const ListRequest& request) {
  RAMPART_ASSIGN_OR_RETURN(ListQuery query, ToListQuery(request));
  std::vector<Project> projects;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             ResolveWorkspace(transaction, context, workspace_ref));
    RAMPART_ASSIGN_OR_RETURN(
        projects, transaction.ListProjects(context.organization_id, workspace.meta.id, query));
    return Status::Ok();
  }));
  return ToPage(std::move(projects), request.page_size);
}

Result<Project> TenancyService::GetProject(const RequestContext& context,
                                           const std::string& workspace_ref,
                                           const std::string& project_ref) {
  std::optional<Project> project;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             ResolveWorkspace(transaction, context, workspace_ref));
    RAMPART_ASSIGN_OR_RETURN(project, ResolveProject(transaction, context, workspace, project_ref));
    return Status::Ok();
  }));
  return std::move(*project);
}

Result<Project> TenancyService::GetProjectById(const RequestContext& context,
                                               const std::string& project_id) {
  if (!IsIdOf(project_id, kProjectIdPrefix)) {
    return Status::NotFound("project " + project_id +
                            " not found (this path takes a project id; by name use "
                            "/v1/workspaces/W/projects/P)");
  }
  std::optional<Project> project;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(project, transaction.GetProjectById(context.organization_id, project_id));
    return Status::Ok();
  }));
  return std::move(*project);
}

Result<Project> TenancyService::CreateProject(const RequestContext& context,
                                              const std::string& workspace_ref,
                                              const ObjectSpec& spec) {
  RAMPART_RETURN_IF_ERROR(ValidateSpec(spec));
  std::optional<Project> created;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             ResolveWorkspace(transaction, context, workspace_ref));
    const std::string fingerprint = RequestFingerprint("project.create", workspace.meta.id, spec);
    RAMPART_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                             FindEarlierCreate(transaction, context, "project.create", fingerprint));
    if (earlier) {
      Result<Project> first = transaction.GetProjectById(context.organization_id, *earlier);
      if (!first.ok()) return CreatedThenDeleted(*earlier);
      created = std::move(first).value();
      return Status::Ok();
    }
    if (transaction.GetProjectByName(context.organization_id, workspace.meta.id, spec.name).ok()) {
      return NameTaken("project", spec.name, "workspace \"" + workspace.meta.name + "\"");
    }
    Project project{NewMeta(context, kProjectIdPrefix, spec, clock_.Now()), workspace.meta.id};
    RAMPART_RETURN_IF_ERROR(transaction.InsertProject(project));
    RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, "project.create", fingerprint,
                                           project.meta.id, clock_.Now()));
    RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(MakeAuditEvent(
        context, clock_.Now(), "project.create", TargetOf(project), nullptr, ToJson(project))));
    created = std::move(project);
    return Status::Ok();
  }));
  return std::move(*created);
}

Result<Project> TenancyService::UpdateProject(const RequestContext& context,
                                              const std::string& workspace_ref,
                                              const std::string& project_ref,
                                              const ObjectPatch& patch,
                                              std::optional<int64_t> if_match) {
  RAMPART_RETURN_IF_ERROR(ValidatePatch(patch));
  std::optional<Project> updated;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             ResolveWorkspace(transaction, context, workspace_ref));
    RAMPART_ASSIGN_OR_RETURN(Project project,
                             ResolveProject(transaction, context, workspace, project_ref));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, project.meta));
    if (patch.name && *patch.name != project.meta.name &&
        transaction.GetProjectByName(context.organization_id, workspace.meta.id, *patch.name).ok()) {
      return NameTaken("project", *patch.name, "workspace \"" + workspace.meta.name + "\"");
    }
    nlohmann::json before = ToJson(project);
    if (!ApplyChange(patch, clock_.Now(), project.meta)) {
      updated = std::move(project);
      return Status::Ok();
    }
    RAMPART_RETURN_IF_ERROR(transaction.UpdateProject(project));
    RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(MakeAuditEvent(
        context, clock_.Now(), "project.update", TargetOf(project), before, ToJson(project))));
    updated = std::move(project);
    return Status::Ok();
  }));
  return std::move(*updated);
}

Status TenancyService::DeleteProject(const RequestContext& context,
                                     const std::string& workspace_ref,
                                     const std::string& project_ref,
                                     std::optional<int64_t> if_match) {
  return store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             ResolveWorkspace(transaction, context, workspace_ref));
    RAMPART_ASSIGN_OR_RETURN(Project project,
                             ResolveProject(transaction, context, workspace, project_ref));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, project.meta));
    RAMPART_RETURN_IF_ERROR(transaction.DeleteProject(context.organization_id, project.meta.id));
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(), "project.delete",
                                                       TargetOf(project), ToJson(project),
                                                       nullptr));
  });
}

}  // namespace rampart
