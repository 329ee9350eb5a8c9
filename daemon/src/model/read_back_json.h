// The objects back from their JSON form (ToJson in *_json.h), as audit events keep them in
// `before` and `after`: what rewinding the access index to a past instant replays. Only
// the fields authorization uses are guaranteed; unknown or missing ones read as empty.
#pragma once

#include <nlohmann/json.hpp>

#include "model/principals.h"
#include "model/roles.h"
#include "model/stacks.h"
#include "model/tenancy.h"

namespace rampart {

ObjectMeta MetaFromJson(const nlohmann::json& json, const std::string& organization_id);
Organization OrganizationFromJson(const nlohmann::json& json);
Workspace WorkspaceFromJson(const nlohmann::json& json, const std::string& organization_id);
Project ProjectFromJson(const nlohmann::json& json, const std::string& organization_id);
Stack StackFromJson(const nlohmann::json& json, const std::string& organization_id);
User UserFromJson(const nlohmann::json& json, const std::string& organization_id);
ServiceAccount ServiceAccountFromJson(const nlohmann::json& json, const std::string& organization_id);
Team TeamFromJson(const nlohmann::json& json, const std::string& organization_id);
Role RoleFromJson(const nlohmann::json& json, const std::string& organization_id);
RoleAssignment RoleAssignmentFromJson(const nlohmann::json& json, const std::string& organization_id);

}  // namespace rampart
