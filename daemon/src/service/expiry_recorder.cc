#include "service/expiry_recorder.h"

#include "model/roles_json.h"
#include "service/audit_recorder.h"
#include "service/object_kinds.h"

namespace rampart {

Result<size_t> ExpiryRecorder::RecordDue() {
  size_t recorded = 0;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    recorded = 0;
    TimestampMs now = clock_.Now();
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations,
                             transaction.ListOrganizations());
    ListQuery all;
    all.limit = 0;
    for (const Organization& organization : organizations) {
      RAMPART_ASSIGN_OR_RETURN(
          std::vector<RoleAssignment> assignments,
          transaction.RoleAssignments().List(organization.meta.id, organization.meta.id, all));
      for (RoleAssignment& assignment : assignments) {
        if (!assignment.expires_at || *assignment.expires_at > now ||
            assignment.expiry_recorded_at) {
          continue;
        }
        assignment.expiry_recorded_at = now;
        RAMPART_RETURN_IF_ERROR(transaction.RoleAssignments().Update(assignment));
        RequestContext system;
        system.organization_id = organization.meta.id;
        system.actor = "system:expiry";
        AuditEvent event = MakeAuditEvent(system, now, "role_assignment.expire",
                                          Kind<RoleAssignment>::Target(assignment),
                                          ToJson(assignment), nullptr);
        RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(event));
        ++recorded;
      }
    }
    return Status::Ok();
  }));
  return recorded;
}

}  // namespace rampart
