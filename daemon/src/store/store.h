// Store: the persistence boundary. Everything the daemon keeps goes through this interface;
// SQLite (store/sqlite) is the embedded default and a PostgreSQL store will implement the
// same contract. No SQL exists outside the implementations.
//
// Work happens in transactions: Store::Read / Store::Write run a function against a
// StoreTransaction and commit only when it returns OK, so a change and its audit event are
// committed together or not at all. A Write commit is durable when Write returns.
//
// Lookups return kNotFound when the object does not exist in the given organization: a
// foreign id is indistinguishable from a missing one. Inserts and updates that would break
// name uniqueness within the parent return kAlreadyExists with field "name".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "auth/api_key.h"
#include "common/status.h"
#include "model/list_query.h"
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

  // Lists return at most query.limit rows in (name, id) order.
  virtual Result<std::vector<Workspace>> ListWorkspaces(const std::string& organization_id,
                                                        const ListQuery& query) = 0;
  virtual Result<Workspace> GetWorkspaceById(const std::string& organization_id,
                                             const std::string& id) = 0;
  virtual Result<Workspace> GetWorkspaceByName(const std::string& organization_id,
                                               const std::string& name) = 0;
  virtual Status InsertWorkspace(const Workspace& workspace) = 0;
  // Replaces the stored row with the same id. REQUIRES: the row exists.
  virtual Status UpdateWorkspace(const Workspace& workspace) = 0;
  virtual Status DeleteWorkspace(const std::string& organization_id, const std::string& id) = 0;

  virtual Result<std::vector<Project>> ListProjects(const std::string& organization_id,
                                                    const std::string& workspace_id,
                                                    const ListQuery& query) = 0;
  // Any project of the organization, whatever its workspace.
  virtual Result<Project> GetProjectById(const std::string& organization_id,
                                         const std::string& id) = 0;
  virtual Result<Project> GetProjectByName(const std::string& organization_id,
                                           const std::string& workspace_id,
                                           const std::string& name) = 0;
  virtual Status InsertProject(const Project& project) = 0;
  // Replaces the stored row with the same id. REQUIRES: the row exists.
  virtual Status UpdateProject(const Project& project) = 0;
  virtual Status DeleteProject(const std::string& organization_id, const std::string& id) = 0;

  virtual Result<std::vector<ServiceAccount>> ListServiceAccounts(
      const std::string& organization_id, const ListQuery& query) = 0;
  virtual Result<ServiceAccount> GetServiceAccountById(const std::string& organization_id,
                                                       const std::string& id) = 0;
  virtual Result<ServiceAccount> GetServiceAccountByName(const std::string& organization_id,
                                                         const std::string& name) = 0;
  virtual Status InsertServiceAccount(const ServiceAccount& service_account) = 0;
  // Replaces the stored row with the same id. REQUIRES: the row exists.
  virtual Status UpdateServiceAccount(const ServiceAccount& service_account) = 0;
  virtual Status DeleteServiceAccount(const std::string& organization_id,
                                      const std::string& id) = 0;

  virtual Status AppendAuditEvent(const AuditEvent& event) = 0;
  // Oldest first, at most query.limit events.
  virtual Result<std::vector<AuditEvent>> ListAuditEvents(const std::string& organization_id,
                                                          const AuditQuery& query) = 0;

  virtual Result<IdempotencyRecord> GetIdempotencyRecord(const std::string& organization_id,
                                                         const std::string& key) = 0;
  virtual Status InsertIdempotencyRecord(const IdempotencyRecord& record) = 0;
};

using TransactionFunction = std::function<Status(StoreTransaction&)>;

// Thread-safe: concurrent calls are serialized or isolated by the implementation.
class Store {
 public:
  virtual ~Store() = default;
  // Runs `work` in a read-only transaction.
  virtual Status Read(const TransactionFunction& work) = 0;
  // Runs `work` in a read-write transaction; commits durably iff it returns OK.
  virtual Status Write(const TransactionFunction& work) = 0;
};

}  // namespace rampart
