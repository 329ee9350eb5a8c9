#include "authz/access_index.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>

namespace rampart::authz {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

AccessIndex::AccessIndex() {
  nodes_.resize(1);  // Id 0, the empty text, is kNone
  PutBuiltinRoles();
}

void AccessIndex::PutBuiltinRoles() {
  for (const BuiltinRole& builtin : BuiltinRoles()) {
    Id role = Intern(builtin.name);
    Node& node = nodes_[role];
    node.kind = Kind::kRole;
    node.name = role;
    node.detail = static_cast<uint32_t>(roles_.size());
    roles_.push_back(RoleEntry{kNone, {}, builtin.permissions, builtin.permissions});
  }
}

void AccessIndex::Clear() {
  std::unique_lock lock(mutex_);
  std::fill(nodes_.begin(), nodes_.end(), Node{});
  names_.clear();
  holders_.clear();
  roles_.clear();
  free_roles_.clear();
  roles_of_.clear();
  grants_.clear();
  free_grants_.clear();
  scope_grants_.clear();
  PutBuiltinRoles();
}

AccessIndex::Id AccessIndex::Intern(const std::string& text) {
  Id id = texts_.Intern(text);
  if (id >= nodes_.size()) nodes_.resize(id + 1);
  return id;
}

AccessIndex::Id AccessIndex::Find(std::string_view text) const { return texts_.Find(text); }

AccessIndex::Id AccessIndex::FindSubject(std::string_view text, uint64_t hash) const {
  Id id = subjects_.Find(text, hash);
  return id != kNone ? id : Find(text);
}

AccessIndex::Id AccessIndex::FindSubject(std::string_view text) const {
  return FindSubject(text, TextLookup::Hash(text));
}

AccessIndex::NameKey AccessIndex::NameKeyOf(const Node& node, Id self) {
  // Names live in their parent; top-level kinds (and the organization) in the organization.
  Id parent = node.parent != kNone ? node.parent : node.organization != kNone ? node.organization
                                                                              : self;
  return NameKey{parent, node.name, node.kind};
}

void AccessIndex::PutNode(const std::string& id, const std::string& organization_id, Kind kind,
                          Id parent, ScopeLevel level, const std::string& name) {
  Id node_id = Intern(id);
  Id organization = Intern(organization_id);
  Id name_id = Intern(name);
  Node& node = nodes_[node_id];
  if (node.kind != Kind::kUnknown) names_.erase(NameKeyOf(node, node_id));
  node.organization = organization;
  node.parent = parent;
  node.name = name_id;
  node.kind = kind;
  node.level = level;
  node.active = true;
  names_[NameKeyOf(node, node_id)] = node_id;
  if (kind != Kind::kRole) {  // a text's id never changes, so entries never go stale
    subjects_.Insert(node_id, texts_);
    if (name_id != kNone) subjects_.Insert(name_id, texts_);
  }
}

AccessIndex::Holder& AccessIndex::HolderOf(Id id) {
  if (nodes_[id].holder == kNoSlot) {
    nodes_[id].holder = static_cast<uint32_t>(holders_.size());
    holders_.emplace_back();
  }
  return holders_[nodes_[id].holder];
}

const AccessIndex::Holder* AccessIndex::FindHolder(Id id) const {
  uint32_t slot = nodes_[id].holder;
  return slot == kNoSlot ? nullptr : &holders_[slot];
}

std::vector<AccessIndex::Id>& AccessIndex::GrantsAt(Id scope) {
  if (nodes_[scope].scope_grants == kNoSlot) {
    nodes_[scope].scope_grants = static_cast<uint32_t>(scope_grants_.size());
    scope_grants_.push_back(ScopeGrants{scope, {}});
  }
  return scope_grants_[nodes_[scope].scope_grants].assignments;
}

void AccessIndex::Put(const Organization& organization) {
  std::unique_lock lock(mutex_);
  PutNode(organization.meta.id, organization.meta.id, Kind::kOrganization, kNone,
          ScopeLevel::kOrganization, organization.meta.name);
}

void AccessIndex::Put(const Workspace& workspace) {
  std::unique_lock lock(mutex_);
  PutNode(workspace.meta.id, workspace.meta.organization_id, Kind::kWorkspace,
          Intern(workspace.meta.organization_id), ScopeLevel::kWorkspace, workspace.meta.name);
}

void AccessIndex::Put(const Project& project) {
  std::unique_lock lock(mutex_);
  PutNode(project.meta.id, project.meta.organization_id, Kind::kProject,
          Intern(project.workspace_id), ScopeLevel::kProject, project.meta.name);
}

void AccessIndex::Put(const Stack& stack) {
  std::unique_lock lock(mutex_);
  PutNode(stack.meta.id, stack.meta.organization_id, Kind::kStack, Intern(stack.workspace_id),
          ScopeLevel::kStack, stack.meta.name);
}

void AccessIndex::Put(const User& user) {
  std::unique_lock lock(mutex_);
  PutNode(user.meta.id, user.meta.organization_id, Kind::kUser, kNone,
          ScopeLevel::kOrganization, user.meta.name);
  nodes_[Find(user.meta.id)].active = user.active;
}

void AccessIndex::Put(const ServiceAccount& service_account) {
  std::unique_lock lock(mutex_);
  PutNode(service_account.meta.id, service_account.meta.organization_id, Kind::kServiceAccount,
          kNone, ScopeLevel::kOrganization, service_account.meta.name);
}

void AccessIndex::Put(const Team& team) {
  std::unique_lock lock(mutex_);
  PutNode(team.meta.id, team.meta.organization_id, Kind::kTeam, kNone,
          ScopeLevel::kOrganization, team.meta.name);
  Id team_id = Find(team.meta.id);
  ForgetMembers(team_id);
  std::vector<Id> members;
  for (const std::string& member : team.members) members.push_back(Intern(member));
  HolderOf(team_id);  // the slot the members link to: holder slots never move
  for (Id member : members) {
    HolderOf(member).teams.push_back(TeamLink{team_id, nodes_[team_id].holder});
  }
  HolderOf(team_id).members = std::move(members);
}

void AccessIndex::ForgetMembers(Id team) {
  if (nodes_[team].holder == kNoSlot) return;
  std::vector<Id> members = std::move(holders_[nodes_[team].holder].members);
  holders_[nodes_[team].holder].members.clear();
  for (Id member : members) {
    std::vector<TeamLink>& teams = HolderOf(member).teams;
    teams.erase(std::remove_if(teams.begin(), teams.end(),
                               [team](const TeamLink& link) { return link.team == team; }),
                teams.end());
  }
}

void AccessIndex::Put(const Role& role) {
  std::unique_lock lock(mutex_);
  PutNode(role.meta.id, role.meta.organization_id, Kind::kRole, kNone,
          ScopeLevel::kOrganization, role.meta.name);
  Id id = Find(role.meta.id);
  RoleEntry entry{nodes_[id].organization, {}, PermissionSet::FromPatterns(role.permissions), {}};
  for (const std::string& inherited : role.inherits) entry.inherits.push_back(Intern(inherited));
  Node& node = nodes_[id];
  if (node.detail == kNoSlot) {
    if (free_roles_.empty()) {
      node.detail = static_cast<uint32_t>(roles_.size());
      roles_.emplace_back();
    } else {
      node.detail = free_roles_.back();
      free_roles_.pop_back();
    }
    roles_of_[entry.organization].push_back(id);
  }
  Id organization = entry.organization;
  roles_[node.detail] = std::move(entry);
  RecomputeRoles(organization);
}

void AccessIndex::ForgetRole(Id role) {
  Node& node = nodes_[role];
  if (node.kind != Kind::kRole || node.detail == kNoSlot) return;
  Id organization = roles_[node.detail].organization;
  roles_[node.detail] = RoleEntry{};
  free_roles_.push_back(node.detail);
  node.detail = kNoSlot;
  std::vector<Id>& roles = roles_of_[organization];
  roles.erase(std::remove(roles.begin(), roles.end(), role), roles.end());
  RecomputeRoles(organization);
}

void AccessIndex::RecomputeRoles(Id organization) {
  // Only this organization's roles can inherit from each other (built-ins inherit nothing),
  // so a change is recomputed within it. Cycles are refused when roles are written; the
  // state only keeps a bad row from looping.
  auto custom = roles_of_.find(organization);
  if (custom == roles_of_.end()) return;
  std::unordered_map<Id, int> state;  // 1: in progress, 2: done
  std::function<const PermissionSet*(Id)> resolve = [&](Id id) -> const PermissionSet* {
    const Node& node = nodes_[id];
    if (node.kind != Kind::kRole || node.detail == kNoSlot) return nullptr;
    RoleEntry& entry = roles_[node.detail];
    if (entry.organization == kNone) return &entry.effective;  // built-in
    if (entry.organization != organization) return nullptr;    // another tenant's: grants nothing
    if (state[id] == 2) return &entry.effective;
    if (state[id] == 1) return nullptr;
    state[id] = 1;
    PermissionSet effective = entry.own;
    for (Id inherited : entry.inherits) {
      if (const PermissionSet* set = resolve(inherited)) effective.Add(*set);
    }
    entry.effective = effective;
    state[id] = 2;
    return &entry.effective;
  };
  for (Id role : custom->second) resolve(role);
}

void AccessIndex::Put(const RoleAssignment& assignment) {
  std::unique_lock lock(mutex_);
  Id id = Intern(assignment.meta.id);
  RemoveGrant(id);
  Grant grant{id,
              Intern(assignment.role),
              Intern(assignment.principal_id),
              Intern(assignment.scope_id),
              Intern(assignment.meta.created_by),
              assignment.meta.created_at,
              assignment.expires_at};
  uint32_t slot;
  if (free_grants_.empty()) {
    slot = static_cast<uint32_t>(grants_.size());
    grants_.push_back(grant);
  } else {
    slot = free_grants_.back();
    free_grants_.pop_back();
    grants_[slot] = grant;
  }
  nodes_[id].kind = Kind::kAssignment;
  nodes_[id].detail = slot;
  Holder& holder = HolderOf(grant.principal);
  HeldGrant entry{grant.scope, grant.role, id, assignment.expires_at.value_or(kNever)};
  auto at = std::upper_bound(holder.grants.begin(), holder.grants.end(), entry);
  holder.grant_scopes.insert(holder.grant_scopes.begin() + (at - holder.grants.begin()),
                             grant.scope);
  holder.grants.insert(at, entry);
  holder.MarkScope(grant.scope);
  GrantsAt(grant.scope).push_back(id);
}

void AccessIndex::RemoveGrant(Id assignment) {
  Node& node = nodes_[assignment];
  if (node.kind != Kind::kAssignment) return;
  const Grant& grant = grants_[node.detail];
  Holder& holder = HolderOf(grant.principal);
  auto entry = std::lower_bound(holder.grants.begin(), holder.grants.end(),
                                HeldGrant{grant.scope, kNone, assignment, kNever});
  if (entry != holder.grants.end() && entry->assignment == assignment) {
    holder.grant_scopes.erase(holder.grant_scopes.begin() + (entry - holder.grants.begin()));
    holder.grants.erase(entry);
    holder.scope_bits = {};
    for (Id scope : holder.grant_scopes) holder.MarkScope(scope);
  }
  std::vector<Id>& here = GrantsAt(grant.scope);
  here.erase(std::remove(here.begin(), here.end(), assignment), here.end());
  grants_[node.detail] = Grant{};
  free_grants_.push_back(node.detail);
  node.detail = kNoSlot;
  node.kind = Kind::kUnknown;
}

void AccessIndex::Remove(const std::string& text) {
  std::unique_lock lock(mutex_);
  Id id = Find(text);
  if (id == kNone) return;
  RemoveGrant(id);
  ForgetMembers(id);
  ForgetRole(id);
  Node& node = nodes_[id];
  if (node.kind == Kind::kUnknown) return;
  names_.erase(NameKeyOf(node, id));
  // What it held and where grants were made stay indexed until they are removed themselves.
  Node forgotten;
  forgotten.holder = node.holder;
  forgotten.scope_grants = node.scope_grants;
  node = forgotten;
}

Result<Principal> AccessIndex::ResolvePrincipal(const std::string& organization_id,
                                                const std::string& ref,
                                                const std::string& field) const {
  std::shared_lock lock(mutex_);
  Id organization = FindSubject(organization_id);
  auto not_found = Status::NotFound("principal " + ref.substr(0, 80) + " not found");
  struct Form {
    const char* prefix;
    Kind kind;
    const char* type;
    const char* id_prefix;
  };
  for (const Form& form : {Form{"user:", Kind::kUser, kPrincipalUser, "usr_"},
                           Form{"service_account:", Kind::kServiceAccount,
                                kPrincipalServiceAccount, "sa_"},
                           Form{"team:", Kind::kTeam, kPrincipalTeam, "team_"}}) {
    Id id = kNone;
    if (StartsWith(ref, form.prefix)) {
      std::string name = ref.substr(std::string(form.prefix).size());
      if (form.kind == Kind::kUser) name = Lowercase(name);
      Id name_id = FindSubject(name);
      auto found = names_.find(NameKey{organization, name_id, form.kind});
      if (name_id == kNone || found == names_.end()) return not_found;
      id = found->second;
    } else if (StartsWith(ref, form.id_prefix)) {
      id = FindSubject(ref);
    } else {
      continue;
    }
    const Node& node = nodes_[id];
    if (id == kNone || organization == kNone || node.organization != organization ||
        node.kind != form.kind) {
      return not_found;
    }
    return Principal{form.type, Text(id)};
  }
  if (StartsWith(ref, "api_key:")) return Principal{kPrincipalApiKey, ref.substr(8)};
  return Status::InvalidArgument(field,
                                 "must be user:EMAIL, service_account:NAME, team:NAME or an id "
                                 "(got \"" + ref.substr(0, 80) + "\")",
                                 "principal");
}

Result<Scope> AccessIndex::ResolveScope(const std::string& organization_id,
                                        const std::string& path, const std::string& field) const {
  std::shared_lock lock(mutex_);
  Id organization = FindSubject(organization_id);
  if (path == "organization") return Scope{ScopeLevel::kOrganization, organization_id};
  std::vector<std::string> parts = Split(path);
  auto malformed = Status::InvalidArgument(
      field,
      "must be a name path: organization, workspaces/W, workspaces/W/projects/P or "
      "workspaces/W/stacks/S (got \"" + path.substr(0, 120) + "\")",
      "name_path");
  if (parts.size() != 2 && parts.size() != 4) return malformed;
  if (parts[0] != "workspaces") return malformed;
  auto not_found = Status::NotFound(path.substr(0, 120) + " not found");
  // A reference is an id of the expected kind, or a name under `parent`.
  auto lookup = [&](const std::string& ref, Kind kind, Id parent) -> Id {
    Id id = FindSubject(ref);
    if (id == kNone) return kNone;
    if (nodes_[id].kind == kind && nodes_[id].parent == parent) return id;
    auto named = names_.find(NameKey{parent, id, kind});
    return named == names_.end() ? kNone : named->second;
  };
  Id workspace = lookup(parts[1], Kind::kWorkspace, organization);
  if (organization == kNone || workspace == kNone) return not_found;
  if (parts.size() == 2) return Scope{ScopeLevel::kWorkspace, Text(workspace)};
  Kind kind = parts[2] == "projects" ? Kind::kProject
              : parts[2] == "stacks" ? Kind::kStack
                                     : Kind::kUnknown;
  if (kind == Kind::kUnknown) return malformed;
  Id object = lookup(parts[3], kind, workspace);
  if (object == kNone) return not_found;
  return Scope{kind == Kind::kProject ? ScopeLevel::kProject : ScopeLevel::kStack, Text(object)};
}

std::optional<Scope> AccessIndex::ScopeOf(const std::string& organization_id,
                                          const std::string& id) const {
  std::shared_lock lock(mutex_);
  Id found = Find(id);
  const Node& node = nodes_[found];
  if (found == kNone || node.organization != Find(organization_id)) return std::nullopt;
  switch (node.kind) {
    case Kind::kOrganization:
    case Kind::kWorkspace:
    case Kind::kProject:
    case Kind::kStack:
      return Scope{node.level, id};
    default:
      return std::nullopt;
  }
}

std::vector<AccessIndex::Id> AccessIndex::Chain(Id scope) const {
  std::vector<Id> chain;
  for (; scope != kNone; scope = nodes_[scope].parent) chain.push_back(scope);
  return chain;
}

const PermissionSet* AccessIndex::RoleSet(Id role) const {
  const Node& node = nodes_[role];
  if (node.kind != Kind::kRole || node.detail == kNoSlot) return nullptr;
  return &roles_[node.detail].effective;
}

const AccessIndex::HeldGrant* AccessIndex::Granting(const Holder& holder, Id scope,
                                                    size_t permission, TimestampMs now) const {
  if (!holder.MayHoldAt(scope)) return nullptr;
  const std::vector<Id>& scopes = holder.grant_scopes;
  for (size_t at = std::lower_bound(scopes.begin(), scopes.end(), scope) - scopes.begin();
       at < scopes.size() && scopes[at] == scope; ++at) {
    const HeldGrant& grant = holder.grants[at];
    if (now >= grant.expires_at) continue;
    const PermissionSet* set = RoleSet(grant.role);
    if (set != nullptr && set->Contains(permission)) return &grant;
  }
  return nullptr;
}

const std::vector<AccessIndex::Bearer>& AccessIndex::BearersOf(const Holder& holder) const {
  // Reused per thread, so that a check allocates nothing.
  thread_local std::vector<Bearer> bearers;
  bearers.clear();
  bearers.push_back(Bearer{&holder, kNone});
  // In stages, so that the cache misses of several teams overlap rather than queue: the
  // teams' holders, then their grant arrays.
  for (const TeamLink& link : holder.teams) {
    __builtin_prefetch(&holders_[link.holder]);
    bearers.push_back(Bearer{&holders_[link.holder], link.team});
  }
  for (const Bearer& bearer : bearers) __builtin_prefetch(bearer.holder->grant_scopes.data());
  return bearers;
}

Decision AccessIndex::Check(const Principal& principal, size_t permission, const Scope& scope,
                            TimestampMs now) const {
  std::shared_lock lock(mutex_);
  Decision decision;
  // Both probes first, so that their cache misses overlap.
  uint64_t who_hash = subjects_.Prefetch(principal.id);
  uint64_t where_hash = subjects_.Prefetch(scope.id);
  Id who = FindSubject(principal.id, who_hash);
  Id where = FindSubject(scope.id, where_hash);
  if (who == kNone || where == kNone || !Active(who)) return decision;
  const Holder* holder = FindHolder(who);
  if (holder == nullptr) return decision;
  const std::vector<Bearer>& bearers = BearersOf(*holder);
  // Nearest scope first, then direct grants before team grants: the first match explains.
  for (Id at = where; at != kNone; at = nodes_[at].parent) {
    for (const Bearer& bearer : bearers) {
      const HeldGrant* grant = Granting(*bearer.holder, at, permission, now);
      if (grant == nullptr) continue;
      decision.allowed = true;
      decision.assignment_id = texts_.Text(grant->assignment);
      decision.role = texts_.Text(grant->role);
      decision.role_name = texts_.Text(nodes_[grant->role].name);
      decision.scope = Decision::At{nodes_[at].level, texts_.Text(at)};
      decision.via_team_id = texts_.Text(bearer.via);  // kNone is ""
      return decision;
    }
  }
  return decision;
}

PermissionSet AccessIndex::Effective(const Principal& principal, const Scope& scope,
                                     TimestampMs now) const {
  std::shared_lock lock(mutex_);
  PermissionSet effective;
  Id who = FindSubject(principal.id);
  Id where = FindSubject(scope.id);
  if (who == kNone || where == kNone || !Active(who)) return effective;
  const Holder* holder = FindHolder(who);
  if (holder == nullptr) return effective;
  const std::vector<Bearer>& bearers = BearersOf(*holder);
  for (Id at = where; at != kNone; at = nodes_[at].parent) {
    for (const Bearer& bearer : bearers) {
      if (!bearer.holder->MayHoldAt(at)) continue;
      const std::vector<Id>& scopes = bearer.holder->grant_scopes;
      for (size_t i = std::lower_bound(scopes.begin(), scopes.end(), at) - scopes.begin();
           i < scopes.size() && scopes[i] == at; ++i) {
        const HeldGrant& grant = bearer.holder->grants[i];
        const PermissionSet* set = RoleSet(grant.role);
        if (now < grant.expires_at && set != nullptr) effective.Add(*set);
      }
    }
  }
  return effective;
}

std::string AccessIndex::NameOf(const std::string& id) const {
  std::shared_lock lock(mutex_);
  Id found = Find(id);
  const Node& node = nodes_[found];
  return found == kNone || node.kind == Kind::kUnknown ? "" : Text(node.name);
}

std::optional<PermissionSet> AccessIndex::RolePermissions(const std::string& role) const {
  std::shared_lock lock(mutex_);
  const PermissionSet* set = RoleSet(Find(role));
  if (set == nullptr) return std::nullopt;
  return *set;
}

Principal AccessIndex::PrincipalOf(Id id) const {
  switch (nodes_[id].kind) {
    case Kind::kUser:
      return Principal{kPrincipalUser, Text(id)};
    case Kind::kServiceAccount:
      return Principal{kPrincipalServiceAccount, Text(id)};
    case Kind::kTeam:
      return Principal{kPrincipalTeam, Text(id)};
    default:
      return Principal{kPrincipalApiKey, Text(id)};
  }
}

Scope AccessIndex::ScopeNode(Id id) const { return Scope{nodes_[id].level, Text(id)}; }

AccessRow AccessIndex::Row(const Grant& grant, Id holder, Id via_team) const {
  const Node& role = nodes_[grant.role];
  return AccessRow{PrincipalOf(holder),
                   Text(grant.role),
                   role.kind == Kind::kRole ? Text(role.name) : Text(grant.role),
                   ScopeNode(grant.scope),
                   via_team == kNone ? "" : Text(via_team),
                   Text(grant.assignment),
                   Text(grant.granted_by),
                   grant.granted_at,
                   grant.expires_at};
}

std::vector<AccessRow> AccessIndex::WhoCan(size_t permission, const Scope& scope,
                                           TimestampMs now) const {
  std::shared_lock lock(mutex_);
  std::vector<AccessRow> rows;
  Id where = Find(scope.id);
  if (where == kNone) return rows;
  for (Id at : Chain(where)) {
    if (nodes_[at].scope_grants == kNoSlot) continue;
    for (Id assignment : scope_grants_[nodes_[at].scope_grants].assignments) {
      const Grant& grant = grants_[nodes_[assignment].detail];
      const PermissionSet* set = RoleSet(grant.role);
      if (!Live(grant, now) || set == nullptr || !set->Contains(permission)) continue;
      if (nodes_[grant.principal].kind != Kind::kTeam) {
        if (Active(grant.principal)) rows.push_back(Row(grant, grant.principal, kNone));
        continue;
      }
      const Holder* team = FindHolder(grant.principal);
      if (team == nullptr) continue;
      for (Id member : team->members) {
        if (Active(member)) rows.push_back(Row(grant, member, grant.principal));
      }
    }
  }
  return rows;
}

std::vector<AccessRow> AccessIndex::HeldBy(const std::string& holder_id, TimestampMs now) const {
  std::shared_lock lock(mutex_);
  std::vector<AccessRow> rows;
  Id holder = Find(holder_id);
  const Holder* held = holder == kNone ? nullptr : FindHolder(holder);
  if (held == nullptr) return rows;
  auto add = [&](const Holder& from, Id via_team) {
    for (const HeldGrant& entry : from.grants) {
      const Grant& grant = grants_[nodes_[entry.assignment].detail];
      if (Live(grant, now)) rows.push_back(Row(grant, holder, via_team));
    }
  };
  add(*held, kNone);
  for (const TeamLink& link : held->teams) {
    if (link.holder != kNoSlot) add(holders_[link.holder], link.team);
  }
  return rows;
}

std::vector<AccessRow> AccessIndex::Matrix(const Scope& scope, TimestampMs now) const {
  std::shared_lock lock(mutex_);
  std::vector<AccessRow> rows;
  Id root = Find(scope.id);
  if (root == kNone) return rows;
  Id organization = nodes_[root].organization;
  auto within = [&](Id at) {
    for (; at != kNone; at = nodes_[at].parent) {
      if (at == root) return true;
    }
    return false;
  };
  for (const ScopeGrants& here : scope_grants_) {
    if (nodes_[here.scope].organization != organization || !within(here.scope)) continue;
    for (Id assignment : here.assignments) {
      const Grant& grant = grants_[nodes_[assignment].detail];
      if (!Live(grant, now)) continue;
      rows.push_back(Row(grant, grant.principal, kNone));
      const Holder* team = FindHolder(grant.principal);
      if (nodes_[grant.principal].kind != Kind::kTeam || team == nullptr) continue;
      for (Id member : team->members) rows.push_back(Row(grant, member, grant.principal));
    }
  }
  return rows;
}

}  // namespace rampart::authz
