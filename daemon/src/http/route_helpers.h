// Building blocks of the route table: adapters from use cases to RouteHandlers and the
// routes every collection of named objects has. Header-only templates, used by
// route_table.cc and authz_routes.cc.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/query_params.h"
#include "http/route.h"
#include "service/object_service.h"

namespace rampart::http {


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

inline RouteResponse NoContent() { return RouteResponse{204, std::nullopt, std::nullopt}; }

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

inline const std::string& Param(const RouteRequest& request, const char* name) {
  return request.path_params.at(name);
}

// The values of `names`' path parameters, in order: the path of an object or its parent.
inline ObjectPath PathOf(const RouteRequest& request, const std::vector<std::string>& names) {
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

// The service authorizes reads object by object (ObjectService::SetReadGuard): the GET
// routes of `collection` and `collection/{...}` leave it to the service.
inline void AuthorizeReadsInService(std::vector<Route>& routes, const std::string& collection) {
  for (Route& route : routes) {
    bool below = route.pattern == collection ||
                 (route.pattern.rfind(collection + "/{", 0) == 0 &&
                  route.pattern.find('/', collection.size() + 1) == std::string::npos);
    if (route.method == "GET" && below) route.authorized_by_use_case = true;
  }
}

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
  if (service->GuardsReads()) AuthorizeReadsInService(routes, c.collection);
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
  if (service->GuardsReads()) AuthorizeReadsInService(routes, collection);
}

}  // namespace rampart::http
