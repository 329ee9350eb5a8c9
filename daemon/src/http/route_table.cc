#include "http/route_table.h"

#include "http/json_body.h"
#include "model/tenancy_json.h"

namespace rampart::http {
namespace {

template <typename T>
RouteResponse ObjectResponse(const T& object, int status = 200) {
  return RouteResponse{status, ToJson(object), object.meta.revision};
}

template <typename T>
RouteResponse ListResponse(const std::vector<T>& objects) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& object : objects) items.push_back(ToJson(object));
  return RouteResponse{200, nlohmann::json{{"items", std::move(items)}}, std::nullopt};
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
      if constexpr (std::is_same_v<Value, std::vector<Workspace>> ||
                    std::is_same_v<Value, std::vector<Project>>) {
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

std::vector<Route> BuildRouteTable(TenancyService& tenancy) {
  auto health = [](const RequestContext&, const RouteRequest&) -> Result<RouteResponse> {
    return RouteResponse{200, nlohmann::json{{"status", "ok"}}, std::nullopt};
  };
  TenancyService* t = &tenancy;

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
       Returning([t](const RequestContext& c, const RouteRequest&) {
         return t->ListWorkspaces(c);
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
       Returning([t](const RequestContext& c, const RouteRequest& r) {
         return t->ListProjects(c, Param(r, "workspace"));
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
  };
}

}  // namespace rampart::http
