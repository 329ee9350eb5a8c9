// Route: one REST endpoint as declared in the route table, and the request/response values
// its handler works with (independent of the HTTP library).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "service/request_context.h"

namespace rampart::http {

struct RouteRequest {
  std::map<std::string, std::string> path_params;  // {workspace} -> "alpha"
  std::multimap<std::string, std::string> query;   // decoded query string parameters
  std::string body;
  std::string if_match;  // raw If-Match header, "" when absent
};

struct RouteResponse {
  int status = 200;
  std::optional<nlohmann::json> body;  // nullopt: no body (204)
  std::optional<int64_t> revision;     // sent as ETag: "<revision>"
  // A body that is not JSON (a CSV export): sent as is when `body` is empty.
  std::string text;
  std::string content_type;
  // A body too large to hold (an audit export), produced after the handler returns and sent
  // in chunks as it comes: `stream` calls `write` for each piece and returns false when a
  // write failed (the client left) or producing failed (the response is then cut short,
  // without its final chunk, so no client mistakes it for complete). Needs content_type.
  using Writer = std::function<bool(const std::string&)>;
  std::function<bool(const Writer& write)> stream;
};

using RouteHandler =
    std::function<Result<RouteResponse>(const RequestContext&, const RouteRequest&)>;

struct Route {
  std::string method;   // GET, POST, PATCH, DELETE
  std::string pattern;  // "/v1/workspaces/{workspace}", as in proto/rampart/v1
  // The permission the caller needs ("workspace:update"), or "" for public routes.
  std::string permission;
  bool authenticated = true;
  bool mutates = false;
  RouteHandler handler;
  // True when the permission's scope is only known to the use case (a role assignment's
  // scope is in its body), which then authorizes; the route table says so explicitly.
  bool authorized_by_use_case = false;
};

// Finds the route for a method and path. Segments in braces match any one non-empty
// segment and are returned in `path_params`.
class RouteMatcher {
 public:
  explicit RouteMatcher(std::vector<Route> routes);

  enum class Outcome { kMatched, kNoSuchPath, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNoSuchPath;
    const Route* route = nullptr;
    std::map<std::string, std::string> path_params;
    std::string allowed_methods;  // for 405: "GET, PATCH"
  };

  Match Find(const std::string& method, const std::string& path) const;

 private:
  const std::vector<Route> routes_;
  std::vector<std::vector<std::string>> patterns_;  // routes_[i].pattern's segments
};

}  // namespace rampart::http
