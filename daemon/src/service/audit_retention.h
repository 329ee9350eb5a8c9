// AuditRetention: purges each organization's audit events older than its retention
// (Organization::audit_retention_days; SPEC section 5), keeping a checkpoint so the rest of
// the chain still verifies, and records each purge as an "audit_log.purge" event in the
// same transaction. `rampartd serve` runs it hourly (PeriodicTask). Thread-safe; borrows
// the Store and Clock.
#pragma once

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace rampart {

class AuditRetention {
 public:
  AuditRetention(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Purges what is due at the clock's now, one organization per transaction; returns how
  // many events were deleted in all.
  Result<int64_t> PurgeDue();

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
