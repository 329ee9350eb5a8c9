#include "service/expiry_recorder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/tenancy_fixture.h"

namespace rampart {
namespace {

class ExpiryRecorderTest : public testing::TenancyFixture {
 protected:
  bool Allowed(const std::string& principal, const char* permission) {
    auto who = index_.ResolvePrincipal(admin_.organization_id, principal, "principal");
    EXPECT_TRUE(who.ok());
    auto where = index_.ResolveScope(admin_.organization_id, "workspaces/alpha", "resource");
    EXPECT_TRUE(where.ok());
    return index_.Check(*who, *authz::PermissionIndex(permission), *where, clock_.Now()).allowed;
  }
};

TEST_F(ExpiryRecorderTest, GrantEndsAtItsExpiryInstantAndTheExpiryIsAuditedOnce) {
  ASSERT_TRUE(services_->workspaces.Create(admin_, {}, {{"name", "alpha"}}).ok());
  ASSERT_TRUE(services_->users.Create(admin_, {}, {{"email", "dana@example.com"}}).ok());
  auto assignment = services_->role_assignments.Create(
      admin_, {},
      {{"role", "workspace.admin"},
       {"user_id", "dana@example.com"},
       {"workspace_id", "alpha"},
       {"expires_at", FormatTimestamp(kStart + 60000)}});
  ASSERT_TRUE(assignment.ok()) << assignment.status().message();
  ExpiryRecorder recorder(*store_, clock_);

  clock_.Advance(59999);
  EXPECT_TRUE(Allowed("user:dana@example.com", "workspace:delete"));
  EXPECT_EQ(*recorder.RecordDue(), 0u);
  clock_.Advance(1);
  // The index compares with the clock: no background work is needed for the grant to end.
  EXPECT_FALSE(Allowed("user:dana@example.com", "workspace:delete"));
  EXPECT_EQ(*recorder.RecordDue(), 1u);
  EXPECT_EQ(*recorder.RecordDue(), 0u);
  const AuditEvent event = AuditEvents().back();
  EXPECT_EQ(event.action, "role_assignment.expire");
  EXPECT_EQ(event.target_id, assignment->meta.id);
  EXPECT_EQ(event.actor, "system:expiry");
  EXPECT_EQ(nlohmann::json::parse(event.before_json)["expires_at"], FormatTimestamp(kStart + 60000));
}

TEST_F(ExpiryRecorderTest, AnAssignmentThatAlreadyExpiredCannotBeMade) {
  ASSERT_TRUE(services_->users.Create(admin_, {}, {{"email", "dana@example.com"}}).ok());
  auto late = services_->role_assignments.Create(
      admin_, {}, {{"role", "viewer"}, {"user_id", "dana@example.com"},
                   {"expires_at", FormatTimestamp(kStart)}});
  EXPECT_EQ(late.status().field(), "expires_at");
}

}  // namespace
}  // namespace rampart
