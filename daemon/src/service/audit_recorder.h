// Builds audit events for changes made by use cases. The caller appends the event in the
// same transaction as the change (fail closed: no event, no change).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "audit/audit_event.h"
#include "common/clock.h"
#include "service/request_context.h"

namespace rampart {

struct AuditTarget {
  std::string type;  // "workspace", "project", ...
  std::string id;
  std::string name;
  std::string workspace_id;
  std::string project_id;
};

// A success event for `action` on `target`. `before`/`after` are the object's JSON (null
// when absent); the caller removes secrets before passing them.
AuditEvent MakeAuditEvent(const RequestContext& context, TimestampMs now,
                          const std::string& action, const AuditTarget& target,
                          const nlohmann::json& before, const nlohmann::json& after);

}  // namespace rampart
