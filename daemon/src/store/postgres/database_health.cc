#include "store/postgres/database_health.h"

namespace rampart::postgres {

void DatabaseHealth::Reached() {
  std::lock_guard<std::mutex> lock(mutex_);
  reachable_ = true;
}

void DatabaseHealth::Unreachable(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (reachable_) since_ = clock_.Now();  // the outage started now; later failures extend it
  reachable_ = false;
  reason_ = reason;
}

Status DatabaseHealth::Get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (reachable_) return Status::Ok();
  return Status::Error(StatusCode::kUnavailable,
                       "the database is unreachable since " + FormatTimestamp(since_) + ": " + reason_, "",
                       "storage_unavailable");
}

}  // namespace rampart::postgres
