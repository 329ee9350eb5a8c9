// Custom roles and role assignments (SPEC section 3). Built-in roles are not stored: they
// live in authz/builtin_roles.h and are addressed by their dotted names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/tenancy.h"

namespace rampart {

// An organization's own role. meta.name is a DNS label, so it never contains the dot that
// built-in names have.
struct Role {
  ObjectMeta meta;
  std::vector<std::string> permissions;    // patterns: "pipeline:run", "model:*", "*:read"
  std::vector<std::string> inherits;       // built-in names or custom role ids
  std::vector<std::string> assignable_at;  // "organization", "workspace", "project", "stack"
};

// Principal types of a role assignment ("api_key": an organization's first admin key,
// which has no user or service account behind it).
inline constexpr char kPrincipalUser[] = "user";
inline constexpr char kPrincipalServiceAccount[] = "service_account";
inline constexpr char kPrincipalTeam[] = "team";
inline constexpr char kPrincipalApiKey[] = "api_key";

// (role, principal, scope), unique per organization. meta.name holds the key
// "<role>|<principal_id>|<scope_id>" that makes it unique; meta.created_by and
// meta.created_at are granted_by and granted_at. Only expires_at and reason can change.
struct RoleAssignment {
  ObjectMeta meta;
  std::string role;            // a built-in role's name or a custom role's id
  std::string principal_type;  // kPrincipal*
  std::string principal_id;
  std::string scope_type;      // "organization", "workspace", "project", "stack"
  std::string scope_id;        // the organization's id for organization scope
  std::optional<TimestampMs> expires_at;
  std::string reason;
  // When the expiry was written to the audit trail (not part of the API).
  std::optional<TimestampMs> expiry_recorded_at;
};

}  // namespace rampart
