// AuditLogService: reading the audit trail of the caller's organization (SPEC section 5).
// Thread-safe; borrows the Store, which must outlive it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_chain.h"
#include "audit/audit_event.h"
#include "common/status.h"
#include "model/list_query.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

struct AuditEventsRequest {
  AuditFilter filter;
  std::string page_token;
  size_t page_size = kDefaultPageSize;
};

class AuditLogService {
 public:
  explicit AuditLogService(Store& store) : store_(store) {}

  // Events of the caller's organization, oldest first.
  Result<Page<AuditEvent>> ListEvents(const RequestContext& context,
                                      const AuditEventsRequest& request);
  // Calls `each` with every event of `organization_id` that `filter` matches, oldest
  // first, reading a batch per transaction so a slow consumer holds no transaction open.
  // Stops, returning OK, when `each` returns false (the client went away). Events
  // appended meanwhile are included as the reading reaches them.
  static Status ForEachEvent(Store& store, const std::string& organization_id, const AuditFilter& filter,
                             const std::function<bool(const AuditEvent&)>& each);
  // The same for the caller's organization.
  Status ForEachEvent(const RequestContext& context, const AuditFilter& filter,
                      const std::function<bool(const AuditEvent&)>& each) {
    return ForEachEvent(store_, context.organization_id, filter, each);
  }
  // kInvalidArgument unless `filter`'s time range is empty or ordered.
  static Status ValidateFilter(const AuditFilter& filter);
  // Verifies the hash chain of the caller's organization, in one consistent read.
  Result<ChainReport> VerifyChain(const RequestContext& context);
  // Verifies every organization's chain (deleted organizations' too), in one consistent
  // read: what `rampartd audit verify` reports.
  static Result<std::vector<ChainReport>> VerifyEveryChain(Store& store);

 private:
  Store& store_;
};

}  // namespace rampart
