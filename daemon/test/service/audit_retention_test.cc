// Audit retention with a fake clock, on a real store (SQLite, or PostgreSQL in the `pg.`
// variant) through the real API: what is purged and when, the checkpoint that keeps the rest
// verifiable, and the setting itself.
#include "service/audit_retention.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service/audit_log_service.h"
#include "support/api_server_fixture.h"

namespace rampart {
namespace {

using nlohmann::json;

class AuditRetentionTest : public testing::ApiServerFixture {
 protected:
  void CreateWorkspace(const std::string& name) {
    ASSERT_EQ(Send("POST", "/v1/workspaces", json{{"name", name}}.dump()).status, 201);
  }
  json Events() { return json::parse(Send("GET", "/v1/audit-events?page_size=1000").body)["items"]; }
  json Verify() { return json::parse(Send("GET", "/v1/audit-events/verify").body); }
  int64_t Purge() {
    Result<int64_t> purged = AuditRetention(*store_, clock_).PurgeDue();
    EXPECT_TRUE(purged.ok()) << purged.status().message();
    return purged.ok() ? *purged : -1;
  }
  std::vector<std::string> Actions() {
    std::vector<std::string> actions;
    for (const json& event : Events()) actions.push_back(event["action"]);
    return actions;
  }
};

TEST_F(AuditRetentionTest, EventsLiveNinetyDaysByDefault) {
  EXPECT_EQ(json::parse(Send("GET", "/v1/organization").body)["audit_retention_days"], 90);
  CreateWorkspace("old");
  const size_t written = Events().size();
  clock_.Advance(90 * kDayMs);  // exactly 90 days: nothing is older than that yet
  EXPECT_EQ(Purge(), 0);
  EXPECT_EQ(Events().size(), written);

  clock_.Advance(1);
  EXPECT_EQ(Purge(), static_cast<int64_t>(written));
  EXPECT_EQ(Actions(), std::vector<std::string>{"audit_log.purge"});
  json report = Verify();
  EXPECT_EQ(report["ok"], true) << report;
  EXPECT_EQ(report["events"], 1);
  EXPECT_EQ(report["start_index"], written);  // resumes after the last purged event
  EXPECT_EQ(Events()[0]["chain_index"], written + 1);
  EXPECT_EQ(Events()[0]["prev_hash"], report["start_hash"]);
}

TEST_F(AuditRetentionTest, AShorterRetentionPurgesOnlyWhatIsOlderAndTheRestStillVerifies) {
  CreateWorkspace("old");
  clock_.Advance(2 * kDayMs);
  CreateWorkspace("recent");
  ASSERT_EQ(Send("PATCH", "/v1/organization", R"({"audit_retention_days": 1})").status, 200);
  const json before = Events();

  const int64_t purged = Purge();
  EXPECT_GT(purged, 0);
  json after = Events();
  // Everything from two days ago went; the recent create, the setting change and the purge
  // record stay, in order.
  std::vector<std::string> actions = Actions();
  EXPECT_EQ(actions, (std::vector<std::string>{"workspace.create", "organization.update", "audit_log.purge"}));
  EXPECT_EQ(after[0]["target_name"], "recent");
  EXPECT_EQ(after.back()["actor"], "system:retention");
  EXPECT_EQ(after.back()["after"]["retention_days"], 1);
  EXPECT_EQ(static_cast<size_t>(purged), before.size() - 2);
  EXPECT_EQ(Verify()["ok"], true) << Verify();

  // Appends go on from the head; a second purge moves the checkpoint on.
  CreateWorkspace("later");
  EXPECT_EQ(Verify()["ok"], true);
  clock_.Advance(2 * kDayMs);
  EXPECT_EQ(Purge(), 4);  // recent, organization.update, the first purge's record, later
  EXPECT_EQ(Verify()["ok"], true) << Verify();
  Result<std::vector<ChainReport>> every = AuditLogService::VerifyEveryChain(*unindexed_store_);
  ASSERT_TRUE(every.ok());
  for (const ChainReport& report : *every) EXPECT_FALSE(report.broken) << report.organization_id;
}

TEST_F(AuditRetentionTest, TheCheckpointDoesNotHideTamperingWithWhatRemains) {
  CreateWorkspace("old");
  clock_.Advance(2 * kDayMs);
  CreateWorkspace("recent");
  CreateWorkspace("newest");
  ASSERT_EQ(Send("PATCH", "/v1/organization", R"({"audit_retention_days": 1})").status, 200);
  ASSERT_GT(Purge(), 0);
  const std::string first_remaining = Events()[0]["id"];
  ExecuteRawSql("DELETE FROM audit_events WHERE id = '" + first_remaining + "'");
  json report = Verify();
  EXPECT_EQ(report["ok"], false) << report;
  EXPECT_NE(report["first_broken"]["event_id"], first_remaining);
}

TEST_F(AuditRetentionTest, OneOrganizationsRetentionLeavesAnothersEventsAlone) {
  json other = json::parse(Send("POST", "/v1/organizations", R"({"name":"other"})").body);
  const size_t theirs = json::parse(SendAs(other["token"], "GET", "/v1/audit-events").body)["items"].size();
  ASSERT_EQ(Send("PATCH", "/v1/organization", R"({"audit_retention_days": 1})").status, 200);
  clock_.Advance(2 * kDayMs);
  EXPECT_GT(Purge(), 0);
  EXPECT_EQ(json::parse(SendAs(other["token"], "GET", "/v1/audit-events").body)["items"].size(), theirs);
}

TEST_F(AuditRetentionTest, TheSettingIsValidatedAndChangesNothingWhenRefused) {
  for (const char* bad : {R"({"audit_retention_days": 0})", R"({"audit_retention_days": 2558})",
                          R"({"audit_retention_days": "90"})", R"({"audit_retention_days": 1.5})"}) {
    ExpectError(Send("PATCH", "/v1/organization", bad), 400, "invalid_argument", "audit_retention_days");
  }
  EXPECT_EQ(json::parse(Send("GET", "/v1/organization").body)["audit_retention_days"], 90);
  auto seven_years = Send("PATCH", "/v1/organization", R"({"audit_retention_days": 2557})");
  ASSERT_EQ(seven_years.status, 200) << seven_years.body;
  EXPECT_EQ(json::parse(seven_years.body)["audit_retention_days"], 2557);
}

}  // namespace
}  // namespace rampart
