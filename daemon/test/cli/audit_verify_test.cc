// `rampartd audit verify` on a real data dir, and what it says after the database file is
// tampered with behind the daemon's back: an event edited, deleted or moved, a forged hash.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_chain.h"
#include "store/sqlite/sqlite_store.h"
#include "support/rampartd_process.h"
#include "support/temp_dir.h"

namespace rampart {
namespace {

using testing::CommandResult;
using testing::RunRampartd;

class AuditVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(testing::BootstrapDataDir(dir_.str()).empty());
    // More events through the store's own append path: two organizations, interleaved.
    auto store = sqlite::SqliteStore::Open(dir_.str(), false);
    ASSERT_TRUE(store.ok()) << store.status().message();
    for (int i = 0; i < 10; ++i) {
      AuditEvent event;
      event.id = "evt_test_" + std::to_string(i);
      event.organization_id = i % 3 == 0 ? "org_other" : OrganizationId(**store);
      event.time = 1'700'000'000'000 + i;
      event.actor = "user:usr_" + std::to_string(i);
      event.action = "workspace.update";
      event.target_type = "workspace";
      event.target_id = "ws_" + std::to_string(i);
      event.target_name = "w" + std::to_string(i);
      event.outcome = "success";
      event.after_json = R"({"name":"w)" + std::to_string(i) + R"("})";
      ASSERT_TRUE((*store)->Write([&](StoreTransaction& t) { return t.AppendAuditEvent(event); }).ok());
    }
  }

  std::string OrganizationId(sqlite::SqliteStore& store) {
    std::string id;
    EXPECT_TRUE(store.Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(std::vector<AuditEvent> events, t.ScanAuditEvents(0, 1));
      id = events.at(0).organization_id;
      return Status::Ok();
    }).ok());
    return id;
  }

  // The database file itself, as someone with access to the disk would open it.
  std::unique_ptr<SQLite::Database> RawDatabase() {
    return std::make_unique<SQLite::Database>(sqlite::SqliteStore::DatabasePath(dir_.str()),
                                              SQLite::OPEN_READWRITE);
  }

  // The ids of the events of the organization that bootstrap made, in append order.
  std::vector<std::string> EventIds() {
    auto db = RawDatabase();
    SQLite::Statement query(*db, "SELECT id FROM audit_events WHERE organization_id != 'org_other' "
                                 "ORDER BY sequence");
    std::vector<std::string> ids;
    while (query.executeStep()) ids.push_back(query.getColumn(0).getString());
    return ids;
  }

  CommandResult Verify() { return RunRampartd("audit verify --data-dir " + dir_.str()); }

  void ExpectBrokenAt(const std::string& event_id, const std::string& reason) {
    CommandResult result = Verify();
    EXPECT_EQ(result.exit_code, 1) << result.stdout_text;
    EXPECT_NE(result.stdout_text.find("BROKEN at event " + event_id + " "), std::string::npos)
        << result.stdout_text;
    EXPECT_NE(result.stdout_text.find(reason), std::string::npos) << result.stdout_text;
    // The other organization's chain is untouched, and says so.
    EXPECT_NE(result.stdout_text.find("organization org_other: 4 events"), std::string::npos)
        << result.stdout_text;
    EXPECT_NE(result.stdout_text.find("1 of 2 organizations' audit chains are broken"), std::string::npos)
        << result.stdout_text;
  }

  testing::TempDir dir_;
};

TEST_F(AuditVerifyTest, AnIntactTrailVerifiesWithItsEventCount) {
  size_t events = EventIds().size() + 4;
  CommandResult result = Verify();
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find(std::to_string(events) + " events verified in 2 organizations"),
            std::string::npos)
      << result.stdout_text;
  EXPECT_NE(result.stdout_text.find(": OK"), std::string::npos) << result.stdout_text;
  // The head hash printed is the last event's.
  auto db = RawDatabase();
  std::string head = db->execAndGet("SELECT hash FROM audit_events WHERE organization_id = 'org_other' "
                                    "ORDER BY sequence DESC LIMIT 1").getString();
  EXPECT_NE(result.stdout_text.find("organization org_other: 4 events, head " + head + ": OK"),
            std::string::npos)
      << result.stdout_text;
}

TEST_F(AuditVerifyTest, AnEditedEventIsNamed) {
  std::vector<std::string> ids = EventIds();
  ASSERT_GE(ids.size(), 6u);
  RawDatabase()->exec("UPDATE audit_events SET target_name = 'forged' WHERE id = '" + ids[4] + "'");
  ExpectBrokenAt(ids[4], "its contents do not match its hash");
}

TEST_F(AuditVerifyTest, AnEditedTimeOrOutcomeIsNamedToo) {
  std::vector<std::string> ids = EventIds();
  RawDatabase()->exec("UPDATE audit_events SET outcome = 'denied' WHERE id = '" + ids[2] + "'");
  ExpectBrokenAt(ids[2], "its contents do not match its hash");
}

TEST_F(AuditVerifyTest, ADeletedEventNamesTheOneAfterIt) {
  std::vector<std::string> ids = EventIds();
  RawDatabase()->exec("DELETE FROM audit_events WHERE id = '" + ids[3] + "'");
  ExpectBrokenAt(ids[4], "events before it were deleted or reordered");
}

TEST_F(AuditVerifyTest, ReorderedEventsAreNamed) {
  std::vector<std::string> ids = EventIds();
  auto db = RawDatabase();
  // Swap the append order of two events of the same organization.
  int64_t first = db->execAndGet("SELECT sequence FROM audit_events WHERE id = '" + ids[3] + "'").getInt64();
  int64_t second = db->execAndGet("SELECT sequence FROM audit_events WHERE id = '" + ids[5] + "'").getInt64();
  db->exec("UPDATE audit_events SET sequence = -1 WHERE sequence = " + std::to_string(first));
  db->exec("UPDATE audit_events SET sequence = " + std::to_string(first) + " WHERE sequence = " + std::to_string(second));
  db->exec("UPDATE audit_events SET sequence = " + std::to_string(second) + " WHERE sequence = -1");
  ExpectBrokenAt(ids[5], "events before it were deleted or reordered");
}

// Whoever edits an event and writes its matching hash still breaks the link to it.
TEST_F(AuditVerifyTest, AForgedHashBreaksTheNextLink) {
  std::vector<std::string> ids = EventIds();
  auto store = sqlite::SqliteStore::Open(dir_.str(), false);
  ASSERT_TRUE(store.ok());
  AuditEvent forged;
  ASSERT_TRUE((*store)->Read([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<AuditEvent> all, t.ScanAuditEvents(0, 1000));
    for (const AuditEvent& event : all) {
      if (event.id == ids[2]) forged = event;
    }
    return Status::Ok();
  }).ok());
  store->reset();
  forged.actor = "user:someone_else";
  std::string hash = ChainHash(forged);
  RawDatabase()->exec("UPDATE audit_events SET actor = 'user:someone_else', hash = '" + hash +
                      "' WHERE id = '" + ids[2] + "'");
  ExpectBrokenAt(ids[3], "its previous hash is not the hash of the event before it");
}

// Events written before the chain existed (schema 7) are chained once, when the store opens.
TEST_F(AuditVerifyTest, EventsOlderThanTheChainAreChainedOnce) {
  auto db = RawDatabase();
  db->exec("UPDATE audit_events SET chain_index = 0, prev_hash = '', hash = ''");
  db->exec("INSERT INTO audit_chain_backfill SELECT MAX(sequence) FROM audit_events");
  db.reset();
  EXPECT_EQ(Verify().exit_code, 0);
  // Once: a hash blanked later is not recomputed, it is a break.
  std::vector<std::string> ids = EventIds();
  RawDatabase()->exec("UPDATE audit_events SET hash = '' WHERE id = '" + ids[1] + "'");
  ExpectBrokenAt(ids[1], "its contents do not match its hash");
}

TEST(AuditVerifyUsage, WrongUseIsExitCode2) {
  EXPECT_EQ(RunRampartd("audit").exit_code, 2);
  EXPECT_EQ(RunRampartd("audit prove --data-dir /tmp").exit_code, 2);
  testing::TempDir empty;
  EXPECT_EQ(RunRampartd("audit verify --data-dir " + empty.str()).exit_code, 2);
}

// `rampartd audit export` writes one organization's events, chain included, from the data
// dir; the first record's prev_hash is what comes before the exported range.
TEST_F(AuditVerifyTest, ExportWritesOneOrganizationsEventsInEachFormat) {
  const std::vector<std::string> ids = EventIds();
  CommandResult jsonl = RunRampartd("audit export --data-dir " + dir_.str() + " --organization acme");
  ASSERT_EQ(jsonl.exit_code, 0);
  std::istringstream lines(jsonl.stdout_text);
  std::vector<std::string> exported;
  std::string previous(64, '0');
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json event = nlohmann::json::parse(line);
    exported.push_back(event["id"]);
    EXPECT_EQ(event["prev_hash"], previous);
    previous = event["hash"];
  }
  EXPECT_EQ(exported, ids);

  const std::string out = dir_.str() + "/export.csv";
  CommandResult csv = RunRampartd("audit export --data-dir " + dir_.str() +
                                  " --organization acme --format csv --action workspace.update --out " + out);
  ASSERT_EQ(csv.exit_code, 0);
  std::ifstream file(out);
  std::string header, row;
  std::getline(file, header);
  EXPECT_EQ(header.rfind("\"id\",\"time\"", 0), 0u) << header;
  int rows = 0;
  while (std::getline(file, row)) ++rows;
  EXPECT_EQ(rows, 6);  // the events appended in SetUp for this organization (i % 3 != 0)

  CommandResult ocsf = RunRampartd("audit export --data-dir " + dir_.str() + " --organization acme --format ocsf");
  ASSERT_EQ(ocsf.exit_code, 0);
  EXPECT_NE(ocsf.stdout_text.find("\"class_uid\":3007"), std::string::npos);

  EXPECT_EQ(RunRampartd("audit export --data-dir " + dir_.str() + " --organization nope").exit_code, 2);
  EXPECT_EQ(RunRampartd("audit export --data-dir " + dir_.str() + " --organization acme --format xml").exit_code, 2);
  EXPECT_EQ(RunRampartd("audit export --data-dir " + dir_.str() + " --organization acme --since soon").exit_code, 2);
  EXPECT_EQ(RunRampartd("audit export --organization acme").exit_code, 2);
}

}  // namespace
}  // namespace rampart
