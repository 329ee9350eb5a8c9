// Read-your-writes across replicas, through a real server: every response says which
// changes its replica has applied (Rampart-Change-Number), and a request naming a change
// (Rampart-Min-Change-Number) is answered only once the replica has applied it: at once when
// it has, after catching up with a write another replica committed to the same database, or
// with 503 (reason replica_behind) when the database does not hold that change.
#include <httplib.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/indexing_store.h"
#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

constexpr char kChange[] = "Rampart-Change-Number";
constexpr char kMinChange[] = "Rampart-Min-Change-Number";

class ChangeNumberTest : public testing::ApiServerFixture {
 protected:
  uint64_t ChangeOf(const httplib::Response& response) {
    EXPECT_TRUE(response.has_header(kChange)) << response.status << " " << response.body;
    return response.has_header(kChange) ? std::stoull(response.get_header_value(kChange)) : 0;
  }
  httplib::Response CreateWorkspace(const std::string& name, httplib::Headers headers = {}) {
    return Send("POST", "/v1/workspaces", json{{"name", name}}.dump(), std::move(headers));
  }
};

TEST_F(ChangeNumberTest, EveryWriteAnswersWithAGreaterChangeNumberAndReadsWithTheNewest) {
  httplib::Response first = CreateWorkspace("first");
  ASSERT_EQ(first.status, 201) << first.body;
  httplib::Response second = CreateWorkspace("second");
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_GT(ChangeOf(second), ChangeOf(first));
  EXPECT_EQ(ChangeOf(Send("GET", "/v1/workspaces")), ChangeOf(second));
  // A refused write changes nothing, and says so.
  httplib::Response refused = CreateWorkspace("second");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(ChangeOf(refused), ChangeOf(second));
}

TEST_F(ChangeNumberTest, AChangeAlreadyAppliedIsAnsweredAtOnce) {
  httplib::Response created = CreateWorkspace("applied");
  ASSERT_EQ(created.status, 201) << created.body;
  httplib::Response read = Send("GET", "/v1/workspaces/applied", "",
                                {{kMinChange, std::to_string(ChangeOf(created))}});
  EXPECT_EQ(read.status, 200) << read.body;
}

TEST_F(ChangeNumberTest, AChangeTheDatabaseDoesNotHoldIs503ReplicaBehindAtOnce) {
  const uint64_t ahead = ChangeOf(Send("GET", "/v1/workspaces")) + 1000;
  httplib::Response behind = Send("GET", "/v1/workspaces", "", {{kMinChange, std::to_string(ahead)}});
  json error = ExpectError(behind, 503, "unavailable", kMinChange);
  EXPECT_EQ(error["details"]["reason"], "replica_behind") << error.dump();
  EXPECT_EQ(behind.get_header_value("Retry-After"), "1");
  EXPECT_NE(error["message"].get<std::string>().find(std::to_string(ahead)), std::string::npos)
      << error.dump();
  // Nor does it run a write it holds back.
  EXPECT_EQ(CreateWorkspace("held", {{kMinChange, std::to_string(ahead)}}).status, 503);
  EXPECT_EQ(Send("GET", "/v1/workspaces/held").status, 404);
}

TEST_F(ChangeNumberTest, AMalformedChangeNumberIs400NamingTheHeader) {
  for (const char* bad : {"abc", "-1", "12x", "0x10", "99999999999999999999999"}) {
    httplib::Response response = Send("GET", "/v1/workspaces", "", {{kMinChange, bad}});
    ExpectError(response, 400, "invalid_argument", kMinChange);
  }
}

// Another replica: a second store on the same database with its own index, writing what
// this server has not seen yet. A request naming that write's change sees it, checks too.
TEST_F(ChangeNumberTest, AWriteOfAnotherReplicaIsSeenByARequestNamingItsChange) {
  std::unique_ptr<Store> other = OpenStoreOfAnotherReplica();
  authz::AccessIndex other_index;
  authz::IndexingStore other_replica(*other, other_index);
  ASSERT_TRUE(other_replica.Load().ok());
  Services other_services(other_replica, clock_, other_index);

  auto user = other_services.users.Create(admin_, {}, {{"email", "ada@example.com"}});
  ASSERT_TRUE(user.ok()) << user.status().message();
  auto granted = other_services.role_assignments.Create(
      admin_, {}, {{"role", "organization.admin"}, {"user_id", "ada@example.com"}});
  ASSERT_TRUE(granted.ok()) << granted.status().message();
  const uint64_t change = other_replica.AppliedChange();

  httplib::Response check = Send("POST", "/v1/check",
                                 json{{"principal", "user:ada@example.com"},
                                      {"permission", "workspace:create"},
                                      {"resource", "organization"}}.dump(),
                                 {{kMinChange, std::to_string(change)}});
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(json::parse(check.body)["allowed"], true) << check.body;
  EXPECT_GE(ChangeOf(check), change);
}

// A key revoked through another replica, used here by a caller that names the revocation's
// change: the replica authenticated the key from what it knew, and must not serve it once
// it has caught up.
TEST_F(ChangeNumberTest, AKeyRevokedThroughAnotherReplicaIsRefusedOnceItsChangeIsNamed) {
  const std::string token = UserWithKey("bob@example.com");
  ASSERT_NE(SendAs(token, "GET", "/v1/organization").status, 401);  // known to this replica
  std::unique_ptr<Store> other = OpenStoreOfAnotherReplica();
  authz::AccessIndex other_index;
  authz::IndexingStore other_replica(*other, other_index);
  ASSERT_TRUE(other_replica.Load().ok());
  Services other_services(other_replica, clock_, other_index);
  const std::string key_id = token.substr(4, token.find('.') - 4);  // rmp_<key id>.<secret>
  ASSERT_TRUE(other_services.api_keys.Revoke(admin_, key_id).ok());

  httplib::Response refused = SendAs(token, "GET", "/v1/organization", "",
                                     {{kMinChange, std::to_string(other_replica.AppliedChange())}});
  ExpectError(refused, 401, "unauthenticated", "Authorization");
}

TEST_F(ChangeNumberTest, CallersWithoutAKeyNeitherSeeNorWaitForChanges) {
  httplib::Client anonymous("127.0.0.1", port_);
  auto health = anonymous.Get("/healthz", {{kMinChange, "999999"}});
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_FALSE(health->has_header(kChange));
  auto refused = anonymous.Get("/v1/workspaces");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_FALSE(refused->has_header(kChange));
}

// A database restored from a backup, or failed over to a standby that lost its newest
// commits, numbers its next changes below what the index applied: the index must reload,
// not skip them.
TEST_F(ChangeNumberTest, ADatabaseBehindTheIndexMakesItReloadNotSkipWrites) {
  ASSERT_EQ(Send("POST", "/v1/users", json{{"email", "restored@example.com"}}.dump()).status, 201);
  ASSERT_GT(store_->AppliedChange(), 2u);
  ExecuteRawSql("UPDATE change_counter SET newest = 1");  // the restored database's counter
  ASSERT_EQ(Send("POST", "/v1/role_assignments",
                 json{{"role", "organization.admin"}, {"user_id", "restored@example.com"}}.dump())
                .status,
            201);
  httplib::Response check = Send("POST", "/v1/check",
                                 json{{"principal", "user:restored@example.com"},
                                      {"permission", "workspace:create"},
                                      {"resource", "organization"}}.dump());
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(json::parse(check.body)["allowed"], true) << "the grant numbered below the index was skipped";
  EXPECT_EQ(store_->AppliedChange(), 2u);
}

}  // namespace
}  // namespace rampart::http
