// TenancyService: the use cases on organizations, workspaces and projects.
//
// Each call validates its input, runs in one store transaction, and writes the audit event
// of a change in that same transaction. Objects are looked up by id or by name (`ref`),
// always within the caller's organization. Thread-safe (stateless apart from the Store and
// Clock it borrows, which must outlive it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "model/list_query.h"
#include "model/tenancy.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

// An organization and its first admin API key; the token is shown only this once.
struct CreatedOrganization {
  Organization organization;
  std::string key_id;
  std::string token;
};

// Creates honour context.idempotency_key: a retry with the same key and the same request
// returns the object the first one created (even if it changed since) instead of a
// duplicate or a 409; the same key with a different request is kConflict.
class TenancyService {
 public:
  TenancyService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Creates the first organization of an empty data dir, with a key that is also the system
  // administrator's. kFailedState when the data dir already has an organization.
  Result<CreatedOrganization> Bootstrap(const std::string& organization_name);

  // REQUIRES: context.system_admin (checked: kPermissionDenied otherwise).
  Result<CreatedOrganization> CreateOrganization(const RequestContext& context,
                                                 const ObjectSpec& spec);
  Result<Organization> GetOrganization(const RequestContext& context);

  Result<Page<Workspace>> ListWorkspaces(const RequestContext& context,
                                         const ListRequest& request);
  Result<Workspace> GetWorkspace(const RequestContext& context, const std::string& ref);
  Result<Workspace> CreateWorkspace(const RequestContext& context, const ObjectSpec& spec);
  // `if_match`: the revision the caller last saw; kPreconditionFailed when stale.
  Result<Workspace> UpdateWorkspace(const RequestContext& context, const std::string& ref,
                                    const ObjectPatch& patch, std::optional<int64_t> if_match);
  // kConflict while the workspace still has projects.
  Status DeleteWorkspace(const RequestContext& context, const std::string& ref,
                         std::optional<int64_t> if_match);

  Result<Page<Project>> ListProjects(const RequestContext& context,
                                     const std::string& workspace_ref,
                                     const ListRequest& request);
  Result<Project> GetProject(const RequestContext& context, const std::string& workspace_ref,
                             const std::string& project_ref);
  Result<Project> GetProjectById(const RequestContext& context, const std::string& project_id);
  Result<Project> CreateProject(const RequestContext& context, const std::string& workspace_ref,
                                const ObjectSpec& spec);
  Result<Project> UpdateProject(const RequestContext& context, const std::string& workspace_ref,
                                const std::string& project_ref, const ObjectPatch& patch,
                                std::optional<int64_t> if_match);
  Status DeleteProject(const RequestContext& context, const std::string& workspace_ref,
                       const std::string& project_ref, std::optional<int64_t> if_match);

 private:
  // Inserts the organization, its first admin key and its first audit event, recorded with
  // `creator`'s request details.
  Result<CreatedOrganization> InsertOrganization(StoreTransaction& transaction,
                                                 const ObjectSpec& spec,
                                                 const RequestContext& creator,
                                                 bool system_admin_key);

  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
