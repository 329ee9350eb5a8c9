// JSON form of custom roles and role assignments, and their merge patches (json_fields.h).
// What needs the store (permission patterns, references) is checked by the service.
// Field names and shapes follow proto/rampart/v1/authz.proto.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/json_fields.h"
#include "model/roles.h"

namespace rampart {

inline constexpr size_t kMaxRolePermissions = 256;
inline constexpr size_t kMaxReasonLength = 1024;

// The scope levels, in order: organization, workspace, project, stack.
const std::vector<std::string>& ScopeLevelNames();

nlohmann::json ToJson(const Role& role);
nlohmann::json ToJson(const RoleAssignment& assignment);

// Writable: the meta fields, permissions (required on create), inherits, assignable_at
// (default: every level).
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Role& role);
// Writable on create: role (required), exactly one of user_id, team_id, service_account_id,
// at most one of workspace_id, project_id, stack_id (none: the organization), expires_at,
// reason. References are kept as given for the service to resolve; on update only
// expires_at and reason may differ from what is stored.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, RoleAssignment& assignment);

}  // namespace rampart
