// AccessIndex: the in-memory picture of who holds what where, so a permission check is a
// few hash lookups and bit tests instead of a query (SPEC section 3).
//
// It mirrors, for every organization, the scope tree (organization > workspace > project,
// workspace > stack), the principals (users, service accounts, teams with their members,
// keys without a principal), custom roles with their inheritance resolved into permission
// sets, and every role assignment. It is built from the store at start (Load) and kept
// current by Put/Remove, which the store calls in the critical section that commits each
// change, before the write is acknowledged: a check right after a successful write sees it.
//
// Ids are interned into 32-bit numbers; the hot path of Check touches only those.
// Thread-safe: any number of readers, one writer at a time (a shared mutex).
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "authz/builtin_roles.h"
#include "authz/permissions.h"
#include "common/clock.h"
#include "common/status.h"
#include "model/principals.h"
#include "model/roles.h"
#include "model/stacks.h"
#include "model/tenancy.h"

namespace rampart::authz {

// A principal as checks name it: kPrincipal* type and id.
struct Principal {
  std::string type;
  std::string id;
};

// A node of the scope tree that a check is about.
struct Scope {
  ScopeLevel level = ScopeLevel::kOrganization;
  std::string id;
};

// Why a check was allowed: the assignment that granted it (empty when denied).
struct Decision {
  bool allowed = false;
  std::string assignment_id;
  std::string role;       // built-in name or custom role id
  std::string role_name;  // the role's name
  Scope scope;            // where the deciding assignment was made
  std::string via_team_id;  // the team through which the principal holds it; "" if direct
};

// One row of an access matrix or who-can answer: a principal holding a role at a scope,
// directly or through a team.
struct AccessRow {
  Principal principal;
  std::string role;
  std::string role_name;
  Scope scope;
  std::string via_team_id;  // "" when direct
  std::string assignment_id;
  std::string granted_by;
  TimestampMs granted_at = 0;
  std::optional<TimestampMs> expires_at;
};

class AccessIndex {
 public:
  AccessIndex();

  // The change feed. Put inserts or replaces by id; Remove forgets an object of any kind.
  void Put(const Organization& organization);
  void Put(const Workspace& workspace);
  void Put(const Project& project);
  void Put(const Stack& stack);
  void Put(const User& user);
  void Put(const ServiceAccount& service_account);
  void Put(const Team& team);
  void Put(const Role& role);
  void Put(const RoleAssignment& assignment);
  void Remove(const std::string& id);

  // "user:EMAIL", "service_account:NAME", "team:NAME", or a principal id, within
  // `organization_id`. kInvalidArgument (field `field`) for other shapes, kNotFound when
  // there is no such principal.
  Result<Principal> ResolvePrincipal(const std::string& organization_id, const std::string& ref,
                                     const std::string& field) const;
  // A name path ("organization", "workspaces/W", "workspaces/W/projects/P",
  // "workspaces/W/stacks/S"; ids work for names) within `organization_id`.
  Result<Scope> ResolveScope(const std::string& organization_id, const std::string& path,
                             const std::string& field) const;
  // The scope node of an id of the organization (workspace, project or stack), if any.
  std::optional<Scope> ScopeOf(const std::string& organization_id, const std::string& id) const;

  // May `principal` do `permission` (index into Vocabulary()) on `scope` at `now`?
  // REQUIRES: principal and scope belong to `organization_id` (as Resolve* return them).
  Decision Check(const Principal& principal, size_t permission, const Scope& scope,
                 TimestampMs now) const;
  // Everything `principal` may do at `scope` at `now`.
  PermissionSet Effective(const Principal& principal, const Scope& scope, TimestampMs now) const;
  // The name an id is known by (a user's email, a team's name, ...), or "" if none.
  std::string NameOf(const std::string& id) const;
  // The permissions a role grants (own and inherited); nullopt for an unknown role.
  std::optional<PermissionSet> RolePermissions(const std::string& role) const;

  // Active users and service accounts (teams expanded) that may do `permission` on `scope`.
  std::vector<AccessRow> WhoCan(size_t permission, const Scope& scope, TimestampMs now) const;
  // Every unexpired (principal, role, scope) at `scope` and below, teams expanded into their
  // members (the team's own row is kept too, as a direct row).
  std::vector<AccessRow> Matrix(const Scope& scope, TimestampMs now) const;

 private:
  using Id = uint32_t;
  static constexpr Id kNone = 0;

  struct Node {
    Id organization = kNone;
    Id parent = kNone;  // scopes: the enclosing scope; else kNone
    ScopeLevel level = ScopeLevel::kOrganization;
    std::string kind;   // "organization", "workspace", ..., "user", "team", "role"
    std::string name;
    bool active = true;  // users only: an inactive user holds nothing
  };
  struct Grant {
    Id assignment = kNone;
    Id role = kNone;
    Id principal = kNone;
    Id scope = kNone;
    Id granted_by = kNone;
    TimestampMs granted_at = 0;
    std::optional<TimestampMs> expires_at;
  };
  struct RoleEntry {
    std::string name;
    std::vector<Id> inherits;     // custom roles only
    PermissionSet own;            // the role's own patterns, expanded
    PermissionSet effective;      // own and inherited
  };

  // REQUIRES: mutex_ held (shared suffices for the const ones).
  Id Intern(const std::string& text);
  Id Find(const std::string& text) const;
  const std::string& Text(Id id) const { return texts_[id]; }
  static uint64_t Key(Id principal, Id scope) { return (uint64_t{principal} << 32) | scope; }
  std::string NameKey(Id organization, const std::string& kind, Id parent,
                      const std::string& name) const;
  void PutNode(const std::string& id, const std::string& organization_id, const std::string& kind,
               Id parent, ScopeLevel level, const std::string& name);
  void RemoveGrant(Id assignment);
  void ForgetMembers(Id team);
  void RecomputeRoles();
  std::vector<Id> Chain(Id scope) const;
  bool Live(const Grant& grant, TimestampMs now) const {
    return !grant.expires_at || now < *grant.expires_at;
  }
  const PermissionSet* RoleSet(Id role) const;
  // False for an inactive user, who holds nothing; true for every other principal.
  bool Active(Id principal) const;
  AccessRow Row(const Grant& grant, Id holder, Id via_team) const;
  Principal PrincipalOf(Id id) const;
  Scope ScopeNode(Id id) const;

  mutable std::shared_mutex mutex_;
  std::vector<std::string> texts_;                   // guarded by mutex_
  std::unordered_map<std::string, Id> interned_;     // guarded by mutex_
  std::unordered_map<Id, Node> nodes_;               // guarded by mutex_
  std::unordered_map<std::string, Id> names_;        // NameKey -> id; guarded by mutex_
  std::unordered_map<Id, std::vector<Id>> teams_of_; // principal -> teams; guarded by mutex_
  std::unordered_map<Id, std::vector<Id>> members_;  // team -> principals; guarded by mutex_
  std::unordered_map<Id, RoleEntry> roles_;          // guarded by mutex_
  std::unordered_map<Id, Grant> grants_;             // assignment -> grant; guarded by mutex_
  std::unordered_map<uint64_t, std::vector<Id>> by_holder_and_scope_;  // guarded by mutex_
  std::unordered_map<Id, std::vector<Id>> by_scope_;                   // guarded by mutex_
};

}  // namespace rampart::authz
