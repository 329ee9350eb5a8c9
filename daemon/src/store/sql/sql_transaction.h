// SqlTransaction: StoreTransaction over an sql::Connection inside BEGIN ... COMMIT, the same
// for every database. The store that opens the transaction owns it, and the connection, for
// the duration of one transaction; not thread-safe.
//
// The connection throws on failure; the store's Run catches and converts. Write
// transactions must be the only writer of the database while they run (SQLite's write lock,
// PostgreSQL's writer advisory lock): audit appends chain after the organization's last
// event, and change numbers commit in order.
#pragma once

#include "store/sql/sql_connection.h"
#include "store/sql/sql_object_table.h"
#include "store/store.h"

namespace rampart::sql {

// Inside a write transaction: takes the next change number.
uint64_t NextChangeNumber(Connection& connection);

class SqlTransaction final : public StoreTransaction {
 public:
  // `change_number`: the write's (NextChangeNumber), 0 in a read transaction.
  SqlTransaction(Connection& connection, uint64_t change_number)
      : connection_(connection),
        change_number_(change_number),
        organizations_(connection),
        workspaces_(connection),
        projects_(connection),
        users_(connection),
        service_accounts_(connection),
        teams_(connection),
        stack_components_(connection),
        stacks_(connection),
        project_stacks_(connection),
        roles_(connection),
        role_assignments_(connection),
        models_(connection),
        model_versions_(connection),
        promotion_policies_(connection),
        promotion_requests_(connection) {}

  Result<std::vector<Organization>> ListOrganizations() override;
  Result<Organization> GetOrganization(const std::string& id) override;
  Status InsertOrganization(const Organization& organization) override;

  Result<ApiKeyRecord> GetApiKey(const std::string& key_id) override;
  Status InsertApiKey(const ApiKeyRecord& key) override;
  Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& organization_id,
                                                const std::string& principal_type,
                                                const std::string& principal_id) override;
  Status RevokeApiKey(const std::string& organization_id, const std::string& key_id,
                      TimestampMs at) override;
  Status TouchApiKey(const std::string& key_id, TimestampMs at, TimestampMs resolution) override;

  Status UpdateOrganization(const Organization& organization) override;
  Status DeleteOrganization(const std::string& id) override;

  ObjectTable<Workspace>& Workspaces() override { return workspaces_; }
  ObjectTable<Project>& Projects() override { return projects_; }
  ObjectTable<User>& Users() override { return users_; }
  ObjectTable<ServiceAccount>& ServiceAccounts() override { return service_accounts_; }
  ObjectTable<Team>& Teams() override { return teams_; }
  ObjectTable<StackComponent>& StackComponents() override { return stack_components_; }
  ObjectTable<Stack>& Stacks() override { return stacks_; }
  ObjectTable<ProjectStack>& ProjectStacks() override { return project_stacks_; }
  ObjectTable<Role>& Roles() override { return roles_; }
  ObjectTable<RoleAssignment>& RoleAssignments() override { return role_assignments_; }
  ObjectTable<Model>& Models() override { return models_; }
  ObjectTable<ModelVersion>& ModelVersions() override { return model_versions_; }
  ObjectTable<PromotionPolicy>& PromotionPolicies() override { return promotion_policies_; }
  ObjectTable<PromotionRequest>& PromotionRequests() override { return promotion_requests_; }

  // Audit trail: sql_audit.cc.
  Status AppendAuditEvent(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> ListAuditEvents(const std::string& organization_id,
                                                  const AuditQuery& query) override;
  Result<std::vector<ChainCheckpoint>> ListAuditCheckpoints() override;
  Result<int64_t> PurgeAuditEvents(const std::string& organization_id, TimestampMs before) override;
  Result<std::vector<AuditEvent>> ScanAuditEvents(int64_t after_sequence, size_t limit) override;
  // Chains the events up to `up_to_sequence`, written before audit events had a chain
  // (SQLite schema version 8), in append order.
  Status ChainOlderAuditEvents(int64_t up_to_sequence);

  uint64_t ChangeNumber() override { return change_number_; }
  Status RecordChange(const std::string& kind, const std::string& organization_id,
                      const std::string& id) override;
  Result<ChangeLog> ReadChanges(uint64_t after) override;
  Status PruneChanges(uint64_t through) override;

  Result<IdempotencyRecord> GetIdempotencyRecord(const std::string& organization_id,
                                                 const std::string& key) override;
  Status InsertIdempotencyRecord(const IdempotencyRecord& record) override;
  Status DeleteIdempotencyRecordsBefore(const std::string& organization_id,
                                        TimestampMs before) override;

 private:
  Connection& connection_;
  const uint64_t change_number_;
  int64_t changes_recorded_ = 0;  // positions of this write's change log rows
  SqlObjectTable<Organization> organizations_;
  SqlObjectTable<Workspace> workspaces_;
  SqlObjectTable<Project> projects_;
  SqlObjectTable<User> users_;
  SqlObjectTable<ServiceAccount> service_accounts_;
  SqlObjectTable<Team> teams_;
  SqlObjectTable<StackComponent> stack_components_;
  SqlObjectTable<Stack> stacks_;
  SqlObjectTable<ProjectStack> project_stacks_;
  SqlObjectTable<Role> roles_;
  SqlObjectTable<RoleAssignment> role_assignments_;
  SqlObjectTable<Model> models_;
  SqlObjectTable<ModelVersion> model_versions_;
  SqlObjectTable<PromotionPolicy> promotion_policies_;
  SqlObjectTable<PromotionRequest> promotion_requests_;
};

}  // namespace rampart::sql
