#include "store/sql/json_columns.h"

namespace rampart::sql {
namespace {

std::optional<std::string> OptionalString(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return std::nullopt;
  return json[key].get<std::string>();
}

std::optional<int64_t> OptionalInt(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return std::nullopt;
  return json[key].get<int64_t>();
}

}  // namespace

std::string QuotaToJson(const StackQuota& quota) {
  nlohmann::json json = nlohmann::json::object();
  if (quota.cpu) json["cpu"] = *quota.cpu;
  if (quota.memory) json["memory"] = *quota.memory;
  if (quota.gpu) json["gpu"] = *quota.gpu;
  if (quota.max_parallel_runs) json["max_parallel_runs"] = *quota.max_parallel_runs;
  return json.dump();
}

StackQuota QuotaFromJson(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text);
  return {OptionalString(json, "cpu"), OptionalString(json, "memory"), OptionalInt(json, "gpu"),
          OptionalInt(json, "max_parallel_runs")};
}

std::string SourceToJson(const ModelVersionSource& source) {
  if (source.empty()) return nlohmann::json::object().dump();
  return nlohmann::json{{"workspace_id", source.workspace_id}, {"project_id", source.project_id},
                        {"model_id", source.model_id},         {"model_version_id", source.model_version_id},
                        {"version", source.version},           {"run_url", source.run_url}}
      .dump();
}

ModelVersionSource SourceFromJson(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text);
  if (json.empty()) return {};
  return {json["workspace_id"], json["project_id"], json["model_id"],
          json["model_version_id"], json["version"], json["run_url"]};
}

std::string RulesToJson(const PromotionPolicy& policy) {
  nlohmann::json windows = nlohmann::json::array();
  for (const BlockedWindow& window : policy.blocked_windows) {
    windows.push_back({{"days", window.days}, {"start", window.start}, {"end", window.end},
                       {"time_zone", window.time_zone}});
  }
  return nlohmann::json{{"allowed_roles", policy.allowed_roles},
                        {"approval_required", policy.approval_required},
                        {"min_approvers", policy.min_approvers},
                        {"approver_roles", policy.approver_roles},
                        {"approval_types", policy.approval_types},
                        {"four_eyes", policy.four_eyes},
                        {"blocked_windows", windows},
                        {"required_tags", policy.required_tags},
                        {"min_description_length", policy.min_description_length}}
      .dump();
}

void RulesFromJson(const std::string& text, PromotionPolicy& policy) {
  nlohmann::json json = nlohmann::json::parse(text);
  json["allowed_roles"].get_to(policy.allowed_roles);
  json["approval_required"].get_to(policy.approval_required);
  json["min_approvers"].get_to(policy.min_approvers);
  json["approver_roles"].get_to(policy.approver_roles);
  json["approval_types"].get_to(policy.approval_types);
  json["four_eyes"].get_to(policy.four_eyes);
  for (const nlohmann::json& window : json["blocked_windows"]) {
    policy.blocked_windows.push_back({window["days"], window["start"], window["end"], window["time_zone"]});
  }
  json["required_tags"].get_to(policy.required_tags);
  json["min_description_length"].get_to(policy.min_description_length);
}

std::string DetailsToJson(const PromotionRequest& request) {
  nlohmann::json decisions = nlohmann::json::array();
  for (const PromotionDecision& decision : request.decisions) {
    decisions.push_back({{"principal", decision.principal}, {"decision", decision.decision},
                         {"type", decision.type}, {"comment", decision.comment}, {"at", decision.at}});
  }
  nlohmann::json json = {{"model", request.model},
                         {"version", request.version},
                         {"requested_by", request.requested_by},
                         {"comment", request.comment},
                         {"policy_id", request.policy_id},
                         {"approvals_required", request.approvals_required},
                         {"decisions", decisions},
                         {"previous_version_id", request.previous_version_id}};
  if (request.applied_at) json["applied_at"] = *request.applied_at;
  return json.dump();
}

void DetailsFromJson(const std::string& text, PromotionRequest& request) {
  nlohmann::json json = nlohmann::json::parse(text);
  json["model"].get_to(request.model);
  json["version"].get_to(request.version);
  json["requested_by"].get_to(request.requested_by);
  json["comment"].get_to(request.comment);
  json["policy_id"].get_to(request.policy_id);
  json["approvals_required"].get_to(request.approvals_required);
  for (const nlohmann::json& decision : json["decisions"]) {
    request.decisions.push_back({decision["principal"], decision["decision"], decision["type"],
                                 decision["comment"], decision["at"]});
  }
  json["previous_version_id"].get_to(request.previous_version_id);
  request.applied_at = OptionalInt(json, "applied_at");
}

}  // namespace rampart::sql
