// GET /v1/audit-events/export: the trail streamed as JSON lines, CSV or OCSF through a real
// server on a real SQLite file, in the order and with the chain the list API shows.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit_export.h"
#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

class AuditExportApiTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    for (const char* name : {"alpha", "beta"}) {
      ASSERT_EQ(Send("POST", "/v1/workspaces", json{{"name", name}}.dump()).status, 201);
    }
    ASSERT_EQ(Send("POST", "/v1/teams", R"({"name":"devs"})").status, 201);
    outsider_ = UserWithKey("outsider@example.com");
    ASSERT_EQ(Send("PATCH", "/v1/teams/devs", R"({"members":["user:outsider@example.com"]})").status, 200);
    ASSERT_EQ(SendAs(outsider_, "DELETE", "/v1/workspaces/alpha").status, 403);  // audited as denied
  }

  // Every event of the organization through the list API, oldest first.
  json Listed(const std::string& query = "") {
    return json::parse(Send("GET", "/v1/audit-events?page_size=1000" + query).body)["items"];
  }

  static std::vector<std::string> Lines(const std::string& body) {
    std::vector<std::string> lines;
    std::istringstream stream(body);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
  }

  std::string outsider_;
};

TEST_F(AuditExportApiTest, JsonLinesAreTheListedEventsStreamedInOrder) {
  auto response = Send("GET", "/v1/audit-events/export");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.get_header_value("Content-Type"), "application/x-ndjson");
  EXPECT_EQ(response.get_header_value("Transfer-Encoding"), "chunked");
  json listed = Listed();
  std::vector<std::string> lines = Lines(response.body);
  ASSERT_EQ(lines.size(), listed.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    json line = json::parse(lines[i]);
    EXPECT_EQ(line["organization_id"], organization_.organization.meta.id);
    line.erase("organization_id");
    EXPECT_EQ(line, listed[i]);
  }
  EXPECT_EQ(json::parse(lines.back())["outcome"], "denied");
}

TEST_F(AuditExportApiTest, ATimeRangeCarriesTheHashBeforeItAndVerifiesAlone) {
  json listed = Listed();
  ASSERT_GE(listed.size(), 4u);
  const size_t first = 2;
  auto response = Send("GET", "/v1/audit-events/export?since=" + listed[first]["time"].get<std::string>());
  ASSERT_EQ(response.status, 200) << response.body;
  std::vector<std::string> lines = Lines(response.body);
  ASSERT_FALSE(lines.empty());
  // Events written in the same millisecond as listed[first] come along; find where it starts.
  size_t offset = 0;
  while (offset < lines.size() && json::parse(lines[offset])["id"] != listed[first]["id"]) ++offset;
  ASSERT_LT(offset, lines.size());
  std::string previous = json::parse(lines[offset])["prev_hash"];
  EXPECT_EQ(previous, listed[first - 1]["hash"]) << "the first record names the hash before the range";
  for (size_t i = offset; i < lines.size(); ++i) {
    json line = json::parse(lines[i]);
    EXPECT_EQ(line["prev_hash"], previous) << line;
    previous = line["hash"];
  }
  EXPECT_EQ(previous, json::parse(Send("GET", "/v1/audit-events/verify").body)["head_hash"]);
}

TEST_F(AuditExportApiTest, CsvHasAHeaderAndARowPerEvent) {
  auto response = Send("GET", "/v1/audit-events/export?format=csv&action=workspace.*");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.get_header_value("Content-Type"), "text/csv");
  std::vector<std::string> lines = Lines(response.body);
  ASSERT_EQ(lines.size(), 1u + 2u) << response.body;  // header, two workspace.create
  EXPECT_EQ(lines[0].rfind("\"id\",\"time\",\"organization_id\",\"actor\"", 0), 0u) << lines[0];
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_NE(lines[i].find("\"workspace.create\""), std::string::npos) << lines[i];
    EXPECT_EQ(lines[i].back(), '\r');
  }
}

TEST_F(AuditExportApiTest, OcsfRecordsClassifyChangesOfRolesAndMembershipAsUserManagement) {
  auto response = Send("GET", "/v1/audit-events/export?format=ocsf");
  ASSERT_EQ(response.status, 200) << response.body;
  std::map<int, int> classes;
  bool membership = false;
  for (const std::string& line : Lines(response.body)) {
    json record = json::parse(line);
    classes[record["class_uid"]]++;
    EXPECT_EQ(record["type_uid"], record["class_uid"].get<int>() * 100 + record["activity_id"].get<int>());
    if (record["activity_name"] == "Add to Team") {
      membership = true;
      EXPECT_EQ(record["user"]["uid"], json::parse(Send("GET", "/v1/users/outsider@example.com").body)["id"]);
    }
  }
  EXPECT_TRUE(membership);
  EXPECT_GT(classes[kOcsfApiActivity], 0);
  EXPECT_GT(classes[kOcsfUserManagement], 1);  // the first admin key's grant and the membership
}

TEST_F(AuditExportApiTest, LongTrailsStreamWholeAcrossReadBatches) {
  const size_t before = Listed().size();
  ASSERT_TRUE(unindexed_store_->Write([&](StoreTransaction& t) -> Status {
    for (int i = 0; i < 2500; ++i) {
      AuditEvent event;
      event.id = "evt_bulk_" + std::to_string(i);
      event.organization_id = organization_.organization.meta.id;
      event.time = kStart + i;
      event.actor = "system";
      event.action = "workspace.update";
      event.target_type = "workspace";
      event.outcome = "success";
      RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(event));
    }
    return Status::Ok();
  }).ok());
  auto response = Send("GET", "/v1/audit-events/export");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(Lines(response.body).size(), before + 2500);
}

TEST_F(AuditExportApiTest, BadParametersAreRefusedBeforeAnythingIsSent) {
  ExpectError(Send("GET", "/v1/audit-events/export?format=xml"), 400, "invalid_argument", "format");
  ExpectError(Send("GET", "/v1/audit-events/export?page_size=10"), 400, "invalid_argument", "page_size");
  ExpectError(Send("GET", "/v1/audit-events/export?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"), 400,
              "invalid_argument", "until");
  ExpectError(Send("GET", "/v1/audit-events/export?outcome=maybe"), 400, "invalid_argument", "outcome");
  // Found by Schemathesis: given empty, these were taken as absent.
  for (const char* parameter : {"format", "since", "until", "outcome"}) {
    ExpectError(Send("GET", std::string("/v1/audit-events/export?") + parameter + "="), 400,
                "invalid_argument", parameter);
  }
  ExpectError(SendAs(outsider_, "GET", "/v1/audit-events/export"), 403, "permission_denied", "");
}

TEST_F(AuditExportApiTest, AnotherOrganizationExportsOnlyItsOwnEvents) {
  json other = json::parse(Send("POST", "/v1/organizations", R"({"name":"other"})").body);
  auto response = SendAs(other["token"], "GET", "/v1/audit-events/export");
  ASSERT_EQ(response.status, 200) << response.body;
  std::vector<std::string> lines = Lines(response.body);
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) EXPECT_EQ(json::parse(line)["organization_id"], other["organization_id"]);
}

}  // namespace
}  // namespace rampart::http
