// API keys: the bearer tokens clients authenticate with.
//
// A token is "rmp_" + key id + "." + secret. Only SHA-256(secret) is stored: the secret has
// 256 bits of entropy, so a fast hash is safe, and lookup goes by key id, so verification is
// one constant-time comparison, not a scan.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"

namespace rampart {

struct ApiKeyRecord {
  std::string id;
  std::string organization_id;
  std::string secret_hash;   // hex SHA-256 of the secret
  std::string description;
  bool system_admin = false; // the bootstrap key may also manage organizations
  // Whose key it is: "service_account" and its id; both empty for an organization's first
  // admin key (made by bootstrap or POST /v1/organizations).
  std::string principal_type;
  std::string principal_id;
  std::string created_by;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> expires_at;
  std::optional<TimestampMs> revoked_at;
  std::optional<TimestampMs> last_used_at;
};

// A freshly minted key: the record to store and the token to show once.
struct IssuedApiKey {
  ApiKeyRecord record;
  std::string token;
};

// A new key of `organization_id` with a fresh secret; the caller sets the principal,
// expiry and creator on the record before storing it.
IssuedApiKey IssueApiKey(const std::string& organization_id, bool system_admin,
                         const std::string& description, TimestampMs now);

// Splits a token into key id and secret; nullopt when it is not shaped like one of ours.
struct ParsedToken {
  std::string key_id;
  std::string secret;
};
std::optional<ParsedToken> ParseToken(const std::string& token);

// True when `secret` matches `record` and the key is neither revoked nor expired at `now`.
bool VerifySecret(const ApiKeyRecord& record, const std::string& secret, TimestampMs now);

}  // namespace rampart
