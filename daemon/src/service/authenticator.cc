#include "service/authenticator.h"

#include <strings.h>

#include <optional>

#include "auth/api_key.h"
#include "common/logging.h"
#include "service/api_key_service.h"

namespace rampart {
namespace {

Status Unauthenticated(const std::string& message) {
  return Status::Error(StatusCode::kUnauthenticated, message, "Authorization", "unauthenticated");
}

}  // namespace

void Authenticator::RecordUse(const ApiKeyRecord& key) {
  // At most one write per key and interval: last_used_at answers "is this key still in
  // use?" for audits; it is not a per-request log, and a write per request would cost an
  // fsync each.
  TimestampMs now = clock_.Now();
  if (key.last_used_at && now - *key.last_used_at < kLastUsedResolutionMs) return;
  Status recorded = store_.Write([&](StoreTransaction& transaction) {
    return transaction.TouchApiKey(key.id, now, kLastUsedResolutionMs);
  });
  if (!recorded.ok()) {
    // Losing a last-use stamp must not turn a valid request away.
    NamedLogger("auth")->warn("cannot record last use of key {}: {}", key.id, recorded.message());
  }
}

Result<std::shared_ptr<const Authenticator::KnownKey>> Authenticator::Find(
    const std::string& key_id) {
  uint64_t commit_count = store_.CommitCount();
  if (commit_count != 0) {
    std::shared_lock lock(known_mutex_);
    auto known = known_.find(key_id);
    if (known != known_.end() && known->second->commit_count == commit_count) {
      return known->second;
    }
  }
  auto read = std::make_shared<KnownKey>(KnownKey{{}, true, commit_count});
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(read->key, transaction.GetApiKey(key_id));
    if (read->key.principal_type == kUserPrincipal) {
      // A deactivated user's keys stop working at once, and work again if reactivated.
      RAMPART_ASSIGN_OR_RETURN(User user, transaction.Users().GetById(read->key.organization_id,
                                                                      read->key.principal_id));
      read->principal_active = user.active;
    }
    return Status::Ok();
  }));
  if (commit_count != 0) {
    std::unique_lock lock(known_mutex_);
    if (known_.size() >= kMaxKnownKeys) known_.clear();  // stale ones pile up otherwise
    known_[key_id] = read;
  }
  return std::shared_ptr<const KnownKey>(std::move(read));
}

Result<RequestContext> Authenticator::Authenticate(const std::string& authorization_header) {
  static const std::string kScheme = "Bearer ";
  if (authorization_header.empty()) {
    return Unauthenticated("Authorization: missing; send \"Authorization: Bearer <token>\"");
  }
  // The scheme is case-insensitive (RFC 7235).
  if (authorization_header.size() <= kScheme.size() ||
      strncasecmp(authorization_header.c_str(), kScheme.c_str(), kScheme.size()) != 0) {
    return Unauthenticated("Authorization: expected the Bearer scheme (\"Bearer <token>\")");
  }
  const Status invalid = Unauthenticated("Authorization: invalid, expired or revoked token");
  std::optional<ParsedToken> token = ParseToken(authorization_header.substr(kScheme.size()));
  if (!token) return invalid;

  Result<std::shared_ptr<const KnownKey>> known = Find(token->key_id);
  if (known.status().code() == StatusCode::kNotFound) return invalid;
  RAMPART_RETURN_IF_ERROR(known.status());
  const ApiKeyRecord* key = &(*known)->key;
  if (!(*known)->principal_active || !VerifySecret(*key, token->secret, clock_.Now())) return invalid;

  RecordUse(*key);
  RequestContext context;
  context.organization_id = key->organization_id;
  context.key_id = key->id;
  context.actor = key->principal_type.empty() ? "key:" + key->id
                                              : key->principal_type + ":" + key->principal_id;
  context.system_admin = key->system_admin;
  context.principal_type = key->principal_type.empty() ? kPrincipalApiKey : key->principal_type;
  context.principal_id = key->principal_type.empty() ? key->id : key->principal_id;
  return context;
}

}  // namespace rampart
