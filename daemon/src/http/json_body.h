// Strict decoding of request bodies and headers into domain inputs.
//
// Bodies must be one JSON object whose fields are all known and of the right type; the
// first problem found is returned as kInvalidArgument naming the field. Nothing here
// touches state, so a rejected request changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "service/api_key_service.h"

namespace rampart::http {

// Parses `body` as a JSON object; its fields are checked by the kind's patch function.
Result<nlohmann::json> ParseJsonObject(const std::string& body);
// Parses `body` as a JSON object whose keys are all in `allowed_fields`.
Result<nlohmann::json> ParseObjectBody(const std::string& body,
                                       const std::set<std::string>& allowed_fields);

// Fields accepted on POST .../keys, and the spec they make: description (string),
// expires_at (RFC 3339 string or null).
const std::set<std::string>& ApiKeySpecFields();
Result<ApiKeySpec> ReadApiKeySpec(const nlohmann::json& body);

// The If-Match header: empty or "*" -> nullopt (no precondition); "\"7\"" or "7" -> 7.
Result<std::optional<int64_t>> ParseIfMatch(const std::string& header);

}  // namespace rampart::http
