#include "service/tenancy_service.h"

#include "auth/api_key.h"
#include "model/tenancy_json.h"
#include "service/api_key_service.h"
#include "service/audit_recorder.h"
#include "service/idempotency.h"
#include "service/object_rules.h"
#include "service/object_service.h"

namespace rampart {
namespace {

AuditTarget TargetOf(const Organization& organization) {
  return {"organization", organization.meta.id, organization.meta.name, "", ""};
}

// kAlreadyExists when another organization of the daemon has `name`.
Status CheckOrganizationNameFree(StoreTransaction& transaction, const std::string& name,
                                 const std::string& except_id) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> existing, transaction.ListOrganizations());
  for (const Organization& organization : existing) {
    if (organization.meta.name == name && organization.meta.id != except_id) {
      return NameTaken("organization", name, "this daemon");
    }
  }
  return Status::Ok();
}

// kConflict naming the first kind of object the organization still holds.
template <typename T>
Status RefuseWhileAny(StoreTransaction& transaction, const RequestContext& context,
                      const char* what) {
  ListQuery first;
  first.limit = 1;
  RAMPART_ASSIGN_OR_RETURN(
      std::vector<T> rows,
      Kind<T>::Table(transaction).List(context.organization_id, context.organization_id, first));
  if (rows.empty()) return Status::Ok();
  return Status::Error(StatusCode::kConflict,
                       std::string("the organization still has ") + what + " (\"" +
                           rows.front().meta.name + "\", ...); delete them first",
                       "", "in_use");
}

}  // namespace

Result<CreatedOrganization> TenancyService::InsertOrganization(StoreTransaction& transaction,
                                                               Organization organization,
                                                               const RequestContext& creator,
                                                               bool system_admin_key) {
  RAMPART_RETURN_IF_ERROR(CheckOrganizationNameFree(transaction, organization.meta.name, ""));
  StampNew(creator, kOrganizationIdPrefix, clock_.Now(), organization.meta);
  organization.meta.organization_id = organization.meta.id;
  RAMPART_RETURN_IF_ERROR(transaction.InsertOrganization(organization));

  IssuedApiKey key = IssueApiKey(organization.meta.id, system_admin_key,
                                 "first admin key of " + organization.meta.name, clock_.Now());
  RAMPART_RETURN_IF_ERROR(transaction.InsertApiKey(key.record));

  // The new organization's trail starts with its own creation, by whom and from where.
  RequestContext in_new_organization = creator;
  in_new_organization.organization_id = organization.meta.id;
  RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
      MakeAuditEvent(in_new_organization, clock_.Now(), "organization.create",
                     TargetOf(organization), nullptr, ToJson(organization))));

  // The first key administers the organization through an ordinary, visible assignment.
  RoleAssignment admin;
  admin.role = "organization.admin";
  admin.principal_type = kPrincipalApiKey;
  admin.principal_id = key.record.id;
  admin.scope_type = "organization";
  admin.scope_id = organization.meta.id;
  admin.reason = "first admin key of the organization";
  StampNew(in_new_organization, kRoleAssignmentIdPrefix, clock_.Now(), admin.meta);
  admin.meta.name = admin.role + "|" + admin.principal_id + "|" + admin.scope_id;
  RAMPART_RETURN_IF_ERROR(transaction.RoleAssignments().Insert(admin));
  RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
      MakeAuditEvent(in_new_organization, clock_.Now(), "role_assignment.create",
                     Kind<RoleAssignment>::Target(admin), nullptr, ToJson(admin))));
  return CreatedOrganization{organization, key.record.id, key.token};
}

Result<CreatedOrganization> TenancyService::Bootstrap(const std::string& organization_name) {
  Organization organization;
  RAMPART_RETURN_IF_ERROR(
      ApplyPatch(nlohmann::json{{"name", organization_name}}, PatchMode::kCreate, organization));
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
    RAMPART_ASSIGN_OR_RETURN(created, InsertOrganization(transaction, organization, bootstrap, true));
    return Status::Ok();
  }));
  return std::move(*created);
}

Result<CreatedOrganization> TenancyService::CreateOrganization(const RequestContext& context,
                                                               const nlohmann::json& body) {
  if (!context.system_admin) {
    return Status::Error(StatusCode::kPermissionDenied,
                         "creating organizations requires the system administrator's key", "",
                         "system_admin");
  }
  Organization organization;
  RAMPART_RETURN_IF_ERROR(ApplyPatch(body, PatchMode::kCreate, organization));
  std::optional<CreatedOrganization> created;
  const std::string fingerprint = RequestFingerprint("organization.create", "", body);
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(
        std::optional<std::string> earlier,
        FindEarlierCreate(transaction, context, "organization.create", fingerprint, clock_.Now()));
    // The first answer carried the new organization's only copy of its admin token.
    if (earlier) return CreatedWithSecret(*earlier);
    RAMPART_ASSIGN_OR_RETURN(created, InsertOrganization(transaction, organization, context, false));
    RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, "organization.create",
                                           fingerprint, created->organization.meta.id,
                                           clock_.Now()));
    // The creator's own organization records that it created another one.
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(),
                                                       "organization.create",
                                                       TargetOf(created->organization), nullptr,
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

Result<Organization> TenancyService::UpdateOrganization(const RequestContext& context,
                                                        const nlohmann::json& patch,
                                                        std::optional<int64_t> if_match) {
  std::optional<Organization> updated;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Organization organization,
                             transaction.GetOrganization(context.organization_id));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, organization.meta));
    const nlohmann::json before = ToJson(organization);
    RAMPART_RETURN_IF_ERROR(ApplyPatch(patch, PatchMode::kUpdate, organization));
    if (ToJson(organization) != before) {
      RAMPART_RETURN_IF_ERROR(
          CheckOrganizationNameFree(transaction, organization.meta.name, organization.meta.id));
      StampChanged(clock_.Now(), organization.meta);
      RAMPART_RETURN_IF_ERROR(transaction.UpdateOrganization(organization));
      RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
          MakeAuditEvent(context, clock_.Now(), "organization.update", TargetOf(organization),
                         before, ToJson(organization))));
    }
    updated = std::move(organization);
    return Status::Ok();
  }));
  return std::move(*updated);
}

Status TenancyService::DeleteOrganization(const RequestContext& context,
                                          std::optional<int64_t> if_match) {
  return store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Organization organization,
                             transaction.GetOrganization(context.organization_id));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, organization.meta));
    // The organization's own keys: its first admin key (no principal).
    RAMPART_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> keys,
                             transaction.ListApiKeys(context.organization_id, "", ""));
    for (const ApiKeyRecord& key : keys) {
      if (key.system_admin) {
        return Status::Error(StatusCode::kConflict,
                             "organization \"" + organization.meta.name +
                                 "\" holds the system administrator's key and cannot be deleted",
                             "", "system_organization");
      }
    }
    RAMPART_RETURN_IF_ERROR(RefuseWhileAny<Workspace>(transaction, context, "workspaces"));
    RAMPART_RETURN_IF_ERROR(RefuseWhileAny<User>(transaction, context, "users"));
    RAMPART_RETURN_IF_ERROR(
        RefuseWhileAny<ServiceAccount>(transaction, context, "service accounts"));
    RAMPART_RETURN_IF_ERROR(RefuseWhileAny<Team>(transaction, context, "teams"));
    RAMPART_RETURN_IF_ERROR(RefuseWhileAny<Role>(transaction, context, "custom roles"));
    RAMPART_RETURN_IF_ERROR(transaction.DeleteOrganization(organization.meta.id));
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(),
                                                       "organization.delete",
                                                       TargetOf(organization),
                                                       ToJson(organization), nullptr));
  });
}

}  // namespace rampart
