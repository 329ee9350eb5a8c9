#include "http/query_params.h"

#include <charconv>
#include <regex>
#include <set>

namespace rampart::http {
namespace {

// Rejects parameters outside `known`, and repeats of those not in `repeatable`.
Status CheckNames(const QueryParams& params, const std::set<std::string>& known,
                  const std::set<std::string>& repeatable) {
  for (const auto& [name, value] : params) {
    if (known.count(name) == 0) {
      std::string accepted;
      for (const std::string& option : known) accepted += (accepted.empty() ? "" : ", ") + option;
      return Status::InvalidArgument(name, "unknown query parameter (accepted: " + accepted + ")",
                                     "unknown_parameter");
    }
    if (repeatable.count(name) == 0 && params.count(name) > 1) {
      return Status::InvalidArgument(name, "given more than once", "repeated_parameter");
    }
  }
  return Status::Ok();
}

std::string Single(const QueryParams& params, const std::string& name) {
  auto found = params.find(name);
  return found == params.end() ? "" : found->second;
}

Result<size_t> ReadPageSize(const QueryParams& params) {
  if (params.count("page_size") == 0) return kDefaultPageSize;
  std::string text = Single(params, "page_size");
  size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("page_size", "must be a whole number", "not_a_number");
  }
  return value;
}

// Absent: nullopt. Given, even empty, it must be a time: "since=" is a mistake, not "no bound".
Result<std::optional<TimestampMs>> ReadTime(const QueryParams& params, const std::string& name) {
  if (params.count(name) == 0) return std::optional<TimestampMs>();
  std::string text = Single(params, name);
  TimestampMs ms = 0;
  if (!ParseTimestamp(text, ms)) {
    return Status::InvalidArgument(name, "must be an RFC 3339 time, e.g. 2026-11-22T06:00:00Z",
                                   "not_a_time");
  }
  return std::optional<TimestampMs>(ms);
}

}  // namespace

Result<ListRequest> ParseListRequest(const QueryParams& params) {
  RAMPART_RETURN_IF_ERROR(CheckNames(
      params, {"name_prefix", "label", "ids", "page_size", "page_token"}, {"label"}));
  ListRequest request;
  request.name_prefix = Single(params, "name_prefix");
  request.page_token = Single(params, "page_token");
  RAMPART_ASSIGN_OR_RETURN(request.page_size, ReadPageSize(params));
  auto labels = params.equal_range("label");
  for (auto it = labels.first; it != labels.second; ++it) {
    // KEY:VALUE rather than KEY=VALUE: the HTTP library splits parameters at every '='.
    // Label keys never contain ':', so the first one separates.
    size_t colon = it->second.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Status::InvalidArgument("label", "must be KEY:VALUE (got \"" + it->second + "\")",
                                     "label_filter");
    }
    request.labels[it->second.substr(0, colon)] = it->second.substr(colon + 1);
  }
  std::string ids = Single(params, "ids");
  size_t start = 0;
  while (!ids.empty() && start <= ids.size()) {
    size_t comma = ids.find(',', start);
    if (comma == std::string::npos) comma = ids.size();
    std::string id = ids.substr(start, comma - start);
    if (id.empty()) return Status::InvalidArgument("ids", "has an empty entry", "empty_id");
    request.ids.push_back(id);
    start = comma + 1;
  }
  return request;
}

Status ExpectNoParameters(const QueryParams& params) {
  if (params.empty()) return Status::Ok();
  return Status::InvalidArgument(params.begin()->first, "unknown query parameter (none accepted)",
                                 "unknown_parameter");
}

namespace {

const std::set<std::string> kAuditFilterNames = {"since",   "until",        "target_id",  "action",
                                                 "actor",   "workspace_id", "project_id", "outcome"};

std::set<std::string> With(std::set<std::string> names, const std::set<std::string>& more) {
  names.insert(more.begin(), more.end());
  return names;
}

// The audit filter parameters; the caller has checked the names.
Result<AuditFilter> ReadAuditFilter(const QueryParams& params) {
  AuditFilter filter;
  RAMPART_ASSIGN_OR_RETURN(filter.since, ReadTime(params, "since"));
  RAMPART_ASSIGN_OR_RETURN(filter.until, ReadTime(params, "until"));
  filter.target_id = Single(params, "target_id");
  filter.actor = Single(params, "actor");
  filter.workspace_id = Single(params, "workspace_id");
  filter.project_id = Single(params, "project_id");
  filter.outcome = Single(params, "outcome");
  if (params.count("outcome") > 0 && filter.outcome != "success" && filter.outcome != "denied") {
    return Status::InvalidArgument("outcome", "must be success or denied (got \"" + filter.outcome + "\")",
                                   "unknown_outcome");
  }
  // action=A,B and action=A&action=B alike; each "kind.verb" or "kind.*".
  static const std::regex kAction("[a-z_]+\\.([a-z_]+|\\*)");
  auto actions = params.equal_range("action");
  for (auto it = actions.first; it != actions.second; ++it) {
    size_t start = 0;
    while (start <= it->second.size()) {
      size_t comma = it->second.find(',', start);
      if (comma == std::string::npos) comma = it->second.size();
      std::string action = it->second.substr(start, comma - start);
      if (!std::regex_match(action, kAction)) {
        return Status::InvalidArgument("action",
                                       "must be KIND.VERB or KIND.* such as workspace.create or "
                                       "role_assignment.* (got \"" + action + "\")",
                                       "bad_action");
      }
      filter.actions.push_back(action);
      start = comma + 1;
    }
  }
  return filter;
}

}  // namespace

Result<AuditEventsRequest> ParseAuditEventsRequest(const QueryParams& params) {
  RAMPART_RETURN_IF_ERROR(CheckNames(params, With(kAuditFilterNames, {"page_size", "page_token"}), {"action"}));
  AuditEventsRequest request;
  RAMPART_ASSIGN_OR_RETURN(request.filter, ReadAuditFilter(params));
  request.page_token = Single(params, "page_token");
  RAMPART_ASSIGN_OR_RETURN(request.page_size, ReadPageSize(params));
  return request;
}

Result<AuditExportRequest> ParseAuditExportRequest(const QueryParams& params) {
  RAMPART_RETURN_IF_ERROR(CheckNames(params, With(kAuditFilterNames, {"format"}), {"action"}));
  AuditExportRequest request;
  RAMPART_ASSIGN_OR_RETURN(request.filter, ReadAuditFilter(params));
  const std::string format = params.count("format") > 0 ? Single(params, "format") : "jsonl";
  RAMPART_ASSIGN_OR_RETURN(request.format, ParseAuditExportFormat(format, "format"));
  return request;
}

}  // namespace rampart::http
