// JSON form of the tenancy objects, as served by the API and recorded in audit events.
// Field names and shapes follow proto/rampart/v1/tenancy.proto.
#pragma once

#include <nlohmann/json.hpp>

#include "model/tenancy.h"

namespace rampart {

nlohmann::json ToJson(const Organization& organization);
nlohmann::json ToJson(const Workspace& workspace);
nlohmann::json ToJson(const Project& project);
nlohmann::json ToJson(const ServiceAccount& service_account);

}  // namespace rampart
