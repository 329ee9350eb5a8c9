// ExpiryRecorder: writes a "role_assignment.expire" audit event, once, for every role
// assignment whose expires_at has passed. Checks never wait for it (they compare expires_at
// with the clock, so a grant ends at its expiry instant); this only makes the end visible
// in the audit trail. `rampartd serve` runs it every second (PeriodicTask).
// Thread-safe; borrows the Store and Clock.
#pragma once

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace rampart {

class ExpiryRecorder {
 public:
  ExpiryRecorder(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Records every expiry due at the clock's now that is not recorded yet; returns how many.
  Result<size_t> RecordDue();

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
