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
  texts_.push_back("");  // Id 0 is kNone
  interned_.emplace("", kNone);
  for (const BuiltinRole& builtin : BuiltinRoles()) {
    roles_[Intern(builtin.name)] = RoleEntry{builtin.name, {}, builtin.permissions,
                                             builtin.permissions};
  }
}

AccessIndex::Id AccessIndex::Intern(const std::string& text) {
  auto [at, inserted] = interned_.emplace(text, static_cast<Id>(texts_.size()));
  if (inserted) texts_.push_back(text);
  return at->second;
}

AccessIndex::Id AccessIndex::Find(const std::string& text) const {
  auto at = interned_.find(text);
  return at == interned_.end() ? kNone : at->second;
}

std::string AccessIndex::NameKey(Id organization, const std::string& kind, Id parent,
                                 const std::string& name) const {
  return Text(organization) + '\n' + kind + '\n' + Text(parent) + '\n' + name;
}

void AccessIndex::PutNode(const std::string& id, const std::string& organization_id,
                          const std::string& kind, Id parent, ScopeLevel level,
                          const std::string& name) {
  Id node_id = Intern(id);
  Id organization = Intern(organization_id);
  // Names live in their parent; top-level kinds in the organization.
  Id name_parent = parent == kNone ? organization : parent;
  auto existing = nodes_.find(node_id);
  if (existing != nodes_.end()) {
    const Node& old = existing->second;
    names_.erase(NameKey(old.organization, old.kind, old.parent == kNone ? old.organization : old.parent,
                         old.name));
  }
  nodes_[node_id] = Node{organization, parent, level, kind, name, true};
  names_[NameKey(organization, kind, name_parent, name)] = node_id;
}

void AccessIndex::Put(const Organization& organization) {
  std::unique_lock lock(mutex_);
  PutNode(organization.meta.id, organization.meta.id, "organization", kNone,
          ScopeLevel::kOrganization, organization.meta.name);
}

void AccessIndex::Put(const Workspace& workspace) {
  std::unique_lock lock(mutex_);
  PutNode(workspace.meta.id, workspace.meta.organization_id, "workspace",
          Intern(workspace.meta.organization_id), ScopeLevel::kWorkspace, workspace.meta.name);
}

void AccessIndex::Put(const Project& project) {
  std::unique_lock lock(mutex_);
  PutNode(project.meta.id, project.meta.organization_id, "project", Intern(project.workspace_id),
          ScopeLevel::kProject, project.meta.name);
}

void AccessIndex::Put(const Stack& stack) {
  std::unique_lock lock(mutex_);
  PutNode(stack.meta.id, stack.meta.organization_id, "stack", Intern(stack.workspace_id),
          ScopeLevel::kStack, stack.meta.name);
}

void AccessIndex::Put(const User& user) {
  std::unique_lock lock(mutex_);
  PutNode(user.meta.id, user.meta.organization_id, "user", kNone, ScopeLevel::kOrganization,
          user.meta.name);
  nodes_[Find(user.meta.id)].active = user.active;
}

void AccessIndex::Put(const ServiceAccount& service_account) {
  std::unique_lock lock(mutex_);
  PutNode(service_account.meta.id, service_account.meta.organization_id, "service_account", kNone,
          ScopeLevel::kOrganization, service_account.meta.name);
}

void AccessIndex::Put(const Team& team) {
  std::unique_lock lock(mutex_);
  PutNode(team.meta.id, team.meta.organization_id, "team", kNone, ScopeLevel::kOrganization,
          team.meta.name);
  Id team_id = Find(team.meta.id);
  ForgetMembers(team_id);
  std::vector<Id>& members = members_[team_id];
  for (const std::string& member : team.members) {
    Id member_id = Intern(member);
    members.push_back(member_id);
    teams_of_[member_id].push_back(team_id);
  }
}

void AccessIndex::ForgetMembers(Id team) {
  auto members = members_.find(team);
  if (members == members_.end()) return;
  for (Id member : members->second) {
    std::vector<Id>& teams = teams_of_[member];
    teams.erase(std::remove(teams.begin(), teams.end(), team), teams.end());
    if (teams.empty()) teams_of_.erase(member);
  }
  members_.erase(members);
}

void AccessIndex::Put(const Role& role) {
  std::unique_lock lock(mutex_);
  PutNode(role.meta.id, role.meta.organization_id, "role", kNone, ScopeLevel::kOrganization,
          role.meta.name);
  RoleEntry entry{role.meta.name, {}, PermissionSet::FromPatterns(role.permissions), {}};
  for (const std::string& inherited : role.inherits) entry.inherits.push_back(Intern(inherited));
  roles_[Find(role.meta.id)] = std::move(entry);
  RecomputeRoles();
}

void AccessIndex::RecomputeRoles() {
  // Cycles are refused when roles are written; the guard only keeps a bad row from looping.
  std::unordered_map<Id, int> state;  // 1: in progress, 2: done
  std::function<const PermissionSet&(Id)> resolve = [&](Id id) -> const PermissionSet& {
    RoleEntry& entry = roles_[id];
    if (state[id] != 0) return entry.effective;
    state[id] = 1;
    PermissionSet effective = entry.own;
    for (Id inherited : entry.inherits) {
      if (roles_.count(inherited) && state[inherited] != 1) effective.Add(resolve(inherited));
    }
    entry.effective = effective;
    state[id] = 2;
    return entry.effective;
  };
  std::vector<Id> ids;
  for (const auto& [id, entry] : roles_) ids.push_back(id);
  for (Id id : ids) resolve(id);
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
  grants_[id] = grant;
  by_holder_and_scope_[Key(grant.principal, grant.scope)].push_back(id);
  by_scope_[grant.scope].push_back(id);
}

void AccessIndex::RemoveGrant(Id assignment) {
  auto grant = grants_.find(assignment);
  if (grant == grants_.end()) return;
  auto drop = [assignment](std::vector<Id>& ids) {
    ids.erase(std::remove(ids.begin(), ids.end(), assignment), ids.end());
  };
  uint64_t key = Key(grant->second.principal, grant->second.scope);
  drop(by_holder_and_scope_[key]);
  if (by_holder_and_scope_[key].empty()) by_holder_and_scope_.erase(key);
  drop(by_scope_[grant->second.scope]);
  if (by_scope_[grant->second.scope].empty()) by_scope_.erase(grant->second.scope);
  grants_.erase(grant);
}

void AccessIndex::Remove(const std::string& text) {
  std::unique_lock lock(mutex_);
  Id id = Find(text);
  if (id == kNone) return;
  RemoveGrant(id);
  ForgetMembers(id);
  if (roles_.erase(id) > 0) RecomputeRoles();
  auto node = nodes_.find(id);
  if (node != nodes_.end()) {
    const Node& old = node->second;
    names_.erase(NameKey(old.organization, old.kind,
                         old.parent == kNone ? old.organization : old.parent, old.name));
    nodes_.erase(node);
  }
}

Result<Principal> AccessIndex::ResolvePrincipal(const std::string& organization_id,
                                                const std::string& ref,
                                                const std::string& field) const {
  std::shared_lock lock(mutex_);
  Id organization = Find(organization_id);
  auto not_found = Status::NotFound("principal " + ref.substr(0, 80) + " not found");
  struct Form {
    const char* prefix;
    const char* kind;
    const char* id_prefix;
  };
  for (const Form& form : {Form{"user:", "user", "usr_"},
                           Form{"service_account:", "service_account", "sa_"},
                           Form{"team:", "team", "team_"}}) {
    Id id = kNone;
    if (StartsWith(ref, form.prefix)) {
      std::string name = ref.substr(std::string(form.prefix).size());
      if (std::string(form.kind) == "user") name = Lowercase(name);
      auto found = names_.find(NameKey(organization, form.kind, organization, name));
      if (found == names_.end()) return not_found;
      id = found->second;
    } else if (StartsWith(ref, form.id_prefix)) {
      id = Find(ref);
    } else {
      continue;
    }
    auto node = nodes_.find(id);
    if (id == kNone || node == nodes_.end() || node->second.organization != organization ||
        node->second.kind != form.kind) {
      return not_found;
    }
    return Principal{form.kind, Text(id)};
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
  Id organization = Find(organization_id);
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
  auto lookup = [&](const std::string& ref, const std::string& kind, Id parent) -> Id {
    Id id = Find(ref);
    auto node = nodes_.find(id);
    if (id != kNone && node != nodes_.end() && node->second.kind == kind &&
        node->second.parent == parent) {
      return id;
    }
    auto named = names_.find(NameKey(organization, kind, parent, ref));
    return named == names_.end() ? kNone : named->second;
  };
  Id workspace = lookup(parts[1], "workspace", organization);
  if (organization == kNone || workspace == kNone) return not_found;
  if (parts.size() == 2) return Scope{ScopeLevel::kWorkspace, Text(workspace)};
  const char* kind = parts[2] == "projects" ? "project" : parts[2] == "stacks" ? "stack" : nullptr;
  if (kind == nullptr) return malformed;
  Id object = lookup(parts[3], kind, workspace);
  if (object == kNone) return not_found;
  return Scope{std::string(kind) == "project" ? ScopeLevel::kProject : ScopeLevel::kStack,
               Text(object)};
}

std::optional<Scope> AccessIndex::ScopeOf(const std::string& organization_id,
                                          const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto node = nodes_.find(Find(id));
  if (node == nodes_.end() || node->second.organization != Find(organization_id)) {
    return std::nullopt;
  }
  const std::string& kind = node->second.kind;
  if (kind != "organization" && kind != "workspace" && kind != "project" && kind != "stack") {
    return std::nullopt;
  }
  return Scope{node->second.level, id};
}

std::vector<AccessIndex::Id> AccessIndex::Chain(Id scope) const {
  std::vector<Id> chain;
  while (scope != kNone) {
    chain.push_back(scope);
    auto node = nodes_.find(scope);
    scope = node == nodes_.end() ? kNone : node->second.parent;
  }
  return chain;
}

const PermissionSet* AccessIndex::RoleSet(Id role) const {
  auto entry = roles_.find(role);
  return entry == roles_.end() ? nullptr : &entry->second.effective;
}

Decision AccessIndex::Check(const Principal& principal, size_t permission, const Scope& scope,
                            TimestampMs now) const {
  std::shared_lock lock(mutex_);
  Decision decision;
  Id who = Find(principal.id);
  Id where = Find(scope.id);
  if (who == kNone || where == kNone) return decision;
  auto user = nodes_.find(who);
  if (user != nodes_.end() && !user->second.active) return decision;
  auto teams = teams_of_.find(who);
  // Nearest scope first, then direct grants before team grants: the first match explains.
  for (Id at = where; at != kNone;) {
    auto try_holder = [&](Id holder, Id via) {
      auto grants = by_holder_and_scope_.find(Key(holder, at));
      if (grants == by_holder_and_scope_.end()) return false;
      for (Id assignment : grants->second) {
        const Grant& grant = grants_.at(assignment);
        const PermissionSet* set = RoleSet(grant.role);
        if (!Live(grant, now) || set == nullptr || !set->Contains(permission)) continue;
        decision.allowed = true;
        decision.assignment_id = Text(assignment);
        decision.role = Text(grant.role);
        decision.role_name = roles_.at(grant.role).name;
        decision.scope = ScopeNode(at);
        decision.via_team_id = via == kNone ? "" : Text(via);
        return true;
      }
      return false;
    };
    if (try_holder(who, kNone)) return decision;
    if (teams != teams_of_.end()) {
      for (Id team : teams->second) {
        if (try_holder(team, team)) return decision;
      }
    }
    auto node = nodes_.find(at);
    at = node == nodes_.end() ? kNone : node->second.parent;
  }
  return decision;
}

PermissionSet AccessIndex::Effective(const Principal& principal, const Scope& scope,
                                     TimestampMs now) const {
  std::shared_lock lock(mutex_);
  PermissionSet effective;
  Id who = Find(principal.id);
  Id where = Find(scope.id);
  if (who == kNone || where == kNone) return effective;
  auto user = nodes_.find(who);
  if (user != nodes_.end() && !user->second.active) return effective;
  std::vector<Id> holders = {who};
  auto teams = teams_of_.find(who);
  if (teams != teams_of_.end()) holders.insert(holders.end(), teams->second.begin(), teams->second.end());
  for (Id at : Chain(where)) {
    for (Id holder : holders) {
      auto grants = by_holder_and_scope_.find(Key(holder, at));
      if (grants == by_holder_and_scope_.end()) continue;
      for (Id assignment : grants->second) {
        const Grant& grant = grants_.at(assignment);
        const PermissionSet* set = RoleSet(grant.role);
        if (Live(grant, now) && set != nullptr) effective.Add(*set);
      }
    }
  }
  return effective;
}

std::string AccessIndex::NameOf(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto node = nodes_.find(Find(id));
  return node == nodes_.end() ? "" : node->second.name;
}

std::optional<PermissionSet> AccessIndex::RolePermissions(const std::string& role) const {
  std::shared_lock lock(mutex_);
  const PermissionSet* set = RoleSet(Find(role));
  if (set == nullptr) return std::nullopt;
  return *set;
}

Principal AccessIndex::PrincipalOf(Id id) const {
  auto node = nodes_.find(id);
  if (node == nodes_.end()) return Principal{kPrincipalApiKey, Text(id)};
  return Principal{node->second.kind, Text(id)};
}

Scope AccessIndex::ScopeNode(Id id) const {
  auto node = nodes_.find(id);
  return Scope{node == nodes_.end() ? ScopeLevel::kOrganization : node->second.level, Text(id)};
}

AccessRow AccessIndex::Row(const Grant& grant, Id holder, Id via_team) const {
  auto role = roles_.find(grant.role);
  return AccessRow{PrincipalOf(holder),
                   Text(grant.role),
                   role == roles_.end() ? Text(grant.role) : role->second.name,
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
  for (Id at : Chain(Find(scope.id))) {
    auto grants = by_scope_.find(at);
    if (grants == by_scope_.end()) continue;
    for (Id assignment : grants->second) {
      const Grant& grant = grants_.at(assignment);
      const PermissionSet* set = RoleSet(grant.role);
      if (!Live(grant, now) || set == nullptr || !set->Contains(permission)) continue;
      auto members = members_.find(grant.principal);
      if (members == members_.end()) {
        auto holder = nodes_.find(grant.principal);
        bool team = holder != nodes_.end() && holder->second.kind == "team";
        if (!team && Active(grant.principal)) rows.push_back(Row(grant, grant.principal, kNone));
        continue;
      }
      for (Id member : members->second) {
        if (Active(member)) rows.push_back(Row(grant, member, grant.principal));
      }
    }
  }
  return rows;
}

bool AccessIndex::Active(Id principal) const {
  auto node = nodes_.find(principal);
  return node == nodes_.end() || node->second.active;
}

std::vector<AccessRow> AccessIndex::Matrix(const Scope& scope, TimestampMs now) const {
  std::shared_lock lock(mutex_);
  std::vector<AccessRow> rows;
  Id root = Find(scope.id);
  if (root == kNone) return rows;
  for (const auto& [at, assignments] : by_scope_) {
    std::vector<Id> chain = Chain(at);
    if (std::find(chain.begin(), chain.end(), root) == chain.end()) continue;
    for (Id assignment : assignments) {
      const Grant& grant = grants_.at(assignment);
      if (!Live(grant, now)) continue;
      rows.push_back(Row(grant, grant.principal, kNone));
      auto members = members_.find(grant.principal);
      if (members == members_.end()) continue;
      for (Id member : members->second) rows.push_back(Row(grant, member, grant.principal));
    }
  }
  return rows;
}

}  // namespace rampart::authz
