// The route table: every REST endpoint of rampartd, its permission and whether it mutates
// state, in one place. Paths match proto/rampart/v1/tenancy.proto (a test checks this).
//
// Permissions are declared here now and enforced by the authorization engine when it
// lands; until then every API key acts as its organization's administrator, which is what
// the bootstrap and organization keys are.
#pragma once

#include <vector>

#include "http/route.h"
#include "service/api_key_service.h"
#include "service/audit_log_service.h"
#include "service/service_account_service.h"
#include "service/tenancy_service.h"

namespace rampart::http {

// The services the routes call. REQUIRES: they outlive the returned routes.
struct Services {
  TenancyService& tenancy;
  ServiceAccountService& service_accounts;
  ApiKeyService& api_keys;
  AuditLogService& audit_log;
};

std::vector<Route> BuildRouteTable(const Services& services);

}  // namespace rampart::http
