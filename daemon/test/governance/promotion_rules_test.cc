// The policy's rules on the version and on approvals, without store or server.
#include "governance/promotion_rules.h"

#include <gtest/gtest.h>

namespace rampart::governance {
namespace {

PromotionPolicy ProductionPolicy() {
  PromotionPolicy policy;
  policy.meta.id = "pp_1";
  policy.stage = kStageProduction;
  policy.approval_required = true;
  policy.min_approvers = 2;
  return policy;
}

PromotionRequest RequestBy(const std::string& requester) {
  PromotionRequest request;
  request.requested_by = requester;
  return request;
}

void Approve(PromotionRequest& request, const std::string& who, const std::string& type = "") {
  request.decisions.push_back({who, "approve", type, "", 0});
}

TEST(PromotionRules, RequiredTagsNameWhatIsMissing) {
  PromotionPolicy policy = ProductionPolicy();
  policy.required_tags = {"fairness-reviewed", "validated"};
  ModelVersion version;
  version.meta.name = "3";
  version.tags = {"validated"};
  Status refused = CheckVersionRules(policy, version);
  EXPECT_EQ(refused.code(), StatusCode::kUnprocessable);
  EXPECT_EQ(refused.reason(), "required_tags");
  EXPECT_EQ(refused.field(), "model_version");
  EXPECT_NE(refused.message().find("fairness-reviewed"), std::string::npos) << refused.message();
  EXPECT_EQ(refused.message().find("validated on"), std::string::npos) << "names only what is missing";
  version.tags = {"a", "fairness-reviewed", "validated"};
  EXPECT_TRUE(CheckVersionRules(policy, version).ok());
}

TEST(PromotionRules, TheDescriptionMustBeLongEnough) {
  PromotionPolicy policy = ProductionPolicy();
  policy.min_description_length = 10;
  ModelVersion version;
  version.meta.description = "too short";
  Status refused = CheckVersionRules(policy, version);
  EXPECT_EQ(refused.reason(), "min_description_length");
  EXPECT_NE(refused.message().find("it has 9"), std::string::npos) << refused.message();
  version.meta.description = "long enough";
  EXPECT_TRUE(CheckVersionRules(policy, version).ok());
}

TEST(PromotionRules, AClosedWindowNamesItselfAndItsZone) {
  PromotionPolicy policy = ProductionPolicy();
  policy.blocked_windows = {{{5, 6}, 0, 24 * 60, "Europe/Berlin"}};
  TimestampMs saturday = 0, monday = 0;
  ASSERT_TRUE(ParseTimestamp("2027-01-16T12:00:00Z", saturday));
  ASSERT_TRUE(ParseTimestamp("2027-01-18T12:00:00Z", monday));
  Status refused = CheckWindow(policy, saturday);
  EXPECT_EQ(refused.code(), StatusCode::kUnprocessable);
  EXPECT_EQ(refused.reason(), "deployment_window");
  EXPECT_NE(refused.message().find("sat, sun 00:00-24:00 Europe/Berlin"), std::string::npos) << refused.message();
  EXPECT_TRUE(CheckWindow(policy, monday).ok());
}

TEST(PromotionRules, DistinctApproversCountOnceAndTheRequesterNeverUnderFourEyes) {
  PromotionPolicy policy = ProductionPolicy();
  PromotionRequest request = RequestBy("user:usr_max");
  Approve(request, "user:usr_max");  // the requester
  Approve(request, "user:usr_pat");
  Approve(request, "user:usr_pat");  // again
  EXPECT_EQ(Progress(policy, request).approvers, 1);
  EXPECT_FALSE(Progress(policy, request).satisfied);
  Approve(request, "user:usr_kim");
  EXPECT_EQ(Progress(policy, request).approvers, 2);
  EXPECT_TRUE(Progress(policy, request).satisfied);

  policy.four_eyes = false;  // then the requester's approval counts too
  PromotionRequest own = RequestBy("user:usr_max");
  Approve(own, "user:usr_max");
  Approve(own, "user:usr_pat");
  EXPECT_TRUE(Progress(policy, own).satisfied);
}

TEST(PromotionRules, EveryRequiredApprovalTypeNeedsAnApproval) {
  PromotionPolicy policy = ProductionPolicy();
  policy.min_approvers = 1;
  policy.approval_types = {"business", "technical"};
  PromotionRequest request = RequestBy("user:usr_max");
  Approve(request, "user:usr_pat", "technical");
  ApprovalProgress progress = Progress(policy, request);
  EXPECT_FALSE(progress.satisfied);
  EXPECT_EQ(progress.missing_types, std::vector<std::string>{"business"});
  // The requester's own typed approval does not cover a type under four eyes.
  Approve(request, "user:usr_max", "business");
  EXPECT_FALSE(Progress(policy, request).satisfied);
  Approve(request, "user:usr_kim", "business");
  EXPECT_TRUE(Progress(policy, request).satisfied);
}

TEST(PromotionRules, RejectionsAreNotApprovalsAndNoApprovalNeededIsSatisfiedAtOnce) {
  PromotionPolicy policy = ProductionPolicy();
  policy.min_approvers = 1;
  PromotionRequest request = RequestBy("user:usr_max");
  request.decisions.push_back({"user:usr_pat", "reject", "", "not yet", 0});
  EXPECT_FALSE(Progress(policy, request).satisfied);
  PromotionPolicy open;
  EXPECT_TRUE(Progress(open, RequestBy("user:usr_max")).satisfied);
}

}  // namespace
}  // namespace rampart::governance
