// The built-in roles (SPEC sections 3 and 11): system-managed, read-only, the same in every
// organization. Names contain a dot (custom role names cannot), so the two never clash.
// Immutable after static initialization; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "authz/permissions.h"

namespace rampart::authz {

// Where a role may be assigned; a grant applies to its scope and everything below it.
enum class ScopeLevel { kOrganization, kWorkspace, kProject, kStack };

const char* ScopeLevelName(ScopeLevel level);  // "organization", "workspace", ...
// The level named `name`, for assignable_at; false when there is none.
bool ParseScopeLevel(const std::string& name, ScopeLevel& level);

struct BuiltinRole {
  std::string name;  // "stack.write"
  std::string description;
  std::vector<std::string> patterns;
  std::vector<ScopeLevel> assignable_at;
  PermissionSet permissions;  // the patterns, expanded
};

// In a stable order: organization, workspace, project, stack, then the generic ones.
const std::vector<BuiltinRole>& BuiltinRoles();
// nullptr when `name` is not a built-in role.
const BuiltinRole* FindBuiltinRole(const std::string& name);

}  // namespace rampart::authz
