#include "http/authz_routes.h"

#include "authz/builtin_roles.h"
#include "authz/permissions.h"
#include "http/route_helpers.h"

namespace rampart::http {
namespace {

nlohmann::json BuiltinRoleJson(const authz::BuiltinRole& role) {
  nlohmann::json levels = nlohmann::json::array();
  for (authz::ScopeLevel level : role.assignable_at) levels.push_back(authz::ScopeLevelName(level));
  return {{"name", role.name},
          {"description", role.description},
          {"permissions", role.patterns},
          {"assignable_at", levels},
          {"builtin", true}};
}

Status BuiltinIsReadOnly(const std::string& name) {
  return Status::Error(StatusCode::kConflict,
                       "role \"" + name + "\" is built in and read-only; create a custom role instead",
                       "", "builtin_role");
}

}  // namespace

void AddAuthzRoutes(std::vector<Route>& routes, Services& services) {
  ObjectService<Role>* roles = &services.roles;

  routes.push_back({"GET", "/v1/permissions", "role:read", true, false,
                    [](const RequestContext&, const RouteRequest& r) -> Result<RouteResponse> {
                      RAMPART_RETURN_IF_ERROR(ExpectNoParameters(r.query));
                      nlohmann::json items = nlohmann::json::array();
                      for (const authz::PermissionInfo& permission : authz::Vocabulary()) {
                        items.push_back({{"name", permission.name},
                                         {"description", permission.description}});
                      }
                      return RouteResponse{200, nlohmann::json{{"items", items}}, std::nullopt};
                    }});

  // Built-in roles lead the first page of the list, then the organization's own roles.
  routes.push_back(
      {"GET", "/v1/roles", "role:read", true, false,
       [roles](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(r.query));
         RAMPART_ASSIGN_OR_RETURN(Page<Role> page, roles->List(c, {}, list));
         RouteResponse response = ListResponse(page);
         bool first_plain_page = list.page_token.empty() && list.ids.empty() && list.labels.empty();
         if (first_plain_page) {
           nlohmann::json items = nlohmann::json::array();
           for (const authz::BuiltinRole& role : authz::BuiltinRoles()) {
             if (role.name.rfind(list.name_prefix, 0) == 0) items.push_back(BuiltinRoleJson(role));
           }
           for (const nlohmann::json& custom : (*response.body)["items"]) items.push_back(custom);
           (*response.body)["items"] = std::move(items);
         }
         return response;
       }});
  routes.push_back({"POST", "/v1/roles", "role:create", true, true,
                    Returning([roles](const RequestContext& c, const RouteRequest& r) -> Result<Role> {
                      RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body));
                      return roles->Create(c, {}, body);
                    }, 201)});
  routes.push_back(
      {"GET", "/v1/roles/{role}", "role:read", true, false,
       [roles](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         if (const authz::BuiltinRole* builtin = authz::FindBuiltinRole(Param(r, "role"))) {
           return RouteResponse{200, BuiltinRoleJson(*builtin), std::nullopt};
         }
         RAMPART_ASSIGN_OR_RETURN(Role role, roles->Get(c, {Param(r, "role")}));
         return ObjectResponse(role);
       }});
  routes.push_back({"PATCH", "/v1/roles/{role}", "role:update", true, true,
                    Returning([roles](const RequestContext& c, const RouteRequest& r) -> Result<Role> {
                      if (authz::FindBuiltinRole(Param(r, "role"))) return BuiltinIsReadOnly(Param(r, "role"));
                      RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
                      RAMPART_ASSIGN_OR_RETURN(nlohmann::json patch, ParseJsonObject(r.body));
                      return roles->Update(c, {Param(r, "role")}, patch, if_match);
                    })});
  routes.push_back({"DELETE", "/v1/roles/{role}", "role:delete", true, true,
                    Returning([roles](const RequestContext& c, const RouteRequest& r) -> Status {
                      if (authz::FindBuiltinRole(Param(r, "role"))) return BuiltinIsReadOnly(Param(r, "role"));
                      RAMPART_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(r.if_match));
                      return roles->Delete(c, {Param(r, "role")}, if_match);
                    })});

  AddCollectionRoutes(routes, &services.role_assignments,
                      {"/v1/role_assignments", {}, "role_assignment", "role_assignment"});
  // An assignment's scope is in its body (or stored row): the service's guard authorizes
  // making, changing and deleting it, escalation included.
  for (Route& route : routes) {
    if (route.pattern.rfind("/v1/role_assignments", 0) == 0 && route.mutates) {
      route.authorized_by_use_case = true;
    }
  }
}

}  // namespace rampart::http
