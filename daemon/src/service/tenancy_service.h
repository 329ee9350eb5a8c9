// TenancyService: the use cases on organizations, the tenant boundary. Everything inside an
// organization goes through ObjectService<T> (object_service.h).
//
// Each call validates its input, runs in one store transaction, and writes the audit event
// of a change in that same transaction. Thread-safe (stateless apart from the Store and
// Clock it borrows, which must outlive it).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/status.h"
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

class TenancyService {
 public:
  TenancyService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Creates the first organization of an empty data dir, with a key that is also the system
  // administrator's. kFailedState when the data dir already has an organization.
  Result<CreatedOrganization> Bootstrap(const std::string& organization_name);

  // `body`: name (required), display_name, description, labels. Honours
  // context.idempotency_key, but a retry cannot show the token again: kConflict.
  // REQUIRES: context.system_admin (checked: kPermissionDenied otherwise).
  Result<CreatedOrganization> CreateOrganization(const RequestContext& context,
                                                 const nlohmann::json& body);
  Result<Organization> GetOrganization(const RequestContext& context);
  // A merge patch of name, display_name, description, labels; names are unique across
  // the daemon.
  Result<Organization> UpdateOrganization(const RequestContext& context,
                                          const nlohmann::json& patch,
                                          std::optional<int64_t> if_match);
  // Deletes the caller's organization and revokes its keys. kConflict while it still has
  // workspaces, users, service accounts or teams, and for the organization holding the
  // system administrator's key.
  Status DeleteOrganization(const RequestContext& context, std::optional<int64_t> if_match);

 private:
  // Inserts the organization, its first admin key and its first audit event, recorded with
  // `creator`'s request details.
  Result<CreatedOrganization> InsertOrganization(StoreTransaction& transaction,
                                                 Organization organization,
                                                 const RequestContext& creator,
                                                 bool system_admin_key);

  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
