// The rules of a promotion policy that depend only on the policy, the version, the request
// and the time: what a version must carry, when promotion is blocked, and when enough
// approvals have been given. Who may request and approve needs the access index and is
// checked by the service (service/promotion_service.h).
//
// Refusals are kUnprocessable whose reason names the rule ("required_tags",
// "min_description_length", "deployment_window") and whose message says what failed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "model/governance.h"

namespace rampart::governance {

// The version's tags hold every required tag, and its description is long enough.
Status CheckVersionRules(const PromotionPolicy& policy, const ModelVersion& version);

// No deployment window of the policy blocks promotion at `now`.
Status CheckWindow(const PromotionPolicy& policy, TimestampMs now);

// How far a request's approvals go towards what the policy asks.
struct ApprovalProgress {
  int64_t approvers = 0;                    // distinct approving principals that count
  std::vector<std::string> missing_types;   // required approval types nobody gave yet
  bool satisfied = false;
};

// Distinct approvers (never the requester when the policy has four eyes) against
// min_approvers, and the approval types they gave against approval_types. A policy that
// requires no approval is satisfied at once.
ApprovalProgress Progress(const PromotionPolicy& policy, const PromotionRequest& request);

}  // namespace rampart::governance
