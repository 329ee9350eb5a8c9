// The route table: every REST endpoint of rampartd, its permission and whether it mutates
// state, in one place. Paths match the http annotations in proto/rampart/v1 (a test checks
// this).
//
// Permissions are declared here now and enforced by the authorization engine when it
// lands; until then every API key acts as its organization's administrator, which is what
// the bootstrap and organization keys are.
#pragma once

#include <vector>

#include "http/route.h"
#include "service/services.h"

namespace rampart::http {

// REQUIRES: `services` outlives the returned routes.
std::vector<Route> BuildRouteTable(Services& services);

}  // namespace rampart::http
