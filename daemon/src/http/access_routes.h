// The questions asked of the access index: POST /v1/check (single and batch, with the
// explanation), GET /v1/access-matrix (JSON or CSV), /v1/who-can and /v1/what-can.
#pragma once

#include <vector>

#include "http/route.h"
#include "service/services.h"

namespace rampart::http {

// REQUIRES: `services` outlives the routes.
void AddAccessRoutes(std::vector<Route>& routes, Services& services);

}  // namespace rampart::http
