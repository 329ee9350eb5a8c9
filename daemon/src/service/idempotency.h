// Idempotent creates: a client that retries a create with the same Idempotency-Key gets the
// object the first attempt made, not a duplicate (SPEC section 6). Both functions run inside
// the create's own write transaction, so the key and the object commit together.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/status.h"
#include "model/tenancy.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

inline constexpr size_t kMaxIdempotencyKeyLength = 255;
// How long a key is remembered: retries come within minutes; a day covers a client that
// retries after an outage without keeping records forever.
inline constexpr TimestampMs kIdempotencyRetentionMs = 24 * 60 * 60 * 1000;

// A digest of what a create asks for: its action, its parent and its body.
std::string RequestFingerprint(const std::string& action, const std::string& parent_id,
                               const nlohmann::json& body);

// The id created earlier under context.idempotency_key, or nullopt when the key is absent,
// new, or older than kIdempotencyRetentionMs at `now`. kConflict when the key was used for
// a different request.
Result<std::optional<std::string>> FindEarlierCreate(StoreTransaction& transaction,
                                                     const RequestContext& context,
                                                     const std::string& action,
                                                     const std::string& fingerprint,
                                                     TimestampMs now);

// Records that context.idempotency_key created `target_id` (nothing without a key), and
// forgets the organization's keys older than kIdempotencyRetentionMs.
Status RememberCreate(StoreTransaction& transaction, const RequestContext& context,
                      const std::string& action, const std::string& fingerprint,
                      const std::string& target_id, TimestampMs now);

// The answer to a retry of a create whose first answer carried a secret (an organization's
// admin token, an API key): kConflict, since a secret is never shown twice.
Status CreatedWithSecret(const std::string& target_id);

// The answer to a retry whose first request created `target_id`, which has been deleted
// since: kConflict, since the retry must not create it again.
Status CreatedThenDeleted(const std::string& target_id);

// kInvalidArgument unless `key` is empty (no key) or 1-255 printable ASCII characters.
Status ValidateIdempotencyKey(const std::string& key);

}  // namespace rampart
