// ApiKeyService: API keys of users and service accounts. The secret is returned once, by Create; only
// its hash is stored. Revoked and expired keys stay listed (for audits) but no longer
// authenticate. Thread-safe; borrows the Store and Clock.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/api_key.h"
#include "common/clock.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

// ApiKeyRecord::principal_type values.
inline constexpr char kUserPrincipal[] = "user";
inline constexpr char kServiceAccountPrincipal[] = "service_account";
inline constexpr size_t kMaxKeyDescriptionLength = 256;

struct ApiKeySpec {
  std::string description;
  std::optional<TimestampMs> expires_at;  // must lie in the future
};

struct CreatedApiKey {
  ApiKeyRecord key;
  std::string token;  // shown only in the create response
};

// The key as the API shows it: never the secret or its hash.
nlohmann::json ApiKeyToJson(const ApiKeyRecord& key);

class ApiKeyService {
 public:
  // Vets a key about to be made for `principal_id`, inside its transaction, before an
  // Idempotency-Key retry is answered: a key carries everything its principal holds.
  using Guard = std::function<Status(const RequestContext&, const std::string& principal_id)>;

  ApiKeyService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  void SetGuard(Guard guard) { guard_ = std::move(guard); }

  // A key for the principal of `principal_type` (kUserPrincipal, kServiceAccountPrincipal)
  // that `principal_ref` (id, email or name) names.
  Result<CreatedApiKey> Create(const RequestContext& context, const std::string& principal_type,
                               const std::string& principal_ref, const ApiKeySpec& spec);
  // Oldest first, revoked and expired ones included.
  Result<std::vector<ApiKeyRecord>> List(const RequestContext& context,
                                         const std::string& principal_type,
                                         const std::string& principal_ref);
  Result<ApiKeyRecord> Get(const RequestContext& context, const std::string& key_id);
  // Idempotent: revoking a revoked key changes nothing and answers the key.
  Result<ApiKeyRecord> Revoke(const RequestContext& context, const std::string& key_id);

  // Revokes every key of a principal, in the caller's transaction (when the principal is
  // deleted), with an audit event for each.
  static Status RevokeAllOf(StoreTransaction& transaction, const RequestContext& context,
                            const std::string& principal_type, const std::string& principal_id,
                            TimestampMs now);

 private:
  Store& store_;
  const Clock& clock_;
  Guard guard_;  // set once at wiring, before any use
};

}  // namespace rampart
