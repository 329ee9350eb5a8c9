// RequestContext: who is asking, and from where. Built by auth::Authenticator from the
// bearer token and by the HTTP layer from the connection; passed by const reference to
// every use case. Immutable.
#pragma once

#include <string>

namespace rampart {

struct RequestContext {
  std::string organization_id;  // the token's organization: every path is relative to it
  std::string key_id;
  // Whom the key speaks for, as authorization sees it: "user", "service_account", or
  // "api_key" (with the key's id) for an organization's first admin key.
  std::string principal_type;
  std::string principal_id;
  std::string actor;            // recorded in audit events and created_by
  bool system_admin = false;    // may manage organizations (the bootstrap key)
  std::string request_id;
  std::string source_ip;
  std::string user_agent;
  std::string idempotency_key;  // Idempotency-Key header of a create, "" when absent
};

}  // namespace rampart
