// JSON form of the tenancy objects (organization, workspace, project), as served by the API
// and recorded in audit events, and the merge patches that create and change them (see
// json_fields.h). Field names and shapes follow proto/rampart/v1/tenancy.proto.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/json_fields.h"
#include "model/tenancy.h"

namespace rampart {

// The ObjectMeta fields every object shows (organization_id is added by each kind that has
// a parent organization; the organization itself does not repeat its id).
nlohmann::json MetaToJson(const ObjectMeta& meta);

nlohmann::json ToJson(const Organization& organization);
nlohmann::json ToJson(const Workspace& workspace);
nlohmann::json ToJson(const Project& project);

// Writable: name, display_name, description, labels; `name` required on create.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Organization& organization);
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Workspace& workspace);
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Project& project);

}  // namespace rampart
