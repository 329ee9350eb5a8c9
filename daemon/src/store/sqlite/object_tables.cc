#include "store/sqlite/object_tables.h"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include <array>
#include <vector>

#include "store/sqlite/statement_values.h"

namespace rampart::sqlite {
namespace {

// Columns shared by every named object table, in ObjectMeta order.
constexpr std::array<const char*, 10> kMetaColumns = {
    "id",     "organization_id", "name",       "display_name", "description",
    "labels", "created_at",      "updated_at", "created_by",   "revision"};
constexpr int kMetaColumnCount = static_cast<int>(kMetaColumns.size());

ObjectMeta ReadMeta(SQLite::Statement& row) {
  ObjectMeta meta;
  meta.id = row.getColumn(0).getString();
  meta.organization_id = row.getColumn(1).getString();
  meta.name = row.getColumn(2).getString();
  meta.display_name = row.getColumn(3).getString();
  meta.description = row.getColumn(4).getString();
  meta.labels = nlohmann::json::parse(row.getColumn(5).getString()).get<Labels>();
  meta.created_at = row.getColumn(6).getInt64();
  meta.updated_at = row.getColumn(7).getInt64();
  meta.created_by = row.getColumn(8).getString();
  meta.revision = row.getColumn(9).getInt64();
  return meta;
}

void BindMeta(SQLite::Statement& statement, const ObjectMeta& meta) {
  statement.bind(1, meta.id);
  statement.bind(2, meta.organization_id);
  statement.bind(3, meta.name);
  statement.bind(4, meta.display_name);
  statement.bind(5, meta.description);
  statement.bind(6, nlohmann::json(meta.labels).dump());  // std::map: keys sorted, canonical
  statement.bind(7, static_cast<int64_t>(meta.created_at));
  statement.bind(8, static_cast<int64_t>(meta.updated_at));
  statement.bind(9, meta.created_by);
  statement.bind(10, static_cast<int64_t>(meta.revision));
}

// The kind's own column `index` (0-based after the meta columns) of a row.
SQLite::Column Extra(SQLite::Statement& row, int index) {
  return row.getColumn(kMetaColumnCount + index);
}
// Binds the kind's own column `index` (0-based after the meta columns).
template <typename Value>
void BindExtra(SQLite::Statement& statement, int index, const Value& value) {
  statement.bind(kMetaColumnCount + 1 + index, value);
}

template <typename Value>
Value ParseJsonColumn(const SQLite::Column& column) {
  return nlohmann::json::parse(column.getString()).get<Value>();
}

std::optional<std::string> OptionalString(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return std::nullopt;
  return json[key].get<std::string>();
}

std::optional<int64_t> OptionalInt(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return std::nullopt;
  return json[key].get<int64_t>();
}

// As BindExtra, binding NULL when `value` has none.
void BindOptionalExtra(SQLite::Statement& statement, int index, std::optional<int64_t> value) {
  BindOptionalInt(statement, kMetaColumnCount + 1 + index, value);
}

std::string QuotaColumn(const StackQuota& quota) {
  nlohmann::json json = nlohmann::json::object();
  if (quota.cpu) json["cpu"] = *quota.cpu;
  if (quota.memory) json["memory"] = *quota.memory;
  if (quota.gpu) json["gpu"] = *quota.gpu;
  if (quota.max_parallel_runs) json["max_parallel_runs"] = *quota.max_parallel_runs;
  return json.dump();
}

StackQuota QuotaFromColumn(const SQLite::Column& column) {
  nlohmann::json json = nlohmann::json::parse(column.getString());
  return {OptionalString(json, "cpu"), OptionalString(json, "memory"), OptionalInt(json, "gpu"),
          OptionalInt(json, "max_parallel_runs")};
}

nlohmann::json SourceColumn(const ModelVersionSource& source) {
  if (source.empty()) return nlohmann::json::object();
  return {{"workspace_id", source.workspace_id}, {"project_id", source.project_id},
          {"model_id", source.model_id},         {"model_version_id", source.model_version_id},
          {"version", source.version},           {"run_url", source.run_url}};
}

ModelVersionSource SourceFromColumn(const SQLite::Column& column) {
  nlohmann::json json = nlohmann::json::parse(column.getString());
  if (json.empty()) return {};
  return {json["workspace_id"], json["project_id"], json["model_id"],
          json["model_version_id"], json["version"], json["run_url"]};
}

// A policy's rules, beyond its scope and stage, as one JSON column: they are read and
// written whole, never queried.
std::string RulesColumn(const PromotionPolicy& policy) {
  nlohmann::json windows = nlohmann::json::array();
  for (const BlockedWindow& window : policy.blocked_windows) {
    windows.push_back({{"days", window.days}, {"start", window.start}, {"end", window.end},
                       {"time_zone", window.time_zone}});
  }
  return nlohmann::json{{"allowed_roles", policy.allowed_roles},
                        {"approval_required", policy.approval_required},
                        {"min_approvers", policy.min_approvers},
                        {"approver_roles", policy.approver_roles},
                        {"approval_types", policy.approval_types},
                        {"four_eyes", policy.four_eyes},
                        {"blocked_windows", windows},
                        {"required_tags", policy.required_tags},
                        {"min_description_length", policy.min_description_length}}
      .dump();
}

void RulesFromColumn(const SQLite::Column& column, PromotionPolicy& policy) {
  nlohmann::json json = nlohmann::json::parse(column.getString());
  json["allowed_roles"].get_to(policy.allowed_roles);
  json["approval_required"].get_to(policy.approval_required);
  json["min_approvers"].get_to(policy.min_approvers);
  json["approver_roles"].get_to(policy.approver_roles);
  json["approval_types"].get_to(policy.approval_types);
  json["four_eyes"].get_to(policy.four_eyes);
  for (const nlohmann::json& window : json["blocked_windows"]) {
    policy.blocked_windows.push_back({window["days"], window["start"], window["end"], window["time_zone"]});
  }
  json["required_tags"].get_to(policy.required_tags);
  json["min_description_length"].get_to(policy.min_description_length);
}

// What a request carries beyond the columns lists filter on.
std::string DetailsColumn(const PromotionRequest& request) {
  nlohmann::json decisions = nlohmann::json::array();
  for (const PromotionDecision& decision : request.decisions) {
    decisions.push_back({{"principal", decision.principal}, {"decision", decision.decision},
                         {"type", decision.type}, {"comment", decision.comment}, {"at", decision.at}});
  }
  nlohmann::json json = {{"model", request.model},
                         {"version", request.version},
                         {"requested_by", request.requested_by},
                         {"comment", request.comment},
                         {"policy_id", request.policy_id},
                         {"approvals_required", request.approvals_required},
                         {"decisions", decisions},
                         {"previous_version_id", request.previous_version_id}};
  if (request.applied_at) json["applied_at"] = *request.applied_at;
  return json.dump();
}

void DetailsFromColumn(const SQLite::Column& column, PromotionRequest& request) {
  nlohmann::json json = nlohmann::json::parse(column.getString());
  json["model"].get_to(request.model);
  json["version"].get_to(request.version);
  json["requested_by"].get_to(request.requested_by);
  json["comment"].get_to(request.comment);
  json["policy_id"].get_to(request.policy_id);
  json["approvals_required"].get_to(request.approvals_required);
  for (const nlohmann::json& decision : json["decisions"]) {
    request.decisions.push_back({decision["principal"], decision["decision"], decision["type"],
                                 decision["comment"], decision["at"]});
  }
  json["previous_version_id"].get_to(request.previous_version_id);
  request.applied_at = OptionalInt(json, "applied_at");
}

}  // namespace

// How each kind maps onto its table: the meta columns, then kExtraColumns. kParentColumn
// names the column holding the parent's id, nullptr for kinds that live in the
// organization itself.
template <typename T>
struct Table;

template <>
struct Table<Organization> {
  static constexpr const char* kName = "organizations";
  static constexpr const char* kKind = "organization";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 1> kExtraColumns{"audit_retention_days"};
  static Organization FromRow(SQLite::Statement& row) { return {ReadMeta(row), Extra(row, 0).getInt64()}; }
  static void Bind(SQLite::Statement& statement, const Organization& organization) {
    BindExtra(statement, 0, organization.audit_retention_days);
  }
};

template <>
struct Table<Workspace> {
  static constexpr const char* kName = "workspaces";
  static constexpr const char* kKind = "workspace";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static Workspace FromRow(SQLite::Statement& row) { return {ReadMeta(row)}; }
  static void Bind(SQLite::Statement&, const Workspace&) {}
};

template <>
struct Table<Project> {
  static constexpr const char* kName = "projects";
  static constexpr const char* kKind = "project";
  static constexpr const char* kParentColumn = "workspace_id";
  static constexpr std::array<const char*, 1> kExtraColumns{"workspace_id"};
  static Project FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), Extra(row, 0).getString()};
  }
  static void Bind(SQLite::Statement& statement, const Project& project) {
    BindExtra(statement, 0, project.workspace_id);
  }
};

template <>
struct Table<User> {
  static constexpr const char* kName = "users";
  static constexpr const char* kKind = "user";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 1> kExtraColumns{"active"};
  static User FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), Extra(row, 0).getInt() != 0};
  }
  static void Bind(SQLite::Statement& statement, const User& user) {
    BindExtra(statement, 0, user.active ? 1 : 0);
  }
};

template <>
struct Table<ServiceAccount> {
  static constexpr const char* kName = "service_accounts";
  static constexpr const char* kKind = "service account";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static ServiceAccount FromRow(SQLite::Statement& row) { return {ReadMeta(row)}; }
  static void Bind(SQLite::Statement&, const ServiceAccount&) {}
};

template <>
struct Table<Team> {
  static constexpr const char* kName = "teams";
  static constexpr const char* kKind = "team";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 2> kExtraColumns{"members", "idp_groups"};
  static Team FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), ParseJsonColumn<std::vector<std::string>>(Extra(row, 0)),
            ParseJsonColumn<std::vector<std::string>>(Extra(row, 1))};
  }
  static void Bind(SQLite::Statement& statement, const Team& team) {
    BindExtra(statement, 0, nlohmann::json(team.members).dump());
    BindExtra(statement, 1, nlohmann::json(team.idp_groups).dump());
  }
};

template <>
struct Table<StackComponent> {
  static constexpr const char* kName = "stack_components";
  static constexpr const char* kKind = "stack component";
  static constexpr const char* kParentColumn = "workspace_id";
  static constexpr std::array<const char*, 4> kExtraColumns{"workspace_id", "type", "flavor",
                                                            "configuration"};
  static StackComponent FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), Extra(row, 0).getString(), Extra(row, 1).getString(),
            Extra(row, 2).getString(), Extra(row, 3).getString()};
  }
  static void Bind(SQLite::Statement& statement, const StackComponent& component) {
    BindExtra(statement, 0, component.workspace_id);
    BindExtra(statement, 1, component.type);
    BindExtra(statement, 2, component.flavor);
    BindExtra(statement, 3, component.configuration);
  }
};

template <>
struct Table<Stack> {
  static constexpr const char* kName = "stacks";
  static constexpr const char* kKind = "stack";
  static constexpr const char* kParentColumn = "workspace_id";
  static constexpr std::array<const char*, 2> kExtraColumns{"workspace_id", "components"};
  static Stack FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), Extra(row, 0).getString(),
            ParseJsonColumn<std::map<std::string, std::string>>(Extra(row, 1))};
  }
  static void Bind(SQLite::Statement& statement, const Stack& stack) {
    BindExtra(statement, 0, stack.workspace_id);
    BindExtra(statement, 1, nlohmann::json(stack.components).dump());
  }
};

template <>
struct Table<ProjectStack> {
  static constexpr const char* kName = "project_stacks";
  static constexpr const char* kKind = "project-stack binding";
  static constexpr const char* kParentColumn = "project_id";
  static constexpr std::array<const char*, 4> kExtraColumns{"workspace_id", "project_id", "quota",
                                                            "execution_labels"};
  static ProjectStack FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), Extra(row, 0).getString(), Extra(row, 1).getString(),
            QuotaFromColumn(Extra(row, 2)), ParseJsonColumn<Labels>(Extra(row, 3))};
  }
  static void Bind(SQLite::Statement& statement, const ProjectStack& binding) {
    BindExtra(statement, 0, binding.workspace_id);
    BindExtra(statement, 1, binding.project_id);
    BindExtra(statement, 2, QuotaColumn(binding.quota));
    BindExtra(statement, 3, nlohmann::json(binding.execution_labels).dump());
  }
};

template <>
struct Table<Role> {
  static constexpr const char* kName = "roles";
  static constexpr const char* kKind = "role";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 3> kExtraColumns{"permissions", "inherits",
                                                            "assignable_at"};
  static Role FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), ParseJsonColumn<std::vector<std::string>>(Extra(row, 0)),
            ParseJsonColumn<std::vector<std::string>>(Extra(row, 1)),
            ParseJsonColumn<std::vector<std::string>>(Extra(row, 2))};
  }
  static void Bind(SQLite::Statement& statement, const Role& role) {
    BindExtra(statement, 0, nlohmann::json(role.permissions).dump());
    BindExtra(statement, 1, nlohmann::json(role.inherits).dump());
    BindExtra(statement, 2, nlohmann::json(role.assignable_at).dump());
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
  static RoleAssignment FromRow(SQLite::Statement& row) {
    return {ReadMeta(row),
            Extra(row, 0).getString(),
            Extra(row, 1).getString(),
            Extra(row, 2).getString(),
            Extra(row, 3).getString(),
            Extra(row, 4).getString(),
            ReadOptionalInt(Extra(row, 5)),
            Extra(row, 6).getString(),
            ReadOptionalInt(Extra(row, 7))};
  }
  static void Bind(SQLite::Statement& statement, const RoleAssignment& assignment) {
    BindExtra(statement, 0, assignment.role);
    BindExtra(statement, 1, assignment.principal_type);
    BindExtra(statement, 2, assignment.principal_id);
    BindExtra(statement, 3, assignment.scope_type);
    BindExtra(statement, 4, assignment.scope_id);
    BindOptionalExtra(statement, 5, assignment.expires_at);
    BindExtra(statement, 6, assignment.reason);
    BindOptionalExtra(statement, 7, assignment.expiry_recorded_at);
  }
};

template <>
struct Table<Model> {
  static constexpr const char* kName = "models";
  static constexpr const char* kKind = "model";
  static constexpr const char* kParentColumn = "project_id";
  static constexpr std::array<const char*, 2> kExtraColumns{"workspace_id", "project_id"};
  static Model FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), Extra(row, 0).getString(), Extra(row, 1).getString()};
  }
  static void Bind(SQLite::Statement& statement, const Model& model) {
    BindExtra(statement, 0, model.workspace_id);
    BindExtra(statement, 1, model.project_id);
  }
};

template <>
struct Table<ModelVersion> {
  static constexpr const char* kName = "model_versions";
  static constexpr const char* kKind = "model version";
  static constexpr const char* kParentColumn = "model_id";
  static constexpr std::array<const char*, 7> kExtraColumns{
      "workspace_id", "project_id", "model_id", "tags", "run_url", "stage", "source"};
  static ModelVersion FromRow(SQLite::Statement& row) {
    return {ReadMeta(row),
            Extra(row, 0).getString(),
            Extra(row, 1).getString(),
            Extra(row, 2).getString(),
            ParseJsonColumn<std::vector<std::string>>(Extra(row, 3)),
            Extra(row, 4).getString(),
            Extra(row, 5).getString(),
            SourceFromColumn(Extra(row, 6))};
  }
  static void Bind(SQLite::Statement& statement, const ModelVersion& version) {
    BindExtra(statement, 0, version.workspace_id);
    BindExtra(statement, 1, version.project_id);
    BindExtra(statement, 2, version.model_id);
    BindExtra(statement, 3, nlohmann::json(version.tags).dump());
    BindExtra(statement, 4, version.run_url);
    BindExtra(statement, 5, version.stage);
    BindExtra(statement, 6, SourceColumn(version.source).dump());
  }
};

template <>
struct Table<PromotionPolicy> {
  static constexpr const char* kName = "promotion_policies";
  static constexpr const char* kKind = "promotion policy";
  static constexpr const char* kParentColumn = nullptr;
  static constexpr std::array<const char*, 4> kExtraColumns{"workspace_id", "project_id", "stage",
                                                            "rules"};
  static PromotionPolicy FromRow(SQLite::Statement& row) {
    PromotionPolicy policy;
    policy.meta = ReadMeta(row);
    policy.workspace_id = Extra(row, 0).getString();
    policy.project_id = Extra(row, 1).getString();
    policy.stage = Extra(row, 2).getString();
    RulesFromColumn(Extra(row, 3), policy);
    return policy;
  }
  static void Bind(SQLite::Statement& statement, const PromotionPolicy& policy) {
    BindExtra(statement, 0, policy.workspace_id);
    BindExtra(statement, 1, policy.project_id);
    BindExtra(statement, 2, policy.stage);
    BindExtra(statement, 3, RulesColumn(policy));
  }
};

template <>
struct Table<PromotionRequest> {
  static constexpr const char* kName = "promotion_requests";
  static constexpr const char* kKind = "promotion request";
  static constexpr const char* kParentColumn = "project_id";
  static constexpr std::array<const char*, 7> kExtraColumns{
      "workspace_id", "project_id", "model_id", "model_version_id", "target_stage", "status", "details"};
  static PromotionRequest FromRow(SQLite::Statement& row) {
    PromotionRequest request;
    request.meta = ReadMeta(row);
    request.workspace_id = Extra(row, 0).getString();
    request.project_id = Extra(row, 1).getString();
    request.model_id = Extra(row, 2).getString();
    request.model_version_id = Extra(row, 3).getString();
    request.target_stage = Extra(row, 4).getString();
    request.status = Extra(row, 5).getString();
    DetailsFromColumn(Extra(row, 6), request);
    return request;
  }
  static void Bind(SQLite::Statement& statement, const PromotionRequest& request) {
    BindExtra(statement, 0, request.workspace_id);
    BindExtra(statement, 1, request.project_id);
    BindExtra(statement, 2, request.model_id);
    BindExtra(statement, 3, request.model_version_id);
    BindExtra(statement, 4, request.target_stage);
    BindExtra(statement, 5, request.status);
    BindExtra(statement, 6, DetailsColumn(request));
  }
};

namespace {

// The table's columns in bind order: meta columns, then the kind's own.
template <typename T>
std::vector<std::string> Columns() {
  std::vector<std::string> columns(kMetaColumns.begin(), kMetaColumns.end());
  columns.insert(columns.end(), Table<T>::kExtraColumns.begin(), Table<T>::kExtraColumns.end());
  return columns;
}

// Joins `columns`, each formatted by `format(column, 1-based position)`.
template <typename Format>
std::string JoinColumns(const std::vector<std::string>& columns, Format format) {
  std::string joined;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) joined += ", ";
    joined += format(columns[i], i + 1);
  }
  return joined;
}

template <typename T>
std::string ColumnList() {
  return JoinColumns(Columns<T>(), [](const std::string& column, size_t) { return column; });
}

// Rows of T matching `where` (a SQL condition with ? placeholders), ordered by (name, id),
// at most `limit` of them (0: all).
template <typename T>
std::vector<T> SelectMany(SQLite::Database& db, const std::string& where, const Params& params,
                          size_t limit = 0) {
  std::string sql = "SELECT " + ColumnList<T>() + " FROM " + Table<T>::kName + " WHERE " + where +
                    " ORDER BY name, id";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  SQLite::Statement query(db, sql);
  BindParams(query, params);
  std::vector<T> rows;
  while (query.executeStep()) rows.push_back(Table<T>::FromRow(query));
  return rows;
}

template <typename T>
Result<T> SelectOne(SQLite::Database& db, const std::string& where, const Params& params,
                    const std::string& ref) {
  std::vector<T> rows = SelectMany<T>(db, where, params, 1);
  if (rows.empty()) return Status::NotFound(std::string(Table<T>::kKind) + " " + ref + " not found");
  return rows.front();
}

// "organization_id = ?" plus the parent condition for nested kinds.
template <typename T>
std::string ScopeCondition(const std::string& organization_id, const std::string& parent_id,
                           Params& params) {
  params.push_back(organization_id);
  if (Table<T>::kParentColumn == nullptr) return "organization_id = ?";
  params.push_back(parent_id);
  return std::string("organization_id = ? AND ") + Table<T>::kParentColumn + " = ?";
}

// Adds the conditions of `query` to `where` and `params`.
void AddListConditions(const ListQuery& query, std::string& where, Params& params) {
  if (!query.name_prefix.empty()) {
    // Not LIKE: prefixes may hold '_' and '%' (emails), which must match literally.
    where += " AND substr(name, 1, length(?)) = ?";
    params.push_back(query.name_prefix);
    params.push_back(query.name_prefix);
  }
  for (const auto& [key, value] : query.labels) {
    where += " AND json_extract(labels, ?) = ?";
    params.push_back("$.\"" + key + "\"");
    params.push_back(value);
  }
  if (!query.ids.empty()) {
    where += " AND id IN (";
    for (size_t i = 0; i < query.ids.size(); ++i) {
      where += i == 0 ? "?" : ", ?";
      params.push_back(query.ids[i]);
    }
    where += ")";
  }
  if (query.after_name) {
    where += " AND (name > ? OR (name = ? AND id > ?))";
    params.push_back(*query.after_name);
    params.push_back(*query.after_name);
    params.push_back(query.after_id);
  }
}

}  // namespace

template <typename T>
Result<std::vector<T>> SqliteObjectTable<T>::List(const std::string& organization_id,
                                                  const std::string& parent_id,
                                                  const ListQuery& query) {
  Params params;
  std::string where = ScopeCondition<T>(organization_id, parent_id, params);
  AddListConditions(query, where, params);
  return SelectMany<T>(db_, where, params, query.limit);
}

template <typename T>
Result<T> SqliteObjectTable<T>::GetById(const std::string& organization_id,
                                        const std::string& id) {
  return SelectOne<T>(db_, "organization_id = ? AND id = ?", {organization_id, id}, id);
}

template <typename T>
Result<T> SqliteObjectTable<T>::GetByName(const std::string& organization_id,
                                          const std::string& parent_id,
                                          const std::string& name) {
  Params params;
  std::string where = ScopeCondition<T>(organization_id, parent_id, params) + " AND name = ?";
  params.push_back(name);
  return SelectOne<T>(db_, where, params, name);
}

template <typename T>
Status SqliteObjectTable<T>::Insert(const T& object) {
  std::string placeholders = JoinColumns(
      Columns<T>(), [](const std::string&, size_t position) { return "?" + std::to_string(position); });
  SQLite::Statement insert(db_, std::string("INSERT INTO ") + Table<T>::kName + " (" +
                                    ColumnList<T>() + ") VALUES (" + placeholders + ")");
  BindMeta(insert, object.meta);
  Table<T>::Bind(insert, object);
  insert.exec();
  return Status::Ok();
}

// Rewrites every column of the row with object.meta.id (bound as ?1) in
// object.meta.organization_id (?2): never a row of another organization.
template <typename T>
Status SqliteObjectTable<T>::Update(const T& object) {
  std::string assignments = JoinColumns(Columns<T>(), [](const std::string& column, size_t position) {
    return column + " = ?" + std::to_string(position);
  });
  SQLite::Statement update(db_, std::string("UPDATE ") + Table<T>::kName + " SET " + assignments +
                                    " WHERE id = ?1 AND organization_id = ?2");
  BindMeta(update, object.meta);
  Table<T>::Bind(update, object);
  if (update.exec() != 1) {
    return Status::NotFound(std::string(Table<T>::kKind) + " " + object.meta.id + " not found");
  }
  return Status::Ok();
}

template <typename T>
Status SqliteObjectTable<T>::Delete(const std::string& organization_id, const std::string& id) {
  SQLite::Statement remove(
      db_, std::string("DELETE FROM ") + Table<T>::kName + " WHERE organization_id = ? AND id = ?");
  BindParams(remove, {organization_id, id});
  if (remove.exec() != 1) {
    return Status::NotFound(std::string(Table<T>::kKind) + " " + id + " not found");
  }
  return Status::Ok();
}

std::vector<Organization> SelectAllOrganizations(SQLite::Database& db) {
  return SelectMany<Organization>(db, "1 = 1", {});
}

template class SqliteObjectTable<Organization>;
template class SqliteObjectTable<Workspace>;
template class SqliteObjectTable<Project>;
template class SqliteObjectTable<User>;
template class SqliteObjectTable<ServiceAccount>;
template class SqliteObjectTable<Team>;
template class SqliteObjectTable<StackComponent>;
template class SqliteObjectTable<Stack>;
template class SqliteObjectTable<ProjectStack>;
template class SqliteObjectTable<Role>;
template class SqliteObjectTable<RoleAssignment>;
template class SqliteObjectTable<Model>;
template class SqliteObjectTable<ModelVersion>;
template class SqliteObjectTable<PromotionPolicy>;
template class SqliteObjectTable<PromotionRequest>;

}  // namespace rampart::sqlite
