// JSON form of users, service accounts and teams, and their merge patches (json_fields.h).
// Field names and shapes follow proto/rampart/v1/principals.proto.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/json_fields.h"
#include "model/principals.h"

namespace rampart {

inline constexpr size_t kMaxTeamMembers = 10000;
inline constexpr size_t kMaxIdpGroups = 100;
inline constexpr size_t kMaxIdpGroupLength = 256;

// Users show `email` (their meta.name) instead of `name`.
nlohmann::json ToJson(const User& user);
nlohmann::json ToJson(const ServiceAccount& service_account);
nlohmann::json ToJson(const Team& team);

// Writable: email (required on create; lowercased), display_name, description, labels,
// active.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, User& user);
// Writable: name (required on create), display_name, description, labels.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, ServiceAccount& service_account);
// Writable: the meta fields, members (principal references as given: the service resolves
// them to ids) and idp_groups (sorted, duplicates dropped).
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Team& team);

}  // namespace rampart
