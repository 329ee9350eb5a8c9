#include "http/route_table.h"

#include "audit/audit_json.h"
#include "http/json_body.h"
#include "http/query_params.h"
#include "model/tenancy_json.h"

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

Result<ObjectSpec> SpecFromBody(const RouteRequest& request,
                                const std::set<std::string>& allowed_fields) {
  RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseObjectBody(request.body, allowed_fields));
  return ReadObjectSpec(body);
}

Result<ObjectPatch> PatchFromBody(const RouteRequest& request) {
  RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseObjectBody(request.body, ObjectSpecFields()));
  return ReadObjectPatch(body);
}

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
      using Value = std::decay_t<decltype(result.value())>;
      if constexpr (std::is_same_v<Value, Page<Workspace>> ||
                    std::is_same_v<Value, Page<Project>> ||
                    std::is_same_v<Value, Page<ServiceAccount>> ||
                    std::is_same_v<Value, Page<AuditEvent>>) {
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

}  // namespace

std::vector<Route> BuildRouteTable(const Services& services) {
  auto health = [](const RequestContext&, const RouteRequest&) -> Result<RouteResponse> {
    return RouteResponse{200, nlohmann::json{{"status", "ok"}}, std::nullopt};
  };
  TenancyService* t = &services.tenancy;
  ServiceAccountService* sa = &services.service_accounts;
  ApiKeyService* keys = &services.api_keys;
  AuditLogService* a = &services.audit_log;

  return {
      {"GET", "/healthz", "", false, false, health},
      {"GET", "/readyz", "", false, false, health},

      {"POST", "/v1/organizations", "organization:create", true, true,
       [t](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(ObjectSpec spec, SpecFromBody(r, OrganizationSpecFields()));
         RAMPART_ASSIGN_OR_RETURN(CreatedOrganization created, t->CreateOrganization(c, spec));
         return RouteResponse{201,
                              nlohmann::json{{"organization_id", created.organization.meta.id},
                                             {"token", created.token}},
                              std::nullopt};
       }},
      {"GET", "/v1/organization", "organization:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest&) {
         return t->GetOrganization(c);
       })},

      {"GET", "/v1/workspaces", "workspace:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Page<Workspace>> {
         RAMPART_ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(r.query));
         return t->ListWorkspaces(c, list);
       })},
      {"POST", "/v1/workspaces", "workspace:create", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Workspace> {
         RAMPART_ASSIGN_OR_RETURN(ObjectSpec spec, SpecFromBody(r, ObjectSpecFields()));
         return t->CreateWorkspace(c, spec);
       }, 201)},
      {"GET", "/v1/workspaces/{workspace}", "workspace:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest& r) {
         return t->GetWorkspace(c, Param(r, "workspace"));
       })},
      {"PATCH", "/v1/workspaces/{workspace}", "workspace:update", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Workspace> {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         RAMPART_ASSIGN_OR_RETURN(ObjectPatch patch, PatchFromBody(r));
         return t->UpdateWorkspace(c, Param(r, "workspace"), patch, if_match);
       })},
      {"DELETE", "/v1/workspaces/{workspace}", "workspace:delete", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Status {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         return t->DeleteWorkspace(c, Param(r, "workspace"), if_match);
       })},

      {"GET", "/v1/workspaces/{workspace}/projects", "project:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Page<Project>> {
         RAMPART_ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(r.query));
         return t->ListProjects(c, Param(r, "workspace"), list);
       })},
      {"POST", "/v1/workspaces/{workspace}/projects", "project:create", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Project> {
         RAMPART_ASSIGN_OR_RETURN(ObjectSpec spec, SpecFromBody(r, ObjectSpecFields()));
         return t->CreateProject(c, Param(r, "workspace"), spec);
       }, 201)},
      {"GET", "/v1/workspaces/{workspace}/projects/{project}", "project:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest& r) {
         return t->GetProject(c, Param(r, "workspace"), Param(r, "project"));
       })},
      {"PATCH", "/v1/workspaces/{workspace}/projects/{project}", "project:update", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Result<Project> {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         RAMPART_ASSIGN_OR_RETURN(ObjectPatch patch, PatchFromBody(r));
         return t->UpdateProject(c, Param(r, "workspace"), Param(r, "project"), patch, if_match);
       })},
      {"DELETE", "/v1/workspaces/{workspace}/projects/{project}", "project:delete", true, true,
       Returning([t](const RequestContext& c, const RouteRequest& r) -> Status {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         return t->DeleteProject(c, Param(r, "workspace"), Param(r, "project"), if_match);
       })},
      {"GET", "/v1/projects/{project}", "project:read", true, false,
       Returning([t](const RequestContext& c, const RouteRequest& r) {
         return t->GetProjectById(c, Param(r, "project"));
       })},

      {"GET", "/v1/service_accounts", "service_account:read", true, false,
       Returning([sa](const RequestContext& c, const RouteRequest& r) -> Result<Page<ServiceAccount>> {
         RAMPART_ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(r.query));
         return sa->List(c, list);
       })},
      {"POST", "/v1/service_accounts", "service_account:create", true, true,
       Returning([sa](const RequestContext& c, const RouteRequest& r) -> Result<ServiceAccount> {
         RAMPART_ASSIGN_OR_RETURN(ObjectSpec spec, SpecFromBody(r, ObjectSpecFields()));
         return sa->Create(c, spec);
       }, 201)},
      {"GET", "/v1/service_accounts/{service_account}", "service_account:read", true, false,
       Returning([sa](const RequestContext& c, const RouteRequest& r) {
         return sa->Get(c, Param(r, "service_account"));
       })},
      {"PATCH", "/v1/service_accounts/{service_account}", "service_account:update", true, true,
       Returning([sa](const RequestContext& c, const RouteRequest& r) -> Result<ServiceAccount> {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         RAMPART_ASSIGN_OR_RETURN(ObjectPatch patch, PatchFromBody(r));
         return sa->Update(c, Param(r, "service_account"), patch, if_match);
       })},
      {"DELETE", "/v1/service_accounts/{service_account}", "service_account:delete", true, true,
       Returning([sa](const RequestContext& c, const RouteRequest& r) -> Status {
         RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
         return sa->Delete(c, Param(r, "service_account"), if_match);
       })},

      {"POST", "/v1/service_accounts/{service_account}/keys", "api_key:create", true, true,
       [keys](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseObjectBody(r.body, ApiKeySpecFields()));
         RAMPART_ASSIGN_OR_RETURN(ApiKeySpec spec, ReadApiKeySpec(body));
         RAMPART_ASSIGN_OR_RETURN(CreatedApiKey created,
                                  keys->CreateForServiceAccount(c, Param(r, "service_account"), spec));
         nlohmann::json answer = ApiKeyToJson(created.key);
         answer["token"] = created.token;  // the only time the secret leaves the daemon
         return RouteResponse{201, std::move(answer), std::nullopt};
       }},
      {"GET", "/v1/service_accounts/{service_account}/keys", "api_key:read", true, false,
       [keys](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_RETURN_IF_ERROR(ExpectNoParameters(r.query));
         RAMPART_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> list,
                                  keys->ListForServiceAccount(c, Param(r, "service_account")));
         nlohmann::json items = nlohmann::json::array();
         for (const ApiKeyRecord& key : list) items.push_back(ApiKeyToJson(key));
         return RouteResponse{200, nlohmann::json{{"items", std::move(items)}}, std::nullopt};
       }},
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
}

}  // namespace rampart::http
