// Domain types of the tenancy tree: organization > workspace > project.
//
// Plain values, no behaviour beyond what every object shares. Validation lives in
// validation.h; persistence in store/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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

struct Organization {
  ObjectMeta meta;  // meta.organization_id == meta.id
};

struct Workspace {
  ObjectMeta meta;
};

struct Project {
  ObjectMeta meta;
  std::string workspace_id;
};

// A machine principal of the organization (CI bots, pipelines); holds API keys.
struct ServiceAccount {
  ObjectMeta meta;
};

// The user-settable part of ObjectMeta, as given on create.
struct ObjectSpec {
  std::string name;
  std::string display_name;
  std::string description;
  Labels labels;
};

// A JSON merge patch of the user-settable fields: absent fields stay as they are.
struct ObjectPatch {
  std::optional<std::string> name;
  std::optional<std::string> display_name;
  std::optional<std::string> description;
  std::optional<Labels> labels;
};

// Applies `patch` to `meta` (no validation; see ValidatePatch).
void ApplyPatch(const ObjectPatch& patch, ObjectMeta& meta);

// Id prefixes: an id is "<prefix>_<hex>", see common/random.h.
inline constexpr char kOrganizationIdPrefix[] = "org";
inline constexpr char kWorkspaceIdPrefix[] = "ws";
inline constexpr char kProjectIdPrefix[] = "prj";
inline constexpr char kServiceAccountIdPrefix[] = "sa";
inline constexpr char kApiKeyIdPrefix[] = "key";

// True when `ref` (a path segment) is an id of the given kind rather than a name.
bool IsIdOf(const std::string& ref, const char* prefix);

}  // namespace rampart
