// The answer to "may PRINCIPAL do PERMISSION on RESOURCE?" as `POST /v1/check` and
// `rampartd check` both give it: {"allowed", "principal", "permission", "resource",
// "explanation"} (the deciding assignment, role, scope and team), or a reason when denied.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "authz/access_index.h"
#include "common/status.h"

namespace rampart::authz {

// The permission's index in Vocabulary(); kInvalidArgument on `field` when it is unknown.
Result<size_t> ReadPermission(const std::string& permission, const std::string& field);

// {"type": "workspace", "id": "ws_..."}.
nlohmann::json ScopeJson(const Scope& scope);

// The principal, permission and resource as the question named them.
nlohmann::json CheckAnswer(const Decision& decision, const std::string& principal, const std::string& permission,
                           const std::string& resource);

}  // namespace rampart::authz
