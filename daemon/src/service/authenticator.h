// Authenticator: turns a bearer token into the RequestContext of its key.
//
// Every failure (malformed, unknown key, wrong secret, revoked, expired) is the same
// kUnauthenticated with the same message, so a caller learns nothing about which keys exist.
// A successful authentication stamps the key's last_used_at (to the minute).
// Thread-safe; borrows the Store and Clock, which must outlive it.
#pragma once

#include <string>

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
  void RecordUse(const ApiKeyRecord& key);

  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
