// The tamper-evident chain of an organization's audit events (SPEC section 5).
//
// Each organization's events form a SHA-256 hash chain in append order: event n (1-based
// chain_index) records the hash of event n-1 (64 zeros for the first) and its own hash,
// taken over its canonical encoding, which includes that previous hash. Changing, deleting
// or reordering a stored event breaks the chain at that event or the one after it. Cutting
// events off the end leaves a shorter, valid chain: compare the count and head hash with
// ones recorded earlier (every verify reports them).
//
// Canonical encoding (README "Audit trail"): the UTF-8 text of the compact JSON array
//   ["rampart.audit.v1", chain_index, prev_hash, id, organization_id, time, actor, key_id,
//    action, target_type, target_id, target_name, workspace_id, project_id, outcome,
//    before, after, request_id, source_ip, user_agent]
// where chain_index and time (milliseconds since the epoch) are integers, before and after
// are the objects' compact JSON texts with keys sorted ("" when absent), and every string
// is escaped as RFC 8259 requires and no more (non-ASCII characters as themselves). In
// Python: json.dumps(array, separators=(",", ":"), ensure_ascii=False).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_event.h"

namespace rampart {

// The previous hash of an organization's first event.
inline const std::string kChainStart(64, '0');

std::string CanonicalEncoding(const AuditEvent& event);
// Hex SHA-256 of CanonicalEncoding(event).
std::string ChainHash(const AuditEvent& event);
// Makes `event` the one after (previous_index, previous_hash): (0, kChainStart) for an
// organization's first event. Sets chain_index, prev_hash and hash.
void ChainAfter(int64_t previous_index, const std::string& previous_hash, AuditEvent& event);

// Where an organization's chain resumes after its oldest events were purged (retention):
// the position and hash of the last purged event, which the first remaining event follows.
struct ChainCheckpoint {
  std::string organization_id;
  int64_t chain_index = 0;
  std::string hash;
  TimestampMs time = 0;        // the last purged event's time
  int64_t purged_events = 0;   // in total, over every purge
};

// The first event at which a chain does not hold.
struct ChainBreak {
  int64_t sequence = 0;  // the store's append order
  std::string event_id;
  int64_t chain_index = 0;
  std::string reason;
};

// What verifying one organization's chain found.
struct ChainReport {
  std::string organization_id;
  int64_t events = 0;
  std::string head_hash;  // the last event's hash; kChainStart when there is none
  std::optional<ChainBreak> broken;
  // Where the chain starts: position 0 and kChainStart, or a retention checkpoint.
  int64_t start_index = 0;
  std::string start_hash = kChainStart;
};

// Checks chains event by event, in append order, for any number of organizations.
class ChainVerifier {
 public:
  // The organization's chain resumes after `checkpoint` instead of starting from zero.
  // REQUIRES: before the organization's first Add.
  void StartAt(const ChainCheckpoint& checkpoint);
  void Add(const AuditEvent& event);
  // One report per organization seen, by organization id.
  std::vector<ChainReport> Reports() const;

 private:
  std::map<std::string, ChainReport> reports_;
};

}  // namespace rampart
