#include "audit/audit_chain.h"

#include <nlohmann/json.hpp>

#include "common/random.h"

namespace rampart {

std::string CanonicalEncoding(const AuditEvent& event) {
  nlohmann::json encoding = nlohmann::json::array(
      {"rampart.audit.v1", event.chain_index, event.prev_hash, event.id, event.organization_id,
       event.time, event.actor, event.key_id, event.action, event.target_type, event.target_id,
       event.target_name, event.workspace_id, event.project_id, event.outcome, event.before_json,
       event.after_json, event.request_id, event.source_ip, event.user_agent});
  // Invalid UTF-8 (which validation keeps out) is replaced rather than thrown on, so that a
  // tampered byte makes a hash mismatch, not a crash of the verifier.
  return encoding.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ChainHash(const AuditEvent& event) { return Sha256Hex(CanonicalEncoding(event)); }

void ChainAfter(int64_t previous_index, const std::string& previous_hash, AuditEvent& event) {
  event.chain_index = previous_index + 1;
  event.prev_hash = previous_hash;
  event.hash = ChainHash(event);
}

void ChainVerifier::StartAt(const ChainCheckpoint& checkpoint) {
  ChainReport& report = reports_[checkpoint.organization_id];
  report.organization_id = checkpoint.organization_id;
  report.head_hash = report.start_hash = checkpoint.hash;
  report.start_index = checkpoint.chain_index;
}

void ChainVerifier::Add(const AuditEvent& event) {
  auto [found, first] = reports_.try_emplace(event.organization_id);
  ChainReport& report = found->second;
  if (first) {
    report.organization_id = event.organization_id;
    report.head_hash = kChainStart;
  }
  int64_t expected_index = report.start_index + report.events + 1;
  std::string expected_previous = report.head_hash;
  ++report.events;
  report.head_hash = event.hash;
  if (report.broken) return;  // the first break is the one to report
  std::string reason;
  if (event.chain_index != expected_index) {
    reason = "it is event " + std::to_string(event.chain_index) + " of the chain where event " +
             std::to_string(expected_index) +
             " was expected: events before it were deleted or reordered";
  } else if (event.prev_hash != expected_previous) {
    reason = "its previous hash is not the hash of the event before it: that event was changed, "
             "replaced or removed";
  } else if (ChainHash(event) != event.hash) {
    reason = "its contents do not match its hash: the event was changed";
  }
  if (!reason.empty()) report.broken = ChainBreak{event.sequence, event.id, event.chain_index, reason};
}

std::vector<ChainReport> ChainVerifier::Reports() const {
  std::vector<ChainReport> reports;
  for (const auto& [organization, report] : reports_) reports.push_back(report);
  return reports;
}

}  // namespace rampart
