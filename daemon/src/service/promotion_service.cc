#include "service/promotion_service.h"

#include <algorithm>

#include "governance/promotion_rules.h"
#include "model/validation.h"

namespace rampart {
namespace {

authz::Scope ProjectScope(const Project& project) {
  return {authz::ScopeLevel::kProject, project.meta.id};
}

// The caller as requests name principals: "user:usr_...".
std::string CallerOf(const RequestContext& context) {
  return context.principal_type + ":" + context.principal_id;
}

// The policy in force for `stage` in `project`: the project's own, else its workspace's, else
// the open default (no id: anyone holding model:promote:<stage> promotes at once).
Result<PromotionPolicy> EffectivePolicy(StoreTransaction& t, const RequestContext& c, const Project& project,
                                        const std::string& stage) {
  for (const std::string& scope : {project.meta.id, project.workspace_id}) {
    Result<PromotionPolicy> policy =
        t.PromotionPolicies().GetByName(c.organization_id, c.organization_id, scope + "/" + stage);
    if (policy.ok() || policy.status().code() != StatusCode::kNotFound) return policy;
  }
  PromotionPolicy open;
  open.stage = stage;
  return open;
}

Status Closed(const PromotionRequest& request, const std::string& action) {
  return Status::Error(StatusCode::kConflict,
                       "promotion request " + request.meta.id + " is " + request.status + ": it cannot " +
                           action + " any more",
                       "", "request_closed");
}

// The version a request names: an id, or "MODEL/VERSION" in the request's project.
Result<ModelVersion> ResolveVersion(StoreTransaction& t, const RequestContext& c, const Project& project,
                                    const std::string& ref) {
  const std::string field = "model_version";
  if (IsIdOf(ref, kModelVersionIdPrefix)) {
    RAMPART_ASSIGN_OR_RETURN(ModelVersion version,
                             AsReference(t.ModelVersions().GetById(c.organization_id, ref), field));
    if (version.project_id != project.meta.id) {
      return Status::Error(StatusCode::kUnprocessable,
                           field + ": model version " + ref + " is not in project " + project.meta.name,
                           field, "reference_not_found");
    }
    return version;
  }
  size_t slash = ref.find('/');
  if (slash == std::string::npos) {
    return Status::InvalidArgument(field, "must be a model version id (mv_...) or MODEL/VERSION", "reference");
  }
  RAMPART_ASSIGN_OR_RETURN(Model model, AsReference(ResolveIn<Model>(t, c, project, ref.substr(0, slash)), field));
  return AsReference(ResolveIn<ModelVersion>(t, c, model, ref.substr(slash + 1)), field);
}

// Stores `version` as its next revision with the audit event "model_version.<action>".
Status SaveVersion(StoreTransaction& t, const RequestContext& c, TimestampMs now, const std::string& action,
                   const nlohmann::json& before, ModelVersion& version) {
  StampChanged(now, version.meta);
  RAMPART_RETURN_IF_ERROR(t.ModelVersions().Update(version));
  return t.AppendAuditEvent(MakeAuditEvent(c, now, "model_version." + action,
                                           Kind<ModelVersion>::Target(version), before, ToJson(version)));
}

// Stores `request` as its next revision with the audit event "promotion_request.<action>".
Status SaveRequest(StoreTransaction& t, const RequestContext& c, TimestampMs now, const std::string& action,
                   const nlohmann::json& before, PromotionRequest& request) {
  StampChanged(now, request.meta);
  RAMPART_RETURN_IF_ERROR(t.PromotionRequests().Update(request));
  return t.AppendAuditEvent(MakeAuditEvent(c, now, "promotion_request." + action,
                                           Kind<PromotionRequest>::Target(request), before, ToJson(request)));
}

// Moves the request's version to its stage, archiving the version of the same model that
// held it, and marks the request applied (the caller saves it).
Status ApplyPromotion(StoreTransaction& t, const RequestContext& c, TimestampMs now, PromotionRequest& request) {
  Result<ModelVersion> found = t.ModelVersions().GetById(c.organization_id, request.model_version_id);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return Status::Error(StatusCode::kConflict,
                         "model version " + request.model_version_id + " was deleted: the request cannot apply",
                         "", "version_deleted");
  }
  ModelVersion version = std::move(found).value();
  if (request.target_stage != kStageArchived) {
    RAMPART_ASSIGN_OR_RETURN(std::vector<ModelVersion> siblings, AllIn<ModelVersion>(t, c, version.model_id));
    for (ModelVersion& holder : siblings) {
      if (holder.meta.id == version.meta.id || holder.stage != request.target_stage) continue;
      nlohmann::json before = ToJson(holder);
      holder.stage = kStageArchived;
      RAMPART_RETURN_IF_ERROR(SaveVersion(t, c, now, "archive", before, holder));
      if (request.previous_version_id.empty()) request.previous_version_id = holder.meta.id;
    }
  }
  nlohmann::json before = ToJson(version);
  version.stage = request.target_stage;
  RAMPART_RETURN_IF_ERROR(SaveVersion(t, c, now, "promote", before, version));
  request.status = kRequestApplied;
  request.applied_at = now;
  return Status::Ok();
}

// Everything that must hold for the caller to make, or apply, a promotion under `policy`.
Status CheckMayPromote(const Authorizer& authorizer, const RequestContext& c, const Project& project,
                       const PromotionPolicy& policy, const ModelVersion& version, TimestampMs now) {
  RAMPART_RETURN_IF_ERROR(authorizer.Require(c, "model:promote:" + policy.stage, ProjectScope(project)));
  RAMPART_RETURN_IF_ERROR(authorizer.RequireRoleAt(c, policy.allowed_roles, project, "allowed_roles"));
  RAMPART_RETURN_IF_ERROR(governance::CheckVersionRules(policy, version));
  return governance::CheckWindow(policy, now);
}

// May the caller approve or reject requests for `policy`'s stage?
Status CheckMayDecide(const Authorizer& authorizer, const RequestContext& c, const Project& project,
                      const PromotionPolicy& policy) {
  RAMPART_RETURN_IF_ERROR(authorizer.Require(c, "model:approve:" + policy.stage, ProjectScope(project)));
  return authorizer.RequireRoleAt(c, policy.approver_roles, project, "approver_roles");
}

Result<std::string> ReadComment(const nlohmann::json& body, bool required) {
  std::string comment;
  RAMPART_RETURN_IF_ERROR(ApplyText(body, "comment", kMaxCommentLength, comment));
  if (required && comment.empty()) {
    return Status::InvalidArgument("comment", "is required: say why", "required");
  }
  return comment;
}

}  // namespace

Result<PromotionRequest> PromotionService::Create(const RequestContext& context, const ObjectPath& project_path,
                                                  const nlohmann::json& body) {
  PromotionRequest request{};
  RAMPART_RETURN_IF_ERROR(ApplyPatch(body, PatchMode::kCreate, request));
  const std::string action = "promotion_request.create";
  const TimestampMs now = clock_.Now();
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Project project, ResolvePath<Project>(t, context, project_path));
    const std::string fingerprint = RequestFingerprint(action, project.meta.id, body);
    RAMPART_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                             FindEarlierCreate(t, context, action, fingerprint, now));
    if (earlier) {
      Result<PromotionRequest> first = t.PromotionRequests().GetById(context.organization_id, *earlier);
      if (!first.ok()) return CreatedThenDeleted(*earlier);
      // A retry answers only a caller who could have made it (the key may be another's).
      RAMPART_RETURN_IF_ERROR(
          authorizer_.Require(context, "model:promote:" + first->target_stage, ProjectScope(project)));
      request = std::move(first).value();
      return Status::Ok();
    }
    RAMPART_ASSIGN_OR_RETURN(ModelVersion version, ResolveVersion(t, context, project, request.model_version_id));
    RAMPART_ASSIGN_OR_RETURN(const PromotionPolicy policy,
                             EffectivePolicy(t, context, project, request.target_stage));
    RAMPART_RETURN_IF_ERROR(CheckMayPromote(authorizer_, context, project, policy, version, now));
    if (version.stage == request.target_stage) {
      return Status::Error(StatusCode::kConflict,
                           "model version " + version.meta.name + " is already in " + version.stage, "target_stage",
                           "already_in_stage");
    }
    RAMPART_ASSIGN_OR_RETURN(std::vector<PromotionRequest> requests,
                             AllIn<PromotionRequest>(t, context, project.meta.id));
    for (const PromotionRequest& other : requests) {
      if (IsOpen(other) && other.model_version_id == version.meta.id && other.target_stage == request.target_stage) {
        return Status::Error(StatusCode::kConflict,
                             "promotion request " + other.meta.id + " for this version and stage is still " +
                                 other.status + "; approve, apply or cancel it",
                             "model_version", "request_open");
      }
    }
    Result<Model> model = t.Models().GetById(context.organization_id, version.model_id);
    RAMPART_RETURN_IF_ERROR(model.status());
    StampNew(context, kPromotionRequestIdPrefix, now, request.meta);
    request.meta.name = request.meta.id;
    Kind<PromotionRequest>::Attach(project, request);
    request.model_id = version.model_id;
    request.model_version_id = version.meta.id;
    request.model = model->meta.name;
    request.version = version.meta.name;
    request.requested_by = CallerOf(context);
    request.policy_id = policy.meta.id;
    request.approvals_required = policy.approval_required ? policy.min_approvers : 0;
    RAMPART_RETURN_IF_ERROR(t.PromotionRequests().Insert(request));
    RAMPART_RETURN_IF_ERROR(RememberCreate(t, context, action, fingerprint, request.meta.id, now));
    RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(MakeAuditEvent(
        context, now, action, Kind<PromotionRequest>::Target(request), nullptr, ToJson(request))));
    if (!governance::Progress(policy, request).satisfied) return Status::Ok();
    nlohmann::json before = ToJson(request);
    RAMPART_RETURN_IF_ERROR(ApplyPromotion(t, context, now, request));
    return SaveRequest(t, context, now, "apply", before, request);
  }));
  return request;
}

Result<PromotionRequest> PromotionService::Act(const RequestContext& context, const ObjectPath& path,
                                               const Step& step) {
  std::optional<PromotionRequest> result;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& t) -> Status {
    ObjectPath project_path(path.begin(), path.end() - 1);
    RAMPART_ASSIGN_OR_RETURN(Project project, ResolvePath<Project>(t, context, project_path));
    RAMPART_ASSIGN_OR_RETURN(PromotionRequest request, ResolveIn<PromotionRequest>(t, context, project, path.back()));
    RAMPART_RETURN_IF_ERROR(step(t, project, request));
    result = std::move(request);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<PromotionRequest> PromotionService::Approve(const RequestContext& context, const ObjectPath& path,
                                                   const nlohmann::json& body) {
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(body, {"type", "comment"}));
  std::string type;
  RAMPART_RETURN_IF_ERROR(ApplyText(body, "type", kMaxNameLength, type));
  RAMPART_ASSIGN_OR_RETURN(std::string comment, ReadComment(body, false));
  const TimestampMs now = clock_.Now();
  return Act(context, path, [&](StoreTransaction& t, const Project& project, PromotionRequest& request) -> Status {
    RAMPART_ASSIGN_OR_RETURN(const PromotionPolicy policy,
                             EffectivePolicy(t, context, project, request.target_stage));
    RAMPART_RETURN_IF_ERROR(CheckMayDecide(authorizer_, context, project, policy));
    if (request.status != kRequestRequested) return Closed(request, "be approved");
    const std::string caller = CallerOf(context);
    if (policy.four_eyes && caller == request.requested_by) {
      return Status::Error(StatusCode::kPermissionDenied,
                           "permission denied: four eyes: the requester of promotion request " + request.meta.id +
                               " cannot approve it; another approver must",
                           "", "four_eyes");
    }
    for (const PromotionDecision& decision : request.decisions) {
      if (decision.principal == caller) {
        return Status::Error(StatusCode::kConflict,
                             caller + " already decided on promotion request " + request.meta.id + " (" +
                                 decision.decision + "); approvals count once per approver",
                             "", "already_decided");
      }
    }
    if (!policy.approval_types.empty() &&
        std::find(policy.approval_types.begin(), policy.approval_types.end(), type) == policy.approval_types.end()) {
      std::string listed;
      for (const std::string& known : policy.approval_types) listed += (listed.empty() ? "" : ", ") + known;
      return Status::InvalidArgument("type", "must be one of the policy's approval types: " + listed,
                                     "unknown_approval_type");
    }
    if (!type.empty()) RAMPART_RETURN_IF_ERROR(ValidateName("type", type));
    nlohmann::json before = ToJson(request);
    request.decisions.push_back({caller, "approve", type, comment, now});
    request.approvals_required = policy.approval_required ? policy.min_approvers : 0;
    if (governance::Progress(policy, request).satisfied) request.status = kRequestApproved;
    RAMPART_RETURN_IF_ERROR(SaveRequest(t, context, now, "approve", before, request));
    if (request.status != kRequestApproved) return Status::Ok();
    // The approval that satisfies the policy applies the request, unless the rules no longer
    // hold now (a window opened, a tag was removed): it then waits, approved, for apply.
    Result<ModelVersion> version = t.ModelVersions().GetById(context.organization_id, request.model_version_id);
    if (!version.ok() || !governance::CheckVersionRules(policy, *version).ok() ||
        !governance::CheckWindow(policy, now).ok()) {
      return Status::Ok();
    }
    before = ToJson(request);
    RAMPART_RETURN_IF_ERROR(ApplyPromotion(t, context, now, request));
    return SaveRequest(t, context, now, "apply", before, request);
  });
}

Result<PromotionRequest> PromotionService::Reject(const RequestContext& context, const ObjectPath& path,
                                                  const nlohmann::json& body) {
  return Close(context, path, body, "reject", kRequestRejected, /*requester_may=*/false);
}

Result<PromotionRequest> PromotionService::Cancel(const RequestContext& context, const ObjectPath& path,
                                                  const nlohmann::json& body) {
  return Close(context, path, body, "cancel", kRequestCancelled, /*requester_may=*/true);
}

Result<PromotionRequest> PromotionService::Close(const RequestContext& context, const ObjectPath& path,
                                                 const nlohmann::json& body, const std::string& decision,
                                                 const std::string& status, bool requester_may) {
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(body, {"comment"}));
  // A rejection says why; a requester withdrawing their own request need not.
  RAMPART_ASSIGN_OR_RETURN(std::string comment, ReadComment(body, !requester_may));
  const TimestampMs now = clock_.Now();
  return Act(context, path, [&](StoreTransaction& t, const Project& project, PromotionRequest& request) -> Status {
    if (!requester_may || CallerOf(context) != request.requested_by) {
      RAMPART_ASSIGN_OR_RETURN(PromotionPolicy policy, EffectivePolicy(t, context, project, request.target_stage));
      RAMPART_RETURN_IF_ERROR(CheckMayDecide(authorizer_, context, project, policy));
    }
    if (!IsOpen(request)) {
      return Closed(request, "be " + status);
    }
    nlohmann::json before = ToJson(request);
    request.decisions.push_back({CallerOf(context), decision, "", comment, now});
    request.status = status;
    return SaveRequest(t, context, now, decision, before, request);
  });
}

Result<PromotionRequest> PromotionService::Apply(const RequestContext& context, const ObjectPath& path,
                                                 const nlohmann::json& body) {
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(body, {}));
  const TimestampMs now = clock_.Now();
  return Act(context, path, [&](StoreTransaction& t, const Project& project, PromotionRequest& request) -> Status {
    RAMPART_ASSIGN_OR_RETURN(const PromotionPolicy policy,
                             EffectivePolicy(t, context, project, request.target_stage));
    if (request.status != kRequestApproved) {
      if (request.status == kRequestRequested) {
        RAMPART_RETURN_IF_ERROR(authorizer_.Require(context, "model:promote:" + policy.stage, ProjectScope(project)));
        governance::ApprovalProgress progress = governance::Progress(policy, request);
        if (!progress.satisfied) {
          std::string missing = std::to_string(progress.approvers) + " of " + std::to_string(policy.min_approvers) +
                                " approvers";
          for (const std::string& type : progress.missing_types) missing += ", no " + type + " approval";
          return Status::Error(StatusCode::kConflict,
                               "promotion request " + request.meta.id + " is not approved yet (" + missing + ")", "",
                               "not_approved");
        }
      } else {
        return Closed(request, "be applied");
      }
    }
    Result<ModelVersion> version = t.ModelVersions().GetById(context.organization_id, request.model_version_id);
    if (!version.ok() && version.status().code() != StatusCode::kNotFound) return version.status();
    if (version.ok()) RAMPART_RETURN_IF_ERROR(CheckMayPromote(authorizer_, context, project, policy, *version, now));
    nlohmann::json before = ToJson(request);
    RAMPART_RETURN_IF_ERROR(ApplyPromotion(t, context, now, request));
    return SaveRequest(t, context, now, "apply", before, request);
  });
}

Result<PromotionPolicy> PromotionService::GetPolicyAt(const RequestContext& context, const ObjectPath& scope,
                                                      const std::string& stage) {
  std::optional<PromotionPolicy> policy;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& t) -> Status {
    std::string scope_id;
    if (scope.size() == 1) {
      RAMPART_ASSIGN_OR_RETURN(Workspace workspace, ResolvePath<Workspace>(t, context, scope));
      scope_id = workspace.meta.id;
    } else {
      RAMPART_ASSIGN_OR_RETURN(Project project, ResolvePath<Project>(t, context, scope));
      scope_id = project.meta.id;
    }
    RAMPART_ASSIGN_OR_RETURN(policy, t.PromotionPolicies().GetByName(context.organization_id,
                                                                      context.organization_id,
                                                                      scope_id + "/" + stage));
    return Status::Ok();
  }));
  return std::move(*policy);
}

}  // namespace rampart
