#include "service/audit_recorder.h"

#include "common/random.h"

namespace rampart {

AuditEvent MakeAuditEvent(const RequestContext& context, TimestampMs now,
                          const std::string& action, const AuditTarget& target,
                          const nlohmann::json& before, const nlohmann::json& after) {
  AuditEvent event;
  event.id = NewId("evt");
  event.organization_id = context.organization_id;
  event.time = now;
  event.actor = context.actor;
  event.key_id = context.key_id;
  event.action = action;
  event.target_type = target.type;
  event.target_id = target.id;
  event.target_name = target.name;
  event.workspace_id = target.workspace_id;
  event.project_id = target.project_id;
  event.outcome = "success";
  event.before_json = before.is_null() ? "" : before.dump();
  event.after_json = after.is_null() ? "" : after.dump();
  event.request_id = context.request_id;
  event.source_ip = context.source_ip;
  event.user_agent = context.user_agent;
  return event;
}

}  // namespace rampart
