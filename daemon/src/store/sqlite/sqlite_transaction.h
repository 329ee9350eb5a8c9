// SqliteTransaction: StoreTransaction over one SQLite connection inside BEGIN ... COMMIT.
//
// Created and owned by SqliteStore::Run for the duration of one transaction; not
// thread-safe. SQLiteCpp throws SQLite::Exception; Run catches it and converts it with
// StatusFromSqliteException, so nothing here needs to.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "store/store.h"

namespace rampart::sqlite {

// kAlreadyExists for uniqueness violations, kInternal (with a generic message) otherwise.
Status StatusFromSqliteException(const SQLite::Exception& e);

class SqliteTransaction final : public StoreTransaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : db_(db) {}

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

  Result<std::vector<Workspace>> ListWorkspaces(const std::string& organization_id,
                                                const ListQuery& query) override;
  Result<Workspace> GetWorkspaceById(const std::string& organization_id,
                                     const std::string& id) override;
  Result<Workspace> GetWorkspaceByName(const std::string& organization_id,
                                       const std::string& name) override;
  Status InsertWorkspace(const Workspace& workspace) override;
  Status UpdateWorkspace(const Workspace& workspace) override;
  Status DeleteWorkspace(const std::string& organization_id, const std::string& id) override;

  Result<std::vector<Project>> ListProjects(const std::string& organization_id,
                                            const std::string& workspace_id,
                                            const ListQuery& query) override;
  Result<Project> GetProjectById(const std::string& organization_id,
                                 const std::string& id) override;
  Result<Project> GetProjectByName(const std::string& organization_id,
                                   const std::string& workspace_id,
                                   const std::string& name) override;
  Status InsertProject(const Project& project) override;
  Status UpdateProject(const Project& project) override;
  Status DeleteProject(const std::string& organization_id, const std::string& id) override;

  Result<std::vector<ServiceAccount>> ListServiceAccounts(const std::string& organization_id,
                                                          const ListQuery& query) override;
  Result<ServiceAccount> GetServiceAccountById(const std::string& organization_id,
                                               const std::string& id) override;
  Result<ServiceAccount> GetServiceAccountByName(const std::string& organization_id,
                                                 const std::string& name) override;
  Status InsertServiceAccount(const ServiceAccount& service_account) override;
  Status UpdateServiceAccount(const ServiceAccount& service_account) override;
  Status DeleteServiceAccount(const std::string& organization_id, const std::string& id) override;

  Status AppendAuditEvent(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> ListAuditEvents(const std::string& organization_id,
                                                  const AuditQuery& query) override;

  Result<IdempotencyRecord> GetIdempotencyRecord(const std::string& organization_id,
                                                 const std::string& key) override;
  Status InsertIdempotencyRecord(const IdempotencyRecord& record) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rampart::sqlite
