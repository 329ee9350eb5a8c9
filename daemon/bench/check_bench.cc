// rampart_check_bench: how long the AccessIndex takes to build, how much memory it holds and
// how fast it answers, on one large synthetic organization: 10,000 users, 500 service
// accounts, 1,000 teams (each user in 1-5), 200 workspaces of 10 projects and 5 stacks, 100
// custom roles with wildcards and inheritance, and 200,000 then 1,000,000 role assignments.
//
// Prints plain text, one figure a line, and asserts nothing. Run it with `make bench-index`
// (a Release build of its own); `rampart_check_bench N...` measures N assignments instead.
// Single-threaded; the organization is the same on every run (fixed seeds).
#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "authz/access_index.h"

namespace rampart::authz {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Where timed results go, so that the compiler cannot drop the checks.
volatile size_t sink = 0;

constexpr TimestampMs kNow = 1790000000000;
constexpr size_t kUsers = 10000;
constexpr size_t kServiceAccounts = 500;
constexpr size_t kTeams = 1000;
constexpr size_t kWorkspaces = 200;
constexpr size_t kProjectsPerWorkspace = 10;
constexpr size_t kStacksPerWorkspace = 5;
constexpr size_t kCustomRoles = 100;
// Where assignments are made, per mille: organization, workspace, project, stack. Few at the
// organization: made to teams of ~30, even those reach many users.
constexpr size_t kLevelPerMille[] = {1, 99, 550, 350};
constexpr ScopeLevel kLevels[] = {ScopeLevel::kOrganization, ScopeLevel::kWorkspace,
                                  ScopeLevel::kProject, ScopeLevel::kStack};
constexpr size_t kBatch = 64;  // checks timed together, so that reading the clock hardly counts

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  size_t Below(size_t n) { return engine_() % n; }
  bool Chance(size_t percent) { return Below(100) < percent; }
  // An id as NewId makes them: prefix, '_', 20 hex characters.
  std::string Id(const char* prefix) {
    static const char kHex[] = "0123456789abcdef";
    std::string id = std::string(prefix) + "_";
    for (int i = 0; i < 20; ++i) id += kHex[Below(16)];
    return id;
  }
  ScopeLevel Level() {
    size_t roll = Below(1000);
    for (size_t i = 0; i < 4; ++i) {
      if (roll < kLevelPerMille[i]) return kLevels[i];
      roll -= kLevelPerMille[i];
    }
    return ScopeLevel::kProject;
  }

 private:
  std::mt19937_64 engine_;
};

ObjectMeta Meta(Random& random, const char* prefix, const std::string& organization_id,
                std::string name) {
  ObjectMeta meta;
  meta.id = random.Id(prefix);
  meta.organization_id = organization_id.empty() ? meta.id : organization_id;
  meta.name = std::move(name);
  meta.created_at = kNow - 86400000;
  meta.created_by = "usr_bench";
  return meta;
}

// A scope as indexes into the organization: workspace, then project or stack within it.
struct ScopeDraw {
  ScopeLevel level = ScopeLevel::kOrganization;
  size_t workspace = 0;
  size_t child = 0;
};

enum class PrincipalKind { kUser, kServiceAccount, kTeam };

// A principal as an index into the organization's users, service accounts or teams.
struct PrincipalDraw {
  PrincipalKind kind = PrincipalKind::kUser;
  size_t index = 0;
};

// The organization without its assignments, and the names checks address it by.
struct Synthetic {
  Organization organization;
  std::vector<Workspace> workspaces;
  std::vector<Project> projects;  // workspace w's are [w * kProjectsPerWorkspace, ...)
  std::vector<Stack> stacks;      // likewise
  std::vector<User> users;
  std::vector<ServiceAccount> service_accounts;
  std::vector<Team> teams;
  std::vector<Role> roles;
  std::vector<std::string> roles_at[4];  // role names or ids assignable at each level

  explicit Synthetic(uint64_t seed);
  Scope ScopeOf(const ScopeDraw& draw) const;
  std::string PathOf(const ScopeDraw& draw) const;
  Principal PrincipalOf(const PrincipalDraw& draw) const;
  std::string ReferenceOf(const PrincipalDraw& draw) const;
  void PutAllBut(AccessIndex& index) const;  // everything but assignments, in load order
};

Synthetic::Synthetic(uint64_t seed) {
  Random random(seed);
  organization.meta = Meta(random, "org", "", "bench");
  const std::string& org = organization.meta.id;
  for (size_t w = 0; w < kWorkspaces; ++w) {
    workspaces.push_back({Meta(random, "ws", org, "ws-" + std::to_string(w))});
    for (size_t p = 0; p < kProjectsPerWorkspace; ++p) {
      projects.push_back(
          {Meta(random, "prj", org, "project-" + std::to_string(p)), workspaces.back().meta.id});
    }
    for (size_t s = 0; s < kStacksPerWorkspace; ++s) {
      stacks.push_back(
          {Meta(random, "stk", org, "stack-" + std::to_string(s)), workspaces.back().meta.id, {}});
    }
  }
  for (size_t u = 0; u < kUsers; ++u) {
    users.push_back(
        {Meta(random, "usr", org, "user" + std::to_string(u) + "@example.com"), !random.Chance(1)});
  }
  for (size_t a = 0; a < kServiceAccounts; ++a) {
    service_accounts.push_back({Meta(random, "sa", org, "bot-" + std::to_string(a))});
  }
  for (size_t t = 0; t < kTeams; ++t) {
    teams.push_back({Meta(random, "team", org, "team-" + std::to_string(t)), {}, {}});
  }
  for (const User& user : users) {
    for (size_t n = 1 + random.Below(5); n > 0; --n) {
      teams[random.Below(kTeams)].members.push_back(user.meta.id);
    }
  }
  for (size_t a = 0; a < kServiceAccounts; a += 2) {
    teams[random.Below(kTeams)].members.push_back(service_accounts[a].meta.id);
  }
  for (Team& team : teams) {
    std::sort(team.members.begin(), team.members.end());
    team.members.erase(std::unique(team.members.begin(), team.members.end()), team.members.end());
  }
  const std::vector<std::string> wildcards = {"*:read",   "*:create",        "*:update",
                                              "model:*",  "pipeline:*",      "stack:*",
                                              "secret:*", "model:promote:*", "*:delete"};
  for (size_t r = 0; r < kCustomRoles; ++r) {
    Role role{Meta(random, "role", org, "custom-" + std::to_string(r)), {}, {}, {}};
    for (size_t n = 1 + random.Below(5); n > 0; --n) {
      role.permissions.push_back(random.Chance(30)
                                     ? wildcards[random.Below(wildcards.size())]
                                     : Vocabulary()[random.Below(Vocabulary().size())].name);
    }
    for (size_t n = random.Below(3); n > 0; --n) {  // acyclic: only roles made before
      role.inherits.push_back(r > 0 && random.Chance(70)
                                  ? roles[random.Below(r)].meta.id
                                  : BuiltinRoles()[random.Below(BuiltinRoles().size())].name);
    }
    for (size_t level = 0; level < 4; ++level) {
      if (random.Chance(60)) role.assignable_at.push_back(ScopeLevelName(kLevels[level]));
    }
    if (role.assignable_at.empty()) role.assignable_at.push_back("project");
    roles.push_back(role);
  }
  for (size_t level = 0; level < 4; ++level) {
    for (const BuiltinRole& builtin : BuiltinRoles()) {
      if (std::count(builtin.assignable_at.begin(), builtin.assignable_at.end(), kLevels[level])) {
        roles_at[level].push_back(builtin.name);
      }
    }
    for (const Role& role : roles) {
      if (std::count(role.assignable_at.begin(), role.assignable_at.end(),
                     ScopeLevelName(kLevels[level]))) {
        roles_at[level].push_back(role.meta.id);
      }
    }
  }
}

Scope Synthetic::ScopeOf(const ScopeDraw& draw) const {
  switch (draw.level) {
    case ScopeLevel::kOrganization:
      return {draw.level, organization.meta.id};
    case ScopeLevel::kWorkspace:
      return {draw.level, workspaces[draw.workspace].meta.id};
    case ScopeLevel::kProject:
      return {draw.level, projects[draw.workspace * kProjectsPerWorkspace + draw.child].meta.id};
    case ScopeLevel::kStack:
      return {draw.level, stacks[draw.workspace * kStacksPerWorkspace + draw.child].meta.id};
  }
  return {};
}

std::string Synthetic::PathOf(const ScopeDraw& draw) const {
  if (draw.level == ScopeLevel::kOrganization) return "organization";
  std::string path = "workspaces/" + workspaces[draw.workspace].meta.name;
  if (draw.level == ScopeLevel::kProject) {
    return path + "/projects/" +
           projects[draw.workspace * kProjectsPerWorkspace + draw.child].meta.name;
  }
  if (draw.level == ScopeLevel::kStack) {
    return path + "/stacks/" + stacks[draw.workspace * kStacksPerWorkspace + draw.child].meta.name;
  }
  return path;
}

Principal Synthetic::PrincipalOf(const PrincipalDraw& draw) const {
  switch (draw.kind) {
    case PrincipalKind::kUser:
      return {kPrincipalUser, users[draw.index].meta.id};
    case PrincipalKind::kServiceAccount:
      return {kPrincipalServiceAccount, service_accounts[draw.index].meta.id};
    case PrincipalKind::kTeam:
      return {kPrincipalTeam, teams[draw.index].meta.id};
  }
  return {};
}

std::string Synthetic::ReferenceOf(const PrincipalDraw& draw) const {
  switch (draw.kind) {
    case PrincipalKind::kUser:
      return "user:" + users[draw.index].meta.name;
    case PrincipalKind::kServiceAccount:
      return "service_account:" + service_accounts[draw.index].meta.name;
    case PrincipalKind::kTeam:
      return "team:" + teams[draw.index].meta.name;
  }
  return "";
}

void Synthetic::PutAllBut(AccessIndex& index) const {
  index.Put(organization);
  for (const Workspace& row : workspaces) index.Put(row);
  for (const Project& row : projects) index.Put(row);
  for (const Stack& row : stacks) index.Put(row);
  for (const User& row : users) index.Put(row);
  for (const ServiceAccount& row : service_accounts) index.Put(row);
  for (const Team& row : teams) index.Put(row);
  for (const Role& row : roles) index.Put(row);
}

ScopeDraw RandomScope(Random& random, ScopeLevel level) {
  ScopeDraw draw{level, random.Below(kWorkspaces), 0};
  if (level == ScopeLevel::kProject) draw.child = random.Below(kProjectsPerWorkspace);
  if (level == ScopeLevel::kStack) draw.child = random.Below(kStacksPerWorkspace);
  return draw;
}

PrincipalDraw RandomPrincipal(Random& random, size_t user_percent, size_t team_percent) {
  size_t roll = random.Below(100);
  if (roll < user_percent) return {PrincipalKind::kUser, random.Below(kUsers)};
  if (roll < user_percent + team_percent) return {PrincipalKind::kTeam, random.Below(kTeams)};
  return {PrincipalKind::kServiceAccount, random.Below(kServiceAccounts)};
}

struct AssignmentDraw {
  std::string role;
  PrincipalDraw principal;
  ScopeDraw scope;
  std::optional<TimestampMs> expires_at;
};

// Random assignments, the same for the same seed: replayed to aim checks at them without
// keeping a million of them in memory.
class AssignmentStream {
 public:
  AssignmentStream(const Synthetic& organization, uint64_t seed)
      : organization_(organization), random_(seed), ids_(seed + 1) {}
  AssignmentDraw Next() {
    AssignmentDraw draw;
    draw.scope = RandomScope(random_, random_.Level());
    const auto& roles = organization_.roles_at[static_cast<size_t>(draw.scope.level)];
    draw.role = roles[random_.Below(roles.size())];
    draw.principal = RandomPrincipal(random_, 60, 30);
    if (random_.Chance(10)) {  // a tenth expire, half of those already
      TimestampMs hours = static_cast<TimestampMs>(1 + random_.Below(48));
      draw.expires_at = kNow + (random_.Chance(50) ? -hours : hours) * 3600000;
    }
    return draw;
  }
  RoleAssignment Row(const AssignmentDraw& draw) {
    Principal principal = organization_.PrincipalOf(draw.principal);
    Scope scope = organization_.ScopeOf(draw.scope);
    RoleAssignment row{Meta(ids_, "ra", organization_.organization.meta.id, ""),
                       draw.role,
                       principal.type,
                       principal.id,
                       ScopeLevelName(scope.level),
                       scope.id,
                       draw.expires_at,
                       "",
                       std::nullopt};
    row.meta.name = draw.role + "|" + principal.id + "|" + scope.id;
    return row;
  }

 private:
  const Synthetic& organization_;
  Random random_;
  Random ids_;  // apart, so that replaying Next() alone gives the same assignments
};

long ResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

// A check as the hot path sees it (ids, vocabulary position) and as a request names it.
struct CheckCase {
  Principal principal;
  Scope scope;
  size_t permission = 0;
  std::string reference;
  std::string path;
  std::string permission_name;
  bool allowed = false;
};

// A scope at or below `aim`: anything for the organization, the workspace or one of its
// projects or stacks for a workspace, the project or stack itself otherwise.
ScopeDraw AtOrBelow(const ScopeDraw& aim, Random& random) {
  if (aim.level == ScopeLevel::kOrganization) return RandomScope(random, random.Level());
  if (aim.level != ScopeLevel::kWorkspace) return aim;
  ScopeDraw draw = RandomScope(random, kLevels[1 + random.Below(3)]);
  draw.workspace = aim.workspace;
  return draw;
}

// Candidates are half aimed at an assignment (its holder or a member of its team, at its
// scope or below, a permission its role grants), half drawn at random; an untimed Check sorts
// them so that the cases are half allowed, half denied, in random order.
std::vector<CheckCase> MakeCases(const Synthetic& organization, const AccessIndex& index,
                                 size_t count, size_t assignments, uint64_t stream_seed) {
  AssignmentStream stream(organization, stream_seed);
  std::vector<AssignmentDraw> aims;
  for (size_t i = 0; i < std::min<size_t>(assignments, 50000); ++i) aims.push_back(stream.Next());
  std::unordered_map<std::string, PrincipalDraw> members;  // id -> user or service account
  for (size_t u = 0; u < kUsers; ++u) {
    members[organization.users[u].meta.id] = {PrincipalKind::kUser, u};
  }
  for (size_t a = 0; a < kServiceAccounts; ++a) {
    members[organization.service_accounts[a].meta.id] = {PrincipalKind::kServiceAccount, a};
  }
  std::map<std::string, std::vector<size_t>> granted;  // role -> vocabulary positions
  Random random(stream_seed ^ 0x5eed);
  std::vector<CheckCase> cases;
  size_t wanted[2] = {count / 2, count - count / 2};  // denied, allowed
  for (size_t tries = 0; tries < 100 * count && wanted[0] + wanted[1] > 0; ++tries) {
    PrincipalDraw principal = RandomPrincipal(random, 80, 10);
    ScopeDraw scope = RandomScope(random, random.Level());
    size_t permission = random.Below(Vocabulary().size());
    if (random.Chance(50)) {
      const AssignmentDraw& aim = aims[random.Below(aims.size())];
      principal = aim.principal;
      if (principal.kind == PrincipalKind::kTeam && random.Chance(75)) {
        const std::vector<std::string>& team = organization.teams[principal.index].members;
        if (!team.empty()) principal = members.at(team[random.Below(team.size())]);
      }
      scope = AtOrBelow(aim.scope, random);
      std::vector<size_t>& positions = granted[aim.role];
      if (positions.empty()) {
        for (const std::string& name : index.RolePermissions(aim.role)->Names()) {
          positions.push_back(*PermissionIndex(name));
        }
      }
      if (!positions.empty()) permission = positions[random.Below(positions.size())];
    }
    Principal who = organization.PrincipalOf(principal);
    Scope where = organization.ScopeOf(scope);
    bool allowed = index.Check(who, permission, where, kNow).allowed;
    if (wanted[allowed] == 0) continue;
    --wanted[allowed];
    cases.push_back({who, where, permission, organization.ReferenceOf(principal),
                     organization.PathOf(scope), Vocabulary()[permission].name, allowed});
  }
  for (size_t i = cases.size(); i > 1; --i) std::swap(cases[i - 1], cases[random.Below(i)]);
  // Copied in their new order, so that each case's strings sit next to it in memory as a
  // freshly parsed request's would, instead of scattered by the shuffle.
  return std::vector<CheckCase>(cases.begin(), cases.end());
}

// Times `check` over every case, kBatch at a time, `passes` times after one warm-up pass;
// prints the median and 99th percentile of the per-check time (each batch's time divided by
// kBatch) and the checks per second.
template <typename Check>
void TimeChecks(const char* label, const std::vector<CheckCase>& cases, int passes, Check check) {
  size_t allowed = 0;
  for (const CheckCase& c : cases) allowed += check(c);
  std::printf("%s: checks allowed: %.1f %%\n", label,
              100.0 * static_cast<double>(allowed) / static_cast<double>(cases.size()));
  std::vector<double> per_check;
  double total_ns = 0;
  for (int pass = 0; pass < passes; ++pass) {
    for (size_t start = 0; start + kBatch <= cases.size(); start += kBatch) {
      auto begin = SteadyClock::now();
      for (size_t i = start; i < start + kBatch; ++i) allowed += check(cases[i]);
      auto end = SteadyClock::now();
      double ns = std::chrono::duration<double, std::nano>(end - begin).count();
      total_ns += ns;
      per_check.push_back(ns / kBatch);
    }
  }
  std::sort(per_check.begin(), per_check.end());
  size_t checks = per_check.size() * kBatch;
  std::printf("%s: checks timed: %zu (batches of %zu)\n", label, checks, kBatch);
  std::printf("%s: median per check: %.0f ns\n", label, per_check[per_check.size() / 2]);
  std::printf("%s: p99 per check: %.0f ns\n", label, per_check[per_check.size() * 99 / 100]);
  std::printf("%s: checks per second (one thread): %.0f\n", label,
              static_cast<double>(checks) / (total_ns / 1e9));
  sink = sink + allowed;
}

void Measure(const Synthetic& organization, size_t assignments) {
  std::printf("-- %zu assignments\n", assignments);
  malloc_trim(0);
  long before_kib = ResidentKiB();
  auto index = std::make_unique<AccessIndex>();
  AssignmentStream stream(organization, 7);
  std::vector<RoleAssignment> chunk;
  double build_seconds = 0;
  auto begin = SteadyClock::now();
  organization.PutAllBut(*index);
  build_seconds += std::chrono::duration<double>(SteadyClock::now() - begin).count();
  for (size_t made = 0; made < assignments;) {  // generated apart from the timed Puts
    chunk.clear();
    for (; chunk.size() < 8192 && made < assignments; ++made) {
      chunk.push_back(stream.Row(stream.Next()));
    }
    begin = SteadyClock::now();
    for (const RoleAssignment& row : chunk) index->Put(row);
    build_seconds += std::chrono::duration<double>(SteadyClock::now() - begin).count();
  }
  chunk = {};
  malloc_trim(0);
  long after_kib = ResidentKiB();
  std::printf("index build time: %.3f s\n", build_seconds);
  std::printf("index resident memory growth: %.1f MiB\n", (after_kib - before_kib) / 1024.0);
  std::printf("index resident memory per assignment: %.0f bytes\n",
              (after_kib - before_kib) * 1024.0 / static_cast<double>(assignments));

  const AccessIndex& ready = *index;
  auto check = [&](const CheckCase& c) {
    return ready.Check(c.principal, c.permission, c.scope, kNow).allowed;
  };
  // Cold: 262,144 distinct checks, each once a pass; the cases' own 60 MB sweep the caches,
  // so nearly every step of a check is a trip to memory (about 200 ns on the reference VM).
  std::vector<CheckCase> cases = MakeCases(organization, *index, 1 << 18, assignments, 7);
  TimeChecks("cold caches", cases, 1, check);
  // Warm: 16,384 distinct checks spread over the whole organization (every principal, every
  // scope), each timed 16 times. The cases stay small, as a service's requests are, and the
  // index's hot part stays in cache as a busy daemon keeps it.
  cases = MakeCases(organization, *index, 1 << 14, assignments, 11);
  TimeChecks("pre-resolved", cases, 16, check);
  for (bool allowed : {true, false}) {
    std::vector<CheckCase> some;
    std::copy_if(cases.begin(), cases.end(), std::back_inserter(some),
                 [&](const CheckCase& c) { return c.allowed == allowed; });
    TimeChecks(allowed ? "pre-resolved, allowed only" : "pre-resolved, denied only", some, 16,
               check);
  }
  // The same allowed check over and over: what a check costs when the index is in cache.
  auto first_allowed =
      std::find_if(cases.begin(), cases.end(), [](const CheckCase& c) { return c.allowed; });
  if (first_allowed != cases.end()) {
    std::vector<CheckCase> hot(1 << 16, *first_allowed);
    TimeChecks("pre-resolved, one allowed check repeated (hot caches)", hot, 2, check);
  }
  const std::string& organization_id = organization.organization.meta.id;
  TimeChecks("with name resolution", cases, 16, [&](const CheckCase& c) {
    Result<Principal> principal = ready.ResolvePrincipal(organization_id, c.reference, "principal");
    Result<Scope> scope = ready.ResolveScope(organization_id, c.path, "resource");
    std::optional<size_t> permission = PermissionIndex(c.permission_name);
    return principal.ok() && scope.ok() && permission &&
           ready.Check(*principal, *permission, *scope, kNow).allowed;
  });
}

}  // namespace
}  // namespace rampart::authz

int main(int argc, char** argv) {
  using namespace rampart::authz;
  std::vector<size_t> sizes = {200000, 1000000};
  if (argc > 1) sizes.clear();
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
  cpu_set_t cpus;
  sched_getaffinity(0, sizeof(cpus), &cpus);
  std::printf("machine: %d CPUs available (nproc)\n", CPU_COUNT(&cpus));
  std::printf("machine: %s\n", CpuModel().c_str());
#ifdef NDEBUG
  std::printf("build: optimized, NDEBUG, compiler %s\n", __VERSION__);
#else
  std::printf("build: assertions on (not a Release build), compiler %s\n", __VERSION__);
#endif
  Synthetic organization(20260101);
  size_t memberships = 0;
  for (const rampart::Team& team : organization.teams) memberships += team.members.size();
  std::printf("organization: users: %zu\n", kUsers);
  std::printf("organization: service accounts: %zu\n", kServiceAccounts);
  std::printf("organization: teams: %zu\n", kTeams);
  std::printf("organization: team memberships: %zu\n", memberships);
  std::printf("organization: workspaces: %zu\n", kWorkspaces);
  std::printf("organization: projects per workspace: %zu\n", kProjectsPerWorkspace);
  std::printf("organization: stacks per workspace: %zu\n", kStacksPerWorkspace);
  std::printf("organization: custom roles: %zu\n", kCustomRoles);
  for (size_t level = 0; level < 4; ++level) {
    std::printf("organization: assignments at %s level: %.1f %%\n", ScopeLevelName(kLevels[level]),
                kLevelPerMille[level] / 10.0);
  }
  for (size_t size : sizes) Measure(organization, size);
  return 0;
}
