#include "service/object_kinds.h"

#include <algorithm>
#include <cctype>

#include "service/api_key_service.h"
#include "service/object_service.h"

namespace rampart {
namespace {

// "a, b, c and 4 more" for messages.
std::string NameList(const std::vector<std::string>& names) {
  constexpr size_t kShown = 10;
  std::string list;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) {
    list += (i == 0 ? "" : ", ") + names[i];
  }
  if (names.size() > kShown) list += " and " + std::to_string(names.size() - kShown) + " more";
  return list;
}



template <typename T>
Result<std::vector<std::string>> NamesIn(StoreTransaction& transaction,
                                         const RequestContext& context,
                                         const std::string& parent_id) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<T> rows, AllIn<T>(transaction, context, parent_id));
  std::vector<std::string> names;
  for (const T& row : rows) names.push_back(row.meta.name);
  return names;
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Takes a deleted principal out of every team that lists it, each an audited team change.
Status RemoveFromTeams(StoreTransaction& transaction, const RequestContext& context,
                       const std::string& principal_id, TimestampMs now) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Team> teams,
                           AllIn<Team>(transaction, context, context.organization_id));
  for (Team& team : teams) {
    auto member = std::find(team.members.begin(), team.members.end(), principal_id);
    if (member == team.members.end()) continue;
    nlohmann::json before = ToJson(team);
    team.members.erase(member);
    StampChanged(now, team.meta);
    RAMPART_RETURN_IF_ERROR(transaction.Teams().Update(team));
    RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
        MakeAuditEvent(context, now, "team.member_remove", Kind<Team>::Target(team), before,
                       ToJson(team))));
  }
  return Status::Ok();
}

}  // namespace

Status InUse(const std::string& what, const std::string& problem, const std::vector<std::string>& names,
             const std::string& remedy) {
  return Status::Error(StatusCode::kConflict,
                       what + " " + problem + ": " + NameList(names) + "; " + remedy, "",
                       "in_use");
}

Result<std::string> ResolveTeamMember(StoreTransaction& transaction, const RequestContext& context,
                                      const std::string& ref, const std::string& field) {
  const std::string& org = context.organization_id;
  auto user_prefix = std::string("user:");
  auto account_prefix = std::string("service_account:");
  if (IsIdOf(ref, kUserIdPrefix)) {
    RAMPART_ASSIGN_OR_RETURN(User user, AsReference(transaction.Users().GetById(org, ref), field));
    return user.meta.id;
  }
  if (IsIdOf(ref, kServiceAccountIdPrefix)) {
    RAMPART_ASSIGN_OR_RETURN(ServiceAccount account,
                             AsReference(transaction.ServiceAccounts().GetById(org, ref), field));
    return account.meta.id;
  }
  if (ref.rfind(user_prefix, 0) == 0) {
    RAMPART_ASSIGN_OR_RETURN(
        User user, AsReference(transaction.Users().GetByName(
                                   org, org, Lowercase(ref.substr(user_prefix.size()))),
                               field));
    return user.meta.id;
  }
  if (ref.rfind(account_prefix, 0) == 0) {
    RAMPART_ASSIGN_OR_RETURN(
        ServiceAccount account,
        AsReference(transaction.ServiceAccounts().GetByName(org, org,
                                                            ref.substr(account_prefix.size())),
                    field));
    return account.meta.id;
  }
  return Status::InvalidArgument(field,
                                 "must be a user or service account: an id (usr_..., sa_...), "
                                 "user:EMAIL or service_account:NAME (got \"" +
                                     ref.substr(0, 80) + "\")",
                                 "principal");
}

namespace {

// The stages of the promotion policies made at a workspace (project_id "") or a project.
Result<std::vector<std::string>> PolicyStagesAt(StoreTransaction& t, const RequestContext& c,
                                                const std::string& workspace_id,
                                                const std::string& project_id) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<PromotionPolicy> policies,
                           AllIn<PromotionPolicy>(t, c, c.organization_id));
  std::vector<std::string> stages;
  for (const PromotionPolicy& policy : policies) {
    if (policy.workspace_id == workspace_id && policy.project_id == project_id) stages.push_back(policy.stage);
  }
  return stages;
}

// A project's promotion requests go with it (their models are gone already, and the audit
// trail keeps their history), each deletion audited.
Status DeleteRequestsOf(StoreTransaction& t, const RequestContext& c, const Project& p, TimestampMs now) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<PromotionRequest> requests, AllIn<PromotionRequest>(t, c, p.meta.id));
  for (const PromotionRequest& request : requests) {
    RAMPART_RETURN_IF_ERROR(t.PromotionRequests().Delete(c.organization_id, request.meta.id));
    RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(MakeAuditEvent(c, now, "promotion_request.delete",
                                                              Kind<PromotionRequest>::Target(request),
                                                              ToJson(request), nullptr)));
  }
  return Status::Ok();
}

Result<Workspace> WorkspaceOf(StoreTransaction& transaction, const RequestContext& context,
                              const Project& project) {
  return transaction.Workspaces().GetById(context.organization_id, project.workspace_id);
}

}  // namespace

Status Kind<Workspace>::BeforeDelete(StoreTransaction& t, const RequestContext& c,
                                     const Workspace& w, TimestampMs now) {
  struct Children {
    const char* what;
    Result<std::vector<std::string>> names;
  };
  Children children[] = {{"projects", NamesIn<Project>(t, c, w.meta.id)},
                         {"stacks", NamesIn<Stack>(t, c, w.meta.id)},
                         {"stack components", NamesIn<StackComponent>(t, c, w.meta.id)},
                         {"promotion policies", PolicyStagesAt(t, c, w.meta.id, "")}};
  for (Children& child : children) {
    if (!child.names.ok()) return child.names.status();
    if (child.names->empty()) continue;
    return InUse("workspace \"" + w.meta.name + "\"", std::string("still has ") + child.what,
                 *child.names, "delete them first");
  }
  return DeleteAssignmentsOf(t, c, w.meta.id, now);
}

Status Kind<Project>::BeforeDelete(StoreTransaction& t, const RequestContext& c,
                                   const Project& p, TimestampMs now) {
  const std::string what = "project \"" + p.meta.name + "\"";
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> models, NamesIn<Model>(t, c, p.meta.id));
  if (!models.empty()) return InUse(what, "still has models", models, "delete them first");
  RAMPART_ASSIGN_OR_RETURN(std::vector<std::string> policies, PolicyStagesAt(t, c, p.workspace_id, p.meta.id));
  if (!policies.empty()) {
    return InUse(what, "still has promotion policies for", policies, "delete them first");
  }
  RAMPART_ASSIGN_OR_RETURN(std::vector<ProjectStack> bindings, AllIn<ProjectStack>(t, c, p.meta.id));
  if (bindings.empty()) {
    RAMPART_RETURN_IF_ERROR(DeleteRequestsOf(t, c, p, now));
    return DeleteAssignmentsOf(t, c, p.meta.id, now);
  }
  std::vector<std::string> stacks;
  for (const ProjectStack& binding : bindings) {
    Result<Stack> stack = t.Stacks().GetById(c.organization_id, binding.meta.name);
    stacks.push_back(stack.ok() ? stack->meta.name : binding.meta.name);
  }
  return InUse(what, "is still bound to stacks", stacks,
               "remove those project-stack bindings first");
}

Result<std::string> Kind<User>::NameOf(StoreTransaction&, const RequestContext&,
                                       const Organization&, const std::string& ref) {
  return Lowercase(ref);
}

Status Kind<User>::BeforeDelete(StoreTransaction& t, const RequestContext& c, const User& u,
                                TimestampMs now) {
  RAMPART_RETURN_IF_ERROR(ApiKeyService::RevokeAllOf(t, c, kUserPrincipal, u.meta.id, now));
  RAMPART_RETURN_IF_ERROR(DeleteAssignmentsOf(t, c, u.meta.id, now));
  return RemoveFromTeams(t, c, u.meta.id, now);
}

Status Kind<ServiceAccount>::BeforeDelete(StoreTransaction& t, const RequestContext& c,
                                          const ServiceAccount& a, TimestampMs now) {
  RAMPART_RETURN_IF_ERROR(
      ApiKeyService::RevokeAllOf(t, c, kServiceAccountPrincipal, a.meta.id, now));
  RAMPART_RETURN_IF_ERROR(DeleteAssignmentsOf(t, c, a.meta.id, now));
  return RemoveFromTeams(t, c, a.meta.id, now);
}

Status Kind<Team>::Prepare(StoreTransaction& t, const RequestContext& c, const Organization&,
                           const Team*, Team& team, TimestampMs) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < team.members.size(); ++i) {
    RAMPART_ASSIGN_OR_RETURN(
        std::string id, ResolveTeamMember(t, c, team.members[i], "members[" + std::to_string(i) + "]"));
    ids.push_back(std::move(id));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  team.members = std::move(ids);
  return Status::Ok();
}

Status Kind<Team>::BeforeDelete(StoreTransaction& t, const RequestContext& c, const Team& team,
                                TimestampMs now) {
  return DeleteAssignmentsOf(t, c, team.meta.id, now);
}

Status Kind<StackComponent>::BeforeDelete(StoreTransaction& t, const RequestContext& c,
                                          const StackComponent& component, TimestampMs) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Stack> stacks, AllIn<Stack>(t, c, component.workspace_id));
  std::vector<std::string> users;
  for (const Stack& stack : stacks) {
    for (const auto& [type, id] : stack.components) {
      if (id == component.meta.id) users.push_back(stack.meta.name);
    }
  }
  if (users.empty()) return Status::Ok();
  return InUse("stack component \"" + component.meta.name + "\"", "is used by stacks", users,
               "remove it from those stacks first");
}

Status Kind<Stack>::Prepare(StoreTransaction& t, const RequestContext& c, const Workspace& w,
                            const Stack*, Stack& stack, TimestampMs) {
  for (auto& [type, reference] : stack.components) {
    std::string field = "components." + type;
    RAMPART_ASSIGN_OR_RETURN(StackComponent component,
                             AsReference(ResolveIn<StackComponent>(t, c, w, reference), field));
    if (component.type != type) {
      return Status::InvalidArgument(field,
                                     "stack component \"" + component.meta.name + "\" is of type " +
                                         component.type + ", not " + type,
                                     "wrong_component_type");
    }
    reference = component.meta.id;
  }
  return Status::Ok();
}

Status Kind<Stack>::BeforeDelete(StoreTransaction& t, const RequestContext& c, const Stack& stack,
                                 TimestampMs now) {
  RAMPART_ASSIGN_OR_RETURN(std::vector<Project> projects, AllIn<Project>(t, c, stack.workspace_id));
  std::vector<std::string> bound;
  for (const Project& project : projects) {
    if (t.ProjectStacks().GetByName(c.organization_id, project.meta.id, stack.meta.id).ok()) {
      bound.push_back(project.meta.name);
    }
  }
  if (bound.empty()) return DeleteAssignmentsOf(t, c, stack.meta.id, now);
  return InUse("stack \"" + stack.meta.name + "\"", "is still bound to projects", bound,
               "remove those project-stack bindings first");
}

Result<std::string> Kind<ProjectStack>::NameOf(StoreTransaction& t, const RequestContext& c,
                                               const Project& p, const std::string& ref) {
  RAMPART_ASSIGN_OR_RETURN(Workspace workspace, WorkspaceOf(t, c, p));
  RAMPART_ASSIGN_OR_RETURN(Stack stack, ResolveIn<Stack>(t, c, workspace, ref));
  return stack.meta.id;
}

Status Kind<ProjectStack>::Prepare(StoreTransaction& t, const RequestContext& c, const Project& p,
                                   const ProjectStack* before, ProjectStack& binding, TimestampMs) {
  RAMPART_ASSIGN_OR_RETURN(Workspace workspace, WorkspaceOf(t, c, p));
  RAMPART_ASSIGN_OR_RETURN(
      Stack stack, AsReference(ResolveIn<Stack>(t, c, workspace, binding.meta.name), "stack_id"));
  if (before != nullptr && before->meta.name != stack.meta.id) {
    return Status::InvalidArgument("stack_id",
                                   "cannot change after creation (is " + before->meta.name +
                                       "); bind the other stack with a new binding",
                                   "immutable");
  }
  binding.meta.name = stack.meta.id;
  return Status::Ok();
}

}  // namespace rampart
