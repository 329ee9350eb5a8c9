#include "authz/indexing_store.h"

#include <algorithm>
#include <functional>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "common/logging.h"

namespace rampart::authz {
namespace {

// The kinds the index mirrors are exactly those it has a Put for.
template <typename T>
constexpr bool kIndexed = requires(AccessIndex& index, const T& object) { index.Put(object); };

// How the change log names each indexed kind, and where a transaction keeps its rows.
template <typename T>
struct Logged;
template <>
struct Logged<Workspace> {
  static constexpr const char* kKind = "workspace";
  static ObjectTable<Workspace>& In(StoreTransaction& t) { return t.Workspaces(); }
};
template <>
struct Logged<Project> {
  static constexpr const char* kKind = "project";
  static ObjectTable<Project>& In(StoreTransaction& t) { return t.Projects(); }
};
template <>
struct Logged<Stack> {
  static constexpr const char* kKind = "stack";
  static ObjectTable<Stack>& In(StoreTransaction& t) { return t.Stacks(); }
};
template <>
struct Logged<User> {
  static constexpr const char* kKind = "user";
  static ObjectTable<User>& In(StoreTransaction& t) { return t.Users(); }
};
template <>
struct Logged<ServiceAccount> {
  static constexpr const char* kKind = "service_account";
  static ObjectTable<ServiceAccount>& In(StoreTransaction& t) { return t.ServiceAccounts(); }
};
template <>
struct Logged<Team> {
  static constexpr const char* kKind = "team";
  static ObjectTable<Team>& In(StoreTransaction& t) { return t.Teams(); }
};
template <>
struct Logged<Role> {
  static constexpr const char* kKind = "role";
  static ObjectTable<Role>& In(StoreTransaction& t) { return t.Roles(); }
};
template <>
struct Logged<RoleAssignment> {
  static constexpr const char* kKind = "role_assignment";
  static ObjectTable<RoleAssignment>& In(StoreTransaction& t) { return t.RoleAssignments(); }
};
constexpr const char* kOrganizationKind = "organization";

// An index update a catch-up found: put an object as it is now, or remove one that is gone.
using Update = std::function<void(AccessIndex&)>;

// The update for an object read again by id: put it as it is now, or remove it if gone.
template <typename T>
Status NoteUpdate(Result<T> found, const std::string& id, std::vector<Update>& updates) {
  if (found.ok()) {
    updates.push_back([object = *std::move(found)](AccessIndex& index) { index.Put(object); });
  } else if (found.status().code() == StatusCode::kNotFound) {
    updates.push_back([id](AccessIndex& index) { index.Remove(id); });
  } else {
    return found.status();
  }
  return Status::Ok();
}

// The update for `changed` when it is of kind T: the object as the transaction sees it.
template <typename T>
bool FetchIfKind(StoreTransaction& t, const ChangedObject& changed, std::vector<Update>& updates,
                 Status& status) {
  if (changed.kind != Logged<T>::kKind) return false;
  status = NoteUpdate(Logged<T>::In(t).GetById(changed.organization_id, changed.id), changed.id, updates);
  return true;
}

Status Fetch(StoreTransaction& t, const ChangedObject& changed, std::vector<Update>& updates) {
  if (changed.kind == kOrganizationKind) return NoteUpdate(t.GetOrganization(changed.id), changed.id, updates);
  Status status;
  const bool known = FetchIfKind<Workspace>(t, changed, updates, status) ||
                     FetchIfKind<Project>(t, changed, updates, status) ||
                     FetchIfKind<Stack>(t, changed, updates, status) ||
                     FetchIfKind<User>(t, changed, updates, status) ||
                     FetchIfKind<ServiceAccount>(t, changed, updates, status) ||
                     FetchIfKind<Team>(t, changed, updates, status) ||
                     FetchIfKind<Role>(t, changed, updates, status) ||
                     FetchIfKind<RoleAssignment>(t, changed, updates, status);
  // A kind a newer rampartd logs: its objects cannot be indexed here; say so once per row.
  if (!known) return Status::Internal("the change log names an unknown kind \"" + changed.kind + "\"");
  return status;
}

// ObjectTable<T> over the inner transaction's table, logging the objects it changes.
template <typename T>
class IndexedTable final : public ObjectTable<T> {
 public:
  IndexedTable(ObjectTable<T>& inner, StoreTransaction& transaction)
      : inner_(inner), transaction_(transaction) {}

  Result<std::vector<T>> List(const std::string& organization_id, const std::string& parent_id,
                              const ListQuery& query) override {
    return inner_.List(organization_id, parent_id, query);
  }
  Result<T> GetById(const std::string& organization_id, const std::string& id) override {
    return inner_.GetById(organization_id, id);
  }
  Result<T> GetByName(const std::string& organization_id, const std::string& parent_id,
                      const std::string& name) override {
    return inner_.GetByName(organization_id, parent_id, name);
  }
  Status Insert(const T& object) override {
    RAMPART_RETURN_IF_ERROR(inner_.Insert(object));
    return Log(object.meta.organization_id, object.meta.id);
  }
  Status Update(const T& object) override {
    RAMPART_RETURN_IF_ERROR(inner_.Update(object));
    return Log(object.meta.organization_id, object.meta.id);
  }
  Status Delete(const std::string& organization_id, const std::string& id) override {
    RAMPART_RETURN_IF_ERROR(inner_.Delete(organization_id, id));
    return Log(organization_id, id);
  }

 private:
  Status Log(const std::string& organization_id, const std::string& id) {
    return transaction_.RecordChange(Logged<T>::kKind, organization_id, id);
  }

  ObjectTable<T>& inner_;
  StoreTransaction& transaction_;
};

// Picks the logging wrapper for kinds the index mirrors, the inner table otherwise.
template <typename T>
ObjectTable<T>& Choose(ObjectTable<T>& inner, std::optional<IndexedTable<T>>& wrapper,
                       StoreTransaction& transaction) {
  if constexpr (kIndexed<T>) {
    if (!wrapper) wrapper.emplace(inner, transaction);
    return *wrapper;
  } else {
    return inner;
  }
}

class IndexingTransaction final : public StoreTransaction {
 public:
  explicit IndexingTransaction(StoreTransaction& inner) : inner_(inner) {}

  Result<std::vector<Organization>> ListOrganizations() override {
    return inner_.ListOrganizations();
  }
  Result<Organization> GetOrganization(const std::string& id) override {
    return inner_.GetOrganization(id);
  }
  Status InsertOrganization(const Organization& organization) override {
    return Noting(inner_.InsertOrganization(organization), organization);
  }
  Status UpdateOrganization(const Organization& organization) override {
    return Noting(inner_.UpdateOrganization(organization), organization);
  }
  Status DeleteOrganization(const std::string& id) override {
    // The store removes the organization's remaining assignments (its first admin key's)
    // with it; so does the index.
    ListQuery all;
    all.limit = 0;
    RAMPART_ASSIGN_OR_RETURN(std::vector<RoleAssignment> assignments,
                             inner_.RoleAssignments().List(id, id, all));
    RAMPART_RETURN_IF_ERROR(inner_.DeleteOrganization(id));
    for (const RoleAssignment& assignment : assignments) {
      RAMPART_RETURN_IF_ERROR(inner_.RecordChange(Logged<RoleAssignment>::kKind, id, assignment.meta.id));
    }
    return inner_.RecordChange(kOrganizationKind, id, id);
  }

  Result<ApiKeyRecord> GetApiKey(const std::string& key_id) override {
    return inner_.GetApiKey(key_id);
  }
  Status InsertApiKey(const ApiKeyRecord& key) override { return inner_.InsertApiKey(key); }
  Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& organization_id,
                                                const std::string& principal_type,
                                                const std::string& principal_id) override {
    return inner_.ListApiKeys(organization_id, principal_type, principal_id);
  }
  Status RevokeApiKey(const std::string& organization_id, const std::string& key_id,
                      TimestampMs at) override {
    return inner_.RevokeApiKey(organization_id, key_id, at);
  }
  Status TouchApiKey(const std::string& key_id, TimestampMs at, TimestampMs resolution) override {
    return inner_.TouchApiKey(key_id, at, resolution);
  }

  ObjectTable<Workspace>& Workspaces() override { return Choose(inner_.Workspaces(), workspaces_, inner_); }
  ObjectTable<Project>& Projects() override { return Choose(inner_.Projects(), projects_, inner_); }
  ObjectTable<User>& Users() override { return Choose(inner_.Users(), users_, inner_); }
  ObjectTable<ServiceAccount>& ServiceAccounts() override {
    return Choose(inner_.ServiceAccounts(), service_accounts_, inner_);
  }
  ObjectTable<Team>& Teams() override { return Choose(inner_.Teams(), teams_, inner_); }
  ObjectTable<StackComponent>& StackComponents() override { return inner_.StackComponents(); }
  ObjectTable<Stack>& Stacks() override { return Choose(inner_.Stacks(), stacks_, inner_); }
  ObjectTable<ProjectStack>& ProjectStacks() override { return inner_.ProjectStacks(); }
  ObjectTable<Role>& Roles() override { return Choose(inner_.Roles(), roles_, inner_); }
  ObjectTable<RoleAssignment>& RoleAssignments() override {
    return Choose(inner_.RoleAssignments(), role_assignments_, inner_);
  }
  // Governance objects grant nothing: the index does not follow them.
  ObjectTable<Model>& Models() override { return inner_.Models(); }
  ObjectTable<ModelVersion>& ModelVersions() override { return inner_.ModelVersions(); }
  ObjectTable<PromotionPolicy>& PromotionPolicies() override { return inner_.PromotionPolicies(); }
  ObjectTable<PromotionRequest>& PromotionRequests() override { return inner_.PromotionRequests(); }

  Status AppendAuditEvent(const AuditEvent& event) override {
    return inner_.AppendAuditEvent(event);
  }
  Result<std::vector<AuditEvent>> ListAuditEvents(const std::string& organization_id,
                                                  const AuditQuery& query) override {
    return inner_.ListAuditEvents(organization_id, query);
  }
  Result<std::vector<ChainCheckpoint>> ListAuditCheckpoints() override { return inner_.ListAuditCheckpoints(); }
  Result<int64_t> PurgeAuditEvents(const std::string& organization_id, TimestampMs before) override {
    return inner_.PurgeAuditEvents(organization_id, before);
  }
  Result<std::vector<AuditEvent>> ScanAuditEvents(int64_t after_sequence, size_t limit) override {
    return inner_.ScanAuditEvents(after_sequence, limit);
  }
  Result<IdempotencyRecord> GetIdempotencyRecord(const std::string& organization_id,
                                                 const std::string& key) override {
    return inner_.GetIdempotencyRecord(organization_id, key);
  }
  Status InsertIdempotencyRecord(const IdempotencyRecord& record) override {
    return inner_.InsertIdempotencyRecord(record);
  }
  Status DeleteIdempotencyRecordsBefore(const std::string& organization_id,
                                        TimestampMs before) override {
    return inner_.DeleteIdempotencyRecordsBefore(organization_id, before);
  }
  uint64_t ChangeNumber() override { return inner_.ChangeNumber(); }
  Status RecordChange(const std::string& kind, const std::string& organization_id,
                      const std::string& id) override {
    return inner_.RecordChange(kind, organization_id, id);
  }
  Result<ChangeLog> ReadChanges(uint64_t after) override { return inner_.ReadChanges(after); }
  Status PruneChanges(uint64_t through) override { return inner_.PruneChanges(through); }

 private:
  Status Noting(Status status, const Organization& organization) {
    RAMPART_RETURN_IF_ERROR(status);
    return inner_.RecordChange(kOrganizationKind, organization.meta.id, organization.meta.id);
  }

  StoreTransaction& inner_;
  std::optional<IndexedTable<Workspace>> workspaces_;
  std::optional<IndexedTable<Project>> projects_;
  std::optional<IndexedTable<User>> users_;
  std::optional<IndexedTable<ServiceAccount>> service_accounts_;
  std::optional<IndexedTable<Team>> teams_;
  std::optional<IndexedTable<Stack>> stacks_;
  std::optional<IndexedTable<Role>> roles_;
  std::optional<IndexedTable<RoleAssignment>> role_assignments_;
};

template <typename T>
Status PutAll(StoreTransaction& transaction, ObjectTable<T>& table, const Organization& organization,
              AccessIndex& index) {
  ListQuery all;
  all.limit = 0;
  if constexpr (std::is_same_v<T, Project> || std::is_same_v<T, Stack>) {
    // Nested in workspaces: list each workspace's.
    RAMPART_ASSIGN_OR_RETURN(std::vector<Workspace> workspaces,
                             transaction.Workspaces().List(organization.meta.id, organization.meta.id, all));
    for (const Workspace& workspace : workspaces) {
      RAMPART_ASSIGN_OR_RETURN(std::vector<T> rows,
                               table.List(organization.meta.id, workspace.meta.id, all));
      for (const T& row : rows) index.Put(row);
    }
  } else {
    RAMPART_ASSIGN_OR_RETURN(std::vector<T> rows,
                             table.List(organization.meta.id, organization.meta.id, all));
    for (const T& row : rows) index.Put(row);
  }
  return Status::Ok();
}

}  // namespace

Status LoadOrganization(StoreTransaction& t, const Organization& organization, AccessIndex& index) {
  index.Put(organization);
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.Workspaces(), organization, index));
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.Projects(), organization, index));
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.Stacks(), organization, index));
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.Users(), organization, index));
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.ServiceAccounts(), organization, index));
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.Teams(), organization, index));
  RAMPART_RETURN_IF_ERROR(PutAll(t, t.Roles(), organization, index));
  return PutAll(t, t.RoleAssignments(), organization, index);
}

// Asks the change log only for its newest number: no change is numbered above this.
constexpr uint64_t kNewestOnly = INT64_MAX;

IndexingStore::~IndexingStore() {
  if (following_) inner_.WatchChanges(nullptr);
}

Status IndexingStore::Load() {
  std::lock_guard lock(catch_up_mutex_);
  return Reload();
}

Status IndexingStore::Reload() {
  // Checks meanwhile see a partial index: they may deny, never allow what was revoked.
  uint64_t newest = 0;
  RAMPART_RETURN_IF_ERROR(inner_.Read([&](StoreTransaction& t) -> Status {
    index_.Clear();  // a retried read starts afresh
    RAMPART_ASSIGN_OR_RETURN(ChangeLog log, t.ReadChanges(kNewestOnly));
    newest = log.newest;
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations, t.ListOrganizations());
    for (const Organization& organization : organizations) {
      RAMPART_RETURN_IF_ERROR(LoadOrganization(t, organization, index_));
    }
    return Status::Ok();
  }));
  Applied(newest, Status::Ok());
  return Status::Ok();
}

void IndexingStore::FollowOtherWriters() {
  following_ = true;
  inner_.WatchChanges([this] {
    if (Status caught = CatchUp(); !caught.ok()) {
      NamedLogger("authz")->warn("the authorization index cannot catch up yet: {}", caught.message());
    }
  });
}

Status IndexingStore::Write(const TransactionFunction& work) {
  Status status = inner_.Write([&](StoreTransaction& transaction) -> Status {
    IndexingTransaction indexing(transaction);
    return work(indexing);
  });
  if (!status.ok()) return status;
  // Committed: the write is acknowledged whatever happens next. Should the catch-up fail
  // (the database just went away), the next one applies it, and /readyz says meanwhile.
  if (Status caught = CatchUp(); !caught.ok()) {
    NamedLogger("authz")->warn("committed, but the authorization index cannot catch up yet: {}", caught.message());
  }
  return status;
}

Status IndexingStore::CatchUp() {
  std::lock_guard lock(catch_up_mutex_);
  const uint64_t from = applied_.load();
  ChangeLog log;
  std::vector<Update> updates;
  Status read = inner_.Read([&](StoreTransaction& t) -> Status {
    updates.clear();
    RAMPART_ASSIGN_OR_RETURN(log, t.ReadChanges(from));
    if (!log.complete) return Status::Ok();
    // Each object once, as it is now, in the order of its last change.
    std::unordered_set<std::string> seen;
    std::vector<const ChangedObject*> latest;
    for (auto it = log.objects.rbegin(); it != log.objects.rend(); ++it) {
      if (seen.insert(it->id).second) latest.push_back(&*it);
    }
    for (auto it = latest.rbegin(); it != latest.rend(); ++it) RAMPART_RETURN_IF_ERROR(Fetch(t, **it, updates));
    return Status::Ok();
  });
  if (!read.ok()) {
    Status lagging = Status::Error(StatusCode::kUnavailable,
                                   "the authorization index cannot read the change log: " + read.message(), "",
                                   "index_behind");
    Applied(from, lagging);
    return lagging;
  }
  // The log no longer reaches back to what the index applied (pruned), or the database is
  // behind it (restored from a backup, or failed over to a standby that lost the newest
  // commits, whose numbers will be taken again): only a whole reload is right.
  if (!log.complete || log.newest < from) {
    NamedLogger("authz")->warn("the change log {} change {}: reloading the whole authorization index",
                               log.complete ? "of this database ends before" : "no longer reaches back to", from);
    Applied(from, Status::Error(StatusCode::kUnavailable, "reloading the authorization index", "", "index_behind"));
    Status reloaded = Reload();
    if (!reloaded.ok()) Applied(0, reloaded);
    return reloaded;
  }
  for (const Update& update : updates) update(index_);
  Applied(log.newest, Status::Ok());
  return Status::Ok();
}

void IndexingStore::Applied(uint64_t change, const Status& status) {
  {
    std::lock_guard lock(applied_mutex_);
    applied_ = change;
    catch_up_status_ = status;
    lagging_ = !status.ok();
  }
  applied_changed_.notify_all();
}

Status IndexingStore::AwaitChange(uint64_t change, std::chrono::milliseconds limit) {
  if (applied_.load() >= change) return Status::Ok();
  // The caller was answered `change` before it asked, so it is committed: a catch-up that
  // starts now and succeeds applies it. Should the database not answer, the catch-up that
  // the store runs when it reconnects may still come in time.
  if (CatchUp().ok()) {
    if (applied_.load() >= change) return Status::Ok();
    return Status::Error(StatusCode::kUnavailable,
                         "change " + std::to_string(change) + " is not in this database, whose newest is " +
                             std::to_string(applied_.load()) +
                             " (a number from another database, or from before a failover)",
                         "Rampart-Min-Change-Number", "replica_behind");
  }
  std::unique_lock lock(applied_mutex_);
  if (applied_changed_.wait_for(lock, limit, [&] { return applied_.load() >= change; })) return Status::Ok();
  return Status::Error(StatusCode::kUnavailable,
                       "this replica has applied changes up to " + std::to_string(applied_.load()) +
                           ", not yet " + std::to_string(change) + ", after waiting " +
                           std::to_string(limit.count()) + " ms: " + catch_up_status_.message() +
                           "; retry (another replica may answer sooner)",
                       "Rampart-Min-Change-Number", "replica_behind");
}

Status IndexingStore::Health() {
  RAMPART_RETURN_IF_ERROR(inner_.Health());
  // A catch-up that failed is retried here too: SQLite has no listener to retry it.
  if (lagging_.load()) return CatchUp();
  std::lock_guard lock(applied_mutex_);
  return catch_up_status_;
}

Status IndexingStore::PruneChangeLog(uint64_t keep) {
  return inner_.Write([&](StoreTransaction& t) -> Status {
    const uint64_t newest = t.ChangeNumber();
    return newest > keep ? t.PruneChanges(newest - keep) : Status::Ok();
  });
}

}  // namespace rampart::authz
