// Authenticator: turns a bearer token into the RequestContext of its key.
//
// Every failure (malformed, unknown key, wrong secret, revoked, expired) is the same
// kUnauthenticated with the same message, so a caller learns nothing about which keys exist.
// A successful authentication stamps the key's last_used_at (to the minute).
//
// Keys are kept as last read, with the store's commit count at the time: any commit makes
// them stale (Store::CommitCount), so a revocation or deactivation refuses the key as soon as
// its write returns, while a stream of checks with one key reads the store once. The secret
// is verified on every request.
// Thread-safe; borrows the Store and Clock, which must outlive it.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "auth/api_key.h"
#include "common/status.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

class Authenticator {
 public:
  Authenticator(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // `authorization_header`: the raw Authorization header value ("Bearer <token>").
  // Fills organization_id, key_id, actor ("service_account:<id>", or "key:<id>" for an
  // organization's first admin key) and system_admin of the result.
  Result<RequestContext> Authenticate(const std::string& authorization_header);

  static constexpr TimestampMs kLastUsedResolutionMs = 60 * 1000;

 private:
  struct KnownKey {
    ApiKeyRecord key;
    bool principal_active = true;
    uint64_t commit_count = 0;  // the store's when it was read
  };
  static constexpr size_t kMaxKnownKeys = 10000;

  void RecordUse(const ApiKeyRecord& key);
  // The key and whether its principal is active: as known, or read from the store.
  Result<std::shared_ptr<const KnownKey>> Find(const std::string& key_id);

  Store& store_;
  const Clock& clock_;
  std::shared_mutex known_mutex_;
  // By key id; guarded by known_mutex_. Shared, so that a request copies no strings.
  std::unordered_map<std::string, std::shared_ptr<const KnownKey>> known_;
};

}  // namespace rampart
