// AuditEvent: one row of the audit trail (SPEC section 5).
//
// Written by the service layer in the same store transaction as the change it records, so
// a change without its event (or an event without its change) cannot be committed.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"

namespace rampart {

struct AuditEvent {
  int64_t sequence = 0;  // append order within the store, assigned on write; the list cursor
  std::string id;
  std::string organization_id;
  TimestampMs time = 0;
  std::string actor;    // "key:<id>" until principals arrive; never a secret
  std::string key_id;   // the API key the request authenticated with
  std::string action;   // "<resource>.<verb>", e.g. "workspace.create"
  std::string target_type;
  std::string target_id;
  std::string target_name;
  std::string workspace_id;  // scope of the target, empty at organization scope
  std::string project_id;
  std::string outcome;       // "success", later also "failure" and "denied"
  std::string before_json;   // the object before the change ("" on create); secrets removed
  std::string after_json;    // the object after the change ("" on delete); secrets removed
  std::string request_id;
  std::string source_ip;
  std::string user_agent;
  // Its place in the organization's hash chain (audit/audit_chain.h), set by the store on
  // append: 1-based position, the previous event's hash, and its own.
  int64_t chain_index = 0;
  std::string prev_hash;
  std::string hash;
};

}  // namespace rampart
