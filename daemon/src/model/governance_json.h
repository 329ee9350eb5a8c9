// JSON form of models, model versions, promotion policies and promotion requests, and their
// merge patches (json_fields.h). What needs the store or the time zone database (references,
// role names, time zones, the policy's rules) is checked by the service.
// Field names and shapes follow proto/rampart/v1/governance.proto.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/governance.h"
#include "model/json_fields.h"

namespace rampart {

inline constexpr size_t kMaxTags = 64;
inline constexpr size_t kMaxUrlLength = 2048;
inline constexpr size_t kMaxCommentLength = 4096;
inline constexpr size_t kMaxPolicyRoles = 64;
inline constexpr size_t kMaxBlockedWindows = 32;
inline constexpr int64_t kMaxApprovers = 20;

// "mon".."sun" for 0..6.
const std::vector<std::string>& WeekdayNames();
// "HH:MM" for minutes after midnight (0..1440).
std::string FormatMinutes(int minutes);

nlohmann::json ToJson(const Model& model);
nlohmann::json ToJson(const ModelVersion& version);
nlohmann::json ToJson(const PromotionPolicy& policy);
nlohmann::json ToJson(const PromotionRequest& request);

// Writable: the meta fields (name required on create).
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Model& model);
// Writable: name (the version, required on create, fixed after), display_name,
// description, labels, tags, run_url. `stage` and `source` are read-only.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, ModelVersion& version);
// Writable: workspace_id or project_id (exactly one on create; references as given, for the
// service to resolve and keep fixed), stage (fixed after creation), the rules, display_name,
// description, labels. Rules that only mean something with approval_required are refused
// without it.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, PromotionPolicy& policy);
// A request's body: model_version (a reference as given, kept in model_version_id for the
// service to resolve), target_stage and comment. Requests change only through their
// actions, never by a patch.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, PromotionRequest& request);

}  // namespace rampart
