#include "model/principals_json.h"

#include <algorithm>
#include <cctype>

#include "model/tenancy_json.h"
#include "model/validation.h"

namespace rampart {
namespace {

nlohmann::json InOrganization(const ObjectMeta& meta) {
  nlohmann::json json = MetaToJson(meta);
  json["organization_id"] = meta.organization_id;
  return json;
}

void SortUnique(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace

nlohmann::json ToJson(const User& user) {
  nlohmann::json json = InOrganization(user.meta);
  json.erase("name");
  json["email"] = user.meta.name;
  json["active"] = user.active;
  return json;
}

nlohmann::json ToJson(const ServiceAccount& service_account) {
  return InOrganization(service_account.meta);
}

nlohmann::json ToJson(const Team& team) {
  nlohmann::json json = InOrganization(team.meta);
  json["members"] = team.members;
  json["idp_groups"] = team.idp_groups;
  return json;
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, User& user) {
  static const std::set<std::string> kFields = MetaFields({"email", "active"}, false);
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"email"}));
  if (patch.contains("email")) {
    RAMPART_ASSIGN_OR_RETURN(std::string email, ReadString(patch["email"], "email"));
    // Mail systems treat addresses case-insensitively in practice: one person, one user.
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    RAMPART_RETURN_IF_ERROR(ValidateEmail("email", email));
    user.meta.name = std::move(email);
  }
  if (patch.contains("active")) {
    RAMPART_ASSIGN_OR_RETURN(user.active, ReadBool(patch["active"], "active"));
  }
  return ApplyMetaPatch(patch, /*with_name=*/false, user.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, ServiceAccount& service_account) {
  static const std::set<std::string> kFields = MetaFields({});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  return ApplyMetaPatch(patch, /*with_name=*/true, service_account.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Team& team) {
  static const std::set<std::string> kFields = MetaFields({"members", "idp_groups"});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  if (patch.contains("members")) {
    RAMPART_ASSIGN_OR_RETURN(team.members, ReadStringList(patch["members"], "members"));
    if (team.members.size() > kMaxTeamMembers) {
      return Status::InvalidArgument(
          "members", "must have at most " + std::to_string(kMaxTeamMembers) + " entries",
          "too_many");
    }
  }
  if (patch.contains("idp_groups")) {
    RAMPART_ASSIGN_OR_RETURN(team.idp_groups, ReadStringList(patch["idp_groups"], "idp_groups"));
    if (team.idp_groups.size() > kMaxIdpGroups) {
      return Status::InvalidArgument(
          "idp_groups", "must have at most " + std::to_string(kMaxIdpGroups) + " entries",
          "too_many");
    }
    for (size_t i = 0; i < team.idp_groups.size(); ++i) {
      std::string field = "idp_groups[" + std::to_string(i) + "]";
      if (team.idp_groups[i].empty()) return Status::InvalidArgument(field, "must not be empty", "required");
      RAMPART_RETURN_IF_ERROR(ValidateText(field, team.idp_groups[i], kMaxIdpGroupLength));
    }
    SortUnique(team.idp_groups);
  }
  return ApplyMetaPatch(patch, /*with_name=*/true, team.meta);
}

}  // namespace rampart
