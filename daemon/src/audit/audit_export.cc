#include "audit/audit_export.h"

#include <map>
#include <set>

#include "audit/audit_json.h"
#include "common/csv.h"

namespace rampart {
namespace {

std::string Verb(const std::string& action) {
  const size_t dot = action.find('.');
  return dot == std::string::npos ? action : action.substr(dot + 1);
}

// An OCSF user object for a Rampart principal reference: "user:usr_..", a bare id, ...
nlohmann::json OcsfUser(const std::string& principal) {
  std::string id = principal;
  const size_t colon = principal.find(':');
  if (colon != std::string::npos) id = principal.substr(colon + 1);
  nlohmann::json user = {{"uid", id}};
  if (id.rfind("usr_", 0) == 0) {
    user.update({{"type_id", 1}, {"type", "User"}});
  } else if (id.rfind("sa_", 0) == 0) {
    user.update({{"type_id", 99}, {"type", "Service Account"}});
  } else if (id.rfind("team_", 0) == 0) {
    user.update({{"type_id", 99}, {"type", "Team"}});
  } else if (id.rfind("key_", 0) == 0) {
    user.update({{"type_id", 99}, {"type", "API Key"}});
  } else {  // "system", "bootstrap": rampartd itself
    user.update({{"type_id", 3}, {"type", "System"}, {"name", principal}});
  }
  return user;
}

// What every record of the event shares: classification, time, metadata, actor, source
// and the chain fields.
nlohmann::json OcsfBase(const AuditEvent& event, int class_uid, int activity_id, const std::string& activity_name) {
  const bool success = event.outcome == "success";
  nlohmann::json actor_user = OcsfUser(event.actor);
  if (!event.key_id.empty()) actor_user["credential_uid"] = event.key_id;
  nlohmann::json source = {{"name", event.source_ip.empty() ? "rampartd" : event.source_ip}};
  if (!event.source_ip.empty()) source["ip"] = event.source_ip;
  nlohmann::json record = {
      {"class_uid", class_uid},
      {"class_name", class_uid == kOcsfApiActivity ? "API Activity" : "User Management"},
      {"category_uid", class_uid / 1000},
      {"category_name", class_uid == kOcsfApiActivity ? "Application Activity" : "Identity & Access Management"},
      {"activity_id", activity_id},
      {"activity_name", activity_name},
      {"type_uid", class_uid * 100 + activity_id},
      {"type_name", std::string(class_uid == kOcsfApiActivity ? "API Activity: " : "User Management: ") +
                        activity_name},
      {"time", event.time},
      {"severity_id", success ? 1 : 3},  // Informational; a denial is Medium
      {"severity", success ? "Informational" : "Medium"},
      {"status_id", success ? 1 : 2},
      {"status", success ? "Success" : "Failure"},
      {"message", event.action + " " + event.target_type + " " +
                      (event.target_name.empty() ? event.target_id : event.target_name) + ": " + event.outcome},
      {"metadata",
       {{"version", kOcsfVersion},
        {"uid", event.id},
        {"log_name", "audit"},
        {"product", {{"name", "Rampart"}, {"vendor_name", "Rampart"}}}}},
      {"actor", {{"user", actor_user}}},
      {"src_endpoint", source},
      {"unmapped",
       {{"organization_id", event.organization_id},
        {"workspace_id", event.workspace_id},
        {"project_id", event.project_id},
        {"action", event.action},
        {"request_id", event.request_id},
        {"chain_index", event.chain_index},
        {"prev_hash", event.prev_hash},
        {"hash", event.hash}}},
  };
  if (!event.user_agent.empty()) record["http_request"] = {{"user_agent", event.user_agent}};
  return record;
}

nlohmann::json TargetResource(const AuditEvent& event) {
  return {{"uid", event.target_id}, {"name", event.target_name}, {"type", event.target_type}};
}

nlohmann::json ApiActivity(const AuditEvent& event) {
  static const std::map<std::string, std::pair<int, std::string>> kActivities = {
      {"create", {1, "Create"}}, {"read", {2, "Read"}}, {"update", {3, "Update"}}, {"delete", {4, "Delete"}}};
  auto known = kActivities.find(Verb(event.action));
  std::pair<int, std::string> activity = known != kActivities.end() ? known->second
                                                                    : std::make_pair(99, std::string("Other"));
  nlohmann::json record = OcsfBase(event, kOcsfApiActivity, activity.first, activity.second);
  record["api"] = {{"operation", event.action},
                   {"service", {{"name", "rampartd"}}},
                   {"request", {{"uid", event.request_id}}}};
  record["resources"] = nlohmann::json::array({TargetResource(event)});
  // Required by API Activity in OCSF 1.x: the tenant is the organization.
  record["cloud"] = {{"provider", "Rampart"}, {"account", {{"uid", event.organization_id}}}};
  record["unmapped"]["before"] = ObjectOrNull(event.before_json);
  record["unmapped"]["after"] = ObjectOrNull(event.after_json);
  return record;
}

// The principal a role assignment's JSON names.
std::string AssignmentPrincipal(const nlohmann::json& assignment) {
  for (const char* field : {"user_id", "team_id", "service_account_id", "api_key_id"}) {
    if (assignment.contains(field) && assignment[field].is_string()) return assignment[field];
  }
  return "";
}

nlohmann::json RoleChange(const AuditEvent& event, const nlohmann::json& assignment) {
  const std::string verb = Verb(event.action);
  int activity_id = 99;
  std::string activity_name = "Other";
  if (verb == "create") {
    activity_id = 16, activity_name = "Assign Roles";
  } else if (verb == "delete" || verb == "expire") {
    activity_id = 17, activity_name = "Remove Roles";
  } else if (verb == "update") {
    activity_id = 2, activity_name = "Update";
  }
  nlohmann::json record = OcsfBase(event, kOcsfUserManagement, activity_id, activity_name);
  record["user"] = OcsfUser(AssignmentPrincipal(assignment));
  const std::string role = assignment.value("role", "");
  const std::string scope_type = assignment.value("scope_type", "");
  nlohmann::json scope = {{"type", scope_type}};
  for (const char* field : {"workspace_id", "project_id", "stack_id"}) {
    if (assignment.contains(field)) scope["uid"] = assignment[field];
  }
  if (scope_type == "organization") scope["uid"] = event.organization_id;
  record["privileges"] = nlohmann::json::array({role});
  record["resources"] = nlohmann::json::array({scope});
  record["unmapped"]["role_assignment"] = assignment;
  if (verb == "expire") record["activity_name"] = "Remove Roles (expired)";
  return record;
}

std::set<std::string> Members(const std::string& team_json) {
  nlohmann::json team = ObjectOrNull(team_json);
  std::set<std::string> members;
  if (team.is_object() && team.contains("members") && team["members"].is_array()) {
    for (const auto& member : team["members"]) {
      if (member.is_string()) members.insert(member.get<std::string>());
    }
  }
  return members;
}

nlohmann::json MembershipChange(const AuditEvent& event, const std::string& member, bool added) {
  nlohmann::json record = OcsfBase(event, kOcsfUserManagement, 99, added ? "Add to Team" : "Remove from Team");
  record["user"] = OcsfUser(member);
  record["user"]["groups"] = nlohmann::json::array({{{"uid", event.target_id}, {"name", event.target_name}}});
  record["resources"] = nlohmann::json::array({TargetResource(event)});
  return record;
}

}  // namespace

Result<AuditExportFormat> ParseAuditExportFormat(const std::string& text, const std::string& field) {
  if (text == "jsonl") return AuditExportFormat::kJsonLines;
  if (text == "csv") return AuditExportFormat::kCsv;
  if (text == "ocsf") return AuditExportFormat::kOcsf;
  return Status::InvalidArgument(field, "must be jsonl, csv or ocsf (got \"" + text + "\")", "unknown_format");
}

std::string ContentType(AuditExportFormat format) {
  return format == AuditExportFormat::kCsv ? "text/csv" : "application/x-ndjson";
}

std::string ExportPreamble(AuditExportFormat format) {
  if (format != AuditExportFormat::kCsv) return "";
  return CsvRow({"id", "time", "organization_id", "actor", "key_id", "action", "target_type", "target_id",
                 "target_name", "workspace_id", "project_id", "outcome", "request_id", "source_ip",
                 "user_agent", "before", "after", "chain_index", "prev_hash", "hash"});
}

std::string ExportRecord(AuditExportFormat format, const AuditEvent& event) {
  switch (format) {
    case AuditExportFormat::kJsonLines: {
      nlohmann::json json = ToJson(event);
      json["organization_id"] = event.organization_id;
      return json.dump() + "\n";
    }
    case AuditExportFormat::kCsv:
      return CsvRow({event.id, FormatTimestamp(event.time), event.organization_id, event.actor, event.key_id,
                     event.action, event.target_type, event.target_id, event.target_name, event.workspace_id,
                     event.project_id, event.outcome, event.request_id, event.source_ip, event.user_agent,
                     event.before_json, event.after_json, std::to_string(event.chain_index), event.prev_hash,
                     event.hash});
    case AuditExportFormat::kOcsf: {
      std::string lines;
      for (const nlohmann::json& record : ToOcsf(event)) lines += record.dump() + "\n";
      return lines;
    }
  }
  return "";
}

std::vector<nlohmann::json> ToOcsf(const AuditEvent& event) {
  if (event.target_type == "role_assignment" && event.outcome == "success") {
    nlohmann::json assignment = ObjectOrNull(event.after_json.empty() ? event.before_json : event.after_json);
    if (assignment.is_object() && !AssignmentPrincipal(assignment).empty()) return {RoleChange(event, assignment)};
  }
  if (event.target_type == "team" && event.outcome == "success") {
    const std::set<std::string> before = Members(event.before_json);
    const std::set<std::string> after = Members(event.after_json);
    std::vector<nlohmann::json> records;
    for (const std::string& member : after) {
      if (before.count(member) == 0) records.push_back(MembershipChange(event, member, true));
    }
    for (const std::string& member : before) {
      if (after.count(member) == 0) records.push_back(MembershipChange(event, member, false));
    }
    if (!records.empty()) return records;
  }
  return {ApiActivity(event)};
}

}  // namespace rampart
