#include "http/route_table.h"

#include "audit/audit_json.h"
#include "http/json_body.h"
#include "http/query_params.h"

namespace rampart::http {
namespace {

template <typename T>
RouteResponse ObjectResponse(const T& object, int status = 200) {
  return RouteResponse{status, ToJson(object), object.meta.revision};
}

// {"items": [...], "next_page_token": "..."}; the token only when another page follows.
template <typename T>
RouteResponse ListResponse(const Page<T>& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& object : page.items) items.push_back(ToJson(object));
  nlohmann::json body = {{"items", std::move(items)}};
  if (!page.next_page_token.empty()) body["next_page_token"] = page.next_page_token;
  return RouteResponse{200, std::move(body), std::nullopt};
}

RouteResponse NoContent() { return RouteResponse{204, std::nullopt, std::nullopt}; }

template <typename T>
struct IsPage : std::false_type {};
template <typename T>
struct IsPage<Page<T>> : std::true_type {};

// Adapts a use case returning Result<T> (or Status) to a RouteHandler.
template <typename Call>
RouteHandler Returning(Call call, int success_status = 200) {
  return [call, success_status](const RequestContext& context,
                                const RouteRequest& request) -> Result<RouteResponse> {
    auto result = call(context, request);
    if constexpr (std::is_same_v<decltype(result), Status>) {
      if (!result.ok()) return result;
      return NoContent();
    } else {
      if (!result.ok()) return result.status();
      if constexpr (IsPage<std::decay_t<decltype(result.value())>>::value) {
        return ListResponse(result.value());
      } else {
        return ObjectResponse(result.value(), success_status);
      }
    }
  };
}

const std::string& Param(const RouteRequest& request, const char* name) {
  return request.path_params.at(name);
}

// The values of `names`' path parameters, in order: the path of an object or its parent.
ObjectPath PathOf(const RouteRequest& request, const std::vector<std::string>& names) {
  ObjectPath path;
  for (const std::string& name : names) path.push_back(request.path_params.at(name));
  return path;
}

// A collection of one kind: list and create at `collection`, get, update and delete at
// `collection/{param}`. `parents` names the path parameters before `param`, outermost
// first; `resource` is the permission's resource type ("project" -> "project:read"), and
// `write_permission`, when set, guards create, update and delete instead.
struct Collection {
  std::string collection;
  std::vector<std::string> parents;
  std::string param;
  std::string resource;
  std::string write_permission;
};

template <typename T>
void AddCollectionRoutes(std::vector<Route>& routes, ObjectService<T>* service,
                         const Collection& c) {
  std::vector<std::string> parents = c.parents;
  std::vector<std::string> object = c.parents;
  object.push_back(c.param);
  const std::string item = c.collection + "/{" + c.param + "}";
  auto write = [&c](const char* verb) {
    return c.write_permission.empty() ? c.resource + ":" + verb : c.write_permission;
  };
  routes.push_back(
      {"GET", c.collection, c.resource + ":read", true, false,
       Returning([service, parents](const RequestContext& ctx, const RouteRequest& r) -> Result<Page<T>> {
         RAMPART_ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(r.query));
         return service->List(ctx, PathOf(r, parents), list);
       })});
  routes.push_back(
      {"POST", c.collection, write("create"), true, true,
       Returning([service, parents](const RequestContext& ctx, const RouteRequest& r) -> Result<T> {
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body));
         return service->Create(ctx, PathOf(r, parents), body);
       }, 201)});
  routes.push_back(
      {"GET", item, c.resource + ":read", true, false,
       Returning([service, object](const RequestContext& ctx, const RouteRequest& r) {
         return service->Get(ctx, PathOf(r, object));
       })});
  routes.push_back(
      {"PATCH", item, write("update"), true, true,
       Returning([service, object](const RequestContext& ctx, const RouteRequest& r) -> Result<T> {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json patch, ParseJsonObject(r.body));
         return service->Update(ctx, PathOf(r, object), patch, if_match);
       })});
  routes.push_back(
      {"DELETE", item, write("delete"), true, true,
       Returning([service, object](const RequestContext& ctx, const RouteRequest& r) -> Status {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         return service->Delete(ctx, PathOf(r, object), if_match);
       })});
}

// GET `collection/{param}` for an id alone, whatever the object's parent.
template <typename T>
void AddGetByIdRoute(std::vector<Route>& routes, ObjectService<T>* service,
                     const std::string& collection, const std::string& param,
                     const std::string& resource) {
  routes.push_back({"GET", collection + "/{" + param + "}", resource + ":read", true, false,
                    Returning([service, param](const RequestContext& c, const RouteRequest& r) {
                      return service->GetById(c, r.path_params.at(param));
                    })});
}

// POST and GET `principal/keys`: the API keys of a user or service account.
void AddKeyRoutes(std::vector<Route>& routes, ApiKeyService* keys, const std::string& principal,
                  const char* principal_type, const std::string& param) {
  routes.push_back(
      {"POST", principal + "/keys", "api_key:create", true, true,
       [keys, principal_type, param](const RequestContext& c,
                                     const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseObjectBody(r.body, ApiKeySpecFields()));
         RAMPART_ASSIGN_OR_RETURN(ApiKeySpec spec, ReadApiKeySpec(body));
         RAMPART_ASSIGN_OR_RETURN(CreatedApiKey created,
                                  keys->Create(c, principal_type, r.path_params.at(param), spec));
         nlohmann::json answer = ApiKeyToJson(created.key);
         answer["token"] = created.token;  // the only time the secret leaves the daemon
         return RouteResponse{201, std::move(answer), std::nullopt};
       }});
  routes.push_back(
      {"GET", principal + "/keys", "api_key:read", true, false,
       [keys, principal_type, param](const RequestContext& c,
                                     const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_RETURN_IF_ERROR(ExpectNoParameters(r.query));
         RAMPART_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> list,
                                  keys->List(c, principal_type, r.path_params.at(param)));
         nlohmann::json items = nlohmann::json::array();
         for (const ApiKeyRecord& key : list) items.push_back(ApiKeyToJson(key));
         return RouteResponse{200, nlohmann::json{{"items", std::move(items)}}, std::nullopt};
       }});
}

}  // namespace

std::vector<Route> BuildRouteTable(Services& services) {
  auto health = [](const RequestContext&, const RouteRequest&) -> Result<RouteResponse> {
    return RouteResponse{200, nlohmann::json{{"status", "ok"}}, std::nullopt};
  };
  TenancyService* t = &services.tenancy;
  TeamMembers* members = &services.team_members;
  ObjectService<Team>* teams = &services.teams;
  ApiKeyService* keys = &services.api_keys;
  AuditLogService* a = &services.audit_log;

  std::vector<Route> routes = {
      {"GET", "/healthz", "", false, false, health},
      {"GET", "/readyz", "", false, false, health},

      {"POST", "/v1/organizations", "organization:create", true, true,
       [t](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body));
         RAMPART_ASSIGN_OR_RETURN(CreatedOrganization created, t->CreateOrganization(c, body));
         return RouteResponse{201,
                              nlohmann::json{{"organization_id", created.organization.meta.id},
                                             {"token", created.token}},
                              std::nullopt};
       }},
      {"GET", "/v1/organization", "organization:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest&) {
         return t->GetOrganization(c);
       })},
      {"PATCH", "/v1/organization", "organization:update", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Organization> {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json patch, ParseJsonObject(r.body));
         return t->UpdateOrganization(c, patch, if_match);
       })},
      {"DELETE", "/v1/organization", "organization:delete", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Status {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         return t->DeleteOrganization(c, if_match);
       })},

      {"GET", "/v1/teams/{team}/members", "team:read", true, false,
       [teams](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_RETURN_IF_ERROR(ExpectNoParameters(r.query));
         RAMPART_ASSIGN_OR_RETURN(Team team, teams->Get(c, {Param(r, "team")}));
         return RouteResponse{200, nlohmann::json{{"members", team.members}}, team.meta.revision};
       }},
      {"PUT", "/v1/teams/{team}/members", "team:update", true, true,
       Returning([teams](const RequestContext& c, const RouteRequest& r) -> Result<Team> {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseObjectBody(r.body, {"members"}));
         // Authoritative: the list replaces the members; absent means none.
         if (!body.contains("members")) body["members"] = nlohmann::json::array();
         return teams->Update(c, {Param(r, "team")}, body, if_match);
       })},
      {"PUT", "/v1/teams/{team}/members/{member}", "team:update", true, true,
       Returning([members](const RequestContext& c, const RouteRequest& r) {
         return members->Add(c, Param(r, "team"), Param(r, "member"));
       })},
      {"DELETE", "/v1/teams/{team}/members/{member}", "team:update", true, true,
       Returning([members](const RequestContext& c, const RouteRequest& r) {
         return members->Remove(c, Param(r, "team"), Param(r, "member"));
       })},

      {"GET", "/v1/api_keys/{api_key}", "api_key:read", true, false,
       [keys](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(ApiKeyRecord key, keys->Get(c, Param(r, "api_key")));
         return RouteResponse{200, ApiKeyToJson(key), std::nullopt};
       }},
      {"DELETE", "/v1/api_keys/{api_key}", "api_key:delete", true, true,
       [keys](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_RETURN_IF_ERROR(keys->Revoke(c, Param(r, "api_key")).status());
         return NoContent();
       }},

      {"GET", "/v1/audit-events", "audit_log:read", true, false,
       Returning([a](const RequestContext& c, const RouteRequest& r) -> Result<Page<AuditEvent>> {
         RAMPART_ASSIGN_OR_RETURN(AuditEventsRequest request, ParseAuditEventsRequest(r.query));
         return a->ListEvents(c, request);
       })},
  };

  AddCollectionRoutes(routes, &services.workspaces,
                      {"/v1/workspaces", {}, "workspace", "workspace"});
  AddCollectionRoutes(routes, &services.projects,
                      {"/v1/workspaces/{workspace}/projects", {"workspace"}, "project", "project"});
  AddCollectionRoutes(routes, &services.stacks,
                      {"/v1/workspaces/{workspace}/stacks", {"workspace"}, "stack", "stack"});
  AddCollectionRoutes(routes, &services.stack_components,
                      {"/v1/workspaces/{workspace}/components", {"workspace"}, "component",
                       "stack_component"});
  // Binding a stack is part of configuring the project.
  AddCollectionRoutes(routes, &services.project_stacks,
                      {"/v1/workspaces/{workspace}/projects/{project}/stacks",
                       {"workspace", "project"}, "stack", "project", "project:update"});
  AddCollectionRoutes(routes, &services.users, {"/v1/users", {}, "user", "user"});
  AddCollectionRoutes(routes, &services.service_accounts,
                      {"/v1/service_accounts", {}, "service_account", "service_account"});
  AddCollectionRoutes(routes, &services.teams, {"/v1/teams", {}, "team", "team"});
  // Objects nested in a workspace, by id alone (for imports and references by id).
  AddGetByIdRoute(routes, &services.projects, "/v1/projects", "project", "project");
  AddGetByIdRoute(routes, &services.stacks, "/v1/stacks", "stack", "stack");
  AddGetByIdRoute(routes, &services.stack_components, "/v1/components", "component",
                  "stack_component");
  AddGetByIdRoute(routes, &services.project_stacks, "/v1/project_stacks", "project_stack",
                  "project");
  AddKeyRoutes(routes, keys, "/v1/users/{user}", kUserPrincipal, "user");
  AddKeyRoutes(routes, keys, "/v1/service_accounts/{service_account}", kServiceAccountPrincipal,
               "service_account");
  return routes;
}

}  // namespace rampart::http
