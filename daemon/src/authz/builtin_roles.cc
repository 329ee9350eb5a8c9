#include "authz/builtin_roles.h"

namespace rampart::authz {
namespace {

constexpr ScopeLevel kOrg = ScopeLevel::kOrganization;
constexpr ScopeLevel kWorkspace = ScopeLevel::kWorkspace;
constexpr ScopeLevel kProject = ScopeLevel::kProject;
constexpr ScopeLevel kStack = ScopeLevel::kStack;

// What a contributor does in a project: create, read and run, never change the project
// itself, delete, or manage access.
const std::vector<std::string> kContributor = {
    "*:read",          "pipeline:create",   "pipeline:update",     "pipeline:run",
    "pipeline_run:update", "model:create",  "model:update",        "model_version:create",
    "model_version:update", "artifact:create", "secret:create",    "secret:update"};

// What an editor does at any level: read, create, update, run and use, but neither delete
// nor manage access (roles and assignments) nor touch the organization itself.
const std::vector<std::string> kEditor = {
    "*:read",          "workspace:create",  "workspace:update",    "project:create",
    "project:update",  "user:create",       "user:update",         "service_account:create",
    "service_account:update", "team:create", "team:update",        "stack:create",
    "stack:update",    "stack:use",         "stack_component:create", "stack_component:update",
    "pipeline:create", "pipeline:update",   "pipeline:run",        "pipeline_run:update",
    "model:create",    "model:update",      "model_version:create", "model_version:update",
    "artifact:create", "secret:create",     "secret:update"};

std::vector<BuiltinRole> Build() {
  std::vector<BuiltinRole> roles = {
      {"organization.admin", "everything in the organization", {"*"}, {kOrg}, {}},
      {"organization.viewer", "read everything in the organization", {"*:read"}, {kOrg}, {}},
      {"organization.member", "read the organization object only", {"organization:read"}, {kOrg}, {}},
      {"workspace.admin",
       "everything in the workspace, its projects, stacks and components, including access "
       "management",
       {"*"}, {kWorkspace}, {}},
      {"workspace.member",
       "read the workspace object only: its projects and stacks need their own grants",
       {"workspace:read"}, {kWorkspace}, {}},
      {"workspace.viewer", "read everything in the workspace", {"*:read"}, {kWorkspace}, {}},
      {"project.admin", "everything in the project, including access management", {"*"},
       {kProject}, {}},
      {"project.contributor",
       "create, read and run in the project; no update of the project, no delete, no access "
       "management",
       kContributor, {kProject}, {}},
      {"project.viewer", "read everything in the project", {"*:read"}, {kProject}, {}},
      {"stack.admin", "everything on the stack, including delete and access management", {"*"},
       {kStack}, {}},
      {"stack.write", "read the stack, run on it and update it",
       {"stack:read", "stack:use", "stack:update"}, {kStack}, {}},
      {"stack.read", "read the stack", {"stack:read"}, {kStack}, {}},
      {"viewer", "read everything at the scope", {"*:read"}, {kOrg, kWorkspace, kProject, kStack}, {}},
      {"editor", "read, create, update, run and use at the scope; no delete, no access management",
       kEditor, {kOrg, kWorkspace, kProject, kStack}, {}},
      {"admin", "everything at the scope", {"*"}, {kOrg, kWorkspace, kProject, kStack}, {}},
  };
  for (BuiltinRole& role : roles) role.permissions = PermissionSet::FromPatterns(role.patterns);
  return roles;
}

}  // namespace

const char* ScopeLevelName(ScopeLevel level) {
  switch (level) {
    case ScopeLevel::kOrganization: return "organization";
    case ScopeLevel::kWorkspace: return "workspace";
    case ScopeLevel::kProject: return "project";
    case ScopeLevel::kStack: return "stack";
  }
  return "organization";
}

bool ParseScopeLevel(const std::string& name, ScopeLevel& level) {
  for (ScopeLevel candidate : {kOrg, kWorkspace, kProject, kStack}) {
    if (name == ScopeLevelName(candidate)) {
      level = candidate;
      return true;
    }
  }
  return false;
}

const std::vector<BuiltinRole>& BuiltinRoles() {
  static const std::vector<BuiltinRole> kRoles = Build();
  return kRoles;
}

const BuiltinRole* FindBuiltinRole(const std::string& name) {
  for (const BuiltinRole& role : BuiltinRoles()) {
    if (role.name == name) return &role;
  }
  return nullptr;
}

}  // namespace rampart::authz
