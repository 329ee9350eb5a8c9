#include "governance/promotion_rules.h"

#include <algorithm>
#include <set>

#include "governance/deployment_window.h"

namespace rampart::governance {

Status CheckVersionRules(const PromotionPolicy& policy, const ModelVersion& version) {
  std::string missing;
  for (const std::string& tag : policy.required_tags) {
    if (!std::binary_search(version.tags.begin(), version.tags.end(), tag)) {
      missing += (missing.empty() ? "" : ", ") + tag;
    }
  }
  if (!missing.empty()) {
    return Status::Error(StatusCode::kUnprocessable,
                         "promotion to " + policy.stage + " requires the tags " + missing +
                             " on version " + version.meta.name + " (policy " + policy.meta.id + ")",
                         "model_version", "required_tags");
  }
  if (static_cast<int64_t>(version.meta.description.size()) < policy.min_description_length) {
    return Status::Error(StatusCode::kUnprocessable,
                         "promotion to " + policy.stage + " requires a description of at least " +
                             std::to_string(policy.min_description_length) + " characters on version " +
                             version.meta.name + " (it has " +
                             std::to_string(version.meta.description.size()) + "; policy " +
                             policy.meta.id + ")",
                         "model_version", "min_description_length");
  }
  return Status::Ok();
}

Status CheckWindow(const PromotionPolicy& policy, TimestampMs now) {
  std::optional<size_t> blocking = BlockingWindow(policy.blocked_windows, now);
  if (!blocking) return Status::Ok();
  return Status::Error(StatusCode::kUnprocessable,
                       "promotion to " + policy.stage + " is blocked now by the deployment window " +
                           DescribeWindow(policy.blocked_windows[*blocking]) + " (policy " +
                           policy.meta.id + "); try again after it ends",
                       "target_stage", "deployment_window");
}

ApprovalProgress Progress(const PromotionPolicy& policy, const PromotionRequest& request) {
  ApprovalProgress progress;
  if (!policy.approval_required) {
    progress.satisfied = true;
    return progress;
  }
  std::set<std::string> approvers;
  std::set<std::string> types;
  for (const PromotionDecision& decision : request.decisions) {
    if (decision.decision != "approve") continue;
    if (policy.four_eyes && decision.principal == request.requested_by) continue;
    approvers.insert(decision.principal);
    if (!decision.type.empty()) types.insert(decision.type);
  }
  progress.approvers = static_cast<int64_t>(approvers.size());
  for (const std::string& type : policy.approval_types) {
    if (types.count(type) == 0) progress.missing_types.push_back(type);
  }
  progress.satisfied = progress.approvers >= policy.min_approvers && progress.missing_types.empty();
  return progress;
}

}  // namespace rampart::governance
