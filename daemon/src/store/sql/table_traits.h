// How each kind of named object maps onto its table, for every database: Table<T> names the
// table and the kind's own columns (after the ObjectMeta columns every such table starts
// with) and converts between a row and the object. Used by SqlObjectTable<T>.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "store/sql/json_columns.h"
#include "store/sql/sql_connection.h"
#include "store/store.h"

namespace rampart::sql {

// Columns shared by every named object table, in ObjectMeta order.
inline constexpr std::array<const char*, 10> kMetaColumns = {
    "id",     "organization_id", "name",       "display_name", "description",
    "labels", "created_at",      "updated_at", "created_by",   "revision"};
inline constexpr int kMetaColumnCount = static_cast<int>(kMetaColumns.size());

inline ObjectMeta MetaFromRow(const Row& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Text(3),  row.Text(4),
          FromJsonText<Labels>(row.Text(5)), row.Int(6), row.Int(7), row.Text(8), row.Int(9)};
}

inline Values MetaValues(const ObjectMeta& meta) {
  return {meta.id,         meta.organization_id, meta.name,          meta.display_name,
          meta.description, ToJsonText(meta.labels), meta.created_at, meta.updated_at,
          meta.created_by,  meta.revision};
}

// The kind's own column `index` (0-based after the meta columns) of a row.
inline std::string ExtraText(const Row& row, int index) { return row.Text(kMetaColumnCount + index); }
inline int64_t ExtraInt(const Row& row, int index) { return row.Int(kMetaColumnCount + index); }
inline std::optional<int64_t> ExtraOptionalInt(const Row& row, int index) {
  return row.OptionalInt(kMetaColumnCount + index);
}
inline std::vector<std::string> ExtraStrings(const Row& row, int index) {
  return FromJsonText<std::vector<std::string>>(ExtraText(row, index));
}

// kName: the table; kKind: the kind in messages; kParentColumn: the column holding the
// parent's id, nullptr for kinds that live in the organization itself. kExtraColumns are
// the kind's own columns, in the order of FromRow's Extra* positions and ExtraValues.
template <typename T>
struct Table;

template <>
struct Table<Organization> {
  static constexpr const char* kName = "organizations";
  static constexpr const char* kKind = "organization";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 1> kExtraColumns{"audit_retention_days"};
  static Organization FromRow(const Row& row) { return {MetaFromRow(row), ExtraInt(row, 0)}; }
  static Values ExtraValues(const Organization& organization) { return {organization.audit_retention_days}; }
};

template <>
struct Table<Workspace> {
  static constexpr const char* kName = "workspaces";
  static constexpr const char* kKind = "workspace";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static Workspace FromRow(const Row& row) { return {MetaFromRow(row)}; }
  static Values ExtraValues(const Workspace&) { return {}; }
};

template <>
struct Table<Project> {
  static constexpr const char* kName = "projects";
  static constexpr const char* kKind = "project";
  static constexpr const char* kParentColumn = "workspace_id";
  static constexpr std::array<const char*, 1> kExtraColumns{"workspace_id"};
  static Project FromRow(const Row& row) { return {MetaFromRow(row), ExtraText(row, 0)}; }
  static Values ExtraValues(const Project& project) { return {project.workspace_id}; }
};

template <>
struct Table<User> {
  static constexpr const char* kName = "users";
  static constexpr const char* kKind = "user";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 1> kExtraColumns{"active"};
  static User FromRow(const Row& row) { return {MetaFromRow(row), ExtraInt(row, 0) != 0}; }
  static Values ExtraValues(const User& user) { return {int64_t{user.active ? 1 : 0}}; }
};

template <>
struct Table<ServiceAccount> {
  static constexpr const char* kName = "service_accounts";
  static constexpr const char* kKind = "service account";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static ServiceAccount FromRow(const Row& row) { return {MetaFromRow(row)}; }
  static Values ExtraValues(const ServiceAccount&) { return {}; }
};

template <>
struct Table<Team> {
  static constexpr const char* kName = "teams";
  static constexpr const char* kKind = "team";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 2> kExtraColumns{"members", "idp_groups"};
  static Team FromRow(const Row& row) {
    return {MetaFromRow(row), ExtraStrings(row, 0), ExtraStrings(row, 1)};
  }
  static Values ExtraValues(const Team& team) { return {ToJsonText(team.members), ToJsonText(team.idp_groups)}; }
};

template <>
struct Table<StackComponent> {
  static constexpr const char* kName = "stack_components";
  static constexpr const char* kKind = "stack component";
  static constexpr const char* kParentColumn = "workspace_id";
  static constexpr std::array<const char*, 4> kExtraColumns{"workspace_id", "type", "flavor",
                                                            "configuration"};
  static StackComponent FromRow(const Row& row) {
    return {MetaFromRow(row), ExtraText(row, 0), ExtraText(row, 1), ExtraText(row, 2), ExtraText(row, 3)};
  }
  static Values ExtraValues(const StackComponent& component) {
    return {component.workspace_id, component.type, component.flavor, component.configuration};
  }
};

template <>
struct Table<Stack> {
  static constexpr const char* kName = "stacks";
  static constexpr const char* kKind = "stack";
  static constexpr const char* kParentColumn = "workspace_id";
  static constexpr std::array<const char*, 2> kExtraColumns{"workspace_id", "components"};
  static Stack FromRow(const Row& row) {
    return {MetaFromRow(row), ExtraText(row, 0),
            FromJsonText<std::map<std::string, std::string>>(ExtraText(row, 1))};
  }
  static Values ExtraValues(const Stack& stack) { return {stack.workspace_id, ToJsonText(stack.components)}; }
};

template <>
struct Table<ProjectStack> {
  static constexpr const char* kName = "project_stacks";
  static constexpr const char* kKind = "project-stack binding";
  static constexpr const char* kParentColumn = "project_id";
  static constexpr std::array<const char*, 4> kExtraColumns{"workspace_id", "project_id", "quota",
                                                            "execution_labels"};
  static ProjectStack FromRow(const Row& row) {
    return {MetaFromRow(row), ExtraText(row, 0), ExtraText(row, 1), QuotaFromJson(ExtraText(row, 2)),
            FromJsonText<Labels>(ExtraText(row, 3))};
  }
  static Values ExtraValues(const ProjectStack& binding) {
    return {binding.workspace_id, binding.project_id, QuotaToJson(binding.quota),
            ToJsonText(binding.execution_labels)};
  }
};

template <>
struct Table<Role> {
  static constexpr const char* kName = "roles";
  static constexpr const char* kKind = "role";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 3> kExtraColumns{"permissions", "inherits", "assignable_at"};
  static Role FromRow(const Row& row) {
    return {MetaFromRow(row), ExtraStrings(row, 0), ExtraStrings(row, 1), ExtraStrings(row, 2)};
  }
  static Values ExtraValues(const Role& role) {
    return {ToJsonText(role.permissions), ToJsonText(role.inherits), ToJsonText(role.assignable_at)};
  }
};

template <>
struct Table<RoleAssignment> {
  static constexpr const char* kName = "role_assignments";
  static constexpr const char* kKind = "role assignment";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 8> kExtraColumns{
      "role",     "principal_type", "principal_id", "scope_type",
      "scope_id", "expires_at",     "reason",       "expiry_recorded_at"};
  static RoleAssignment FromRow(const Row& row) {
    return {MetaFromRow(row),     ExtraText(row, 0),        ExtraText(row, 1),
            ExtraText(row, 2),    ExtraText(row, 3),        ExtraText(row, 4),
            ExtraOptionalInt(row, 5), ExtraText(row, 6),    ExtraOptionalInt(row, 7)};
  }
  static Values ExtraValues(const RoleAssignment& assignment) {
    return {assignment.role,     assignment.principal_type,            assignment.principal_id,
            assignment.scope_type, assignment.scope_id,                OptionalValue(assignment.expires_at),
            assignment.reason,   OptionalValue(assignment.expiry_recorded_at)};
  }
};

template <>
struct Table<Model> {
  static constexpr const char* kName = "models";
  static constexpr const char* kKind = "model";
  static constexpr const char* kParentColumn = "project_id";
  static constexpr std::array<const char*, 2> kExtraColumns{"workspace_id", "project_id"};
  static Model FromRow(const Row& row) { return {MetaFromRow(row), ExtraText(row, 0), ExtraText(row, 1)}; }
  static Values ExtraValues(const Model& model) { return {model.workspace_id, model.project_id}; }
};

template <>
struct Table<ModelVersion> {
  static constexpr const char* kName = "model_versions";
  static constexpr const char* kKind = "model version";
  static constexpr const char* kParentColumn = "model_id";
  static constexpr std::array<const char*, 7> kExtraColumns{
      "workspace_id", "project_id", "model_id", "tags", "run_url", "stage", "source"};
  static ModelVersion FromRow(const Row& row) {
    return {MetaFromRow(row),     ExtraText(row, 0), ExtraText(row, 1), ExtraText(row, 2),
            ExtraStrings(row, 3), ExtraText(row, 4), ExtraText(row, 5), SourceFromJson(ExtraText(row, 6))};
  }
  static Values ExtraValues(const ModelVersion& version) {
    return {version.workspace_id, version.project_id, version.model_id, ToJsonText(version.tags),
            version.run_url,      version.stage,      SourceToJson(version.source)};
  }
};

template <>
struct Table<PromotionPolicy> {
  static constexpr const char* kName = "promotion_policies";
  static constexpr const char* kKind = "promotion policy";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 4> kExtraColumns{"workspace_id", "project_id", "stage", "rules"};
  static PromotionPolicy FromRow(const Row& row) {
    PromotionPolicy policy;
    policy.meta = MetaFromRow(row);
    policy.workspace_id = ExtraText(row, 0);
    policy.project_id = ExtraText(row, 1);
    policy.stage = ExtraText(row, 2);
    RulesFromJson(ExtraText(row, 3), policy);
    return policy;
  }
  static Values ExtraValues(const PromotionPolicy& policy) {
    return {policy.workspace_id, policy.project_id, policy.stage, RulesToJson(policy)};
  }
};

template <>
struct Table<PromotionRequest> {
  static constexpr const char* kName = "promotion_requests";
  static constexpr const char* kKind = "promotion request";
  static constexpr const char* kParentColumn = "project_id";
  static constexpr std::array<const char*, 7> kExtraColumns{
      "workspace_id", "project_id", "model_id", "model_version_id", "target_stage", "status", "details"};
  static PromotionRequest FromRow(const Row& row) {
    PromotionRequest request;
    request.meta = MetaFromRow(row);
    request.workspace_id = ExtraText(row, 0);
    request.project_id = ExtraText(row, 1);
    request.model_id = ExtraText(row, 2);
    request.model_version_id = ExtraText(row, 3);
    request.target_stage = ExtraText(row, 4);
    request.status = ExtraText(row, 5);
    DetailsFromJson(ExtraText(row, 6), request);
    return request;
  }
  static Values ExtraValues(const PromotionRequest& request) {
    return {request.workspace_id,     request.project_id,   request.model_id, request.model_version_id,
            request.target_stage,     request.status,       DetailsToJson(request)};
  }
};

}  // namespace rampart::sql
