// Services: every use case of the daemon over one store and clock, built once and handed to
// the route table. Owns the services; borrows the Store and Clock, which must outlive it.
// Thread-safe, as each service is.
#pragma once

#include "authz/access_index.h"
#include "service/api_key_service.h"
#include "service/audit_log_service.h"
#include "service/authorizer.h"
#include "service/object_service.h"
#include "service/team_members.h"
#include "service/tenancy_service.h"

namespace rampart {

struct Services {
  // REQUIRES: `store` keeps `index` current (authz::IndexingStore).
  Services(Store& store, const Clock& clock, authz::AccessIndex& index)
      : store(store),
        index(index),
        clock(clock),
        tenancy(store, clock),
        workspaces(store, clock),
        projects(store, clock),
        users(store, clock),
        service_accounts(store, clock),
        teams(store, clock),
        team_members(teams),
        stack_components(store, clock),
        stacks(store, clock),
        project_stacks(store, clock),
        roles(store, clock),
        role_assignments(store, clock),
        api_keys(store, clock),
        audit_log(store),
        authorizer(index, store, clock) {
    role_assignments.SetGuard([this](const RequestContext& context, const RoleAssignment* before,
                                     const RoleAssignment* after) {
      return authorizer.GuardAssignment(context, before, after);
    });
    roles.SetGuard([this](const RequestContext& context, const Role*, const Role* after) {
      return after == nullptr ? Status::Ok() : authorizer.GuardRole(context, *after);
    });
    teams.SetGuard([this](const RequestContext& context, const Team* before, const Team* after) {
      return authorizer.GuardTeam(context, before, after);
    });
    api_keys.SetGuard([this](const RequestContext& context, const std::string& principal_id) {
      return authorizer.GuardKey(context, principal_id);
    });
    // Objects at scopes of their own are read, and listed, where they are.
    workspaces.SetReadGuard([this](const RequestContext& context, const Workspace& workspace) {
      return authorizer.Require(context, "workspace:read",
                                {authz::ScopeLevel::kWorkspace, workspace.meta.id});
    });
    projects.SetReadGuard([this](const RequestContext& context, const Project& project) {
      return authorizer.Require(context, "project:read",
                                {authz::ScopeLevel::kProject, project.meta.id});
    });
    stacks.SetReadGuard([this](const RequestContext& context, const Stack& stack) {
      return authorizer.Require(context, "stack:read", {authz::ScopeLevel::kStack, stack.meta.id});
    });
    role_assignments.SetReadGuard(
        [this](const RequestContext& context, const RoleAssignment& assignment) {
          return authorizer.Require(context, "role_assignment:read", AssignmentScope(assignment));
        });
  }
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  Store& store;  // for reads across kinds (the access matrix as of a past instant)
  authz::AccessIndex& index;
  const Clock& clock;
  TenancyService tenancy;
  ObjectService<Workspace> workspaces;
  ObjectService<Project> projects;
  ObjectService<User> users;
  ObjectService<ServiceAccount> service_accounts;
  ObjectService<Team> teams;
  TeamMembers team_members;  // borrows `teams`, declared before it
  ObjectService<StackComponent> stack_components;
  ObjectService<Stack> stacks;
  ObjectService<ProjectStack> project_stacks;
  ObjectService<Role> roles;
  ObjectService<RoleAssignment> role_assignments;
  ApiKeyService api_keys;
  AuditLogService audit_log;
  Authorizer authorizer;
};

}  // namespace rampart
