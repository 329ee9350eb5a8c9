// Property test: the AccessIndex answers exactly what a plain evaluation of the rows the
// store holds answers (SPEC section 3), over thousands of random organizations.
//
// Each organization is generated from its own seed (kFirstSeed + its number), fed with Put
// to an index it shares with up to 99 others, then changed the way the services change it (team
// membership, role edits, deletes with their cascades), the same changes mirrored in plain vectors.
// After every round of changes, random checks are compared with a reference written here
// from the rows alone: scope ancestry by following workspace_id, team membership from
// Team.members, role permissions by expanding patterns with PatternMatches and following
// inheritance, expiry as now < expires_at, inactive users holding nothing. A disagreement
// prints its seed, the case and the organization's rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "authz/access_index.h"
#include "authz/builtin_roles.h"
#include "authz/permissions.h"
#include "support/test_time.h"

namespace rampart::authz {
namespace {

// Sanitizer builds are Debug builds and several times slower: fewer organizations there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSlowBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSlowBuild = true;
#else
constexpr bool kSlowBuild = false;
#endif
#elif !defined(NDEBUG)
constexpr bool kSlowBuild = true;
#else
constexpr bool kSlowBuild = false;
#endif

constexpr int kOrganizations = kSlowBuild ? 150 : 2000;
constexpr int kOrganizationsPerIndex = 100;
constexpr int kChangeRounds = 3;
constexpr int kChecksPerRound = 40;
constexpr int kEffectivePerRound = 4;
constexpr uint32_t kFirstSeed = 20260101;
using testing::kTestStart;
constexpr ScopeLevel kLevels[] = {ScopeLevel::kOrganization, ScopeLevel::kWorkspace,
                                  ScopeLevel::kProject, ScopeLevel::kStack};

// Deterministic on every standard library (the std distributions are not).
class Dice {
 public:
  explicit Dice(uint32_t seed) : engine_(seed) {}
  size_t Below(size_t n) { return n == 0 ? 0 : engine_() % n; }  // 0 when n == 0
  size_t Between(size_t low, size_t high) { return low + Below(high - low + 1); }
  bool Chance(size_t percent) { return Below(100) < percent; }
  template <typename T>
  T& Pick(std::vector<T>& items) {
    return items[Below(items.size())];
  }
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[Below(i)]);
  }

 private:
  std::mt19937 engine_;
};

// One organization as the store would hold it.
struct Rows {
  uint32_t seed = 0;
  int number = 0;
  int next_id = 0;
  Organization organization;
  std::vector<Workspace> workspaces;
  std::vector<Project> projects;
  std::vector<Stack> stacks;
  std::vector<User> users;
  std::vector<ServiceAccount> service_accounts;
  std::vector<Team> teams;
  std::vector<Role> roles;  // creation order: a role inherits only roles before it
  std::vector<RoleAssignment> assignments;
};

template <typename T>
T* FindById(std::vector<T>& items, const std::string& id) {
  for (T& item : items) {
    if (item.meta.id == id) return &item;
  }
  return nullptr;
}
template <typename T>
const T* FindById(const std::vector<T>& items, const std::string& id) {
  return FindById(const_cast<std::vector<T>&>(items), id);
}
template <typename T>
void EraseById(std::vector<T>& items, const std::string& id) {
  std::erase_if(items, [&](const T& item) { return item.meta.id == id; });
}
bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// ---- The reference evaluation: the rows alone, written without the index's structures.

// Permissions by vocabulary position (a plain bitset, not the index's PermissionSet).
using Grants = std::bitset<kMaxPermissions>;

// Which permissions of the vocabulary a pattern grants (memoized: patterns come from a
// small pool).
const Grants& PatternGrants(const std::string& pattern) {
  static std::unordered_map<std::string, Grants> memo;
  auto known = memo.find(pattern);
  if (known != memo.end()) return known->second;
  Grants grants;
  for (size_t i = 0; i < Vocabulary().size(); ++i) {
    grants[i] = PatternMatches(pattern, Vocabulary()[i].name);
  }
  return memo[pattern] = grants;
}

// What `role` (built-in name or custom role id) grants, by vocabulary position: its own
// patterns and those of the roles it inherits, recursively; an unknown role grants nothing.
Grants RoleGrants(const Rows& rows, const std::string& role, int depth = 0) {
  Grants grants;
  if (const BuiltinRole* builtin = FindBuiltinRole(role)) {
    for (const std::string& pattern : builtin->patterns) grants |= PatternGrants(pattern);
    return grants;
  }
  const Role* custom = FindById(rows.roles, role);
  if (custom == nullptr || depth > 64) return grants;
  for (const std::string& pattern : custom->permissions) grants |= PatternGrants(pattern);
  for (const std::string& inherited : custom->inherits)
    grants |= RoleGrants(rows, inherited, depth + 1);
  return grants;
}

bool RoleGrants(const Rows& rows, const std::string& role, size_t permission) {
  return RoleGrants(rows, role)[permission];
}

// The scope and its ancestors: a project or stack, its workspace, the organization.
std::vector<std::string> ScopeAndAncestors(const Rows& rows, const std::string& scope_id) {
  std::vector<std::string> chain = {scope_id};
  std::string at = scope_id;
  if (const Project* project = FindById(rows.projects, at)) at = project->workspace_id;
  if (const Stack* stack = FindById(rows.stacks, at)) at = stack->workspace_id;
  if (at != scope_id) chain.push_back(at);
  if (const Workspace* workspace = FindById(rows.workspaces, at)) {
    chain.push_back(workspace->meta.organization_id);
  }
  return chain;
}

bool IsMember(const Team& team, const std::string& principal_id) {
  return Contains(team.members, principal_id);
}

bool Live(const RoleAssignment& assignment, TimestampMs now) {
  return !assignment.expires_at || now < *assignment.expires_at;
}

struct ReferenceOptions {
  bool ignore_expiry = false;
  bool ignore_inactive = false;
};

// The assignments that reach `principal` at `scope` at `now`: made to it or to a team it is
// in, at the scope or an ancestor, unexpired; none for an inactive user.
std::vector<const RoleAssignment*> Reaching(const Rows& rows, const Principal& principal,
                                            const std::string& scope_id, TimestampMs now,
                                            ReferenceOptions options = {}) {
  std::vector<const RoleAssignment*> reaching;
  const User* user = FindById(rows.users, principal.id);
  if (user != nullptr && !user->active && !options.ignore_inactive) return reaching;
  std::vector<std::string> chain = ScopeAndAncestors(rows, scope_id);
  for (const RoleAssignment& assignment : rows.assignments) {
    bool held = assignment.principal_id == principal.id;
    if (assignment.principal_type == kPrincipalTeam) {
      const Team* team = FindById(rows.teams, assignment.principal_id);
      held = held || (team != nullptr && IsMember(*team, principal.id));
    }
    if (held && Contains(chain, assignment.scope_id) &&
        (options.ignore_expiry || Live(assignment, now))) {
      reaching.push_back(&assignment);
    }
  }
  return reaching;
}

bool ReferenceAllows(const Rows& rows, const Principal& principal, size_t permission,
                     const std::string& scope_id, TimestampMs now, ReferenceOptions options = {}) {
  for (const RoleAssignment* assignment : Reaching(rows, principal, scope_id, now, options)) {
    if (RoleGrants(rows, assignment->role, permission)) return true;
  }
  return false;
}

// Everything the reaching assignments' roles grant, by vocabulary position.
Grants ReferenceEffective(const Rows& rows, const Principal& principal, const std::string& scope_id,
                          TimestampMs now) {
  Grants effective;
  for (const RoleAssignment* assignment : Reaching(rows, principal, scope_id, now)) {
    effective |= RoleGrants(rows, assignment->role);
  }
  return effective;
}

// Why an allowed decision's explanation does not hold up, or "" when it does.
std::string ExplanationProblem(const Rows& rows, const Principal& principal, size_t permission,
                               const Scope& scope, TimestampMs now, const Decision& decision) {
  const RoleAssignment* assignment = FindById(rows.assignments, std::string(decision.assignment_id));
  if (assignment == nullptr) return "names an assignment that does not exist";
  if (!Live(*assignment, now)) return "names an expired assignment";
  if (decision.role != assignment->role)
    return "role " + std::string(decision.role) + " is not the assignment's";
  if (!RoleGrants(rows, assignment->role, permission))
    return "the assignment's role does not grant it";
  const Role* custom = FindById(rows.roles, assignment->role);
  std::string role_name = custom != nullptr ? custom->meta.name : assignment->role;
  if (decision.role_name != role_name)
    return "role_name " + std::string(decision.role_name) + " != " + role_name;
  if (decision.scope.id != assignment->scope_id) return "scope is not the assignment's";
  if (ScopeLevelName(decision.scope.level) != assignment->scope_type) return "scope level is wrong";
  if (!Contains(ScopeAndAncestors(rows, scope.id), assignment->scope_id)) {
    return "the assignment's scope is not the checked scope or an ancestor";
  }
  if (decision.via_team_id.empty()) {
    if (assignment->principal_id != principal.id) return "direct, but made to someone else";
    return "";
  }
  const Team* team = FindById(rows.teams, std::string(decision.via_team_id));
  if (team == nullptr || !IsMember(*team, principal.id))
    return "via a team the principal is not in";
  if (assignment->principal_id != team->meta.id) return "via a team the assignment is not made to";
  return "";
}

// ---- Generating organizations and changing them as the services do.

// Wildcard patterns roles are given besides exact permissions (and, rarely, "*").
const std::vector<std::string>& WildcardPatterns() {
  // clang-format off
  static const std::vector<std::string> patterns = {
      "*:read", "*:create", "*:update", "*:delete", "*:use",
      "model:*", "pipeline:*", "stack:*", "pipeline_run:*", "team:*", "secret:*",
      "role_assignment:*", "model:promote:*", "model:*:production", "*:promote:staging"};
  // clang-format on
  return patterns;
}

std::vector<ScopeLevel> AssignableLevels(const Rows& rows, const std::string& role) {
  if (const BuiltinRole* builtin = FindBuiltinRole(role)) return builtin->assignable_at;
  std::vector<ScopeLevel> levels;
  if (const Role* custom = FindById(rows.roles, role)) {
    for (const std::string& name : custom->assignable_at) {
      ScopeLevel level;
      if (ParseScopeLevel(name, level)) levels.push_back(level);
    }
  }
  return levels;
}

std::vector<Scope> AllScopes(const Rows& rows) {
  std::vector<Scope> scopes = {{ScopeLevel::kOrganization, rows.organization.meta.id}};
  for (const Workspace& w : rows.workspaces) scopes.push_back({ScopeLevel::kWorkspace, w.meta.id});
  for (const Project& p : rows.projects) scopes.push_back({ScopeLevel::kProject, p.meta.id});
  for (const Stack& s : rows.stacks) scopes.push_back({ScopeLevel::kStack, s.meta.id});
  return scopes;
}

std::vector<Principal> AllPrincipals(const Rows& rows) {
  std::vector<Principal> principals;
  for (const User& u : rows.users) principals.push_back({kPrincipalUser, u.meta.id});
  for (const ServiceAccount& a : rows.service_accounts) {
    principals.push_back({kPrincipalServiceAccount, a.meta.id});
  }
  for (const Team& t : rows.teams) principals.push_back({kPrincipalTeam, t.meta.id});
  return principals;
}

class Generator {
 public:
  Generator(Rows& rows, AccessIndex& index) : rows_(rows), index_(index), dice_(rows.seed) {}
  Dice& dice() { return dice_; }

  // A fresh organization, Put in the store's load order (kinds in order, rows shuffled
  // within a kind) or, for one organization in four, in an entirely random order.
  void Populate();
  // One random change, applied to the rows and, in the order the services commit, the index.
  void Change();

 private:
  ObjectMeta Meta(const char* prefix);
  Project NewProject(const std::string& workspace_id);
  Stack NewStack(const std::string& workspace_id);
  User NewUser();
  ServiceAccount NewServiceAccount();
  Team NewTeam();
  void RandomizeMembers(Team& team, size_t percent);
  // Patterns and inheritance for the role at `position` (inheriting only roles before it).
  void RandomizeRole(Role& role, size_t position);
  Role NewRole();
  void AddAssignment();
  std::optional<TimestampMs> RandomExpiry();
  // The service's cascade: assignments made to `id` or at scope `id` go first.
  void DeleteAssignmentsOf(const std::string& id);

  Rows& rows_;
  AccessIndex& index_;
  Dice dice_;
};

ObjectMeta Generator::Meta(const char* prefix) {
  ObjectMeta meta;
  meta.id = std::string(prefix) + "_" + std::to_string(rows_.number) + "x" +
            std::to_string(rows_.next_id++);
  meta.organization_id = rows_.organization.meta.id;
  meta.name = "n" + std::to_string(rows_.next_id);
  meta.created_by = "usr_admin";
  meta.created_at = kTestStart - static_cast<TimestampMs>(dice_.Below(1000)) * kHourMs;
  return meta;
}

Project Generator::NewProject(const std::string& workspace_id) {
  return Project{Meta(kProjectIdPrefix), workspace_id};
}
Stack Generator::NewStack(const std::string& workspace_id) {
  return Stack{Meta(kStackIdPrefix), workspace_id, {}};
}
User Generator::NewUser() {
  User user{Meta(kUserIdPrefix), !dice_.Chance(10)};
  user.meta.name = "u" + std::to_string(rows_.next_id) + "@example.com";
  return user;
}
ServiceAccount Generator::NewServiceAccount() {
  return ServiceAccount{Meta(kServiceAccountIdPrefix)};
}

Team Generator::NewTeam() {
  Team team{Meta(kTeamIdPrefix), {}, {}};
  RandomizeMembers(team, dice_.Between(5, 50));
  return team;
}

void Generator::RandomizeMembers(Team& team, size_t percent) {
  team.members.clear();
  for (const User& u : rows_.users) {
    if (dice_.Chance(percent)) team.members.push_back(u.meta.id);
  }
  for (const ServiceAccount& a : rows_.service_accounts) {
    if (dice_.Chance(percent)) team.members.push_back(a.meta.id);
  }
  std::sort(team.members.begin(), team.members.end());
}

void Generator::RandomizeRole(Role& role, size_t position) {
  role.permissions.clear();
  role.inherits.clear();
  size_t patterns = dice_.Between(0, 4);
  for (size_t i = 0; i < patterns; ++i) {
    if (dice_.Chance(2)) {
      role.permissions.push_back("*");
    } else if (dice_.Chance(35)) {
      role.permissions.push_back(WildcardPatterns()[dice_.Below(WildcardPatterns().size())]);
    } else {
      role.permissions.push_back(Vocabulary()[dice_.Below(Vocabulary().size())].name);
    }
  }
  size_t inherits = dice_.Between(patterns == 0 ? 1 : 0, 2);
  for (size_t i = 0; i < inherits; ++i) {
    if (position > 0 && dice_.Chance(60)) {
      role.inherits.push_back(rows_.roles[dice_.Below(position)].meta.id);
    } else {
      role.inherits.push_back(BuiltinRoles()[dice_.Below(BuiltinRoles().size())].name);
    }
  }
}

Role Generator::NewRole() {
  Role role{Meta(kRoleIdPrefix), {}, {}, {}};
  RandomizeRole(role, rows_.roles.size());
  for (ScopeLevel level : kLevels) {
    if (dice_.Chance(50)) role.assignable_at.push_back(ScopeLevelName(level));
  }
  if (role.assignable_at.empty())
    role.assignable_at.push_back(ScopeLevelName(kLevels[dice_.Below(4)]));
  return role;
}

std::optional<TimestampMs> Generator::RandomExpiry() {
  size_t kind = dice_.Below(100);
  TimestampMs offset = static_cast<TimestampMs>(dice_.Between(1, 48 * 60)) * 60 * 1000;
  if (kind < 70) return std::nullopt;
  return kind < 85 ? kTestStart - offset : kTestStart + offset;
}

void Generator::AddAssignment() {
  std::string role;
  if (!rows_.roles.empty() && dice_.Chance(45)) {
    role = dice_.Pick(rows_.roles).meta.id;
  } else {
    role = BuiltinRoles()[dice_.Below(BuiltinRoles().size())].name;
  }
  std::vector<ScopeLevel> levels = AssignableLevels(rows_, role);
  std::vector<Scope> scopes;
  for (const Scope& scope : AllScopes(rows_)) {
    if (std::find(levels.begin(), levels.end(), scope.level) != levels.end())
      scopes.push_back(scope);
  }
  std::vector<Principal> principals = AllPrincipals(rows_);
  if (scopes.empty() || principals.empty()) return;
  const Scope& scope = dice_.Pick(scopes);
  const Principal& principal = dice_.Pick(principals);
  for (const RoleAssignment& existing : rows_.assignments) {  // unique per (role, principal, scope)
    if (existing.role == role && existing.principal_id == principal.id &&
        existing.scope_id == scope.id) {
      return;
    }
  }
  RoleAssignment assignment{Meta(kRoleAssignmentIdPrefix),
                            role,
                            principal.type,
                            principal.id,
                            ScopeLevelName(scope.level),
                            scope.id,
                            RandomExpiry(),
                            "",
                            std::nullopt};
  assignment.meta.name = role + "|" + principal.id + "|" + scope.id;
  rows_.assignments.push_back(assignment);
  index_.Put(assignment);
}

void Generator::Populate() {
  std::string organization_id = "org_" + std::to_string(rows_.number);
  rows_.organization.meta.id = organization_id;
  rows_.organization.meta.organization_id = organization_id;
  rows_.organization.meta.name = "o" + std::to_string(rows_.number);
  for (size_t w = dice_.Between(1, 4); w > 0; --w) {
    Workspace workspace{Meta(kWorkspaceIdPrefix)};
    for (size_t p = dice_.Between(0, 4); p > 0; --p)
      rows_.projects.push_back(NewProject(workspace.meta.id));
    for (size_t s = dice_.Between(0, 3); s > 0; --s)
      rows_.stacks.push_back(NewStack(workspace.meta.id));
    rows_.workspaces.push_back(workspace);
  }
  for (size_t u = dice_.Between(1, 24); u > 0; --u) rows_.users.push_back(NewUser());
  for (size_t a = dice_.Between(0, 4); a > 0; --a)
    rows_.service_accounts.push_back(NewServiceAccount());
  for (size_t t = dice_.Between(0, 6); t > 0; --t) rows_.teams.push_back(NewTeam());
  for (size_t r = dice_.Between(0, 8); r > 0; --r) rows_.roles.push_back(NewRole());

  // Assignments are Put as they are made; the other rows are loaded first, as at start.
  std::vector<std::vector<std::function<void()>>> kinds(8);
  auto load = [&](size_t kind, const auto& row) {
    kinds[kind].push_back([this, row] { index_.Put(row); });
  };
  load(0, rows_.organization);
  for (const auto& row : rows_.workspaces) load(1, row);
  for (const auto& row : rows_.projects) load(2, row);
  for (const auto& row : rows_.stacks) load(3, row);
  for (const auto& row : rows_.users) load(4, row);
  for (const auto& row : rows_.service_accounts) load(5, row);
  for (const auto& row : rows_.teams) load(6, row);
  for (const auto& row : rows_.roles) load(7, row);
  std::vector<std::function<void()>> order;
  bool anything_goes = dice_.Chance(25);
  for (auto& kind : kinds) {
    if (!anything_goes) dice_.Shuffle(kind);
    order.insert(order.end(), kind.begin(), kind.end());
  }
  if (anything_goes) dice_.Shuffle(order);
  for (const auto& put : order) put();
  size_t holders = rows_.users.size() + rows_.service_accounts.size() + rows_.teams.size();
  for (size_t a = dice_.Between(0, std::min<size_t>(80, holders * 3)); a > 0; --a) AddAssignment();
}

void Generator::DeleteAssignmentsOf(const std::string& id) {
  std::vector<std::string> doomed;
  for (const RoleAssignment& a : rows_.assignments) {
    if (a.principal_id == id || a.scope_id == id) doomed.push_back(a.meta.id);
  }
  for (const std::string& assignment : doomed) {
    EraseById(rows_.assignments, assignment);
    index_.Remove(assignment);
  }
}

void Generator::Change() {
  switch (dice_.Below(14)) {
    case 0:
    case 1: {  // team membership: someone joins or leaves
      if (rows_.teams.empty()) return;
      Team& team = dice_.Pick(rows_.teams);
      std::vector<Principal> candidates = AllPrincipals(rows_);
      std::erase_if(candidates, [](const Principal& p) { return p.type == kPrincipalTeam; });
      for (size_t n = dice_.Between(1, 3); n > 0 && !candidates.empty(); --n) {
        const std::string& who = dice_.Pick(candidates).id;
        if (IsMember(team, who)) {
          std::erase(team.members, who);
        } else {
          team.members.push_back(who);
          std::sort(team.members.begin(), team.members.end());
        }
      }
      index_.Put(team);
      return;
    }
    case 2: {  // role edit: new patterns, new inheritance (still acyclic)
      if (rows_.roles.empty()) return;
      size_t position = dice_.Below(rows_.roles.size());
      RandomizeRole(rows_.roles[position], position);
      index_.Put(rows_.roles[position]);
      return;
    }
    case 3: {  // role delete: refused while assigned or inherited, as the service does
      std::vector<std::string> unused;
      for (const Role& role : rows_.roles) {
        bool used = std::any_of(rows_.assignments.begin(), rows_.assignments.end(),
                                [&](const RoleAssignment& a) { return a.role == role.meta.id; }) ||
                    std::any_of(rows_.roles.begin(), rows_.roles.end(),
                                [&](const Role& r) { return Contains(r.inherits, role.meta.id); });
        if (!used) unused.push_back(role.meta.id);
      }
      if (unused.empty()) return;
      std::string doomed = dice_.Pick(unused);
      EraseById(rows_.roles, doomed);
      index_.Remove(doomed);
      return;
    }
    case 4: {  // assignment delete
      if (rows_.assignments.empty()) return;
      std::string doomed = dice_.Pick(rows_.assignments).meta.id;
      EraseById(rows_.assignments, doomed);
      index_.Remove(doomed);
      return;
    }
    case 5: {  // assignment update: only expires_at can change
      if (rows_.assignments.empty()) return;
      RoleAssignment& assignment = dice_.Pick(rows_.assignments);
      assignment.expires_at = RandomExpiry();
      index_.Put(assignment);
      return;
    }
    case 6:
    case 7:
      for (size_t n = dice_.Between(1, 5); n > 0; --n) AddAssignment();
      return;
    case 8: {  // user deactivated or reactivated
      if (rows_.users.empty()) return;
      User& user = dice_.Pick(rows_.users);
      user.active = !user.active;
      index_.Put(user);
      return;
    }
    case 9: {  // team delete
      if (rows_.teams.empty()) return;
      std::string doomed = dice_.Pick(rows_.teams).meta.id;
      DeleteAssignmentsOf(doomed);
      EraseById(rows_.teams, doomed);
      index_.Remove(doomed);
      return;
    }
    case 10: {  // user or service account delete: assignments, then team memberships
      std::vector<Principal> candidates = AllPrincipals(rows_);
      std::erase_if(candidates, [](const Principal& p) { return p.type == kPrincipalTeam; });
      if (candidates.size() < 2) return;  // the organization keeps someone
      std::string doomed = dice_.Pick(candidates).id;
      DeleteAssignmentsOf(doomed);
      for (Team& team : rows_.teams) {
        if (!IsMember(team, doomed)) continue;
        std::erase(team.members, doomed);
        index_.Put(team);
      }
      EraseById(rows_.users, doomed);
      EraseById(rows_.service_accounts, doomed);
      index_.Remove(doomed);
      return;
    }
    case 11: {  // project or stack delete (a workspace only when empty)
      std::vector<Scope> scopes = AllScopes(rows_);
      const Scope& doomed = scopes[dice_.Between(1, scopes.size() - 1)];
      if (doomed.level == ScopeLevel::kWorkspace) {
        auto in_it = [&](const auto& row) { return row.workspace_id == doomed.id; };
        if (std::any_of(rows_.projects.begin(), rows_.projects.end(), in_it) ||
            std::any_of(rows_.stacks.begin(), rows_.stacks.end(), in_it) ||
            rows_.workspaces.size() == 1) {
          return;
        }
      }
      std::string id = doomed.id;
      DeleteAssignmentsOf(id);
      EraseById(rows_.workspaces, id);
      EraseById(rows_.projects, id);
      EraseById(rows_.stacks, id);
      index_.Remove(id);
      return;
    }
    case 12: {  // new objects
      switch (dice_.Below(5)) {
        case 0:
          rows_.users.push_back(NewUser());
          index_.Put(rows_.users.back());
          return;
        case 1:
          rows_.service_accounts.push_back(NewServiceAccount());
          index_.Put(rows_.service_accounts.back());
          return;
        case 2:
          rows_.teams.push_back(NewTeam());
          index_.Put(rows_.teams.back());
          return;
        case 3:
          rows_.roles.push_back(NewRole());
          index_.Put(rows_.roles.back());
          return;
        default: {
          const std::string& workspace = dice_.Pick(rows_.workspaces).meta.id;
          if (dice_.Chance(50)) {
            rows_.projects.push_back(NewProject(workspace));
            index_.Put(rows_.projects.back());
          } else {
            rows_.stacks.push_back(NewStack(workspace));
            index_.Put(rows_.stacks.back());
          }
          return;
        }
      }
    }
    default: {  // a team's members drawn afresh
      if (rows_.teams.empty()) return;
      Team& team = dice_.Pick(rows_.teams);
      RandomizeMembers(team, dice_.Between(0, 60));
      index_.Put(team);
      return;
    }
  }
}

// ---- Cases and their comparison.

struct Case {
  Principal principal;
  size_t permission = 0;
  Scope scope;
  TimestampMs now = kTestStart;
};

TimestampMs RandomNow(const Rows& rows, Dice& dice) {
  size_t kind = dice.Below(100);
  if (kind < 55) return kTestStart;
  if (kind < 75)
    return kTestStart + static_cast<TimestampMs>(dice.Between(0, 144 * 60)) * 60000 - 72 * kHourMs;
  std::vector<TimestampMs> expiries;
  for (const RoleAssignment& a : rows.assignments) {
    if (a.expires_at) expiries.push_back(*a.expires_at);
  }
  if (expiries.empty()) return kTestStart;
  return dice.Pick(expiries) + static_cast<TimestampMs>(dice.Below(3)) - 1;  // the boundary
}

// Half the cases aim at an assignment (its holder or a member of its team, its scope or
// below, a permission its role grants) so that allowed and denied both come up often.
Case RandomCase(const Rows& rows, Dice& dice) {
  Case c;
  std::vector<Principal> principals = AllPrincipals(rows);
  std::vector<Scope> scopes = AllScopes(rows);
  c.now = RandomNow(rows, dice);
  if (principals.empty()) principals.push_back({kPrincipalUser, "usr_nobody"});
  if (rows.assignments.empty() || dice.Chance(50)) {
    c.principal = dice.Pick(principals);
    c.scope = dice.Pick(scopes);
    c.permission = dice.Below(Vocabulary().size());
    return c;
  }
  const RoleAssignment& target = rows.assignments[dice.Below(rows.assignments.size())];
  c.principal = {target.principal_type, target.principal_id};
  const Team* team = FindById(rows.teams, target.principal_id);
  if (team != nullptr && !team->members.empty() && dice.Chance(75)) {
    std::string member = team->members[dice.Below(team->members.size())];
    c.principal = {FindById(rows.users, member) ? kPrincipalUser : kPrincipalServiceAccount,
                   member};
  }
  std::erase_if(scopes, [&](const Scope& s) {
    return !Contains(ScopeAndAncestors(rows, s.id), target.scope_id);
  });
  c.scope = dice.Pick(scopes);
  Grants grants = RoleGrants(rows, target.role);
  std::vector<size_t> granted;
  for (size_t p = 0; p < Vocabulary().size(); ++p) {
    if (grants[p]) granted.push_back(p);
  }
  c.permission =
      granted.empty() || dice.Chance(10) ? dice.Below(Vocabulary().size()) : dice.Pick(granted);
  return c;
}

std::string Describe(const Rows& rows, const Case& c) {
  return "seed " + std::to_string(rows.seed) + " (" + rows.organization.meta.id +
         "): " + c.principal.type + " " + c.principal.id + " " + Vocabulary()[c.permission].name +
         " on " + ScopeLevelName(c.scope.level) + " " + c.scope.id + " at kTestStart" +
         (c.now >= kTestStart ? "+" : "") + std::to_string(c.now - kTestStart) + "ms";
}

std::string Dump(const Rows& rows) {
  auto expiry = [](const std::optional<TimestampMs>& at) {
    return at ? " expires kTestStart" + std::string(*at >= kTestStart ? "+" : "") + std::to_string(*at - kTestStart)
              : "";
  };
  auto join = [](const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
    return "[" + text + "]";
  };
  std::string text = "  organization " + rows.organization.meta.id + "\n";
  for (const Workspace& w : rows.workspaces) text += "  workspace " + w.meta.id + "\n";
  for (const Project& p : rows.projects)
    text += "  project " + p.meta.id + " in " + p.workspace_id + "\n";
  for (const Stack& s : rows.stacks)
    text += "  stack " + s.meta.id + " in " + s.workspace_id + "\n";
  for (const User& u : rows.users)
    text += "  user " + u.meta.id + (u.active ? "" : " INACTIVE") + "\n";
  for (const ServiceAccount& a : rows.service_accounts)
    text += "  service_account " + a.meta.id + "\n";
  for (const Team& t : rows.teams)
    text += "  team " + t.meta.id + " members " + join(t.members) + "\n";
  for (const Role& r : rows.roles) {
    text += "  role " + r.meta.id + " permissions " + join(r.permissions) + " inherits " +
            join(r.inherits) + "\n";
  }
  for (const RoleAssignment& a : rows.assignments) {
    text += "  assignment " + a.meta.id + ": " + a.role + " to " + a.principal_type + " " +
            a.principal_id + " at " + a.scope_type + " " + a.scope_id + expiry(a.expires_at) + "\n";
  }
  return text;
}

// Runs every organization through populate, check, change, check ..., calling `verify` with
// the rows and their index after each round, and at the end once more for every
// organization (later organizations must not have disturbed earlier ones). Organizations
// share an index in groups: a role change recomputes every role the index holds, so one
// index for all of them would make the test quadratic in its size.
class World {
 public:
  template <typename Verify>
  void Run(Verify verify) {
    for (int number = 0; number < kOrganizations; ++number) {
      if (number % kOrganizationsPerIndex == 0) indexes_.push_back(std::make_unique<AccessIndex>());
      AccessIndex& index = *indexes_.back();
      rows_.push_back(std::make_unique<Rows>());
      Rows& rows = *rows_.back();
      rows.number = number;
      rows.seed = kFirstSeed + static_cast<uint32_t>(number);
      Generator generator(rows, index);
      generator.Populate();
      verify(rows, index, generator.dice(), kChecksPerRound);
      for (int round = 0; round < kChangeRounds; ++round) {
        for (size_t n = generator.dice().Between(1, 12); n > 0; --n) generator.Change();
        verify(rows, index, generator.dice(), kChecksPerRound);
      }
    }
    for (const auto& rows : rows_) {
      Dice dice(rows->seed ^ 0x9e3779b9u);
      verify(*rows, *indexes_[rows->number / kOrganizationsPerIndex], dice, kChecksPerRound / 4);
    }
  }

 private:
  std::vector<std::unique_ptr<AccessIndex>> indexes_;
  std::vector<std::unique_ptr<Rows>> rows_;
};

// Collects disagreements; prints the first few with the organization's rows.
class Disagreements {
 public:
  void Add(const Rows& rows, const std::string& what) {
    if (count_++ < 10) {
      ADD_FAILURE() << what << (count_ == 1 ? "\n organization rows:\n" + Dump(rows) : "");
    }
  }
  int count() const { return count_; }

 private:
  int count_ = 0;
};

TEST(AccessIndexProperty, CheckAgreesWithPlainEvaluationOfTheRowsAndExplainsItself) {
  World world;
  Disagreements disagreements;
  int checks = 0, allowed_direct = 0, allowed_via_team = 0, denied = 0;
  int expiry_decided = 0, inactive_decided = 0;
  world.Run([&](const Rows& rows, const AccessIndex& index, Dice& dice, int count) {
    for (int i = 0; i < count; ++i) {
      Case c = RandomCase(rows, dice);
      Decision decision = index.Check(c.principal, c.permission, c.scope, c.now);
      bool expected = ReferenceAllows(rows, c.principal, c.permission, c.scope.id, c.now);
      ++checks;
      if (decision.allowed != expected) {
        disagreements.Add(
            rows, Describe(rows, c) + ": index says " +
                      (decision.allowed ? "allowed by " + std::string(decision.assignment_id) : "denied") +
                      ", the rows say " + (expected ? "allowed" : "denied"));
        continue;
      }
      if (!expected) {
        ++denied;
        expiry_decided += ReferenceAllows(rows, c.principal, c.permission, c.scope.id, c.now,
                                          {.ignore_expiry = true});
        inactive_decided += ReferenceAllows(rows, c.principal, c.permission, c.scope.id, c.now,
                                            {.ignore_inactive = true});
        continue;
      }
      ++(decision.via_team_id.empty() ? allowed_direct : allowed_via_team);
      std::string problem =
          ExplanationProblem(rows, c.principal, c.permission, c.scope, c.now, decision);
      if (!problem.empty()) {
        disagreements.Add(rows, Describe(rows, c) + ": explanation (" +
                                    std::string(decision.assignment_id) + ", " +
                                    std::string(decision.role) + ", via \"" +
                                    std::string(decision.via_team_id) +
                                    "\") " + problem);
      }
    }
  });
  EXPECT_EQ(disagreements.count(), 0) << "of " << checks << " checks";
  // The generator must keep producing the interesting cases, or the property proves little.
  EXPECT_GT(allowed_direct, checks / 20);
  EXPECT_GT(allowed_via_team, checks / 20);
  EXPECT_GT(denied, checks / 5);
  EXPECT_GT(expiry_decided, checks / 500);
  EXPECT_GT(inactive_decided, checks / 500);
  RecordProperty("checks", checks);
}

TEST(AccessIndexProperty, EffectiveAgreesWithPlainEvaluationOfTheRows) {
  World world;
  Disagreements disagreements;
  int compared = 0, nonempty = 0;
  world.Run([&](const Rows& rows, const AccessIndex& index, Dice& dice, int count) {
    for (int i = 0; i < count * kEffectivePerRound / kChecksPerRound + 1; ++i) {
      Case c = RandomCase(rows, dice);
      PermissionSet actual = index.Effective(c.principal, c.scope, c.now);
      Grants expected = ReferenceEffective(rows, c.principal, c.scope.id, c.now);
      ++compared;
      nonempty += expected.any();
      std::string extra, lacking;
      for (size_t permission = 0; permission < Vocabulary().size(); ++permission) {
        if (actual.Contains(permission) == expected[permission]) continue;
        (expected[permission] ? lacking : extra) += " " + Vocabulary()[permission].name;
      }
      if (!extra.empty() || !lacking.empty()) {
        disagreements.Add(rows, Describe(rows, c) + ": Effective has extra [" + extra +
                                    " ] and lacks [" + lacking + " ]");
      }
    }
  });
  EXPECT_EQ(disagreements.count(), 0) << "of " << compared << " comparisons";
  EXPECT_GT(nonempty, compared / 4);
}

}  // namespace
}  // namespace rampart::authz
