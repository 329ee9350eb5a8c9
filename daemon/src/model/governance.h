// Model governance (SPEC section 4): models and their versions in a project, the promotion
// policies that say who may move a version to a stage and with whose approval, and the
// promotion requests that do it.
//
// Plain values. JSON forms and patches live in governance_json.h, the policy's rules in
// governance/promotion_rules.h, the use cases in service/promotion_service.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/tenancy.h"

namespace rampart {

// A version's stage. Versions start at "none"; promotion moves them to the others.
inline constexpr char kStageNone[] = "none";
inline constexpr char kStageStaging[] = "staging";
inline constexpr char kStageProduction[] = "production";
inline constexpr char kStageArchived[] = "archived";

// The stages a promotion can target, in the order messages list them.
const std::vector<std::string>& PromotionStages();

struct Model {
  ObjectMeta meta;
  std::string workspace_id;
  std::string project_id;
};

// Where an imported version came from (cross-workspace promotion). Empty for a version
// registered in place.
struct ModelVersionSource {
  std::string workspace_id;
  std::string project_id;
  std::string model_id;
  std::string model_version_id;
  std::string version;
  std::string run_url;

  bool operator==(const ModelVersionSource&) const = default;
  bool empty() const { return model_version_id.empty(); }
};

// meta.name is the version ("3", "2.0.1").
struct ModelVersion {
  ObjectMeta meta;
  std::string workspace_id;
  std::string project_id;
  std::string model_id;
  std::vector<std::string> tags;  // sorted, without duplicates
  std::string run_url;
  std::string stage = kStageNone;
  ModelVersionSource source;
};

// When promotion is blocked: on `days` (0 = Monday .. 6 = Sunday), from `start` to `end`
// (minutes after local midnight, 0..1440) in `time_zone`. start > end wraps past midnight
// into the next day.
struct BlockedWindow {
  std::vector<int> days;
  int start = 0;
  int end = 0;
  std::string time_zone = "UTC";

  bool operator==(const BlockedWindow&) const = default;
};

// The rules for promoting to one stage, at a workspace (the default for its projects) or a
// project. meta.name holds "<scope id>/<stage>", unique per organization.
struct PromotionPolicy {
  ObjectMeta meta;
  std::string workspace_id;
  std::string project_id;  // "" for a workspace's policy
  std::string stage;
  std::vector<std::string> allowed_roles;   // role names; empty: anyone with the permission
  bool approval_required = false;
  int64_t min_approvers = 0;
  std::vector<std::string> approver_roles;  // role names; empty: anyone with the permission
  std::vector<std::string> approval_types;  // each needs one approval of that type
  bool four_eyes = true;
  std::vector<BlockedWindow> blocked_windows;
  std::vector<std::string> required_tags;
  int64_t min_description_length = 0;
};

inline constexpr char kRequestRequested[] = "requested";
inline constexpr char kRequestApproved[] = "approved";
inline constexpr char kRequestRejected[] = "rejected";
inline constexpr char kRequestCancelled[] = "cancelled";
inline constexpr char kRequestApplied[] = "applied";

// One approver's answer to a request.
struct PromotionDecision {
  std::string principal;  // "user:usr_...", "service_account:sa_...", "api_key:key_..."
  std::string decision;   // "approve" or "reject"
  std::string type;       // an approval's type ("technical"), "" when untyped
  std::string comment;
  TimestampMs at = 0;

  bool operator==(const PromotionDecision&) const = default;
};

// A request to move a version to a stage. meta.name is the request's id (requests have
// no name of their own); meta.created_by is who asked.
struct PromotionRequest {
  ObjectMeta meta;
  std::string workspace_id;
  std::string project_id;
  std::string model_id;
  std::string model_version_id;
  std::string model;    // names at the time of the request, for people reading it later
  std::string version;
  std::string target_stage;
  std::string status = kRequestRequested;
  std::string requested_by;  // the requester as a decision names principals
  std::string comment;
  std::string policy_id;
  int64_t approvals_required = 0;
  std::vector<PromotionDecision> decisions;
  std::string previous_version_id;
  std::optional<TimestampMs> applied_at;
};

// Requested or approved: a request that may still apply.
inline bool IsOpen(const PromotionRequest& request) {
  return request.status == kRequestRequested || request.status == kRequestApproved;
}

inline constexpr char kModelIdPrefix[] = "mdl";
inline constexpr char kModelVersionIdPrefix[] = "mv";
inline constexpr char kPromotionPolicyIdPrefix[] = "pp";
inline constexpr char kPromotionRequestIdPrefix[] = "pr";

}  // namespace rampart
