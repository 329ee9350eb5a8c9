#include "store/sqlite/sqlite_transaction.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <array>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "audit/audit_chain.h"
#include "store/sqlite/statement_values.h"

namespace rampart::sqlite {
namespace {

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
  key.expires_at = ReadOptionalInt(row.getColumn(9));
  key.revoked_at = ReadOptionalInt(row.getColumn(10));
  key.last_used_at = ReadOptionalInt(row.getColumn(11));
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
  // The environment refusing a write is no fault of the request, and goes away once an
  // operator frees space, restores permissions or the other process lets go: retryable.
  auto unavailable = [](const std::string& what) {
    return Status::Error(StatusCode::kUnavailable, what + "; the change was not made, retry later", "",
                         "storage_unavailable");
  };
  switch (e.getErrorCode()) {
    case SQLITE_FULL: return unavailable("storage full: no space left on the data dir's disk");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN: return unavailable("storage read-only: rampartd cannot write to its data dir");
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return unavailable("storage busy: another process holds the database lock");
    case SQLITE_IOERR: return unavailable("storage I/O error on the data dir's disk");
    default: return Status::Internal("storage error");
  }
}

Result<std::vector<Organization>> SqliteTransaction::ListOrganizations() {
  return SelectAllOrganizations(db_);
}

Result<Organization> SqliteTransaction::GetOrganization(const std::string& id) {
  return organizations_.GetById(id, id);
}

Status SqliteTransaction::InsertOrganization(const Organization& organization) {
  return organizations_.Insert(organization);
}

Status SqliteTransaction::UpdateOrganization(const Organization& organization) {
  return organizations_.Update(organization);
}

Status SqliteTransaction::DeleteOrganization(const std::string& id) {
  for (const char* table : {"role_assignments", "api_keys", "idempotency_keys"}) {
    SQLite::Statement remove(db_, std::string("DELETE FROM ") + table + " WHERE organization_id = ?");
    remove.bind(1, id);
    remove.exec();
  }
  return organizations_.Delete(id, id);
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
  BindOptionalInt(insert, 10, key.expires_at);
  BindOptionalInt(insert, 11, key.revoked_at);
  BindOptionalInt(insert, 12, key.last_used_at);
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

namespace {

constexpr char kAuditColumns[] =
    "sequence, id, organization_id, time, actor, key_id, action, target_type, target_id, "
    "target_name, workspace_id, project_id, outcome, before_json, after_json, request_id, "
    "source_ip, user_agent, chain_index, prev_hash, hash";

// The text columns of kAuditColumns after sequence, in order; nullptr for time and
// chain_index, which are integers.
std::vector<std::string*> AuditTextColumns(AuditEvent& event) {
  return {&event.id,          &event.organization_id, nullptr,
          &event.actor,       &event.key_id,          &event.action,
          &event.target_type, &event.target_id,       &event.target_name,
          &event.workspace_id, &event.project_id,     &event.outcome,
          &event.before_json, &event.after_json,      &event.request_id,
          &event.source_ip,   &event.user_agent,      nullptr,
          &event.prev_hash,   &event.hash};
}

AuditEvent ReadAuditEvent(SQLite::Statement& row) {
  AuditEvent event;
  event.sequence = row.getColumn(0).getInt64();
  event.time = row.getColumn(3).getInt64();
  event.chain_index = row.getColumn(18).getInt64();
  std::vector<std::string*> texts = AuditTextColumns(event);
  for (int i = 0; i < static_cast<int>(texts.size()); ++i) {
    if (texts[i] != nullptr) *texts[i] = row.getColumn(i + 1).getString();
  }
  return event;
}

void InsertAuditEvent(SQLite::Database& db, AuditEvent& event) {
  SQLite::Statement insert(
      db,
      "INSERT INTO audit_events (id, organization_id, time, actor, key_id, action, target_type, "
      "target_id, target_name, workspace_id, project_id, outcome, before_json, after_json, "
      "request_id, source_ip, user_agent, chain_index, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::vector<std::string*> texts = AuditTextColumns(event);
  for (int i = 0; i < static_cast<int>(texts.size()); ++i) {
    if (texts[i] != nullptr) {
      insert.bind(i + 1, *texts[i]);
    } else {
      insert.bind(i + 1, static_cast<int64_t>(i == 2 ? event.time : event.chain_index));
    }
  }
  insert.exec();
  event.sequence = db.getLastInsertRowid();
}

}  // namespace

Status SqliteTransaction::AppendAuditEvent(const AuditEvent& event) {
  AuditEvent chained = event;
  // The write transaction holds the database's write lock, so no other append can slip in
  // between reading the organization's last event and inserting after it.
  SQLite::Statement last(db_,
                         "SELECT chain_index, hash FROM audit_events WHERE organization_id = ? "
                         "ORDER BY sequence DESC LIMIT 1");
  last.bind(1, event.organization_id);
  if (last.executeStep()) {
    ChainAfter(last.getColumn(0).getInt64(), last.getColumn(1).getString(), chained);
  } else {
    ChainAfter(0, kChainStart, chained);
  }
  InsertAuditEvent(db_, chained);
  return Status::Ok();
}

Status SqliteTransaction::ChainOlderAuditEvents(int64_t up_to_sequence) {
  SQLite::Statement unchained(db_, std::string("SELECT ") + kAuditColumns +
                                       " FROM audit_events WHERE sequence <= ? ORDER BY sequence");
  unchained.bind(1, static_cast<int64_t>(up_to_sequence));
  std::map<std::string, std::pair<int64_t, std::string>> last;  // by organization
  while (unchained.executeStep()) {
    AuditEvent event = ReadAuditEvent(unchained);
    auto found = last.try_emplace(event.organization_id, 0, kChainStart).first;
    ChainAfter(found->second.first, found->second.second, event);
    SQLite::Statement update(db_,
                             "UPDATE audit_events SET chain_index = ?, prev_hash = ?, hash = ? "
                             "WHERE sequence = ?");
    update.bind(1, static_cast<int64_t>(event.chain_index));
    update.bind(2, event.prev_hash);
    update.bind(3, event.hash);
    update.bind(4, static_cast<int64_t>(event.sequence));
    update.exec();
    found->second = {event.chain_index, event.hash};
  }
  return Status::Ok();
}

Result<std::vector<ChainCheckpoint>> SqliteTransaction::ListAuditCheckpoints() {
  SQLite::Statement query(db_,
                          "SELECT organization_id, chain_index, hash, time, purged_events "
                          "FROM audit_checkpoints ORDER BY organization_id");
  std::vector<ChainCheckpoint> checkpoints;
  while (query.executeStep()) {
    checkpoints.push_back({query.getColumn(0).getString(), query.getColumn(1).getInt64(),
                           query.getColumn(2).getString(), query.getColumn(3).getInt64(),
                           query.getColumn(4).getInt64()});
  }
  return checkpoints;
}

Result<int64_t> SqliteTransaction::PurgeAuditEvents(const std::string& organization_id, TimestampMs before) {
  // The last event to go: the latest in append order written before `before`, and never
  // the newest event, which the next append chains after.
  SQLite::Statement last(db_,
                         "SELECT sequence, chain_index, hash, time FROM audit_events "
                         "WHERE organization_id = ?1 AND time < ?2 AND sequence < "
                         "(SELECT MAX(sequence) FROM audit_events WHERE organization_id = ?1) "
                         "ORDER BY sequence DESC LIMIT 1");
  last.bind(1, organization_id);
  last.bind(2, static_cast<int64_t>(before));
  if (!last.executeStep()) return int64_t{0};
  const int64_t up_to = last.getColumn(0).getInt64();
  const int64_t chain_index = last.getColumn(1).getInt64();
  const std::string hash = last.getColumn(2).getString();
  const int64_t time = last.getColumn(3).getInt64();

  SQLite::Statement purge(db_, "DELETE FROM audit_events WHERE organization_id = ? AND sequence <= ?");
  purge.bind(1, organization_id);
  purge.bind(2, up_to);
  const int64_t deleted = purge.exec();
  SQLite::Statement checkpoint(db_,
                               "INSERT INTO audit_checkpoints (organization_id, chain_index, hash, time, "
                               "purged_events) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (organization_id) DO "
                               "UPDATE SET chain_index = ?2, hash = ?3, time = ?4, "
                               "purged_events = purged_events + ?5");
  checkpoint.bind(1, organization_id);
  checkpoint.bind(2, chain_index);
  checkpoint.bind(3, hash);
  checkpoint.bind(4, time);
  checkpoint.bind(5, deleted);
  checkpoint.exec();
  return deleted;
}

Result<std::vector<AuditEvent>> SqliteTransaction::ScanAuditEvents(int64_t after_sequence,
                                                                   size_t limit) {
  SQLite::Statement query(db_, std::string("SELECT ") + kAuditColumns +
                                   " FROM audit_events WHERE sequence > ? ORDER BY sequence LIMIT ?");
  query.bind(1, static_cast<int64_t>(after_sequence));
  query.bind(2, static_cast<int64_t>(limit));
  std::vector<AuditEvent> events;
  while (query.executeStep()) events.push_back(ReadAuditEvent(query));
  return events;
}

Result<std::vector<AuditEvent>> SqliteTransaction::ListAuditEvents(
    const std::string& organization_id, const AuditQuery& audit_query) {
  const AuditFilter& filter = audit_query.filter;
  // A time range becomes the range of sequences written in it first (an index-only scan of
  // (organization_id[, project_id or workspace_id], time, sequence)), so that the page walks
  // an index in sequence order from the range's first event instead of from the trail's
  // start. The time terms stay: an event written out of time order inside that sequence
  // range is still filtered.
  int64_t after_sequence = audit_query.after_sequence;
  std::optional<int64_t> last_sequence;
  if (filter.since || filter.until) {
    std::string scope_column, scope_value;
    if (!filter.project_id.empty()) {
      scope_column = "project_id", scope_value = filter.project_id;
    } else if (!filter.workspace_id.empty()) {
      scope_column = "workspace_id", scope_value = filter.workspace_id;
    }
    SQLite::Statement range(db_, "SELECT MIN(sequence), MAX(sequence) FROM audit_events WHERE organization_id = ?" +
                                     (scope_column.empty() ? std::string(" AND ? = ''")
                                                           : " AND " + scope_column + " = ?") +
                                     " AND time >= ? AND time < ?");
    range.bind(1, organization_id);
    range.bind(2, scope_value);
    range.bind(3, static_cast<int64_t>(filter.since.value_or(std::numeric_limits<int64_t>::min())));
    range.bind(4, static_cast<int64_t>(filter.until.value_or(std::numeric_limits<int64_t>::max())));
    range.executeStep();
    if (range.getColumn(0).isNull()) return std::vector<AuditEvent>{};
    after_sequence = std::max(after_sequence, range.getColumn(0).getInt64() - 1);
    last_sequence = range.getColumn(1).getInt64();
  }
  std::string sql = std::string("SELECT ") + kAuditColumns +
                    " FROM audit_events WHERE organization_id = ? AND sequence > ?";
  if (last_sequence) sql += " AND sequence <= " + std::to_string(*last_sequence);
  Params texts;  // bound after the integers below, in the order of their clauses
  if (filter.since) sql += " AND time >= ?";
  if (filter.until) sql += " AND time < ?";
  auto equal = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    sql += std::string(" AND ") + column + " = ?";
    texts.push_back(value);
  };
  equal("target_id", filter.target_id);
  equal("actor", filter.actor);
  equal("workspace_id", filter.workspace_id);
  equal("project_id", filter.project_id);
  equal("outcome", filter.outcome);
  if (!filter.actions.empty()) {
    std::string any;
    for (const std::string& action : filter.actions) {
      any += any.empty() ? "" : " OR ";
      // "kind.*": every action on the kind (substr, not LIKE, whose '_' is a wildcard).
      if (action.size() > 2 && action.compare(action.size() - 2, 2, ".*") == 0) {
        std::string prefix = action.substr(0, action.size() - 1);
        any += "substr(action, 1, " + std::to_string(prefix.size()) + ") = ?";
        texts.push_back(prefix);
      } else {
        any += "action = ?";
        texts.push_back(action);
      }
    }
    sql += " AND (" + any + ")";
  }
  sql += " ORDER BY sequence LIMIT ?";
  SQLite::Statement query(db_, sql);
  int index = 1;
  query.bind(index++, organization_id);
  query.bind(index++, static_cast<int64_t>(after_sequence));
  if (filter.since) query.bind(index++, static_cast<int64_t>(*filter.since));
  if (filter.until) query.bind(index++, static_cast<int64_t>(*filter.until));
  BindParams(query, texts, index);
  index += static_cast<int>(texts.size());
  query.bind(index++, static_cast<int64_t>(audit_query.limit));

  std::vector<AuditEvent> events;
  while (query.executeStep()) events.push_back(ReadAuditEvent(query));
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

Status SqliteTransaction::DeleteIdempotencyRecordsBefore(const std::string& organization_id,
                                                         TimestampMs before) {
  SQLite::Statement remove(db_,
                           "DELETE FROM idempotency_keys WHERE organization_id = ? AND created_at < ?");
  remove.bind(1, organization_id);
  remove.bind(2, static_cast<int64_t>(before));
  remove.exec();
  return Status::Ok();
}

}  // namespace rampart::sqlite
