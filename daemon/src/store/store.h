// Store: the persistence boundary. Everything the daemon keeps goes through this interface;
// SQLite (store/sqlite) is the embedded default and a PostgreSQL store will implement the
// same contract. No SQL exists outside the implementations.
//
// Work happens in transactions: Store::Read / Store::Write run a function against a
// StoreTransaction and commit only when it returns OK, so a change and its audit event are
// committed together or not at all. A Write commit is durable when Write returns.
//
// Every committed write transaction has a change number, greater than that of every write
// committed before it by any process sharing the database, and notes in the change log the
// objects the authorization index mirrors that it changed. Replicas keep their index current
// by reading the log (ReadChanges) after the number they last applied.
//
// Lookups return kNotFound when the object does not exist in the given organization: a
// foreign id is indistinguishable from a missing one. Inserts and updates that would break
// name uniqueness within the parent return kAlreadyExists with field "name".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/audit_chain.h"
#include "audit/audit_event.h"
#include "auth/api_key.h"
#include "common/status.h"
#include "model/governance.h"
#include "model/list_query.h"
#include "model/principals.h"
#include "model/roles.h"
#include "model/stacks.h"
#include "model/tenancy.h"

namespace rampart {

// A create made with an Idempotency-Key: a retry with the same key finds the object it
// made instead of making another.
struct IdempotencyRecord {
  std::string organization_id;
  std::string key;
  std::string action;       // "workspace.create", ...
  std::string fingerprint;  // hash of what was asked (route and body)
  std::string target_id;    // the object the first request created
  TimestampMs created_at = 0;
};

// One object the authorization index mirrors, changed by a committed write.
struct ChangedObject {
  uint64_t change = 0;  // the change number of the write that changed it
  // "organization", "workspace", "project", "stack", "user", "service_account", "team",
  // "role" or "role_assignment".
  std::string kind;
  std::string organization_id;
  std::string id;
};

// What the change log holds after a change number.
struct ChangeLog {
  uint64_t newest = 0;  // the newest committed change number (0 before any write)
  // Objects changed by writes numbered above the one asked, in (change, write order) order.
  std::vector<ChangedObject> objects;
  // False when the log no longer holds every change above the one asked (pruned): the
  // reader must reload everything instead.
  bool complete = true;
};

// The rows of one kind of named object. Objects live in a parent: the organization for
// top-level kinds (workspaces, users, teams, ...), where `parent_id` is ignored, or a
// workspace (projects, stacks, components) or project (project-stack bindings), whose id
// `parent_id` is. Names are unique within the parent. Same threading rules as the
// transaction that hands it out.
template <typename T>
class ObjectTable {
 public:
  virtual ~ObjectTable() = default;
  // At most query.limit rows in (name, id) order.
  virtual Result<std::vector<T>> List(const std::string& organization_id,
                                      const std::string& parent_id, const ListQuery& query) = 0;
  // Any object of the organization with that id, whatever its parent.
  virtual Result<T> GetById(const std::string& organization_id, const std::string& id) = 0;
  virtual Result<T> GetByName(const std::string& organization_id, const std::string& parent_id,
                              const std::string& name) = 0;
  virtual Status Insert(const T& object) = 0;
  // Replaces the stored row with the same id. REQUIRES: the row exists.
  virtual Status Update(const T& object) = 0;
  virtual Status Delete(const std::string& organization_id, const std::string& id) = 0;
};

// One open transaction. Valid only inside the function given to Store::Read/Write; not
// thread-safe (a transaction belongs to the thread running that function).
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  virtual Result<std::vector<Organization>> ListOrganizations() = 0;
  virtual Result<Organization> GetOrganization(const std::string& id) = 0;
  virtual Status InsertOrganization(const Organization& organization) = 0;

  // Any organization's key: authentication looks keys up before knowing the organization.
  virtual Result<ApiKeyRecord> GetApiKey(const std::string& key_id) = 0;
  virtual Status InsertApiKey(const ApiKeyRecord& key) = 0;
  // Keys of one principal, oldest first.
  virtual Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& organization_id,
                                                        const std::string& principal_type,
                                                        const std::string& principal_id) = 0;
  // Marks the key revoked at `at`; a key revoked earlier keeps its first revocation time.
  virtual Status RevokeApiKey(const std::string& organization_id, const std::string& key_id,
                              TimestampMs at) = 0;
  // Stamps last_used_at = `at` if the key is not revoked and was not used since
  // `at - resolution`. Never touches anything else, so it cannot undo a revocation that
  // committed after the caller read the key.
  virtual Status TouchApiKey(const std::string& key_id, TimestampMs at,
                             TimestampMs resolution) = 0;

  // REQUIRES: the organization exists; its name stays unique across the daemon.
  virtual Status UpdateOrganization(const Organization& organization) = 0;
  // Removes the organization with its API keys, their role assignments and idempotency
  // records; its audit events stay. REQUIRES: no other object of the organization remains.
  virtual Status DeleteOrganization(const std::string& id) = 0;

  virtual ObjectTable<Workspace>& Workspaces() = 0;
  virtual ObjectTable<Project>& Projects() = 0;             // parent: workspace
  virtual ObjectTable<User>& Users() = 0;
  virtual ObjectTable<ServiceAccount>& ServiceAccounts() = 0;
  virtual ObjectTable<Team>& Teams() = 0;
  virtual ObjectTable<StackComponent>& StackComponents() = 0;  // parent: workspace
  virtual ObjectTable<Stack>& Stacks() = 0;                    // parent: workspace
  virtual ObjectTable<ProjectStack>& ProjectStacks() = 0;      // parent: project
  virtual ObjectTable<Role>& Roles() = 0;
  // meta.name is the assignment's uniqueness key; see model/roles.h.
  virtual ObjectTable<RoleAssignment>& RoleAssignments() = 0;
  virtual ObjectTable<Model>& Models() = 0;                        // parent: project
  virtual ObjectTable<ModelVersion>& ModelVersions() = 0;          // parent: model
  // meta.name is "<scope id>/<stage>"; see model/governance.h.
  virtual ObjectTable<PromotionPolicy>& PromotionPolicies() = 0;
  virtual ObjectTable<PromotionRequest>& PromotionRequests() = 0;  // parent: project

  virtual Status AppendAuditEvent(const AuditEvent& event) = 0;
  // Oldest first, at most query.limit events.
  virtual Result<std::vector<AuditEvent>> ListAuditEvents(const std::string& organization_id,
                                                          const AuditQuery& query) = 0;
  // Every organization's events (deleted organizations' too) after `after_sequence`, in
  // append order, at most `limit`: what verifying every chain reads.
  virtual Result<std::vector<AuditEvent>> ScanAuditEvents(int64_t after_sequence, size_t limit) = 0;

  // Retention: every organization's checkpoint, where its purged chain resumes.
  virtual Result<std::vector<ChainCheckpoint>> ListAuditCheckpoints() = 0;
  // Deletes the organization's events written before `before` (by time, in append order up
  // to the last such event), never its newest event, and moves its checkpoint to the last
  // one deleted. Returns how many were deleted (0: nothing to purge, checkpoint unchanged).
  virtual Result<int64_t> PurgeAuditEvents(const std::string& organization_id, TimestampMs before) = 0;

  // Write transactions only: the change number this one commits as.
  virtual uint64_t ChangeNumber() = 0;
  // Write transactions only: notes in the change log that this transaction changed (inserted,
  // updated or deleted) the object `id` of `kind`.
  virtual Status RecordChange(const std::string& kind, const std::string& organization_id,
                              const std::string& id) = 0;
  // The change log after change number `after`.
  virtual Result<ChangeLog> ReadChanges(uint64_t after) = 0;
  // Write transactions only: forgets the objects of changes numbered `through` and below;
  // ReadChanges of an older number is then incomplete.
  virtual Status PruneChanges(uint64_t through) = 0;

  virtual Result<IdempotencyRecord> GetIdempotencyRecord(const std::string& organization_id,
                                                         const std::string& key) = 0;
  virtual Status InsertIdempotencyRecord(const IdempotencyRecord& record) = 0;
  virtual Status DeleteIdempotencyRecordsBefore(const std::string& organization_id,
                                                TimestampMs before) = 0;
};

using TransactionFunction = std::function<Status(StoreTransaction&)>;

// The environment refusing a write (a full disk, a read-only data dir, a lock held
// elsewhere): no fault of the request, and it goes away once an operator acts or the other
// process lets go, so it is retryable (503). `what` says which.
inline Status StorageUnavailable(const std::string& what) {
  return Status::Error(StatusCode::kUnavailable, what + "; the change was not made, retry later", "",
                       "storage_unavailable");
}

// Thread-safe: concurrent calls are serialized or isolated by the implementation.
class Store {
 public:
  virtual ~Store() = default;
  // Runs `work` in a read-only transaction.
  virtual Status Read(const TransactionFunction& work) = 0;
  // Runs `work` in a read-write transaction; commits durably iff it returns OK.
  virtual Status Write(const TransactionFunction& work) = 0;
  // A number that changes whenever a write of this process commits, before Write returns:
  // what was read while it held one value is current as long as it does. 0 when the store
  // does not count, and nothing read from it may be kept.
  virtual uint64_t CommitCount() const { return 0; }

  // Calls `on_change`, from a thread of the store's, whenever another process sharing the
  // database may have committed a write, and after every reconnection (notifications may
  // have been missed meanwhile). Called at most once, before serving. A store that only one
  // process can open never calls it.
  virtual void WatchChanges(std::function<void()> on_change) { (void)on_change; }
  // OK when the database answers now; kUnavailable, saying why, while it does not (/readyz).
  virtual Status Health() { return Status::Ok(); }
};

}  // namespace rampart
