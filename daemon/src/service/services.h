// Services: every use case of the daemon over one store and clock, built once and handed to
// the route table. Owns the services; borrows the Store and Clock, which must outlive it.
// Thread-safe, as each service is.
#pragma once

#include "authz/access_index.h"
#include "service/api_key_service.h"
#include "service/audit_log_service.h"
#include "service/authorizer.h"
#include "service/model_import.h"
#include "service/object_service.h"
#include "service/promotion_service.h"
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
        models(store, clock),
        model_versions(store, clock),
        promotion_policies(store, clock),
        promotion_requests(store, clock),
        audit_log(store),
        authorizer(index, store, clock),
        promotions(store, clock, authorizer),
        model_import(store, clock, authorizer) {
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
    // Governance objects are read where their project is; a policy where it is made.
    models.SetReadGuard([this](const RequestContext& context, const Model& model) {
      return authorizer.Require(context, "model:read", {authz::ScopeLevel::kProject, model.project_id});
    });
    model_versions.SetReadGuard([this](const RequestContext& context, const ModelVersion& version) {
      return authorizer.Require(context, "model_version:read", {authz::ScopeLevel::kProject, version.project_id});
    });
    promotion_requests.SetReadGuard([this](const RequestContext& context, const PromotionRequest& request) {
      return authorizer.Require(context, "model:read", {authz::ScopeLevel::kProject, request.project_id});
    });
    promotion_policies.SetReadGuard([this](const RequestContext& context, const PromotionPolicy& policy) {
      return authorizer.Require(context, "promotion_policy:read", PolicyScope(policy));
    });
    promotion_policies.SetGuard([this](const RequestContext& context, const PromotionPolicy* before,
                                       const PromotionPolicy* after) {
      const char* permission = before == nullptr  ? "promotion_policy:create"
                               : after == nullptr ? "promotion_policy:delete"
                                                  : "promotion_policy:update";
      return authorizer.Require(context, permission, PolicyScope(after != nullptr ? *after : *before));
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
  ObjectService<Model> models;
  ObjectService<ModelVersion> model_versions;
  ObjectService<PromotionPolicy> promotion_policies;
  ObjectService<PromotionRequest> promotion_requests;  // reads; changes go through `promotions`
  AuditLogService audit_log;
  Authorizer authorizer;
  PromotionService promotions;  // borrows `authorizer`, declared before it
  ModelImporter model_import;

 private:
  // Where a policy is made: its project, else its workspace.
  static authz::Scope PolicyScope(const PromotionPolicy& policy) {
    if (policy.project_id.empty()) return {authz::ScopeLevel::kWorkspace, policy.workspace_id};
    return {authz::ScopeLevel::kProject, policy.project_id};
  }
};

}  // namespace rampart
