// Kind<Model>, Kind<ModelVersion> and Kind<PromotionPolicy>: the store-dependent rules of
// model governance's objects (see object_kinds.h). Promotion requests change only through
// their use cases (promotion_service.h).
#include "authz/builtin_roles.h"
#include "governance/deployment_window.h"
#include "service/object_kinds.h"
#include "service/object_service.h"

namespace rampart {
namespace {

// Every role a policy names exists: built-in, or a custom role of the organization by name.
Status CheckRolesExist(StoreTransaction& t, const RequestContext& c,
                       const std::vector<std::string>& roles, const std::string& field) {
  for (size_t i = 0; i < roles.size(); ++i) {
    if (authz::FindBuiltinRole(roles[i]) != nullptr) continue;
    Result<Role> custom = t.Roles().GetByName(c.organization_id, c.organization_id, roles[i]);
    if (custom.ok()) continue;
    if (custom.status().code() != StatusCode::kNotFound) return custom.status();
    std::string entry = field + "[" + std::to_string(i) + "]";
    return Status::Error(StatusCode::kUnprocessable,
                         entry + ": no built-in or custom role is named \"" + roles[i] + "\"", entry,
                         "reference_not_found");
  }
  return Status::Ok();
}

}  // namespace

Status Kind<Model>::BeforeDelete(StoreTransaction& t, const RequestContext& c, const Model& m,
                                 TimestampMs) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<ModelVersion> versions, AllIn<ModelVersion>(t, c, m.meta.id));
  if (versions.empty()) return Status::Ok();
  std::vector<std::string> names;
  for (const ModelVersion& version : versions) names.push_back(version.meta.name);
  return InUse("model \"" + m.meta.name + "\"", "still has versions", names, "delete them first");
}

Status Kind<ModelVersion>::BeforeDelete(StoreTransaction& t, const RequestContext& c,
                                        const ModelVersion& v, TimestampMs) {
  const std::string what = "model version \"" + v.meta.name + "\"";
  if (v.stage == kStageStaging || v.stage == kStageProduction) {
    return InUse(what, "holds a stage", {v.stage},
                 "promote another version to " + v.stage + " (which archives this one) first");
  }
  RAMPART_ASSIGN_OR_RETURN(std::vector<PromotionRequest> requests,
                           AllIn<PromotionRequest>(t, c, v.project_id));
  std::vector<std::string> open;
  for (const PromotionRequest& request : requests) {
    if (request.model_version_id == v.meta.id && IsOpen(request)) open.push_back(request.meta.id);
  }
  if (open.empty()) return Status::Ok();
  return InUse(what, "has open promotion requests", open, "cancel them first");
}

Status Kind<PromotionPolicy>::Prepare(StoreTransaction& t, const RequestContext& c,
                                      const Organization& o, const PromotionPolicy* before,
                                      PromotionPolicy& policy, TimestampMs) {
  // The patch left the reference it was given in workspace_id or project_id.
  std::string scope_field = policy.project_id.empty() ? "workspace_id" : "project_id";
  if (!policy.project_id.empty()) {
    RAMPART_ASSIGN_OR_RETURN(Project project,
                             AsReference(t.Projects().GetById(c.organization_id, policy.project_id), scope_field));
    policy.project_id = project.meta.id;
    policy.workspace_id = project.workspace_id;
  } else {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             AsReference(ResolveIn<Workspace>(t, c, o, policy.workspace_id), scope_field));
    policy.workspace_id = workspace.meta.id;
  }
  if (before != nullptr &&
      (policy.workspace_id != before->workspace_id || policy.project_id != before->project_id)) {
    std::string current = before->project_id.empty() ? "workspace " + before->workspace_id
                                                     : "project " + before->project_id;
    return Status::InvalidArgument(scope_field,
                                   "cannot change after creation (is " + current +
                                       "); make a new policy instead",
                                   "immutable");
  }
  RAMPART_RETURN_IF_ERROR(CheckRolesExist(t, c, policy.allowed_roles, "allowed_roles"));
  RAMPART_RETURN_IF_ERROR(CheckRolesExist(t, c, policy.approver_roles, "approver_roles"));
  for (size_t i = 0; i < policy.blocked_windows.size(); ++i) {
    const std::string& zone = policy.blocked_windows[i].time_zone;
    if (!governance::IsKnownTimeZone(zone)) {
      return Status::InvalidArgument("blocked_windows[" + std::to_string(i) + "].time_zone",
                                     "unknown time zone \"" + zone.substr(0, 80) +
                                         "\": use an IANA name such as UTC or Europe/Berlin",
                                     "unknown_time_zone");
    }
  }
  std::string scope_id = policy.project_id.empty() ? policy.workspace_id : policy.project_id;
  policy.meta.name = scope_id + "/" + policy.stage;
  return Status::Ok();
}

}  // namespace rampart
