#include "authz/access_index.h"

#include <gtest/gtest.h>

#include "support/test_time.h"

namespace rampart::authz {
namespace {

using testing::kTestStart;

ObjectMeta Meta(const std::string& id, const std::string& name) {
  ObjectMeta meta;
  meta.id = id;
  meta.organization_id = "org_a";
  meta.name = name;
  meta.created_by = "user:usr_admin";
  meta.created_at = kTestStart - 1000;
  return meta;
}

RoleAssignment Assign(const std::string& id, const std::string& role, const std::string& type,
                      const std::string& principal, const std::string& scope_type,
                      const std::string& scope) {
  return RoleAssignment{Meta(id, id), role, type, principal, scope_type, scope, std::nullopt, ""};
}

size_t P(const char* permission) { return *PermissionIndex(permission); }

// One organization: workspace alpha with project recsys and stacks dev and prod; users dana
// (developer) and olga (ml-ops); teams developers and ml-ops.
class AccessIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Organization organization{Meta("org_a", "acme")};
    organization.meta.organization_id = "org_a";
    index_.Put(organization);
    index_.Put(Workspace{Meta("ws_alpha", "alpha")});
    index_.Put(Project{Meta("prj_recsys", "recsys"), "ws_alpha"});
    index_.Put(Stack{Meta("stk_dev", "dev"), "ws_alpha", {}});
    index_.Put(Stack{Meta("stk_prod", "prod"), "ws_alpha", {}});
    index_.Put(User{Meta("usr_dana", "dana@example.com"), true});
    index_.Put(User{Meta("usr_olga", "olga@example.com"), true});
    index_.Put(Team{Meta("team_dev", "developers"), {"usr_dana"}, {}});
    index_.Put(Team{Meta("team_ops", "ml-ops"), {"usr_olga"}, {}});
    index_.Put(Assign("ra_1", "workspace.member", "team", "team_dev", "workspace", "ws_alpha"));
    index_.Put(Assign("ra_2", "project.contributor", "team", "team_dev", "project", "prj_recsys"));
    index_.Put(Assign("ra_3", "stack.write", "team", "team_dev", "stack", "stk_dev"));
    index_.Put(Assign("ra_4", "stack.read", "team", "team_dev", "stack", "stk_prod"));
    index_.Put(Assign("ra_5", "workspace.admin", "team", "team_ops", "workspace", "ws_alpha"));
  }

  Decision Check(const std::string& principal, const char* permission, const std::string& path,
                 TimestampMs now = kTestStart) {
    auto who = index_.ResolvePrincipal("org_a", principal, "principal");
    EXPECT_TRUE(who.ok()) << who.status().message();
    auto where = index_.ResolveScope("org_a", path, "resource");
    EXPECT_TRUE(where.ok()) << where.status().message();
    if (!who.ok() || !where.ok()) return {};
    return index_.Check(*who, P(permission), *where, now);
  }

  AccessIndex index_;
};

TEST_F(AccessIndexTest, TeamGrantReachesMemberAndIsExplained) {
  Decision use_dev = Check("user:dana@example.com", "stack:use", "workspaces/alpha/stacks/dev");
  EXPECT_TRUE(use_dev.allowed);
  EXPECT_EQ(use_dev.assignment_id, "ra_3");
  EXPECT_EQ(use_dev.role_name, "stack.write");
  EXPECT_EQ(use_dev.via_team_id, "team_dev");
  EXPECT_EQ(use_dev.scope.id, "stk_dev");
  EXPECT_FALSE(Check("user:dana@example.com", "stack:use", "workspaces/alpha/stacks/prod").allowed);
  EXPECT_TRUE(Check("user:dana@example.com", "stack:read", "workspaces/alpha/stacks/prod").allowed);
  EXPECT_FALSE(Check("user:dana@example.com", "stack:delete", "workspaces/alpha/stacks/prod").allowed);
}

TEST_F(AccessIndexTest, WorkspaceGrantCoversEverythingBelowIt) {
  Decision decision = Check("user:olga@example.com", "stack:delete", "workspaces/alpha/stacks/prod");
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.scope.id, "ws_alpha");
  EXPECT_TRUE(Check("team:ml-ops", "role_assignment:create", "workspaces/alpha/stacks/prod").allowed);
  EXPECT_FALSE(Check("user:olga@example.com", "workspace:create", "organization").allowed);
}

TEST_F(AccessIndexTest, ProjectRolesGiveNoStackPermissions) {
  index_.Put(Assign("ra_9", "project.admin", "user", "usr_dana", "project", "prj_recsys"));
  EXPECT_TRUE(Check("user:dana@example.com", "role_assignment:create", "workspaces/alpha/projects/recsys").allowed);
  EXPECT_FALSE(Check("user:dana@example.com", "stack:update", "workspaces/alpha/stacks/prod").allowed);
  EXPECT_FALSE(Check("user:dana@example.com", "workspace:update", "workspaces/alpha").allowed);
}

TEST_F(AccessIndexTest, ExpiredAssignmentStopsAtItsExpiryInstant) {
  RoleAssignment temporary = Assign("ra_t", "stack.admin", "user", "usr_dana", "stack", "stk_prod");
  temporary.expires_at = kTestStart + 60000;
  index_.Put(temporary);
  EXPECT_TRUE(Check("user:dana@example.com", "stack:delete", "workspaces/alpha/stacks/prod", kTestStart + 59999).allowed);
  EXPECT_FALSE(Check("user:dana@example.com", "stack:delete", "workspaces/alpha/stacks/prod", kTestStart + 60000).allowed);
}

TEST_F(AccessIndexTest, CustomRoleInheritanceAndWildcards) {
  index_.Remove("ra_5");  // olga holds only what follows
  index_.Put(Role{Meta("role_base", "base"), {"model:read"}, {}, {}});
  index_.Put(Role{Meta("role_ds", "data-scientist"), {"pipeline:*"}, {"role_base", "stack.read"}, {}});
  index_.Put(Assign("ra_c", "role_ds", "user", "usr_olga", "project", "prj_recsys"));
  EXPECT_TRUE(Check("user:olga@example.com", "pipeline:delete", "workspaces/alpha/projects/recsys").allowed);
  EXPECT_TRUE(Check("user:olga@example.com", "model:read", "workspaces/alpha/projects/recsys").allowed);
  EXPECT_FALSE(Check("user:olga@example.com", "model:update", "workspaces/alpha/projects/recsys").allowed);
  // Changing the inherited role changes what the assignment grants, at once.
  index_.Put(Role{Meta("role_base", "base"), {"artifact:read"}, {}, {}});
  EXPECT_FALSE(Check("user:olga@example.com", "model:read", "workspaces/alpha/projects/recsys").allowed);
  EXPECT_TRUE(Check("user:olga@example.com", "artifact:read", "workspaces/alpha/projects/recsys").allowed);
}

TEST_F(AccessIndexTest, LeavingTheTeamRemovesItsGrants) {
  index_.Put(Team{Meta("team_dev", "developers"), {}, {}});
  EXPECT_FALSE(Check("user:dana@example.com", "stack:read", "workspaces/alpha/stacks/prod").allowed);
}

TEST_F(AccessIndexTest, InactiveUserHoldsNothing) {
  index_.Put(User{Meta("usr_dana", "dana@example.com"), false});
  EXPECT_FALSE(Check("user:dana@example.com", "stack:read", "workspaces/alpha/stacks/prod").allowed);
}

TEST_F(AccessIndexTest, NamesResolveOnlyWithinTheOrganization) {
  ObjectMeta other = Meta("org_b", "globex");
  other.organization_id = "org_b";
  index_.Put(Organization{other});
  EXPECT_EQ(index_.ResolveScope("org_b", "workspaces/alpha", "resource").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(index_.ResolveScope("org_b", "workspaces/ws_alpha", "resource").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(index_.ResolvePrincipal("org_b", "user:dana@example.com", "p").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(index_.ResolvePrincipal("org_b", "usr_dana", "p").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(index_.ResolveScope("org_a", "workspace/alpha", "resource").status().field(),
            "resource");
}

TEST_F(AccessIndexTest, WhoCanLeavesOutInactiveUsers) {
  index_.Put(User{Meta("usr_dana", "dana@example.com"), false});
  index_.Put(Assign("ra_d", "stack.admin", "user", "usr_dana", "stack", "stk_dev"));
  auto who = index_.WhoCan(P("stack:use"), *index_.ResolveScope("org_a", "workspaces/alpha/stacks/dev", "r"), kTestStart);
  for (const AccessRow& row : who) EXPECT_NE(row.principal.id, "usr_dana");
  EXPECT_FALSE(who.empty());  // olga, through ml-ops
}

TEST_F(AccessIndexTest, WhoCanExpandsTeamsAndMatrixListsEveryRow) {
  auto who = index_.WhoCan(P("stack:use"), *index_.ResolveScope("org_a", "workspaces/alpha/stacks/dev", "r"), kTestStart);
  std::vector<std::string> ids;
  for (const AccessRow& row : who) ids.push_back(row.principal.id + "/" + row.via_team_id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"usr_dana/team_dev", "usr_olga/team_ops"}));
  auto matrix = index_.Matrix(*index_.ResolveScope("org_a", "workspaces/alpha", "r"), kTestStart);
  EXPECT_EQ(matrix.size(), 10u);  // 5 team rows + 5 member rows
}

}  // namespace
}  // namespace rampart::authz
