// Kind<Role> and Kind<RoleAssignment>: the store-dependent rules of custom roles and role
// assignments (see object_kinds.h).
#include <algorithm>
#include <set>

#include "authz/builtin_roles.h"
#include "authz/permissions.h"
#include "model/roles_json.h"
#include "service/object_kinds.h"
#include "service/object_service.h"

namespace rampart {
namespace {

Status Immutable(const std::string& field, const std::string& current) {
  return Status::InvalidArgument(
      field, "cannot change after creation (is " + current + "); make a new assignment instead",
      "immutable");
}

// All assignments of the organization (the set is small next to a check's cost; deletes
// and role deletions are rare).
Result<std::vector<RoleAssignment>> AllAssignments(StoreTransaction& t, const RequestContext& c) {
  ListQuery all;
  all.limit = 0;
  return t.RoleAssignments().List(c.organization_id, c.organization_id, all);
}

// The custom role `ref` (id or name) stands for, or the built-in one named `ref`: the value
// stored in RoleAssignment::role and Role::inherits.
Result<std::string> ResolveRole(StoreTransaction& t, const RequestContext& c,
                                const Organization& organization, const std::string& ref,
                                const std::string& field) {
  if (authz::FindBuiltinRole(ref) != nullptr) return ref;
  RAMPART_ASSIGN_OR_RETURN(Role role, AsReference(ResolveIn<Role>(t, c, organization, ref), field));
  return role.meta.id;
}

// The levels a role (built-in name or custom id) may be assigned at.
Result<std::vector<std::string>> AssignableAt(StoreTransaction& t, const RequestContext& c,
                                              const std::string& role) {
  if (const authz::BuiltinRole* builtin = authz::FindBuiltinRole(role)) {
    std::vector<std::string> levels;
    for (authz::ScopeLevel level : builtin->assignable_at) levels.push_back(authz::ScopeLevelName(level));
    return levels;
  }
  RAMPART_ASSIGN_OR_RETURN(Role custom, t.Roles().GetById(c.organization_id, role));
  return custom.assignable_at;
}

}  // namespace

Status Kind<Role>::Prepare(StoreTransaction& t, const RequestContext& c, const Organization& o,
                           const Role* before, Role& role, TimestampMs) {
  // "viewer", "editor" and "admin" have no dot: a custom role of that name would be shadowed
  // by the built-in wherever a name is resolved (an assignment of "admin" grants the built-in).
  bool named_anew = before == nullptr || before->meta.name != role.meta.name;
  if (named_anew && authz::FindBuiltinRole(role.meta.name) != nullptr) {
    return NameTaken(Kind<Role>::kName, role.meta.name, "the built-in roles");
  }
  // Validated in the order given, so that permissions[i] names the pattern the caller sent.
  for (size_t i = 0; i < role.permissions.size(); ++i) {
    RAMPART_RETURN_IF_ERROR(
        authz::ValidatePattern("permissions[" + std::to_string(i) + "]", role.permissions[i]));
  }
  std::sort(role.permissions.begin(), role.permissions.end());
  role.permissions.erase(std::unique(role.permissions.begin(), role.permissions.end()),
                         role.permissions.end());
  std::vector<std::string> resolved;
  for (size_t i = 0; i < role.inherits.size(); ++i) {
    std::string field = "inherits[" + std::to_string(i) + "]";
    RAMPART_ASSIGN_OR_RETURN(std::string id, ResolveRole(t, c, o, role.inherits[i], field));
    if (id == role.meta.id) {
      return Status::InvalidArgument(field, "a role cannot inherit itself", "inheritance_cycle");
    }
    resolved.push_back(std::move(id));
  }
  std::sort(resolved.begin(), resolved.end());
  resolved.erase(std::unique(resolved.begin(), resolved.end()), resolved.end());
  role.inherits = std::move(resolved);
  // A cycle exists when some inherited custom role reaches this one.
  std::vector<std::string> pending(role.inherits.begin(), role.inherits.end());
  std::set<std::string> seen;
  while (!pending.empty()) {
    std::string next = pending.back();
    pending.pop_back();
    if (authz::FindBuiltinRole(next) != nullptr || !seen.insert(next).second) continue;
    if (next == role.meta.id) {
      return Status::InvalidArgument("inherits", "would make role \"" + role.meta.name +
                                                     "\" inherit itself through other roles",
                                     "inheritance_cycle");
    }
    Result<Role> inherited = t.Roles().GetById(c.organization_id, next);
    if (inherited.ok()) pending.insert(pending.end(), inherited->inherits.begin(), inherited->inherits.end());
  }
  return Status::Ok();
}

Status Kind<Role>::BeforeDelete(StoreTransaction& t, const RequestContext& c, const Role& role,
                                TimestampMs) {
  std::vector<std::string> users;
  RAMPART_ASSIGN_OR_RETURN(std::vector<RoleAssignment> assignments, AllAssignments(t, c));
  for (const RoleAssignment& assignment : assignments) {
    if (assignment.role == role.meta.id) users.push_back(assignment.meta.id);
  }
  ListQuery all;
  all.limit = 0;
  RAMPART_ASSIGN_OR_RETURN(std::vector<Role> roles,
                           t.Roles().List(c.organization_id, c.organization_id, all));
  for (const Role& other : roles) {
    if (std::find(other.inherits.begin(), other.inherits.end(), role.meta.id) != other.inherits.end()) {
      users.push_back("role " + other.meta.name);
    }
  }
  if (users.empty()) return Status::Ok();
  std::string list;
  for (size_t i = 0; i < users.size() && i < 10; ++i) list += (i ? ", " : "") + users[i];
  return Status::Error(StatusCode::kConflict,
                       "role \"" + role.meta.name + "\" is still in use (" + list +
                           "); delete those assignments and inheritances first",
                       "", "in_use");
}

AuditTarget Kind<RoleAssignment>::Target(const RoleAssignment& a) {
  AuditTarget target{"role_assignment", a.meta.id, a.role, "", ""};
  if (a.scope_type == "workspace") target.workspace_id = a.scope_id;
  if (a.scope_type == "project") target.project_id = a.scope_id;
  return target;
}

Status Kind<RoleAssignment>::Prepare(StoreTransaction& t, const RequestContext& c,
                                     const Organization& o, const RoleAssignment* before,
                                     RoleAssignment& assignment, TimestampMs now) {
  RAMPART_ASSIGN_OR_RETURN(std::string role, ResolveRole(t, c, o, assignment.role, "role"));
  std::string principal_field = assignment.principal_type + "_id";
  std::string principal = assignment.principal_id;
  if (assignment.principal_type == kPrincipalUser) {
    RAMPART_ASSIGN_OR_RETURN(User user, AsReference(ResolveIn<User>(t, c, o, principal), principal_field));
    principal = user.meta.id;
  } else if (assignment.principal_type == kPrincipalServiceAccount) {
    RAMPART_ASSIGN_OR_RETURN(ServiceAccount account,
                             AsReference(ResolveIn<ServiceAccount>(t, c, o, principal), principal_field));
    principal = account.meta.id;
  } else if (assignment.principal_type == kPrincipalTeam) {
    RAMPART_ASSIGN_OR_RETURN(Team team, AsReference(ResolveIn<Team>(t, c, o, principal), principal_field));
    principal = team.meta.id;
  }
  std::string scope = o.meta.id;
  std::string scope_field = assignment.scope_type + "_id";
  if (assignment.scope_type == "workspace") {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace,
                             AsReference(ResolveIn<Workspace>(t, c, o, assignment.scope_id), scope_field));
    scope = workspace.meta.id;
  } else if (assignment.scope_type == "project") {
    RAMPART_ASSIGN_OR_RETURN(Project project,
                             AsReference(t.Projects().GetById(c.organization_id, assignment.scope_id), scope_field));
    scope = project.meta.id;
  } else if (assignment.scope_type == "stack") {
    RAMPART_ASSIGN_OR_RETURN(Stack stack,
                             AsReference(t.Stacks().GetById(c.organization_id, assignment.scope_id), scope_field));
    scope = stack.meta.id;
  }
  if (before != nullptr) {
    if (role != before->role) return Immutable("role", before->role);
    if (principal != before->principal_id || assignment.principal_type != before->principal_type) {
      return Immutable(principal_field, before->principal_type + " " + before->principal_id);
    }
    if (scope != before->scope_id) {
      // A scope field set to null moves the assignment to the organization: name that field.
      std::string field = assignment.scope_type == "organization" ? before->scope_type + "_id" : scope_field;
      return Immutable(field, before->scope_type + " " + before->scope_id);
    }
  }
  // A new expiry lies ahead, on update as at creation: one already past would end the grant
  // silently (DELETE ends it, audited as such). An expiry left unchanged may have passed.
  const bool new_expiry = before == nullptr || assignment.expires_at != before->expires_at;
  if (new_expiry && assignment.expires_at && *assignment.expires_at <= now) {
    return Status::InvalidArgument("expires_at", "must lie in the future", "in_the_past");
  }
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> levels, AssignableAt(t, c, role));
  if (std::find(levels.begin(), levels.end(), assignment.scope_type) == levels.end()) {
    std::string allowed;
    for (const std::string& level : levels) allowed += (allowed.empty() ? "" : ", ") + level;
    return Status::InvalidArgument("role",
                                   "role " + assignment.role + " cannot be assigned at " +
                                       assignment.scope_type + " scope (only at: " + allowed + ")",
                                   "not_assignable_here");
  }
  assignment.role = role;
  assignment.principal_id = principal;
  assignment.scope_id = scope;
  assignment.meta.name = role + "|" + principal + "|" + scope;
  return Status::Ok();
}

Status DeleteAssignmentsOf(StoreTransaction& transaction, const RequestContext& context,
                           const std::string& id, TimestampMs now) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<RoleAssignment> assignments,
                           AllAssignments(transaction, context));
  for (const RoleAssignment& assignment : assignments) {
    if (assignment.principal_id != id && assignment.scope_id != id) continue;
    RAMPART_RETURN_IF_ERROR(
        transaction.RoleAssignments().Delete(context.organization_id, assignment.meta.id));
    RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
        MakeAuditEvent(context, now, "role_assignment.delete", Kind<RoleAssignment>::Target(assignment),
                       ToJson(assignment), nullptr)));
  }
  return Status::Ok();
}

}  // namespace rampart
