#include "http/access_routes.h"

#include <sstream>

#include "authz/access_history.h"
#include "authz/check_answer.h"
#include "common/csv.h"
#include "http/route_helpers.h"

namespace rampart::http {
namespace {

// The values of the query parameters `names`, each at most once; anything else is a 400.
Result<std::map<std::string, std::string>> QueryValues(const RouteRequest& request,
                                                       const std::set<std::string>& names) {
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : request.query) {
    if (names.count(key) == 0) {
      std::string known;
      for (const std::string& name : names) known += (known.empty() ? "" : ", ") + name;
      return Status::InvalidArgument(key, "unknown parameter (accepted: " + known + ")",
                                     "unknown_parameter");
    }
    if (!values.emplace(key, value).second) {
      return Status::InvalidArgument(key, "given more than once", "repeated_parameter");
    }
  }
  return values;
}

Result<std::string> Required(const std::map<std::string, std::string>& values, const char* name) {
  auto found = values.find(name);
  if (found == values.end() || found->second.empty()) {
    return Status::InvalidArgument(name, "is required", "required");
  }
  return found->second;
}

// Questions about access at a scope need role_assignment:read there, except a principal's
// questions about itself.
Status RequireToAsk(const Services& services, const RequestContext& context,
                    const std::optional<authz::Principal>& about, const authz::Scope& scope) {
  if (about && about->id == context.principal_id) return Status::Ok();
  return services.authorizer.Require(context, "role_assignment:read", scope);
}

// One check: {"principal", "permission", "resource"} -> the decision and why.
Result<nlohmann::json> CheckOne(Services& services, const RequestContext& context,
                                const nlohmann::json& question, const std::string& prefix) {
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(question, {"principal", "permission", "resource"}));
  RAMPART_RETURN_IF_ERROR(CheckRequired(question, PatchMode::kCreate, {"principal", "permission", "resource"}));
  RAMPART_ASSIGN_OR_RETURN(std::string principal, ReadString(question["principal"], prefix + "principal"));
  RAMPART_ASSIGN_OR_RETURN(std::string permission, ReadString(question["permission"], prefix + "permission"));
  RAMPART_ASSIGN_OR_RETURN(std::string resource, ReadString(question["resource"], prefix + "resource"));
  RAMPART_ASSIGN_OR_RETURN(size_t index, authz::ReadPermission(permission, prefix + "permission"));
  RAMPART_ASSIGN_OR_RETURN(
      authz::Principal who,
      AsReference(services.index.ResolvePrincipal(context.organization_id, principal, prefix + "principal"),
                  prefix + "principal"));
  RAMPART_ASSIGN_OR_RETURN(
      authz::Scope where,
      AsReference(services.index.ResolveScope(context.organization_id, resource, prefix + "resource"),
                  prefix + "resource"));
  RAMPART_RETURN_IF_ERROR(RequireToAsk(services, context, who, where));
  authz::Decision decision = services.index.Check(who, index, where, services.clock.Now());
  return authz::CheckAnswer(decision, principal, permission, resource);
}

nlohmann::json RowJson(const authz::AccessIndex& index, const authz::AccessRow& row) {
  std::string name = index.NameOf(row.principal.id);
  return {{"principal_type", row.principal.type},
          {"principal_id", row.principal.id},
          {"principal_name", name.empty() ? row.principal.id : name},  // keys have no name
          {"role", row.role},
          {"role_name", row.role_name},
          {"scope", authz::ScopeJson(row.scope)},
          {"via", row.via_team_id.empty() ? "direct" : "team:" + index.NameOf(row.via_team_id)},
          {"assignment_id", row.assignment_id},
          {"granted_by", row.granted_by},
          {"granted_at", FormatTimestamp(row.granted_at)},
          {"expires_at", row.expires_at ? nlohmann::json(FormatTimestamp(*row.expires_at)) : nullptr}};
}

}  // namespace

void AddAccessRoutes(std::vector<Route>& routes, Services& services) {
  Services* s = &services;
  const size_t first = routes.size();
  routes.push_back(
      {"POST", "/v1/check", "role_assignment:read", true, false,
       [s](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(r.body));
         if (!body.contains("checks")) {
           RAMPART_ASSIGN_OR_RETURN(nlohmann::json answer, CheckOne(*s, c, body, ""));
           return RouteResponse{200, std::move(answer), std::nullopt};
         }
         RAMPART_RETURN_IF_ERROR(CheckKnownFields(body, {"checks"}));
         if (!body["checks"].is_array()) return WrongType("checks", "an array of checks", body["checks"]);
         if (body["checks"].size() > kMaxPageSize) {
           return Status::InvalidArgument("checks", "at most " + std::to_string(kMaxPageSize) + " per request", "too_many");
         }
         nlohmann::json results = nlohmann::json::array();
         for (size_t i = 0; i < body["checks"].size(); ++i) {
           std::string prefix = "checks[" + std::to_string(i) + "].";
           const nlohmann::json& question = body["checks"][i];
           if (!question.is_object()) return WrongType(prefix.substr(0, prefix.size() - 1), "an object", question);
           RAMPART_ASSIGN_OR_RETURN(nlohmann::json answer, CheckOne(*s, c, question, prefix));
           results.push_back(std::move(answer));
         }
         return RouteResponse{200, nlohmann::json{{"results", std::move(results)}}, std::nullopt};
       }});

  routes.push_back(
      {"GET", "/v1/access-matrix", "role_assignment:read", true, false,
       [s](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(auto values, QueryValues(r, {"scope", "format", "at"}));
         std::string path = values.count("scope") ? values["scope"] : "organization";
         std::string format = values.count("format") ? values["format"] : "json";
         if (format != "json" && format != "csv") {
           return Status::InvalidArgument("format", "must be json or csv", "format");
         }
         const TimestampMs now = s->clock.Now();
         TimestampMs at = now;
         // As of a past instant: the index rewound through the audit trail, where the scope
         // is looked up as it was then (a workspace deleted since included).
         std::unique_ptr<authz::AccessIndex> past;
         if (values.count("at")) {
           if (!ParseTimestamp(values["at"], at)) {
             return Status::InvalidArgument("at", "must be an RFC 3339 instant such as 2026-11-01T00:00:00Z",
                                            "bad_time");
           }
           RAMPART_ASSIGN_OR_RETURN(past, authz::AccessIndexAt(s->store, c.organization_id, at, now, "at"));
         }
         const authz::AccessIndex& index = past ? *past : s->index;
         RAMPART_ASSIGN_OR_RETURN(authz::Scope scope, index.ResolveScope(c.organization_id, path, "scope"));
         // Asking needs role_assignment:read there now; a scope gone since is the organization's.
         std::optional<authz::Scope> current = s->index.ScopeOf(c.organization_id, scope.id);
         RAMPART_RETURN_IF_ERROR(RequireToAsk(*s, c, std::nullopt,
                                              current ? *current : authz::Scope{authz::ScopeLevel::kOrganization,
                                                                                c.organization_id}));
         std::vector<authz::AccessRow> rows = index.Matrix(scope, at);
         nlohmann::json items = nlohmann::json::array();
         for (const authz::AccessRow& row : rows) items.push_back(RowJson(index, row));
         std::sort(items.begin(), items.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
           return std::tie(a["principal_type"], a["principal_name"], a["role_name"], a["via"]) <
                  std::tie(b["principal_type"], b["principal_name"], b["role_name"], b["via"]);
         });
         if (format == "json") {
           return RouteResponse{200, nlohmann::json{{"scope", path}, {"at", FormatTimestamp(at)}, {"rows", items}},
                                std::nullopt};
         }
         std::ostringstream csv;
         csv << "principal_type,principal_id,principal_name,role,role_name,scope_type,scope_id,via,"
                "assignment_id,granted_by,granted_at,expires_at\r\n";
         for (const nlohmann::json& item : items) {
           std::vector<std::string> fields = {
               item["principal_type"], item["principal_id"], item["principal_name"], item["role"],
               item["role_name"], item["scope"]["type"], item["scope"]["id"], item["via"],
               item["assignment_id"], item["granted_by"], item["granted_at"],
               item["expires_at"].is_null() ? "" : item["expires_at"].get<std::string>()};
           csv << CsvRow(fields);
         }
         RouteResponse response{200, std::nullopt, std::nullopt};
         response.text = csv.str();
         response.content_type = "text/csv";
         return response;
       }});

  routes.push_back(
      {"GET", "/v1/who-can", "role_assignment:read", true, false,
       [s](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(auto values, QueryValues(r, {"permission", "resource"}));
         RAMPART_ASSIGN_OR_RETURN(std::string permission, Required(values, "permission"));
         RAMPART_ASSIGN_OR_RETURN(std::string resource, Required(values, "resource"));
         RAMPART_ASSIGN_OR_RETURN(size_t index, authz::ReadPermission(permission, "permission"));
         RAMPART_ASSIGN_OR_RETURN(
             authz::Scope scope,
             AsReference(s->index.ResolveScope(c.organization_id, resource, "resource"), "resource"));
         RAMPART_RETURN_IF_ERROR(RequireToAsk(*s, c, std::nullopt, scope));
         nlohmann::json items = nlohmann::json::array();
         for (const authz::AccessRow& row : s->index.WhoCan(index, scope, s->clock.Now())) {
           items.push_back(RowJson(s->index, row));
         }
         return RouteResponse{200, nlohmann::json{{"items", items}}, std::nullopt};
       }});

  routes.push_back(
      {"GET", "/v1/what-can", "role_assignment:read", true, false,
       [s](const RequestContext& c, const RouteRequest& r) -> Result<RouteResponse> {
         RAMPART_ASSIGN_OR_RETURN(auto values, QueryValues(r, {"principal", "resource"}));
         RAMPART_ASSIGN_OR_RETURN(std::string principal, Required(values, "principal"));
         std::string resource = values.count("resource") ? values["resource"] : "organization";
         RAMPART_ASSIGN_OR_RETURN(
             authz::Principal who,
             AsReference(s->index.ResolvePrincipal(c.organization_id, principal, "principal"), "principal"));
         RAMPART_ASSIGN_OR_RETURN(
             authz::Scope scope,
             AsReference(s->index.ResolveScope(c.organization_id, resource, "resource"), "resource"));
         RAMPART_RETURN_IF_ERROR(RequireToAsk(*s, c, who, scope));
         authz::PermissionSet permissions = s->index.Effective(who, scope, s->clock.Now());
         return RouteResponse{200,
                              nlohmann::json{{"principal", principal},
                                             {"resource", resource},
                                             {"permissions", permissions.Names()}},
                              std::nullopt};
       }});
  // Each asks at a scope named in the request: the handlers authorize (RequireToAsk).
  for (size_t i = first; i < routes.size(); ++i) routes[i].authorized_by_use_case = true;
}

}  // namespace rampart::http
