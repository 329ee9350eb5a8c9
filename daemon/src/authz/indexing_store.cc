#include "authz/indexing_store.h"

#include <functional>
#include <type_traits>
#include <vector>

namespace rampart::authz {
namespace {

using Pending = std::vector<std::function<void(AccessIndex&)>>;

// The kinds the index mirrors are exactly those it has a Put for.
template <typename T>
constexpr bool kIndexed = requires(AccessIndex& index, const T& object) { index.Put(object); };

// ObjectTable<T> over the inner transaction's table, noting index updates.
template <typename T>
class IndexedTable final : public ObjectTable<T> {
 public:
  IndexedTable(ObjectTable<T>& inner, Pending& pending) : inner_(inner), pending_(pending) {}

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
  Status Insert(const T& object) override { return Noting(inner_.Insert(object), object); }
  Status Update(const T& object) override { return Noting(inner_.Update(object), object); }
  Status Delete(const std::string& organization_id, const std::string& id) override {
    Status status = inner_.Delete(organization_id, id);
    if (status.ok()) pending_.push_back([id](AccessIndex& index) { index.Remove(id); });
    return status;
  }

 private:
  Status Noting(Status status, const T& object) {
    if (status.ok()) pending_.push_back([object](AccessIndex& index) { index.Put(object); });
    return status;
  }

  ObjectTable<T>& inner_;
  Pending& pending_;
};

// Picks the indexed wrapper for kinds the index mirrors, the inner table otherwise.
template <typename T>
ObjectTable<T>& Choose(ObjectTable<T>& inner, std::optional<IndexedTable<T>>& wrapper,
                       Pending& pending) {
  if constexpr (kIndexed<T>) {
    if (!wrapper) wrapper.emplace(inner, pending);
    return *wrapper;
  } else {
    return inner;
  }
}

class IndexingTransaction final : public StoreTransaction {
 public:
  IndexingTransaction(StoreTransaction& inner, Pending& pending)
      : inner_(inner), pending_(pending) {}

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
      pending_.push_back([id = assignment.meta.id](AccessIndex& index) { index.Remove(id); });
    }
    pending_.push_back([id](AccessIndex& index) { index.Remove(id); });
    return Status::Ok();
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

  ObjectTable<Workspace>& Workspaces() override { return Choose(inner_.Workspaces(), workspaces_, pending_); }
  ObjectTable<Project>& Projects() override { return Choose(inner_.Projects(), projects_, pending_); }
  ObjectTable<User>& Users() override { return Choose(inner_.Users(), users_, pending_); }
  ObjectTable<ServiceAccount>& ServiceAccounts() override {
    return Choose(inner_.ServiceAccounts(), service_accounts_, pending_);
  }
  ObjectTable<Team>& Teams() override { return Choose(inner_.Teams(), teams_, pending_); }
  ObjectTable<StackComponent>& StackComponents() override { return inner_.StackComponents(); }
  ObjectTable<Stack>& Stacks() override { return Choose(inner_.Stacks(), stacks_, pending_); }
  ObjectTable<ProjectStack>& ProjectStacks() override { return inner_.ProjectStacks(); }
  ObjectTable<Role>& Roles() override { return Choose(inner_.Roles(), roles_, pending_); }
  ObjectTable<RoleAssignment>& RoleAssignments() override {
    return Choose(inner_.RoleAssignments(), role_assignments_, pending_);
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

 private:
  Status Noting(Status status, const Organization& organization) {
    if (status.ok()) {
      pending_.push_back([organization](AccessIndex& index) { index.Put(organization); });
    }
    return status;
  }

  StoreTransaction& inner_;
  Pending& pending_;
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

Status IndexingStore::Load() {
  std::lock_guard lock(write_mutex_);
  return inner_.Read([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations, t.ListOrganizations());
    for (const Organization& organization : organizations) {
      RAMPART_RETURN_IF_ERROR(LoadOrganization(t, organization, index_));
    }
    return Status::Ok();
  });
}

Status IndexingStore::Write(const TransactionFunction& work) {
  std::lock_guard lock(write_mutex_);
  Pending pending;
  Status status = inner_.Write([&](StoreTransaction& transaction) -> Status {
    pending.clear();  // a retried transaction starts afresh
    IndexingTransaction indexing(transaction, pending);
    return work(indexing);
  });
  if (!status.ok()) return status;
  for (const auto& apply : pending) apply(index_);
  return status;
}

}  // namespace rampart::authz
