// Authorizer: enforcement of the access index's decisions (SPEC section 3).
//
// Every authenticated route names a permission; Authorize checks it on the scope the
// route's path names (the deepest of workspace, project, stack; else the organization).
// Role assignments and custom roles are also guarded against privilege escalation: making
// or changing one requires holding, at its scope, every permission it would grant (as
// Kubernetes RBAC does). Denials are 403 naming what is missing; RecordDenial writes them
// to the audit trail. Thread-safe; borrows the index, store and clock.
#pragma once

#include <map>
#include <string>

#include "authz/access_index.h"
#include "common/clock.h"
#include "common/status.h"
#include "model/roles.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

// The scope an assignment is made at.
authz::Scope AssignmentScope(const RoleAssignment& assignment);

class Authorizer {
 public:
  Authorizer(const authz::AccessIndex& index, Store& store, const Clock& clock)
      : index_(index), store_(store), clock_(clock) {}

  // OK when the caller holds `permission` on the scope `path_params` name; kNotFound when
  // they name nothing in the caller's organization; kPermissionDenied otherwise.
  Status Authorize(const RequestContext& context, const std::string& permission,
                   const std::map<std::string, std::string>& path_params) const;

  // OK when the caller holds `permission` at `scope`; kPermissionDenied naming it otherwise.
  Status Require(const RequestContext& context, const std::string& permission,
                 const authz::Scope& scope) const;

  // Making (`before` null), changing or deleting (`after` null) an assignment: needs
  // role_assignment:create/update/delete at its scope, and for a make or change every
  // permission its role grants there.
  Status GuardAssignment(const RequestContext& context, const RoleAssignment* before,
                         const RoleAssignment* after) const;
  // Adding members to a team gives them everything the team holds: it needs, at the scope
  // of each of the team's assignments, every permission its role grants (as making those
  // assignments would). Removing members, and teams that hold nothing, need nothing more.
  Status GuardTeam(const RequestContext& context, const Team* before, const Team* after) const;
  // Making a key for the user or service account `principal_id`: the key carries all the
  // principal holds (directly and through teams), so the caller must hold it too, at the
  // same scopes. A key for oneself always passes.
  Status GuardKey(const RequestContext& context, const std::string& principal_id) const;
  // Defining or changing a custom role: needs, at the organization, every permission it
  // would grant (own patterns and inherited roles).
  Status GuardRole(const RequestContext& context, const Role& role) const;

  // OK when `roles` is empty or the caller holds one of them (by name, directly or through a
  // team) at the project, its workspace or the organization; else kPermissionDenied whose
  // reason is `rule` ("allowed_roles").
  Status RequireRoleAt(const RequestContext& context, const std::vector<std::string>& roles,
                       const Project& project, const std::string& rule) const;

  // Appends a "denied" audit event for `denial` (a kPermissionDenied status) of the
  // request `what` ("POST /v1/role_assignments").
  void RecordDenial(const RequestContext& context, const std::string& what,
                    const Status& denial) const;

 private:
  authz::Principal Caller(const RequestContext& context) const;
  // OK when the caller holds all of `granted` at `scope`; else kPermissionDenied naming what
  // it lacks (what is about the scope's own kind first) and `why`.
  Status RequireAll(const RequestContext& context, const authz::PermissionSet& granted,
                    const authz::Scope& scope, const std::string& why) const;
  // RequireAll for each assignment that gives `holder_id` what it holds, at its scope;
  // `holder` is how a denial names it, `why` what follows.
  Status RequireAllHeldBy(const RequestContext& context, const std::string& holder_id,
                          const std::string& holder, const std::string& why) const;
  // kPermissionDenied naming `permission` and where.
  Status Denied(const std::string& permission, const std::string& where) const;

  const authz::AccessIndex& index_;
  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
