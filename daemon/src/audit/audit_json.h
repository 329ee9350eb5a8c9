// JSON form of an audit event, as served by GET /v1/audit-events (AuditEvent in
// proto/rampart/v1/audit.proto): before/after are the objects themselves, or null.
#pragma once

#include <nlohmann/json.hpp>

#include "audit/audit_chain.h"
#include "audit/audit_event.h"

namespace rampart {

nlohmann::json ToJson(const AuditEvent& event);
// A stored before/after text as JSON, or null when it is empty (or, impossibly, unreadable).
nlohmann::json ObjectOrNull(const std::string& stored);
// The answer of GET /v1/audit-events/verify (AuditChainReport in audit.proto).
nlohmann::json ToJson(const ChainReport& report);

}  // namespace rampart
