#include "service/tenancy_service.h"

#include "auth/api_key.h"
#include "common/random.h"
#include "model/tenancy_json.h"
#include "model/validation.h"
#include "service/audit_recorder.h"
#include "service/idempotency.h"

namespace rampart {
namespace {

Result<Workspace> ResolveWorkspace(StoreTransaction& transaction, const RequestContext& context,
                                   const std::string& ref) {
  if (IsIdOf(ref, kWorkspaceIdPrefix)) {
    return transaction.GetWorkspaceById(context.organization_id, ref);
  }
  return transaction.GetWorkspaceByName(context.organization_id, ref);
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

Status CheckRevision(std::optional<int64_t> if_match, const ObjectMeta& current) {
  if (!if_match || *if_match == current.revision) return Status::Ok();
  return Status::Error(StatusCode::kPreconditionFailed,
                       "If-Match: revision " + std::to_string(*if_match) + " is stale; " +
                           current.name + " is at revision " + std::to_string(current.revision),
                       "If-Match", "stale_revision");
}

Status NameTaken(const std::string& kind, const std::string& name, const std::string& parent) {
  return Status::Error(StatusCode::kAlreadyExists,
                       "name: " + kind + " \"" + name + "\" already exists in " + parent, "name",
                       "taken");
}

// Applies `patch` to `meta` as a new revision; the caller checks name uniqueness. Returns
// false, leaving `meta` as it was, when the patch changes nothing: no new revision, no audit
// event, so ETags only move on real changes.
bool ApplyChange(const ObjectPatch& patch, TimestampMs now, ObjectMeta& meta) {
  ObjectMeta changed = meta;
  ApplyPatch(patch, changed);
  if (changed.name == meta.name && changed.display_name == meta.display_name &&
      changed.description == meta.description && changed.labels == meta.labels) {
    return false;
  }
  meta = std::move(changed);
  meta.updated_at = now;
  meta.revision += 1;
  return true;
}

AuditTarget TargetOf(const Workspace& workspace) {
  return {"workspace", workspace.meta.id, workspace.meta.name, workspace.meta.id, ""};
}

AuditTarget TargetOf(const Project& project) {
  return {"project", project.meta.id, project.meta.name, project.workspace_id, project.meta.id};
}

}  // namespace

ObjectMeta TenancyService::NewMeta(const RequestContext& context, const char* id_prefix,
                                   const ObjectSpec& spec) const {
  ObjectMeta meta;
  meta.id = NewId(id_prefix);
  meta.organization_id = context.organization_id;
  meta.name = spec.name;
  meta.display_name = spec.display_name;
  meta.description = spec.description;
  meta.labels = spec.labels;
  meta.created_at = meta.updated_at = clock_.Now();
  meta.created_by = context.actor;
  meta.revision = 1;
  return meta;
}

Result<CreatedOrganization> TenancyService::InsertOrganization(StoreTransaction& transaction,
                                                               const ObjectSpec& spec,
                                                               const RequestContext& creator,
                                                               bool system_admin_key) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> existing, transaction.ListOrganizations());
  for (const Organization& organization : existing) {
    if (organization.meta.name == spec.name) return NameTaken("organization", spec.name, "this daemon");
  }
  Organization organization{NewMeta(creator, kOrganizationIdPrefix, spec)};
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
    if (earlier) {
      // The first answer carried the new organization's only copy of its admin token.
      return Status::Error(StatusCode::kConflict,
                           "Idempotency-Key: this key already created organization " + *earlier +
                               "; its admin token was shown only in that first response",
                           "Idempotency-Key", "already_completed");
    }
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
  RAMPART_ASSIGN_OR_RETURN(ListQuery query, ToListQuery(request));
  std::vector<Workspace> workspaces;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(workspaces,
                             transaction.ListWorkspaces(context.organization_id, query));
    return Status::Ok();
  }));
  return ToPage(std::move(workspaces), request.page_size);
}

Result<Workspace> TenancyService::GetWorkspace(const RequestContext& context,
                                               const std::string& ref) {
  std::optional<Workspace> workspace;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(workspace, ResolveWorkspace(transaction, context, ref));
    return Status::Ok();
  }));
  return std::move(*workspace);
}

Result<Workspace> TenancyService::CreateWorkspace(const RequestContext& context,
                                                  const ObjectSpec& spec) {
  RAMPART_RETURN_IF_ERROR(ValidateSpec(spec));
  Workspace workspace{NewMeta(context, kWorkspaceIdPrefix, spec)};
  const std::string fingerprint = RequestFingerprint("workspace.create", "", spec);
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                             FindEarlierCreate(transaction, context, "workspace.create", fingerprint));
    if (earlier) {
      RAMPART_ASSIGN_OR_RETURN(workspace,
                               transaction.GetWorkspaceById(context.organization_id, *earlier));
      return Status::Ok();
    }
    if (transaction.GetWorkspaceByName(context.organization_id, spec.name).ok()) {
      return NameTaken("workspace", spec.name, "this organization");
    }
    RAMPART_RETURN_IF_ERROR(transaction.InsertWorkspace(workspace));
    RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, "workspace.create", fingerprint,
                                           workspace.meta.id, clock_.Now()));
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(), "workspace.create",
                                                       TargetOf(workspace), nullptr,
                                                       ToJson(workspace)));
  }));
  return workspace;
}

Result<Workspace> TenancyService::UpdateWorkspace(const RequestContext& context,
                                                  const std::string& ref,
                                                  const ObjectPatch& patch,
                                                  std::optional<int64_t> if_match) {
  RAMPART_RETURN_IF_ERROR(ValidatePatch(patch));
  std::optional<Workspace> updated;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace, ResolveWorkspace(transaction, context, ref));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, workspace.meta));
    if (patch.name && *patch.name != workspace.meta.name &&
        transaction.GetWorkspaceByName(context.organization_id, *patch.name).ok()) {
      return NameTaken("workspace", *patch.name, "this organization");
    }
    nlohmann::json before = ToJson(workspace);
    if (!ApplyChange(patch, clock_.Now(), workspace.meta)) {
      updated = std::move(workspace);
      return Status::Ok();
    }
    RAMPART_RETURN_IF_ERROR(transaction.UpdateWorkspace(workspace));
    RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(MakeAuditEvent(
        context, clock_.Now(), "workspace.update", TargetOf(workspace), before, ToJson(workspace))));
    updated = std::move(workspace);
    return Status::Ok();
  }));
  return std::move(*updated);
}

Status TenancyService::DeleteWorkspace(const RequestContext& context, const std::string& ref,
                                       std::optional<int64_t> if_match) {
  return store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace, ResolveWorkspace(transaction, context, ref));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, workspace.meta));
    ListQuery first_few;
    first_few.limit = 10;
    RAMPART_ASSIGN_OR_RETURN(
        std::vector<Project> projects,
        transaction.ListProjects(context.organization_id, workspace.meta.id, first_few));
    if (!projects.empty()) {
      std::string names;
      for (const Project& project : projects) {
        names += (names.empty() ? "" : ", ") + project.meta.name;
      }
      return Status::Error(StatusCode::kConflict,
                           "workspace \"" + workspace.meta.name +
                               "\" still has projects (" + names + "); delete them first",
                           "", "has_children");
    }
    RAMPART_RETURN_IF_ERROR(transaction.DeleteWorkspace(context.organization_id, workspace.meta.id));
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(), "workspace.delete",
                                                       TargetOf(workspace), ToJson(workspace),
                                                       nullptr));
  });
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
      RAMPART_ASSIGN_OR_RETURN(created,
                               transaction.GetProjectById(context.organization_id, *earlier));
      return Status::Ok();
    }
    if (transaction.GetProjectByName(context.organization_id, workspace.meta.id, spec.name).ok()) {
      return NameTaken("project", spec.name, "workspace \"" + workspace.meta.name + "\"");
    }
    Project project{NewMeta(context, kProjectIdPrefix, spec), workspace.meta.id};
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
