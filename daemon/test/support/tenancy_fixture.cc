#include "support/tenancy_fixture.h"

#include <SQLiteCpp/Database.h>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart::testing {
namespace {

AuditQuery AllEvents() {
  AuditQuery query;
  query.limit = 1000000;
  return query;
}

// The store RAMPART_TEST_STORE selects: PostgreSQL in `database` (created here) or SQLite
// in `data_dir`.
Result<std::unique_ptr<Store>> OpenTestStore(const TempDir& data_dir, TemporaryDatabase& database) {
  if (TestsUsePostgres()) {
    RAMPART_RETURN_IF_ERROR(database.Create());
    RAMPART_ASSIGN_OR_RETURN(auto store, postgres::PgStore::Open(database.url(), /*create_if_missing=*/true));
    return std::unique_ptr<Store>(std::move(store));
  }
  RAMPART_ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(data_dir.str(), /*create_if_missing=*/true));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace

void TenancyFixture::SetUp() {
  auto store = OpenTestStore(data_dir_, database_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  unindexed_store_ = std::move(store).value();
  store_ = std::make_unique<authz::IndexingStore>(*unindexed_store_, index_);
  ASSERT_TRUE(store_->Load().ok());
  services_ = std::make_unique<Services>(*store_, clock_, index_);
  tenancy_ = &services_->tenancy;
  api_keys_ = &services_->api_keys;
  auto created = tenancy_->Bootstrap("acme");
  ASSERT_TRUE(created.ok()) << created.status().message();
  organization_ = created.value();
  admin_.organization_id = organization_.organization.meta.id;
  admin_.key_id = organization_.key_id;
  admin_.actor = "key:" + organization_.key_id;
  admin_.system_admin = true;
  admin_.principal_type = kPrincipalApiKey;
  admin_.principal_id = organization_.key_id;
  admin_.request_id = "req-test";
}

std::unique_ptr<Store> TenancyFixture::OpenStoreOfAnotherReplica() {
  if (OnPostgres()) {
    auto store = postgres::PgStore::Open(database_.url(), /*create_if_missing=*/false);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  auto store = sqlite::SqliteStore::Open(data_dir_.str(), /*create_if_missing=*/false);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::vector<AuditEvent> TenancyFixture::AuditEvents() {
  return AuditEventsOf(organization_.organization.meta.id);
}

std::vector<AuditEvent> TenancyFixture::AuditEventsOf(const std::string& organization_id) {
  std::vector<AuditEvent> events;
  Status status = store_->Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(events, transaction.ListAuditEvents(organization_id, AllEvents()));
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return events;
}

void TenancyFixture::ExecuteRawSql(const std::string& sql) {
  if (OnPostgres()) {
    Status executed = PostgresServer::Execute(database_.url(), sql);
    ASSERT_TRUE(executed.ok()) << executed.message();
    return;
  }
  try {
    SQLite::Database database(sqlite::SqliteStore::DatabasePath(data_dir_.str()), SQLite::OPEN_READWRITE);
    database.exec(sql);
  } catch (const std::exception& error) {
    FAIL() << sql << ": " << error.what();
  }
}

}  // namespace rampart::testing
