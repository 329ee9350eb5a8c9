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
// Ids are interned into dense 32-bit numbers (TextTable) that index plain vectors. A check
// is two lookups in a small table (principal, scope), then, for each scope from the asked one
// up to the organization, a binary search of the principal's and each of its teams' grants;
// it allocates nothing. Memory is about 200 bytes per assignment.
// Thread-safe: any number of readers, one writer at a time (a shared mutex).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "authz/builtin_roles.h"
#include "authz/permissions.h"
#include "authz/text_table.h"
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

// Why a check was allowed: the assignment that granted it (empty when denied). The texts
// are views of the index's interned texts, which it keeps for its lifetime, so a check
// allocates nothing; copy them to keep them longer than the index.
struct Decision {
  struct At {
    ScopeLevel level = ScopeLevel::kOrganization;
    std::string_view id;
  };
  bool allowed = false;
  std::string_view assignment_id;
  std::string_view role;         // built-in name or custom role id
  std::string_view role_name;    // the role's name
  At scope;                      // where the deciding assignment was made
  std::string_view via_team_id;  // the team through which the principal holds it; "" if direct
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
  // Forgets every object (built-in roles stay). Interned texts stay too, so the views that
  // earlier Decisions hold remain valid.
  void Clear();

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
  // The unexpired assignments that give `holder_id` (a principal or a team) what it holds:
  // those made to it, and to the teams it is in (via_team_id set).
  std::vector<AccessRow> HeldBy(const std::string& holder_id, TimestampMs now) const;
  // Every unexpired (principal, role, scope) at `scope` and below, teams expanded into their
  // members (the team's own row is kept too, as a direct row).
  std::vector<AccessRow> Matrix(const Scope& scope, TimestampMs now) const;

 private:
  using Id = uint32_t;
  static constexpr Id kNone = 0;
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  static constexpr TimestampMs kNever = INT64_MAX;

  enum class Kind : uint8_t {
    kUnknown,  // interned (referenced) but not Put, or removed
    kOrganization,
    kWorkspace,
    kProject,
    kStack,
    kUser,
    kServiceAccount,
    kTeam,
    kRole,
    kAssignment,
  };

  // What the index knows of one interned id: nodes_[id]. Ids are dense, so every lookup
  // after interning is an array access.
  struct Node {
    Id organization = kNone;
    Id parent = kNone;          // scopes: the enclosing scope, kNone for the organization
    Id name = kNone;            // the interned name
    uint32_t holder = kNoSlot;  // into holders_: grants held, teams, members
    uint32_t detail = kNoSlot;  // roles: into roles_; assignments: into grants_
    uint32_t scope_grants = kNoSlot;  // into scope_grants_: assignments made here
    Kind kind = Kind::kUnknown;
    ScopeLevel level = ScopeLevel::kOrganization;
    bool active = true;  // users only: an inactive user holds nothing
  };
  // The part of an assignment a check reads, kept with its holder, sorted by (scope,
  // assignment) so a check finds a holder's grants at a scope by binary search.
  struct HeldGrant {
    Id scope = kNone;
    Id role = kNone;
    Id assignment = kNone;
    TimestampMs expires_at = kNever;
    bool operator<(const HeldGrant& other) const {
      return scope != other.scope ? scope < other.scope : assignment < other.assignment;
    }
  };
  // A team a principal is in, with the team's holder slot: one lookup fewer per team.
  struct TeamLink {
    Id team = kNone;
    uint32_t holder = kNoSlot;
  };
  // A principal or team: what it holds, the teams it is in, and (teams) its members.
  struct Holder {
    // grants[i].scope, apart: a check mostly finds nothing at a scope, and searching this
    // array alone touches a cache line or two where the grants would take several.
    std::vector<Id> grant_scopes;
    std::vector<HeldGrant> grants;
    // ScopeBit of every grant scope: most (scope, holder) pairs a check tries hold nothing,
    // and this rules them out without a search (a 256-bit Bloom filter).
    std::array<uint64_t, 4> scope_bits = {};
    void MarkScope(Id scope) { scope_bits[ScopeWord(scope)] |= ScopeBit(scope); }
    bool MayHoldAt(Id scope) const { return (scope_bits[ScopeWord(scope)] & ScopeBit(scope)) != 0; }
    std::vector<TeamLink> teams;
    std::vector<Id> members;
  };
  // All of an assignment, for matrix and who-can rows.
  struct Grant {
    Id assignment = kNone;
    Id role = kNone;
    Id principal = kNone;
    Id scope = kNone;
    Id granted_by = kNone;
    TimestampMs granted_at = 0;
    std::optional<TimestampMs> expires_at;
  };
  // The assignments made at one scope, for who-can and the matrix.
  struct ScopeGrants {
    Id scope = kNone;
    std::vector<Id> assignments;
  };
  struct RoleEntry {
    Id organization = kNone;  // kNone for built-ins
    std::vector<Id> inherits;  // custom roles only
    PermissionSet own;         // the role's own patterns, expanded
    PermissionSet effective;   // own and inherited
  };
  // Names are unique per (parent, kind); top-level kinds have the organization as parent.
  struct NameKey {
    Id parent = kNone;
    Id name = kNone;
    Kind kind = Kind::kUnknown;
    bool operator==(const NameKey&) const = default;
  };
  struct NameKeyHash {
    size_t operator()(const NameKey& key) const {
      uint64_t mixed = (uint64_t{key.parent} << 32 | key.name) * 0x9e3779b97f4a7c15ULL;
      return static_cast<size_t>(mixed ^ (mixed >> 29) ^ static_cast<uint64_t>(key.kind));
    }
  };

  // A holder whose grants count for a principal: itself (via kNone) or one of its teams.
  struct Bearer {
    const Holder* holder = nullptr;
    Id via = kNone;
  };

  static size_t ScopeWord(Id scope) { return (scope * 0x9E3779B1u) >> 30; }
  static uint64_t ScopeBit(Id scope) { return uint64_t{1} << (((scope * 0x9E3779B1u) >> 24) & 63); }

  // REQUIRES: mutex_ held (shared suffices for the const ones).
  void PutBuiltinRoles();
  Id Intern(const std::string& text);
  Id Find(std::string_view text) const;
  // Find for a principal or scope id: the small table first.
  Id FindSubject(std::string_view text) const;
  Id FindSubject(std::string_view text, uint64_t hash) const;  // hash: TextLookup::Hash(text)
  std::string Text(Id id) const { return std::string(texts_.Text(id)); }
  static NameKey NameKeyOf(const Node& node, Id self);
  void PutNode(const std::string& id, const std::string& organization_id, Kind kind, Id parent,
               ScopeLevel level, const std::string& name);
  Holder& HolderOf(Id id);
  const Holder* FindHolder(Id id) const;
  std::vector<Id>& GrantsAt(Id scope);
  void RemoveGrant(Id assignment);
  void ForgetMembers(Id team);
  void ForgetRole(Id role);
  // Recomputes the effective permissions of every custom role of `organization`.
  void RecomputeRoles(Id organization);
  std::vector<Id> Chain(Id scope) const;
  static bool Live(const Grant& grant, TimestampMs now) {
    return !grant.expires_at || now < *grant.expires_at;
  }
  const PermissionSet* RoleSet(Id role) const;
  // The first of `grants` at `scope` that is live at `now` and grants `permission`.
  const HeldGrant* Granting(const Holder& holder, Id scope, size_t permission,
                            TimestampMs now) const;
  // `holder` itself, then each of its teams that holds anything. Valid until the next call
  // on the same thread.
  const std::vector<Bearer>& BearersOf(const Holder& holder) const;
  // False for an inactive user, who holds nothing; true for every other principal.
  bool Active(Id principal) const { return nodes_[principal].active; }
  AccessRow Row(const Grant& grant, Id holder, Id via_team) const;
  Principal PrincipalOf(Id id) const;
  Scope ScopeNode(Id id) const;

  mutable std::shared_mutex mutex_;
  TextTable texts_;                                          // guarded by mutex_
  // The ids and names of principals and scopes, apart from the much larger texts_ (mostly
  // assignment ids), so that resolving what a check names touches a table that stays in cache.
  TextLookup subjects_;                                      // guarded by mutex_
  std::vector<Node> nodes_;                                  // by Id; guarded by mutex_
  std::unordered_map<NameKey, Id, NameKeyHash> names_;       // guarded by mutex_
  std::vector<Holder> holders_;                              // guarded by mutex_
  std::vector<RoleEntry> roles_;                             // guarded by mutex_
  std::vector<uint32_t> free_roles_;                         // guarded by mutex_
  std::unordered_map<Id, std::vector<Id>> roles_of_;         // organization -> custom roles
  std::vector<Grant> grants_;                                // guarded by mutex_
  std::vector<uint32_t> free_grants_;                        // guarded by mutex_
  std::vector<ScopeGrants> scope_grants_;                    // guarded by mutex_
};

}  // namespace rampart::authz
