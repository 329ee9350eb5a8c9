// The routes of model governance (SPEC section 4): models and versions of a project,
// imports from another workspace, promotion policies and promotion requests with their
// actions. Paths match proto/rampart/v1/governance.proto.
#pragma once

#include <vector>

#include "http/route.h"
#include "service/services.h"

namespace rampart::http {

// REQUIRES: `services` outlives the routes.
void AddGovernanceRoutes(std::vector<Route>& routes, Services& services);

}  // namespace rampart::http
