#include "authz/permissions.h"

#include <gtest/gtest.h>

#include "authz/builtin_roles.h"

namespace rampart::authz {
namespace {

TEST(PermissionPattern, StarMatchesOneSegmentAndTrailingStarTheRest) {
  EXPECT_TRUE(PatternMatches("stack:use", "stack:use"));
  EXPECT_FALSE(PatternMatches("stack:use", "stack:read"));
  EXPECT_TRUE(PatternMatches("*:read", "stack:read"));
  EXPECT_FALSE(PatternMatches("*:read", "model:promote:production"));
  EXPECT_TRUE(PatternMatches("model:*", "model:promote:production"));
  EXPECT_TRUE(PatternMatches("model:*", "model:read"));
  EXPECT_FALSE(PatternMatches("model:*", "model_version:read"));
  EXPECT_TRUE(PatternMatches("model:promote:*", "model:promote:staging"));
  EXPECT_TRUE(PatternMatches("model:*:production", "model:promote:production"));
  EXPECT_FALSE(PatternMatches("model:*:production", "model:promote:staging"));
  EXPECT_TRUE(PatternMatches("*", "audit_log:read"));
  EXPECT_FALSE(PatternMatches("stack", "stack:read"));
}

TEST(PermissionPattern, TyposAndMalformedPatternsAreRefusedWithTheField) {
  EXPECT_TRUE(ValidatePattern("permissions[0]", "pipeline:run").ok());
  EXPECT_TRUE(ValidatePattern("permissions[0]", "*").ok());
  Status typo = ValidatePattern("permissions[1]", "stak:use");
  EXPECT_EQ(typo.field(), "permissions[1]");
  EXPECT_EQ(typo.reason(), "unknown_permission");
  for (const char* bad : {"", "stack::use", "Stack:use", "stack:use ", "stack:us*"}) {
    EXPECT_EQ(ValidatePattern("permissions[0]", bad).reason(), "permission_pattern") << bad;
  }
}

TEST(PermissionSet, ExpandsPatternsOverTheVocabulary) {
  PermissionSet read_all = PermissionSet::FromPatterns({"*:read"});
  EXPECT_TRUE(read_all.Contains("stack:read"));
  EXPECT_FALSE(read_all.Contains("stack:use"));
  EXPECT_FALSE(read_all.Contains("not:a:permission"));
  PermissionSet everything = PermissionSet::All();
  EXPECT_EQ(everything.Names().size(), Vocabulary().size());
  EXPECT_TRUE(everything.ContainsAll(read_all));
  EXPECT_FALSE(read_all.ContainsAll(everything));
  EXPECT_EQ(PermissionSet::FromPatterns({"stack:read"}).Missing(
                PermissionSet::FromPatterns({"stack:read", "stack:use"})),
            std::vector<std::string>{"stack:use"});
}

TEST(PermissionSet, VocabularyHoldsEveryPermissionTheSpecNames) {
  for (const char* permission :
       {"stack:read", "stack:use", "stack:update", "stack:delete", "role_assignment:create",
        "workspace:update", "project:update", "pipeline:create", "pipeline:run",
        "pipeline:delete", "model:promote:staging", "model:promote:production",
        "audit_log:read", "secret:read", "pipeline_run:read", "model_version:read",
        "artifact:read", "service_account:read", "team:read", "role:read", "user:read",
        "organization:read", "stack_component:read"}) {
    EXPECT_TRUE(PermissionIndex(permission).has_value()) << permission;
  }
}

// The stack semantics of SPEC section 11: write = read + use + update; read = read only;
// admin adds delete and access management.
TEST(BuiltinRoles, StackRolesGrantExactlyWhatTheSpecSays) {
  const PermissionSet& write = FindBuiltinRole("stack.write")->permissions;
  const PermissionSet& read = FindBuiltinRole("stack.read")->permissions;
  const PermissionSet& admin = FindBuiltinRole("stack.admin")->permissions;
  EXPECT_EQ(write.Names(), (std::vector<std::string>{"stack:read", "stack:update", "stack:use"}));
  EXPECT_EQ(read.Names(), std::vector<std::string>{"stack:read"});
  EXPECT_TRUE(admin.Contains("stack:delete"));
  EXPECT_TRUE(admin.Contains("role_assignment:create"));
}

TEST(BuiltinRoles, ContributorCreatesReadsAndRunsButNeverManagesOrDeletes) {
  const PermissionSet& contributor = FindBuiltinRole("project.contributor")->permissions;
  for (const char* granted : {"pipeline:create", "pipeline:run", "project:read", "model:read"}) {
    EXPECT_TRUE(contributor.Contains(granted)) << granted;
  }
  for (const char* denied : {"project:update", "project:delete", "pipeline:delete",
                             "role_assignment:create", "model:promote:production", "stack:use"}) {
    EXPECT_FALSE(contributor.Contains(denied)) << denied;
  }
}

TEST(BuiltinRoles, EveryNameOfTheSpecExistsAndHasADot) {
  for (const char* name : {"organization.admin", "organization.viewer", "organization.member",
                           "workspace.admin", "workspace.member", "workspace.viewer",
                           "project.admin", "project.contributor", "project.viewer",
                           "stack.admin", "stack.write", "stack.read"}) {
    ASSERT_NE(FindBuiltinRole(name), nullptr) << name;
  }
  for (const char* generic : {"viewer", "editor", "admin"}) {
    ASSERT_NE(FindBuiltinRole(generic), nullptr) << generic;
  }
  EXPECT_EQ(FindBuiltinRole("workspace.member")->permissions.Names(),
            std::vector<std::string>{"workspace:read"});
  EXPECT_FALSE(FindBuiltinRole("editor")->permissions.Contains("role_assignment:create"));
  EXPECT_FALSE(FindBuiltinRole("editor")->permissions.Contains("stack:delete"));
  EXPECT_TRUE(FindBuiltinRole("editor")->permissions.Contains("stack:use"));
}

}  // namespace
}  // namespace rampart::authz
