#include "service/api_key_service.h"

#include "common/random.h"
#include "model/validation.h"
#include "service/audit_recorder.h"
#include "service/idempotency.h"
#include "service/object_service.h"

namespace rampart {
namespace {

nlohmann::json OptionalTime(const std::optional<TimestampMs>& time) {
  if (!time) return nullptr;
  return FormatTimestamp(*time);
}

AuditTarget TargetOf(const ApiKeyRecord& key) {
  return {"api_key", key.id, key.description, "", ""};
}

// Keys are addressed by id only, within the caller's organization. Only keys of users and
// service accounts are managed here: an organization's first admin key (and the system administrator's)
// is not reachable through this API, so no other key can revoke it.
Result<ApiKeyRecord> ResolveKey(StoreTransaction& transaction, const RequestContext& context,
                                const std::string& key_id) {
  Result<ApiKeyRecord> key = transaction.GetApiKey(key_id);
  if (!key.ok() || key->organization_id != context.organization_id ||
      key->principal_type.empty()) {
    return Status::NotFound("api key " + key_id + " not found");
  }
  return key;
}

Status RevokeInTransaction(StoreTransaction& transaction, const RequestContext& context,
                           ApiKeyRecord& key, TimestampMs now) {
  if (key.revoked_at) return Status::Ok();
  nlohmann::json before = ApiKeyToJson(key);
  key.revoked_at = now;
  RAMPART_RETURN_IF_ERROR(transaction.RevokeApiKey(key.organization_id, key.id, now));
  return transaction.AppendAuditEvent(
      MakeAuditEvent(context, now, "api_key.revoke", TargetOf(key), before, ApiKeyToJson(key)));
}

}  // namespace

nlohmann::json ApiKeyToJson(const ApiKeyRecord& key) {
  nlohmann::json json = {
      {"id", key.id},
      {"organization_id", key.organization_id},
      {"description", key.description},
      {"created_at", FormatTimestamp(key.created_at)},
      {"created_by", key.created_by},
      {"expires_at", OptionalTime(key.expires_at)},
      {"revoked_at", OptionalTime(key.revoked_at)},
      {"last_used_at", OptionalTime(key.last_used_at)},
  };
  if (key.principal_type == kServiceAccountPrincipal) json["service_account_id"] = key.principal_id;
  if (key.principal_type == kUserPrincipal) json["user_id"] = key.principal_id;
  return json;
}

namespace {

// The id of the principal `ref` names; kNotFound when there is none in the organization.
Result<std::string> ResolvePrincipal(StoreTransaction& transaction, const RequestContext& context,
                                     const std::string& principal_type, const std::string& ref) {
  if (principal_type == kUserPrincipal) {
    RAMPART_ASSIGN_OR_RETURN(User user, ResolvePath<User>(transaction, context, {ref}));
    return user.meta.id;
  }
  RAMPART_ASSIGN_OR_RETURN(ServiceAccount account,
                           ResolvePath<ServiceAccount>(transaction, context, {ref}));
  return account.meta.id;
}

}  // namespace

Result<CreatedApiKey> ApiKeyService::Create(const RequestContext& context,
                                            const std::string& principal_type,
                                            const std::string& principal_ref,
                                            const ApiKeySpec& spec) {
  RAMPART_RETURN_IF_ERROR(ValidateText("description", spec.description, kMaxKeyDescriptionLength));
  TimestampMs now = clock_.Now();
  if (spec.expires_at && *spec.expires_at <= now) {
    return Status::InvalidArgument("expires_at", "must lie in the future", "in_the_past");
  }
  std::optional<CreatedApiKey> created;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::string principal_id,
                             ResolvePrincipal(transaction, context, principal_type, principal_ref));
    if (guard_) RAMPART_RETURN_IF_ERROR(guard_(context, principal_id));
    std::string fingerprint = Sha256Hex(
        nlohmann::json{{"action", "api_key.create"},
                       {"principal_type", principal_type},
                       {"principal_id", principal_id},
                       {"description", spec.description},
                       {"expires_at", spec.expires_at ? nlohmann::json(*spec.expires_at) : nullptr}}
            .dump());
    RAMPART_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                             FindEarlierCreate(transaction, context, "api_key.create", fingerprint, now));
    if (earlier) return CreatedWithSecret(*earlier);
    IssuedApiKey issued = IssueApiKey(context.organization_id, false, spec.description, now);
    issued.record.principal_type = principal_type;
    issued.record.principal_id = principal_id;
    issued.record.created_by = context.actor;
    issued.record.expires_at = spec.expires_at;
    RAMPART_RETURN_IF_ERROR(transaction.InsertApiKey(issued.record));
    RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, "api_key.create", fingerprint,
                                           issued.record.id, now));
    RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
        MakeAuditEvent(context, now, "api_key.create", TargetOf(issued.record), nullptr,
                       ApiKeyToJson(issued.record))));
    created = CreatedApiKey{issued.record, issued.token};
    return Status::Ok();
  }));
  return std::move(*created);
}

Result<std::vector<ApiKeyRecord>> ApiKeyService::List(const RequestContext& context,
                                                      const std::string& principal_type,
                                                      const std::string& principal_ref) {
  std::vector<ApiKeyRecord> keys;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::string principal_id,
                             ResolvePrincipal(transaction, context, principal_type, principal_ref));
    RAMPART_ASSIGN_OR_RETURN(
        keys, transaction.ListApiKeys(context.organization_id, principal_type, principal_id));
    return Status::Ok();
  }));
  return keys;
}

Result<ApiKeyRecord> ApiKeyService::Get(const RequestContext& context, const std::string& key_id) {
  std::optional<ApiKeyRecord> key;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(key, ResolveKey(transaction, context, key_id));
    return Status::Ok();
  }));
  return std::move(*key);
}

Result<ApiKeyRecord> ApiKeyService::Revoke(const RequestContext& context,
                                           const std::string& key_id) {
  std::optional<ApiKeyRecord> revoked;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(ApiKeyRecord key, ResolveKey(transaction, context, key_id));
    RAMPART_RETURN_IF_ERROR(RevokeInTransaction(transaction, context, key, clock_.Now()));
    revoked = std::move(key);
    return Status::Ok();
  }));
  return std::move(*revoked);
}

Status ApiKeyService::RevokeAllOf(StoreTransaction& transaction, const RequestContext& context,
                                  const std::string& principal_type,
                                  const std::string& principal_id, TimestampMs now) {
  RAMPART_ASSIGN_OR_RETURN(
      std::vector<ApiKeyRecord> keys,
      transaction.ListApiKeys(context.organization_id, principal_type, principal_id));
  for (ApiKeyRecord& key : keys) {
    RAMPART_RETURN_IF_ERROR(RevokeInTransaction(transaction, context, key, now));
  }
  return Status::Ok();
}

}  // namespace rampart
