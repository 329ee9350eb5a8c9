#include "model/read_back_json.h"

namespace rampart {
namespace {

std::string Text(const nlohmann::json& json, const char* field) {
  auto found = json.find(field);
  return found != json.end() && found->is_string() ? found->get<std::string>() : "";
}

std::vector<std::string> Texts(const nlohmann::json& json, const char* field) {
  std::vector<std::string> texts;
  auto found = json.find(field);
  if (found == json.end() || !found->is_array()) return texts;
  for (const auto& item : *found) {
    if (item.is_string()) texts.push_back(item.get<std::string>());
  }
  return texts;
}

std::map<std::string, std::string> TextMap(const nlohmann::json& json, const char* field) {
  std::map<std::string, std::string> map;
  auto found = json.find(field);
  if (found == json.end() || !found->is_object()) return map;
  for (const auto& [key, value] : found->items()) {
    if (value.is_string()) map[key] = value.get<std::string>();
  }
  return map;
}

std::optional<TimestampMs> Instant(const nlohmann::json& json, const char* field) {
  TimestampMs instant = 0;
  if (ParseTimestamp(Text(json, field), instant)) return instant;
  return std::nullopt;
}

}  // namespace

ObjectMeta MetaFromJson(const nlohmann::json& json, const std::string& organization_id) {
  ObjectMeta meta;
  meta.id = Text(json, "id");
  meta.organization_id = organization_id;
  meta.name = Text(json, "name");
  meta.display_name = Text(json, "display_name");
  meta.description = Text(json, "description");
  meta.labels = TextMap(json, "labels");
  meta.created_at = Instant(json, "created_at").value_or(0);
  meta.updated_at = Instant(json, "updated_at").value_or(0);
  meta.created_by = Text(json, "created_by");
  if (json.contains("revision") && json["revision"].is_number_integer()) meta.revision = json["revision"];
  return meta;
}

Organization OrganizationFromJson(const nlohmann::json& json) {
  Organization organization{MetaFromJson(json, Text(json, "id"))};
  if (json.contains("audit_retention_days") && json["audit_retention_days"].is_number_integer()) {
    organization.audit_retention_days = json["audit_retention_days"];
  }
  return organization;
}

Workspace WorkspaceFromJson(const nlohmann::json& json, const std::string& organization_id) {
  return {MetaFromJson(json, organization_id)};
}

Project ProjectFromJson(const nlohmann::json& json, const std::string& organization_id) {
  return {MetaFromJson(json, organization_id), Text(json, "workspace_id")};
}

Stack StackFromJson(const nlohmann::json& json, const std::string& organization_id) {
  return {MetaFromJson(json, organization_id), Text(json, "workspace_id"), TextMap(json, "components")};
}

User UserFromJson(const nlohmann::json& json, const std::string& organization_id) {
  User user{MetaFromJson(json, organization_id)};
  user.meta.name = Text(json, "email");
  user.active = !json.contains("active") || json["active"] != false;
  return user;
}

ServiceAccount ServiceAccountFromJson(const nlohmann::json& json, const std::string& organization_id) {
  return {MetaFromJson(json, organization_id)};
}

Team TeamFromJson(const nlohmann::json& json, const std::string& organization_id) {
  return {MetaFromJson(json, organization_id), Texts(json, "members"), Texts(json, "idp_groups")};
}

Role RoleFromJson(const nlohmann::json& json, const std::string& organization_id) {
  return {MetaFromJson(json, organization_id), Texts(json, "permissions"), Texts(json, "inherits"),
          Texts(json, "assignable_at")};
}

RoleAssignment RoleAssignmentFromJson(const nlohmann::json& json, const std::string& organization_id) {
  RoleAssignment assignment;
  assignment.meta = MetaFromJson(json, organization_id);
  assignment.meta.created_by = Text(json, "granted_by");
  assignment.meta.created_at = Instant(json, "granted_at").value_or(0);
  assignment.role = Text(json, "role");
  for (const auto& [field, type] : {std::pair{"user_id", kPrincipalUser}, {"team_id", kPrincipalTeam},
                                    {"service_account_id", kPrincipalServiceAccount}, {"api_key_id", kPrincipalApiKey}}) {
    if (!Text(json, field).empty()) assignment.principal_type = type, assignment.principal_id = Text(json, field);
  }
  assignment.scope_type = Text(json, "scope_type");
  assignment.scope_id = organization_id;
  for (const char* field : {"workspace_id", "project_id", "stack_id"}) {
    if (!Text(json, field).empty()) assignment.scope_id = Text(json, field);
  }
  assignment.expires_at = Instant(json, "expires_at");
  assignment.reason = Text(json, "reason");
  return assignment;
}

}  // namespace rampart
