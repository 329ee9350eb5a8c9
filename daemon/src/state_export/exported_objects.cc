#include "state_export/exported_objects.h"

#include <functional>

#include "model/list_query.h"
#include "model/principals_json.h"
#include "model/governance_json.h"
#include "model/roles_json.h"
#include "model/stacks_json.h"
#include "model/tenancy_json.h"
#include "state_export/hcl.h"

namespace rampart::state_export {
namespace {

const std::vector<std::string> kNamedArguments = {"name", "display_name", "description", "labels"};

// Every row of `table` under `parent_id`, a page at a time.
template <typename T>
Result<std::vector<T>> ListAll(ObjectTable<T>& table, const std::string& organization_id,
                               const std::string& parent_id) {
  std::vector<T> all;
  ListQuery query;
  query.limit = kMaxPageSize;
  while (true) {
    RAMPART_ASSIGN_OR_RETURN(std::vector<T> page, table.List(organization_id, parent_id, query));
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < query.limit) return all;
    query.after_name = page.back().meta.name;
    query.after_id = page.back().meta.id;
  }
}

// Builds the export, giving each object a label unique within its type.
class Collector {
 public:
  explicit Collector(StateExport& out) : out_(out) {}

  // Adds an object whose arguments are `names` taken from the daemon's JSON form `json`.
  ExportedObject& Add(const std::string& type, const std::string& label_text,
                      const std::string& path, const nlohmann::json& json,
                      const std::vector<std::string>& names) {
    ExportedObject object;
    object.type = type;
    object.label = UniqueLabel(type, HclLabel(label_text));
    object.id = json.value("id", "");
    object.import_id = object.id;
    object.path = path;
    for (const std::string& name : names) object.arguments.emplace_back(name, json.value(name, nlohmann::json()));
    out_.objects.push_back(std::move(object));
    return out_.objects.back();
  }

 private:
  std::string UniqueLabel(const std::string& type, const std::string& wanted) {
    std::set<std::string>& used = labels_[type];
    std::string label = wanted;
    for (int n = 2; used.count(label) > 0; ++n) label = wanted + "_" + std::to_string(n);
    used.insert(label);
    return label;
  }

  StateExport& out_;
  std::map<std::string, std::set<std::string>> labels_;
};

std::vector<std::string> With(std::vector<std::string> names, const std::vector<std::string>& more) {
  names.insert(names.end(), more.begin(), more.end());
  return names;
}

}  // namespace

bool IsUnset(const nlohmann::json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().empty();
  return value.is_null() || ((value.is_array() || value.is_object()) && value.empty());
}

Result<StateExport> CollectObjects(StoreTransaction& t, const std::string& organization_name,
                                   const std::string& workspace_name, TimestampMs now) {
  StateExport out;
  RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations, t.ListOrganizations());
  const Organization* organization = nullptr;
  for (const Organization& candidate : organizations) {
    if (candidate.meta.name == organization_name || candidate.meta.id == organization_name) {
      organization = &candidate;
    }
  }
  if (organization == nullptr) return Status::NotFound("no organization \"" + organization_name + "\"");
  const std::string& org = organization->meta.id;
  out.organization_id = org;
  out.organization_name = organization->meta.name;

  RAMPART_ASSIGN_OR_RETURN(std::vector<Workspace> workspaces, ListAll(t.Workspaces(), org, org));
  if (!workspace_name.empty()) {
    std::erase_if(workspaces, [&](const Workspace& w) {
      return w.meta.name != workspace_name && w.meta.id != workspace_name;
    });
    if (workspaces.empty()) return Status::NotFound("no workspace \"" + workspace_name + "\" in " + organization_name);
    out.workspace = workspaces.front().meta.name;
  }
  const bool whole_organization = workspace_name.empty();
  Collector collector(out);

  // Names by id, for paths; `qualified` adds the workspace to what lives in one, for labels
  // (two workspaces may both have a project "training").
  std::map<std::string, std::string> names = {{org, "organization"}};
  std::map<std::string, std::string> qualified = {{org, "organization"}};
  std::set<std::string> exported_scopes;  // ids of the scopes whose assignments are exported
  if (whole_organization) {
    exported_scopes.insert(org);
    ExportedObject& settings = collector.Add("rampart_organization_settings", "this", "organization",
                                             ToJson(*organization),
                                             {"display_name", "description", "labels", "audit_retention_days"});
    settings.import_id = "organization";
  }

  std::vector<Project> projects;
  std::vector<StackComponent> components;
  std::vector<Stack> stacks;
  std::vector<ProjectStack> bindings;
  for (const Workspace& w : workspaces) {
    names[w.meta.id] = qualified[w.meta.id] = w.meta.name;
    exported_scopes.insert(w.meta.id);
    collector.Add("rampart_workspace", w.meta.name, "workspaces/" + w.meta.name, ToJson(w), kNamedArguments);
    RAMPART_ASSIGN_OR_RETURN(std::vector<Project> in_workspace, ListAll(t.Projects(), org, w.meta.id));
    for (Project& p : in_workspace) {
      names[p.meta.id] = p.meta.name;
      qualified[p.meta.id] = w.meta.name + "_" + p.meta.name;
      exported_scopes.insert(p.meta.id);
      RAMPART_ASSIGN_OR_RETURN(std::vector<ProjectStack> bound, ListAll(t.ProjectStacks(), org, p.meta.id));
      bindings.insert(bindings.end(), bound.begin(), bound.end());
      projects.push_back(std::move(p));
    }
    RAMPART_ASSIGN_OR_RETURN(std::vector<StackComponent> made, ListAll(t.StackComponents(), org, w.meta.id));
    components.insert(components.end(), made.begin(), made.end());
    RAMPART_ASSIGN_OR_RETURN(std::vector<Stack> built, ListAll(t.Stacks(), org, w.meta.id));
    for (const Stack& s : built) {
      names[s.meta.id] = s.meta.name;
      qualified[s.meta.id] = w.meta.name + "_" + s.meta.name;
      exported_scopes.insert(s.meta.id);
    }
    stacks.insert(stacks.end(), built.begin(), built.end());
  }
  for (const Project& p : projects) {
    const std::string& workspace = names[p.workspace_id];
    collector.Add("rampart_project", qualified[p.meta.id], "workspaces/" + workspace + "/projects/" + p.meta.name,
                  ToJson(p), With({"workspace_id"}, kNamedArguments))
        .references = {"workspace_id"};
  }

  // Principals and custom roles belong to the organization: exported with it, and named in
  // labels either way.
  RAMPART_ASSIGN_OR_RETURN(std::vector<User> users, ListAll(t.Users(), org, org));
  RAMPART_ASSIGN_OR_RETURN(std::vector<ServiceAccount> accounts, ListAll(t.ServiceAccounts(), org, org));
  RAMPART_ASSIGN_OR_RETURN(std::vector<Team> teams, ListAll(t.Teams(), org, org));
  RAMPART_ASSIGN_OR_RETURN(std::vector<Role> roles, ListAll(t.Roles(), org, org));
  for (const User& u : users) qualified[u.meta.id] = u.meta.name;
  for (const ServiceAccount& a : accounts) qualified[a.meta.id] = a.meta.name;
  for (const Team& team : teams) qualified[team.meta.id] = team.meta.name;
  for (const Role& r : roles) {
    out.role_names[r.meta.id] = r.meta.name;
  }
  if (whole_organization) {
    for (const User& u : users) {
      collector.Add("rampart_user", u.meta.name, "users/" + u.meta.name, ToJson(u),
                    {"email", "display_name", "description", "labels", "active"});
    }
    for (const ServiceAccount& a : accounts) {
      collector.Add("rampart_service_account", a.meta.name, "service_accounts/" + a.meta.name, ToJson(a),
                    kNamedArguments);
      RAMPART_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> keys,
                               t.ListApiKeys(org, "service_account", a.meta.id));
      for (const ApiKeyRecord& key : keys) {
        if (key.revoked_at || (key.expires_at && *key.expires_at <= now)) continue;
        out.omitted.push_back("key " + key.id + " of service account " + a.meta.name +
                              ": a key's secret is shown once, so Terraform cannot adopt it "
                              "(rampart_service_account_key makes new keys)");
      }
    }
    for (const Team& team : teams) {
      ExportedObject& object = collector.Add("rampart_team", team.meta.name, "teams/" + team.meta.name,
                                             ToJson(team), With(kNamedArguments, {"members", "idp_groups"}));
      object.references = {"members"};
      object.sets = {"members", "idp_groups"};
    }
    for (const Role& r : roles) {
      ExportedObject& object =
          collector.Add("rampart_role", r.meta.name, "roles/" + r.meta.name, ToJson(r),
                        With(kNamedArguments, {"permissions", "inherits", "assignable_at"}));
      object.references = {"inherits"};
      object.sets = {"permissions", "inherits", "assignable_at"};
    }
  }

  for (const StackComponent& c : components) {
    ExportedObject& object = collector.Add(
        "rampart_stack_component", names[c.workspace_id] + "_" + c.meta.name,
        "workspaces/" + names[c.workspace_id] + "/components/" + c.meta.name, ToJson(c),
        With({"workspace_id", "type"}, With(kNamedArguments, {"flavor", "configuration"})));
    object.references = {"workspace_id"};
    object.json_documents = {"configuration"};
  }
  for (const Stack& s : stacks) {
    collector.Add("rampart_stack", qualified[s.meta.id], "workspaces/" + names[s.workspace_id] + "/stacks/" + s.meta.name,
                  ToJson(s), With({"workspace_id"}, With(kNamedArguments, {"components"})))
        .references = {"workspace_id", "components"};
  }
  for (const ProjectStack& b : bindings) {
    const std::string& stack_id = b.meta.name;
    collector.Add("rampart_project_stack", qualified[b.project_id] + "_" + names[stack_id],
                  "workspaces/" + names[b.workspace_id] + "/projects/" + names[b.project_id] + "/stacks/" +
                      names[stack_id],
                  ToJson(b),
                  {"project_id", "stack_id", "display_name", "description", "labels", "quota", "execution_labels"})
        .references = {"project_id", "stack_id"};
  }

  // Promotion policies of the exported workspaces and projects, by their stage path.
  // (Stored keyed by ids, they are written in path order, so exports are stable.)
  RAMPART_ASSIGN_OR_RETURN(std::vector<PromotionPolicy> policies, ListAll(t.PromotionPolicies(), org, org));
  std::map<std::string, const PromotionPolicy*> policies_by_path;
  for (const PromotionPolicy& p : policies) {
    const std::string& scope = p.project_id.empty() ? p.workspace_id : p.project_id;
    if (exported_scopes.count(scope) == 0) continue;
    std::string path = "workspaces/" + names[p.workspace_id];
    if (!p.project_id.empty()) path += "/projects/" + names[p.project_id];
    policies_by_path[path + "/promotion_policies/" + p.stage] = &p;
  }
  for (const auto& [path, policy] : policies_by_path) {
    const PromotionPolicy& p = *policy;
    const std::string& scope = p.project_id.empty() ? p.workspace_id : p.project_id;
    ExportedObject& object = collector.Add(
        "rampart_promotion_policy", qualified[scope] + "_" + p.stage, path, ToJson(p),
        p.approval_required
            ? std::vector<std::string>{p.project_id.empty() ? "workspace_id" : "project_id", "stage",
                                       "allowed_roles", "approval_required", "min_approvers", "approver_roles",
                                       "approval_types", "four_eyes", "blocked_windows", "required_tags",
                                       "min_description_length", "description", "labels"}
            // The approval rules mean nothing without approval, and the provider refuses them.
            : std::vector<std::string>{p.project_id.empty() ? "workspace_id" : "project_id", "stage",
                                       "allowed_roles", "approval_required", "four_eyes", "blocked_windows",
                                       "required_tags", "min_description_length", "description", "labels"});
    object.references = {"workspace_id", "project_id"};
    object.sets = {"allowed_roles", "approver_roles", "approval_types", "required_tags"};
  }

  RAMPART_ASSIGN_OR_RETURN(std::vector<RoleAssignment> assignments, ListAll(t.RoleAssignments(), org, org));
  for (const RoleAssignment& a : assignments) {
    if (exported_scopes.count(a.scope_id) == 0) continue;  // outside the exported workspace
    const std::string role = out.role_names.count(a.role) ? out.role_names[a.role] : a.role;
    if (a.principal_type == kPrincipalApiKey) {
      out.omitted.push_back("role assignment " + a.meta.id + " (" + role + " to API key " + a.principal_id +
                            "): an organization's first admin key is not a Terraform resource");
      continue;
    }
    if (a.expires_at && *a.expires_at <= now) {
      out.omitted.push_back("role assignment " + a.meta.id + " (" + role + " to " + qualified[a.principal_id] +
                            "): expired at " + FormatTimestamp(*a.expires_at));
      continue;
    }
    nlohmann::json json = ToJson(a);
    std::vector<std::string> arguments = {"role"};
    for (const char* field : {"user_id", "team_id", "service_account_id", "workspace_id", "project_id", "stack_id"}) {
      if (json.contains(field)) arguments.push_back(field);
    }
    arguments.insert(arguments.end(), {"expires_at", "reason"});
    ExportedObject& object = collector.Add("rampart_role_assignment",
                                           qualified[a.principal_id] + "_" + role + "_" + qualified[a.scope_id],
                                           "role_assignments/" + a.meta.id, json, arguments);
    object.references = {"role", "user_id", "team_id", "service_account_id", "workspace_id", "project_id", "stack_id"};
  }
  return out;
}

}  // namespace rampart::state_export
