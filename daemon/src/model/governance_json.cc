#include "model/governance_json.h"

#include <algorithm>
#include <regex>

#include "model/tenancy_json.h"
#include "model/validation.h"

namespace rampart {
namespace {

nlohmann::json InProject(const ObjectMeta& meta, const std::string& workspace_id,
                         const std::string& project_id) {
  nlohmann::json json = MetaToJson(meta);
  json["organization_id"] = meta.organization_id;
  json["workspace_id"] = workspace_id;
  json["project_id"] = project_id;
  return json;
}

std::string Listed(const std::vector<std::string>& values) {
  std::string listed;
  for (const std::string& value : values) listed += (listed.empty() ? "" : ", ") + value;
  return listed;
}

Status CheckStage(const std::string& field, const std::string& stage) {
  const auto& stages = PromotionStages();
  if (std::find(stages.begin(), stages.end(), stage) != stages.end()) return Status::Ok();
  return Status::InvalidArgument(field, "must be one of " + Listed(stages), "unknown_stage");
}

Status ReadReadOnly(const nlohmann::json& patch, std::initializer_list<const char*> fields,
                    const char* why) {
  for (const char* field : fields) {
    if (patch.contains(field)) return Status::InvalidArgument(field, std::string("is read-only: ") + why, "read_only");
  }
  return Status::Ok();
}

// A version: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit ("3",
// "2.0.1", "v3-rc1").
Status CheckVersionName(const std::string& name) {
  static const std::regex kVersion("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  if (std::regex_match(name, kVersion)) return Status::Ok();
  return Status::InvalidArgument(
      "name", "must be a version: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
      "invalid_version");
}

// Tags: sorted, without duplicates, each 1-63 of [A-Za-z0-9._:/-] starting alphanumeric.
Result<std::vector<std::string>> ReadTags(const nlohmann::json& value, const std::string& field) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> tags, ReadStringList(value, field));
  if (tags.size() > kMaxTags) {
    return Status::InvalidArgument(field, "must have at most " + std::to_string(kMaxTags) + " entries",
                                   "too_many");
  }
  static const std::regex kTag("[A-Za-z0-9][A-Za-z0-9._:/-]{0,62}");
  for (size_t i = 0; i < tags.size(); ++i) {
    if (!std::regex_match(tags[i], kTag)) {
      return Status::InvalidArgument(
          field + "[" + std::to_string(i) + "]",
          "must be 1-63 letters, digits, '.', '_', ':', '/' or '-', starting with a letter or digit",
          "invalid_tag");
    }
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

// Role names as given (the service checks that each exists).
Result<std::vector<std::string>> ReadRoleNames(const nlohmann::json& value, const std::string& field) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> roles, ReadStringList(value, field));
  if (roles.size() > kMaxPolicyRoles) {
    return Status::InvalidArgument(
        field, "must have at most " + std::to_string(kMaxPolicyRoles) + " entries", "too_many");
  }
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles[i].empty()) {
      return Status::InvalidArgument(field + "[" + std::to_string(i) + "]", "must not be empty", "required");
    }
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

// Approval types: DNS labels ("technical", "business", "compliance").
Result<std::vector<std::string>> ReadApprovalTypes(const nlohmann::json& value) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> types, ReadStringList(value, "approval_types"));
  if (types.size() > kMaxPolicyRoles) {
    return Status::InvalidArgument(
        "approval_types", "must have at most " + std::to_string(kMaxPolicyRoles) + " entries", "too_many");
  }
  for (size_t i = 0; i < types.size(); ++i) {
    RAMPART_RETURN_IF_ERROR(ValidateName("approval_types[" + std::to_string(i) + "]", types[i]));
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

Status CheckUrl(const std::string& field, const std::string& url) {
  RAMPART_RETURN_IF_ERROR(ValidateText(field, url, kMaxUrlLength));
  if (url.empty() || url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) return Status::Ok();
  return Status::InvalidArgument(field, "must be an http:// or https:// URL", "not_a_url");
}

// "HH:MM", 00:00 to 24:00, as minutes after midnight.
Result<int> ReadMinutes(const nlohmann::json& value, const std::string& field) {
  RAMPART_ASSIGN_OR_RETURN(std::string text, ReadString(value, field));
  static const std::regex kTime("([01][0-9]|2[0-4]):([0-5][0-9])");
  std::smatch match;
  if (std::regex_match(text, match, kTime)) {
    int minutes = std::stoi(match[1]) * 60 + std::stoi(match[2]);
    if (minutes <= 24 * 60) return minutes;
  }
  return Status::InvalidArgument(field, "must be a time of day \"HH:MM\" from 00:00 to 24:00",
                                 "not_a_time_of_day");
}

Result<BlockedWindow> ReadWindow(const nlohmann::json& value, const std::string& field) {
  if (!value.is_object()) return WrongType(field, "an object with days, start, end and time_zone", value);
  static const std::set<std::string> kKeys = {"days", "start", "end", "time_zone"};
  for (const auto& [key, entry] : value.items()) {
    if (kKeys.count(key) == 0) {
      return Status::InvalidArgument(field + "." + key.substr(0, 80),
                                     "unknown field (accepted: days, end, start, time_zone)",
                                     "unknown_field");
    }
  }
  for (const char* key : {"start", "end"}) {
    if (!value.contains(key) || value[key].is_null()) {
      return Status::InvalidArgument(field + "." + key, "is required", "required");
    }
  }
  BlockedWindow window;
  RAMPART_ASSIGN_OR_RETURN(window.start, ReadMinutes(value["start"], field + ".start"));
  RAMPART_ASSIGN_OR_RETURN(window.end, ReadMinutes(value["end"], field + ".end"));
  if (window.start == window.end) {
    return Status::InvalidArgument(field + ".end", "must differ from start (a window that wraps past "
                                                   "midnight has end before start)",
                                   "empty_window");
  }
  if (value.contains("time_zone") && !value["time_zone"].is_null()) {
    RAMPART_ASSIGN_OR_RETURN(window.time_zone, ReadString(value["time_zone"], field + ".time_zone"));
  }
  const auto& names = WeekdayNames();
  if (!value.contains("days") || value["days"].is_null()) {
    for (int day = 0; day < 7; ++day) window.days.push_back(day);
    return window;
  }
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> days, ReadStringList(value["days"], field + ".days"));
  if (days.empty()) {
    return Status::InvalidArgument(field + ".days", "must name at least one day (absent: every day)",
                                   "required");
  }
  for (size_t i = 0; i < days.size(); ++i) {
    auto found = std::find(names.begin(), names.end(), days[i]);
    if (found == names.end()) {
      return Status::InvalidArgument(field + ".days[" + std::to_string(i) + "]",
                                     "must be one of " + Listed(names), "unknown_day");
    }
    window.days.push_back(static_cast<int>(found - names.begin()));
  }
  std::sort(window.days.begin(), window.days.end());
  window.days.erase(std::unique(window.days.begin(), window.days.end()), window.days.end());
  return window;
}

// A boolean field of a merge patch: null resets it to `when_null`.
Status ApplyBool(const nlohmann::json& patch, const char* field, bool when_null, bool& target) {
  if (!patch.contains(field)) return Status::Ok();
  if (patch[field].is_null()) {
    target = when_null;
    return Status::Ok();
  }
  RAMPART_ASSIGN_OR_RETURN(target, ReadBool(patch[field], field));
  return Status::Ok();
}

// A count field of a merge patch, 0 to `max`: null resets it to 0.
Status ApplyCount(const nlohmann::json& patch, const char* field, int64_t max, int64_t& target) {
  if (!patch.contains(field)) return Status::Ok();
  if (patch[field].is_null()) {
    target = 0;
    return Status::Ok();
  }
  RAMPART_ASSIGN_OR_RETURN(target, ReadCount(patch[field], field, max));
  return Status::Ok();
}

nlohmann::json ToJson(const BlockedWindow& window) {
  std::vector<std::string> days;
  for (int day : window.days) days.push_back(WeekdayNames()[day]);
  return {{"days", days},
          {"start", FormatMinutes(window.start)},
          {"end", FormatMinutes(window.end)},
          {"time_zone", window.time_zone}};
}

nlohmann::json ToJson(const PromotionDecision& decision) {
  return {{"principal", decision.principal}, {"decision", decision.decision}, {"type", decision.type},
          {"comment", decision.comment},     {"at", FormatTimestamp(decision.at)}};
}

// The rules that only mean something when approval is required: given (non-empty) without
// it they are refused; left out, they are reset, so turning approval off needs one field.
Status CheckApprovalRules(const nlohmann::json& patch, PromotionPolicy& policy) {
  if (!policy.approval_required) {
    for (const char* field : {"approver_roles", "approval_types"}) {
      if (patch.contains(field) && !patch[field].is_null() && !patch[field].empty()) {
        return Status::InvalidArgument(field, "only applies when approval_required is true",
                                       "needs_approval");
      }
    }
    if (patch.contains("min_approvers") && !patch["min_approvers"].is_null() &&
        patch["min_approvers"] != 0) {
      return Status::InvalidArgument("min_approvers", "only applies when approval_required is true",
                                     "needs_approval");
    }
    policy.min_approvers = 0;
    policy.approver_roles.clear();
    policy.approval_types.clear();
    return Status::Ok();
  }
  if (policy.min_approvers == 0 && !(patch.contains("min_approvers") && !patch["min_approvers"].is_null())) {
    policy.min_approvers = 1;
  }
  if (policy.min_approvers < 1) {
    return Status::InvalidArgument(
        "min_approvers", "must be from 1 to " + std::to_string(kMaxApprovers) + " when approval is required",
        "out_of_range");
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& PromotionStages() {
  static const std::vector<std::string> kStages = {kStageStaging, kStageProduction, kStageArchived};
  return kStages;
}

const std::vector<std::string>& WeekdayNames() {
  static const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  return kDays;
}

std::string FormatMinutes(int minutes) {
  auto two_digits = [](int value) { return std::string(value < 10 ? "0" : "") + std::to_string(value); };
  return two_digits(minutes / 60) + ":" + two_digits(minutes % 60);
}

nlohmann::json ToJson(const Model& model) {
  return InProject(model.meta, model.workspace_id, model.project_id);
}

nlohmann::json ToJson(const ModelVersion& version) {
  nlohmann::json json = InProject(version.meta, version.workspace_id, version.project_id);
  json["model_id"] = version.model_id;
  json["tags"] = version.tags;
  json["run_url"] = version.run_url;
  json["stage"] = version.stage;
  if (!version.source.empty()) {
    const ModelVersionSource& source = version.source;
    json["source"] = {{"workspace_id", source.workspace_id}, {"project_id", source.project_id},
                      {"model_id", source.model_id},         {"model_version_id", source.model_version_id},
                      {"version", source.version},           {"run_url", source.run_url}};
  }
  return json;
}

nlohmann::json ToJson(const PromotionPolicy& policy) {
  nlohmann::json json = MetaToJson(policy.meta);
  json.erase("name");
  json["organization_id"] = policy.meta.organization_id;
  json["workspace_id"] = policy.workspace_id;
  if (!policy.project_id.empty()) json["project_id"] = policy.project_id;
  json["stage"] = policy.stage;
  json["allowed_roles"] = policy.allowed_roles;
  json["approval_required"] = policy.approval_required;
  json["min_approvers"] = policy.min_approvers;
  json["approver_roles"] = policy.approver_roles;
  json["approval_types"] = policy.approval_types;
  json["four_eyes"] = policy.four_eyes;
  json["blocked_windows"] = nlohmann::json::array();
  for (const BlockedWindow& window : policy.blocked_windows) json["blocked_windows"].push_back(ToJson(window));
  json["required_tags"] = policy.required_tags;
  json["min_description_length"] = policy.min_description_length;
  return json;
}

nlohmann::json ToJson(const PromotionRequest& request) {
  nlohmann::json json = InProject(request.meta, request.workspace_id, request.project_id);
  json.erase("name");
  json.erase("display_name");
  json.erase("labels");
  json.erase("description");
  json["model_id"] = request.model_id;
  json["model_version_id"] = request.model_version_id;
  json["model"] = request.model;
  json["version"] = request.version;
  json["target_stage"] = request.target_stage;
  json["status"] = request.status;
  json["requested_by"] = request.requested_by;
  json["comment"] = request.comment;
  json["policy_id"] = request.policy_id;
  json["approvals_required"] = request.approvals_required;
  json["decisions"] = nlohmann::json::array();
  for (const PromotionDecision& decision : request.decisions) json["decisions"].push_back(ToJson(decision));
  json["previous_version_id"] = request.previous_version_id;
  json["applied_at"] = request.applied_at ? nlohmann::json(FormatTimestamp(*request.applied_at)) : nullptr;
  return json;
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Model& model) {
  static const std::set<std::string> kFields = MetaFields({});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  return ApplyMetaPatch(patch, /*with_name=*/true, model.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, ModelVersion& version) {
  static const std::set<std::string> kFields = MetaFields({"name", "tags", "run_url", "stage", "source"}, false);
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(ReadReadOnly(patch, {"stage"}, "a version changes stage only through a promotion request"));
  RAMPART_RETURN_IF_ERROR(ReadReadOnly(patch, {"source"}, "an imported version's source is recorded by the import"));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  if (patch.contains("name")) {
    RAMPART_ASSIGN_OR_RETURN(std::string name, ReadString(patch["name"], "name"));
    RAMPART_RETURN_IF_ERROR(CheckVersionName(name));
    RAMPART_RETURN_IF_ERROR(CheckUnchanged(mode, "name", version.meta.name, name));
    version.meta.name = std::move(name);
  }
  if (patch.contains("tags")) {
    RAMPART_ASSIGN_OR_RETURN(version.tags, ReadTags(patch["tags"], "tags"));
  }
  RAMPART_RETURN_IF_ERROR(ApplyText(patch, "run_url", kMaxUrlLength, version.run_url));
  RAMPART_RETURN_IF_ERROR(CheckUrl("run_url", version.run_url));
  return ApplyMetaPatch(patch, /*with_name=*/false, version.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, PromotionPolicy& policy) {
  static const std::set<std::string> kFields = MetaFields(
      {"workspace_id", "project_id", "stage", "allowed_roles", "approval_required", "min_approvers",
       "approver_roles", "approval_types", "four_eyes", "blocked_windows", "required_tags",
       "min_description_length"},
      false);
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"stage"}));
  static constexpr FieldChoice kScopes[] = {{"workspace_id", "workspace"}, {"project_id", "project"}};
  bool scope_given = patch.contains("workspace_id") || patch.contains("project_id");
  if (mode == PatchMode::kCreate || scope_given) {
    // Read into the fields the service resolves: a project reference goes to project_id,
    // a workspace reference to workspace_id with project_id empty.
    std::string type, ref;
    RAMPART_RETURN_IF_ERROR(ReadOneOf(patch, kScopes, true, "scope", type, ref));
    policy.workspace_id = type == "workspace" ? ref : "";
    policy.project_id = type == "project" ? ref : "";
  }
  if (patch.contains("stage")) {
    RAMPART_ASSIGN_OR_RETURN(std::string stage, ReadString(patch["stage"], "stage"));
    RAMPART_RETURN_IF_ERROR(CheckStage("stage", stage));
    RAMPART_RETURN_IF_ERROR(CheckUnchanged(mode, "stage", policy.stage, stage));
    policy.stage = std::move(stage);
  }
  if (patch.contains("allowed_roles")) {
    RAMPART_ASSIGN_OR_RETURN(policy.allowed_roles, ReadRoleNames(patch["allowed_roles"], "allowed_roles"));
  }
  RAMPART_RETURN_IF_ERROR(ApplyBool(patch, "approval_required", false, policy.approval_required));
  RAMPART_RETURN_IF_ERROR(ApplyCount(patch, "min_approvers", kMaxApprovers, policy.min_approvers));
  if (patch.contains("approver_roles")) {
    RAMPART_ASSIGN_OR_RETURN(policy.approver_roles, ReadRoleNames(patch["approver_roles"], "approver_roles"));
  }
  if (patch.contains("approval_types")) {
    RAMPART_ASSIGN_OR_RETURN(policy.approval_types, ReadApprovalTypes(patch["approval_types"]));
  }
  RAMPART_RETURN_IF_ERROR(ApplyBool(patch, "four_eyes", true, policy.four_eyes));
  if (patch.contains("blocked_windows")) {
    const nlohmann::json& windows = patch["blocked_windows"];
    policy.blocked_windows.clear();
    if (!windows.is_null() && !windows.is_array()) return WrongType("blocked_windows", "an array", windows);
    if (windows.is_array() && windows.size() > kMaxBlockedWindows) {
      return Status::InvalidArgument("blocked_windows",
                                     "must have at most " + std::to_string(kMaxBlockedWindows) + " entries",
                                     "too_many");
    }
    for (size_t i = 0; windows.is_array() && i < windows.size(); ++i) {
      RAMPART_ASSIGN_OR_RETURN(BlockedWindow window,
                               ReadWindow(windows[i], "blocked_windows[" + std::to_string(i) + "]"));
      policy.blocked_windows.push_back(std::move(window));
    }
  }
  if (patch.contains("required_tags")) {
    RAMPART_ASSIGN_OR_RETURN(policy.required_tags, ReadTags(patch["required_tags"], "required_tags"));
  }
  RAMPART_RETURN_IF_ERROR(ApplyCount(patch, "min_description_length",
                                     static_cast<int64_t>(kMaxDescriptionLength), policy.min_description_length));
  RAMPART_RETURN_IF_ERROR(CheckApprovalRules(patch, policy));
  return ApplyMetaPatch(patch, /*with_name=*/false, policy.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, PromotionRequest& request) {
  static const std::set<std::string> kFields = {"model_version", "target_stage", "comment"};
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"model_version", "target_stage"}));
  if (patch.contains("model_version")) {
    RAMPART_ASSIGN_OR_RETURN(request.model_version_id, ReadString(patch["model_version"], "model_version"));
    if (request.model_version_id.empty()) {
      return Status::InvalidArgument("model_version", "is required", "required");
    }
  }
  if (patch.contains("target_stage")) {
    RAMPART_ASSIGN_OR_RETURN(request.target_stage, ReadString(patch["target_stage"], "target_stage"));
    RAMPART_RETURN_IF_ERROR(CheckStage("target_stage", request.target_stage));
  }
  return ApplyText(patch, "comment", kMaxCommentLength, request.comment);
}

}  // namespace rampart
