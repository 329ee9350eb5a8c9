// Strict decoding of query strings for lists (GET .../workspaces?name_prefix=a&page_size=10).
// An unknown or repeated parameter, or a malformed value, is kInvalidArgument naming it.
#pragma once

#include <map>
#include <string>

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

// since, until (RFC 3339), target_id, page_size, page_token.
Result<AuditEventsRequest> ParseAuditEventsRequest(const QueryParams& params);

}  // namespace rampart::http
