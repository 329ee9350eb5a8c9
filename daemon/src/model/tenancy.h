// Domain types of the tenancy tree: organization > workspace > project, and what every
// named object shares. Principals live in principals.h, stacks in stacks.h.
//
// Plain values, no behaviour beyond what every object shares. Validation and JSON patches
// live in validation.h and *_json.h; persistence in store/.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/clock.h"

namespace rampart {

using Labels = std::map<std::string, std::string>;

// The fields every named object carries (SPEC section 2).
struct ObjectMeta {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string display_name;
  std::string description;
  Labels labels;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
  std::string created_by;
  int64_t revision = 0;
};

// How long an organization keeps its audit events (SPEC section 5): 90 days unless set,
// at most 7 years (leap days included).
inline constexpr int64_t kDefaultAuditRetentionDays = 90;
inline constexpr int64_t kMaxAuditRetentionDays = 7 * 365 + 2;

struct Organization {
  ObjectMeta meta;  // meta.organization_id == meta.id
  int64_t audit_retention_days = kDefaultAuditRetentionDays;
};

struct Workspace {
  ObjectMeta meta;
};

struct Project {
  ObjectMeta meta;
  std::string workspace_id;
};

// Id prefixes: an id is "<prefix>_<hex>", see common/random.h.
inline constexpr char kOrganizationIdPrefix[] = "org";
inline constexpr char kWorkspaceIdPrefix[] = "ws";
inline constexpr char kProjectIdPrefix[] = "prj";
inline constexpr char kServiceAccountIdPrefix[] = "sa";
inline constexpr char kApiKeyIdPrefix[] = "key";
inline constexpr char kUserIdPrefix[] = "usr";
inline constexpr char kTeamIdPrefix[] = "team";
inline constexpr char kStackComponentIdPrefix[] = "cmp";
inline constexpr char kStackIdPrefix[] = "stk";
inline constexpr char kProjectStackIdPrefix[] = "pst";
inline constexpr char kRoleIdPrefix[] = "role";
inline constexpr char kRoleAssignmentIdPrefix[] = "ra";

// True when `ref` (a path segment) is an id of the given kind rather than a name: the
// prefix, '_', then lowercase letters and digits only.
bool IsIdOf(const std::string& ref, const char* prefix);

}  // namespace rampart
