#include "authz/access_history.h"

#include "authz/indexing_store.h"
#include "model/read_back_json.h"

namespace rampart::authz {
namespace {

// Undoes one successful event: a create by forgetting the object, anything else (update,
// delete, a member removed) by putting back the object as it was before.
void Undo(const AuditEvent& event, AccessIndex& index) {
  const std::string& kind = event.target_type;
  const std::string verb = event.action.substr(event.action.find('.') + 1);
  if (verb == "create") {
    index.Remove(event.target_id);
    return;
  }
  if (event.before_json.empty()) return;  // nothing authorization uses changed (an expiry)
  const nlohmann::json before = nlohmann::json::parse(event.before_json, nullptr, /*allow_exceptions=*/false);
  if (!before.is_object()) return;
  const std::string& org = event.organization_id;
  if (kind == "organization") index.Put(OrganizationFromJson(before));
  if (kind == "workspace") index.Put(WorkspaceFromJson(before, org));
  if (kind == "project") index.Put(ProjectFromJson(before, org));
  if (kind == "stack") index.Put(StackFromJson(before, org));
  if (kind == "user") index.Put(UserFromJson(before, org));
  if (kind == "service_account") index.Put(ServiceAccountFromJson(before, org));
  if (kind == "team") index.Put(TeamFromJson(before, org));
  if (kind == "role") index.Put(RoleFromJson(before, org));
  if (kind == "role_assignment") index.Put(RoleAssignmentFromJson(before, org));
}

constexpr size_t kBatch = 1000;

}  // namespace

Result<std::unique_ptr<AccessIndex>> AccessIndexAt(Store& store, const std::string& organization_id,
                                                   TimestampMs at, TimestampMs now, const std::string& field) {
  if (at > now) return Status::InvalidArgument(field, "must not be in the future", "in_the_future");
  auto index = std::make_unique<AccessIndex>();
  RAMPART_RETURN_IF_ERROR(store.Read([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Organization organization, t.GetOrganization(organization_id));
    if (at < organization.meta.created_at) {
      return Status::InvalidArgument(field, "is before the organization was created (" +
                                                FormatTimestamp(organization.meta.created_at) + ")",
                                     "before_history");
    }
    RAMPART_ASSIGN_OR_RETURN(std::vector<ChainCheckpoint> checkpoints, t.ListAuditCheckpoints());
    for (const ChainCheckpoint& checkpoint : checkpoints) {
      if (checkpoint.organization_id == organization_id && at <= checkpoint.time) {
        return Status::InvalidArgument(field, "is not after " + FormatTimestamp(checkpoint.time) +
                                                  ", before which the audit trail was purged by retention",
                                       "before_history");
      }
    }
    RAMPART_RETURN_IF_ERROR(LoadOrganization(t, organization, *index));
    std::vector<AuditEvent> later;
    AuditQuery query;
    query.filter.since = at + 1;
    query.limit = kBatch;
    while (true) {
      RAMPART_ASSIGN_OR_RETURN(std::vector<AuditEvent> batch, t.ListAuditEvents(organization_id, query));
      later.insert(later.end(), batch.begin(), batch.end());
      if (batch.size() < kBatch) break;
      query.after_sequence = batch.back().sequence;
    }
    for (auto event = later.rbegin(); event != later.rend(); ++event) {
      if (event->outcome == "success") Undo(*event, *index);
    }
    return Status::Ok();
  }));
  return index;
}

}  // namespace rampart::authz
