#include "http/governance_routes.h"

#include "http/route_helpers.h"

namespace rampart::http {
namespace {

const std::string kProject = "/v1/workspaces/{workspace}/projects/{project}";

// POST `requests/{promotion_request}/<verb>`: one action on a promotion request. The route
// asks to see the project's models; the action checks what it needs itself (promote or
// approve the stage, the policy's roles, four eyes).
using Action = Result<PromotionRequest> (PromotionService::*)(const RequestContext&, const ObjectPath&,
                                                             const nlohmann::json&);
Route RequestAction(PromotionService* promotions, const std::string& verb, Action action) {
  return {"POST", kProject + "/promotion_requests/{promotion_request}/" + verb, "model:read", true, true,
          Returning([promotions, action](const RequestContext& c, const RouteRequest& r) -> Result<PromotionRequest> {
            RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body.empty() ? "{}" : r.body));
            return (promotions->*action)(c, PathOf(r, {"workspace", "project", "promotion_request"}), body);
          })};
}

// GET the policy made for {stage} at the scope `parents` name (for import by name path).
Route PolicyAt(PromotionService* promotions, const std::string& pattern, std::vector<std::string> parents) {
  return {"GET", pattern + "/promotion_policies/{stage}", "promotion_policy:read", true, false,
          Returning([promotions, parents](const RequestContext& c, const RouteRequest& r) {
            return promotions->GetPolicyAt(c, PathOf(r, parents), Param(r, "stage"));
          })};
}

}  // namespace

void AddGovernanceRoutes(std::vector<Route>& routes, Services& services) {
  PromotionService* promotions = &services.promotions;
  ObjectService<PromotionRequest>* requests = &services.promotion_requests;
  ModelImporter* importer = &services.model_import;

  AddCollectionRoutes(routes, &services.models, {kProject + "/models", {"workspace", "project"}, "model", "model"});
  AddCollectionRoutes(routes, &services.model_versions,
                      {kProject + "/models/{model}/versions", {"workspace", "project", "model"}, "version",
                       "model_version"});
  AddGetByIdRoute(routes, &services.models, "/v1/models", "model", "model");
  AddGetByIdRoute(routes, &services.model_versions, "/v1/model_versions", "model_version", "model_version");
  routes.push_back({"POST", kProject + "/model_imports", "model_version:create", true, true,
                    Returning([importer](const RequestContext& c, const RouteRequest& r) -> Result<ModelVersion> {
                      RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body));
                      return importer->Import(c, PathOf(r, {"workspace", "project"}), body);
                    }, 201)});

  AddCollectionRoutes(routes, &services.promotion_policies,
                      {"/v1/promotion_policies", {}, "promotion_policy", "promotion_policy"});
  // A policy's scope is in its body (or stored row): the service's guard authorizes changes.
  for (Route& route : routes) {
    if (route.pattern.rfind("/v1/promotion_policies", 0) == 0 && route.mutates) route.authorized_by_use_case = true;
  }
  routes.push_back(PolicyAt(promotions, "/v1/workspaces/{workspace}", {"workspace"}));
  routes.push_back(PolicyAt(promotions, kProject, {"workspace", "project"}));

  const std::string collection = kProject + "/promotion_requests";
  routes.push_back({"GET", collection, "model:read", true, false,
                    Returning([requests](const RequestContext& c, const RouteRequest& r) -> Result<Page<PromotionRequest>> {
                      RAMPART_ASSIGN_OR_RETURN(ListRequest list, ParseListRequest(r.query));
                      return requests->List(c, PathOf(r, {"workspace", "project"}), list);
                    })});
  routes.push_back({"POST", collection, "model:read", true, true,
                    Returning([promotions](const RequestContext& c, const RouteRequest& r) -> Result<PromotionRequest> {
                      RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body));
                      return promotions->Create(c, PathOf(r, {"workspace", "project"}), body);
                    }, 201)});
  routes.push_back({"GET", collection + "/{promotion_request}", "model:read", true, false,
                    Returning([requests](const RequestContext& c, const RouteRequest& r) {
                      return requests->Get(c, PathOf(r, {"workspace", "project", "promotion_request"}));
                    })});
  AddGetByIdRoute(routes, requests, "/v1/promotion_requests", "promotion_request", "model");
  routes.push_back(RequestAction(promotions, "approve", &PromotionService::Approve));
  routes.push_back(RequestAction(promotions, "reject", &PromotionService::Reject));
  routes.push_back(RequestAction(promotions, "cancel", &PromotionService::Cancel));
  routes.push_back(RequestAction(promotions, "apply", &PromotionService::Apply));
}

}  // namespace rampart::http
