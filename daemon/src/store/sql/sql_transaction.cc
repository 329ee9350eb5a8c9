#include "store/sql/sql_transaction.h"

namespace rampart::sql {
namespace {

constexpr char kApiKeyColumns[] =
    "id, organization_id, secret_hash, description, system_admin, principal_type, principal_id, "
    "created_by, created_at, expires_at, revoked_at, last_used_at";

ApiKeyRecord ApiKeyFromRow(const Row& row) {
  ApiKeyRecord key;
  key.id = row.Text(0);
  key.organization_id = row.Text(1);
  key.secret_hash = row.Text(2);
  key.description = row.Text(3);
  key.system_admin = row.Int(4) != 0;
  key.principal_type = row.Text(5);
  key.principal_id = row.Text(6);
  key.created_by = row.Text(7);
  key.created_at = row.Int(8);
  key.expires_at = row.OptionalInt(9);
  key.revoked_at = row.OptionalInt(10);
  key.last_used_at = row.OptionalInt(11);
  return key;
}

}  // namespace

Result<std::vector<Organization>> SqlTransaction::ListOrganizations() {
  return SelectAllOrganizations(connection_);
}

Result<Organization> SqlTransaction::GetOrganization(const std::string& id) {
  return organizations_.GetById(id, id);
}

Status SqlTransaction::InsertOrganization(const Organization& organization) {
  return organizations_.Insert(organization);
}

Status SqlTransaction::UpdateOrganization(const Organization& organization) {
  return organizations_.Update(organization);
}

Status SqlTransaction::DeleteOrganization(const std::string& id) {
  for (const char* table : {"role_assignments", "api_keys", "idempotency_keys"}) {
    connection_.Execute(std::string("DELETE FROM ") + table + " WHERE organization_id = ?", {id});
  }
  return organizations_.Delete(id, id);
}

Result<ApiKeyRecord> SqlTransaction::GetApiKey(const std::string& key_id) {
  std::optional<ApiKeyRecord> key;
  connection_.Query(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE id = ?", {key_id},
                    [&](const Row& row) { key = ApiKeyFromRow(row); });
  if (!key) return Status::NotFound("api key " + key_id + " not found");
  return *key;
}

Status SqlTransaction::InsertApiKey(const ApiKeyRecord& key) {
  connection_.Execute(std::string("INSERT INTO api_keys (") + kApiKeyColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {key.id, key.organization_id, key.secret_hash, key.description,
                       int64_t{key.system_admin ? 1 : 0}, key.principal_type, key.principal_id,
                       key.created_by, key.created_at, OptionalValue(key.expires_at),
                       OptionalValue(key.revoked_at), OptionalValue(key.last_used_at)});
  return Status::Ok();
}

Result<std::vector<ApiKeyRecord>> SqlTransaction::ListApiKeys(const std::string& organization_id,
                                                              const std::string& principal_type,
                                                              const std::string& principal_id) {
  std::vector<ApiKeyRecord> keys;
  connection_.Query(std::string("SELECT ") + kApiKeyColumns +
                        " FROM api_keys WHERE organization_id = ? AND principal_type = ? AND "
                        "principal_id = ? ORDER BY created_at, id",
                    {organization_id, principal_type, principal_id},
                    [&](const Row& row) { keys.push_back(ApiKeyFromRow(row)); });
  return keys;
}

Status SqlTransaction::RevokeApiKey(const std::string& organization_id, const std::string& key_id,
                                    TimestampMs at) {
  int64_t changed = connection_.Execute(
      "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND organization_id = ?",
      {at, key_id, organization_id});
  if (changed != 1) return Status::NotFound("api key " + key_id + " not found");
  return Status::Ok();
}

Status SqlTransaction::TouchApiKey(const std::string& key_id, TimestampMs at, TimestampMs resolution) {
  connection_.Execute(
      "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND "
      "revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= ?)",
      {at, key_id, at - resolution});
  return Status::Ok();
}

uint64_t NextChangeNumber(Connection& connection) {
  uint64_t newest = 0;
  connection.Query("UPDATE change_counter SET newest = newest + 1 RETURNING newest", {},
                   [&](const Row& row) { newest = static_cast<uint64_t>(row.Int(0)); });
  return newest;
}

Status SqlTransaction::RecordChange(const std::string& kind, const std::string& organization_id,
                                    const std::string& id) {
  connection_.Execute(
      "INSERT INTO change_log (change, position, kind, organization_id, object_id) VALUES (?, ?, ?, ?, ?)",
      {static_cast<int64_t>(change_number_), ++changes_recorded_, kind, organization_id, id});
  return Status::Ok();
}

Result<ChangeLog> SqlTransaction::ReadChanges(uint64_t after) {
  ChangeLog log;
  connection_.Query("SELECT newest, pruned_through FROM change_counter", {}, [&](const Row& row) {
    log.newest = static_cast<uint64_t>(row.Int(0));
    log.complete = after >= static_cast<uint64_t>(row.Int(1));
  });
  connection_.Query(
      "SELECT change, kind, organization_id, object_id FROM change_log WHERE change > ? "
      "ORDER BY change, position",
      {static_cast<int64_t>(after)}, [&](const Row& row) {
        log.objects.push_back({static_cast<uint64_t>(row.Int(0)), row.Text(1), row.Text(2), row.Text(3)});
      });
  return log;
}

Status SqlTransaction::PruneChanges(uint64_t through) {
  const auto number = static_cast<int64_t>(through);
  connection_.Execute("DELETE FROM change_log WHERE change <= ?", {number});
  connection_.Execute("UPDATE change_counter SET pruned_through = ? WHERE pruned_through < ?", {number, number});
  return Status::Ok();
}

Result<IdempotencyRecord> SqlTransaction::GetIdempotencyRecord(const std::string& organization_id,
                                                               const std::string& key) {
  std::optional<IdempotencyRecord> record;
  connection_.Query(
      "SELECT action, fingerprint, target_id, created_at FROM idempotency_keys "
      "WHERE organization_id = ? AND key = ?",
      {organization_id, key}, [&](const Row& row) {
        record = IdempotencyRecord{organization_id, key, row.Text(0), row.Text(1), row.Text(2), row.Int(3)};
      });
  if (!record) return Status::NotFound("idempotency key not found");
  return *record;
}

Status SqlTransaction::InsertIdempotencyRecord(const IdempotencyRecord& record) {
  connection_.Execute(
      "INSERT INTO idempotency_keys (organization_id, key, action, fingerprint, target_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {record.organization_id, record.key, record.action, record.fingerprint, record.target_id,
       record.created_at});
  return Status::Ok();
}

Status SqlTransaction::DeleteIdempotencyRecordsBefore(const std::string& organization_id,
                                                      TimestampMs before) {
  connection_.Execute("DELETE FROM idempotency_keys WHERE organization_id = ? AND created_at < ?",
                      {organization_id, before});
  return Status::Ok();
}

}  // namespace rampart::sql
