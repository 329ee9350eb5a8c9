#include "store/sqlite/sqlite_transaction.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <array>
#include <vector>

namespace rampart::sqlite {
namespace {

using Params = std::vector<std::string>;

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

// How each named object maps onto its table: the meta columns, then `extra_columns`.
template <typename T>
struct Table;

template <>
struct Table<Organization> {
  static constexpr const char* kName = "organizations";
  static constexpr const char* kKind = "organization";
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static Organization FromRow(SQLite::Statement& row) { return {ReadMeta(row)}; }
  static void BindExtra(SQLite::Statement&, const Organization&) {}
};

template <>
struct Table<Workspace> {
  static constexpr const char* kName = "workspaces";
  static constexpr const char* kKind = "workspace";
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static Workspace FromRow(SQLite::Statement& row) { return {ReadMeta(row)}; }
  static void BindExtra(SQLite::Statement&, const Workspace&) {}
};

template <>
struct Table<Project> {
  static constexpr const char* kName = "projects";
  static constexpr const char* kKind = "project";
  static constexpr std::array<const char*, 1> kExtraColumns{"workspace_id"};
  static Project FromRow(SQLite::Statement& row) {
    return {ReadMeta(row), row.getColumn(kMetaColumnCount).getString()};
  }
  static void BindExtra(SQLite::Statement& statement, const Project& project) {
    statement.bind(kMetaColumnCount + 1, project.workspace_id);
  }
};

// The table's columns in bind order: meta columns, then the type's own.
// (Columns<T> below: the table's columns in bind order.)
template <>
struct Table<ServiceAccount> {
  static constexpr const char* kName = "service_accounts";
  static constexpr const char* kKind = "service account";
  static constexpr std::array<const char*, 0> kExtraColumns{};
  static ServiceAccount FromRow(SQLite::Statement& row) { return {ReadMeta(row)}; }
  static void BindExtra(SQLite::Statement&, const ServiceAccount&) {}
};

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

// Binds `params` to consecutive placeholders starting at `first`.
void BindParams(SQLite::Statement& statement, const Params& params, int first = 1) {
  int index = first;
  for (const std::string& param : params) statement.bind(index++, param);
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

template <typename T>
Status InsertRow(SQLite::Database& db, const T& object) {
  std::vector<std::string> columns = Columns<T>();
  std::string placeholders =
      JoinColumns(columns, [](const std::string&, size_t position) { return "?" + std::to_string(position); });
  SQLite::Statement insert(db, std::string("INSERT INTO ") + Table<T>::kName + " (" +
                                   ColumnList<T>() + ") VALUES (" + placeholders + ")");
  BindMeta(insert, object.meta);
  Table<T>::BindExtra(insert, object);
  insert.exec();
  return Status::Ok();
}

// Rewrites every column of the row with object.meta.id (bound as ?1) in
// object.meta.organization_id (?2): never a row of another organization.
template <typename T>
Status UpdateRow(SQLite::Database& db, const T& object) {
  std::string assignments = JoinColumns(Columns<T>(), [](const std::string& column, size_t position) {
    return column + " = ?" + std::to_string(position);
  });
  SQLite::Statement update(
      db, std::string("UPDATE ") + Table<T>::kName + " SET " + assignments +
                                   " WHERE id = ?1 AND organization_id = ?2");
  BindMeta(update, object.meta);
  Table<T>::BindExtra(update, object);
  if (update.exec() != 1) {
    return Status::NotFound(std::string(Table<T>::kKind) + " " + object.meta.id + " not found");
  }
  return Status::Ok();
}

template <typename T>
Status DeleteRow(SQLite::Database& db, const std::string& organization_id, const std::string& id) {
  SQLite::Statement remove(
      db, std::string("DELETE FROM ") + Table<T>::kName + " WHERE organization_id = ? AND id = ?");
  BindParams(remove, {organization_id, id});
  if (remove.exec() != 1) return Status::NotFound(std::string(Table<T>::kKind) + " " + id + " not found");
  return Status::Ok();
}

// Adds the conditions of `query` to `where` and `params`.
void AddListConditions(const ListQuery& query, std::string& where, Params& params) {
  if (!query.name_prefix.empty()) {
    // Prefixes hold only [a-z0-9-] (validated), so no LIKE wildcard can sneak in.
    where += " AND name LIKE ?";
    params.push_back(query.name_prefix + "%");
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

template <typename T>
std::vector<T> SelectList(SQLite::Database& db, std::string where, Params params,
                          const ListQuery& query) {
  AddListConditions(query, where, params);
  return SelectMany<T>(db, where, params, query.limit);
}

std::optional<TimestampMs> OptionalTime(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

void BindOptionalTime(SQLite::Statement& statement, int index, std::optional<TimestampMs> value) {
  if (value) {
    statement.bind(index, static_cast<int64_t>(*value));
  } else {
    statement.bind(index);
  }
}

constexpr char kApiKeyColumns[] =
    "id, organization_id, secret_hash, description, system_admin, principal_type, principal_id, "
    "created_by, created_at, expires_at, revoked_at, last_used_at";

ApiKeyRecord ReadApiKey(SQLite::Statement& row) {
  ApiKeyRecord key;
  key.id = row.getColumn(0).getString();
  key.organization_id = row.getColumn(1).getString();
  key.secret_hash = row.getColumn(2).getString();
  key.description = row.getColumn(3).getString();
  key.system_admin = row.getColumn(4).getInt() != 0;
  key.principal_type = row.getColumn(5).getString();
  key.principal_id = row.getColumn(6).getString();
  key.created_by = row.getColumn(7).getString();
  key.created_at = row.getColumn(8).getInt64();
  key.expires_at = OptionalTime(row.getColumn(9));
  key.revoked_at = OptionalTime(row.getColumn(10));
  key.last_used_at = OptionalTime(row.getColumn(11));
  return key;
}

}  // namespace

Status StatusFromSqliteException(const SQLite::Exception& e) {
  // Only a name constraint is the caller's doing ("UNIQUE constraint failed:
  // workspaces.organization_id, workspaces.name"); a clash of generated ids is ours.
  std::string message = e.what();
  bool name_taken = e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE &&
                    message.size() >= 5 && message.compare(message.size() - 5, 5, ".name") == 0;
  if (name_taken) {
    return Status::Error(StatusCode::kAlreadyExists, "name: already taken in its parent", "name",
                         "taken");
  }
  return Status::Internal("storage error");
}

Result<std::vector<Organization>> SqliteTransaction::ListOrganizations() {
  return SelectMany<Organization>(db_, "1 = 1", {});
}

Result<Organization> SqliteTransaction::GetOrganization(const std::string& id) {
  return SelectOne<Organization>(db_, "id = ?", {id}, id);
}

Status SqliteTransaction::InsertOrganization(const Organization& organization) {
  return InsertRow(db_, organization);
}

Result<ApiKeyRecord> SqliteTransaction::GetApiKey(const std::string& key_id) {
  SQLite::Statement query(db_, std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE id = ?");
  query.bind(1, key_id);
  if (!query.executeStep()) return Status::NotFound("api key " + key_id + " not found");
  return ReadApiKey(query);
}

Status SqliteTransaction::InsertApiKey(const ApiKeyRecord& key) {
  SQLite::Statement insert(db_, std::string("INSERT INTO api_keys (") + kApiKeyColumns +
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  BindParams(insert, {key.id, key.organization_id, key.secret_hash, key.description});
  insert.bind(5, key.system_admin ? 1 : 0);
  BindParams(insert, {key.principal_type, key.principal_id, key.created_by}, 6);
  insert.bind(9, static_cast<int64_t>(key.created_at));
  BindOptionalTime(insert, 10, key.expires_at);
  BindOptionalTime(insert, 11, key.revoked_at);
  BindOptionalTime(insert, 12, key.last_used_at);
  insert.exec();
  return Status::Ok();
}

Result<std::vector<ApiKeyRecord>> SqliteTransaction::ListApiKeys(
    const std::string& organization_id, const std::string& principal_type,
    const std::string& principal_id) {
  SQLite::Statement query(db_, std::string("SELECT ") + kApiKeyColumns +
                                   " FROM api_keys WHERE organization_id = ? AND "
                                   "principal_type = ? AND principal_id = ? "
                                   "ORDER BY created_at, id");
  BindParams(query, {organization_id, principal_type, principal_id});
  std::vector<ApiKeyRecord> keys;
  while (query.executeStep()) keys.push_back(ReadApiKey(query));
  return keys;
}

Status SqliteTransaction::RevokeApiKey(const std::string& organization_id,
                                       const std::string& key_id, TimestampMs at) {
  SQLite::Statement update(db_,
                           "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) "
                           "WHERE id = ? AND organization_id = ?");
  update.bind(1, static_cast<int64_t>(at));
  BindParams(update, {key_id, organization_id}, 2);
  if (update.exec() != 1) return Status::NotFound("api key " + key_id + " not found");
  return Status::Ok();
}

Status SqliteTransaction::TouchApiKey(const std::string& key_id, TimestampMs at,
                                      TimestampMs resolution) {
  SQLite::Statement update(db_,
                           "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND "
                           "revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= ?)");
  update.bind(1, static_cast<int64_t>(at));
  update.bind(2, key_id);
  update.bind(3, static_cast<int64_t>(at - resolution));
  update.exec();
  return Status::Ok();
}

Result<std::vector<Workspace>> SqliteTransaction::ListWorkspaces(
    const std::string& organization_id, const ListQuery& query) {
  return SelectList<Workspace>(db_, "organization_id = ?", {organization_id}, query);
}

Result<Workspace> SqliteTransaction::GetWorkspaceById(const std::string& organization_id,
                                                      const std::string& id) {
  return SelectOne<Workspace>(db_, "organization_id = ? AND id = ?", {organization_id, id}, id);
}

Result<Workspace> SqliteTransaction::GetWorkspaceByName(const std::string& organization_id,
                                                        const std::string& name) {
  return SelectOne<Workspace>(db_, "organization_id = ? AND name = ?", {organization_id, name},
                              name);
}

Status SqliteTransaction::InsertWorkspace(const Workspace& workspace) {
  return InsertRow(db_, workspace);
}

Status SqliteTransaction::UpdateWorkspace(const Workspace& workspace) {
  return UpdateRow(db_, workspace);
}

Status SqliteTransaction::DeleteWorkspace(const std::string& organization_id,
                                          const std::string& id) {
  return DeleteRow<Workspace>(db_, organization_id, id);
}

Result<std::vector<Project>> SqliteTransaction::ListProjects(const std::string& organization_id,
                                                             const std::string& workspace_id,
                                                             const ListQuery& query) {
  return SelectList<Project>(db_, "organization_id = ? AND workspace_id = ?",
                             {organization_id, workspace_id}, query);
}

Result<Project> SqliteTransaction::GetProjectById(const std::string& organization_id,
                                                  const std::string& id) {
  return SelectOne<Project>(db_, "organization_id = ? AND id = ?", {organization_id, id}, id);
}

Result<Project> SqliteTransaction::GetProjectByName(const std::string& organization_id,
                                                    const std::string& workspace_id,
                                                    const std::string& name) {
  return SelectOne<Project>(db_, "organization_id = ? AND workspace_id = ? AND name = ?",
                            {organization_id, workspace_id, name}, name);
}

Status SqliteTransaction::InsertProject(const Project& project) { return InsertRow(db_, project); }

Status SqliteTransaction::UpdateProject(const Project& project) { return UpdateRow(db_, project); }

Status SqliteTransaction::DeleteProject(const std::string& organization_id,
                                        const std::string& id) {
  return DeleteRow<Project>(db_, organization_id, id);
}

Result<std::vector<ServiceAccount>> SqliteTransaction::ListServiceAccounts(
    const std::string& organization_id, const ListQuery& query) {
  return SelectList<ServiceAccount>(db_, "organization_id = ?", {organization_id}, query);
}

Result<ServiceAccount> SqliteTransaction::GetServiceAccountById(const std::string& organization_id,
                                                                const std::string& id) {
  return SelectOne<ServiceAccount>(db_, "organization_id = ? AND id = ?", {organization_id, id},
                                   id);
}

Result<ServiceAccount> SqliteTransaction::GetServiceAccountByName(
    const std::string& organization_id, const std::string& name) {
  return SelectOne<ServiceAccount>(db_, "organization_id = ? AND name = ?",
                                   {organization_id, name}, name);
}

Status SqliteTransaction::InsertServiceAccount(const ServiceAccount& service_account) {
  return InsertRow(db_, service_account);
}

Status SqliteTransaction::UpdateServiceAccount(const ServiceAccount& service_account) {
  return UpdateRow(db_, service_account);
}

Status SqliteTransaction::DeleteServiceAccount(const std::string& organization_id,
                                               const std::string& id) {
  return DeleteRow<ServiceAccount>(db_, organization_id, id);
}

Status SqliteTransaction::AppendAuditEvent(const AuditEvent& event) {
  SQLite::Statement insert(
      db_,
      "INSERT INTO audit_events (id, organization_id, time, actor, key_id, action, target_type, "
      "target_id, target_name, workspace_id, project_id, outcome, before_json, after_json, "
      "request_id, source_ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?)");
  const std::string* texts[] = {&event.id,          &event.organization_id, nullptr,
                                &event.actor,       &event.key_id,          &event.action,
                                &event.target_type, &event.target_id,       &event.target_name,
                                &event.workspace_id, &event.project_id,     &event.outcome,
                                &event.before_json, &event.after_json,      &event.request_id,
                                &event.source_ip,   &event.user_agent};
  for (int i = 0; i < static_cast<int>(std::size(texts)); ++i) {
    if (texts[i] == nullptr) {
      insert.bind(i + 1, static_cast<int64_t>(event.time));
    } else {
      insert.bind(i + 1, *texts[i]);
    }
  }
  insert.exec();
  return Status::Ok();
}

Result<std::vector<AuditEvent>> SqliteTransaction::ListAuditEvents(
    const std::string& organization_id, const AuditQuery& filter) {
  std::string sql =
      "SELECT sequence, id, organization_id, time, actor, key_id, action, target_type, "
      "target_id, target_name, workspace_id, project_id, outcome, before_json, after_json, "
      "request_id, source_ip, user_agent FROM audit_events WHERE organization_id = ? "
      "AND sequence > ?";
  if (filter.since) sql += " AND time >= ?";
  if (filter.until) sql += " AND time < ?";
  if (!filter.target_id.empty()) sql += " AND target_id = ?";
  sql += " ORDER BY sequence LIMIT ?";
  SQLite::Statement query(db_, sql);
  int index = 1;
  query.bind(index++, organization_id);
  query.bind(index++, static_cast<int64_t>(filter.after_sequence));
  if (filter.since) query.bind(index++, static_cast<int64_t>(*filter.since));
  if (filter.until) query.bind(index++, static_cast<int64_t>(*filter.until));
  if (!filter.target_id.empty()) query.bind(index++, filter.target_id);
  query.bind(index++, static_cast<int64_t>(filter.limit));

  std::vector<AuditEvent> events;
  while (query.executeStep()) {
    AuditEvent event;
    event.sequence = query.getColumn(0).getInt64();
    event.time = query.getColumn(3).getInt64();
    std::string* texts[] = {&event.id,          &event.organization_id, nullptr,
                            &event.actor,       &event.key_id,          &event.action,
                            &event.target_type, &event.target_id,       &event.target_name,
                            &event.workspace_id, &event.project_id,     &event.outcome,
                            &event.before_json, &event.after_json,      &event.request_id,
                            &event.source_ip,   &event.user_agent};
    for (int i = 0; i < static_cast<int>(std::size(texts)); ++i) {
      if (texts[i] != nullptr) *texts[i] = query.getColumn(i + 1).getString();
    }
    events.push_back(std::move(event));
  }
  return events;
}

Result<IdempotencyRecord> SqliteTransaction::GetIdempotencyRecord(
    const std::string& organization_id, const std::string& key) {
  SQLite::Statement query(db_,
                          "SELECT action, fingerprint, target_id, created_at FROM idempotency_keys "
                          "WHERE organization_id = ? AND key = ?");
  BindParams(query, {organization_id, key});
  if (!query.executeStep()) return Status::NotFound("idempotency key not found");
  IdempotencyRecord record;
  record.organization_id = organization_id;
  record.key = key;
  record.action = query.getColumn(0).getString();
  record.fingerprint = query.getColumn(1).getString();
  record.target_id = query.getColumn(2).getString();
  record.created_at = query.getColumn(3).getInt64();
  return record;
}

Status SqliteTransaction::InsertIdempotencyRecord(const IdempotencyRecord& record) {
  SQLite::Statement insert(db_,
                           "INSERT INTO idempotency_keys (organization_id, key, action, "
                           "fingerprint, target_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  BindParams(insert, {record.organization_id, record.key, record.action, record.fingerprint,
                      record.target_id});
  insert.bind(6, static_cast<int64_t>(record.created_at));
  insert.exec();
  return Status::Ok();
}

}  // namespace rampart::sqlite
