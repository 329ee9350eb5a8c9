#include "authz/check_answer.h"

#include "authz/permissions.h"

namespace rampart::authz {

Result<size_t> ReadPermission(const std::string& permission, const std::string& field) {
  std::optional<size_t> index = PermissionIndex(permission);
  if (!index) {
    return Status::InvalidArgument(field, "unknown permission \"" + permission.substr(0, 80) +
                                              "\" (see GET /v1/permissions)",
                                   "unknown_permission");
  }
  return *index;
}

nlohmann::json ScopeJson(const Scope& scope) { return {{"type", ScopeLevelName(scope.level)}, {"id", scope.id}}; }

nlohmann::json CheckAnswer(const Decision& decision, const std::string& principal, const std::string& permission,
                           const std::string& resource) {
  nlohmann::json answer = {{"allowed", decision.allowed},
                           {"principal", principal},
                           {"permission", permission},
                           {"resource", resource}};
  if (decision.allowed) {
    answer["explanation"] = {{"assignment_id", decision.assignment_id},
                             {"role", decision.role},
                             {"role_name", decision.role_name},
                             {"scope", ScopeJson(Scope{decision.scope.level, std::string(decision.scope.id)})},
                             {"via_team_id", decision.via_team_id}};
  } else {
    answer["explanation"] = nullptr;
    answer["reason"] = "no unexpired assignment to " + principal + " or its teams grants " + permission + " on " +
                       resource + " or above it";
  }
  return answer;
}

}  // namespace rampart::authz
