// The route table: every REST endpoint of rampartd, its permission and whether it mutates
// state, in one place. Paths match proto/rampart/v1/tenancy.proto (a test checks this).
//
// Permissions are declared here now and enforced by the authorization engine when it
// lands; until then every API key acts as its organization's administrator, which is what
// the bootstrap and organization keys are.
#pragma once

#include <vector>

#include "http/route.h"
#include "service/audit_log_service.h"
#include "service/tenancy_service.h"

namespace rampart::http {

// REQUIRES: the services outlive the returned routes.
std::vector<Route> BuildRouteTable(TenancyService& tenancy, AuditLogService& audit_log);

}  // namespace rampart::http
