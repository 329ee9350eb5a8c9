#include "service/idempotency.h"

#include <nlohmann/json.hpp>

#include "common/random.h"

namespace rampart {

std::string RequestFingerprint(const std::string& action, const std::string& parent_id,
                               const nlohmann::json& body) {
  // json objects keep their keys sorted, so dump() is the same for the same request.
  nlohmann::json canonical = {{"action", action}, {"parent", parent_id}, {"body", body}};
  return Sha256Hex(canonical.dump());
}

Result<std::optional<std::string>> FindEarlierCreate(StoreTransaction& transaction,
                                                     const RequestContext& context,
                                                     const std::string& action,
                                                     const std::string& fingerprint,
                                                     TimestampMs now) {
  if (context.idempotency_key.empty()) return std::optional<std::string>();
  Result<IdempotencyRecord> record =
      transaction.GetIdempotencyRecord(context.organization_id, context.idempotency_key);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return record.status();
  }
  if (record->created_at < now - kIdempotencyRetentionMs) return std::optional<std::string>();
  if (record->action != action || record->fingerprint != fingerprint) {
    return Status::Error(StatusCode::kConflict,
                         "Idempotency-Key: already used for a different request (" +
                             record->action + "); use a new key for a new request",
                         "Idempotency-Key", "key_reused");
  }
  return std::optional<std::string>(record->target_id);
}

Status RememberCreate(StoreTransaction& transaction, const RequestContext& context,
                      const std::string& action, const std::string& fingerprint,
                      const std::string& target_id, TimestampMs now) {
  if (context.idempotency_key.empty()) return Status::Ok();
  RAMPART_RETURN_IF_ERROR(transaction.DeleteIdempotencyRecordsBefore(
      context.organization_id, now - kIdempotencyRetentionMs));
  return transaction.InsertIdempotencyRecord(IdempotencyRecord{
      context.organization_id, context.idempotency_key, action, fingerprint, target_id, now});
}

Status CreatedWithSecret(const std::string& target_id) {
  return Status::Error(StatusCode::kConflict,
                       "Idempotency-Key: this key already created " + target_id +
                           "; its secret was shown only in that first response",
                       "Idempotency-Key", "already_completed");
}

Status CreatedThenDeleted(const std::string& target_id) {
  return Status::Error(StatusCode::kConflict,
                       "Idempotency-Key: this key already created " + target_id +
                           ", which has been deleted since",
                       "Idempotency-Key", "already_completed");
}

Status ValidateIdempotencyKey(const std::string& key) {
  if (key.size() > kMaxIdempotencyKeyLength) {
    return Status::InvalidArgument("Idempotency-Key", "must be at most 255 characters", "too_long");
  }
  for (unsigned char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return Status::InvalidArgument("Idempotency-Key", "must be printable ASCII without spaces",
                                     "invalid_characters");
    }
  }
  return Status::Ok();
}

}  // namespace rampart
