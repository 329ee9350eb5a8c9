// The authorization routes of the route table: the permission vocabulary, roles (built-in
// and custom), role assignments, and the questions asked of the access index.
#pragma once

#include <vector>

#include "http/route.h"
#include "service/services.h"

namespace rampart::http {

// REQUIRES: `services` outlives the routes.
void AddAuthzRoutes(std::vector<Route>& routes, Services& services);

}  // namespace rampart::http
