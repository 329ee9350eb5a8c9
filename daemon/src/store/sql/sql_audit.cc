// SqlTransaction's audit trail: appends that chain each organization's events, queries,
// verification scans and retention purges.
#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "audit/audit_chain.h"
#include "store/sql/sql_transaction.h"

namespace rampart::sql {
namespace {

constexpr char kAuditColumns[] =
    "sequence, id, organization_id, time, actor, key_id, action, target_type, target_id, "
    "target_name, workspace_id, project_id, outcome, before_json, after_json, request_id, "
    "source_ip, user_agent, chain_index, prev_hash, hash";

// The text columns of kAuditColumns after sequence, in order; nullptr for time and
// chain_index, which are integers.
std::vector<std::string*> AuditTextColumns(AuditEvent& event) {
  return {&event.id,           &event.organization_id, nullptr,
          &event.actor,        &event.key_id,          &event.action,
          &event.target_type,  &event.target_id,       &event.target_name,
          &event.workspace_id, &event.project_id,      &event.outcome,
          &event.before_json,  &event.after_json,      &event.request_id,
          &event.source_ip,    &event.user_agent,      nullptr,
          &event.prev_hash,    &event.hash};
}

AuditEvent AuditEventFromRow(const Row& row) {
  AuditEvent event;
  event.sequence = row.Int(0);
  event.time = row.Int(3);
  event.chain_index = row.Int(18);
  std::vector<std::string*> texts = AuditTextColumns(event);
  for (int i = 0; i < static_cast<int>(texts.size()); ++i) {
    if (texts[i] != nullptr) *texts[i] = row.Text(i + 1);
  }
  return event;
}

// Inserts `event` and sets its sequence, the append order the database gave it.
void InsertAuditEvent(Connection& connection, AuditEvent& event) {
  Values values;
  std::vector<std::string*> texts = AuditTextColumns(event);
  for (int i = 0; i < static_cast<int>(texts.size()); ++i) {
    if (texts[i] != nullptr) {
      values.push_back(*texts[i]);
    } else {
      values.push_back(i == 2 ? event.time : event.chain_index);
    }
  }
  connection.Query(
      "INSERT INTO audit_events (id, organization_id, time, actor, key_id, action, target_type, "
      "target_id, target_name, workspace_id, project_id, outcome, before_json, after_json, "
      "request_id, source_ip, user_agent, chain_index, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING sequence",
      values, [&](const Row& row) { event.sequence = row.Int(0); });
}

std::vector<AuditEvent> SelectAuditEvents(Connection& connection, const std::string& sql,
                                          const Values& params) {
  std::vector<AuditEvent> events;
  connection.Query(sql, params, [&](const Row& row) { events.push_back(AuditEventFromRow(row)); });
  return events;
}

}  // namespace

Status SqlTransaction::AppendAuditEvent(const AuditEvent& event) {
  // The write transaction is the database's only writer, so no other append can slip in
  // between reading the organization's last event and inserting after it.
  int64_t last_index = 0;
  std::string last_hash = kChainStart;
  connection_.Query(
      "SELECT chain_index, hash FROM audit_events WHERE organization_id = ? ORDER BY sequence DESC LIMIT 1",
      {event.organization_id}, [&](const Row& row) {
        last_index = row.Int(0);
        last_hash = row.Text(1);
      });
  AuditEvent chained = event;
  ChainAfter(last_index, last_hash, chained);
  InsertAuditEvent(connection_, chained);
  return Status::Ok();
}

Status SqlTransaction::ChainOlderAuditEvents(int64_t up_to_sequence) {
  std::vector<AuditEvent> unchained = SelectAuditEvents(
      connection_, std::string("SELECT ") + kAuditColumns + " FROM audit_events WHERE sequence <= ? ORDER BY sequence",
      {up_to_sequence});
  std::map<std::string, std::pair<int64_t, std::string>> last;  // by organization
  for (AuditEvent& event : unchained) {
    auto found = last.try_emplace(event.organization_id, 0, kChainStart).first;
    ChainAfter(found->second.first, found->second.second, event);
    connection_.Execute("UPDATE audit_events SET chain_index = ?, prev_hash = ?, hash = ? WHERE sequence = ?",
                        {event.chain_index, event.prev_hash, event.hash, event.sequence});
    found->second = {event.chain_index, event.hash};
  }
  return Status::Ok();
}

Result<std::vector<ChainCheckpoint>> SqlTransaction::ListAuditCheckpoints() {
  std::vector<ChainCheckpoint> checkpoints;
  connection_.Query(
      "SELECT organization_id, chain_index, hash, time, purged_events FROM audit_checkpoints "
      "ORDER BY organization_id",
      {}, [&](const Row& row) {
        checkpoints.push_back({row.Text(0), row.Int(1), row.Text(2), row.Int(3), row.Int(4)});
      });
  return checkpoints;
}

Result<int64_t> SqlTransaction::PurgeAuditEvents(const std::string& organization_id, TimestampMs before) {
  // The last event to go: the latest in append order written before `before`, and never
  // the newest event, which the next append chains after.
  std::optional<ChainCheckpoint> last;
  int64_t up_to = 0;
  connection_.Query(
      "SELECT sequence, chain_index, hash, time FROM audit_events "
      "WHERE organization_id = ?1 AND time < ?2 AND sequence < "
      "(SELECT MAX(sequence) FROM audit_events WHERE organization_id = ?1) "
      "ORDER BY sequence DESC LIMIT 1",
      {organization_id, before}, [&](const Row& row) {
        up_to = row.Int(0);
        last = ChainCheckpoint{organization_id, row.Int(1), row.Text(2), row.Int(3), 0};
      });
  if (!last) return int64_t{0};
  const int64_t deleted = connection_.Execute(
      "DELETE FROM audit_events WHERE organization_id = ? AND sequence <= ?", {organization_id, up_to});
  connection_.Execute(
      "INSERT INTO audit_checkpoints (organization_id, chain_index, hash, time, purged_events) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (organization_id) DO UPDATE SET chain_index = ?2, "
      "hash = ?3, time = ?4, purged_events = audit_checkpoints.purged_events + ?5",
      {organization_id, last->chain_index, last->hash, last->time, deleted});
  return deleted;
}

Result<std::vector<AuditEvent>> SqlTransaction::ScanAuditEvents(int64_t after_sequence, size_t limit) {
  return SelectAuditEvents(
      connection_, std::string("SELECT ") + kAuditColumns + " FROM audit_events WHERE sequence > ? ORDER BY sequence LIMIT ?",
      {after_sequence, static_cast<int64_t>(limit)});
}

Result<std::vector<AuditEvent>> SqlTransaction::ListAuditEvents(const std::string& organization_id,
                                                                const AuditQuery& audit_query) {
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
    bool any = false;
    connection_.Query(
        "SELECT MIN(sequence), MAX(sequence) FROM audit_events WHERE organization_id = ?" +
            (scope_column.empty() ? std::string(" AND ? = ''") : " AND " + scope_column + " = ?") +
            " AND time >= ? AND time < ?",
        {organization_id, scope_value, filter.since.value_or(std::numeric_limits<int64_t>::min()),
         filter.until.value_or(std::numeric_limits<int64_t>::max())},
        [&](const Row& row) {
          if (row.IsNull(0)) return;
          any = true;
          after_sequence = std::max(after_sequence, row.Int(0) - 1);
          last_sequence = row.Int(1);
        });
    if (!any) return std::vector<AuditEvent>{};
  }
  std::string sql = std::string("SELECT ") + kAuditColumns +
                    " FROM audit_events WHERE organization_id = ? AND sequence > ?";
  Values params = {organization_id, after_sequence};
  if (last_sequence) sql += " AND sequence <= " + std::to_string(*last_sequence);
  if (filter.since) {
    sql += " AND time >= ?";
    params.push_back(*filter.since);
  }
  if (filter.until) {
    sql += " AND time < ?";
    params.push_back(*filter.until);
  }
  auto equal = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    sql += std::string(" AND ") + column + " = ?";
    params.push_back(value);
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
        params.push_back(prefix);
      } else {
        any += "action = ?";
        params.push_back(action);
      }
    }
    sql += " AND (" + any + ")";
  }
  sql += " ORDER BY sequence LIMIT ?";
  params.push_back(static_cast<int64_t>(audit_query.limit));
  return SelectAuditEvents(connection_, sql, params);
}

}  // namespace rampart::sql
