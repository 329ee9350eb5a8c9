// Per-organization rate limits: the bucket arithmetic with a fake clock, and the 429 with
// Retry-After that a flooding organization gets through a real server while another
// organization's requests still pass.
#include "http/rate_limiter.h"

#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/route_table.h"
#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

TEST(RateLimiter, ABurstPassesThenRequestsWaitForTheRefill) {
  FakeClock clock(1'000'000);
  RateLimiter limiter(/*per_second=*/2, /*burst=*/4, clock);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.Take("org_a").allowed) << i;
  RateLimiter::Verdict refused = limiter.Take("org_a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_TRUE(limiter.Take("org_b").allowed) << "another organization has its own bucket";
  clock.Advance(499);
  EXPECT_FALSE(limiter.Take("org_a").allowed);
  clock.Advance(1);  // 500 ms at 2/s: one token back
  EXPECT_TRUE(limiter.Take("org_a").allowed);
  EXPECT_FALSE(limiter.Take("org_a").allowed);
  clock.Advance(60'000);  // a long pause refills to the burst, no further
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.Take("org_a").allowed) << i;
  EXPECT_FALSE(limiter.Take("org_a").allowed);
}

TEST(RateLimiter, RetryAfterCoversTheWholeWaitAtSlowRates) {
  FakeClock clock(0);
  RateLimiter limiter(/*per_second=*/0.1, /*burst=*/1, clock);
  EXPECT_TRUE(limiter.Take("org").allowed);
  EXPECT_EQ(limiter.Take("org").retry_after_seconds, 10);
  clock.Advance(4'000);
  EXPECT_EQ(limiter.Take("org").retry_after_seconds, 6);
}

// The fixture's server, rebuilt with a limit of 1 request/s and bursts of 3.
class RateLimitedServerTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    ServerOptions options;
    options.organization_requests_per_second = 1;
    options.organization_burst = 3;
    RestartServer(options);
  }
};

TEST_F(RateLimitedServerTest, AFloodingOrganizationGets429WithRetryAfterAndOthersPass) {
  // Made before the flood, while the bucket is full (burst 3): the second organization.
  auto other = Send("POST", "/v1/organizations", R"({"name":"other"})");
  ASSERT_EQ(other.status, 201) << other.body;
  const std::string other_token = nlohmann::json::parse(other.body)["token"];
  int refused = 0;
  httplib::Response last;
  for (int i = 0; i < 6; ++i) {
    last = Send("GET", "/v1/workspaces");
    if (last.status == 429) ++refused;
  }
  EXPECT_GE(refused, 3);
  ASSERT_EQ(last.status, 429);
  EXPECT_GE(std::stoi(last.get_header_value("Retry-After")), 1);
  ExpectError(last, 429, "rate_limited", "");
  EXPECT_EQ(SendAs(other_token, "GET", "/v1/workspaces").status, 200) << "the other organization is not held back";
  httplib::Client anonymous("127.0.0.1", port_);
  EXPECT_EQ(anonymous.Get("/healthz")->status, 200) << "health probes are not rate limited";
}

}  // namespace
}  // namespace rampart::http
