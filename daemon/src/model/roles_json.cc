#include "model/roles_json.h"

#include <algorithm>

#include "model/tenancy_json.h"
#include "model/validation.h"

namespace rampart {
namespace {

constexpr FieldChoice kPrincipalFields[] = {
    {"user_id", kPrincipalUser},
    {"team_id", kPrincipalTeam},
    {"service_account_id", kPrincipalServiceAccount},
};
constexpr FieldChoice kScopeFields[] = {
    {"workspace_id", "workspace"},
    {"project_id", "project"},
    {"stack_id", "stack"},
};

nlohmann::json OptionalTime(const std::optional<TimestampMs>& time) {
  if (!time) return nullptr;
  return FormatTimestamp(*time);
}

Result<std::vector<std::string>> ReadNonEmptyStrings(const nlohmann::json& value,
                                                     const std::string& field) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> list, ReadStringList(value, field));
  if (list.size() > kMaxRolePermissions) {
    return Status::InvalidArgument(
        field, "must have at most " + std::to_string(kMaxRolePermissions) + " entries", "too_many");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].empty()) {
      return Status::InvalidArgument(field + "[" + std::to_string(i) + "]", "must not be empty",
                                     "required");
    }
  }
  return list;
}

}  // namespace

const std::vector<std::string>& ScopeLevelNames() {
  static const std::vector<std::string> kLevels = {"organization", "workspace", "project", "stack"};
  return kLevels;
}

nlohmann::json ToJson(const Role& role) {
  nlohmann::json json = MetaToJson(role.meta);
  json["organization_id"] = role.meta.organization_id;
  json["permissions"] = role.permissions;
  json["inherits"] = role.inherits;
  json["assignable_at"] = role.assignable_at;
  json["builtin"] = false;
  return json;
}

nlohmann::json ToJson(const RoleAssignment& assignment) {
  nlohmann::json json = {
      {"id", assignment.meta.id},
      {"organization_id", assignment.meta.organization_id},
      {"role", assignment.role},
      {"scope_type", assignment.scope_type},
      {"expires_at", OptionalTime(assignment.expires_at)},
      {"reason", assignment.reason},
      {"granted_by", assignment.meta.created_by},
      {"granted_at", FormatTimestamp(assignment.meta.created_at)},
      {"updated_at", FormatTimestamp(assignment.meta.updated_at)},
      {"revision", assignment.meta.revision},
  };
  for (const FieldChoice& field : kPrincipalFields) {
    if (assignment.principal_type == field.type) json[field.field] = assignment.principal_id;
  }
  if (assignment.principal_type == kPrincipalApiKey) json["api_key_id"] = assignment.principal_id;
  for (const FieldChoice& field : kScopeFields) {
    if (assignment.scope_type == field.type) json[field.field] = assignment.scope_id;
  }
  return json;
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Role& role) {
  static const std::set<std::string> kFields =
      MetaFields({"permissions", "inherits", "assignable_at"});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name", "permissions"}));
  if (patch.contains("permissions")) {
    // Kept in the order given: the service validates the patterns, naming each by its
    // index, then sorts them.
    RAMPART_ASSIGN_OR_RETURN(role.permissions, ReadNonEmptyStrings(patch["permissions"], "permissions"));
  }
  if (patch.contains("inherits")) {
    RAMPART_ASSIGN_OR_RETURN(role.inherits, ReadNonEmptyStrings(patch["inherits"], "inherits"));
  }
  if (patch.contains("assignable_at") && !patch["assignable_at"].is_null()) {
    RAMPART_ASSIGN_OR_RETURN(role.assignable_at,
                             ReadNonEmptyStrings(patch["assignable_at"], "assignable_at"));
    const auto& levels = ScopeLevelNames();
    for (size_t i = 0; i < role.assignable_at.size(); ++i) {
      if (std::find(levels.begin(), levels.end(), role.assignable_at[i]) == levels.end()) {
        return Status::InvalidArgument("assignable_at[" + std::to_string(i) + "]",
                                       "must be organization, workspace, project or stack",
                                       "scope_level");
      }
    }
    if (role.assignable_at.empty()) {
      return Status::InvalidArgument("assignable_at", "must name at least one level", "required");
    }
  } else if (mode == PatchMode::kCreate || patch.contains("assignable_at")) {
    role.assignable_at = ScopeLevelNames();
  }
  // Keep the levels in scope order, whatever order they were given in.
  std::vector<std::string> ordered;
  for (const std::string& level : ScopeLevelNames()) {
    if (std::find(role.assignable_at.begin(), role.assignable_at.end(), level) !=
        role.assignable_at.end()) {
      ordered.push_back(level);
    }
  }
  role.assignable_at = std::move(ordered);
  return ApplyMetaPatch(patch, /*with_name=*/true, role.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, RoleAssignment& assignment) {
  static const std::set<std::string> kFields = {
      "role", "user_id", "team_id", "service_account_id", "workspace_id",
      "project_id", "stack_id", "expires_at", "reason"};
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"role"}));
  if (patch.contains("role")) {
    RAMPART_ASSIGN_OR_RETURN(assignment.role, ReadString(patch["role"], "role"));
    if (assignment.role.empty()) return Status::InvalidArgument("role", "is required", "required");
  }
  bool principal_given = false;
  bool scope_given = false;
  for (const FieldChoice& field : kPrincipalFields) principal_given |= patch.contains(field.field);
  for (const FieldChoice& field : kScopeFields) scope_given |= patch.contains(field.field);
  // On update, a principal or scope given is compared with the stored one by the service.
  if (mode == PatchMode::kCreate || principal_given) {
    RAMPART_RETURN_IF_ERROR(ReadOneOf(patch, kPrincipalFields, true, "principal",
                                      assignment.principal_type, assignment.principal_id));
  }
  if (mode == PatchMode::kCreate || scope_given) {
    assignment.scope_type = "organization";
    assignment.scope_id.clear();
    RAMPART_RETURN_IF_ERROR(ReadOneOf(patch, kScopeFields, false, "scope", assignment.scope_type,
                                      assignment.scope_id));
  }
  if (patch.contains("expires_at")) {
    if (patch["expires_at"].is_null()) {
      assignment.expires_at.reset();
    } else {
      RAMPART_ASSIGN_OR_RETURN(std::string text, ReadString(patch["expires_at"], "expires_at"));
      TimestampMs expires_at = 0;
      if (!ParseTimestamp(text, expires_at)) {
        return Status::InvalidArgument(
            "expires_at", "must be an RFC 3339 time, e.g. 2027-01-01T00:00:00Z", "not_a_time");
      }
      assignment.expires_at = expires_at;
    }
  }
  if (patch.contains("reason")) {
    if (patch["reason"].is_null()) {
      assignment.reason.clear();
    } else {
      RAMPART_ASSIGN_OR_RETURN(assignment.reason, ReadString(patch["reason"], "reason"));
      RAMPART_RETURN_IF_ERROR(ValidateText("reason", assignment.reason, kMaxReasonLength));
    }
  }
  return Status::Ok();
}

}  // namespace rampart
