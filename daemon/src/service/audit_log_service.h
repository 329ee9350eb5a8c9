// AuditLogService: reading the audit trail of the caller's organization (SPEC section 5).
// Thread-safe; borrows the Store, which must outlive it.
#pragma once

#include <optional>
#include <string>

#include "audit/audit_event.h"
#include "common/status.h"
#include "model/list_query.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

struct AuditEventsRequest {
  std::optional<TimestampMs> since;  // inclusive
  std::optional<TimestampMs> until;  // exclusive
  std::string target_id;
  std::string page_token;
  size_t page_size = kDefaultPageSize;
};

class AuditLogService {
 public:
  explicit AuditLogService(Store& store) : store_(store) {}

  // Events of the caller's organization, oldest first.
  Result<Page<AuditEvent>> ListEvents(const RequestContext& context,
                                      const AuditEventsRequest& request);

 private:
  Store& store_;
};

}  // namespace rampart
