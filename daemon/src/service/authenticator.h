// Authenticator: turns a bearer token into the RequestContext of its key.
//
// Every failure (malformed, unknown key, wrong secret, revoked, expired) is the same
// kUnauthenticated with the same message, so a caller learns nothing about which keys exist.
// Thread-safe; borrows the Store and Clock, which must outlive it.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

class Authenticator {
 public:
  Authenticator(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // `authorization_header`: the raw Authorization header value ("Bearer <token>").
  // Fills organization_id, key_id, actor and system_admin of the result.
  Result<RequestContext> Authenticate(const std::string& authorization_header);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
