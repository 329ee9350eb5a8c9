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
#include "model/tenancy.h"
#include "service/api_key_service.h"

namespace rampart::http {

// Parses `body` as a JSON object whose keys are all in `allowed_fields`.
Result<nlohmann::json> ParseObjectBody(const std::string& body,
                                       const std::set<std::string>& allowed_fields);

// Fields accepted on create/update of workspaces and projects.
const std::set<std::string>& ObjectSpecFields();
// Fields accepted on POST /v1/organizations.
const std::set<std::string>& OrganizationSpecFields();

// A create body: `name` required; display_name, description, labels optional.
Result<ObjectSpec> ReadObjectSpec(const nlohmann::json& body);
// A merge-patch body: absent fields untouched, null resets display_name/description/labels.
Result<ObjectPatch> ReadObjectPatch(const nlohmann::json& body);

// Fields accepted on POST .../keys, and the spec they make: description (string),
// expires_at (RFC 3339 string or null).
const std::set<std::string>& ApiKeySpecFields();
Result<ApiKeySpec> ReadApiKeySpec(const nlohmann::json& body);

// The If-Match header: empty or "*" -> nullopt (no precondition); "\"7\"" or "7" -> 7.
Result<std::optional<int64_t>> ParseIfMatch(const std::string& header);

}  // namespace rampart::http
