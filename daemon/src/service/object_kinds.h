// Kind<T>: how each kind of named object takes part in the generic use cases of
// object_service.h: where it lives, how it is looked up, what it references and what its
// deletion must check or clean up. Adding a kind means specializing Kind<T> here; the
// rules (validation, revisions, idempotency, audit, isolation) then hold for it by
// construction.
//
// Every kind has a Parent: the Organization for top-level kinds, else a Workspace or a
// Project. Objects are addressed by a path of references (ids or names) from the
// organization down, e.g. {"alpha", "recsys"} for workspaces/alpha/projects/recsys.
//
// Hooks run inside the use case's write transaction, so what they check and change
// commits (or not) with the change itself.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "model/governance.h"
#include "model/principals.h"
#include "model/roles.h"
#include "model/stacks.h"
#include "model/tenancy.h"
#include "service/audit_recorder.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

// Reports a reference in a request body that did not resolve (kNotFound) as kUnprocessable
// on `field`, reason "reference_not_found"; passes other results through.
template <typename T>
Result<T> AsReference(Result<T> resolved, const std::string& field) {
  if (!resolved.ok() && resolved.status().code() == StatusCode::kNotFound) {
    return Status::Error(StatusCode::kUnprocessable, field + ": " + resolved.status().message(),
                         field, "reference_not_found");
  }
  return resolved;
}

// What a kind does not override.
struct KindDefaults {
  static constexpr const char* kNameField = "name";  // the JSON field holding meta.name

  // The stored name `ref` (not an id) stands for, under `parent`.
  template <typename Parent>
  static Result<std::string> NameOf(StoreTransaction&, const RequestContext&, const Parent&,
                                    const std::string& ref) {
    return ref;
  }
  // After a create body or an update patch is applied, before the object is written:
  // resolves references to ids and checks them. `before` is null on create; `now` is when
  // the change is made.
  template <typename Parent, typename T>
  static Status Prepare(StoreTransaction&, const RequestContext&, const Parent&, const T*, T&,
                        TimestampMs) {
    return Status::Ok();
  }
  // Before the object is deleted: vetoes (kConflict) or cleans up what depends on it.
  template <typename T>
  static Status BeforeDelete(StoreTransaction&, const RequestContext&, const T&, TimestampMs) {
    return Status::Ok();
  }
};

template <typename T>
struct Kind;

template <>
struct Kind<Workspace> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "workspace";  // in messages and audit actions
  static constexpr const char* kIdPrefix = kWorkspaceIdPrefix;
  static ObjectTable<Workspace>& Table(StoreTransaction& t) { return t.Workspaces(); }
  static std::string ParentId(const Workspace& w) { return w.meta.organization_id; }
  static void Attach(const Organization&, Workspace&) {}
  static AuditTarget Target(const Workspace& w) {
    return {"workspace", w.meta.id, w.meta.name, w.meta.id, ""};
  }
  // Refuses while projects, stacks or components remain, naming some of them; deletes the
  // role assignments made at the workspace. (Projects and stacks likewise delete theirs.)
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const Workspace& w,
                             TimestampMs now);
};

template <>
struct Kind<Project> : KindDefaults {
  using Parent = Workspace;
  static constexpr const char* kName = "project";
  static constexpr const char* kIdPrefix = kProjectIdPrefix;
  static ObjectTable<Project>& Table(StoreTransaction& t) { return t.Projects(); }
  static std::string ParentId(const Project& p) { return p.workspace_id; }
  static void Attach(const Workspace& w, Project& p) { p.workspace_id = w.meta.id; }
  static AuditTarget Target(const Project& p) {
    return {"project", p.meta.id, p.meta.name, p.workspace_id, p.meta.id};
  }
  // Refuses while the project is bound to stacks.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const Project& p,
                             TimestampMs now);
};

template <>
struct Kind<User> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "user";
  static constexpr const char* kNameField = "email";
  static constexpr const char* kIdPrefix = kUserIdPrefix;
  static ObjectTable<User>& Table(StoreTransaction& t) { return t.Users(); }
  static std::string ParentId(const User& u) { return u.meta.organization_id; }
  static void Attach(const Organization&, User&) {}
  static AuditTarget Target(const User& u) { return {"user", u.meta.id, u.meta.name, "", ""}; }
  // Emails are stored lowercased.
  static Result<std::string> NameOf(StoreTransaction&, const RequestContext&, const Organization&,
                                    const std::string& ref);
  // Revokes the user's keys and removes the user from its teams.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const User& u,
                             TimestampMs now);
};

template <>
struct Kind<ServiceAccount> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "service_account";
  static constexpr const char* kIdPrefix = kServiceAccountIdPrefix;
  static ObjectTable<ServiceAccount>& Table(StoreTransaction& t) { return t.ServiceAccounts(); }
  static std::string ParentId(const ServiceAccount& a) { return a.meta.organization_id; }
  static void Attach(const Organization&, ServiceAccount&) {}
  static AuditTarget Target(const ServiceAccount& a) {
    return {"service_account", a.meta.id, a.meta.name, "", ""};
  }
  // Revokes the account's keys and removes it from its teams.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c,
                             const ServiceAccount& a, TimestampMs now);
};

template <>
struct Kind<Team> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "team";
  static constexpr const char* kIdPrefix = kTeamIdPrefix;
  static ObjectTable<Team>& Table(StoreTransaction& t) { return t.Teams(); }
  static std::string ParentId(const Team& team) { return team.meta.organization_id; }
  static void Attach(const Organization&, Team&) {}
  static AuditTarget Target(const Team& team) {
    return {"team", team.meta.id, team.meta.name, "", ""};
  }
  // Deletes the team's role assignments.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const Team& team,
                             TimestampMs now);
  // Resolves members (ids, "user:EMAIL", "service_account:NAME") to ids of this
  // organization's principals; sorts them and drops duplicates.
  static Status Prepare(StoreTransaction& t, const RequestContext& c, const Organization&,
                        const Team* before, Team& team, TimestampMs now);
};

template <>
struct Kind<StackComponent> : KindDefaults {
  using Parent = Workspace;
  static constexpr const char* kName = "stack_component";
  static constexpr const char* kIdPrefix = kStackComponentIdPrefix;
  static ObjectTable<StackComponent>& Table(StoreTransaction& t) { return t.StackComponents(); }
  static std::string ParentId(const StackComponent& c) { return c.workspace_id; }
  static void Attach(const Workspace& w, StackComponent& c) { c.workspace_id = w.meta.id; }
  static AuditTarget Target(const StackComponent& c) {
    return {"stack_component", c.meta.id, c.meta.name, c.workspace_id, ""};
  }
  // Refuses while stacks use the component, naming them.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c,
                             const StackComponent& component, TimestampMs now);
};

template <>
struct Kind<Stack> : KindDefaults {
  using Parent = Workspace;
  static constexpr const char* kName = "stack";
  static constexpr const char* kIdPrefix = kStackIdPrefix;
  static ObjectTable<Stack>& Table(StoreTransaction& t) { return t.Stacks(); }
  static std::string ParentId(const Stack& s) { return s.workspace_id; }
  static void Attach(const Workspace& w, Stack& s) { s.workspace_id = w.meta.id; }
  static AuditTarget Target(const Stack& s) {
    return {"stack", s.meta.id, s.meta.name, s.workspace_id, ""};
  }
  // Resolves component references to components of the stack's workspace whose type is
  // the key they are mapped under.
  static Status Prepare(StoreTransaction& t, const RequestContext& c, const Workspace& w,
                        const Stack* before, Stack& stack, TimestampMs now);
  // Refuses while projects are bound to the stack, naming them.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const Stack& stack,
                             TimestampMs now);
};

template <>
struct Kind<ProjectStack> : KindDefaults {
  using Parent = Project;
  static constexpr const char* kName = "project_stack";
  static constexpr const char* kNameField = "stack_id";
  static constexpr const char* kIdPrefix = kProjectStackIdPrefix;
  static ObjectTable<ProjectStack>& Table(StoreTransaction& t) { return t.ProjectStacks(); }
  static std::string ParentId(const ProjectStack& b) { return b.project_id; }
  static void Attach(const Project& p, ProjectStack& b) {
    b.project_id = p.meta.id;
    b.workspace_id = p.workspace_id;
  }
  static AuditTarget Target(const ProjectStack& b) {
    return {"project_stack", b.meta.id, b.meta.name, b.workspace_id, b.project_id};
  }
  // A binding is named by its stack: the stack's id for `ref` (a stack name or id) in the
  // project's workspace.
  static Result<std::string> NameOf(StoreTransaction& t, const RequestContext& c,
                                    const Project& p, const std::string& ref);
  // Resolves stack_id to a stack of the project's workspace; it cannot change on update.
  static Status Prepare(StoreTransaction& t, const RequestContext& c, const Project& p,
                        const ProjectStack* before, ProjectStack& binding, TimestampMs now);
};

template <>
struct Kind<Role> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "role";
  static constexpr const char* kIdPrefix = kRoleIdPrefix;
  static ObjectTable<Role>& Table(StoreTransaction& t) { return t.Roles(); }
  static std::string ParentId(const Role& r) { return r.meta.organization_id; }
  static void Attach(const Organization&, Role&) {}
  static AuditTarget Target(const Role& r) { return {"role", r.meta.id, r.meta.name, "", ""}; }
  // Checks the permission patterns and resolves inherited roles (built-in names stay names,
  // custom roles become ids); refuses inheritance cycles.
  static Status Prepare(StoreTransaction& t, const RequestContext& c, const Organization& o,
                        const Role* before, Role& role, TimestampMs now);
  // Refuses while assignments use the role or other roles inherit it, naming them.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const Role& role,
                             TimestampMs now);
};

template <>
struct Kind<RoleAssignment> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "role_assignment";
  static constexpr const char* kNameField = "role";
  static constexpr const char* kIdPrefix = kRoleAssignmentIdPrefix;
  static ObjectTable<RoleAssignment>& Table(StoreTransaction& t) { return t.RoleAssignments(); }
  static std::string ParentId(const RoleAssignment& a) { return a.meta.organization_id; }
  static void Attach(const Organization&, RoleAssignment&) {}
  static AuditTarget Target(const RoleAssignment& a);
  // Resolves the role, principal and scope to ids of this organization, checks the role
  // may be assigned at that level and that a new assignment has not already expired, and
  // keys it (role, principal, scope). On update they must stay what they were.
  static Status Prepare(StoreTransaction& t, const RequestContext& c, const Organization& o,
                        const RoleAssignment* before, RoleAssignment& assignment, TimestampMs now);
};

template <>
struct Kind<Model> : KindDefaults {
  using Parent = Project;
  static constexpr const char* kName = "model";
  static constexpr const char* kIdPrefix = kModelIdPrefix;
  static ObjectTable<Model>& Table(StoreTransaction& t) { return t.Models(); }
  static std::string ParentId(const Model& m) { return m.project_id; }
  static void Attach(const Project& p, Model& m) {
    m.project_id = p.meta.id;
    m.workspace_id = p.workspace_id;
  }
  static AuditTarget Target(const Model& m) {
    return {"model", m.meta.id, m.meta.name, m.workspace_id, m.project_id};
  }
  // Refuses while the model has versions, naming them.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const Model& m,
                             TimestampMs now);
};

template <>
struct Kind<ModelVersion> : KindDefaults {
  using Parent = Model;
  static constexpr const char* kName = "model_version";
  static constexpr const char* kIdPrefix = kModelVersionIdPrefix;
  static ObjectTable<ModelVersion>& Table(StoreTransaction& t) { return t.ModelVersions(); }
  static std::string ParentId(const ModelVersion& v) { return v.model_id; }
  static void Attach(const Model& m, ModelVersion& v) {
    v.model_id = m.meta.id;
    v.project_id = m.project_id;
    v.workspace_id = m.workspace_id;
  }
  static AuditTarget Target(const ModelVersion& v) {
    return {"model_version", v.meta.id, v.meta.name, v.workspace_id, v.project_id};
  }
  // Refuses while the version holds staging or production, or a promotion request for it
  // is open: what serves, or is about to, is not deleted from under it.
  static Status BeforeDelete(StoreTransaction& t, const RequestContext& c, const ModelVersion& v,
                             TimestampMs now);
};

template <>
struct Kind<PromotionPolicy> : KindDefaults {
  using Parent = Organization;
  static constexpr const char* kName = "promotion_policy";
  static constexpr const char* kNameField = "stage";
  static constexpr const char* kIdPrefix = kPromotionPolicyIdPrefix;
  static ObjectTable<PromotionPolicy>& Table(StoreTransaction& t) { return t.PromotionPolicies(); }
  static std::string ParentId(const PromotionPolicy& p) { return p.meta.organization_id; }
  static void Attach(const Organization&, PromotionPolicy&) {}
  static AuditTarget Target(const PromotionPolicy& p) {
    return {"promotion_policy", p.meta.id, p.stage, p.workspace_id, p.project_id};
  }
  // Resolves the workspace or project to ids (fixed after creation), checks that every
  // role named exists and every time zone is known, and keys the policy "<scope>/<stage>".
  static Status Prepare(StoreTransaction& t, const RequestContext& c, const Organization& o,
                        const PromotionPolicy* before, PromotionPolicy& policy, TimestampMs now);
};

template <>
struct Kind<PromotionRequest> : KindDefaults {
  using Parent = Project;
  static constexpr const char* kName = "promotion_request";
  static constexpr const char* kIdPrefix = kPromotionRequestIdPrefix;
  static ObjectTable<PromotionRequest>& Table(StoreTransaction& t) { return t.PromotionRequests(); }
  static std::string ParentId(const PromotionRequest& r) { return r.project_id; }
  static void Attach(const Project& p, PromotionRequest& r) {
    r.project_id = p.meta.id;
    r.workspace_id = p.workspace_id;
  }
  static AuditTarget Target(const PromotionRequest& r) {
    return {"promotion_request", r.meta.id, r.model + "/" + r.version, r.workspace_id, r.project_id};
  }
};

// All rows of a kind under one parent (no page limit).
template <typename T>
Result<std::vector<T>> AllIn(StoreTransaction& transaction, const RequestContext& context,
                             const std::string& parent_id) {
  ListQuery all;
  all.limit = 0;
  return Kind<T>::Table(transaction).List(context.organization_id, parent_id, all);
}

// kConflict, reason "in_use": "<what> <problem>: a, b, ... and 4 more; <remedy>".
Status InUse(const std::string& what, const std::string& problem, const std::vector<std::string>& names,
             const std::string& remedy);

// Deletes, each with its audit event, the role assignments made to principal `id` or at
// scope `id`: what is deleted grants nothing and is granted nothing.
Status DeleteAssignmentsOf(StoreTransaction& transaction, const RequestContext& context,
                           const std::string& id, TimestampMs now);

// The principal id a team member reference stands for: an id (usr_..., sa_...),
// "user:EMAIL" or "service_account:NAME" of the caller's organization. kInvalidArgument for
// other shapes, kUnprocessable when no such principal exists; both name `field`.
Result<std::string> ResolveTeamMember(StoreTransaction& transaction, const RequestContext& context,
                                      const std::string& ref, const std::string& field);

}  // namespace rampart
