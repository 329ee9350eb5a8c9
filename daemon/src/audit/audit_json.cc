#include "audit/audit_json.h"

namespace rampart {

nlohmann::json ObjectOrNull(const std::string& stored) {
  if (stored.empty()) return nullptr;
  nlohmann::json parsed = nlohmann::json::parse(stored, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

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
      {"chain_index", event.chain_index},
      {"prev_hash", event.prev_hash},
      {"hash", event.hash},
  };
}

nlohmann::json ToJson(const ChainReport& report) {
  nlohmann::json broken = nullptr;
  if (report.broken) {
    broken = {{"sequence", report.broken->sequence},
              {"event_id", report.broken->event_id},
              {"chain_index", report.broken->chain_index},
              {"reason", report.broken->reason}};
  }
  return {{"organization_id", report.organization_id},
          {"ok", !report.broken.has_value()},
          {"events", report.events},
          {"head_hash", report.head_hash},
          {"first_broken", broken},
          {"start_index", report.start_index},
          {"start_hash", report.start_hash}};
}

}  // namespace rampart
