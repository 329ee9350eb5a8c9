#include "service/authorizer.h"

#include <algorithm>

#include "common/logging.h"
#include "service/audit_recorder.h"

namespace rampart {
namespace {

std::string Describe(const authz::Scope& scope) {
  return std::string(authz::ScopeLevelName(scope.level)) + " " + scope.id;
}

}  // namespace

authz::Scope AssignmentScope(const RoleAssignment& assignment) {
  authz::ScopeLevel level = authz::ScopeLevel::kOrganization;
  authz::ParseScopeLevel(assignment.scope_type, level);
  return authz::Scope{level, assignment.scope_id};
}

authz::Principal Authorizer::Caller(const RequestContext& context) const {
  return authz::Principal{context.principal_type, context.principal_id};
}

Status Authorizer::Denied(const std::string& permission, const std::string& where) const {
  return Status::Error(StatusCode::kPermissionDenied,
                       "permission denied: " + permission + " is required on " + where, "",
                       "missing_permission");
}

Status Authorizer::Require(const RequestContext& context, const std::string& permission,
                           const authz::Scope& scope) const {
  std::optional<size_t> index = authz::PermissionIndex(permission);
  if (index && index_.Check(Caller(context), *index, scope, clock_.Now()).allowed) {
    return Status::Ok();
  }
  return Denied(permission, Describe(scope));
}

Status Authorizer::Authorize(const RequestContext& context, const std::string& permission,
                             const std::map<std::string, std::string>& path_params) const {
  auto param = [&](const char* name) -> const std::string* {
    auto found = path_params.find(name);
    return found == path_params.end() ? nullptr : &found->second;
  };
  authz::Scope scope{authz::ScopeLevel::kOrganization, context.organization_id};
  if (const std::string* workspace = param("workspace")) {
    std::string path = "workspaces/" + *workspace;
    // A binding belongs to its project: the {stack} under a project is not the scope.
    if (const std::string* project = param("project")) {
      path += "/projects/" + *project;
    } else if (const std::string* stack = param("stack")) {
      path += "/stacks/" + *stack;
    }
    RAMPART_ASSIGN_OR_RETURN(scope, index_.ResolveScope(context.organization_id, path, "path"));
  } else {
    for (const char* name : {"project", "stack"}) {
      const std::string* id = param(name);
      if (id == nullptr) continue;
      std::optional<authz::Scope> found = index_.ScopeOf(context.organization_id, *id);
      if (!found) return Status::NotFound(std::string(name) + " " + *id + " not found");
      scope = *found;
    }
  }
  return Require(context, permission, scope);
}

Status Authorizer::RequireRoleAt(const RequestContext& context, const std::vector<std::string>& roles,
                                 const Project& project, const std::string& rule) const {
  if (roles.empty()) return Status::Ok();
  for (const authz::AccessRow& row : index_.HeldBy(context.principal_id, clock_.Now())) {
    bool covers = row.scope.level == authz::ScopeLevel::kOrganization ||
                  (row.scope.level == authz::ScopeLevel::kWorkspace && row.scope.id == project.workspace_id) ||
                  (row.scope.level == authz::ScopeLevel::kProject && row.scope.id == project.meta.id);
    if (covers && std::find(roles.begin(), roles.end(), row.role_name) != roles.end()) return Status::Ok();
  }
  std::string listed;
  for (const std::string& role : roles) listed += (listed.empty() ? "" : ", ") + role;
  return Status::Error(StatusCode::kPermissionDenied,
                       "permission denied: the promotion policy's " + rule + " require one of the roles " +
                           listed + " on project " + project.meta.name + " or above",
                       "", rule);
}

Status Authorizer::GuardAssignment(const RequestContext& context, const RoleAssignment* before,
                                   const RoleAssignment* after) const {
  const RoleAssignment& assignment = after != nullptr ? *after : *before;
  authz::Scope scope = AssignmentScope(assignment);
  const char* permission = before == nullptr   ? "role_assignment:create"
                           : after == nullptr ? "role_assignment:delete"
                                              : "role_assignment:update";
  RAMPART_RETURN_IF_ERROR(Require(context, permission, scope));
  if (after == nullptr) return Status::Ok();
  std::optional<authz::PermissionSet> granted = index_.RolePermissions(assignment.role);
  if (!granted) return Status::Ok();  // unknown roles were refused when resolved
  return RequireAll(context, *granted, scope,
                    Describe(scope) + ": role " + assignment.role +
                        " grants it, and you cannot grant more than you hold");
}

Status Authorizer::RequireAll(const RequestContext& context, const authz::PermissionSet& granted,
                              const authz::Scope& scope, const std::string& why) const {
  authz::PermissionSet held = index_.Effective(Caller(context), scope, clock_.Now());
  std::vector<std::string> missing = held.Missing(granted);
  if (missing.empty()) return Status::Ok();
  // Name first what is about the scope itself ("stack:delete" on a stack), not what a
  // wildcard role also grants there ("organization:create").
  std::stable_partition(missing.begin(), missing.end(), [&](const std::string& permission) {
    return permission.rfind(std::string(authz::ScopeLevelName(scope.level)) + ":", 0) == 0;
  });
  std::string more =
      missing.size() > 1 ? " (and " + std::to_string(missing.size() - 1) + " more)" : "";
  return Denied(missing.front() + more, why);
}

Status Authorizer::GuardTeam(const RequestContext& context, const Team* before,
                             const Team* after) const {
  if (after == nullptr) return Status::Ok();
  bool adds = false;
  for (const std::string& member : after->members) {
    bool known = before != nullptr && std::find(before->members.begin(), before->members.end(),
                                                member) != before->members.end();
    adds = adds || !known;
  }
  if (!adds) return Status::Ok();
  return RequireAllHeldBy(context, after->meta.id, "team \"" + after->meta.name + "\"",
                          "you cannot give its members more than you hold");
}

Status Authorizer::GuardKey(const RequestContext& context, const std::string& principal_id) const {
  std::string name = index_.NameOf(principal_id);
  return RequireAllHeldBy(context, principal_id, name.empty() ? principal_id : name,
                          "a key carries all its holder holds, and you cannot hand out more than you hold");
}

Status Authorizer::RequireAllHeldBy(const RequestContext& context, const std::string& holder_id,
                                    const std::string& holder, const std::string& why) const {
  for (const authz::AccessRow& held : index_.HeldBy(holder_id, clock_.Now())) {
    std::optional<authz::PermissionSet> granted = index_.RolePermissions(held.role);
    if (!granted) continue;
    std::string through = held.via_team_id.empty() ? "" : " through team " + index_.NameOf(held.via_team_id);
    RAMPART_RETURN_IF_ERROR(RequireAll(context, *granted, held.scope,
                                       Describe(held.scope) + ": " + holder + " holds " +
                                           held.role_name + " there" + through + ", and " + why));
  }
  return Status::Ok();
}

Status Authorizer::GuardRole(const RequestContext& context, const Role& role) const {
  authz::PermissionSet granted = authz::PermissionSet::FromPatterns(role.permissions);
  for (const std::string& inherited : role.inherits) {
    if (std::optional<authz::PermissionSet> set = index_.RolePermissions(inherited)) granted.Add(*set);
  }
  authz::Scope organization{authz::ScopeLevel::kOrganization, context.organization_id};
  return RequireAll(context, granted, organization,
                    "the organization: a role cannot grant more than its author holds");
}

void Authorizer::RecordDenial(const RequestContext& context, const std::string& what,
                              const Status& denial) const {
  if (context.organization_id.empty()) return;
  AuditEvent event = MakeAuditEvent(context, clock_.Now(), "access.denied",
                                    AuditTarget{"request", "", what, "", ""}, nullptr,
                                    nlohmann::json{{"reason", denial.message()}});
  event.outcome = "denied";
  Status recorded = store_.Write([&](StoreTransaction& transaction) {
    return transaction.AppendAuditEvent(event);
  });
  if (!recorded.ok()) {
    NamedLogger("authz")->warn("cannot record a denial in the audit trail: {}", recorded.message());
  }
}

}  // namespace rampart
