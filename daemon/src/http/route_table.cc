#include "http/route_table.h"

#include "http/access_routes.h"
#include "http/authz_routes.h"
#include "http/governance_routes.h"
#include "http/route_helpers.h"

#include "audit/audit_json.h"
#include "common/logging.h"
#include "http/json_body.h"
#include "http/openapi_document.h"
#include "http/query_params.h"

namespace rampart::http {
namespace {
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
      // Ready: the database answers and the authorization index keeps up with its change
      // log. A load balancer takes a replica out while it is not.
      {"GET", "/readyz", "", false, false,
       [store = &services.store](const RequestContext&, const RouteRequest&) -> Result<RouteResponse> {
         Status health = store->Health();
         if (!health.ok()) {
           return Status::Error(StatusCode::kUnavailable, "not ready: " + health.message(), "", "not_ready");
         }
         return RouteResponse{200, nlohmann::json{{"status", "ready"}}, std::nullopt};
       }},
      // The public contract, generated from proto/: no token, no tenant data.
      {"GET", "/v1/openapi", "", false, false,
       [](const RequestContext&, const RouteRequest&) -> Result<RouteResponse> {
         RouteResponse response{200, std::nullopt, std::nullopt};
         response.text = std::string(OpenApiDocument());
         response.content_type = "application/json";
         return response;
       }},

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
      // The trail as JSON lines, CSV or OCSF, streamed: as large as the trail, never held.
      {"GET", "/v1/audit-events/export", "audit_log:read", true, false,
       [a](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(AuditExportRequest request, ParseAuditExportRequest(r.query));
         RAMPART_RETURN_IF_ERROR(AuditLogService::ValidateFilter(request.filter));
         RouteResponse response{200, std::nullopt, std::nullopt};
         response.content_type = ContentType(request.format);
         response.stream = [a, c, request](const RouteResponse::Writer& write) {
           if (!write(ExportPreamble(request.format))) return false;
           bool written = true;
           Status read = a->ForEachEvent(c, request.filter, [&](const AuditEvent& event) {
             written = write(ExportRecord(request.format, event));
             return written;
           });
           if (!read.ok()) NamedLogger("http")->error("audit export {} cut short: {}", c.request_id, read.message());
           return written && read.ok();
         };
         return response;
       }},
      // The hash chain of the organization's trail: OK with the count and head hash, or
      // the first broken event.
      {"GET", "/v1/audit-events/verify", "audit_log:read", true, false,
       [a](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_RETURN_IF_ERROR(ExpectNoParameters(r.query));
         RAMPART_ASSIGN_OR_RETURN(ChainReport report, a->VerifyChain(c));
         return RouteResponse{200, ToJson(report), std::nullopt};
       }},
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
  AddAuthzRoutes(routes, services);
  AddAccessRoutes(routes, services);
  AddGovernanceRoutes(routes, services);
  AddKeyRoutes(routes, keys, "/v1/service_accounts/{service_account}", kServiceAccountPrincipal,
               "service_account");
  return routes;
}

}  // namespace rampart::http
