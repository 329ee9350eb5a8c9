// Strict decoding of query strings for lists (GET .../workspaces?name_prefix=a&page_size=10).
// An unknown or repeated parameter, or a malformed value, is kInvalidArgument naming it.
#pragma once

#include <map>
#include <string>

#include "audit/audit_export.h"
#include "common/status.h"
#include "model/list_query.h"
#include "service/audit_log_service.h"

namespace rampart::http {

using QueryParams = std::multimap<std::string, std::string>;

// name_prefix, label=KEY:VALUE (repeatable, all must match), ids=ID,ID,..., page_size,
// page_token.
Result<ListRequest> ParseListRequest(const QueryParams& params);

// For lists that take no parameters: kInvalidArgument naming the first one given.
Status ExpectNoParameters(const QueryParams& params);

// The audit filter (since, until as RFC 3339; target_id, action (repeatable, or comma
// separated), actor, workspace_id, project_id, outcome), page_size, page_token.
Result<AuditEventsRequest> ParseAuditEventsRequest(const QueryParams& params);

struct AuditExportRequest {
  AuditFilter filter;
  AuditExportFormat format = AuditExportFormat::kJsonLines;
};

// The audit filter and format (jsonl, the default; csv; ocsf).
Result<AuditExportRequest> ParseAuditExportRequest(const QueryParams& params);

}  // namespace rampart::http
