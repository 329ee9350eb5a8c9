#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace rampart::http {

RateLimiter::RateLimiter(double per_second, double burst, const Clock& clock)
    : per_second_(per_second), burst_(burst), clock_(clock) {}

RateLimiter::Verdict RateLimiter::Take(const std::string& key) {
  const TimestampMs now = clock_.Now();
  std::lock_guard lock(mutex_);
  auto [found, created] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = found->second;
  if (!created && now > bucket.refilled_at) {
    bucket.tokens = std::min(burst_, bucket.tokens + (now - bucket.refilled_at) * per_second_ / 1000.0);
    bucket.refilled_at = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  const double wait_seconds = (1 - bucket.tokens) / per_second_;
  return {false, std::max(1, static_cast<int>(std::ceil(wait_seconds)))};
}

}  // namespace rampart::http
