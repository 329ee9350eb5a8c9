#include "service/audit_retention.h"

#include "service/audit_recorder.h"

namespace rampart {

Result<int64_t> AuditRetention::PurgeDue() {
  std::vector<Organization> organizations;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(organizations, transaction.ListOrganizations());
    return Status::Ok();
  }));
  int64_t purged = 0;
  for (const Organization& listed : organizations) {
    RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
      // Read again inside the write: the retention may have changed since the listing.
      Result<Organization> organization = transaction.GetOrganization(listed.meta.id);
      if (!organization.ok()) return Status::Ok();  // deleted meanwhile: its events stay
      const TimestampMs now = clock_.Now();
      const TimestampMs before = now - organization->audit_retention_days * kDayMs;
      AuditQuery due;
      due.filter.until = before;
      due.limit = 1;
      RAMPART_ASSIGN_OR_RETURN(std::vector<AuditEvent> oldest,
                               transaction.ListAuditEvents(organization->meta.id, due));
      if (oldest.empty()) return Status::Ok();
      // The purge's own event is appended first, so it is the chain's newest and stays.
      RequestContext system;
      system.organization_id = organization->meta.id;
      system.actor = "system:retention";
      AuditTarget target{"organization", organization->meta.id, organization->meta.name, "", ""};
      AuditEvent event = MakeAuditEvent(
          system, now, "audit_log.purge", target, nullptr,
          {{"retention_days", organization->audit_retention_days}, {"purged_before", FormatTimestamp(before)}});
      RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(event));
      RAMPART_ASSIGN_OR_RETURN(int64_t deleted, transaction.PurgeAuditEvents(organization->meta.id, before));
      purged += deleted;
      return Status::Ok();
    }));
  }
  return purged;
}

}  // namespace rampart
