#include "audit/audit_json.h"

namespace rampart {
namespace {

nlohmann::json ObjectOrNull(const std::string& stored) {
  if (stored.empty()) return nullptr;
  nlohmann::json parsed = nlohmann::json::parse(stored, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

}  // namespace

nlohmann::json ToJson(const AuditEvent& event) {
  return {
      {"id", event.id},
      {"time", FormatTimestamp(event.time)},
      {"actor", event.actor},
      {"key_id", event.key_id},
      {"action", event.action},
      {"target_type", event.target_type},
      {"target_id", event.target_id},
      {"target_name", event.target_name},
      {"workspace_id", event.workspace_id},
      {"project_id", event.project_id},
      {"outcome", event.outcome},
      {"before", ObjectOrNull(event.before_json)},
      {"after", ObjectOrNull(event.after_json)},
      {"request_id", event.request_id},
      {"source_ip", event.source_ip},
      {"user_agent", event.user_agent},
  };
}

}  // namespace rampart
