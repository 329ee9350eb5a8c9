#include "service/expiry_recorder.h"

#include <functional>

#include "model/roles_json.h"
#include "service/audit_recorder.h"
#include "service/object_kinds.h"

namespace rampart {
namespace {

// Calls `due` with each assignment whose expiry has passed by `now` and is not recorded yet,
// and its organization; stops at the first error `due` returns.
Status ForEachDue(StoreTransaction& transaction, TimestampMs now,
                  const std::function<Status(const Organization&, RoleAssignment&)>& due) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations, transaction.ListOrganizations());
  ListQuery all;
  all.limit = 0;
  for (const Organization& organization : organizations) {
    RAMPART_ASSIGN_OR_RETURN(std::vector<RoleAssignment> assignments,
                             transaction.RoleAssignments().List(organization.meta.id, organization.meta.id, all));
    for (RoleAssignment& assignment : assignments) {
      if (!assignment.expires_at || *assignment.expires_at > now || assignment.expiry_recorded_at) continue;
      RAMPART_RETURN_IF_ERROR(due(organization, assignment));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<size_t> ExpiryRecorder::RecordDue() {
  // Most runs find nothing due. Looking in a read first takes the write (on PostgreSQL, the
  // writers' lock that every replica shares) only when there is something to record.
  const TimestampMs now = clock_.Now();
  bool any_due = false;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    any_due = false;
    return ForEachDue(transaction, now, [&](const Organization&, RoleAssignment&) {
      any_due = true;
      return Status::Ok();
    });
  }));
  if (!any_due) return 0;

  size_t recorded = 0;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    recorded = 0;
    // Again inside the write: another replica may have recorded them meanwhile.
    return ForEachDue(transaction, now, [&](const Organization& organization, RoleAssignment& assignment) {
      assignment.expiry_recorded_at = now;
      RAMPART_RETURN_IF_ERROR(transaction.RoleAssignments().Update(assignment));
      RequestContext system;
      system.organization_id = organization.meta.id;
      system.actor = "system:expiry";
      AuditEvent event = MakeAuditEvent(system, now, "role_assignment.expire", Kind<RoleAssignment>::Target(assignment),
                                        ToJson(assignment), nullptr);
      RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(event));
      ++recorded;
      return Status::Ok();
    });
  }));
  return recorded;
}

}  // namespace rampart
