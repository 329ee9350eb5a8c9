// The export formats of the audit trail: CSV that spreadsheets read back exactly, JSON lines
// that carry the chain, and OCSF records that hold every attribute their class requires.
#include "audit/audit_export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace rampart {
namespace {

AuditEvent Event(const std::string& action, const std::string& target_type, const std::string& before,
                 const std::string& after, const std::string& outcome = "success") {
  AuditEvent event;
  event.id = "evt_1";
  event.organization_id = "org_1";
  event.time = 1'790'000'000'123;
  event.actor = "user:usr_admin";
  event.key_id = "key_1";
  event.action = action;
  event.target_type = target_type;
  event.target_id = target_type == "team" ? "team_1" : "ra_1";
  event.target_name = "developers";
  event.outcome = outcome;
  event.before_json = before;
  event.after_json = after;
  event.request_id = "req_1";
  event.source_ip = "10.0.0.7";
  event.user_agent = "Terraform/1.9";
  event.chain_index = 42;
  event.prev_hash = std::string(64, 'a');
  event.hash = std::string(64, 'b');
  return event;
}

// Attributes OCSF 1.3 requires of every event, and of each class used.
const std::vector<std::string> kBaseRequired = {"activity_id", "category_uid", "class_uid", "metadata",
                                                "severity_id", "time",         "type_uid"};
const std::map<int, std::vector<std::string>> kClassRequired = {
    {kOcsfApiActivity, {"actor", "api", "cloud", "src_endpoint"}},
    {kOcsfUserManagement, {"user"}},
};

void ExpectValidOcsf(const nlohmann::json& record) {
  for (const std::string& name : kBaseRequired) EXPECT_TRUE(record.contains(name)) << name << " in " << record;
  const int class_uid = record.value("class_uid", 0);
  ASSERT_TRUE(kClassRequired.count(class_uid)) << record;
  for (const std::string& name : kClassRequired.at(class_uid)) {
    EXPECT_TRUE(record.contains(name) && !record[name].is_null()) << name << " in " << record;
  }
  EXPECT_EQ(record["category_uid"], class_uid / 1000);
  EXPECT_EQ(record["type_uid"], class_uid * 100 + record["activity_id"].get<int>());
  EXPECT_TRUE(record["time"].is_number_integer());
  EXPECT_EQ(record["metadata"]["version"], kOcsfVersion);
  EXPECT_TRUE(record["metadata"]["product"].contains("vendor_name"));
  if (class_uid == kOcsfApiActivity) {
    EXPECT_TRUE(record["api"].contains("operation"));  // required in the api object
    EXPECT_TRUE(record["cloud"].contains("provider"));  // required in the cloud object
  }
  // The chain fields travel with every record.
  EXPECT_EQ(record["unmapped"]["chain_index"], 42);
  EXPECT_EQ(record["unmapped"]["prev_hash"], std::string(64, 'a'));
}

TEST(AuditExport, FormatsAreNamedAndOthersRefusedOnTheField) {
  EXPECT_EQ(*ParseAuditExportFormat("jsonl", "format"), AuditExportFormat::kJsonLines);
  EXPECT_EQ(*ParseAuditExportFormat("csv", "format"), AuditExportFormat::kCsv);
  EXPECT_EQ(*ParseAuditExportFormat("ocsf", "format"), AuditExportFormat::kOcsf);
  Result<AuditExportFormat> bad = ParseAuditExportFormat("xml", "format");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "format");
  EXPECT_EQ(ContentType(AuditExportFormat::kCsv), "text/csv");
}

TEST(AuditExport, JsonLinesCarryTheOrganizationAndTheChain) {
  AuditEvent event = Event("workspace.update", "workspace", R"({"name":"a"})", R"({"name":"b"})");
  std::string line = ExportRecord(AuditExportFormat::kJsonLines, event);
  ASSERT_EQ(line.back(), '\n');
  nlohmann::json json = nlohmann::json::parse(line);
  EXPECT_EQ(json["organization_id"], "org_1");
  EXPECT_EQ(json["time"], "2026-09-21T14:13:20.123Z");
  EXPECT_EQ(json["before"]["name"], "a");
  EXPECT_EQ(json["chain_index"], 42);
  EXPECT_EQ(json["prev_hash"], std::string(64, 'a'));
  EXPECT_EQ(json["hash"], std::string(64, 'b'));
}

TEST(AuditExport, CsvQuotesEveryFieldSoCommasQuotesAndNewlinesSurvive) {
  EXPECT_EQ(ExportPreamble(AuditExportFormat::kCsv).rfind("\"id\",\"time\",\"organization_id\",", 0), 0u);
  AuditEvent event = Event("workspace.update", "workspace", "", R"({"d":"a, \"b\"\nc"})");
  event.target_name = "x,y";
  std::string row = ExportRecord(AuditExportFormat::kCsv, event);
  EXPECT_NE(row.find(R"("x,y")"), std::string::npos) << row;
  EXPECT_NE(row.find(R"("{""d"":""a, \""b\""\nc""}")"), std::string::npos) << row;
  EXPECT_EQ(row.substr(row.size() - 2), "\r\n");
  EXPECT_NE(row.find("\"42\",\"" + std::string(64, 'a') + "\",\"" + std::string(64, 'b') + "\""),
            std::string::npos);
  EXPECT_EQ(ExportPreamble(AuditExportFormat::kJsonLines), "");
}

TEST(AuditExport, OcsfApiActivityForChangesAndDenials) {
  std::vector<nlohmann::json> records = ToOcsf(Event("workspace.create", "workspace", "", R"({"name":"w"})"));
  ASSERT_EQ(records.size(), 1u);
  ExpectValidOcsf(records[0]);
  EXPECT_EQ(records[0]["class_uid"], kOcsfApiActivity);
  EXPECT_EQ(records[0]["activity_id"], 1);
  EXPECT_EQ(records[0]["api"]["operation"], "workspace.create");
  EXPECT_EQ(records[0]["actor"]["user"]["uid"], "usr_admin");
  EXPECT_EQ(records[0]["actor"]["user"]["credential_uid"], "key_1");
  EXPECT_EQ(records[0]["src_endpoint"]["ip"], "10.0.0.7");
  EXPECT_EQ(records[0]["status_id"], 1);

  records = ToOcsf(Event("access.denied", "workspace", "", R"({"missing":"workspace:update"})", "denied"));
  ASSERT_EQ(records.size(), 1u);
  ExpectValidOcsf(records[0]);
  EXPECT_EQ(records[0]["activity_id"], 99);
  EXPECT_EQ(records[0]["status_id"], 2);
  EXPECT_GT(records[0]["severity_id"].get<int>(), 1);

  for (const char* verb : {"update", "delete"}) {
    records = ToOcsf(Event(std::string("project.") + verb, "project", "{}", "{}"));
    ExpectValidOcsf(records.at(0));
  }
}

TEST(AuditExport, OcsfUserManagementForRoleAssignments) {
  const std::string assignment =
      R"({"id":"ra_1","role":"stack.read","team_id":"team_7","scope_type":"stack","stack_id":"stk_3"})";
  const std::map<std::string, int> activities = {
      {"role_assignment.create", 16}, {"role_assignment.delete", 17}, {"role_assignment.expire", 17}};
  for (const auto& [action, activity] : activities) {
    const bool created = action == "role_assignment.create";
    std::vector<nlohmann::json> records =
        ToOcsf(Event(action, "role_assignment", created ? "" : assignment, created ? assignment : ""));
    ASSERT_EQ(records.size(), 1u) << action;
    ExpectValidOcsf(records[0]);
    EXPECT_EQ(records[0]["class_uid"], kOcsfUserManagement) << action;
    EXPECT_EQ(records[0]["activity_id"], activity) << action;
    EXPECT_EQ(records[0]["user"]["uid"], "team_7");
    EXPECT_EQ(records[0]["user"]["type"], "Team");
    EXPECT_EQ(records[0]["privileges"], nlohmann::json::array({"stack.read"}));
    EXPECT_EQ(records[0]["resources"][0]["uid"], "stk_3");
  }
  // A denied attempt changed nobody's roles: it is API activity.
  EXPECT_EQ(ToOcsf(Event("role_assignment.create", "role_assignment", "", "", "denied")).at(0)["class_uid"],
            kOcsfApiActivity);
}

TEST(AuditExport, OcsfUserManagementOncePerTeamMemberAddedOrRemoved) {
  std::vector<nlohmann::json> records = ToOcsf(Event("team.update", "team", R"({"members":["usr_a","usr_b"]})",
                                                     R"({"members":["usr_b","sa_c","usr_d"]})"));
  ASSERT_EQ(records.size(), 3u);
  std::map<std::string, std::string> changes;
  for (const nlohmann::json& record : records) {
    ExpectValidOcsf(record);
    EXPECT_EQ(record["class_uid"], kOcsfUserManagement);
    EXPECT_EQ(record["user"]["groups"][0]["uid"], "team_1");
    changes[record["user"]["uid"]] = record["activity_name"];
  }
  EXPECT_EQ(changes, (std::map<std::string, std::string>{
                         {"usr_a", "Remove from Team"}, {"sa_c", "Add to Team"}, {"usr_d", "Add to Team"}}));
  // A team change that leaves the members alone is API activity.
  records = ToOcsf(Event("team.update", "team", R"({"members":["usr_a"],"description":""})",
                         R"({"members":["usr_a"],"description":"x"})"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["class_uid"], kOcsfApiActivity);
}

}  // namespace
}  // namespace rampart
