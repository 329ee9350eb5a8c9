// RateLimiter: a token bucket per key (an organization id), so that one organization
// flooding the daemon is answered 429 instead of starving the others. Each bucket holds up
// to `burst` tokens and refills at `per_second`; a request takes one. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace rampart::http {

class RateLimiter {
 public:
  // REQUIRES: per_second > 0, burst >= 1.
  RateLimiter(double per_second, double burst, const Clock& clock);

  struct Verdict {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: whole seconds until a token is back (>= 1)
  };
  Verdict Take(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    TimestampMs refilled_at = 0;
  };
  const double per_second_;
  const double burst_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // one per organization: bounded
};

}  // namespace rampart::http
