// SqliteTransaction: StoreTransaction over one SQLite connection inside BEGIN ... COMMIT.
//
// Created and owned by SqliteStore::Run for the duration of one transaction; not
// thread-safe. SQLiteCpp throws SQLite::Exception; Run catches it and converts it with
// StatusFromSqliteException, so nothing here needs to.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "store/sqlite/object_tables.h"
#include "store/store.h"

namespace rampart::sqlite {

// kAlreadyExists for name uniqueness violations, kUnavailable when the disk, permissions or
// a lock refuse the work, kInternal (with a generic message) otherwise.
Status StatusFromSqliteException(const SQLite::Exception& e);

class SqliteTransaction final : public StoreTransaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db)
      : db_(db),
        organizations_(db),
        workspaces_(db),
        projects_(db),
        users_(db),
        service_accounts_(db),
        teams_(db),
        stack_components_(db),
        stacks_(db),
        project_stacks_(db),
        roles_(db),
        role_assignments_(db),
        models_(db),
        model_versions_(db),
        promotion_policies_(db),
        promotion_requests_(db) {}

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

  Status AppendAuditEvent(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> ListAuditEvents(const std::string& organization_id,
                                                  const AuditQuery& query) override;
  Result<std::vector<ChainCheckpoint>> ListAuditCheckpoints() override;
  Result<int64_t> PurgeAuditEvents(const std::string& organization_id, TimestampMs before) override;
  Result<std::vector<AuditEvent>> ScanAuditEvents(int64_t after_sequence, size_t limit) override;
  // Chains the events up to `up_to_sequence`, written before audit events had a chain
  // (schema version 8), in append order. Run once by SqliteStore::Open.
  Status ChainOlderAuditEvents(int64_t up_to_sequence);

  Result<IdempotencyRecord> GetIdempotencyRecord(const std::string& organization_id,
                                                 const std::string& key) override;
  Status InsertIdempotencyRecord(const IdempotencyRecord& record) override;
  Status DeleteIdempotencyRecordsBefore(const std::string& organization_id,
                                        TimestampMs before) override;

 private:
  SQLite::Database& db_;
  SqliteObjectTable<Organization> organizations_;
  SqliteObjectTable<Workspace> workspaces_;
  SqliteObjectTable<Project> projects_;
  SqliteObjectTable<User> users_;
  SqliteObjectTable<ServiceAccount> service_accounts_;
  SqliteObjectTable<Team> teams_;
  SqliteObjectTable<StackComponent> stack_components_;
  SqliteObjectTable<Stack> stacks_;
  SqliteObjectTable<ProjectStack> project_stacks_;
  SqliteObjectTable<Role> roles_;
  SqliteObjectTable<RoleAssignment> role_assignments_;
  SqliteObjectTable<Model> models_;
  SqliteObjectTable<ModelVersion> model_versions_;
  SqliteObjectTable<PromotionPolicy> promotion_policies_;
  SqliteObjectTable<PromotionRequest> promotion_requests_;
};

}  // namespace rampart::sqlite
